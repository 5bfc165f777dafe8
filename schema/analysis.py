"""GraphQL types and inputs of the graph queries: lineage, migration paths, alternatives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum

import strawberry

from modelatlas.graph.algorithms.alternatives import Alternative as AlternativeRecord
from modelatlas.graph.algorithms.compare import Checks
from modelatlas.graph.algorithms.filters import Constraints
from modelatlas.graph.algorithms.lineage import Edge as EdgeRecord
from modelatlas.graph.algorithms.migration import MigrationStep as StepRecord
from modelatlas.graph.records import (
    Capability as CapabilityRecord,
    License as LicenseRecord,
    Model as ModelRecord,
    Offering as OfferingRecord,
    Provider as ProviderRecord,
    Source as SourceRecord,
)
from modelatlas.schema.context import Info
from modelatlas.schema.errors import bad_input, shorten
from modelatlas.schema.types import (
    Capability,
    License,
    LineageKind,
    Model,
    ModelStatus,
    Offering,
    Provider,
    Source,
    capabilities,
    computed,
    field,
    read,
    source_of,
    view,
)


@strawberry.enum
class LineageDirection(Enum):
    ANCESTORS = "ANCESTORS"
    DESCENDANTS = "DESCENDANTS"
    BOTH = "BOTH"


def _edge_from(root: EdgeRecord, info: Info) -> ModelRecord:
    return info.context.kg.models[root.source]


def _edge_to(root: EdgeRecord, info: Info) -> ModelRecord:
    return info.context.kg.models[root.target]


def _edge_source(root: EdgeRecord, info: Info) -> SourceRecord | None:
    return source_of(root.link, info) if root.link else None


def _derivation_kind(root: EdgeRecord) -> str | None:
    return root.link.derivation_kind if root.link else None


def _edge_unconfirmed(root: EdgeRecord) -> bool:
    return bool(root.link and root.link.provenance.unconfirmed)


def _edge_scope(root: EdgeRecord, info: Info) -> ProviderRecord | None:
    return info.context.kg.providers[root.link.scope] if root.link and root.link.scope else None


def _inferred(root: EdgeRecord) -> bool:
    return bool(root.link and root.link.inferred_by)


def _inferred_by(root: EdgeRecord) -> str | None:
    return root.link.inferred_by if root.link else None


@view(description="A lineage edge, ancestor -> descendant (for DERIVED_FROM: base -> derived).")
class LineageEdge:
    from_: ModelRecord = field(resolver=_edge_from, name="from", graphql_type=Model)
    to: ModelRecord = field(resolver=_edge_to, graphql_type=Model)
    kind: LineageKind
    valid_from: date | None
    valid_to: date | None
    source: SourceRecord | None = field(resolver=_edge_source, graphql_type=Source | None)
    derivation_kind: str | None = computed(_derivation_kind)
    unconfirmed: bool = computed(_edge_unconfirmed)
    via_alias: str | None = read(description="For ALIAS edges: the alias that moved.")
    scope: ProviderRecord | None = field(resolver=_edge_scope, graphql_type=Provider | None,
                                            description="Provider the relation is limited to, if any.")
    inferred: bool = computed(_inferred, description="Proposed by a rule (graph.inference) from names and "
                           "release dates, not curated.")
    inferred_by: str | None = computed(_inferred_by, description="The rule that proposed an inferred link.")


@view()
class Lineage:
    root: ModelRecord = read(graphql_type=Model)
    chain: list[ModelRecord] = read(graphql_type=list[Model])
    nodes: list[ModelRecord] = read(graphql_type=list[Model])
    edges: list[EdgeRecord] = read(graphql_type=list[LineageEdge])


def _gained(root: Checks, info: Info) -> list[CapabilityRecord]:
    return capabilities(info, root.capabilities_gained)


def _lost(root: Checks, info: Info) -> list[CapabilityRecord]:
    return capabilities(info, root.capabilities_lost)


def _license_named(info: Info, slug: str | None) -> LicenseRecord | None:
    return info.context.kg.licenses.get(slug) if slug else None


def _license_before(root: Checks, info: Info) -> LicenseRecord | None:
    return _license_named(info, root.license_before)


def _license_after(root: Checks, info: Info) -> LicenseRecord | None:
    return _license_named(info, root.license_after)


@view(description="What changes in one migration step.")
class MigrationChecks:
    context_before: int | None
    context_after: int | None
    input_price_before: float | None
    input_price_after: float | None
    output_price_before: float | None
    output_price_after: float | None
    price_ratio: float | None = read(
        description="Blended (3:1) price after / before; on priceProvider when both are offered there.")
    price_provider: ProviderRecord | None = read(graphql_type=Provider | None)
    capabilities_gained: list[CapabilityRecord] = field(resolver=_gained, graphql_type=list[Capability])
    capabilities_lost: list[CapabilityRecord] = field(resolver=_lost, graphql_type=list[Capability])
    modalities_gained: list[str]
    modalities_lost: list[str]
    license_before: LicenseRecord | None = field(resolver=_license_before, graphql_type=License | None)
    license_after: LicenseRecord | None = field(resolver=_license_after, graphql_type=License | None)
    loses_commercial_use: bool
    loses_open_weights: bool
    parameters_before: float | None
    parameters_after: float | None
    api_id_changed: bool
    target_status: ModelStatus
    target_retirement_date: date | None
    warnings: list[str]


@view()
class MigrationStep:
    source: ModelRecord = read(name="from", graphql_type=Model)
    target: ModelRecord = read(name="to", graphql_type=Model)
    kind: LineageKind
    checks: Checks = read(graphql_type=MigrationChecks)


@view()
class MigrationPath:
    score: float
    target: ModelRecord = read(graphql_type=Model)
    steps: list[StepRecord] = read(graphql_type=list[MigrationStep])


def _shared(root: AlternativeRecord, info: Info) -> list[CapabilityRecord]:
    return capabilities(info, root.shared)


def _missing(root: AlternativeRecord, info: Info) -> list[CapabilityRecord]:
    return capabilities(info, root.missing)


def _extra(root: AlternativeRecord, info: Info) -> list[CapabilityRecord]:
    return capabilities(info, root.extra)


@view(description="A model that could replace another, and why.")
class Alternative:
    model: ModelRecord = read(graphql_type=Model)
    score: float = read(description="Weighted Jaccard similarity over capabilities, use cases and modalities, 0..1.")
    shared: list[CapabilityRecord] = field(resolver=_shared, graphql_type=list[Capability])
    missing: list[CapabilityRecord] = field(resolver=_missing, graphql_type=list[Capability])
    extra: list[CapabilityRecord] = field(resolver=_extra, graphql_type=list[Capability])
    cheapest_offering: OfferingRecord | None = read(graphql_type=Offering | None)
    price_ratio: float | None = read(description="Cheapest blended price of the alternative / of the model.")
    context_ratio: float | None


@strawberry.input(description="Constraints every step of a migration path must satisfy.")
class MigrationConstraints:
    keep_capabilities: list[str] | None = None
    max_input_price: float | None = None
    max_output_price: float | None = None
    min_context: int | None = None
    licenses: list[str] | None = None
    osi_approved: bool | None = None
    require_open_weights: bool = False
    require_commercial_use: bool = False
    provider: str | None = None
    max_steps: int | None = None


@strawberry.input(description="What an alternative must satisfy.")
class AlternativeCriteria:
    must_have: list[str] | None = None
    max_input_price: float | None = None
    max_output_price: float | None = None
    min_context: int | None = None
    licenses: list[str] | None = None
    osi_approved: bool | None = None
    open_weights: bool = False
    commercial_use: bool = False
    provider: str | None = None
    live_only: bool = True
    include_same_family: bool = False


def _decimal(value: float | None, name: str) -> Decimal | None:
    if value is None:
        return None
    if value < 0:
        raise bad_input(f"{name} must be >= 0 (USD per 1M tokens), got {value}.", name)
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise bad_input(f"{name} is not a number.", name) from exc


def _resolve_ids(kind: str, values: list[str] | None, mapping: Mapping[str, object],
                 finder: Callable[[str], str | None] | None = None) -> frozenset[str]:
    out = set()
    for value in values or []:
        slug = finder(value) if finder else (value.lower() if value.lower() in mapping else None)
        if slug is None:
            raise bad_input(f"unknown {kind} {shorten(value)!r}; known: {', '.join(sorted(mapping))}.", kind)
        out.add(slug)
    return frozenset(out)


def _constraints(info: Info, c: MigrationConstraints | AlternativeCriteria, capabilities: list[str] | None,
                 open_weights: bool, commercial_use: bool, max_steps: int | None = None,
                 live_only: bool = True) -> Constraints:
    """The constraints both inputs describe, under their own field names (the SDL keeps both inputs)."""
    kg = info.context.kg
    if c.min_context is not None and c.min_context < 0:
        raise bad_input("minContext must be >= 0.", "minContext")
    if max_steps is not None and not 1 <= max_steps <= 25:
        raise bad_input("maxSteps must be between 1 and 25.", "maxSteps")
    return Constraints(
        keep_capabilities=_resolve_ids("capability", capabilities, kg.capabilities),
        max_input_price=_decimal(c.max_input_price, "maxInputPrice"),
        max_output_price=_decimal(c.max_output_price, "maxOutputPrice"),
        min_context=c.min_context,
        licenses=_resolve_ids("license", c.licenses, kg.licenses, lambda v: kg.index.license_keys.get(v.lower())),
        osi_approved=c.osi_approved,
        require_open_weights=open_weights,
        require_commercial_use=commercial_use,
        provider=next(iter(_resolve_ids("provider", [c.provider], kg.providers))) if c.provider else None,
        live_only=live_only,
        max_steps=max_steps,
    )


def to_constraints(info: Info, c: MigrationConstraints | None) -> Constraints:
    if c is None:
        return Constraints()
    return _constraints(info, c, c.keep_capabilities, c.require_open_weights, c.require_commercial_use,
                        max_steps=c.max_steps)


def to_criteria(info: Info, c: AlternativeCriteria | None) -> tuple[Constraints, bool]:
    """The constraints, and whether models of the same family count."""
    if c is None:
        return Constraints(), False
    return _constraints(info, c, c.must_have, c.open_weights, c.commercial_use,
                        live_only=c.live_only), c.include_same_family
