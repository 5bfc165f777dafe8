"""The root Query: look-ups, lists with filters and pagination, search, and the graph queries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar, cast

import strawberry

from modelatlas.graph.algorithms.aliases import resolve_alias
from modelatlas.graph.algorithms.alternatives import Alternative as AlternativeRecord, alternatives as find_alternatives
from modelatlas.graph.algorithms.filters import Constraints, license_unknown, satisfies
from modelatlas.graph.algorithms.lineage import ALL_KINDS, MAX_DEPTH, Lineage as LineageRecord
from modelatlas.graph.algorithms.migration import MigrationPath as PathRecord, migration_paths as find_paths
from modelatlas.graph.algorithms.search import search as run_search
from modelatlas.graph.changes import Change as ChangeRecord
from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.families import ambiguity, family_members, family_named
from modelatlas.graph.kinds import ResolutionStatus
from modelatlas.graph.knowledge import KnowledgeGraph, effective_status
from modelatlas.graph.memo import per_snapshot
from modelatlas.graph.records import (
    Capability as CapabilityRecord,
    Family as FamilyRecord,
    License as LicenseRecord,
    Model as ModelRecord,
    Organization as OrganizationRecord,
    Provider as ProviderRecord,
    Router as RouterRecord,
    UseCase as UseCaseRecord,
)
from modelatlas.schema.analysis import (
    Alternative,
    AlternativeCriteria,
    Lineage,
    LineageDirection,
    MigrationConstraints,
    MigrationPath,
    to_constraints,
    to_criteria,
)
from modelatlas.schema.changes import ChangeConnection, changes
from modelatlas.schema.context import Info
from modelatlas.schema.errors import ambiguous, bad_input, not_found, shorten
from modelatlas.schema.ids import from_global_id
from modelatlas.schema.pages import Connection, page_size
from modelatlas.schema.types import (
    Capability,
    Family,
    License,
    LineageKind,
    Model,
    ModelConnection,
    ModelStatus,
    Node,
    Organization,
    Provider,
    ProviderConnection,
    Router,
    RouterConnection,
    RouterKind,
    UseCase,
    field,
)

Record = (ModelRecord | FamilyRecord | OrganizationRecord | ProviderRecord | RouterRecord | LicenseRecord
          | CapabilityRecord | UseCaseRecord)

R = TypeVar("R", bound=Record)

NODE_TYPES = frozenset({"Model", "Family", "Organization", "Provider", "Router", "License", "Capability", "UseCase"})


def _records(kg: KnowledgeGraph, type_name: str) -> Mapping[str, Record]:
    """The snapshot's records of one Node type."""
    by_type: dict[str, Mapping[str, Record]] = {
        "Model": kg.models, "Family": kg.families, "Organization": kg.organizations, "Provider": kg.providers,
        "Router": kg.routers, "License": kg.licenses, "Capability": kg.capabilities, "UseCase": kg.use_cases,
    }
    return by_type[type_name]


def _slug(ident: str, type_name: str) -> str:
    """The slug named by a global id of ``type_name`` or by the slug itself."""
    decoded = from_global_id(ident)
    if decoded and decoded[0] == type_name:
        return decoded[1]
    return ident.strip().lower()


def _model(info: Info, ident: str) -> ModelRecord:
    """The model an id names. A family, or an id that only a placeholder of unresolved rows carries while real
    versions start with it (``mistral-small``), is AMBIGUOUS with the candidate models; nothing is NOT_FOUND."""
    kg = info.context.kg
    try:
        found: ModelRecord | None = kg.model(_slug(ident, "Model"), info.context.today)
    except NotFoundError:
        found = None
    if found is not None and found.resolution != ResolutionStatus.UNRESOLVED:
        return found
    family, candidates = ambiguity(kg, ident.strip())
    if candidates:
        raise ambiguous("model", ident, candidates, family)
    if found is None:
        raise not_found("model", ident)
    return found


def _entity(records: Mapping[str, R], type_name: str, ident: str) -> R:
    record = records.get(_slug(ident, type_name))
    if record is None:
        raise not_found(type_name.lower(), ident)
    return record


