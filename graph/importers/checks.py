"""Obvious data errors in catalog rows, caught and reported instead of imported as truth.

Each rule rejects one value of one row; the row's other values are still imported, and the rejected value is kept
as a rejected claim so it shows, with the reason, beside the current value.

* ``price-unit``: a price at least 250 times the median of the same model's other routes (a per-token price
  entered per 1k tokens, x1000), needing two other priced routes to compare with;
* ``cache-read-above-input``: a cache-read price above the same row's input price;
* ``negative-price``;
* ``release-after-snapshot``: a release date after the catalog's own as-of date;
* ``context-window``: above 100M tokens (image models' prompt limits of 77 tokens are real, so no lower bound).

>>> from decimal import Decimal as D
>>> rows = [CatalogRow("s", f"p{i}", "P", "m", input_price=D(v)) for i, v in enumerate(["0.1", "0.12", "75"])]
>>> [(r.where, r.field, r.reason.split(":")[0]) for r in find_rejections(rows, ["m", "m", "m"], date(2026, 1, 1))]
[('p2/m', 'input_price', 'price-unit')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from statistics import median
from typing import NamedTuple

from modelatlas.graph.importers.rows import CatalogRow, Rejection

__all__ = ["PRICE_FIELDS", "UNIT_ERROR_FACTOR", "find_rejections"]

PRICE_FIELDS = ("input_price", "output_price", "cached_input_price", "cache_write_price", "batch_input_price",
                "batch_output_price")
UNIT_ERROR_FACTOR = 250
_PEER_FIELDS = ("input_price", "output_price")  # compared with the same model's other routes (``price-unit``)


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

    for i, row in enumerate(rows):
        where = f"{row.provider_id}/{row.route_id}"
        others = {field: [v for j, v in peers.get((groups[i], field), ()) if j != i] for field in _PEER_FIELDS}
        snapshot = as_of.get(row.source) if isinstance(as_of, dict) else as_of
        rejections += [Rejection(row.source, where, field, value, f"{rule}: {why}")
                       for field, value, rule, why in _problems(row, others, snapshot)]
    return rejections


def _problems(row: CatalogRow, others: dict[str, list[Decimal]], snapshot: date | None) -> Iterator[_Problem]:
    """The rules of the module docstring over one row; ``others`` are the other routes' prices of its model."""
    for field in PRICE_FIELDS:
        value = getattr(row, field)
        if value is not None and value < 0:
            yield _Problem(field, value, "negative-price", "prices cannot be negative")
    for field in _PEER_FIELDS:
        value = getattr(row, field)
        peers = others[field]
        if value is not None and value > 0 and len(peers) >= 2:
            typical = median(peers)
            if value >= typical * UNIT_ERROR_FACTOR:
                yield _Problem(field, value, "price-unit",
                               f"{value} is {value / typical:.0f}x the median {typical} of {len(peers)} other routes of the model")
    if row.cached_input_price is not None and row.input_price is not None and row.cached_input_price > row.input_price:
        yield _Problem("cached_input_price", row.cached_input_price, "cache-read-above-input",
                       f"cache read {row.cached_input_price} is above input {row.input_price}")
    if row.release_date and snapshot and row.release_date > snapshot:
        yield _Problem("release_date", row.release_date.isoformat(), "release-after-snapshot",
                       f"released {row.release_date} after the catalog's as-of date {snapshot}")
    if row.context_window is not None and row.context_window > 100_000_000:
        yield _Problem("context_window", row.context_window, "context-window", "above 100M tokens")
