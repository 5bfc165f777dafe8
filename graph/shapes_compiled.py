"""SHACL shapes compiled to Python checks, run over a ``graph.table.TripleTable`` in one pass per class.

pyshacl builds a results graph and walks the shapes per focus node through rdflib: ~300 ms on the 4k triples
of the curated data and hours on the 5M triples of a 100k-model catalog. ``data/shapes.ttl`` uses a small
part of SHACL Core: node shapes with ``sh:targetClass`` and property shapes with a predicate ``sh:path`` and
``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:in``, ``sh:nodeKind sh:IRI``,
``sh:pattern``, ``sh:minLength``, ``sh:minInclusive``, ``sh:minExclusive`` and ``sh:message``. Each is
compiled here to a plain check with SHACL's meaning (sh:class and targets follow rdfs:subClassOf; an
ill-typed literal fails sh:datatype). A shapes file that uses anything else is refused with an error,
never skipped: use pyshacl (``modelatlas validate --reference``) for it. ``tests/test_scale.py`` checks that both
find the same (subject, property) violations.

>>> from modelatlas.graph.validate import read_shapes
>>> shapes = compile_shapes(read_shapes())
>>> sorted(shapes.by_class)[:2]
['https://modelatlas.dev/ns#Alias', 'https://modelatlas.dev/ns#AliasBinding']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from modelatlas.graph.errors import Problem
from modelatlas.graph.vocab import RDF, RDFS, XSD, short

if TYPE_CHECKING:
    from modelatlas.graph.table import TripleTable

__all__ = ["CompiledShapes", "UnsupportedShapeError", "compile_shapes"]

_PROPERTY_KEYS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.nodeKind, SH.pattern,
                  SH.minLength, SH.minInclusive, SH.minExclusive, SH.message, SH.name, SH.description, RDF.type}
_NODE_KEYS = {RDF.type, SH.targetClass, SH.property, SH.message, RDFS.comment}

Spec = tuple[str, Any]  # (constraint kind, its argument)
ValueCheck = Callable[[Node], bool]
Members = Callable[[Node], set[Node]]
FileLabel = Callable[[Node], str]


class UnsupportedShapeError(ValueError):
    """The shapes use a SHACL feature this compiler does not implement."""


@dataclass(frozen=True)
class _PropertyCheck:
    path: URIRef
    min_count: int | None
    max_count: int | None
    value_checks: tuple[tuple[Spec, str], ...]  # ((kind, argument), default message), bound to a table when run
    message: str | None


@dataclass(frozen=True)
class CompiledShapes:
    """Property checks per target class (class IRI as a string, for a stable order)."""

    by_class: dict[str, tuple[_PropertyCheck, ...]]

    def problems(self, table: TripleTable, file_label: FileLabel) -> list[Problem]:
        """Every violation in ``table``; ``file_label(subject)`` names the file of a subject."""
        subclasses = _subclass_closure(table)
        members: dict[Node, set[Node]] = {}

        def instances(cls: Node) -> set[Node]:
            if cls not in members:
                members[cls] = {s for c in subclasses.get(cls, {cls}) for s in table.instances.get(c, ())}
            return members[cls]

        found: list[Problem] = []
        empty: dict[Node, list[Node]] = {}
        for cls_iri, checks in self.by_class.items():
            bound = [(table.interned(c.path), c.min_count or 0, c.max_count if c.max_count is not None else 1 << 62, c,
                      tuple((_bind(spec, instances), default) for spec, default in c.value_checks)) for c in checks]
            for focus in instances(URIRef(cls_iri)):
                props = table.props.get(focus, empty)
                for path, least, most, check, value_checks in bound:
                    values = props.get(path)
                    if values is None:
                        if least:
                            found.append(_problem(file_label, focus, check, None,
                                                  f"Less than {least} values on {short(focus)}->{short(path)}"))
                        continue
                    n = len(values)
                    if n < least:
                        found.append(_problem(file_label, focus, check, None,
                                              f"Less than {least} values on {short(focus)}->{short(path)}"))
                    if n > most:
                        found.append(_problem(file_label, focus, check, None,
                                              f"More than {most} values on {short(focus)}->{short(path)}"))
                    for value in values:
                        for ok, default in value_checks:
                            if not ok(value):
                                found.append(_problem(file_label, focus, check, value, default))
        return found


def _bind(spec: Spec, instances: Members) -> ValueCheck:
    """The check of one constraint as ``value -> bool``, over the table's class members."""
    kind, arg = spec
    if kind == "datatype":  # str.__eq__: a C comparison (rdflib's URIRef.__eq__ is Python)
        if arg == XSD.string:
            return lambda v: type(v) is Literal and v.datatype is None and not v.language or _datatype_is(v, arg)
        return lambda v: _datatype_is(v, arg)
    if kind == "class":
        members = instances(arg)
        return lambda v: v in members
    if kind == "in":
        return lambda v: v in arg
    if kind == "iri":
        return lambda v: isinstance(v, URIRef)
    if kind == "pattern":
        return lambda v: not isinstance(v, BNode) and arg.search(str(v)) is not None
    if kind == "min_length":
        return lambda v: not isinstance(v, BNode) and len(str(v)) >= arg
    if kind in ("min_inclusive", "min_exclusive"):
        return _bound_check(arg, strict=kind == "min_exclusive")
    raise UnsupportedShapeError(kind)


