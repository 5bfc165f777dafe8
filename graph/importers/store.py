"""Refreshed catalogs: newer catalog files, in their published format, installed by ``modelatlas import --from``.

A store is a directory (``<cache dir>/catalogs`` by default: it belongs to one installation, as the compiled
graph built from it does, and a test isolates it with ``MODELATLAS_CACHE_DIR``; removing it goes back to the
pinned packaged catalogs). It holds, per catalog, the data file under a name with its hash
(``models-dev-<sha12>.json.gz``) and a pointer ``models-dev.json`` naming it; ``snapshots/`` holds the value
snapshots of every import (``graph.changes``). A file is installed by writing the data file, then replacing the
pointer in one rename: a reader sees the old catalog or the new one, never half of either.

>>> import tempfile
>>> store = CatalogStore(Path(tempfile.mkdtemp()))
>>> store.refreshed(), CATALOGS["litellm"].format
({}, "LiteLLM's model_prices_and_context_window.json")
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from modelatlas.graph.errors import DataError
from modelatlas.graph.importers import genai_prices, litellm, models_dev
from modelatlas.graph.importers.rows import CatalogSnapshot

__all__ = ["CATALOGS", "Catalog", "CatalogStore", "Refreshed", "read_catalog_file"]

Reader = Callable[[Path, str, "date | None"], CatalogSnapshot]


@dataclass(frozen=True)
class Catalog:
    """One catalog a file can refresh: its name, the published format, how its file is read."""

    name: str
    format: str
    read: Reader


CATALOGS: dict[str, Catalog] = {
    "models-dev": Catalog("models-dev", "models.dev api.json",
                          lambda path, version, today: models_dev.read_models_dev(path, version=version)),
    "genai-prices": Catalog("genai-prices", "genai-prices data.json",
                            lambda path, version, today: genai_prices.read_genai_prices_file(path, version=version,
                                                                                             today=today)),
    "litellm": Catalog("litellm", "LiteLLM's model_prices_and_context_window.json",
                       lambda path, version, today: litellm.read_litellm(path, version=version)),
}


def file_version(path: Path, digest: str) -> str:
    """The version a refreshed catalog is known by: its file name and the start of its hash.

    >>> file_version(Path("api.json"), "0123456789abcdef")
    'file api.json 0123456789ab'
    """
    return f"file {path.name} {digest[:12]}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_catalog_file(name: str, path: Path, today: date | None = None) -> CatalogSnapshot:
    """A catalog file read and checked as ``modelatlas import --from NAME=FILE`` takes it.

    Raises DataError naming the file for an unknown catalog, an unreadable file, a file with no model rows, and a
    file with rows its reader could not read (each named by its id): such a file is refused whole.
    """
    catalog = CATALOGS.get(name)
    if catalog is None:
        raise DataError(f"--from {name}={path}: unknown catalog {name!r}; one of {', '.join(sorted(CATALOGS))}")
    if not path.is_file():
        raise DataError(f"{path}: no such file (--from {name}=FILE expects a {catalog.format})")
    snapshot = catalog.read(path, file_version(path, _sha256(path)), today)
    bad = [r for r in snapshot.rejected if not r.benign]
    if bad:
        shown = "; ".join(f"{r.where} {r.field}: {r.reason}" for r in bad[:5])
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise DataError(f"{path}: {len(bad)} unreadable entries in this {catalog.format}: {shown}{more}")
    if not snapshot.rows:
        raise DataError(f"{path}: no model rows in it; is it a {catalog.format}?")
    return snapshot


@dataclass(frozen=True)
class Refreshed:
    """A catalog file installed in a store."""

    catalog: str
    file: str  # the data file's name inside the store
    sha256: str
    original: str  # the path it was installed from
    installed_on: str  # ISO date

    @property
    def version(self) -> str:
        return file_version(Path(self.original), self.sha256)


class CatalogStore:
    """The refreshed catalogs of one directory (see the module docstring)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @property
    def snapshots(self) -> Path:
        return self.directory / "snapshots"

    def _pointer(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def refreshed(self) -> dict[str, Refreshed]:
        """Catalog name -> the installed file, for each catalog refreshed here. A broken pointer is a DataError."""
        found: dict[str, Refreshed] = {}
        for name in CATALOGS:
            pointer = self._pointer(name)
            if not pointer.exists():
                continue
            try:
                entry = Refreshed(**json.loads(pointer.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError) as exc:
                raise DataError(f"{pointer}: not a refreshed-catalog pointer ({exc}); remove it to use the packaged "
                                "catalog") from None
            if not (self.directory / entry.file).is_file():
                raise DataError(f"{pointer}: names {entry.file}, which is missing; remove the pointer or import again")
            found[name] = entry
        return found

    def path_of(self, entry: Refreshed) -> Path:
        return self.directory / entry.file

    def read(self, today: date | None = None) -> dict[str, CatalogSnapshot]:
        """The refreshed catalogs, read (catalog name -> snapshot)."""
        return {name: CATALOGS[name].read(self.path_of(e), e.version, today) for name, e in self.refreshed().items()}

    def fingerprint(self) -> str:
        """What the compiled graph depends on here: the pointers and the value snapshots' names and sizes."""
        parts = [f"{n}={e.sha256}" for n, e in sorted(self.refreshed().items())]
        if self.snapshots.is_dir():
            parts += [f"{p.name}:{p.stat().st_size}" for p in sorted(self.snapshots.glob("*.json.gz"))]
        return "|".join(parts)

    def remove(self, name: str) -> Refreshed | None:
        """Go back to the packaged catalog ``name``: its pointer goes first (one unlink), then its file."""
        entry = self.refreshed().get(name)
        if entry is not None:
            self._pointer(name).unlink()
            (self.directory / entry.file).unlink(missing_ok=True)
        return entry

    def install(self, name: str, source: Path, today: date) -> Refreshed:
        """Copy ``source`` in (gzipped, under its hash) and point ``name`` at it; the previous file is removed."""
        self.directory.mkdir(parents=True, exist_ok=True)
        digest = _sha256(source)
        raw = source.read_bytes()
        data = raw if source.suffix == ".gz" else gzip.compress(raw, mtime=0)
        entry = Refreshed(name, f"{name}-{digest[:12]}.json.gz", digest, str(source), today.isoformat())
        previous = self.refreshed().get(name)
        _write_atomic(self.directory / entry.file, data)
        stat = source.stat()  # the copy keeps the file's date (LiteLLM's as-of date falls back to it)
        os.utime(self.directory / entry.file, (stat.st_atime, stat.st_mtime))
        _write_atomic(self._pointer(name), json.dumps(asdict(entry), indent=1).encode())
        if previous is not None and previous.file != entry.file:
            (self.directory / previous.file).unlink(missing_ok=True)
        return entry


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
