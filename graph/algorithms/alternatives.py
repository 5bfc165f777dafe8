"""Alternatives to a model, ranked by ``graph.similarity.similarity``.

score = (1.0·|shared capabilities| + 2.0·|shared suited-for use cases| + 0.5·|shared modalities|)
        / (the same weights over the unions); the weights are ``graph.similarity.WEIGHTS``.
Ties are broken by larger context, then lower blended price, then slug. Candidates come best first from the
signature index (``graph.similarity``: models grouped by identical features, scored once per group, groups
visited by their best possible score), never from a scan of every model; the walk stops after ``first`` results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from modelatlas.graph.algorithms.filters import NO_CONSTRAINTS, Constraints, license_unknown, satisfies
from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.kinds import ResolutionStatus
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Model, Offering

__all__ = ["Alternative", "alternatives"]


@dataclass(frozen=True)
class Alternative:
    model: Model
    score: float
    shared: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    cheapest_offering: Offering | None
    price_ratio: float | None
    context_ratio: float | None


def alternative_to(kg: KnowledgeGraph, model: Model, cand: Model, score: float, base_price: float | None,
                   today: date) -> Alternative:
    """``cand`` as an alternative to ``model``: shared, missing and extra capabilities, its cheapest live route, and
    its price and context against the model's (``base_price``: the model's blended price). One place for every
    ranking that finds candidates (in memory, or pushed down to a SPARQL store)."""
    offer = next(iter(kg.live_offerings(cand.slug, today)), None)
    price = offer.blended_price() if offer else None
    return Alternative(
        model=cand, score=score,
        shared=tuple(sorted(set(model.capabilities) & set(cand.capabilities))),
        missing=tuple(sorted(set(model.capabilities) - set(cand.capabilities))),
        extra=tuple(sorted(set(cand.capabilities) - set(model.capabilities))),
        cheapest_offering=offer,
        price_ratio=round(price / base_price, 4) if price is not None and base_price else None,
        context_ratio=round(cand.context_window / model.context_window, 4)
        if cand.context_window and model.context_window else None,
    )


def alternatives(
    kg: KnowledgeGraph,
    model_slug: str,
    criteria: Constraints = NO_CONSTRAINTS,
    *,
    today: date,
    first: int = 10,
    include_same_family: bool = False,
    unknown_license: list[str] | None = None,
    matches: Iterable[tuple[float, str]] | None = None,
) -> list[Alternative]:
    """Models that could replace ``model_slug``, best first (see the module docstring for the score).

    ``criteria.keep_capabilities`` are the must-have capabilities. The model itself is never included, and
    its own family only when ``include_same_family``. Candidates examined and left out only because their license
    is unknown (a license condition cannot be decided) are appended to ``unknown_license``. ``matches`` are the
    ranked candidates (score, slug), by default the snapshot's signature index; a store gives its own.
    Raises NotFoundError for an unknown model.
    """
    model = kg.models.get(model_slug)
    if model is None:
        raise NotFoundError("model", model_slug)
    base_offer = next(iter(kg.offerings_of(model.slug)), None)  # its last price, retired or not: what it costs now
    base_price = base_offer.blended_price() if base_offer else None
    results: list[Alternative] = []
    if first <= 0:
        return results
    if matches is None:
        matches = kg.index.similarity.matches(model, criteria.keep_capabilities)
    for score, slug in matches:
        cand = kg.models.get(slug)
        if cand is None:
            continue
        if slug == model.slug or (not include_same_family and model.family and cand.family == model.family):
            continue
        if cand.resolution == ResolutionStatus.UNRESOLVED:
            continue  # a route no rule could identify is never recommended
        if not satisfies(kg, cand, criteria, today):
            if unknown_license is not None and license_unknown(kg, cand, criteria, today):
                unknown_license.append(slug)
            continue
        results.append(alternative_to(kg, model, cand, score, base_price, today))
        if len(results) == first:  # matches come best first: the rest cannot rank higher
            break
    results.sort(key=lambda a: (
        -a.score, -(a.model.context_window or 0),
        a.cheapest_offering.blended_price() if a.cheapest_offering and a.cheapest_offering.blended_price() is not None else float("inf"),
        a.model.slug,
    ))
    return results[:first]
