"""Read genai-prices' catalog from the installed ``genai-prices`` package (``genai_prices.data``, offline).

One row per provider x model record: the ids its match rule accepts, the current prices (input, output, cache
read / write, token tiers), batch / priority / flex variants, and the price history (each price with its start date).
The package carries no snapshot date; the as-of date is the newest price start date in the data that is not in the
future (a lower bound). Prices that start later (announced changes) stay in the history but are not current yet.

>>> snap = read_genai_prices()
>>> snap.source, len(snap.rows) > 2000
('genai-prices', True)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from modelatlas.graph.errors import DataError
from modelatlas.graph.importers.rows import (
    CatalogRow,
    CatalogSnapshot,
    PricePoint,
    Rejection,
    decimal_or_none,
    read_json_file,
)
from modelatlas.graph.kinds import TierKind
from modelatlas.graph.records import PriceTier

__all__ = ["SOURCE", "package_version", "read_genai_prices", "read_genai_prices_file", "rows_from_providers"]

SOURCE = "genai-prices"
PACKAGE = "genai-prices"


def package_version() -> str:
    return metadata.version(PACKAGE)


def read_genai_prices(today: date | None = None) -> CatalogSnapshot:
    """Every model record of the package's bundled data, prices current on ``today`` (default: the real date)."""
    from genai_prices.data import providers

    return rows_from_providers(providers, version=package_version(), today=today)


def read_genai_prices_file(path: Path, *, version: str | None = None, today: date | None = None) -> CatalogSnapshot:
    """The rows of a genai-prices ``data.json`` (the published provider array, ``.json`` or ``.json.gz``), parsed by
    the package's own reader. Raises DataError naming the file, the provider and model ids and the field of the
    first record the package refuses."""
    from genai_prices.types import _providers_from_raw

    doc = read_json_file(path, "genai-prices data", "providers", kind=list)
    providers: list[Any] = []
    for i, raw in enumerate(doc):
        pid = raw.get("id", f"#{i}") if isinstance(raw, dict) else f"#{i}"
        try:
            providers += _providers_from_raw([raw])
        except ValueError as exc:  # pydantic's ValidationError: find the model it is about
            models = raw.get("models") if isinstance(raw, dict) else None
            for j, model in enumerate(models if isinstance(models, list) else []):
                try:
                    _providers_from_raw([{**raw, "models": [model]}])
                except ValueError as model_exc:
                    mid = model.get("id", f"#{j}") if isinstance(model, dict) else f"#{j}"
                    raise DataError(f"{path}: provider {pid!r} model {mid!r}: {_first_error(model_exc)}") from None
            raise DataError(f"{path}: provider {pid!r}: {_first_error(exc)}") from None
    return rows_from_providers(providers, version=version or f"file {path.name}", today=today)


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        return f"field {'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)


def rows_from_providers(providers: Iterable[Any], *, version: str, today: date | None = None) -> CatalogSnapshot:
    """Rows of genai-prices ``Provider`` objects (or look-alikes). Unreadable records are rejected, not half-read."""
    rows: list[CatalogRow] = []
    rejected: list[Rejection] = []
    names: dict[str, str] = {}
    urls: dict[str, str] = {}
    starts: list[date] = []
    today = today or date.today()
    for provider in providers:
        names[provider.id] = provider.name
        if getattr(provider, "pricing_urls", None):
            urls[provider.id] = provider.pricing_urls[0]
        for model in provider.models:
            try:
                row, model_starts = _row(provider, model, today)
            except (TypeError, ValueError, AttributeError) as exc:
                rejected.append(Rejection(SOURCE, f"{provider.id}/{getattr(model, 'id', '?')}", "row", None,
                                          f"unreadable record: {exc}"))
                continue
            rows.append(row)
            starts.extend(model_starts)
    as_of = max((s for s in starts if s <= today), default=date(1970, 1, 1))
    rows = [r if r.as_of else _with_as_of(r, as_of) for r in rows]
    return CatalogSnapshot(SOURCE, PACKAGE, version, as_of, tuple(rows), names, urls, tuple(rejected))


