"""A graph as the store holds it: every record as N-Quads, one named graph per source, and the store's index graph.

Each record (``graph.mapping``) is written once, into one named graph: the curated file that states it
(``file:///models/mistral.ttl``, as ``graph.load`` names files), the catalog it was imported from
(``https://modelatlas.dev/graph/import/<source>``), or ``https://modelatlas.dev/graph/inferred`` for an inferred
succession link. Each record has its own subject, so a triple is in one graph only: the union of the graphs holds
no duplicate.

The index graph the pushed-down queries walk is ``graph.store.index``'s, derived from these N-Quads.

>>> from modelatlas.graph import load_graph
>>> kg = load_graph(imports=False, cache=False)
>>> text = b"".join(nquads(kg))
>>> b"<https://modelatlas.dev/id/model/mistral-small-2402> " in text, b"<file:///" in text
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from modelatlas.graph.kinds import LinkKind
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import Paths, graph_names
from modelatlas.graph.mapping import RECORDS
from modelatlas.graph.store.client import SparqlClient, value
from modelatlas.graph.store.index import INDEX_GRAPH, MAS
from modelatlas.graph.table import read_table
from modelatlas.graph.vocab import MA

__all__ = ["EDGE_KINDS", "GRAPH_BASE", "INFERRED_GRAPH", "PREFIXES", "data_version", "nquads"]

GRAPH_BASE = "https://modelatlas.dev/graph/import/"  # as graph.importers.rdf names the catalogs' graphs
INFERRED_GRAPH = "https://modelatlas.dev/graph/inferred"
EDGE_KINDS = (*(k.value for k in LinkKind), "ALIAS")  # each has a mas:up_<KIND> / mas:down_<KIND> pair
PREFIXES = (f"PREFIX ma: <{MA}>\nPREFIX mas: <{MAS}>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n")


def _term(node: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    raise TypeError(f"unexpected term {node!r}")


def _record_graph(record: Any, curated: dict[str, str]) -> str:
    """The named graph a record goes to (see the module docstring)."""
    slug = getattr(record, "slug", None)
    kind = type(record).__name__
    found = curated.get(f"{kind}:{slug}")
    if found is not None:
        return found
    if getattr(record, "inferred_by", None):
        return INFERRED_GRAPH
    provenance = getattr(record, "provenance", None)
    sources = sorted(provenance.sources) if provenance is not None else []
    return GRAPH_BASE + (sources[0] if sources else "unsourced")


def nquads(kg: KnowledgeGraph, paths: Paths = None, *, batch: int = 20000) -> Iterator[bytes]:
    """Every record of ``kg`` as N-Quads, in blocks; curated records in the graph of the file under ``paths``
    (default: the shipped data) that types them."""
    table = read_table(paths)
    names = graph_names(table.files, table.root)
    by_class = {str(kind.rdf_class): type_name for kind, type_name in ((k, k.record.__name__) for k in RECORDS)}
    curated: dict[str, str] = {}
    for cls, subjects in table.dataset.instances.items():
        type_name = by_class.get(str(cls))
        if type_name is None:
            continue
        for subject in subjects:
            index = table.dataset.file_of.get(subject)
            if index is not None:
                curated[f"{type_name}:{str(subject).rstrip('/').rsplit('/', 1)[-1]}"] = names[index]
    del table
    quads: list[ox.Quad] = []
    graphs: dict[str, ox.NamedNode] = {}
    terms: dict[Node, Any] = {}  # rdflib term -> Oxigraph term (IRIs and dates repeat a lot)
    for kind in RECORDS:
        part = getattr(kg, kind.part)
        records = part.values() if hasattr(part, "values") else part
        for record in records:
            name = _record_graph(record, curated)
            graph = graphs.get(name) or graphs.setdefault(name, ox.NamedNode(name))
            for s, p, o in kind.triples(record):
                sub, pred, obj = (terms[t] if t in terms else terms.setdefault(t, _term(t)) for t in (s, p, o))
                quads.append(ox.Quad(sub, pred, obj, graph))
            if len(quads) >= batch:
                yield ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
                quads = []
    if quads:
        yield ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def data_version(client: SparqlClient) -> str | None:
    """The data version the store was loaded with (``store load``), None when it has none."""
    rows = client.select(f"SELECT ?v WHERE {{ GRAPH <{INDEX_GRAPH}> {{ <{INDEX_GRAPH}> <{MAS}dataVersion> ?v }} }}")
    return value(rows[0], "v") if rows else None
