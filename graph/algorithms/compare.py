"""What changes between two models: the per-step migration checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from modelatlas.graph.kinds import Status
from modelatlas.graph.knowledge import KnowledgeGraph, effective_status
from modelatlas.graph.records import Model, Offering, Provider

__all__ = ["Checks", "migration_checks", "reference_offerings"]


@dataclass(frozen=True)
class Checks:
    context_before: int | None
    context_after: int | None
    input_price_before: Decimal | None
    input_price_after: Decimal | None
    output_price_before: Decimal | None
    output_price_after: Decimal | None
    price_ratio: float | None
    price_provider: Provider | None
    capabilities_gained: tuple[str, ...]
    capabilities_lost: tuple[str, ...]
    modalities_gained: tuple[str, ...]
    modalities_lost: tuple[str, ...]
    license_before: str | None
    license_after: str | None
    loses_commercial_use: bool
    loses_open_weights: bool
    parameters_before: Decimal | None
    parameters_after: Decimal | None
    api_id_changed: bool
    target_status: str
    target_retirement_date: date | None
    warnings: tuple[str, ...]


def reference_offerings(kg: KnowledgeGraph, before: Model, after: Model,
                        today: date) -> tuple[Offering | None, Offering | None, bool]:
    """The routes to compare prices on: the same provider when both models are offered there
    (the provider where the old model is cheapest), else each model's cheapest route. The flag says "same provider".
    The new model's retired routes never count; the old model's do (its last price is what a migration leaves)."""
    old = [o for o in kg.offerings_of(before.slug) if o.blended_price() is not None]
    live = [o for o in kg.live_offerings(after.slug, today) if o.blended_price() is not None]
    new = {o.provider: o for o in reversed(live)}
    for offering in old:
        if offering.provider in new:
            return offering, new[offering.provider], True
    cheapest_new = next(iter(live), None)
    return (old[0] if old else None), cheapest_new, False


def _ratio(before: Offering | None, after: Offering | None) -> float | None:
    if not before or not after:
        return None
    a, b = before.blended_price(), after.blended_price()
    if a is None or b is None or a == 0:
        return None
    return round(b / a, 4)


def _modalities(model: Model) -> set[str]:
    return {f"input:{m}" for m in model.input_modalities} | {f"output:{m}" for m in model.output_modalities}


def migration_checks(kg: KnowledgeGraph, before: Model, after: Model, today: date) -> Checks:
    """Everything gained or lost by moving from ``before`` to ``after``, with warnings in plain words."""
    old_offer, new_offer, same_provider = reference_offerings(kg, before, after, today)
    ratio = _ratio(old_offer, new_offer)
    gained = tuple(sorted(set(after.capabilities) - set(before.capabilities)))
    lost = tuple(sorted(set(before.capabilities) - set(after.capabilities)))
    mods_gained = tuple(sorted(_modalities(after) - _modalities(before)))
    mods_lost = tuple(sorted(_modalities(before) - _modalities(after)))
    lic_before = kg.licenses.get(before.license) if before.license else None
    lic_after = kg.licenses.get(after.license) if after.license else None
    loses_commercial = bool(lic_before and lic_before.commercial_use) and not (lic_after and lic_after.commercial_use)
    loses_weights = bool(before.open_weights) and not after.open_weights
    status = effective_status(after, today)

    warnings = []
    for cap in lost:
        warnings.append(f"loses {kg.capabilities[cap].name if cap in kg.capabilities else cap}")
    for mod in mods_lost:
        kind, name = mod.split(":")
        warnings.append("loses vision" if mod == "input:image" else f"loses {name} {kind}")
    if before.context_window and after.context_window and after.context_window < before.context_window:
        warnings.append(f"context shrinks from {before.context_window:,} to {after.context_window:,} tokens")
    if ratio is not None and ratio > 1:
        where = kg.providers[new_offer.provider].name if same_provider and new_offer else "the cheapest route"
        warnings.append(f"price x{ratio:g} on {where}")
    if old_offer is None or new_offer is None:
        warnings.append("price comparison unavailable: no priced route for " + ("the old model" if old_offer is None else "the target"))
    if loses_commercial:
        warnings.append("loses commercial use under its license")
    if loses_weights:
        warnings.append("loses open weights")
    if lic_before and lic_after and lic_before.slug != lic_after.slug and not loses_commercial:
        warnings.append(f"license changes from {lic_before.name} to {lic_after.name}")
    if status != Status.ACTIVE:
        when = f" (retires {after.retirement_date.isoformat()})" if after.retirement_date else ""
        warnings.append(f"target is {status}{when}")

    return Checks(
        context_before=before.context_window, context_after=after.context_window,
        input_price_before=old_offer.input_price if old_offer else None,
        input_price_after=new_offer.input_price if new_offer else None,
        output_price_before=old_offer.output_price if old_offer else None,
        output_price_after=new_offer.output_price if new_offer else None,
        price_ratio=ratio,
        price_provider=kg.providers.get(new_offer.provider) if (same_provider and new_offer) else None,
        capabilities_gained=gained, capabilities_lost=lost,
        modalities_gained=mods_gained, modalities_lost=mods_lost,
        license_before=before.license, license_after=after.license,
        loses_commercial_use=loses_commercial, loses_open_weights=loses_weights,
        parameters_before=before.parameters, parameters_after=after.parameters,
        api_id_changed=set(before.api_ids) != set(after.api_ids),
        target_status=status, target_retirement_date=after.retirement_date,
        warnings=tuple(warnings),
    )