def _with_as_of(row: CatalogRow, as_of: date) -> CatalogRow:
    from dataclasses import replace

    return replace(row, as_of=as_of)


def equals_ids(match: Any) -> list[str]:
    """The exact ids a match rule accepts (``equals`` clauses, also inside ``or``); prefix / regex rules give none."""
    if match is None:
        return []
    if hasattr(match, "equals"):
        return [match.equals]
    if hasattr(match, "or_"):
        return [i for clause in match.or_ for i in equals_ids(clause)]
    return []


def _base(value: Any) -> tuple[Decimal | None, list[tuple[int, Decimal | None]]]:
    """A price or a TieredPrices: (base, [(start tokens, price)])."""
    if value is None:
        return None, []
    if hasattr(value, "base"):
        return decimal_or_none(value.base), [(int(t.start), decimal_or_none(t.price)) for t in value.tiers]
    return decimal_or_none(value), []


def _point(prices: Any, valid_from: date | None) -> tuple[PricePoint, list[PriceTier]]:
    inp, in_tiers = _base(getattr(prices, "input_mtok", None))
    out, out_tiers = _base(getattr(prices, "output_mtok", None))
    read, _ = _base(getattr(prices, "cache_read_mtok", None))
    write, _ = _base(getattr(prices, "cache_write_mtok", None))
    tiers = []
    for start in sorted({s for s, _ in in_tiers} | {s for s, _ in out_tiers}):
        tiers.append(PriceTier(TierKind.CONTEXT, start, dict(in_tiers).get(start), dict(out_tiers).get(start), None, valid_from))
    return PricePoint(valid_from, inp, out, read, write), tiers


def _row(provider: Any, model: Any, today: date) -> tuple[CatalogRow, list[date]]:
    prices = model.prices
    history: list[PricePoint] = []
    tiers: list[PriceTier] = []
    starts: list[date] = []
    conditional = prices if isinstance(prices, list) else [None]
    for item in conditional:
        if item is None:
            point, point_tiers = _point(prices, None)
        else:
            constraint = item.constraint
            start = getattr(constraint, "start_date", None)
            if constraint is not None and start is None:  # time-of-day price: a tier, not a history step
                point, _ = _point(item.prices, None)
                tiers.append(PriceTier("time-of-day", None, point.input_price, point.output_price, point.cached_input_price))
                continue
            point, point_tiers = _point(item.prices, start)
            if start:
                starts.append(start)
        history.append(point)
        tiers = [t for t in tiers if t.kind != TierKind.CONTEXT] + point_tiers  # context tiers of the newest price
    history.sort(key=lambda p: p.valid_from or date.min)
    started = [p for p in history if p.valid_from is None or p.valid_from <= today]
    current = started[-1] if started else PricePoint(None)
    batch_in = batch_out = None
    for variant in getattr(model, "price_variants", None) or ():
        kind = variant.when.get("processing") or variant.when.get("service_tier") or next(iter(variant.when.values()), "variant")
        start = getattr(variant.constraint, "start_date", None)
        if start:
            starts.append(start)
            if start > today:
                continue  # an announced variant that has not started
        point, _ = _point(variant.prices, start)
        tiers.append(PriceTier(str(kind), None, point.input_price, point.output_price, point.cached_input_price, start))
        if kind == TierKind.BATCH:
            batch_in, batch_out = point.input_price, point.output_price
    ids = tuple(i for i in equals_ids(model.match) if i.lower() != model.id.lower())
    row = CatalogRow(
        source=SOURCE, provider_id=provider.id, provider_name=provider.name, route_id=model.id, name=model.name,
        other_ids=ids,
        input_price=current.input_price, output_price=current.output_price,
        cached_input_price=current.cached_input_price, cache_write_price=current.cache_write_price,
        batch_input_price=batch_in, batch_output_price=batch_out, price_tiers=tuple(tiers),
        history=tuple(history) if len(history) > 1 else (), context_window=model.context_window or None,
        deprecated=True if model.deprecated else None,
    )
    return row, starts
