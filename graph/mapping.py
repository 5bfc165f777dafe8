"""The record mapping: every record field with its RDF predicate and converter, declared once.

The same table builds records from the triple table (``graph.build``), writes records as RDF (``graph.export``
and the imported named graphs of ``graph.importers.rdf``) and names the property an imported claim is about
(``graph.importers.merge``). A new Model field is one line in ``MODEL`` (plus its GraphQL field).

>>> MODEL.predicate("context_window")
rdflib.term.URIRef('https://modelatlas.dev/ns#contextWindow')
>>> from modelatlas.graph.records import Capability
>>> [short(o) for _, _, o in CAPABILITY.triples(Capability("fim", "Fill-in-the-middle"))]
['ma:Capability', 'Fill-in-the-middle']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import (
    Any,
    Generic,
    TypeVar,
)

from rdflib import Literal, URIRef
from rdflib.term import Node

from modelatlas.graph.kinds import (
    LinkKind,
    Origin,
    ResolutionStatus,
    RouterKind,
    SourceKind,
    Status,
)
from modelatlas.graph.records import (
    Alias,
    AliasBinding,
    Capability,
    Claim,
    Family,
    License,
    LineageLink,
    Model,
    Offering,
    Organization,
    Provenance,
    Provider,
    Router,
    Source,
    UseCase,
)
from modelatlas.graph.vocab import (
    DCTERMS,
    ID_BASE,
    KIND_SEGMENTS,
    MA,
    PREFIXES,
    RDF,
    RDFS,
    SDO,
    SPDX,
    XSD,
    short,
)

__all__ = [
    "ALIAS",
    "BINDING",
    "CAPABILITY",
    "CLAIM",
    "FAMILY",
    "LICENSE",
    "LINK",
    "LINK_KINDS",
    "MODEL",
    "OFFERING",
    "ORGANIZATION",
    "PREDICATES",
    "PROVENANCE",
    "PROVIDER",
    "RECORDS",
    "ROUTER",
    "SOURCE",
    "UNMAPPED",
    "USE_CASE",
    "Convert",
    "FieldMap",
    "RecordMap",
    "claim_node",
    "slug_of",
]

Objects = Sequence[Node]  # the objects of one (subject, predicate), in any order
Props = Mapping[Node, Sequence[Node]]  # predicate -> objects, for one subject
Triple = tuple[URIRef, URIRef, Node]
R = TypeVar("R")
E = TypeVar("E", bound=StrEnum)


def slug_of(node: Node) -> str:
    """The slug of an instance IRI: its last path segment.

    >>> slug_of(URIRef("https://modelatlas.dev/id/model/mistral-small-2402"))
    'mistral-small-2402'
    """
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def _first(values: Objects) -> Node:
    """One object, the same one every time (the least by its text)."""
    return values[0] if len(values) == 1 else min(values, key=str)


def _all(values: Objects | None) -> list[Node]:
    if not values:
        return []
    return list(values) if len(values) < 2 else sorted(values, key=str)


def _value(values: Objects | None) -> object:
    """The Python value of the first object (None for an ill-typed literal), or the node itself."""
    if not values:
        return None
    node = _first(values)
    return node.value if isinstance(node, Literal) else node


def _literal(value: object) -> tuple[Node, ...]:
    return () if value is None else (Literal(value),)


@dataclass(frozen=True, slots=True)
class Convert:
    """How the objects of a field's predicate become the field's value (``read``) and back (``write``)."""

    read: Callable[[Objects | None], Any]
    write: Callable[[Any], Iterable[Node]] = _literal


def _text(values: Objects | None) -> str | None:
    return str(_first(values)) if values else None


def _date(values: Objects | None) -> date | None:
    value = _value(values)
    return value if isinstance(value, date) else None


def _decimal(values: Objects | None) -> Decimal | None:
    value = _value(values)
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value)) if isinstance(value, (int, float, Decimal)) else None


def _int(values: Objects | None) -> int | None:
    value = _value(values)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(values: Objects | None) -> bool | None:
    value = _value(values)
    return value if isinstance(value, bool) else None


def _texts(values: Objects | None) -> tuple[str, ...]:
    return tuple(str(v) for v in _all(values))


def _comment(values: Objects | None) -> str | None:
    return " ".join(_texts(values)) or None


TEXT = Convert(_text)
NAME = Convert(lambda values: _text(values) or "", lambda v: (Literal(v),) if v else ())  # required (the shapes)
TEXTS = Convert(_texts, lambda texts: [Literal(t) for t in texts])
COMMENT = Convert(_comment)  # several rdfs:comment read as one text
DATE = Convert(_date)
DECIMAL = Convert(_decimal, lambda v: () if v is None else (Literal(v, datatype=XSD.decimal),))
INT = Convert(_int)
BOOL = Convert(_bool)
FLAG = Convert(lambda values: bool(_bool(values)), lambda v: (Literal(True),) if v else ())  # absent means false
YES_NO = Convert(lambda values: bool(_bool(values)))  # absent means false, written either way
URL = Convert(_text, lambda v: () if v is None else (URIRef(v),))


def _iri(segment: str, slug: str) -> URIRef:
    return URIRef(f"{ID_BASE}{segment}/{slug}")


def slug(segment: str, default: str | None = None) -> Convert:
    """A link to one instance of ``segment`` (``org``, ``model``, ...), read as its slug."""
    return Convert(lambda values: slug_of(_first(values)) if values else default,
                   lambda v: (_iri(segment, v),) if v else ())


def slugs(segment: str) -> Convert:
    return Convert(lambda values: tuple(slug_of(v) for v in _all(values)), lambda vs: [_iri(segment, v) for v in vs])


def enum(kind: type[E], default: E | None = None, *, implied: E | None = None) -> Convert:
    """A closed vocabulary of plain strings (``kinds``); a value outside it (invalid data) reads as ``default``.
    An ``implied`` value is not written (``ma:origin "curated"`` is what no origin means)."""
    members: dict[str, E] = {m.value: m for m in kind}
    return Convert(lambda values: members.get(str(_first(values)), default) if values else default,
                   lambda v: () if v is None or v == implied else (Literal(str(v)),))


LINK_KINDS: dict[Node, LinkKind] = {MA.NextVersion: LinkKind.NEXT_VERSION, MA.RecommendedReplacement: LinkKind.RECOMMENDED_REPLACEMENT,
                                   MA.DerivedFrom: LinkKind.DERIVED_FROM, MA.PositionedSuccessor: LinkKind.POSITIONED_SUCCESSOR}
_LINK_IRIS = {kind: iri for iri, kind in LINK_KINDS.items()}
LINK_KIND = Convert(lambda values: LINK_KINDS.get(_first(values), LinkKind.NEXT_VERSION) if values
                    else LinkKind.NEXT_VERSION, lambda kind: (_LINK_IRIS[kind],))


def _expand(name: str) -> URIRef:
    """``model:x`` -> its IRI (the inverse of ``vocab.short``)."""
    prefix, _, local = name.partition(":")
    return URIRef(str(PREFIXES[prefix]) + local)


def _claim_value(values: Objects | None) -> object:
    if not values:
        return None
    node = _first(values)
    return node.toPython() if isinstance(node, Literal) else short(node)


_ID_PREFIXES = tuple(f"{prefix}:" for prefix, ns in PREFIXES.items() if str(ns).startswith(ID_BASE))


def claim_node(value: object) -> Node:
    """The RDF term of a claim's value: an instance IRI for ``model:x`` and the like, else a literal."""
    if isinstance(value, str) and value.startswith(_ID_PREFIXES):
        return _expand(value)
    return Literal(value, datatype=XSD.decimal) if isinstance(value, Decimal) else Literal(value)