@strawberry.enum
class ModelOrderField(Enum):
    SLUG = "SLUG"
    NAME = "NAME"
    RELEASE_DATE = "RELEASE_DATE"
    CONTEXT_WINDOW = "CONTEXT_WINDOW"
    BLENDED_PRICE = "BLENDED_PRICE"


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input
class ModelOrder:
    field: ModelOrderField = ModelOrderField.SLUG
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Every given condition must hold (capabilities: all of them).")
class ModelFilter:
    family: str | None = strawberry.field(default=None, description=(
        "A family by slug or name; an umbrella family (Llama) takes the models of its lines too."))
    maker: str | None = None
    capabilities: list[str] | None = None
    suited_for: list[str] | None = None
    license: str | None = None
    osi_approved: bool | None = None
    commercial_use: bool | None = None
    open_weights: bool | None = None
    min_context: int | None = None
    max_input_price: float | None = None
    max_output_price: float | None = None
    provider: str | None = None
    status: ModelStatus | None = None
    released_after: date | None = None
    released_before: date | None = None


@strawberry.input
class RouterFilter:
    kind: RouterKind | None = None
    open_source: bool | None = None
    openai_compatible: bool | None = None
    provider: str | None = None
    model: str | None = None


@strawberry.type(description="A search result: a model, family, provider or router.")
class SearchHit:
    kind: str
    slug: str
    name: str
    matched: str = field(description="The id, alias or name that matched.")
    score: float
    node: object = field(graphql_type=Node)


def _known(kind: str, slug: str, mapping: Mapping[str, object]) -> str:
    if slug not in mapping:
        raise bad_input(f"unknown {kind} {shorten(slug)!r}.", kind)
    return slug


def _price_limit(name: str, value: float | None) -> Decimal | None:
    if value is None:
        return None
    if value < 0:
        raise bad_input(f"{name} must be >= 0.", name)
    return Decimal(str(value))


def _filter_models(info: Info, f: ModelFilter | None, unknown_license: list[str] | None = None) -> list[ModelRecord]:
    """The models every condition of ``f`` holds for: the indexes narrow the candidates, then each candidate is
    checked by ``graph.algorithms.filters.satisfies`` (and here for the conditions it does not know). License
    conditions are three-valued: a model of unknown license is left out, and its slug appended to ``unknown_license``
    when it met every other condition."""
    kg, today = info.context.kg, info.context.today
    if f is None:
        return list(kg.models.values())
    idx = kg.index
    slugs: set[str] | None = None

    def narrow(found: Iterable[str]) -> None:
        nonlocal slugs
        slugs = set(found) if slugs is None else slugs & set(found)

    if f.family:  # an umbrella family takes its lines' models too
        family = family_named(kg, f.family.strip()) or _known("family", _slug(f.family, "Family"), kg.families)
        narrow(m.slug for m in family_members(kg, family))
    if f.maker:
        narrow(idx.models_by_maker.get(_known("maker", _slug(f.maker, "Organization"), kg.organizations), ()))
    for cap in f.capabilities or []:
        narrow(idx.models_by_capability.get(_known("capability", _slug(cap, "Capability"), kg.capabilities), ()))
    for use in f.suited_for or []:
        narrow(idx.models_by_use_case.get(_known("useCase", _slug(use, "UseCase"), kg.use_cases), ()))
    if f.license:
        license_slug = idx.license_keys.get(_slug(f.license, "License"))
        if license_slug is None:
            raise bad_input(f"unknown license {f.license!r}.", "license")
        narrow(idx.models_by_license.get(license_slug, ()))
    provider = None
    if f.provider:
        provider = _known("provider", _slug(f.provider, "Provider"), kg.providers)
        narrow(idx.models_by_provider.get(provider, ()))
    if f.min_context is not None and f.min_context < 0:
        raise bad_input("minContext must be >= 0.", "minContext")
    constraints = Constraints(
        min_context=f.min_context, osi_approved=f.osi_approved, provider=provider, live_only=False, any_route=True,
        max_input_price=_price_limit("maxInputPrice", f.max_input_price),
        max_output_price=_price_limit("maxOutputPrice", f.max_output_price),
    )
    models = [kg.models[s] for s in sorted(slugs)] if slugs is not None else list(kg.models.values())

    def others(m: ModelRecord) -> bool:
        return ((f.open_weights is None or bool(m.open_weights) == f.open_weights)
                and (f.status is None or effective_status(m, today) == f.status.value)
                and (not f.released_after or bool(m.release_date and m.release_date > f.released_after))
                and (not f.released_before or bool(m.release_date and m.release_date < f.released_before)))

    def keep(m: ModelRecord) -> bool:
        lic = kg.licenses.get(m.license) if m.license else None
        commercial = lic.commercial_use if lic else None  # unknown is neither commercial nor not
        return ((f.commercial_use is None or (commercial is not None and commercial == f.commercial_use))
                and others(m) and satisfies(kg, m, constraints, today))

    kept = [m for m in models if keep(m)]
    if unknown_license is not None and (f.commercial_use is not None or f.osi_approved is not None):
        asked = replace(constraints, osi_approved=f.osi_approved, require_commercial_use=f.commercial_use is not None)
        unknown_license.extend(m.slug for m in models if not (m.license and m.license in kg.licenses)
                               and others(m) and license_unknown(kg, m, asked, today))
    return kept


