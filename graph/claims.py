"""Claims over records: which claim of a (subject, field) group is current (same rule as ``graph.precedence``)."""

from __future__ import annotations

from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.precedence import claim_rank
from modelatlas.graph.records import Claim

__all__ = ["current_of", "is_current"]


def current_of(kg: KnowledgeGraph, claims: list[Claim]) -> Claim | None:
    """The winning claim of one group, or None when none may win (all rejected or valueless)."""
    candidates = []
    for claim in claims:
        if claim.rejected or claim.provenance.unconfirmed or claim.value is None:
            continue
        sources = [kg.sources[s] for s in claim.provenance.sources if s in kg.sources]
        as_of = claim.provenance.as_of or max((s.as_of for s in sources if s.as_of), default=None)
        candidates.append((claim_rank([s.kind for s in sources], as_of, claim.slug, claim.provenance.unconfirmed), claim))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def is_current(kg: KnowledgeGraph, claim: Claim) -> bool:
    group = [c for c in kg.index.claims_by_subject.get(claim.subject, ()) if c.property == claim.property]
    winner = current_of(kg, group)
    return winner is not None and winner.slug == claim.slug
