"""The one reader of the data files: Turtle parsed by Oxigraph (Rust), triples grouped by subject.

The table answers the reads that the record mapping and the graph rules make (``objects(s, p)``,
``subjects(p, o)``) with dictionary look-ups, over rdflib terms. Terms are interned: the millions of repeated
IRIs and dates of a large catalog are one object each, and the mapping's predicates are those very objects
(``graph.mapping.PREDICATES``), so a look-up is an identity hit. :func:`as_graph` copies a table into an rdflib
Graph for pyshacl (``modelatlas validate --reference``) and for the shapes.

>>> data = read_table()
>>> from modelatlas.graph.vocab import MA, RDF
>>> len(list(data.dataset.subjects(RDF.type, MA.Model))) > 10
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from modelatlas.graph.errors import DataError
from modelatlas.graph.load import (
    Paths,
    data_files,
    data_paths,
    data_root,
    graph_name,
    graph_names,
)
from modelatlas.graph.mapping import PREDICATES
from modelatlas.graph.vocab import PREFIXES, RDF, XSD

__all__ = ["LoadedTable", "TripleTable", "as_graph", "read_table"]

_STRING = str(XSD.string)


class TripleTable:
    """Triples as ``subject -> predicate -> [objects]``, plus ``class -> [instances]``."""

    def __init__(self) -> None:
        self.props: dict[Node, dict[Node, list[Node]]] = {}
        self.instances: dict[Node, list[Node]] = {}
        self.file_of: dict[Node, int] = {}
        self.triples_count = 0
        self.prefixes: dict[str, str] = {}  # as the files declare them (``@prefix src: <...>``)
        self._by_predicate: dict[Node, list[tuple[Node, Node]]] = {}
        self.predicates: dict[Node, Node] = {}  # each predicate -> the object used as key in ``props``

    def interned(self, predicate: Node) -> Node:
        """The table's own object for ``predicate`` (look-ups with it are identity hits), else ``predicate``."""
        return self.predicates.get(predicate, predicate)

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        """The objects of (subject, predicate), as ``rdflib.Graph.objects`` gives them."""
        return iter(self.props.get(subject, {}).get(predicate, ()))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        """The subjects of (predicate, obj); by class for ``rdf:type``, else through a per-predicate index."""
        if predicate == RDF.type:
            return iter(self.instances.get(obj, ()))
        pairs = self._by_predicate.get(predicate)
        if pairs is None:
            pairs = [(s, o) for s, props in self.props.items() for o in props.get(predicate, ())]
            self._by_predicate[predicate] = pairs
        return (s for s, o in pairs if o == obj)

    def __len__(self) -> int:
        return self.triples_count


@dataclass(frozen=True)
class LoadedTable:
    """The instance data of the data files, with what is needed to report on it."""

    dataset: TripleTable
    files: tuple[Path, ...]
    root: Path
    version: str  # a short hash of the files' names and bytes

    def file_label(self, subject: Node) -> str:
        """``<data dir name>/<path>`` of the file that types the subject, else ``?``."""
        index = self.dataset.file_of.get(subject)
        if index is None:
            return "?"
        rel = graph_name(self.files[index], self.root).removeprefix("file:///")
        return f"{self.root.name}/{rel}"


def as_graph(table: TripleTable) -> Graph:
    """The table as an rdflib Graph (for pyshacl and rdflib's serializers), with the files' prefixes."""
    graph = Graph()
    for prefix, ns in [*PREFIXES.items(), *table.prefixes.items()]:
        graph.bind(prefix, ns)
    for subject, props in table.props.items():
        for predicate, objects in props.items():
            for obj in objects:
                graph.add((subject, predicate, obj))
    return graph


