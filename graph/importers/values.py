"""The values and claims of one subject (a model or an offering) from the catalog rows placed on it.

Each field's current value is the one ``graph.precedence`` picks (for a model: the maker's API, else the value
most independent sources agree on; for a route: the newest row); where rows (or the curated value)
disagree, every value is kept as a claim with its row, package version and date; rejected values are kept as
rejected claims with the reason; a genai-prices price history becomes dated claims (announced prices unconfirmed).

>>> kebab("cachedInputPrice")
'cached-input-price'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from modelatlas.graph.importers.rows import CatalogRow, CatalogSnapshot, Rejection
from modelatlas.graph.kinds import Origin
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.precedence import Rank, Vote, consensus, consensus_set, rank, set_value, voter_of
from modelatlas.graph.records import Claim, Provenance
from modelatlas.graph.resolve.normalize import slugify
from modelatlas.graph.resolve.resolver import Resolution

__all__ = [
    "SOURCE_SLUGS",
    "PlacedRow",
    "claim_tail",
    "claimed_fields",
    "kebab",
    "merge_fields",
    "merge_listed",
    "provenance_of",
    "row_provenance",
    "row_rank",
]

SOURCE_SLUGS = {"models-dev": "models-dev-import", "genai-prices": "genai-prices-import", "litellm": "litellm-import"}


@dataclass
class PlacedRow:
    """A catalog row with where it goes: provider slug, resolution, origin, model and offering slugs."""

    row: CatalogRow
    snapshot: CatalogSnapshot
    provider: str
    resolution: Resolution
    origin: Origin = Origin.CATALOG
    model: str = ""
    offering: str = ""


def row_rank(p: PlacedRow) -> Rank:
    return rank(p.origin, p.row.as_of, p.row.citation)


def claim_tail(p: PlacedRow) -> str:
    return slugify(f"{p.row.source}--{p.row.provider_id}--{p.row.route_id}")


_ROW_DATE = object()


def row_provenance(p: PlacedRow, as_of: Any = _ROW_DATE, comment: str | None = None, unconfirmed: bool = False) -> Provenance:
    """A claim's provenance: the row's catalog, citation and date (a price-history step has its own valid-from)."""
    return Provenance((SOURCE_SLUGS.get(p.row.source, p.row.source),),
                      (f"{p.row.citation} ({p.snapshot.package} {p.snapshot.version})",),
                      as_of=p.row.as_of if as_of is _ROW_DATE else as_of, unconfirmed=unconfirmed, comment=comment)


def provenance_of(group: list[PlacedRow]) -> Provenance:
    sources = tuple(sorted({SOURCE_SLUGS.get(p.row.source, p.row.source) for p in group}))
    citations = tuple(sorted({f"{p.row.citation} ({p.snapshot.package} {p.snapshot.version})" for p in group}))
    return Provenance(sources, citations, as_of=max((p.row.as_of for p in group if p.row.as_of), default=None))


def merge_fields(subject: str, existing: Any, group: list[PlacedRow], fields: dict[str, str],
                 is_rejected: Callable[[PlacedRow, str], Rejection | None], history: bool = False, curated_claims: frozenset[str] = frozenset()) -> tuple[dict[str, Any], list[Claim], list[str]]:
    """Current values by precedence, the claims to keep, and the fields where sources disagree."""
    values: dict[str, Any] = {}
    claims: list[Claim] = []
    conflicted: list[str] = []
    subject_slug = subject.split(":", 1)[1]
    for field, prop in fields.items():
        candidates: list[tuple[Rank, Any, PlacedRow, date | None, bool, str | None]] = []  # unconfirmed, note
        rejected: list[tuple[PlacedRow, Any, Rejection]] = []
        for p in group:
            value = getattr(p.row, field)
            if value is None:
                continue
            rejection = is_rejected(p, field)
            if rejection:
                rejected.append((p, value, rejection))
                continue
            candidates.append((row_rank(p), value, p, p.row.as_of, False, None))
            if history and field in ("input_price", "output_price", "cached_input_price", "cache_write_price"):
                for point in p.row.history:
                    old = getattr(point, field)
                    if old is None or (point.valid_from and point.valid_from == _latest_start(p)):
                        continue
                    future = bool(point.valid_from and point.valid_from > p.snapshot.as_of)
                    note = (f"announced price, valid from {point.valid_from}" if future
                            else f"price history: valid from {point.valid_from or 'the first listing'}")
                    candidates.append((rank(p.origin, point.valid_from, p.row.citation), old, p, point.valid_from,
                                       True, note))
        curated_value = getattr(existing, field, None) if existing is not None else None
        live = [c for c in candidates if not c[4]]
        if subject.startswith("model:"):  # a model's facts: the maker's API, else agreement (graph.precedence)
            votes = [Vote(c[2].origin, c[1], voter_of(c[2].row.citation), c[3], c[2].row.citation) for c in live]
            chosen = consensus(votes, prop)
            winner = chosen.value if chosen is not None else None
        else:
            winner = min(live, key=lambda c: c[0])[1] if live else None
        values[field] = winner
        distinct = {_norm(c[1]) for c in live} | ({_norm(curated_value)} if curated_value is not None else set())
        has_history = any(c[4] for c in candidates)
        if len(distinct) > 1:
            conflicted.append(prop)
        if len(distinct) > 1 or has_history or rejected:
            if curated_value is not None and len(distinct) > 1 and prop not in curated_claims:
                claims.append(Claim(f"{subject_slug}--{kebab(prop)}--curated", subject, prop, curated_value,
                                    origin=Origin.CURATED, provenance=existing.provenance))
            with_history = {id(c[2]) for c in candidates if c[4]}
            for _, value, p, as_of, is_history, why in candidates:
                if not is_history and len(distinct) <= 1 and id(p) not in with_history:
                    continue
                tail = claim_tail(p) + (f"--from-{as_of.isoformat() if as_of else 'start'}" if is_history else "")
                unconfirmed = bool(is_history and why and why.startswith("announced"))
                claims.append(Claim(f"{subject_slug}--{kebab(prop)}--{tail}", subject, prop, value, origin=p.origin,
                                    provenance=row_provenance(p, as_of, why, unconfirmed),
                                    conflict="detected" if len(distinct) > 1 and not is_history else None))
            for p, value, rejection in rejected:
                claims.append(Claim(f"{subject_slug}--{kebab(prop)}--{claim_tail(p)}--rejected", subject, prop, value,
                                    rejected=True, origin=p.origin, provenance=row_provenance(p, comment=rejection.reason)))
    return values, _dedupe(claims), conflicted


#: the catalogs that list capabilities and modalities (genai-prices lists prices only: its rows do not vote)
LISTING_SOURCES = frozenset({"models-dev", "litellm"})


def merge_listed(subject: str, current: Any, group: list[PlacedRow], fields: dict[str, str], *,
                 fill: bool) -> tuple[dict[str, tuple[str, ...]], list[Claim]]:
    """Set fields (capabilities, modalities) of a model from its rows, by the set vote of ``graph.precedence``: each
    row claims its whole set; a member is in when the maker's API names it or half the independent sources do. The
    rows giving one set are one claim citing each of them (each citation one vote).

    Only fields ``current`` leaves empty get a value (a curated value is never replaced); with ``fill`` (a curated
    model) every row's set is kept as a claim, so the filled value shows its sources; otherwise claims are kept
    only where the rows disagree.
    """
    values: dict[str, tuple[str, ...]] = {}
    claims: list[Claim] = []
    slug = subject.split(":", 1)[1]
    for field, prop in fields.items():
        if current is not None and getattr(current, field):
            continue
        voting = [p for p in group if p.row.source in LISTING_SOURCES]
        votes = [Vote(p.origin, set_value(getattr(p.row, field)), voter_of(p.row.citation), p.row.as_of,
                      p.row.citation) for p in voting]
        chosen = consensus_set(votes)
        if chosen is None:
            continue
        values[field] = chosen
        distinct = {v.value for v in votes}
        if not (fill or len(distinct) > 1):
            continue
        by_value: dict[tuple[str, str], list[PlacedRow]] = defaultdict(list)
        for p, vote in zip(voting, votes):
            by_value[(str(vote.value), p.origin)].append(p)
        for (value, origin), rows in sorted(by_value.items()):
            prov = provenance_of(rows)
            claims.append(Claim(f"{slug}--{kebab(prop)}--{slugify(value)}--{origin}", subject, prop, value,
                                origin=Origin(origin), provenance=prov,
                                conflict="detected" if len(distinct) > 1 else None))
    return values, _dedupe(claims)


def claimed_fields(kg: KnowledgeGraph, subject: str) -> frozenset[str]:
    """Fields of ``subject`` that curated claims already cover (their own precedence decides those)."""
    return frozenset(c.property for c in kg.index.claims_by_subject.get(subject, ()))


def _latest_start(p: PlacedRow) -> date | None:
    started = [h.valid_from for h in p.row.history if h.valid_from and h.valid_from <= p.snapshot.as_of]
    return max(started, default=None)


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen: dict[str, Claim] = {}
    for claim in claims:
        slug, n = claim.slug, 2
        while slug in seen:
            slug, n = f"{claim.slug}--{n}", n + 1
        seen[slug] = claim if slug == claim.slug else replace(claim, slug=slug)
    return list(seen.values())


def _norm(value: Any) -> Any:
    return value.normalize() if isinstance(value, Decimal) else value


def kebab(prop: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in prop)
