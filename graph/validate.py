"""Validation of the data: the SHACL shapes plus the rules shapes cannot say.

The shapes run compiled to Python (``graph.shapes_compiled``), or, with ``reference``, through pyshacl over the
same parsed table copied into an rdflib Graph. Every problem names the file, the subject and the property.
Rules beyond SHACL:

* next-version links form no cycle (so lineage walks never loop);
* a value with recorded claims is the one the precedence rule picks (``graph.precedence``);
* a family's ``ma:modelPattern`` is a regular expression, and umbrella families (``ma:parentFamily``) form no cycle.

>>> problems_of(read_table())
[]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from modelatlas.graph.errors import Problem
from modelatlas.graph.load import Paths, shapes_file
from modelatlas.graph.mapping import CLAIM, LINK, SOURCE, claim_node
from modelatlas.graph.precedence import current_of
from modelatlas.graph.records import Claim
from modelatlas.graph.table import LoadedTable, TripleTable, as_graph, read_table
from modelatlas.graph.vocab import MA, RDF, short

__all__ = ["problems_of", "read_shapes"]

FileOf = Callable[[Node], str]


def read_shapes(paths: Paths = None) -> Graph:
    """The SHACL shapes: ``shapes.ttl`` of the data directory if it has one, else the shipped one."""
    return as_graph(read_table([shapes_file(paths)]).dataset)


def problems_of(data: LoadedTable, *, reference: bool = False, shapes: Graph | None = None) -> list[Problem]:
    """Every problem of the data, sorted by file; an empty list means valid.

    ``reference`` checks the shapes with pyshacl (slow at scale) instead of the compiled shapes.
    """
    from modelatlas.graph.shapes_compiled import compile_shapes

    shapes = shapes if shapes is not None else read_shapes([data.root])
    if reference:
        problems = _shacl_problems(as_graph(data.dataset), shapes, data.file_label)
    else:
        problems = compile_shapes(shapes).problems(data.dataset, data.file_label)
    problems += _cycle_problems(data.dataset, data.file_label) + _precedence_problems(data.dataset, data.file_label)
    problems += _family_problems(data.dataset, data.file_label)
    return sorted(problems, key=lambda p: (p.file, p.subject, p.property, p.message))


def _one(results: Graph, subject: Node, predicate: URIRef) -> Node | None:
    return min(results.objects(subject, predicate), key=str, default=None)


def _shacl_problems(merged: Graph, shapes: Graph, file_of: FileOf) -> list[Problem]:
    """Run pyshacl and turn each validation result into a Problem."""
    import pyshacl

    _, results, _ = pyshacl.validate(merged, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus, path = _one(results, result, SH.focusNode), _one(results, result, SH.resultPath)
        value = _one(results, result, SH.value)
        message = str(_one(results, result, SH.resultMessage) or "violates a shape")
        if value is not None and value != focus:
            message += f" (value: {short(value) if isinstance(value, URIRef) else str(value)})"
        problems.append(Problem(file_of(focus) if focus is not None else "?", short(focus),
                                short(path) if path is not None else "", message))
    return problems


def _cycle_problems(table: TripleTable, file_of: FileOf) -> list[Problem]:
    versions: nx.DiGraph[Node] = nx.DiGraph()
    link_of = {}
    for link in table.subjects(LINK.predicate("kind"), MA.NextVersion):
        a = min(table.objects(link, LINK.predicate("source")), key=str, default=None)
        b = min(table.objects(link, LINK.predicate("target")), key=str, default=None)
        if a is not None and b is not None:
            versions.add_edge(a, b)
            link_of[(a, b)] = link
    if nx.is_directed_acyclic_graph(versions):  # the usual case: skip the cycle enumeration
        return []
    problems = []
    for cycle in nx.simple_cycles(versions):
        ring = cycle + [cycle[0]]
        names = " -> ".join(short(n) for n in ring)
        links = [link_of[(a, b)] for a, b in itertools.pairwise(ring)]
        newest = max(links, key=lambda link: (file_of(link), str(link)))
        where = ", ".join(f"{short(link)} ({file_of(link)})" for link in links)
        problems.append(Problem(file_of(newest), short(newest), "ma:linkKind",
                                f"next-version links form a cycle: {names}; links: {where}"))
    return problems


def _precedence_problems(table: TripleTable, file_of: FileOf) -> list[Problem]:
    """Each claimed value must be the winner's, by the same rule as GraphQL's ``current`` (over records)."""
    sources = {s.slug: s for s in (SOURCE.read(n, table.props[n]) for n in set(table.instances.get(SOURCE.rdf_class, ())))}
    groups: dict[tuple[Node, Node], list[Claim]] = {}
    for node in set(table.instances.get(CLAIM.rdf_class, ())):
        props = table.props[node]
        subject = min(props.get(CLAIM.predicate("subject"), ()), key=str, default=None)
        prop = min(props.get(CLAIM.predicate("property"), ()), key=str, default=None)
        if subject is not None and prop is not None:
            groups.setdefault((subject, prop), []).append(CLAIM.read(node, props))
    problems = []
    for (subject, prop), claims in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        values = list(table.objects(subject, prop))
        winner = current_of(sources, claims) if values else None
        if winner is None:
            continue
        expected = claim_node(winner.value)
        if not any(_same(expected, v) for v in values):
            current = ", ".join(sorted(short(v) if isinstance(v, URIRef) else str(v) for v in values))
            problems.append(Problem(
                file_of(subject), short(subject), short(prop),
                f"current value {current} is not the one the precedence rule picks: {expected} "
                f"from {short(CLAIM.iri(winner))} (rule: maker > catalog > third party, then newest ma:asOf)",
            ))
    return problems


def _family_problems(table: TripleTable, file_of: FileOf) -> list[Problem]:
    """Patterns that do not compile, and umbrella chains that loop (graph.families)."""
    problems = []
    parent: dict[Node, Node] = {}
    for family in sorted(set(table.instances.get(MA.ModelFamily, ())), key=str):
        for pattern in table.objects(family, MA.modelPattern):
            try:
                re.compile(str(pattern))
            except re.error as exc:
                problems.append(Problem(file_of(family), short(family), "ma:modelPattern",
                                        f"{str(pattern)!r} is not a regular expression ({exc})"))
        up = min(table.objects(family, MA.parentFamily), key=str, default=None)
        if up is not None:
            parent[family] = up
    for family in sorted(parent, key=str):
        seen, at = {family}, parent[family]
        while at in parent and at not in seen:
            seen.add(at)
            at = parent[at]
        if at == family:
            problems.append(Problem(file_of(family), short(family), "ma:parentFamily",
                                    "umbrella families form a cycle through this family"))
    return problems


def _same(a: Any, b: Node) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        return bool(a.toPython() == b.toPython() or str(a) == str(b))
    return bool(a == b)
