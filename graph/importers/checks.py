"""Obvious data errors in catalog rows, caught and reported instead of imported as truth.

Each rule rejects one value of one row; the row's other values are still imported, and the rejected value is kept
as a rejected claim so it shows, with the reason, beside the current value.

* ``price-outlier``: an input or output price at least 20 times, or at most 1/20 of, the median of the same model's
  paid routes, when it has at least three (helicone's $20 input for mistral-nemo against a median of $0.15);
* ``provider-unit``: every price of a provider whose prices are, at the median, over 300 times (or under 1/300 of)
  the other providers' routes of the same models, on at least three comparable prices: a unit error (per 1k tokens,
  or per token) that the per-row rule cannot see where a model has few routes;
* ``cache-read-above-input``: a cache-read price above the same row's input price;
* ``negative-price``;
* ``release-after-snapshot``: a release date after the catalog's own as-of date;
* ``context-window``: above 100M tokens (image models' prompt limits of 77 tokens are real, so no lower bound).

>>> from decimal import Decimal as D
>>> rows = [CatalogRow("s", f"p{i}", "P", "m", input_price=D(v)) for i, v in enumerate(["0.1", "0.12", "75"])]
>>> [(r.where, r.field, r.reason.split(":")[0]) for r in find_rejections(rows, ["m", "m", "m"], date(2026, 1, 1))]
[('p2/m', 'input_price', 'price-outlier')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from statistics import median
from typing import NamedTuple

from modelatlas.graph.importers.rows import CatalogRow, Rejection

__all__ = ["OUTLIER_FACTOR", "PRICE_FIELDS", "PROVIDER_UNIT_FACTOR", "find_rejections"]

PRICE_FIELDS = ("input_price", "output_price", "cached_input_price", "cache_write_price", "batch_input_price",
                "batch_output_price")
OUTLIER_FACTOR = Decimal(20)
PROVIDER_UNIT_FACTOR = Decimal(300)
_PEER_FIELDS = ("input_price", "output_price")  # compared with the same model's other routes


class _Problem(NamedTuple):
    field: str
    value: object
    rule: str
    why: str


def find_rejections(rows: Sequence[CatalogRow], groups: Sequence[str], as_of: date | dict[str, date]) -> list[Rejection]:
    """Every rejected value of ``rows``; ``groups[i]`` names the model row ``i`` resolved to (peers for the price rule).

    ``as_of`` is the snapshot date, or a map source -> snapshot date.
    """
    rejections: list[Rejection] = []
    peers: dict[tuple[str, str], list[tuple[int, Decimal]]] = defaultdict(list)
    for i, row in enumerate(rows):
        for field in _PEER_FIELDS:
            value = getattr(row, field)
            if value is not None and value > 0:
                peers[(groups[i], field)].append((i, value))

    unit_off = _providers_off_by_a_unit(rows, groups, peers)
    for i, row in enumerate(rows):
        where = f"{row.provider_id}/{row.route_id}"
        routes = {field: [v for _, v in peers.get((groups[i], field), ())] for field in _PEER_FIELDS}
        snapshot = as_of.get(row.source) if isinstance(as_of, dict) else as_of
        off = unit_off.get((row.source, row.provider_id))
        rejections += [Rejection(row.source, where, field, value, f"{rule}: {why}")
                       for field, value, rule, why in _problems(row, routes, snapshot, off)]
    return rejections


def _providers_off_by_a_unit(rows: Sequence[CatalogRow], groups: Sequence[str],
                             peers: dict[tuple[str, str], list[tuple[int, Decimal]]]) -> dict[tuple[str, str], Decimal]:
    """(catalog, provider id) -> the median ratio of its prices to the other providers' medians, for providers off
    by more than ``PROVIDER_UNIT_FACTOR`` on at least three comparable prices."""
    ratios: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for i, row in enumerate(rows):
        for field in _PEER_FIELDS:
            value = getattr(row, field)
            others = [v for j, v in peers.get((groups[i], field), ()) if rows[j].provider_id != row.provider_id]
            if value is not None and value > 0 and len(others) >= 2:
                ratios[(row.source, row.provider_id)].append(value / median(others))
    out: dict[tuple[str, str], Decimal] = {}
    for provider, found in ratios.items():
        typical = median(found) if len(found) >= 3 else Decimal(1)
        if typical >= PROVIDER_UNIT_FACTOR or typical * PROVIDER_UNIT_FACTOR <= 1:
            out[provider] = typical
    return out


def _problems(row: CatalogRow, routes: dict[str, list[Decimal]], snapshot: date | None,
              provider_ratio: Decimal | None) -> Iterator[_Problem]:
    """The rules of the module docstring over one row; ``routes`` are the paid routes' prices of its model (this one
    included), ``provider_ratio`` is set when the row's provider is off by a unit."""
    for field in PRICE_FIELDS:
        value = getattr(row, field)
        if value is not None and value < 0:
            yield _Problem(field, value, "negative-price", "prices cannot be negative")
    for field in _PEER_FIELDS:
        value = getattr(row, field)
        if value is None or value <= 0:
            continue
        if provider_ratio is not None:
            yield _Problem(field, value, "provider-unit",
                           f"{row.provider_id}'s prices are {provider_ratio:.4g}x other providers' for the same models")
            continue
        peers = routes[field]
        if len(peers) >= 3:
            typical = median(peers)
            if value >= typical * OUTLIER_FACTOR or value * OUTLIER_FACTOR <= typical:
                yield _Problem(field, value, "price-outlier",
                               f"{value} is {value / typical:.3g}x the median {typical} of the model's {len(peers)} paid routes")
    if row.cached_input_price is not None and row.input_price is not None and row.cached_input_price > row.input_price:
        yield _Problem("cached_input_price", row.cached_input_price, "cache-read-above-input",
                       f"cache read {row.cached_input_price} is above input {row.input_price}")
    if row.release_date and snapshot and row.release_date > snapshot:
        yield _Problem("release_date", row.release_date.isoformat(), "release-after-snapshot",
                       f"released {row.release_date} after the catalog's as-of date {snapshot}")
    if row.context_window is not None and row.context_window > 100_000_000:
        yield _Problem("context_window", row.context_window, "context-window", "above 100M tokens")
