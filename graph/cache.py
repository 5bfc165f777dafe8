"""The compiled cache: a built KnowledgeGraph pickled under a key of everything it was built from.

A restart with unchanged data, packages and code loads the pickle instead of parsing, validating and
building again. The key covers the inputs (``parts``, e.g. the data's content hash and the importer
package versions) and the source of the ``graph`` package, so a code change invalidates it too.

Unpickling runs code, so an entry is only loaded once it proves it was written here: each file carries an
HMAC-SHA256 of everything after it, keyed by a random 32-byte ``key`` made once per cache directory (mode
0600). A planted or altered file fails the MAC and is never unpickled; a file renamed from another key, or
whose graph is not the data version it records, is refused too. Only regular files are opened (no symlinks,
no FIFOs), the directory is made 0700, and a world-writable one is not used at all. Writes go to a temporary
file renamed into place; temporaries left by an interrupted write are removed at the next start.

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
import hmac
import json
import logging
import os
import pickle
import secrets
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["CacheRefused", "cache_key", "code_version", "compiled", "default_cache_dir", "wait_for_writes"]

log = logging.getLogger("modelatlas.cache")


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))

_GRAPH_PACKAGE = Path(__file__).resolve().parent

MAGIC = b"modelatlas-kg/2\n"  # then the 32-byte MAC, a 4-byte header length, the JSON header, the pickle
_MAC_SIZE = 32
_KEY_FILE = "key"
ORPHAN_SECONDS = 60  # a temporary this old belongs to no running write (a write keeps touching its file)


class CacheRefused(Exception):
    """An entry, key file or directory that must not be used, with the reason."""


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
    exits early leaves no entry (the temporary file is never renamed), only a slower next start. A directory that
    cannot be used safely (world-writable, or an unusable key) means building without the cache, said once.
    """
    directory = Path(cache_dir) if cache_dir else default_cache_dir()
    path = directory / f"kg-{key}.pickle"
    try:
        secret = _prepare_directory(directory)
    except (CacheRefused, OSError) as exc:
        if directory not in _refused:
            _refused.add(directory)
            log.warning("not using the compiled cache in %s: %s; building without it", directory, exc)
        return build(), False
    if not refresh:
        try:
            return _load(path, key, secret), True
        except FileNotFoundError:
            pass
        except (CacheRefused, OSError) as exc:
            log.warning("cache entry %s refused (%s), rebuilding", path, exc)
        except Exception as exc:  # noqa: BLE001 -- a verified entry that still fails (an old class layout): rebuild
            log.warning("cache entry %s unreadable (%s), rebuilding", path, exc)
    kg = build()
    if background:
        writer = threading.Thread(target=_store, args=(path, key, secret, kg), name="modelatlas-cache-write",
                                  daemon=True)
        _writers.append(writer)
        writer.start()
    else:
        _store(path, key, secret, kg)
    return kg, False


_refused: set[Path] = set()  # directories already reported as unusable
_writers: list[threading.Thread] = []


def wait_for_writes(timeout: float | None = None) -> None:
    """Wait until background cache writes have finished (benchmarks, tests, a clean exit)."""
    while _writers:
        _writers.pop().join(timeout)


