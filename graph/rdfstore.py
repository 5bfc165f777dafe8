"""One snapshot as an Oxigraph store with a named graph per source: what ``/sparql``, the IRIs and the dumps serve.

The store holds the very data the knowledge graph was built from, one named graph each:

* every curated data file, parsed from its bytes by Oxigraph (``https://modelatlas.dev/graph/curated/<path>``,
  e.g. ``.../curated/models/mistral/mistral-small`` for ``data/models/mistral/mistral-small.ttl``); the files'
  bytes are hashed as the loader hashes them, so a file changed since the snapshot was loaded is refused
  (:class:`StaleData`) rather than served beside a graph it does not match;
* what each catalog import added (``.../graph/import/models-dev-import``, ``genai-prices-import``,
  ``litellm-import``), written by the record mapping (``graph.importers.rdf``);
* the lineage links the inference rule proposed (``.../graph/inferred``);
* the vocabulary (``.../graph/vocab``), its mappings to standard vocabularies (``.../graph/mappings``, from
  ``data/mappings.ttl``) and what those mappings construct (``.../graph/standard``).

>>> from modelatlas.graph import load_graph
>>> snap = build_store(load_graph(imports=False, cache=False))
>>> "curated/models/mistral/mistral-small" in snap.graph_names and "standard" in snap.graph_names
True
>>> bool(snap.store.query("ASK { GRAPH ?g { ?new schema:successorOf ?old } }", prefixes=PREFIXES))
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from modelatlas.graph.errors import DataError
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import Paths, data_files, data_root, default_data_dir, graph_names
from modelatlas.graph.mapping import LINK
from modelatlas.graph.vocab import PREFIXES as TERM_PREFIXES

__all__ = ["GRAPH_NS", "PREFIXES", "GraphInfo", "SnapshotStore", "StaleData", "build_store", "curated_graph",
           "mappings_file"]

GRAPH_NS = "https://modelatlas.dev/graph/"
#: the prefixes every query may use undeclared, and the serializers write
PREFIXES: dict[str, str] = {
    **{name: str(ns) for name, ns in TERM_PREFIXES.items()},
    "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
    "fair4ml": "https://w3id.org/fair4ml#", "void": "http://rdfs.org/ns/void#", "src": "https://modelatlas.dev/id/source/",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


class StaleData(DataError):
    """The data files no longer hash to the snapshot's data version (edited since it was loaded: reload)."""


@dataclass(frozen=True)
class GraphInfo:
    """One named graph: its IRI, its short name (the IRI after ``/graph/``), its size and what it holds."""

    iri: str
    name: str
    triples: int
    title: str


@dataclass(frozen=True)
class SnapshotStore:
    """The Oxigraph store of one snapshot (read-only once built) and its named graphs."""

    store: ox.Store
    version: str
    graphs: tuple[GraphInfo, ...]

    @property
    def graph_names(self) -> dict[str, GraphInfo]:
        return {g.name: g for g in self.graphs}

    def __len__(self) -> int:
        return len(self.store)


def curated_graph(file_name: str) -> str:
    """The named graph of a curated file, from its ``graph.load.graph_name``.

    >>> curated_graph("file:///models/mistral/mistral-small.ttl")
    'https://modelatlas.dev/graph/curated/models/mistral/mistral-small'
    """
    return f"{GRAPH_NS}curated/{file_name.removeprefix('file:///').removesuffix('.ttl')}"


def mappings_file() -> Path:
    """``data/mappings.ttl``: the mappings to standard vocabularies, shipped with the package."""
    return default_data_dir() / "mappings.ttl"


