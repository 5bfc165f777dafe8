"""Which claim is current once imported catalogs sit beside the curated data.

The rule extends ``graph.precedence`` (README, "Which value is current") with the claim's origin in front:

1. rejected, unconfirmed and valueless claims never win;
2. curated claims (``data/``) beat imported ones; among curated claims the curated rule applies unchanged
   (maker > catalog > third party, then newest ``ma:asOf``, then id);
3. then imported rows from the maker's own API (models.dev's ``mistral`` rows for a Mistral model) beat other rows;
4. then the newest as-of date (a row's ``last_updated``, a price's valid-from date, else the snapshot date);
5. then the claim's id.

>>> from modelatlas.graph.records import Claim, Provenance
>>> from modelatlas.graph.knowledge import KnowledgeGraph
>>> kg = KnowledgeGraph.from_records(version="t", models=[])
>>> a = Claim("a", "model:m", "contextWindow", 1, origin="catalog", provenance=Provenance(as_of=date(2026, 5, 1)))
>>> b = Claim("b", "model:m", "contextWindow", 2, origin="maker_api", provenance=Provenance(as_of=date(2025, 1, 1)))
>>> current_of(kg, [a, b]).slug
'b'
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.precedence import claim_rank
from modelatlas.graph.records import Claim

__all__ = ["ORIGIN_RANK", "current_of", "is_current", "rank"]

ORIGIN_RANK = {"curated": 0, "maker_api": 1, "catalog": 2}


def rank(origin: str, as_of: date | None, ident: str) -> tuple:
    """Sort key of an imported value: lower wins (maker API first, then newest, then id).

    >>> rank("catalog", date(2026, 5, 1), "x") < rank("catalog", date(2025, 1, 1), "x")
    True
    """
    return (ORIGIN_RANK.get(origin, 3), False, 0, -(as_of.toordinal() if as_of else 0), ident)


def _key(kg: KnowledgeGraph, claim: Claim) -> tuple:
    if claim.origin == "curated":
        sources = [kg.sources[s] for s in claim.provenance.sources if s in kg.sources]
        as_of = claim.provenance.as_of or max((s.as_of for s in sources if s.as_of), default=None)
        return (0, *claim_rank([s.kind for s in sources], as_of, claim.slug, claim.provenance.unconfirmed))
    return rank(claim.origin, claim.provenance.as_of, claim.slug)


def current_of(kg: KnowledgeGraph, claims: Iterable[Claim]) -> Claim | None:
    """The winning claim of one (subject, field) group, or None when none may win."""
    candidates = [c for c in claims if not (c.rejected or c.provenance.unconfirmed or c.value is None)]
    return min(candidates, key=lambda c: _key(kg, c)) if candidates else None


def is_current(kg: KnowledgeGraph, claim: Claim) -> bool:
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ()) if c.property == claim.property]
    winner = current_of(kg, group)
    return winner is not None and winner.slug == claim.slug
