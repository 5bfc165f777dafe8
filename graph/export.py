"""A graph as RDF (``modelatlas export``): the curated data files as parsed, plus what the imports added.

The curated part is the triple table of the one reader (``graph.table``), so an export of curated data holds
exactly the triples of the files; the imported records are written by the record mapping
(``graph.importers.rdf``).

>>> from modelatlas.graph import load_graph
>>> rdf = as_rdf(load_graph(imports=False, cache=False))
>>> from modelatlas.graph.vocab import MA, RDF
>>> len(set(rdf.subjects(RDF.type, MA.Model))) > 10
True
"""

from __future__ import annotations

from rdflib import Graph

from modelatlas.graph.importers.rdf import imported_dataset
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import Paths
from modelatlas.graph.table import as_graph, read_table

__all__ = ["as_rdf"]


def as_rdf(kg: KnowledgeGraph, paths: Paths = None) -> Graph:
    """The data files under ``paths`` (default: the shipped data) and ``kg``'s imported records, as one Graph."""
    graph = as_graph(read_table(paths).dataset)
    for triple in imported_dataset(kg).triples((None, None, None)):
        graph.add(triple)
    return graph
