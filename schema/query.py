"""The root Query: look-ups, lists with filters and pagination, search, and the graph queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Optional

import strawberry

from modelatlas.graph.algorithms.aliases import resolve_alias
from modelatlas.graph.algorithms.alternatives import alternatives as find_alternatives
from modelatlas.graph.algorithms.lineage import ALL_KINDS, MAX_DEPTH, lineage as find_lineage
from modelatlas.graph.algorithms.migration import migration_paths as find_paths
from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.knowledge import effective_status
from modelatlas.graph.memo import per_snapshot
from modelatlas.schema.analysis import (
    Alternative, AlternativeCriteria, Lineage, LineageDirection, LineageEdge, MigrationConstraints, MigrationPath,
    migration_path, to_constraints, to_criteria,
)
from modelatlas.schema.context import Info
from modelatlas.schema.errors import bad_input, not_found, shorten
from modelatlas.schema.ids import from_global_id
from modelatlas.schema.types import (
    Capability, Family, License, LineageKind, Model, ModelConnection, ModelStatus, Node, Organization, Provider,
    ProviderConnection, Router, RouterConnection, RouterKind, UseCase, paginate,
)

TYPE_MAPS = {
    "Model": ("models", Model), "Family": ("families", Family), "Organization": ("organizations", Organization),
    "Provider": ("providers", Provider), "Router": ("routers", Router), "License": ("licenses", License),
    "Capability": ("capabilities", Capability), "UseCase": ("use_cases", UseCase),
}


def _slug(ident: str, type_name: str) -> str:
    """The slug named by a global id of ``type_name`` or by the slug itself."""
    decoded = from_global_id(ident)
    if decoded and decoded[0] == type_name:
        return decoded[1]
    return ident.strip().lower()


def _model(info: Info, ident: str):
    try:
        return info.context.kg.model(_slug(ident, "Model"), info.context.today)
    except NotFoundError:
        raise not_found("model", ident) from None


def _entity(info: Info, type_name: str, ident: str):
    attr, _ = TYPE_MAPS[type_name]
    record = getattr(info.context.kg, attr).get(_slug(ident, type_name))
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
    family: Optional[str] = None
    maker: Optional[str] = None
    capabilities: Optional[list[str]] = None
    suited_for: Optional[list[str]] = None
    license: Optional[str] = None
    osi_approved: Optional[bool] = None
    commercial_use: Optional[bool] = None
    open_weights: Optional[bool] = None
    min_context: Optional[int] = None
    max_input_price: Optional[float] = None
    max_output_price: Optional[float] = None
    provider: Optional[str] = None
    status: Optional[ModelStatus] = None
    released_after: Optional[date] = None
    released_before: Optional[date] = None


@strawberry.input
class RouterFilter:
    kind: Optional[RouterKind] = None
    open_source: Optional[bool] = None
    openai_compatible: Optional[bool] = None
    provider: Optional[str] = None
    model: Optional[str] = None


@strawberry.type(description="A search result: a model, family, provider or router.")
class SearchHit:
    kind: str
    slug: str
    name: str
    matched: str = strawberry.field(description="The id, alias or name that matched.")
    score: float
    node: Node


def _known(info: Info, kind: str, value: str, mapping) -> str:
    slug = value.strip().lower()
    if slug not in mapping:
        raise bad_input(f"unknown {kind} {shorten(value)!r}.", kind)
    return slug


def _filter_models(info: Info, f: Optional[ModelFilter]) -> list:
    kg, today = info.context.kg, info.context.today
    idx = kg.index
    slugs: Optional[set[str]] = None

    def narrow(found) -> None:
        nonlocal slugs
        slugs = set(found) if slugs is None else slugs & set(found)

    if f is not None:
        if f.family:
            narrow(idx.models_by_family.get(_known(info, "family", _slug(f.family, "Family"), kg.families), ()))
        if f.maker:
            narrow(idx.models_by_maker.get(_known(info, "maker", _slug(f.maker, "Organization"), kg.organizations), ()))
        for cap in f.capabilities or []:
            narrow(idx.models_by_capability.get(_known(info, "capability", _slug(cap, "Capability"), kg.capabilities), ()))
        for use in f.suited_for or []:
            narrow(idx.models_by_use_case.get(_known(info, "useCase", _slug(use, "UseCase"), kg.use_cases), ()))
        if f.license:
            slug = kg.index.license_keys.get(_slug(f.license, "License"))
            if slug is None:
                raise bad_input(f"unknown license {f.license!r}.", "license")
            narrow(idx.models_by_license.get(slug, ()))
        if f.provider:
            narrow(idx.models_by_provider.get(_known(info, "provider", _slug(f.provider, "Provider"), kg.providers), ()))
        if f.min_context is not None and f.min_context < 0:
            raise bad_input("minContext must be >= 0.", "minContext")
        for name, value in (("maxInputPrice", f.max_input_price), ("maxOutputPrice", f.max_output_price)):
            if value is not None and value < 0:
                raise bad_input(f"{name} must be >= 0.", name)
    models = [kg.models[s] for s in sorted(slugs)] if slugs is not None else list(kg.models.values())
    if f is None:
        return models

    def keep(m) -> bool:
        lic = kg.licenses.get(m.license) if m.license else None
        if f.osi_approved is not None and bool(lic and lic.osi_approved) != f.osi_approved:
            return False
        if f.commercial_use is not None and bool(lic and lic.commercial_use) != f.commercial_use:
            return False
        if f.open_weights is not None and bool(m.open_weights) != f.open_weights:
            return False
        if f.min_context is not None and (m.context_window or 0) < f.min_context:
            return False
        if f.status is not None and effective_status(m, today) != f.status.value:
            return False
        if f.released_after and not (m.release_date and m.release_date > f.released_after):
            return False
        if f.released_before and not (m.release_date and m.release_date < f.released_before):
            return False
        if f.max_input_price is not None or f.max_output_price is not None:
            offers = kg.offerings_of(m.slug)
            if f.provider:
                offers = [o for o in offers if o.provider == f.provider.lower()]
            ok = any(
                (f.max_input_price is None or (o.input_price is not None and o.input_price <= Decimal(str(f.max_input_price))))
                and (f.max_output_price is None or (o.output_price is not None and o.output_price <= Decimal(str(f.max_output_price))))
                for o in offers
            )
            if not ok:
                return False
        return True

    return [m for m in models if keep(m)]


PRESORT_FROM = 2048  # selections at least this large are read off the presorted list


def _order_models(info: Info, models: list, order: Optional[ModelOrder]) -> list:
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


def _presorted(kg, field, direction) -> list:
    return per_snapshot(kg, ("models-by", field, direction),
                        lambda: _sorted_models(kg, list(kg.models.values()), field, direction))


def _sorted_models(kg, models: list, field, direction) -> list:
    """Sorted by ``field`` (ties by slug, so the order is total); in DESC order unknown values stay last."""
    keys = {
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


def _price_key(kg, m) -> tuple:
    ladder = kg.offerings_of(m.slug)
    price = ladder[0].blended_price() if ladder else None
    return (price is None, price or 0.0, m.slug)


@strawberry.type
class Query:
    @strawberry.field(description="The version (content hash) of the data snapshot this response was computed from.")
    def data_version(self, info: Info) -> str:
        return info.context.kg.version

    @strawberry.field(description="Any entity by its global id.")
    def node(self, info: Info, id: strawberry.ID) -> Optional[Node]:
        decoded = from_global_id(id)
        if decoded is None or decoded[0] not in TYPE_MAPS:
            raise not_found("node", id)
        type_name, slug = decoded
        if type_name == "Model":
            return Model(_record=_model(info, slug))
        attr, cls = TYPE_MAPS[type_name]
        record = getattr(info.context.kg, attr).get(slug)
        if record is None:
            raise not_found("node", id)
        return cls(_record=record)

    @strawberry.field(description="A model by slug, global id, any API or route id, or an alias (resolved today).")
    def model(self, info: Info, id: strawberry.ID) -> Optional[Model]:
        return Model(_record=_model(info, id))

    @strawberry.field
    def models(self, info: Info, filter: Optional[ModelFilter] = None, order_by: Optional[ModelOrder] = None,
               first: Optional[int] = None, after: Optional[str] = None) -> ModelConnection:
        found = _order_models(info, _filter_models(info, filter), order_by)
        return paginate(info, found, "models", first, after, lambda m: Model(_record=m))

    @strawberry.field(description="Models, families, providers and routers by name, id or alias; best matches first.")
    def search(self, info: Info, text: str, first: Optional[int] = 10) -> list[SearchHit]:
        from modelatlas.graph.algorithms.search import search as run_search

        first = 10 if first is None else first
        if not 0 <= first <= info.context.max_page_size:
            raise bad_input(f"first must be between 0 and {info.context.max_page_size}, got {first}.", "first")
        if not text.strip():
            raise bad_input("text must not be empty.", "text")
        hits = run_search(info.context.kg, text, first)
        wrap = {"Model": Model, "Family": Family, "Provider": Provider, "Router": Router}
        return [SearchHit(kind=h.kind, slug=h.record.slug, name=h.record.name, matched=h.matched, score=h.score,
                          node=wrap[h.kind](_record=h.record)) for h in hits]

    @strawberry.field
    def family(self, info: Info, id: strawberry.ID) -> Optional[Family]:
        return Family(_record=_entity(info, "Family", id))

    @strawberry.field
    def organization(self, info: Info, id: strawberry.ID) -> Optional[Organization]:
        return Organization(_record=_entity(info, "Organization", id))

    @strawberry.field
    def provider(self, info: Info, id: strawberry.ID) -> Optional[Provider]:
        return Provider(_record=_entity(info, "Provider", id))

    @strawberry.field
    def providers(self, info: Info, first: Optional[int] = None, after: Optional[str] = None) -> ProviderConnection:
        return paginate(info, list(info.context.kg.providers.values()), "providers", first, after,
                        lambda p: Provider(_record=p))

    @strawberry.field
    def router(self, info: Info, id: strawberry.ID) -> Optional[Router]:
        return Router(_record=_entity(info, "Router", id))

    @strawberry.field
    def routers(self, info: Info, filter: Optional[RouterFilter] = None, first: Optional[int] = None,
                after: Optional[str] = None) -> RouterConnection:
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
                slug = _known(info, "provider", _slug(filter.provider, "Provider"), kg.providers)
                routers = [r for r in routers if slug in r.providers]
            if filter.model:
                model = _model(info, filter.model)
                reach = {r.slug for r, _ in kg.routers_reaching(model.slug)}
                routers = [r for r in routers if r.slug in reach]
        return paginate(info, routers, "routers", first, after, lambda r: Router(_record=r))

    @strawberry.field(description="A license by slug or SPDX id, case-insensitive.")
    def license(self, info: Info, id: strawberry.ID) -> Optional[License]:
        slug = info.context.kg.index.license_keys.get(_slug(id, "License"))
        if slug is None:
            raise not_found("license", id)
        return License(_record=info.context.kg.licenses[slug])

    @strawberry.field
    def licenses(self, info: Info) -> list[License]:
        return [License(_record=l) for l in info.context.kg.licenses.values()]

    @strawberry.field
    def capabilities(self, info: Info) -> list[Capability]:
        return [Capability(_record=c) for c in info.context.kg.capabilities.values()]

    @strawberry.field
    def use_cases(self, info: Info) -> list[UseCase]:
        return [UseCase(_record=u) for u in info.context.kg.use_cases.values()]

    @strawberry.field(description="What an alias pointed to on a date (today when omitted).")
    def resolve_alias(self, info: Info, name: str, at: Optional[date] = None) -> Optional[Model]:
        try:
            return Model(_record=resolve_alias(info.context.kg, name, at or info.context.today))
        except NotFoundError as exc:
            raise not_found(exc.kind, exc.ident) from None

    @strawberry.field(description="Several models side by side, in the order asked.")
    def compare(self, info: Info, model_ids: list[strawberry.ID]) -> list[Model]:
        if not 1 <= len(model_ids) <= 20:
            raise bad_input("modelIds must name between 1 and 20 models.", "modelIds")
        return [Model(_record=_model(info, i)) for i in model_ids]

    @strawberry.field(description="Succession and derivation around a model, ready to draw.")
    def lineage(self, info: Info, model_id: strawberry.ID, direction: LineageDirection = LineageDirection.BOTH,
                kinds: Optional[list[LineageKind]] = None, max_depth: Optional[int] = None) -> Lineage:
        model = _model(info, model_id)
        if max_depth is not None and not 0 <= max_depth <= MAX_DEPTH:
            raise bad_input(f"maxDepth must be between 0 and {MAX_DEPTH}, got {max_depth}.", "maxDepth")
        wanted = frozenset(k.value for k in kinds) & ALL_KINDS if kinds else None
        found = find_lineage(info.context.kg, model.slug, direction.value, wanted, max_depth)
        return Lineage(
            root=Model(_record=found.root), chain=[Model(_record=m) for m in found.chain],
            nodes=[Model(_record=m) for m in found.nodes], edges=[LineageEdge(_record=e) for e in found.edges],
        )

    @strawberry.field(description="Ranked migration paths with per-step checks; an empty list when none fits.")
    def migration_paths(self, info: Info, from_model_id: strawberry.ID, to_model_id: Optional[strawberry.ID] = None,
                        constraints: Optional[MigrationConstraints] = None, first: Optional[int] = 5) -> list[MigrationPath]:
        first = 5 if first is None else first
        if not 1 <= first <= 25:
            raise bad_input(f"first must be between 1 and 25, got {first}.", "first")
        source = _model(info, from_model_id)
        target = _model(info, to_model_id) if to_model_id is not None else None
        paths = find_paths(info.context.kg, source.slug, target.slug if target else None,
                           to_constraints(info, constraints), today=info.context.today, first=first)
        return [migration_path(p) for p in paths]

    @strawberry.field(description="Models sharing capabilities and use cases, best first.")
    def alternatives(self, info: Info, model_id: strawberry.ID, criteria: Optional[AlternativeCriteria] = None,
                     first: Optional[int] = 10) -> list[Alternative]:
        first = 10 if first is None else first
        if not 1 <= first <= info.context.max_page_size:
            raise bad_input(f"first must be between 1 and {info.context.max_page_size}, got {first}.", "first")
        model = _model(info, model_id)
        constraints, same_family = to_criteria(info, criteria)
        found = find_alternatives(info.context.kg, model.slug, constraints, today=info.context.today, first=first,
                                  include_same_family=same_family)
        return [Alternative(_record=a) for a in found]

    @strawberry.field(description="The data version (content hash) this answer was computed from.")
    def data_version(self, info: Info) -> str:
        return info.context.kg.version
