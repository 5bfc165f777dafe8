"""The compiled cache: a built KnowledgeGraph pickled under a key of everything it was built from.

A restart with unchanged data, packages and code loads the pickle instead of parsing, validating and
building again. The key covers the inputs (``parts``, e.g. the data's content hash and the importer
package versions) and the source of the ``graph`` package, so a code change invalidates it too.
Writes go to a temporary file renamed into place: a crash never leaves a half-written entry, and an
unreadable entry is rebuilt, never trusted.

>>> import tempfile
>>> from modelatlas.graph.knowledge import KnowledgeGraph
>>> d = Path(tempfile.mkdtemp())
>>> kg, hit = compiled(cache_key("v1"), lambda: KnowledgeGraph.from_records(version="v1", models=[]), d)
>>> hit, compiled(cache_key("v1"), lambda: None, d)[1]
(False, True)
"""

from __future__ import annotations

import copyreg
import hashlib
import logging
import os
import pickle
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["cache_key", "code_version", "compiled", "default_cache_dir", "wait_for_writes"]

log = logging.getLogger("modelatlas.cache")


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))

_GRAPH_PACKAGE = Path(__file__).resolve().parent


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/modelatlas`` (default ``~/.cache/modelatlas``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "modelatlas"


def code_version() -> str:
    """A hash of the ``graph`` package's source: records and indexes change when it does."""
    digest = hashlib.sha256()
    for path in sorted(_GRAPH_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_GRAPH_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(*parts: str) -> str:
    """One key for the inputs and the code that builds from them."""
    digest = hashlib.sha256()
    for part in (*parts, code_version()):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def compiled(key: str, build: Callable[[], KnowledgeGraph], cache_dir: Path | None = None, *,
             refresh: bool = False, background: bool = False) -> tuple[KnowledgeGraph, bool]:
    """The graph cached under ``key``, or ``build()``'s result, stored for next time. Returns (graph, hit).

    ``refresh`` builds and stores even when an entry exists (``modelatlas import``). ``background`` stores it from a
    thread, so a long-running service answers while the entry is written (6.5 s at 100k models); a process that
    exits early leaves no entry (the temporary file is never renamed), only a slower next start.
    """
    directory = Path(cache_dir) if cache_dir else default_cache_dir()
    path = directory / f"kg-{key}.pickle"
    if path.exists() and not refresh:
        try:
            with path.open("rb") as f:
                kg = pickle.load(f)
            if isinstance(kg, KnowledgeGraph):
                return kg, True
            log.warning("cache entry %s holds %s, rebuilding", path, type(kg).__name__)
        except Exception as exc:  # noqa: BLE001 -- a truncated or foreign file: rebuild rather than trust it
            log.warning("cache entry %s unreadable (%s), rebuilding", path, exc)
    kg = build()
    if background:
        writer = threading.Thread(target=_store, args=(path, kg), name="modelatlas-cache-write", daemon=True)
        _writers.append(writer)
        writer.start()
    else:
        _store(path, kg)
    return kg, False


_writers: list[threading.Thread] = []


def wait_for_writes(timeout: float | None = None) -> None:
    """Wait until background cache writes have finished (benchmarks, tests, a clean exit)."""
    while _writers:
        _writers.pop().join(timeout)


KEEP_ENTRIES = 8  # per cache directory: each data edit, code change or new day (with imports) makes a new entry


def _prune(directory: Path, keep: Path) -> None:
    """Drop all but the ``KEEP_ENTRIES`` newest entries (never ``keep``), and temporary files over a day old."""
    entries = sorted(directory.glob("kg-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    stale = [p for p in entries[KEEP_ENTRIES:] if p != keep]
    stale += [p for p in directory.glob("kg-*.tmp") if time.time() - p.stat().st_mtime > 86400]
    for old in stale:
        try:
            old.unlink()
        except OSError:  # another process got there first
            pass


def _store(path: Path, kg: KnowledgeGraph) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(kg, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        log.info("wrote cache entry %s", path)
        _prune(path.parent, keep=path)
    except Exception as exc:  # noqa: BLE001 -- a read-only directory or a full disk costs speed, not correctness
        log.warning("could not write cache entry %s: %s", path, exc)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