CURIE = Convert(lambda values: short(_first(values)) if values else "", lambda v: (_expand(v),) if v else ())
PROPERTY = Convert(lambda values: short(_first(values)).removeprefix("ma:") if values else "",
                   lambda v: ((_expand(v) if ":" in v else MA[v]),) if v else ())  # "schema:name" or an ma: name
CLAIM_VALUE = Convert(_claim_value, lambda v: () if v is None else (claim_node(v),))


@dataclass(frozen=True, slots=True)
class FieldMap:
    """One record field: its name, its predicate, and how its objects convert."""

    name: str
    predicate: URIRef
    convert: Convert
    many: bool = False  # informational: a tuple of values (the converter reads every object)


@dataclass(frozen=True)
class RecordMap(Generic[R]):
    """A record class with its RDF class and fields. ``part`` names the KnowledgeGraph attribute holding them."""

    record: type[R]
    rdf_class: URIRef
    part: str
    fields: tuple[FieldMap, ...]
    provenance: bool = True  # a ``provenance`` field read from the same node (``PROVENANCE``)
    segment: str = field(init=False)
    _plan: tuple[tuple[str, URIRef, Callable[[Objects | None], Any]], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "segment", KIND_SEGMENTS.get(slug_of(self.rdf_class).rsplit("#", 1)[-1], ""))
        object.__setattr__(self, "_plan", tuple((f.name, f.predicate, f.convert.read) for f in self.fields))

    def predicate(self, name: str) -> URIRef:
        """The predicate of field ``name``; KeyError for a field not in RDF."""
        for f in self.fields:
            if f.name == name:
                return f.predicate
        raise KeyError(name)

    def local_names(self, *names: str) -> dict[str, str]:
        """field -> the ``ma:`` local name of its predicate (claims name their property so)."""
        return {name: self.predicate(name).removeprefix(str(MA)) for name in names}

    def read(self, subject: Node, props: Props) -> R:
        """The record of ``subject`` from its ``predicate -> objects``."""
        values: dict[str, Any] = {"slug": slug_of(subject)} if self.segment else {}
        get = props.get
        for name, predicate, read in self._plan:
            values[name] = read(get(predicate))
        if self.provenance:
            values["provenance"] = PROVENANCE.read(subject, props)
        return self.record(**values)

    def iri(self, record: R) -> URIRef:
        """The instance IRI of a record: ``https://modelatlas.dev/id/<segment>/<slug>``."""
        entity: Any = record  # every entity record has a slug (a part record has none)
        return _iri(self.segment, entity.slug)

    def triples(self, record: R, node: URIRef | None = None) -> Iterator[Triple]:
        """The record as triples (its type first); a part record (provenance) as triples of ``node``."""
        if node is None:
            node = self.iri(record)
            yield node, RDF.type, self.rdf_class
        for f in self.fields:
            for obj in f.convert.write(getattr(record, f.name)):
                yield node, f.predicate, obj
        if self.provenance:
            with_provenance: Any = record
            yield from PROVENANCE.triples(with_provenance.provenance, node)


