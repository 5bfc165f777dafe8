"""Constraints on a candidate model, shared by migration paths and alternatives.

License conditions are three-valued: a model whose license is unknown meets neither ``osi_approved=True`` nor
``osi_approved=False`` (nor a license list, nor commercial use); :func:`license_unknown` tells a caller that such a
model was left out for that reason only, so an answer can say how many unknowns it did not count.

>>> from modelatlas.graph.records import Model
>>> kg = KnowledgeGraph.from_records(version="t", models=[Model("m", "M", "o", "active")])
>>> c = Constraints(osi_approved=False, live_only=False)
>>> satisfies(kg, kg.models["m"], c, date(2026, 1, 1)), license_unknown(kg, kg.models["m"], c, date(2026, 1, 1))
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Final

from modelatlas.graph.kinds import Status
from modelatlas.graph.knowledge import KnowledgeGraph, effective_status
from modelatlas.graph.records import Model, Offering

__all__ = ["NO_CONSTRAINTS", "Constraints", "asks_license", "license_unknown", "priced_offering", "satisfies"]


@dataclass(frozen=True)
class Constraints:
    """What a candidate must satisfy; every field is optional."""

    keep_capabilities: frozenset[str] = frozenset()
    max_input_price: Decimal | None = None
    max_output_price: Decimal | None = None
    min_context: int | None = None
    licenses: frozenset[str] = frozenset()
    osi_approved: bool | None = None
    require_open_weights: bool = False
    require_commercial_use: bool = False
    provider: str | None = None
    live_only: bool = True
    max_steps: int | None = None
    any_route: bool = False  # price limits hold on some route (on ``provider``), not on the priced one


NO_CONSTRAINTS: Final = Constraints()  # the default of every function that takes constraints


def priced_offering(kg: KnowledgeGraph, model: Model, provider: str | None, today: date) -> Offering | None:
    """The route a price limit applies to: on ``provider`` when one is given, else the cheapest route (retired
    routes never count)."""
    for offering in kg.live_offerings(model.slug, today):
        if provider is None or offering.provider == provider:
            return offering
    return None


def satisfies(kg: KnowledgeGraph, model: Model, c: Constraints, today: date, check_live: bool = True) -> bool:
    """True when ``model`` meets every constraint in ``c``."""
    if c.keep_capabilities and not c.keep_capabilities <= set(model.capabilities):
        return False
    if c.min_context is not None and (model.context_window or 0) < c.min_context:
        return False
    if c.licenses and (model.license or "") not in c.licenses:
        return False
    lic = kg.licenses.get(model.license) if model.license else None
    if c.osi_approved is not None and (lic is None or lic.osi_approved != c.osi_approved):
        return False  # unknown is neither OSI nor not-OSI
    if c.require_open_weights and not model.open_weights:
        return False
    if c.require_commercial_use and not (lic and lic.commercial_use):
        return False
    if c.provider is not None and not any(o.provider == c.provider for o in kg.live_offerings(model.slug, today)):
        return False  # no route on that provider, or only a retired one
    if check_live and c.live_only and effective_status(model, today) != Status.ACTIVE:
        return False
    if c.max_input_price is not None or c.max_output_price is not None:
        if c.any_route:
            routes = [o for o in kg.live_offerings(model.slug, today) if c.provider is None or o.provider == c.provider]
        else:
            priced = priced_offering(kg, model, c.provider, today)
            routes = [priced] if priced else []
        if not any(_within_prices(o, c) for o in routes):
            return False
    return True


def asks_license(c: Constraints) -> bool:
    """True when ``c`` has a condition only a known license can meet."""
    return bool(c.licenses) or c.osi_approved is not None or c.require_commercial_use


def license_unknown(kg: KnowledgeGraph, model: Model, c: Constraints, today: date, check_live: bool = True) -> bool:
    """True when ``model`` fails ``c`` only because its license is unknown: it would meet every other condition."""
    if not asks_license(c) or (model.license and model.license in kg.licenses):
        return False
    rest = replace(c, licenses=frozenset(), osi_approved=None, require_commercial_use=False)
    return satisfies(kg, model, rest, today, check_live)


def _within_prices(offering: Offering, c: Constraints) -> bool:
    return ((c.max_input_price is None or (offering.input_price is not None and offering.input_price <= c.max_input_price))
            and (c.max_output_price is None
                 or (offering.output_price is not None and offering.output_price <= c.max_output_price)))
