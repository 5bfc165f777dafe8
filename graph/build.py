"""The curated knowledge graph: parse the data files (``graph.table``), validate them, build records by the mapping.

``graph.load_graph`` calls :func:`load_curated` and adds the imported catalogs.

>>> kg = load_curated()
>>> kg.model("mistral.mistral-small-2402-v1:0").slug, kg.models["mistral-small-2402"].maker
('mistral-small-2402', 'mistral')
"""

from __future__ import annotations

import time
from typing import Any

from modelatlas.graph.errors import ValidationError
from modelatlas.graph.knowledge import KnowledgeGraph, gc_paused
from modelatlas.graph.load import Paths
from modelatlas.graph.mapping import RECORDS
from modelatlas.graph.table import LoadedTable, read_table

__all__ = ["LoadReport", "build_graph", "load_curated"]


class LoadReport:
    """Timings of one load, in seconds."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def timed(self, name: str, start: float) -> None:
        self.timings[name] = time.perf_counter() - start


def load_curated(paths: Paths = None, *, report: LoadReport | None = None) -> KnowledgeGraph:
    """Parse, validate and build the data files or directories (default: the shipped data).

    Raises DataError for unreadable files and ValidationError (with every problem) for invalid data;
    nothing is returned half-built.
    """
    from modelatlas.graph.validate import problems_of

    report = report or LoadReport()
    with gc_paused():  # millions of new objects, none cyclic garbage: the cyclic GC would rescan them all, repeatedly
        start = time.perf_counter()
        data = read_table(paths)
        report.timed("parse", start)
        start = time.perf_counter()
        problems = problems_of(data)
        report.timed("validate", start)
        if problems:
            raise ValidationError(problems)
        start = time.perf_counter()
        kg = build_graph(data, release=True)
        report.timed("build", start)
    return kg


def build_graph(data: LoadedTable, *, release: bool = False) -> KnowledgeGraph:
    """Every entity of the table as records (``graph.mapping``), indexed.

    With ``release`` the table is emptied once the records are read, before they are indexed: the peak memory
    of a large load is then the records plus their indexes, not the triples too.
    """
    table = data.dataset
    records: dict[str, list[Any]] = {}
    for kind in RECORDS:
        subjects = sorted(set(table.instances.get(kind.rdf_class, ())), key=str)
        records[kind.part] = [kind.read(s, table.props[s]) for s in subjects]
    if release:
        table.props.clear()
        table.instances.clear()
        table.file_of.clear()
    return KnowledgeGraph.from_records(version=data.version, **records)