PRESORT_FROM = 2048  # selections at least this large are read off the presorted list


def _order_models(info: Info, models: list[ModelRecord], order: ModelOrder | None) -> list[ModelRecord]:
    """``models`` in the asked order. Large selections are read off the snapshot's presorted list (sorted once per
    snapshot and order): at 100k models a sort per request cost ~400 ms, the membership pass costs a few."""
    if order is None:
        return models
    kg = info.context.kg
    if len(models) < PRESORT_FROM:
        return _sorted_models(kg, models, order.field, order.direction)
    presorted = _presorted(kg, order.field, order.direction)
    if len(models) == len(kg.models):
        return presorted
    selected = {m.slug for m in models}
    return [m for m in presorted if m.slug in selected]


def _presorted(kg: KnowledgeGraph, field: ModelOrderField, direction: OrderDirection) -> list[ModelRecord]:
    return per_snapshot(kg, ("models-by", field, direction),
                        lambda: _sorted_models(kg, list(kg.models.values()), field, direction))


def _sorted_models(kg: KnowledgeGraph, models: list[ModelRecord], field: ModelOrderField,
                   direction: OrderDirection) -> list[ModelRecord]:
    """Sorted by ``field`` (ties by slug, so the order is total); in DESC order unknown values stay last."""
    keys: dict[ModelOrderField, Callable[[ModelRecord], tuple[Any, ...]]] = {
        ModelOrderField.SLUG: lambda m: (0, m.slug),
        ModelOrderField.NAME: lambda m: (0, m.name.lower(), m.slug),
        ModelOrderField.RELEASE_DATE: lambda m: (m.release_date is None, m.release_date or date.min, m.slug),
        ModelOrderField.CONTEXT_WINDOW: lambda m: (m.context_window is None, m.context_window or 0, m.slug),
        ModelOrderField.BLENDED_PRICE: lambda m: _price_key(kg, m),
    }
    key = keys[field]
    ordered = sorted(models, key=key)
    if direction is OrderDirection.DESC:
        present = [m for m in ordered if not key(m)[0]]
        missing = [m for m in ordered if key(m)[0]]
        ordered = sorted(present, key=key, reverse=True) + missing  # unknown values stay last
    return ordered


def _price_key(kg: KnowledgeGraph, m: ModelRecord) -> tuple[bool, float, str]:
    ladder = kg.offerings_of(m.slug)
    price = ladder[0].blended_price() if ladder else None
    return (price is None, price or 0.0, m.slug)


def _data_version(info: Info) -> str:
    return info.context.kg.version


def _node(info: Info, id: strawberry.ID) -> Record:
    decoded = from_global_id(id)
    if decoded is None or decoded[0] not in NODE_TYPES:
        raise not_found("node", id)
    type_name, slug = decoded
    if type_name == "Model":
        return _model(info, slug)
    record = _records(info.context.kg, type_name).get(slug)
    if record is None:
        raise not_found("node", id)
    return record


def _model_by_id(info: Info, id: strawberry.ID) -> ModelRecord:
    return _model(info, id)


def _models(info: Info, filter: ModelFilter | None = None, order_by: ModelOrder | None = None,
            first: int | None = None, after: str | None = None) -> Connection[ModelRecord]:
    unknown: list[str] = []
    found = _order_models(info, _filter_models(info, filter, unknown), order_by)
    page = Connection.page(info, found, "models", first, after)
    if filter is not None and (filter.osi_approved is not None or filter.commercial_use is not None):
        page.unknown_license_count = len(unknown)
    return page


def _search(info: Info, text: str, first: int | None = 10) -> list[SearchHit]:
    count = page_size(first, default=10, low=0, high=info.context.max_page_size)
    if not text.strip():
        raise bad_input("text must not be empty.", "text")
    hits = run_search(info.context.kg, text, count)
    found = [(h, cast(Record, h.record)) for h in hits]  # search finds models, families, providers and routers
    return [SearchHit(kind=h.kind, slug=r.slug, name=r.name, matched=h.matched, score=h.score, node=r) for h, r in found]