# ------------------------------------------------------------------ the directory and its key
def _prepare_directory(directory: Path) -> bytes:
    """Make the directory (0700) unless it exists, refuse a world-writable one, drop orphans; return the MAC key."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = directory.stat().st_mode
    if mode & stat.S_IWOTH:
        raise CacheRefused(f"the directory is world-writable (mode {stat.S_IMODE(mode):o}): anyone could plant an "
                           "entry; make it private (chmod 700) or set MODELATLAS_CACHE_DIR elsewhere")
    _remove_orphans(directory)
    return _installation_key(directory)


def _installation_key(directory: Path) -> bytes:
    """The directory's random MAC key, created once (0600, atomically: a racing process reads the winner's key)."""
    path = directory / _KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".key-", suffix=".tmp")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(_MAC_SIZE))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never replaces: the first key made stays the key
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    with _open_regular(path) as f:
        if stat.S_IMODE(os.fstat(f.fileno()).st_mode) & 0o022:
            raise CacheRefused(f"the key file {path} is writable by others")
        secret = f.read(_MAC_SIZE + 1)
    if len(secret) != _MAC_SIZE:
        raise CacheRefused(f"the key file {path} does not hold {_MAC_SIZE} bytes")
    return secret


def _remove_orphans(directory: Path) -> None:
    """Temporaries of an interrupted write (kill -9) over ``ORPHAN_SECONDS`` old."""
    now = time.time()
    for tmp in directory.glob("*.tmp"):
        try:
            if now - tmp.lstat().st_mtime > ORPHAN_SECONDS:
                tmp.unlink()
                log.info("removed orphaned cache temporary %s", tmp)
        except OSError:  # another process got there first
            pass


def _open_regular(path: Path) -> IO[bytes]:
    """``path`` opened for reading if it is a regular file; a symlink or a FIFO (which would block) is refused."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise CacheRefused(f"cannot open {path} as a regular file ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise CacheRefused(f"{path} is not a regular file")
    return os.fdopen(fd, "rb")


# ------------------------------------------------------------------ entries
def _load(path: Path, key: str, secret: bytes) -> KnowledgeGraph:
    """The graph of a verified entry: the MAC first (nothing is unpickled before), then its key and data version."""
    with _open_regular(path) as f:
        data = f.read()
    view = memoryview(data)
    if len(data) < len(MAGIC) + _MAC_SIZE + 4 or view[:len(MAGIC)] != MAGIC:
        raise CacheRefused("not a compiled-cache entry of this format")
    body = len(MAGIC) + _MAC_SIZE
    expected = hmac.new(secret, view[body:], hashlib.sha256).digest()
    if not hmac.compare_digest(expected, bytes(view[len(MAGIC):body])):
        raise CacheRefused("its MAC does not verify: it was not written with this installation's key")
    header_end = body + 4 + int.from_bytes(view[body:body + 4], "big")
    header = json.loads(bytes(view[body + 4:header_end]))
    if header.get("key") != key:
        raise CacheRefused(f"it was written for key {header.get('key')!r}, not {key!r}")
    kg = pickle.loads(view[header_end:])  # verified above: written by this installation
    if not isinstance(kg, KnowledgeGraph) or kg.version != header.get("version"):
        raise CacheRefused(f"it does not hold the graph of data version {header.get('version')!r}")
    return kg


class _MacWriter:
    """A binary file that also feeds what is written to an HMAC (pickle writes in frames; no copy of the whole)."""

    def __init__(self, file: IO[bytes], mac: hmac.HMAC) -> None:
        self.file, self.mac = file, mac

    def write(self, chunk: bytes) -> int:
        self.mac.update(chunk)
        return self.file.write(chunk)


def _store(path: Path, key: str, secret: bytes, kg: KnowledgeGraph) -> None:
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w+b") as f:
            header = json.dumps({"key": key, "version": kg.version}).encode()
            f.write(MAGIC + bytes(_MAC_SIZE))
            writer = _MacWriter(f, hmac.new(secret, digestmod=hashlib.sha256))
            writer.write(len(header).to_bytes(4, "big") + header)
            pickle.dump(kg, writer, protocol=pickle.HIGHEST_PROTOCOL)
            f.seek(len(MAGIC))
            f.write(writer.mac.digest())
        os.replace(tmp, path)
        log.info("wrote cache entry %s", path)
        _prune(path.parent, keep=path)
    except Exception as exc:  # noqa: BLE001 -- a read-only directory or a full disk costs speed, not correctness
        log.warning("could not write cache entry %s: %s", path, exc)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


KEEP_ENTRIES = 8  # per cache directory: each data edit, code change or new day (with imports) makes a new entry


def _prune(directory: Path, keep: Path) -> None:
    """Drop all but the ``KEEP_ENTRIES`` newest entries (never ``keep``)."""
    entries = sorted(directory.glob("kg-*.pickle"), key=lambda p: p.lstat().st_mtime, reverse=True)
    for old in (p for p in entries[KEEP_ENTRIES:] if p != keep):
        try:
            old.unlink()
        except OSError:  # another process got there first
            pass
