"""From the RDF Dataset to the immutable KnowledgeGraph.

>>> kg = load_knowledge_graph()
>>> kg.model("mistral.mistral-small-2402-v1:0").slug
'mistral-small-2402'
"""

from __future__ import annotations

import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from modelatlas.graph.errors import ValidationError
from modelatlas.graph.knowledge import KnowledgeGraph, gc_paused
from modelatlas.graph.load import LoadedData, default_data_dir, load_dataset
from modelatlas.graph.rdf_read import (
    as_bool, as_date, as_decimal, as_int, as_str, comment_of, many, one, one_slug, provenance_args, slug_of, slugs,
)
from modelatlas.graph.records import (
    Alias, AliasBinding, Capability, Claim, Family, License, LineageLink, Model, Offering, Organization, Provider,
    Provenance, Router, Source, UseCase,
)
from modelatlas.graph.vocab import DCTERMS, MA, RDF, SDO, SPDX, short

__all__ = ["load_knowledge_graph", "build_knowledge_graph", "LoadReport"]

LINK_KIND_NAMES = {
    MA.NextVersion: "NEXT_VERSION",
    MA.RecommendedReplacement: "RECOMMENDED_REPLACEMENT",
    MA.DerivedFrom: "DERIVED_FROM",
    MA.PositionedSuccessor: "POSITIONED_SUCCESSOR",
}


