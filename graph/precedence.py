"""Which of several claims about one fact is current.

The rule (also in the README): rejected and unconfirmed claims never win (they are kept and shown); then the source kind ranks
``maker`` (the maker's own docs, API, announcement) > ``catalog`` (models.dev, LiteLLM, genai-prices, OpenRouter)
> ``third_party``; then the newest ``ma:asOf`` (the claim's, else its source's); then the claim's IRI, so ties
are broken the same way every time. Claims without a value (an "undisclosed" note) never win.
"""

from __future__ import annotations

from datetime import date

from rdflib import Graph

from modelatlas.graph.rdf_read import as_bool, as_date, many, one
from modelatlas.graph.vocab import DCTERMS, MA

__all__ = ["SOURCE_RANK", "current_claim", "claim_rank"]

SOURCE_RANK = {"maker": 0, "catalog": 1, "third_party": 2}


def claim_rank(kinds: list[str], as_of: date | None, ident: str, unconfirmed: bool = False) -> tuple:
    """Sort key: lower is better.

    >>> sorted([claim_rank(["catalog"], date(2026, 5, 1), "b"), claim_rank(["maker"], date(2025, 1, 1), "a")])[0][1]
    0
    """
    best = min((SOURCE_RANK.get(k, 3) for k in kinds), default=3)
    return (unconfirmed, best, -(as_of.toordinal() if as_of else 0), ident)


def current_claim(graph: Graph, claims: list):
    """The claim node that holds the current value, or None when no claim may win."""
    candidates = []
    for claim in claims:
        if as_bool(one(graph, claim, MA.rejected)) or as_bool(one(graph, claim, MA.unconfirmed)) or one(graph, claim, MA.value) is None:
            continue
        sources = many(graph, claim, DCTERMS.source)
        kinds = [str(one(graph, s, MA.sourceKind) or "third_party") for s in sources]
        as_of = as_date(one(graph, claim, MA.asOf)) or max(
            (d for d in (as_date(one(graph, s, MA.asOf)) for s in sources) if d), default=None
        )
        unconfirmed = bool(as_bool(one(graph, claim, MA.unconfirmed)))
        candidates.append((claim_rank(kinds, as_of, str(claim), unconfirmed), claim))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None
