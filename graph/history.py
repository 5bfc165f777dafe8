"""A route's dated prices, from every source that has them, and the price in force on a date.

The points come from the graph's claims about one offering's prices (``graph.importers.values`` keeps, per catalog
row, its current price and each step of a genai-prices price history, with its valid-from date; announced steps
are unconfirmed), from the offering's own values where no claim splits them (all its sources agree), and from the
change feed (``graph.changes``: a price one import took and a later one changed).

>>> from modelatlas.graph import load_graph
>>> kg = load_graph(imports=False, cache=False)
>>> [(p.input_price, p.cached_input_price, p.sources) for p in price_history(kg, "mistral--mistral-small-2603")]
[(None, Decimal('0.015'), ('genai-prices',)), (Decimal('0.15'), Decimal('0.015'), ('genai-prices', 'mistral-docs'))]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from modelatlas.graph.changes import ChangeKind
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Claim

__all__ = ["PRICE_PROPERTIES", "PricePoint", "price_history", "price_on"]

#: claim property -> PricePoint field
PRICE_PROPERTIES = {"inputPrice": "input_price", "outputPrice": "output_price",
                    "cachedInputPrice": "cached_input_price", "cacheWritePrice": "cache_write_price"}
_FEED_FIELDS = {"input_price", "output_price", "cached_input_price", "cache_write_price"}


@dataclass(frozen=True, slots=True)
class PricePoint:
    """The prices one source gives for a route from ``valid_from`` on (None: since its first listing, or not said)."""

    valid_from: date | None
    observed_on: date | None  # the source's date for it (the catalog row's or snapshot's as-of date)
    sources: tuple[str, ...]
    citation: str | None
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    cached_input_price: Decimal | None = None
    cache_write_price: Decimal | None = None
    announced: bool = False  # starts after the catalog's own date: announced, not yet in force there
    rejected: bool = False  # a value the import rejected as a data error


def _from_claims(claims: list[Claim], current_from: date | None, dates: Mapping[str, date | None]) -> list[PricePoint]:
    """One point per (row, price step) of the claims; a row with steps has its current price from ``current_from``."""
    points: dict[tuple[str, bool, date | None, bool], dict[str, object]] = defaultdict(dict)
    for claim in claims:
        name = PRICE_PROPERTIES.get(claim.property)
        if name is None or claim.value is None:
            continue
        step = "--from-" in claim.slug
        citation = claim.provenance.citations[0] if claim.provenance.citations else claim.slug
        key = (citation, step, claim.provenance.as_of, claim.rejected)
        entry = points[key]
        entry[name] = Decimal(str(claim.value))
        entry["announced"] = bool(claim.provenance.unconfirmed)
        entry["sources"] = claim.provenance.sources
    stepped = {citation for citation, step, _, _ in points if step}
    out = []
    for (citation, step, as_of, rejected), values in points.items():
        prices: dict[str, Decimal] = {k: v for k, v in values.items() if isinstance(v, Decimal)}
        valid_from = as_of if step else current_from if citation in stepped else None
        sources = values["sources"]
        named = tuple(sources) if isinstance(sources, tuple) else ()
        observed = None if step else as_of or next((dates[n] for n in named if dates.get(n)), None)
        out.append(PricePoint(valid_from, observed, named,
                              citation, announced=bool(values["announced"]), rejected=rejected, **prices))
    return out


def price_history(kg: KnowledgeGraph, offering_slug: str) -> list[PricePoint]:
    """Every dated price of the offering: dated steps oldest first, then undated current prices by source."""
    offering = kg.offerings[offering_slug]
    claims = [c for c in kg.index.claims_by_subject.get(f"offering:{offering_slug}", ())]
    # a row with a price history: its current price is the step that started last (the offering's priceValidFrom)
    points = _from_claims(claims, offering.price_valid_from, {slug: src.as_of for slug, src in kg.sources.items()})
    cited = {p.citation for p in points}
    uncited = [c for c in offering.provenance.citations if c not in cited]
    if uncited or not points:  # sources that agree on the offering's own values
        dated = [d for s in offering.provenance.sources if s in kg.sources and (d := kg.sources[s].as_of) is not None]
        observed = offering.provenance.as_of or offering.provenance.checked_on or max(dated, default=None)
        points.append(PricePoint(offering.price_valid_from, observed,
                                 tuple(s for s in offering.provenance.sources),
                                 "; ".join(uncited or offering.provenance.citations) or None,
                                 offering.input_price, offering.output_price, offering.cached_input_price,
                                 offering.cache_write_price))
    by_change: dict[tuple[str, str, date], dict[str, Decimal | None]] = defaultdict(dict)
    for change in kg.changes:
        if (change.kind is ChangeKind.PRICE_CHANGE and change.provider == offering.provider
                and (change.route_id or "").lower() == offering.route_id.lower() and change.field in _FEED_FIELDS):
            by_change[(change.catalog, change.previous_version, change.on)][change.field] = (
                Decimal(change.before) if change.before is not None else None)
    for (catalog, version, on), before in by_change.items():  # the price an earlier import took, until it changed
        points.append(PricePoint(None, None, (f"{catalog}-import",), f"{catalog} {version} (until {on})",
                                 before.get("input_price"), before.get("output_price"),
                                 before.get("cached_input_price"), before.get("cache_write_price")))
    points = [p if p.sources else replace(p, sources=offering.provenance.sources) for p in points]
    return sorted(points, key=lambda p: (p.valid_from is not None, p.valid_from or date.min, p.citation or ""))


def price_on(kg: KnowledgeGraph, offering_slug: str, day: date) -> PricePoint | None:
    """The price in force on ``day`` where the history allows: the newest dated step that started by then; before
    the first step, the price its source listed before the steps (a genai-prices first listing); with no steps, a
    current price whose source's date (a models.dev row's last update, a catalog's as-of date) is on or before
    ``day`` (the oldest such: unchanged since then); else None."""
    history = [p for p in price_history(kg, offering_slug) if not p.rejected]
    started = [p for p in history if p.valid_from is not None and p.valid_from <= day]
    if started:
        return max(started, key=lambda p: p.valid_from or date.min)
    dated = [p for p in history if p.valid_from is not None]
    if dated:  # before the first dated step: the price its source lists before the steps (from the first listing)
        stepped = {p.citation for p in dated}
        first = [p for p in history if p.valid_from is None and p.citation in stepped]
        return first[0] if first else None
    current = [p for p in history if p.valid_from is None and not p.announced and p.input_price is not None
               and p.observed_on is not None and p.observed_on <= day]  # unchanged since the source's date
    return min(current, key=lambda p: p.observed_on or day) if current else None
