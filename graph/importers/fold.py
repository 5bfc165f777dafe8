"""Batch, flex and priority route ids are price tiers of their base route, not routes of their own.

OpenRouter lists ``anthropic/claude-opus-4.1:batch`` beside ``anthropic/claude-opus-4.1``: the same model at the
batch price. Kept as a route it would win "cheapest" and skew price ratios. :func:`fold_tier_routes` turns each
such row into a tier (``PriceTier(kind="batch", ...)``, plus ``batch_input_price``/``batch_output_price`` for batch)
on the base row of the same catalog and provider; with no base row the tier row becomes the base route, with no
base price (the model is served, only at the tier's price).

>>> base = CatalogRow("genai-prices", "openrouter", "OpenRouter", "m", input_price=Decimal("2"), output_price=Decimal("8"))
>>> batch = CatalogRow("genai-prices", "openrouter", "OpenRouter", "m:batch", input_price=Decimal("1"), output_price=Decimal("4"))
>>> [(r.route_id, r.batch_input_price, r.folded_ids) for r in fold_tier_routes([base, batch])]
[('m', Decimal('1'), ('m:batch',))]
>>> base_route_id("mistralai/mistral-small-3.2:flex"), base_route_id("gpt-4o")
('mistralai/mistral-small-3.2', None)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from decimal import Decimal  # noqa: F401 (doctests)

from modelatlas.graph.importers.rows import CatalogRow
from modelatlas.graph.kinds import TierKind
from modelatlas.graph.records import PriceTier

__all__ = ["TIER_SUFFIX", "base_route_id", "fold_tier_routes"]

#: A route id ending in a processing tier: ``:batch``, ``-batch``, ``:flex``, ``:priority`` (case-insensitive).
TIER_SUFFIX = re.compile(r"[:\-](batch|flex|priority)$", re.IGNORECASE)


def base_route_id(route_id: str) -> str | None:
    """The route id without its processing-tier suffix, or None when it has none."""
    match = TIER_SUFFIX.search(route_id)
    return route_id[: match.start()] if match else None


def _tier_kind(route_id: str) -> TierKind:
    match = TIER_SUFFIX.search(route_id)
    assert match is not None
    return TierKind(match.group(1).lower())


def _with_tier(base: CatalogRow, tier_row: CatalogRow) -> CatalogRow:
    kind = _tier_kind(tier_row.route_id)
    tier = PriceTier(kind, None, tier_row.input_price, tier_row.output_price, tier_row.cached_input_price)
    tiers = tuple(t for t in base.price_tiers if t.kind != kind) + (tier,)
    changes: dict[str, object] = {"price_tiers": tiers, "folded_ids": (*base.folded_ids, tier_row.route_id)}
    if kind is TierKind.BATCH:
        changes["batch_input_price"] = tier_row.input_price
        changes["batch_output_price"] = tier_row.output_price
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _tier_only(tier_row: CatalogRow, base_id: str) -> CatalogRow:
    """A base route made from a tier row whose catalog lists no base route: no base prices, the tier kept."""
    empty = dataclasses.replace(
        tier_row, route_id=base_id, input_price=None, output_price=None, cached_input_price=None,
        cache_write_price=None, batch_input_price=None, batch_output_price=None, price_tiers=(), history=(),
    )
    return _with_tier(empty, tier_row)


def fold_tier_routes(rows: Iterable[CatalogRow]) -> list[CatalogRow]:
    """The rows with every tier route folded into its base route (same catalog, provider and base id), in order."""
    rows = list(rows)
    index: dict[tuple[str, str, str], int] = {}
    out: list[CatalogRow] = []
    tier_rows: list[tuple[CatalogRow, str]] = []
    for row in rows:
        base_id = base_route_id(row.route_id)
        if base_id is not None:
            tier_rows.append((row, base_id))
            continue
        index[(row.source, row.provider_id, row.route_id.lower())] = len(out)
        out.append(row)
    for row, base_id in tier_rows:
        key = (row.source, row.provider_id, base_id.lower())
        if key in index:
            out[index[key]] = _with_tier(out[index[key]], row)
        else:
            index[key] = len(out)
            out.append(_tier_only(row, base_id))
    return out



