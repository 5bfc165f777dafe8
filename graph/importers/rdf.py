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

from collections.abc import Iterable
from typing import Any

from rdflib import Dataset, Graph, URIRef

from modelatlas.graph.kinds import Origin
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.mapping import CLAIM, MODEL, OFFERING, PROVIDER, SOURCE, RecordMap
from modelatlas.graph.records import Provenance
from modelatlas.graph.vocab import PREFIXES

__all__ = ["GRAPH_BASE", "imported_dataset"]

GRAPH_BASE = "https://modelatlas.dev/graph/import/"
IMPORT_SOURCES = ("models-dev-import", "genai-prices-import")


def imported_dataset(kg: KnowledgeGraph) -> Dataset:
    """A Dataset with one named graph per catalog holding what the import added to ``kg``."""
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)

    def graphs_of(prov: Provenance) -> list[Graph]:
        return [dataset.graph(URIRef(GRAPH_BASE + s)) for s in prov.sources if s in IMPORT_SOURCES]

    def add(kind: RecordMap[Any], record: Any, graphs: Iterable[Graph]) -> None:
        for graph in graphs:
            for triple in kind.triples(record):
                graph.add(triple)

    for source in IMPORT_SOURCES:
        if source in kg.sources:
            add(SOURCE, kg.sources[source], [dataset.graph(URIRef(GRAPH_BASE + source))])
    for model in kg.models.values():
        if model.resolution is not None:
            add(MODEL, model, graphs_of(model.provenance))
    for provider in kg.providers.values():
        add(PROVIDER, provider, graphs_of(provider.provenance))
    for offering in kg.offerings.values():
        add(OFFERING, offering, graphs_of(offering.provenance))
    for claim in kg.claims:
        if claim.origin != Origin.CURATED:
            add(CLAIM, claim, graphs_of(claim.provenance))
    return dataset
