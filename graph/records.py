"""Immutable records of the knowledge graph's entities, built once (``graph.mapping`` says how from RDF) and shared by
every query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from modelatlas.graph.kinds import (
    LinkKind,
    Origin,
    ResolutionStatus,
    RouterKind,
    SourceKind,
    Status,
)

__all__ = [
    "Alias",
    "AliasBinding",
    "Capability",
    "Claim",
    "Family",
    "License",
    "LineageLink",
    "Model",
    "Offering",
    "Organization",
    "PriceTier",
    "Provenance",
    "Provider",
    "Router",
    "Source",
    "UseCase",
]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a node's facts come from: source slugs, exact citations, when they were checked."""

    sources: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    checked_on: date | None = None
    as_of: date | None = None
    unconfirmed: bool = False
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    slug: str
    name: str
    kind: SourceKind
    url: str | None = None
    as_of: date | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Organization:
    slug: str
    name: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Family:
    slug: str
    name: str
    maker: str
    comment: str | None = None
    parent: str | None = None  # the umbrella family of a line (llama-3.1 -> llama)
    patterns: tuple[str, ...] = ()  # model-slug patterns that place imported models here (graph.families)


@dataclass(frozen=True, slots=True)
class License:
    slug: str
    name: str
    spdx_id: str | None
    osi_approved: bool
    open_source: bool
    commercial_use: bool | None
    url: str | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Capability:
    slug: str
    name: str
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class UseCase:
    slug: str
    name: str
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Model:
    """One concrete model version."""

    slug: str
    name: str
    maker: str
    status: Status
    family: str | None = None
    api_ids: tuple[str, ...] = ()
    hf_repos: tuple[str, ...] = ()
    release_date: date | None = None
    deprecation_date: date | None = None
    retirement_date: date | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    parameters: Decimal | None = None
    active_parameters: Decimal | None = None
    architecture: str | None = None
    open_weights: bool | None = None
    license: str | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    suited_for: tuple[str, ...] = ()
    not_suited_for: tuple[str, ...] = ()
    knowledge_cutoff: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
    resolution: ResolutionStatus | None = None  # None: curated; canonical / unresolved: made by the catalog importer
    resolution_rule: str | None = None  # the resolver rule that placed the imported rows (graph.resolve)

    @property
    def modalities(self) -> frozenset[str]:
        return frozenset(f"in:{m}" for m in self.input_modalities) | frozenset(f"out:{m}" for m in self.output_modalities)


@dataclass(frozen=True, slots=True)
class Provider:
    slug: str
    name: str
    kind: str
    url: str | None = None
    operated_by: str | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Offering:
    """A route: one model served by one provider under one route id, prices in USD per 1M tokens."""

    slug: str
    model: str
    provider: str
    route_id: str
    route_type: str | None = None
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    batch_input_price: Decimal | None = None
    batch_output_price: Decimal | None = None
    cached_input_price: Decimal | None = None
    context_window: int | None = None
    deprecation_date: date | None = None  # this route's own, where its provider sets one (Bedrock, Vertex, Azure)
    retirement_date: date | None = None  # this route's own shutdown date (LiteLLM's deprecation_date)
    status: Status | None = None  # the route's status as its catalog states it (deprecated); dates decide beyond it
    price_valid_from: date | None = None
    provenance: Provenance = field(default_factory=Provenance)
    cache_write_price: Decimal | None = None
    price_tiers: tuple[PriceTier, ...] = ()

    @property
    def free_tier(self) -> bool:
        """Priced at zero for input and output: a free tier (rate-limited, or part of a subscription).

        >>> Offering("o", "m", "p", "r", input_price=Decimal("0"), output_price=Decimal("0")).free_tier
        True
        """
        return self.input_price == 0 and self.output_price == 0

    def blended_price(self, input_weight: float = 3.0, output_weight: float = 1.0) -> float | None:
        """Weighted mean of input and output price (3:1 by default), or None when either is unknown.

        >>> Offering("o", "m", "p", "r", input_price=Decimal("1"), output_price=Decimal("3")).blended_price()
        1.5
        """
        if self.input_price is None or self.output_price is None:
            return None
        total = input_weight + output_weight
        return (float(self.input_price) * input_weight + float(self.output_price) * output_weight) / total


@dataclass(frozen=True, slots=True)
class PriceTier:
    """A price that applies beyond the base one: above a context size, or for batch / priority / flex processing."""

    kind: str  # a TierKind (context, batch, priority, flex, time-of-day), or a catalog's own tier name ("fast")
    above_tokens: int | None = None
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    cached_input_price: Decimal | None = None
    valid_from: date | None = None


@dataclass(frozen=True, slots=True)
class Router:
    slug: str
    name: str
    kind: RouterKind
    open_source: bool | None = None
    license: str | None = None
    openai_compatible: bool | None = None
    self_hosted: bool | None = None
    url: str | None = None
    operated_by: str | None = None
    providers: tuple[str, ...] = ()
    offerings: tuple[str, ...] = ()
    catalog_provider: str | None = None  # the catalogs' provider that is this router's own model list
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class LineageLink:
    """A qualified lineage relation ``source -> target`` of one kind."""

    slug: str
    source: str
    target: str
    kind: LinkKind
    derivation_kind: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    on_date: date | None = None
    observed_on: date | None = None
    scope: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
    inferred_by: str | None = None  # the rule that proposed it (graph.inference); None for curated links

    def valid_on(self, day: date) -> bool:
        """True when the link holds on ``day`` (validTo is exclusive)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class Alias:
    slug: str
    name: str
    maker: str | None = None


@dataclass(frozen=True, slots=True)
class AliasBinding:
    slug: str
    alias: str
    target: str
    valid_from: date | None = None
    valid_to: date | None = None
    observed_on: date | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's value for one property of one subject."""

    slug: str
    subject: str  # prefixed name, e.g. "model:mistral-small-2402"
    property: str  # local name in ma:, e.g. "retirementDate"
    value: object | None
    conflict: str | None = None
    rejected: bool = False
    provenance: Provenance = field(default_factory=Provenance)
    origin: Origin = Origin.CURATED  # imported rows: maker_api or catalog (see graph.precedence)