def _family(info: Info, id: strawberry.ID) -> FamilyRecord:
    kg = info.context.kg
    slug = family_named(kg, id.strip()) or _slug(id, "Family")
    return _entity(kg.families, "Family", slug)


def _organization(info: Info, id: strawberry.ID) -> OrganizationRecord:
    return _entity(info.context.kg.organizations, "Organization", id)


def _provider(info: Info, id: strawberry.ID) -> ProviderRecord:
    return _entity(info.context.kg.providers, "Provider", id)


def _providers(info: Info, first: int | None = None, after: str | None = None) -> Connection[ProviderRecord]:
    return Connection.page(info, list(info.context.kg.providers.values()), "providers", first, after)


def _router(info: Info, id: strawberry.ID) -> RouterRecord:
    return _entity(info.context.kg.routers, "Router", id)


def _routers(info: Info, filter: RouterFilter | None = None, first: int | None = None,
             after: str | None = None) -> Connection[RouterRecord]:
    kg = info.context.kg
    routers = list(kg.routers.values())
    if filter is not None:
        if filter.kind is not None:
            routers = [r for r in routers if r.kind == filter.kind.value]
        if filter.open_source is not None:
            routers = [r for r in routers if bool(r.open_source) == filter.open_source]
        if filter.openai_compatible is not None:
            routers = [r for r in routers if bool(r.openai_compatible) == filter.openai_compatible]
        if filter.provider:
            slug = _known("provider", _slug(filter.provider, "Provider"), kg.providers)
            routers = [r for r in routers if slug in r.providers]
        if filter.model:
            model = _model(info, filter.model)
            reach = {r.slug for r, _ in info.context.backend.routers_reaching(model.slug)}
            routers = [r for r in routers if r.slug in reach]
    return Connection.page(info, routers, "routers", first, after)


def _license(info: Info, id: strawberry.ID) -> LicenseRecord:
    slug = info.context.kg.index.license_keys.get(_slug(id, "License"))
    if slug is None:
        raise not_found("license", id)
    return info.context.kg.licenses[slug]


def _licenses(info: Info) -> list[LicenseRecord]:
    return list(info.context.kg.licenses.values())


def _capabilities(info: Info) -> list[CapabilityRecord]:
    return list(info.context.kg.capabilities.values())


def _use_cases(info: Info) -> list[UseCaseRecord]:
    return list(info.context.kg.use_cases.values())


def _resolve_alias(info: Info, name: str, at: date | None = None) -> ModelRecord:
    try:
        return resolve_alias(info.context.kg, name, at or info.context.today)
    except NotFoundError as exc:
        raise not_found(exc.kind, exc.ident) from None


def _compare(info: Info, model_ids: list[strawberry.ID]) -> list[ModelRecord]:
    if not 1 <= len(model_ids) <= 20:
        raise bad_input("modelIds must name between 1 and 20 models.", "modelIds")
    return [_model(info, i) for i in model_ids]


def _lineage(info: Info, model_id: strawberry.ID, direction: LineageDirection = LineageDirection.BOTH,
             kinds: list[LineageKind] | None = None, max_depth: int | None = None) -> LineageRecord:
    model = _model(info, model_id)
    if max_depth is not None and not 0 <= max_depth <= MAX_DEPTH:
        raise bad_input(f"maxDepth must be between 0 and {MAX_DEPTH}, got {max_depth}.", "maxDepth")
    wanted = frozenset(k.value for k in kinds) & ALL_KINDS if kinds else None
    return info.context.backend.lineage(model.slug, direction.value, wanted, max_depth)


def _migration_paths(info: Info, from_model_id: strawberry.ID, to_model_id: strawberry.ID | None = None,
                     constraints: MigrationConstraints | None = None, first: int | None = 5) -> list[PathRecord]:
    count = page_size(first, default=5, low=1, high=25)
    source = _model(info, from_model_id)
    target = _model(info, to_model_id) if to_model_id is not None else None
    return find_paths(info.context.kg, source.slug, target.slug if target else None,
                      to_constraints(info, constraints), today=info.context.today, first=count)


def _alternatives(info: Info, model_id: strawberry.ID, criteria: AlternativeCriteria | None = None,
                  first: int | None = 10) -> list[AlternativeRecord]:
    count = page_size(first, default=10, low=1, high=info.context.max_page_size)
    model = _model(info, model_id)
    constraints, same_family = to_criteria(info, criteria)
    return info.context.backend.alternatives(model.slug, constraints, today=info.context.today, first=count,
                                             include_same_family=same_family)


