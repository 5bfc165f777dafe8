"""GraphQL types and inputs of the graph queries: lineage, migration paths, alternatives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Optional

import strawberry

from modelatlas.graph.algorithms.alternatives import Alternative as AlternativeRecord
from modelatlas.graph.algorithms.compare import Checks
from modelatlas.graph.algorithms.filters import Constraints
from modelatlas.graph.algorithms.lineage import Edge as EdgeRecord
from modelatlas.graph.algorithms.migration import MigrationPath as PathRecord
from modelatlas.schema.context import Info
from modelatlas.schema.errors import bad_input, shorten
from modelatlas.schema.types import Capability, License, LineageKind, Model, ModelStatus, Offering, Provider, Source, _sources


@strawberry.enum
class LineageDirection(Enum):
    ANCESTORS = "ANCESTORS"
    DESCENDANTS = "DESCENDANTS"
    BOTH = "BOTH"


@strawberry.type(description="A lineage edge, ancestor -> descendant (for DERIVED_FROM: base -> derived).")
class LineageEdge:
    _record: strawberry.Private[EdgeRecord]

    @strawberry.field(name="from")
    def from_(self, info: Info) -> Model:
        return Model(_record=info.context.kg.models[self._record.source])

    @strawberry.field
    def to(self, info: Info) -> Model:
        return Model(_record=info.context.kg.models[self._record.target])

    @strawberry.field
    def kind(self) -> LineageKind:
        return LineageKind(self._record.kind)

    @strawberry.field
    def valid_from(self) -> Optional[date]:
        return self._record.valid_from

    @strawberry.field
    def valid_to(self) -> Optional[date]:
        return self._record.valid_to

    @strawberry.field
    def source(self, info: Info) -> Optional[Source]:
        link = self._record.link
        found = _sources(info, link.provenance.sources) if link else []
        return found[0] if found else None

    @strawberry.field
    def derivation_kind(self) -> Optional[str]:
        return self._record.link.derivation_kind if self._record.link else None

    @strawberry.field
    def unconfirmed(self) -> bool:
        return bool(self._record.link and self._record.link.provenance.unconfirmed)

    @strawberry.field(description="For ALIAS edges: the alias that moved.")
    def via_alias(self) -> Optional[str]:
        return self._record.via_alias

    @strawberry.field(description="Provider the relation is limited to, if any.")
    def scope(self, info: Info) -> Optional[Provider]:
        link = self._record.link
        return Provider(_record=info.context.kg.providers[link.scope]) if link and link.scope else None

    @strawberry.field(description="Proposed by a rule (graph.inference) from names and release dates, not curated.")
    def inferred(self) -> bool:
        return bool(self._record.link and self._record.link.inferred_by)

    @strawberry.field(description="The rule that proposed an inferred link.")
    def inferred_by(self) -> Optional[str]:
        return self._record.link.inferred_by if self._record.link else None


@strawberry.type
class Lineage:
    root: Model
    chain: list[Model]
    nodes: list[Model]
    edges: list[LineageEdge]


@strawberry.type(description="What changes in one migration step.")
class MigrationChecks:
    _record: strawberry.Private[Checks]

    @strawberry.field
    def context_before(self) -> Optional[int]:
        return self._record.context_before

    @strawberry.field
    def context_after(self) -> Optional[int]:
        return self._record.context_after

    @strawberry.field
    def input_price_before(self) -> Optional[float]:
        return _f(self._record.input_price_before)

    @strawberry.field
    def input_price_after(self) -> Optional[float]:
        return _f(self._record.input_price_after)

    @strawberry.field
    def output_price_before(self) -> Optional[float]:
        return _f(self._record.output_price_before)

    @strawberry.field
    def output_price_after(self) -> Optional[float]:
        return _f(self._record.output_price_after)

    @strawberry.field(description="Blended (3:1) price after / before; on priceProvider when both are offered there.")
    def price_ratio(self) -> Optional[float]:
        return self._record.price_ratio

    @strawberry.field
    def price_provider(self) -> Optional[Provider]:
        return Provider(_record=self._record.price_provider) if self._record.price_provider else None

    @strawberry.field
    def capabilities_gained(self, info: Info) -> list[Capability]:
        return _caps(info, self._record.capabilities_gained)

    @strawberry.field
    def capabilities_lost(self, info: Info) -> list[Capability]:
        return _caps(info, self._record.capabilities_lost)

    @strawberry.field
    def modalities_gained(self) -> list[str]:
        return list(self._record.modalities_gained)

    @strawberry.field
    def modalities_lost(self) -> list[str]:
        return list(self._record.modalities_lost)

    @strawberry.field
    def license_before(self, info: Info) -> Optional[License]:
        return _lic(info, self._record.license_before)

    @strawberry.field
    def license_after(self, info: Info) -> Optional[License]:
        return _lic(info, self._record.license_after)

    @strawberry.field
    def loses_commercial_use(self) -> bool:
        return self._record.loses_commercial_use

    @strawberry.field
    def loses_open_weights(self) -> bool:
        return self._record.loses_open_weights

    @strawberry.field
    def parameters_before(self) -> Optional[float]:
        return _f(self._record.parameters_before)

    @strawberry.field
    def parameters_after(self) -> Optional[float]:
        return _f(self._record.parameters_after)

    @strawberry.field
    def api_id_changed(self) -> bool:
        return self._record.api_id_changed

    @strawberry.field
    def target_status(self) -> ModelStatus:
        return ModelStatus(self._record.target_status)

    @strawberry.field
    def target_retirement_date(self) -> Optional[date]:
        return self._record.target_retirement_date

    @strawberry.field
    def warnings(self) -> list[str]:
        return list(self._record.warnings)


def _f(value) -> Optional[float]:
    return None if value is None else float(value)


def _caps(info: Info, slugs) -> list[Capability]:
    caps = info.context.kg.capabilities
    return [Capability(_record=caps[c]) for c in slugs if c in caps]


def _lic(info: Info, slug) -> Optional[License]:
    lic = info.context.kg.licenses.get(slug) if slug else None
    return License(_record=lic) if lic else None


@strawberry.type
class MigrationStep:
    from_: Model = strawberry.field(name="from")
    to: Model
    kind: LineageKind
    checks: MigrationChecks


@strawberry.type
class MigrationPath:
    score: float
    target: Model
    steps: list[MigrationStep]


def migration_path(record: PathRecord) -> MigrationPath:
    return MigrationPath(
        score=record.score, target=Model(_record=record.target),
        steps=[MigrationStep(from_=Model(_record=s.source), to=Model(_record=s.target), kind=LineageKind(s.kind),
                             checks=MigrationChecks(_record=s.checks)) for s in record.steps],
    )


@strawberry.type(description="A model that could replace another, and why.")
class Alternative:
    _record: strawberry.Private[AlternativeRecord]

    @strawberry.field
    def model(self) -> Model:
        return Model(_record=self._record.model)

    @strawberry.field(description="Weighted Jaccard similarity over capabilities, use cases and modalities, 0..1.")
    def score(self) -> float:
        return self._record.score

    @strawberry.field
    def shared(self, info: Info) -> list[Capability]:
        return _caps(info, self._record.shared)

    @strawberry.field
    def missing(self, info: Info) -> list[Capability]:
        return _caps(info, self._record.missing)

    @strawberry.field
    def extra(self, info: Info) -> list[Capability]:
        return _caps(info, self._record.extra)

    @strawberry.field
    def cheapest_offering(self) -> Optional[Offering]:
        return Offering(_record=self._record.cheapest_offering) if self._record.cheapest_offering else None

    @strawberry.field(description="Cheapest blended price of the alternative / of the model.")
    def price_ratio(self) -> Optional[float]:
        return self._record.price_ratio

    @strawberry.field
    def context_ratio(self) -> Optional[float]:
        return self._record.context_ratio


@strawberry.input(description="Constraints every step of a migration path must satisfy.")
class MigrationConstraints:
    keep_capabilities: Optional[list[str]] = None
    max_input_price: Optional[float] = None
    max_output_price: Optional[float] = None
    min_context: Optional[int] = None
    licenses: Optional[list[str]] = None
    osi_approved: Optional[bool] = None
    require_open_weights: bool = False
    require_commercial_use: bool = False
    provider: Optional[str] = None
    max_steps: Optional[int] = None


@strawberry.input(description="What an alternative must satisfy.")
class AlternativeCriteria:
    must_have: Optional[list[str]] = None
    max_input_price: Optional[float] = None
    max_output_price: Optional[float] = None
    min_context: Optional[int] = None
    licenses: Optional[list[str]] = None
    osi_approved: Optional[bool] = None
    open_weights: bool = False
    commercial_use: bool = False
    provider: Optional[str] = None
    live_only: bool = True
    include_same_family: bool = False


def _decimal(value: Optional[float], name: str) -> Optional[Decimal]:
    if value is None:
        return None
    if value < 0:
        raise bad_input(f"{name} must be >= 0 (USD per 1M tokens), got {value}.", name)
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise bad_input(f"{name} is not a number.", name) from exc


def _resolve_ids(info: Info, kind: str, values: Optional[list[str]], mapping, finder=None) -> frozenset[str]:
    out = set()
    for value in values or []:
        slug = finder(value) if finder else (value.lower() if value.lower() in mapping else None)
        if slug is None:
            raise bad_input(f"unknown {kind} {shorten(value)!r}; known: {', '.join(sorted(mapping))}.", kind)
        out.add(slug)
    return frozenset(out)


def _license_slug(info: Info, value: str) -> Optional[str]:
    return info.context.kg.index.license_keys.get(value.lower())


def to_constraints(info: Info, c: Optional[MigrationConstraints]) -> Constraints:
    kg = info.context.kg
    if c is None:
        return Constraints()
    if c.min_context is not None and c.min_context < 0:
        raise bad_input("minContext must be >= 0.", "minContext")
    if c.max_steps is not None and not 1 <= c.max_steps <= 25:
        raise bad_input("maxSteps must be between 1 and 25.", "maxSteps")
    return Constraints(
        keep_capabilities=_resolve_ids(info, "capability", c.keep_capabilities, kg.capabilities),
        max_input_price=_decimal(c.max_input_price, "maxInputPrice"),
        max_output_price=_decimal(c.max_output_price, "maxOutputPrice"),
        min_context=c.min_context,
        licenses=_resolve_ids(info, "license", c.licenses, kg.licenses, lambda v: _license_slug(info, v)),
        osi_approved=c.osi_approved,
        require_open_weights=c.require_open_weights,
        require_commercial_use=c.require_commercial_use,
        provider=next(iter(_resolve_ids(info, "provider", [c.provider], kg.providers))) if c.provider else None,
        max_steps=c.max_steps,
    )


def to_criteria(info: Info, c: Optional[AlternativeCriteria]) -> tuple[Constraints, bool]:
    kg = info.context.kg
    if c is None:
        return Constraints(), False
    if c.min_context is not None and c.min_context < 0:
        raise bad_input("minContext must be >= 0.", "minContext")
    return Constraints(
        keep_capabilities=_resolve_ids(info, "capability", c.must_have, kg.capabilities),
        max_input_price=_decimal(c.max_input_price, "maxInputPrice"),
        max_output_price=_decimal(c.max_output_price, "maxOutputPrice"),
        min_context=c.min_context,
        licenses=_resolve_ids(info, "license", c.licenses, kg.licenses, lambda v: _license_slug(info, v)),
        osi_approved=c.osi_approved,
        require_open_weights=c.open_weights,
        require_commercial_use=c.commercial_use,
        provider=next(iter(_resolve_ids(info, "provider", [c.provider], kg.providers))) if c.provider else None,
        live_only=c.live_only,
    ), c.include_same_family