def build_store(kg: KnowledgeGraph, paths: Paths = None) -> SnapshotStore:
    """The store of snapshot ``kg``, loaded from ``paths`` (default: the shipped data) plus ``kg``'s imports.

    Raises StaleData when the curated files are not those ``kg`` was built from, DataError for an unreadable file.
    """
    store = ox.Store()
    titles: dict[str, str] = {}
    files = data_files(paths)
    names = graph_names(files, data_root(paths))
    digest = hashlib.sha256()
    for path, name in zip(files, names, strict=True):
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc}") from exc
        digest.update(name.encode())
        digest.update(text)
        iri = curated_graph(name)
        store.load(text, format=ox.RdfFormat.TURTLE, base_iri=f"file:///{path.name}", to_graph=ox.NamedNode(iri))
        titles[iri] = f"curated data file {name.removeprefix('file:///')}"
    curated_version = digest.hexdigest()[:16]
    if kg.version.split("+", 1)[0] != curated_version:
        raise StaleData(f"{data_root(paths)}: the data files changed since data version {kg.version} was loaded "
                        f"(they now hash to {curated_version}); reload the service (SIGHUP or POST /admin/reload)")

    from modelatlas.graph.importers.rdf import imported_triples

    lines: list[str] = []
    nt = _NTriples()
    for graph, (s, p, o) in imported_triples(kg):
        lines.append(f"{nt(s)} {nt(p)} {nt(o)} <{graph}> .\n")
        titles.setdefault(graph, f"imported catalog {graph.rsplit('/', 1)[-1]}")
    inferred = GRAPH_NS + "inferred"
    lines += [f"{nt(s)} {nt(p)} {nt(o)} <{inferred}> .\n"
              for link in kg.links if link.inferred_by for s, p, o in LINK.triples(link)]
    titles[inferred] = "lineage links proposed by the inference rule (ma:inferredBy)"
    store.load("".join(lines), format=ox.RdfFormat.N_QUADS)
    del lines

    for name, path, title in (("vocab", default_data_dir() / "vocab.ttl", "the modelatlas vocabulary"),
                              ("mappings", mappings_file(), "mappings of the vocabulary to standard vocabularies")):
        store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH_NS + name))
        titles[GRAPH_NS + name] = title
    standard = GRAPH_NS + "standard"
    for triples in _standard_triples(store):  # serialized and parsed in Rust: no Python object per triple
        store.load(triples.serialize(format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.NamedNode(standard))
    titles[standard] = "the data restated in standard vocabularies (schema.org, FAIR4ML, PROV, OWL) by the mappings"
    graphs = tuple(GraphInfo(iri, iri.removeprefix(GRAPH_NS), _count(store, iri), titles.get(iri, ""))
                   for iri in sorted(titles))
    return SnapshotStore(store, kg.version, graphs)


def _standard_triples(store: ox.Store) -> Iterator[ox.QueryTriples]:
    """What the mappings of ``data/mappings.ttl`` construct from the instance data (not from the mappings)."""
    mappings, vocab = ox.NamedNode(GRAPH_NS + "mappings"), ox.NamedNode(GRAPH_NS + "vocab")
    data: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        g for g in store.named_graphs() if g not in (mappings, vocab)]
    rules = store.query("SELECT ?rule ?construct WHERE { ?rule a ma:StandardMapping ; ma:construct ?construct } "
                        "ORDER BY ?rule", prefixes=PREFIXES, default_graph=mappings)
    assert isinstance(rules, ox.QuerySolutions)
    texts = [(str(row["rule"].value), row["construct"].value) for row in rules]
    alignments = store.query(
        "SELECT ?kind ?term ?standard WHERE { VALUES ?kind { rdfs:subPropertyOf rdfs:subClassOf } ?term ?kind ?standard "
        "FILTER(STRSTARTS(STR(?term), STR(ma:))) }", prefixes=PREFIXES, default_graph=mappings)
    assert isinstance(alignments, ox.QuerySolutions)
    for row in alignments:
        term, standard = f"<{row['term'].value}>", f"<{row['standard'].value}>"
        if row["kind"] == ox.NamedNode(PREFIXES["rdfs"] + "subClassOf"):
            texts.append((term, f"CONSTRUCT {{ ?s a {standard} }} WHERE {{ ?s a {term} }}"))
        else:
            texts.append((term, f"CONSTRUCT {{ ?s {standard} ?o }} WHERE {{ ?s {term} ?o }}"))
    for rule, text in texts:
        try:
            triples = store.query(text, prefixes=PREFIXES, default_graph=data)
        except SyntaxError as exc:
            raise DataError(f"{mappings_file()}: {rule}: ma:construct is not valid SPARQL: {exc}") from None
        if not isinstance(triples, ox.QueryTriples):
            raise DataError(f"{mappings_file()}: {rule}: ma:construct must be a CONSTRUCT query")
        yield triples


def _count(store: ox.Store, iri: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)


class _NTriples:
    """rdflib terms as N-Triples terms, each IRI written once.

    >>> nt = _NTriples()
    >>> nt(URIRef("https://a.example/x")), nt(Literal('say "hi"\\n')), nt(Literal("2", datatype=XSD_INTEGER))
    ('<https://a.example/x>', '"say \\\\"hi\\\\"\\\\n"', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """

    ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})

    def __init__(self) -> None:
        self.iris: dict[str, str] = {}

    def __call__(self, term: Node) -> str:
        if type(term) is URIRef:
            text = self.iris.get(term)
            if text is None:
                text = self.iris[term] = f"<{term}>"
            return text
        if isinstance(term, Literal):
            quoted = '"' + str.translate(term, self.ESCAPES) + '"'
            if term.language:
                return f"{quoted}@{term.language}"
            datatype = term.datatype
            if datatype is None or str(datatype) == _XSD_STRING:
                return quoted
            return f"{quoted}^^{self(datatype)}"
        if isinstance(term, BNode):
            return f"_:b{term}"
        return self(URIRef(str(term)))
