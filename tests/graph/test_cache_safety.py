"""The compiled cache runs no code it did not write: planted, altered, renamed or special files are refused."""

from __future__ import annotations

import logging
import os
import pickle
import stat
import threading
import time
from pathlib import Path

import pytest

from modelatlas.graph.cache import compiled
from modelatlas.graph.knowledge import KnowledgeGraph


def graph(version: str = "v1") -> KnowledgeGraph:
    return KnowledgeGraph.from_records(version=version, models=[])


class Counter:
    """A build function that counts its calls."""

    def __init__(self, version: str = "v1") -> None:
        self.calls, self.version = 0, version

    def __call__(self) -> KnowledgeGraph:
        self.calls += 1
        return graph(self.version)


class Planted:
    """Unpickling this creates ``marker``: what an attacker's shell command would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "modelatlas.cache" and r.levelno >= logging.WARNING]


def test_a_restart_hits_the_cache_in_a_private_directory(cache_dir: Path) -> None:
    build = Counter()
    assert compiled("k", build, cache_dir)[1] is False
    kg, hit = compiled("k", build, cache_dir)
    assert hit and build.calls == 1 and kg.version == "v1"
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache_dir / "key").stat().st_mode) == 0o600 and (cache_dir / "key").stat().st_size == 32


def test_a_planted_pickle_is_never_unpickled(cache_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    compiled("other", Counter(), cache_dir)  # the directory and its key exist, as after any start
    marker = tmp_path / "pwned"
    entry = cache_dir / "kg-k.pickle"
    entry.write_bytes(pickle.dumps(Planted(marker)))
    build = Counter()
    _, hit = compiled("k", build, cache_dir)
    assert not marker.exists()
    assert not hit and build.calls == 1
    assert any(str(entry) in m for m in refusals(caplog))


def test_a_tampered_byte_fails_the_mac(cache_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    compiled("k", Counter(), cache_dir)
    entry = cache_dir / "kg-k.pickle"
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0x01
    entry.write_bytes(bytes(data))
    build = Counter()
    assert compiled("k", build, cache_dir)[1] is False and build.calls == 1
    assert any("MAC" in m and str(entry) in m for m in refusals(caplog))


def test_an_entry_renamed_to_another_key_is_refused(cache_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    compiled("small-config", Counter("small"), cache_dir)
    (cache_dir / "kg-small-config.pickle").rename(cache_dir / "kg-full-config.pickle")
    kg, hit = compiled("full-config", Counter("full"), cache_dir)
    assert not hit and kg.version == "full"
    assert any("small-config" in m for m in refusals(caplog))


def test_a_symlink_in_place_of_an_entry_is_refused(cache_dir: Path, tmp_path: Path) -> None:
    compiled("k", Counter(), cache_dir)
    elsewhere = tmp_path / "elsewhere.pickle"
    (cache_dir / "kg-k.pickle").rename(elsewhere)  # a valid entry: only the link makes it wrong
    (cache_dir / "kg-k.pickle").symlink_to(elsewhere)
    build = Counter()
    assert compiled("k", build, cache_dir)[1] is False and build.calls == 1


def test_a_fifo_in_place_of_an_entry_does_not_hang_the_start(cache_dir: Path) -> None:
    compiled("other", Counter(), cache_dir)
    os.mkfifo(cache_dir / "kg-k.pickle")
    outcome: list[bool] = []
    starter = threading.Thread(target=lambda: outcome.append(compiled("k", Counter(), cache_dir)[1]), daemon=True)
    starter.start()
    starter.join(10)
    if starter.is_alive():  # unblock the old code's open() so the thread ends
        with open(cache_dir / "kg-k.pickle", "wb"):
            pass
        pytest.fail("opening a FIFO entry blocked the start")
    assert outcome == [False]


def test_a_world_writable_directory_is_refused_once(cache_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o777)
    build = Counter()
    assert compiled("k", build, cache_dir)[1] is False
    assert compiled("k", build, cache_dir)[1] is False and build.calls == 2
    assert list(cache_dir.iterdir()) == []  # neither a key nor an entry written there
    messages = [m for m in refusals(caplog) if "world-writable" in m]
    assert len(messages) == 1 and str(cache_dir) in messages[0] and "without it" in messages[0]


def test_orphaned_temporaries_are_removed_at_start(cache_dir: Path) -> None:
    compiled("other", Counter(), cache_dir)
    old, fresh = cache_dir / "kg-k.pickleab12.tmp", cache_dir / "kg-k.picklecd34.tmp"
    for tmp in (old, fresh):
        tmp.write_bytes(b"half an entry")
    two_minutes_ago = time.time() - 120
    os.utime(old, (two_minutes_ago, two_minutes_ago))
    compiled("k", Counter(), cache_dir)
    assert not old.exists() and fresh.exists()  # a fresh one may belong to a write under way
