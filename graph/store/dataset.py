"""A graph as the store holds it: every record as N-Quads, one named graph per source, and the store's index graph.

Each record (``graph.mapping``) is written once, into one named graph: the curated file that states it
(``file:///models/mistral.ttl``, as ``graph.load`` names files), the catalog it was imported from
(``https://modelatlas.dev/graph/import/<source>``), or ``https://modelatlas.dev/graph/inferred`` for an inferred
succession link. Each record has its own subject, so a triple is in one graph only: the union of the graphs holds
no duplicate.

The index graph (``INDEX_GRAPH``) holds what the pushed-down queries walk, derived in the store by SPARQL UPDATE
(:data:`INDEX_UPDATES`) from the records' triples:

* ``mas:up_<KIND>`` / ``mas:down_<KIND>`` on each lineage link: its ancestor and descendant end (a DERIVED_FROM
  link is stored derived -> base and walked base -> derived), one predicate pair per kind, so a property path can
  follow the kinds asked for;
* ``mas:weight`` of each model (1 per capability, 2 per suited-for use case, 0.5 per modality: the total weight
  of ``graph.similarity``) and ``mas:tiePrice``, the blended price of its cheapest route as the price ladder
  ranks them (paid routes first, then free tiers; ``NO_PRICE`` without one) and ``mas:ctx``, its context window
  (0 when unknown): the tie-breaks of alternatives, as required triples (an OPTIONAL costs a scan in Oxigraph);
* ``mas:fw`` ``<fw/<kind>/<feature>/<weight>>``: each feature of a model at the model's total weight, so the
  alternatives walk reads only the candidates of the weights it asks for (the size bound of ``graph.similarity``);
* ALIAS edges between consecutive targets of a moving alias (``alias_edge_quads``): computed by
  ``graph.algorithms.aliases`` from the bindings the store returns, then inserted; ``mas:validFrom`` /
  ``mas:validTo`` are always there ("" for an open end), so the walk reads them without an OPTIONAL.

>>> from modelatlas.graph import load_graph
>>> kg = load_graph(imports=False, cache=False)
>>> text = b"".join(nquads(kg))
>>> b"<https://modelatlas.dev/id/model/mistral-small-2402> " in text, b"<file:///" in text
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from modelatlas.graph.kinds import LinkKind, Status
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import Paths, graph_names
from modelatlas.graph.mapping import RECORDS
from modelatlas.graph.records import Alias, AliasBinding, Model
from modelatlas.graph.store.client import SparqlClient, value
from modelatlas.graph.table import read_table
from modelatlas.graph.vocab import ID_BASE, MA

__all__ = [
    "EDGE_KINDS",
    "FW_BASE",
    "GRAPH_BASE",
    "INDEX_GRAPH",
    "INDEX_UPDATES",
    "INFERRED_GRAPH",
    "MAS",
    "NO_PRICE",
    "alias_edge_quads",
    "build_index",
    "data_version",
    "nquads",
]

MAS = "https://modelatlas.dev/ns/store#"  # the store's index vocabulary (never in data/)
GRAPH_BASE = "https://modelatlas.dev/graph/import/"  # as graph.importers.rdf names the catalogs' graphs
INFERRED_GRAPH = "https://modelatlas.dev/graph/inferred"
INDEX_GRAPH = "https://modelatlas.dev/graph/store-index"
EDGE_KINDS = (*(k.value for k in LinkKind), "ALIAS")  # each has a mas:up_<KIND> / mas:down_<KIND> pair
_LINK_IRIS = {LinkKind.NEXT_VERSION: MA.NextVersion, LinkKind.RECOMMENDED_REPLACEMENT: MA.RecommendedReplacement,
              LinkKind.DERIVED_FROM: MA.DerivedFrom, LinkKind.POSITIONED_SUCCESSOR: MA.PositionedSuccessor}
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


def _link_updates() -> list[str]:
    updates = []
    for kind, iri in _LINK_IRIS.items():
        anc, desc = ("?t", "?f") if kind == LinkKind.DERIVED_FROM else ("?f", "?t")
        where = f"GRAPH ?g3 {{ ?l ma:linkKind <{iri}> }}"
        if kind == LinkKind.NEXT_VERSION:  # no kind, or one outside the vocabulary, reads as NEXT_VERSION
            known = ", ".join(f"<{i}>" for i in _LINK_IRIS.values())
            where = (f"{{ {where} }} UNION {{ FILTER NOT EXISTS {{ GRAPH ?g4 {{ ?l ma:linkKind ?k . "
                     f"FILTER(?k IN ({known})) }} }} }}")
        updates.append(
            f"{PREFIXES}INSERT {{ GRAPH <{INDEX_GRAPH}> {{ ?l mas:up_{kind.value} {anc} ; mas:down_{kind.value} {desc} }} }}\n"
            f"WHERE {{ GRAPH ?g0 {{ ?l rdf:type ma:LineageLink }} GRAPH ?g1 {{ ?l ma:from ?f }} "
            f"GRAPH ?g2 {{ ?l ma:to ?t }} {where} }}")
    return updates


_WEIGHT = f"""{PREFIXES}INSERT {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:weight ?w }} }}
WHERE {{ SELECT ?m (SUM(?x) AS ?w) WHERE {{ SELECT DISTINCT ?m ?k ?f ?x WHERE {{
  GRAPH ?g0 {{ ?m rdf:type ma:Model }}
  {{ GRAPH ?g {{ ?m ma:capability ?f }} BIND("c" AS ?k) BIND(1.0 AS ?x) }}
  UNION {{ GRAPH ?g {{ ?m ma:suitedFor ?f }} BIND("u" AS ?k) BIND(2.0 AS ?x) }}
  UNION {{ GRAPH ?g {{ ?m ma:inputModality ?f }} BIND("i" AS ?k) BIND(0.5 AS ?x) }}
  UNION {{ GRAPH ?g {{ ?m ma:outputModality ?f }} BIND("o" AS ?k) BIND(0.5 AS ?x) }}
}} }} GROUP BY ?m }}"""

FW_BASE = "https://modelatlas.dev/ns/store/fw/"  # <fw/<kind>/<feature>/<model weight>>: c, u, i, o as in _WEIGHT
_FEATURE_AT_WEIGHT = f"""{PREFIXES}INSERT {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:fw ?fw }} }}
WHERE {{
  GRAPH <{INDEX_GRAPH}> {{ ?m mas:weight ?w }}
  {{ GRAPH ?g {{ ?m ma:capability ?f }} BIND("c" AS ?k) }} UNION {{ GRAPH ?g {{ ?m ma:suitedFor ?f }} BIND("u" AS ?k) }}
  UNION {{ GRAPH ?g {{ ?m ma:inputModality ?f }} BIND("i" AS ?k) }}
  UNION {{ GRAPH ?g {{ ?m ma:outputModality ?f }} BIND("o" AS ?k) }}
  BIND(IRI(CONCAT("{FW_BASE}", ?k, "/", ENCODE_FOR_URI(STR(?f)), "/", STR(?w))) AS ?fw)
}}"""

NO_PRICE = "1e30"  # mas:tiePrice of a model without a priced route (ranked last); mas:ctx is 0 without a context
_CONTEXT = f"""{PREFIXES}INSERT {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:ctx ?ctx }} }}
WHERE {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:weight ?w }}
  OPTIONAL {{ SELECT ?m (MIN(?c) AS ?c0) WHERE {{ GRAPH ?g {{ ?m ma:contextWindow ?c }} }} GROUP BY ?m }}
  BIND(COALESCE(?c0, 0) AS ?ctx) }}"""
_NO_PRICE = f"""{PREFIXES}INSERT {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:tiePrice {NO_PRICE} }} }}
WHERE {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:weight ?w }} FILTER NOT EXISTS {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:tiePrice ?p }} }} }}"""

# the ladder's first route: the cheapest paid one (both prices known, not both zero), else a free tier (0 / 0)
_PAID_PRICE = f"""{PREFIXES}INSERT {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:tiePrice ?p }} }}
WHERE {{ SELECT ?m (MIN(?b) AS ?p) WHERE {{
  GRAPH ?g0 {{ ?o rdf:type ma:Offering }} GRAPH ?g1 {{ ?o ma:model ?m }}
  GRAPH ?g2 {{ ?o ma:inputPrice ?i }} GRAPH ?g3 {{ ?o ma:outputPrice ?out }}
  FILTER(?i != 0 || ?out != 0) BIND((3 * ?i + ?out) / 4 AS ?b)
}} GROUP BY ?m }}"""
_FREE_PRICE = f"""{PREFIXES}INSERT {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:tiePrice 0.0 }} }}
WHERE {{ SELECT DISTINCT ?m WHERE {{
  GRAPH ?g0 {{ ?o rdf:type ma:Offering }} GRAPH ?g1 {{ ?o ma:model ?m }}
  GRAPH ?g2 {{ ?o ma:inputPrice ?i }} GRAPH ?g3 {{ ?o ma:outputPrice ?out }} FILTER(?i = 0 && ?out = 0)
  FILTER NOT EXISTS {{ GRAPH <{INDEX_GRAPH}> {{ ?m mas:tiePrice ?paid }} }}
}} }}"""

#: the updates that derive the index graph from the records' triples, in order
INDEX_UPDATES: tuple[str, ...] = (f"DROP SILENT GRAPH <{INDEX_GRAPH}>", *_link_updates(), _WEIGHT,
                                  _FEATURE_AT_WEIGHT, _CONTEXT, _PAID_PRICE, _FREE_PRICE, _NO_PRICE)

_BINDINGS = f"""{PREFIXES}SELECT ?b ?a ?name ?t ?from ?to ?seen ?release WHERE {{
  ?b rdf:type ma:AliasBinding ; ma:alias ?a ; ma:target ?t .
  OPTIONAL {{ ?a <https://schema.org/name> ?name }}
  OPTIONAL {{ ?b ma:validFrom ?from }} OPTIONAL {{ ?b ma:validTo ?to }} OPTIONAL {{ ?b ma:observedOn ?seen }}
  OPTIONAL {{ ?t ma:releaseDate ?release }}
}}"""


def _slug(iri: str | None) -> str:
    return (iri or "").rstrip("/").rsplit("/", 1)[-1]


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def alias_edge_quads(client: SparqlClient) -> list[ox.Quad]:
    """The ALIAS edges of every alias in the store: its bindings' history (``alias_history``, the one rule), each
    change of target one edge node ``<id/edge/<alias>/<i>>`` with ``mas:up_ALIAS`` / ``mas:down_ALIAS``, its dates,
    the alias name and its place ``mas:order`` in the history."""
    from modelatlas.graph.algorithms.aliases import alias_history

    rows = client.select(_BINDINGS)
    aliases: dict[str, Alias] = {}
    bindings: dict[str, AliasBinding] = {}
    releases: dict[str, date | None] = {}
    for row in rows:
        a, target = _slug(value(row, "a")), _slug(value(row, "t"))
        aliases.setdefault(a, Alias(a, value(row, "name") or a))
        slug = _slug(value(row, "b"))
        bindings.setdefault(slug, AliasBinding(slug, a, target, _day(value(row, "from")), _day(value(row, "to")),
                                               _day(value(row, "seen"))))
        releases.setdefault(target, _day(value(row, "release")))
    models = [Model(s, s, "", Status.ACTIVE, release_date=r) for s, r in releases.items()]
    mini = KnowledgeGraph.from_records(version="aliases", models=models, aliases=aliases.values(),
                                       bindings=bindings.values())
    index = ox.NamedNode(INDEX_GRAPH)
    quads: list[ox.Quad] = []
    for alias in sorted(aliases):
        history = alias_history(mini, alias)
        for i in range(1, len(history)):
            (prev, _, _), (nxt, start, end) = history[i - 1], history[i]
            if prev.target == nxt.target:
                continue
            node = ox.NamedNode(f"{ID_BASE}edge/{alias}/{i}")
            quads += [ox.Quad(node, ox.NamedNode(MAS + "up_ALIAS"), ox.NamedNode(f"{ID_BASE}model/{prev.target}"), index),
                      ox.Quad(node, ox.NamedNode(MAS + "down_ALIAS"), ox.NamedNode(f"{ID_BASE}model/{nxt.target}"), index),
                      ox.Quad(node, ox.NamedNode(MAS + "aliasName"), ox.Literal(aliases[alias].name), index),
                      ox.Quad(node, ox.NamedNode(MAS + "order"), ox.Literal(str(i), datatype=ox.NamedNode(
                          "http://www.w3.org/2001/XMLSchema#integer")), index)]
            for pred, day in (("validFrom", start), ("validTo", end)):  # always there: "" for an open end
                term = ox.Literal("") if day is None else ox.Literal(day.isoformat(), datatype=ox.NamedNode(
                    "http://www.w3.org/2001/XMLSchema#date"))
                quads.append(ox.Quad(node, ox.NamedNode(MAS + pred), term, index))
    return quads


def build_index(client: SparqlClient, version: str | None = None) -> None:
    """Derive the index graph in the store (:data:`INDEX_UPDATES`, then the ALIAS edges); with ``version``, record
    it as the store's data version."""
    for update in INDEX_UPDATES:
        client.update(update)
    quads = alias_edge_quads(client)
    if version is not None:
        quads.append(ox.Quad(ox.NamedNode(INDEX_GRAPH), ox.NamedNode(MAS + "dataVersion"), ox.Literal(version),
                             ox.NamedNode(INDEX_GRAPH)))
    if quads:
        client.upload([ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""])


def data_version(client: SparqlClient) -> str | None:
    """The data version the store was loaded with (``store load``), None when it has none."""
    rows = client.select(f"SELECT ?v WHERE {{ GRAPH <{INDEX_GRAPH}> {{ <{INDEX_GRAPH}> <{MAS}dataVersion> ?v }} }}")
    return value(rows[0], "v") if rows else None
