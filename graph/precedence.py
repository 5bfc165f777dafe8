"""Which of several claims about one fact is current: the one rule, for validation and for GraphQL's ``current``.

The rule (README, "Which value is current"):

1. rejected, unconfirmed and valueless claims never win (they are kept and shown);
2. the claim's origin ranks: curated (``data/``) > the maker's own API among imported rows > other imported rows;
3. among curated claims the source kind ranks: ``maker`` > ``catalog`` > ``third_party``;
4. then the newest as-of date (a curated claim's own, else its newest source's; an imported row's own date);
5. then the claim's id, so ties break the same way every time.

>>> from modelatlas.graph.records import Claim, Provenance
>>> a = Claim("a", "model:m", "contextWindow", 1, origin=Origin.CATALOG, provenance=Provenance(as_of=date(2026, 5, 1)))
>>> b = Claim("b", "model:m", "contextWindow", 2, origin=Origin.MAKER_API, provenance=Provenance(as_of=date(2025, 1, 1)))
>>> current_of({}, [a, b]).slug
'b'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from modelatlas.graph.kinds import Origin, SourceKind
from modelatlas.graph.records import Claim, Source

if TYPE_CHECKING:
    from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["ORIGIN_RANK", "SOURCE_RANK", "Rank", "current_of", "is_current", "rank"]

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
    return min(candidates, key=lambda c: _rank(sources, c)) if candidates else None


def is_current(kg: KnowledgeGraph, claim: Claim) -> bool:
    """True when ``claim`` is the winner of its (subject, property) group in ``kg``."""
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ()) if c.property == claim.property]
    winner = current_of(kg.sources, group)
    return winner is not None and winner.slug == claim.slug