def _alternative_set(info: Info, model_id: strawberry.ID, criteria: AlternativeCriteria | None = None,
                     first: int | None = 10) -> AlternativeSet:
    count = page_size(first, default=10, low=1, high=info.context.max_page_size)
    model = _model(info, model_id)
    constraints, same_family = to_criteria(info, criteria)
    unknown: list[str] = []
    found = find_alternatives(info.context.kg, model.slug, constraints, today=info.context.today, first=count,
                              include_same_family=same_family, unknown_license=unknown)
    return AlternativeSet(alternatives=found, unknown_license_count=len(unknown),
                          unknown_license_models=[info.context.kg.models[s] for s in unknown])


@strawberry.type(description="Alternatives, and the candidates a license condition could not decide.")
class AlternativeSet:
    alternatives: list[AlternativeRecord] = field(graphql_type=list[Alternative])
    unknown_license_count: int = field(description=(
        "Candidates left out only because their license is unknown (unknown is neither OSI nor not-OSI)."))
    unknown_license_models: list[ModelRecord] = field(graphql_type=list[Model], description=(
        "Those candidates, best match first."))


@strawberry.type
class Query:
    data_version: str = field(resolver=_data_version,
                              description="The data version (content hash) this answer was computed from.")
    node: Record | None = field(resolver=_node, graphql_type=Node | None, description="Any entity by its global id.")
    model: ModelRecord | None = field(
        resolver=_model_by_id, graphql_type=Model | None,
        description=("A model by slug, global id, any API or route id, or an alias (resolved today). A family or an id "
                     "that names several versions is an AMBIGUOUS error listing the candidates in extensions."))
    models: Connection[ModelRecord] = field(resolver=_models, graphql_type=ModelConnection)
    search: list[SearchHit] = field(
        resolver=_search, description="Models, families, providers and routers by name, id or alias; best matches first.")
    family: FamilyRecord | None = field(resolver=_family, graphql_type=Family | None, description=(
        "A family by slug, global id or name (\"Llama\"), with its lines, versions and lineage."))
    organization: OrganizationRecord | None = field(resolver=_organization, graphql_type=Organization | None)
    provider: ProviderRecord | None = field(resolver=_provider, graphql_type=Provider | None)
    providers: Connection[ProviderRecord] = field(resolver=_providers, graphql_type=ProviderConnection)
    router: RouterRecord | None = field(resolver=_router, graphql_type=Router | None)
    routers: Connection[RouterRecord] = field(resolver=_routers, graphql_type=RouterConnection)
    license: LicenseRecord | None = field(resolver=_license, graphql_type=License | None,
                                             description="A license by slug or SPDX id, case-insensitive.")
    licenses: list[LicenseRecord] = field(resolver=_licenses, graphql_type=list[License])
    capabilities: list[CapabilityRecord] = field(resolver=_capabilities, graphql_type=list[Capability])
    use_cases: list[UseCaseRecord] = field(resolver=_use_cases, graphql_type=list[UseCase])
    resolve_alias: ModelRecord | None = field(resolver=_resolve_alias, graphql_type=Model | None,
                                                 description="What an alias pointed to on a date (today when omitted).")
    compare: list[ModelRecord] = field(resolver=_compare, graphql_type=list[Model],
                                       description="Several models side by side, in the order asked.")
    lineage: LineageRecord = field(resolver=_lineage, graphql_type=Lineage,
                                   description="Succession and derivation around a model, ready to draw.")
    migration_paths: list[PathRecord] = field(
        resolver=_migration_paths, graphql_type=list[MigrationPath],
        description="Ranked migration paths with per-step checks; an empty list when none fits.")
    alternatives: list[AlternativeRecord] = field(resolver=_alternatives, graphql_type=list[Alternative],
                                                  description="Models sharing capabilities and use cases, best first.")
    alternative_set: AlternativeSet = field(
        resolver=_alternative_set, description=(
            "alternatives, plus how many candidates were left out because their license is unknown."))
    changes: Connection[ChangeRecord] = field(
        resolver=changes, graphql_type=ChangeConnection,
        description=("What changed in the catalogs on or after a date: new models and routes, price changes, "
                     "deprecations and shutdown dates announced, replacements added; from the value snapshot each "
                     "import keeps (modelatlas import), oldest first."))