class LoadReport:
    """Timings of one load, in seconds."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def timed(self, name: str, start: float) -> None:
        self.timings[name] = time.perf_counter() - start


def load_knowledge_graph(
    paths: list[Path] | None = None, *, store: str | None = None, validate: bool = True, report: LoadReport | None = None
) -> KnowledgeGraph:
    """Load, validate and build the knowledge graph of the given data files or directories (default: shipped data).

    By default the files are parsed by Oxigraph into a triple table and validated with the compiled shapes
    (``graph.table``, ``graph.shapes_compiled``): seconds for millions of triples. With ``store`` (an rdflib
    Store plugin name such as "Memory") they are read into an rdflib Dataset on that store and validated by pyshacl.
    Raises DataError for unreadable files and ValidationError (with every problem) for invalid data;
    nothing is returned half-built.
    """
    with gc_paused():  # millions of new objects, none cyclic garbage: the cyclic GC would rescan them all, repeatedly
        return _load(paths or [default_data_dir()], store, validate, report or LoadReport())


def _load(paths: list[Path], store: str | None, validate: bool, report: LoadReport) -> KnowledgeGraph:
    from modelatlas.graph.table import read_table
    from modelatlas.graph.table_build import build_from_table  # before read_table: it registers its predicates to intern
    from modelatlas.graph.validate import validate_data, validate_table

    start = time.perf_counter()
    data = read_table(paths) if store is None else load_dataset(paths, store=store)
    report.timed("parse", start)
    if validate:
        start = time.perf_counter()
        problems = validate_table(data) if store is None else validate_data(data)
        report.timed("validate", start)
        if problems:
            raise ValidationError(problems)
    start = time.perf_counter()
    if store is None:
        kg = build_from_table(data, release=True)
    else:
        kg = build_knowledge_graph(data)
    report.timed("build", start)
    return kg


def build_knowledge_graph(data: LoadedData) -> KnowledgeGraph:
    """Read every entity of the Dataset into records and index them."""
    g = data.dataset
    return KnowledgeGraph.from_records(
        version=data.version,
        models=[_model(g, s) for s in _instances(g, MA.Model)],
        families=[Family(slug_of(s), str(one(g, s, SDO.name)), one_slug(g, s, MA.maker) or "", comment_of(g, s))
                  for s in _instances(g, MA.ModelFamily)],
        organizations=[Organization(slug_of(s), str(one(g, s, SDO.name)), as_str(one(g, s, SDO.url)))
                       for s in _instances(g, MA.Organization)],
        providers=[_provider(g, s) for s in _instances(g, MA.Provider)],
        offerings=[_offering(g, s) for s in _instances(g, MA.Offering)],
        routers=[_router(g, s) for s in _instances(g, MA.Router)],
        licenses=[_license(g, s) for s in _instances(g, MA.License)],
        capabilities=[Capability(slug_of(s), str(one(g, s, SDO.name)), comment_of(g, s)) for s in _instances(g, MA.Capability)],
        use_cases=[UseCase(slug_of(s), str(one(g, s, SDO.name)), comment_of(g, s)) for s in _instances(g, MA.UseCase)],
        sources=[Source(slug_of(s), str(one(g, s, SDO.name)), str(one(g, s, MA.sourceKind)), as_str(one(g, s, SDO.url)),
                        as_date(one(g, s, MA.asOf)), comment_of(g, s)) for s in _instances(g, MA.Source)],
        aliases=[Alias(slug_of(s), str(one(g, s, SDO.name)), one_slug(g, s, MA.maker)) for s in _instances(g, MA.Alias)],
        bindings=[_binding(g, s) for s in _instances(g, MA.AliasBinding)],
        links=[_link(g, s) for s in _instances(g, MA.LineageLink)],
        claims=[_claim(g, s) for s in _instances(g, MA.Claim)],
    )


def _instances(g: Graph, cls: URIRef) -> list:
    return sorted(set(g.subjects(RDF.type, cls)), key=str)


def _prov(g: Graph, s) -> Provenance:
    return Provenance(**provenance_args(g, s))


def _model(g: Graph, s) -> Model:
    return Model(
        slug=slug_of(s),
        name=str(one(g, s, SDO.name)),
        maker=one_slug(g, s, MA.maker) or "",
        status=str(one(g, s, MA.status) or "active"),
        family=one_slug(g, s, MA.family),
        api_ids=tuple(str(v) for v in many(g, s, MA.apiId)),
        hf_repos=tuple(str(v) for v in many(g, s, MA.huggingFaceRepo)),
        release_date=as_date(one(g, s, MA.releaseDate)),
        deprecation_date=as_date(one(g, s, MA.deprecationDate)),
        retirement_date=as_date(one(g, s, MA.retirementDate)),
        context_window=as_int(one(g, s, MA.contextWindow)),
        max_output_tokens=as_int(one(g, s, MA.maxOutputTokens)),
        parameters=as_decimal(one(g, s, MA.parameters)),
        active_parameters=as_decimal(one(g, s, MA.activeParameters)),
        architecture=as_str(one(g, s, MA.architecture)),
        open_weights=as_bool(one(g, s, MA.openWeights)),
        license=one_slug(g, s, MA.license),
        input_modalities=tuple(str(v) for v in many(g, s, MA.inputModality)),
        output_modalities=tuple(str(v) for v in many(g, s, MA.outputModality)),
        capabilities=slugs(g, s, MA.capability),
        suited_for=slugs(g, s, MA.suitedFor),
        not_suited_for=slugs(g, s, MA.notSuitedFor),
        knowledge_cutoff=as_str(one(g, s, MA.knowledgeCutoff)),
        provenance=_prov(g, s),
    )


def _provider(g: Graph, s) -> Provider:
    return Provider(slug_of(s), str(one(g, s, SDO.name)), str(one(g, s, MA.providerKind)), as_str(one(g, s, SDO.url)),
                    one_slug(g, s, MA.operatedBy), _prov(g, s))


def _offering(g: Graph, s) -> Offering:
    return Offering(
        slug=slug_of(s),
        model=one_slug(g, s, MA.model) or "",
        provider=one_slug(g, s, MA.provider) or "",
        route_id=str(one(g, s, MA.routeId)),
        route_type=as_str(one(g, s, MA.routeType)),
        input_price=as_decimal(one(g, s, MA.inputPrice)),
        output_price=as_decimal(one(g, s, MA.outputPrice)),
        batch_input_price=as_decimal(one(g, s, MA.batchInputPrice)),
        batch_output_price=as_decimal(one(g, s, MA.batchOutputPrice)),
        cached_input_price=as_decimal(one(g, s, MA.cachedInputPrice)),
        context_window=as_int(one(g, s, MA.contextWindow)),
        deprecation_date=as_date(one(g, s, MA.deprecationDate)),
        price_valid_from=as_date(one(g, s, MA.priceValidFrom)),
        provenance=_prov(g, s),
    )


def _router(g: Graph, s) -> Router:
    return Router(
        slug=slug_of(s), name=str(one(g, s, SDO.name)), kind=str(one(g, s, MA.routerKind)),
        open_source=as_bool(one(g, s, MA.openSource)), license=one_slug(g, s, MA.license),
        openai_compatible=as_bool(one(g, s, MA.openaiCompatible)), self_hosted=as_bool(one(g, s, MA.selfHosted)),
        url=as_str(one(g, s, SDO.url)), operated_by=one_slug(g, s, MA.operatedBy),
        providers=slugs(g, s, MA.reachesProvider), offerings=slugs(g, s, MA.reachesOffering), provenance=_prov(g, s),
    )


def _license(g: Graph, s) -> License:
    return License(
        slug=slug_of(s), name=str(one(g, s, SDO.name)), spdx_id=as_str(one(g, s, SPDX.licenseId)),
        osi_approved=bool(as_bool(one(g, s, MA.osiApproved))), open_source=bool(as_bool(one(g, s, MA.openSource))),
        commercial_use=as_bool(one(g, s, MA.commercialUse)), url=as_str(one(g, s, SDO.url)), provenance=_prov(g, s),
    )


def _binding(g: Graph, s) -> AliasBinding:
    return AliasBinding(
        slug=slug_of(s), alias=one_slug(g, s, MA.alias) or "", target=one_slug(g, s, MA.target) or "",
        valid_from=as_date(one(g, s, MA.validFrom)), valid_to=as_date(one(g, s, MA.validTo)),
        observed_on=as_date(one(g, s, MA.observedOn)), provenance=_prov(g, s),
    )


def _link(g: Graph, s) -> LineageLink:
    return LineageLink(
        slug=slug_of(s), source=one_slug(g, s, MA["from"]) or "", target=one_slug(g, s, MA.to) or "",
        kind=LINK_KIND_NAMES.get(one(g, s, MA.linkKind), "NEXT_VERSION"),
        derivation_kind=as_str(one(g, s, MA.derivationKind)),
        valid_from=as_date(one(g, s, MA.validFrom)), valid_to=as_date(one(g, s, MA.validTo)),
        on_date=as_date(one(g, s, MA.onDate)), observed_on=as_date(one(g, s, MA.observedOn)),
        scope=one_slug(g, s, MA.scope), provenance=_prov(g, s),
    )


def _claim(g: Graph, s) -> Claim:
    value = one(g, s, MA.value)
    py_value = value.toPython() if isinstance(value, Literal) else (short(value) if value is not None else None)
    prop = one(g, s, MA.property)
    return Claim(
        slug=slug_of(s), subject=short(one(g, s, MA.subject)),
        property=short(prop).removeprefix("ma:") if prop is not None else "",
        value=py_value, conflict=as_str(one(g, s, MA.conflict)), rejected=bool(as_bool(one(g, s, MA.rejected))),
        provenance=_prov(g, s),
    )
