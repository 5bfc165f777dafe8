"""Validation of the data: SHACL shapes (pyshacl) plus the rules shapes cannot say.

Every problem names the file, the subject and the property. Rules beyond SHACL:
* next-version links form no cycle (so lineage walks never loop);
* a value with recorded claims is the one the precedence rule picks (``graph.precedence``).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from modelatlas.graph.errors import Problem
from modelatlas.graph.load import LoadedData, read_shapes
from modelatlas.graph.precedence import current_claim
from modelatlas.graph.rdf_read import one
from modelatlas.graph.vocab import MA, RDF, short

__all__ = ["validate_data", "validate_table", "shacl_problems", "rule_problems"]


def validate_data(data: LoadedData, shapes: Graph | None = None) -> list[Problem]:
    """Every problem of the loaded data, SHACL first, sorted by file; an empty list means valid."""
    merged = Graph()
    for triple in data.dataset.triples((None, None, None)):
        merged.add(triple)
    files = _files_by_subject(data)
    problems = shacl_problems(merged, shapes if shapes is not None else read_shapes(data.root), files)
    problems += rule_problems(merged, files)
    return sorted(problems, key=lambda p: (p.file, p.subject, p.property, p.message))


def validate_table(data, shapes: Graph | None = None) -> list[Problem]:
    """``validate_data`` for a ``graph.table.LoadedTable``: the shapes compiled to Python (``graph.shapes_compiled``)
    instead of pyshacl, then the same graph rules; same Problem format, sorted the same way."""
    from modelatlas.graph.shapes_compiled import compile_shapes

    files = _TableFiles(data)
    compiled = compile_shapes(shapes if shapes is not None else read_shapes(data.root))
    problems = compiled.problems(data.dataset, data.file_label) + rule_problems(data.dataset, files)
    return sorted(problems, key=lambda p: (p.file, p.subject, p.property, p.message))


class _TableFiles:
    """``files.get(subject, default)`` over a LoadedTable, computed per asked subject (not for millions up front)."""

    def __init__(self, data) -> None:
        self._data = data

    def get(self, subject, default: str = "?") -> str:
        label = self._data.file_label(subject)
        return default if label == "?" else label


def _files_by_subject(data: LoadedData) -> dict:
    files: dict = {}
    for s, p, _, ctx in data.dataset.quads((None, None, None, None)):
        name = str(ctx.identifier if hasattr(ctx, "identifier") else ctx)
        rel = name.removeprefix("file:///")
        path = f"{data.root.name}/{rel}" if data.root else rel
        if p == RDF.type or s not in files:
            files[s] = path
    return files


def shacl_problems(merged: Graph, shapes: Graph, files: dict) -> list[Problem]:
    """Run pyshacl and turn each validation result into a Problem."""
    _, results, _ = pyshacl.validate(merged, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = one(results, result, SH.focusNode)
        path = one(results, result, SH.resultPath)
        value = one(results, result, SH.value)
        message = str(one(results, result, SH.resultMessage) or "violates a shape")
        if value is not None and value != focus:
            message += f" (value: {short(value) if isinstance(value, URIRef) else str(value)})"
        problems.append(Problem(files.get(focus, "?"), short(focus), short(path) if path is not None else "", message))
    return problems


def rule_problems(merged: Graph, files: dict) -> list[Problem]:
    return _cycle_problems(merged, files) + _precedence_problems(merged, files)


def _cycle_problems(merged: Graph, files: dict) -> list[Problem]:
    versions = nx.DiGraph()
    link_of = {}
    for link in merged.subjects(MA.linkKind, MA.NextVersion):
        a, b = one(merged, link, MA["from"]), one(merged, link, MA.to)
        if a is not None and b is not None:
            versions.add_edge(a, b)
            link_of[(a, b)] = link
    problems = []
    if nx.is_directed_acyclic_graph(versions):  # the usual case: skip the cycle enumeration
        return problems
    for cycle in nx.simple_cycles(versions):
        ring = cycle + [cycle[0]]
        names = " -> ".join(short(n) for n in ring)
        links = [link_of[(a, b)] for a, b in zip(ring, ring[1:])]
        newest = max(links, key=lambda l: (files.get(l, ""), str(l)))
        where = ", ".join(f"{short(l)} ({files.get(l, '?')})" for l in links)
        problems.append(Problem(files.get(newest, "?"), short(newest), "ma:linkKind",
                                f"next-version links form a cycle: {names}; links: {where}"))
    return problems


def _precedence_problems(merged: Graph, files: dict) -> list[Problem]:
    groups: dict[tuple, list] = {}
    for claim in merged.subjects(RDF.type, MA.Claim):
        subject, prop = one(merged, claim, MA.subject), one(merged, claim, MA.property)
        if subject is not None and prop is not None:
            groups.setdefault((subject, prop), []).append(claim)
    problems = []
    for (subject, prop), claims in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        values = list(merged.objects(subject, prop))
        if not values:
            continue
        winner = current_claim(merged, claims)
        if winner is None:
            continue
        expected = one(merged, winner, MA.value)
        if expected is not None and not any(_same(expected, v) for v in values):
            current = ", ".join(sorted(short(v) if isinstance(v, URIRef) else str(v) for v in values))
            problems.append(Problem(
                files.get(subject, "?"), short(subject), short(prop),
                f"current value {current} is not the one the precedence rule picks: {expected} "
                f"from {short(winner)} (rule: maker > catalog > third party, then newest ma:asOf)",
            ))
    return problems


def _same(a, b) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        return a.toPython() == b.toPython() or str(a) == str(b)
    return a == b