def _problem(file_label: FileLabel, focus: Node, check: _PropertyCheck, value: Node | None, default: str) -> Problem:
    message = check.message or default
    if value is not None and value != focus:
        message += f" (value: {short(value) if isinstance(value, URIRef) else str(value)})"
    return Problem(file_label(focus), short(focus), short(check.path), message)


def _subclass_closure(table: TripleTable) -> dict[Node, set[Node]]:
    """class -> itself and every class below it by rdfs:subClassOf in the data (SHACL's instance rule)."""
    below: dict[Node, set[Node]] = {}
    for sub, sup in ((s, o) for s, props in table.props.items() for o in props.get(RDFS.subClassOf, ())):
        below.setdefault(sup, set()).add(sub)
    closure: dict[Node, set[Node]] = {}
    for cls in below:
        seen, todo = {cls}, [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = seen
    return closure


def _datatype_is(value: Node, datatype: URIRef) -> bool:
    return isinstance(value, Literal) and str.__eq__(_datatype_of(value), datatype) and not value.ill_typed


def _datatype_of(value: Literal) -> URIRef:
    if value.language:
        return RDF.langString
    return value.datatype or XSD.string


def _compile_value_checks(shapes: Graph, node: Node) -> list[tuple[Spec, str]]:
    checks: list[tuple[Spec, str]] = []
    for datatype in shapes.objects(node, SH.datatype):
        checks.append((("datatype", datatype), f"Value is not Literal with datatype {short(datatype)}"))
    for cls in shapes.objects(node, SH["class"]):
        checks.append((("class", cls), f"Value does not have class {short(cls)}"))
    for head in shapes.objects(node, SH["in"]):
        allowed = frozenset(Collection(shapes, head))
        checks.append((("in", allowed), "Value not in list " + str(sorted(short(x) for x in allowed))))
    for kind in shapes.objects(node, SH.nodeKind):
        if kind != SH.IRI:
            raise UnsupportedShapeError(f"sh:nodeKind {short(kind)} is not compiled (only sh:IRI)")
        checks.append((("iri", None), "Value is not of Node Kind sh:IRI"))
    for pattern in shapes.objects(node, SH.pattern):
        checks.append((("pattern", re.compile(str(pattern))), f"Value does not match pattern '{pattern}'"))
    for length in shapes.objects(node, SH.minLength):
        checks.append((("min_length", int(str(length))), f"String length not >= {length}"))
    for bound in shapes.objects(node, SH.minInclusive):
        checks.append((("min_inclusive", bound), f"Value is not >= {bound}"))
    for bound in shapes.objects(node, SH.minExclusive):
        checks.append((("min_exclusive", bound), f"Value is not > {bound}"))
    return checks


def _bound_check(bound: Literal, strict: bool) -> ValueCheck:
    limit = bound.toPython()

    def ok(value: Node) -> bool:
        if not isinstance(value, Literal) or value.ill_typed:
            return False
        try:
            return bool(value.toPython() > limit if strict else value.toPython() >= limit)
        except TypeError:  # incomparable (a string against a number): a violation, as in SHACL
            return False

    return ok


def _single_int(shapes: Graph, node: Node, key: URIRef) -> int | None:
    values = list(shapes.objects(node, key))
    return int(str(values[0])) if values else None


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile the node shapes of ``shapes``; raises UnsupportedShapeError for SHACL features not implemented."""
    by_class: dict[str, list[_PropertyCheck]] = {}
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        for key in set(shapes.predicates(shape)):
            if key not in _NODE_KEYS:
                raise UnsupportedShapeError(f"{short(shape)} uses {short(key)} on a node shape, which is not compiled")
        targets = list(shapes.objects(shape, SH.targetClass))
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            for key in set(shapes.predicates(prop)):
                if key not in _PROPERTY_KEYS:
                    raise UnsupportedShapeError(f"{short(prop)} uses {short(key)}, which is not compiled")
            path = next(iter(shapes.objects(prop, SH.path)), None)
            if not isinstance(path, URIRef):
                raise UnsupportedShapeError(f"{short(prop)}: only predicate paths are compiled")
            message = next(iter(shapes.objects(prop, SH.message)), None)
            check = _PropertyCheck(path, _single_int(shapes, prop, SH.minCount), _single_int(shapes, prop, SH.maxCount),
                                   tuple(_compile_value_checks(shapes, prop)), str(message) if message is not None else None)
            for cls in targets:
                by_class.setdefault(str(cls), []).append(check)
    return CompiledShapes({cls: tuple(checks) for cls, checks in sorted(by_class.items())})