def _part(record: type[R], fields: tuple[FieldMap, ...]) -> RecordMap[R]:
    return RecordMap(record, MA[record.__name__], "", fields, provenance=False)


F = FieldMap
PROVENANCE = _part(Provenance, (
    F("sources", DCTERMS.source, slugs("source"), many=True),
    F("citations", MA.citation, TEXTS, many=True),
    F("checked_on", MA.checkedOn, DATE),
    F("as_of", MA.asOf, DATE),
    F("unconfirmed", MA.unconfirmed, FLAG),
    F("comment", RDFS.comment, COMMENT),
))
MODEL = RecordMap(Model, MA.Model, "models", (
    F("name", SDO.name, NAME),
    F("maker", MA.maker, slug("org", "")),
    F("status", MA.status, enum(Status, Status.ACTIVE)),
    F("family", MA.family, slug("family")),
    F("api_ids", MA.apiId, TEXTS, many=True),
    F("hf_repos", MA.huggingFaceRepo, TEXTS, many=True),
    F("release_date", MA.releaseDate, DATE),
    F("deprecation_date", MA.deprecationDate, DATE),
    F("retirement_date", MA.retirementDate, DATE),
    F("context_window", MA.contextWindow, INT),
    F("max_output_tokens", MA.maxOutputTokens, INT),
    F("parameters", MA.parameters, DECIMAL),
    F("active_parameters", MA.activeParameters, DECIMAL),
    F("architecture", MA.architecture, TEXT),
    F("open_weights", MA.openWeights, BOOL),
    F("license", MA.license, slug("license")),
    F("input_modalities", MA.inputModality, TEXTS, many=True),
    F("output_modalities", MA.outputModality, TEXTS, many=True),
    F("capabilities", MA.capability, slugs("capability"), many=True),
    F("suited_for", MA.suitedFor, slugs("usecase"), many=True),
    F("not_suited_for", MA.notSuitedFor, slugs("usecase"), many=True),
    F("knowledge_cutoff", MA.knowledgeCutoff, TEXT),
    F("resolution", MA.resolution, enum(ResolutionStatus)),
    F("resolution_rule", MA.resolutionRule, TEXT),
))
FAMILY = RecordMap(Family, MA.ModelFamily, "families", (
    F("name", SDO.name, NAME), F("maker", MA.maker, slug("org", "")), F("comment", RDFS.comment, COMMENT),
    F("parent", MA.parentFamily, slug("family")), F("patterns", MA.modelPattern, TEXTS, many=True),
), provenance=False)
ORGANIZATION = RecordMap(Organization, MA.Organization, "organizations", (
    F("name", SDO.name, NAME), F("url", SDO.url, URL),
), provenance=False)
PROVIDER = RecordMap(Provider, MA.Provider, "providers", (
    F("name", SDO.name, NAME), F("kind", MA.providerKind, NAME), F("url", SDO.url, URL),
    F("operated_by", MA.operatedBy, slug("org")),
))
OFFERING = RecordMap(Offering, MA.Offering, "offerings", (
    F("model", MA.model, slug("model", "")),
    F("provider", MA.provider, slug("provider", "")),
    F("route_id", MA.routeId, NAME),
    F("route_type", MA.routeType, TEXT),
    F("input_price", MA.inputPrice, DECIMAL),
    F("output_price", MA.outputPrice, DECIMAL),
    F("batch_input_price", MA.batchInputPrice, DECIMAL),
    F("batch_output_price", MA.batchOutputPrice, DECIMAL),
    F("cached_input_price", MA.cachedInputPrice, DECIMAL),
    F("cache_write_price", MA.cacheWritePrice, DECIMAL),
    F("context_window", MA.contextWindow, INT),
    F("deprecation_date", MA.deprecationDate, DATE),
    F("retirement_date", MA.retirementDate, DATE),
    F("status", MA.status, enum(Status)),
    F("price_valid_from", MA.priceValidFrom, DATE),
))
ROUTER = RecordMap(Router, MA.Router, "routers", (
    F("name", SDO.name, NAME),
    F("kind", MA.routerKind, enum(RouterKind, RouterKind.ROUTER)),
    F("open_source", MA.openSource, BOOL),
    F("license", MA.license, slug("license")),
    F("openai_compatible", MA.openaiCompatible, BOOL),
    F("self_hosted", MA.selfHosted, BOOL),
    F("url", SDO.url, URL),
    F("operated_by", MA.operatedBy, slug("org")),
    F("providers", MA.reachesProvider, slugs("provider"), many=True),
    F("offerings", MA.reachesOffering, slugs("offering"), many=True),
    F("catalog_provider", MA.catalogProvider, slug("provider")),
))
LICENSE = RecordMap(License, MA.License, "licenses", (
    F("name", SDO.name, NAME), F("spdx_id", SPDX.licenseId, TEXT), F("osi_approved", MA.osiApproved, YES_NO),
    F("open_source", MA.openSource, YES_NO), F("commercial_use", MA.commercialUse, BOOL), F("url", SDO.url, URL),
))
CAPABILITY = RecordMap(Capability, MA.Capability, "capabilities", (
    F("name", SDO.name, NAME), F("comment", RDFS.comment, COMMENT),
), provenance=False)
USE_CASE = RecordMap(UseCase, MA.UseCase, "use_cases", (
    F("name", SDO.name, NAME), F("comment", RDFS.comment, COMMENT),
), provenance=False)
SOURCE = RecordMap(Source, MA.Source, "sources", (
    F("name", SDO.name, NAME), F("kind", MA.sourceKind, enum(SourceKind, SourceKind.THIRD_PARTY)),
    F("url", SDO.url, URL), F("as_of", MA.asOf, DATE), F("comment", RDFS.comment, COMMENT),
), provenance=False)
ALIAS = RecordMap(Alias, MA.Alias, "aliases", (
    F("name", SDO.name, NAME), F("maker", MA.maker, slug("org")),
), provenance=False)
BINDING = RecordMap(AliasBinding, MA.AliasBinding, "bindings", (
    F("alias", MA.alias, slug("alias", "")), F("target", MA.target, slug("model", "")),
    F("valid_from", MA.validFrom, DATE), F("valid_to", MA.validTo, DATE), F("observed_on", MA.observedOn, DATE),
))
LINK = RecordMap(LineageLink, MA.LineageLink, "links", (
    F("source", MA["from"], slug("model", "")),
    F("target", MA.to, slug("model", "")),
    F("kind", MA.linkKind, LINK_KIND),
    F("derivation_kind", MA.derivationKind, TEXT),
    F("valid_from", MA.validFrom, DATE),
    F("valid_to", MA.validTo, DATE),
    F("on_date", MA.onDate, DATE),
    F("observed_on", MA.observedOn, DATE),
    F("scope", MA.scope, slug("provider")),
    F("inferred_by", MA.inferredBy, TEXT),
))
CLAIM = RecordMap(Claim, MA.Claim, "claims", (
    F("subject", MA.subject, CURIE),
    F("property", MA.property, PROPERTY),
    F("value", MA.value, CLAIM_VALUE),
    F("conflict", MA.conflict, TEXT),
    F("rejected", MA.rejected, FLAG),
    F("origin", MA.origin, enum(Origin, Origin.CURATED, implied=Origin.CURATED)),
))

#: every entity kind, in the order of ``KnowledgeGraph.from_records``' keywords
RECORDS: tuple[RecordMap[Any], ...] = (MODEL, FAMILY, ORGANIZATION, PROVIDER, OFFERING, ROUTER, LICENSE, CAPABILITY,
                                       USE_CASE, SOURCE, ALIAS, BINDING, LINK, CLAIM)
#: record fields that RDF does not hold (built by the importers only)
UNMAPPED = {Offering: ("price_tiers",)}
#: every predicate the mapping reads (the triple table interns these very objects: look-ups are identity hits)
PREDICATES: tuple[URIRef, ...] = tuple(dict.fromkeys(
    [RDF.type] + [f.predicate for m in (*RECORDS, PROVENANCE) for f in m.fields]))