class _Terms(dict[Any, Node]):
    """Interned rdflib terms, keyed by the Oxigraph term (hashed in Rust: a hit creates no Python string)."""

    def __init__(self) -> None:
        super().__init__({ox.NamedNode(str(term)): term for term in PREDICATES})

    def __missing__(self, term: ox.NamedNode | ox.Literal) -> Node:
        made: Node
        if type(term) is ox.NamedNode:
            made = URIRef(term.value)
        elif type(term) is ox.Literal:
            made = self._literal(term)
        else:
            raise TypeError(f"unexpected term {term!r}")
        self[term] = made
        return made

    def _literal(self, lit: ox.Literal) -> Literal:
        datatype = lit.datatype.value
        if lit.language:
            return Literal(lit.value, lang=lit.language)
        if datatype == _STRING:  # rdflib reads a plain "text" without a datatype: the same term, built directly
            return _literal(lit.value, None, lit.value, None)
        lexical, dt = lit.value, cast(URIRef, self[lit.datatype])
        parse = _CANONICAL.get(datatype)
        if parse is not None:
            try:
                value = parse(lexical)
            except (ValueError, KeyError, ArithmeticError):
                value = None
            if value is not None and _LEXICAL[datatype](value) == lexical:  # canonical form: nothing to normalise
                return _literal(lexical, dt, value, False)
        return Literal(lexical, datatype=dt)  # anything else: rdflib's constructor (normalisation, ill-typed check)


def _literal(lexical: str, datatype: URIRef | None, value: object, ill_typed: bool | None) -> Literal:
    """An rdflib Literal without its general constructor (~10x faster), for a lexical form known to be canonical."""
    term = str.__new__(Literal, lexical)
    term._language, term._datatype, term._value, term._ill_typed = None, datatype, value, ill_typed
    return term


_CANONICAL: dict[str, Callable[[str], object]] = {
    str(XSD.date): date.fromisoformat, str(XSD.decimal): Decimal, str(XSD.integer): int,
    str(XSD.boolean): {"true": True, "false": False}.__getitem__}
_LEXICAL: dict[str, Callable[[Any], str]] = {
    str(XSD.date): date.isoformat, str(XSD.decimal): str, str(XSD.integer): str,
    str(XSD.boolean): lambda b: "true" if b else "false"}


def read_table(paths: Paths = None) -> LoadedTable:
    """Parse every data file under ``paths`` (default: the shipped data) into one table.

    A syntax error raises DataError naming the file and line; nothing is returned half-read.
    """
    files = data_files(paths)
    if not files:
        raise DataError(f"{', '.join(map(str, data_paths(paths)))}: no .ttl data files found")
    base = data_root(paths)
    table, terms = TripleTable(), _Terms()
    props, instances, file_of = table.props, table.instances, table.file_of
    rdf_type, blank_node = RDF.type, ox.BlankNode
    blanks: dict[tuple[int, str], BNode] = {}
    preds: dict[ox.NamedNode, Node] = {}
    count, digest = 0, hashlib.sha256()
    names = graph_names(files, base)
    for index, path in enumerate(files):
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc}") from exc
        digest.update(names[index].encode())  # the data version: the files' names and bytes
        digest.update(text)
        by_pred: dict[Node, list[Node]] = {}
        try:
            last = None
            parser = ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=f"file:///{path.name}")
            for triple in parser:
                s = triple.subject
                if s != last:  # Turtle groups a subject's triples: look it up once per group
                    last = s
                    subject = _blank(blanks, index, s) if type(s) is blank_node else terms[s]
                    found = props.get(subject)
                    if found is None:
                        found = props[subject] = {}
                        file_of[subject] = index
                    by_pred = found
                p, o = triple.predicate, triple.object
                predicate = preds.get(p)
                if predicate is None:
                    predicate = preds[p] = terms[p]
                obj = _blank(blanks, index, o) if type(o) is blank_node else terms[o]
                values = by_pred.get(predicate)
                if values is None:
                    by_pred[predicate] = [obj]
                else:  # set semantics, as an rdflib Graph; terms are interned, so equal means identical
                    for value in values:
                        if value is obj:
                            break
                    else:
                        values.append(obj)
                        value = None
                    if value is not None:
                        continue  # a duplicate triple
                if predicate is rdf_type:
                    instances.setdefault(obj, []).append(subject)
                    file_of[subject] = index
                count += 1
            for prefix, namespace in parser.prefixes.items():
                table.prefixes.setdefault(prefix, namespace)
        except SyntaxError as exc:
            where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
            raise DataError(f"{where}: Turtle syntax error: {exc.msg}") from exc
    table.triples_count = count
    table.predicates = {p: p for p in preds.values()}
    return LoadedTable(table, files, base, digest.hexdigest()[:16])


def _blank(blanks: dict[tuple[int, str], BNode], index: int, node: Any) -> BNode:
    """One BNode per (file, label): blank node labels are local to their file."""
    key = (index, node.value)
    term = blanks.get(key)
    if term is None:
        term = blanks[key] = BNode(f"f{index}{node.value}")
    return term
