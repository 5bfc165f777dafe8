"""Data commands: ``modelatlas validate``, ``stats`` and ``export``.

    modelatlas validate [PATH...] [--reference]   check the curated files against the shapes and graph rules
    modelatlas stats [--no-imports]               counts per class and per edge kind, and load time
    modelatlas export --format turtle|jsonld|nt|graphml [-o FILE] [--no-imports]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
import typer

from modelatlas.api.cli.common import DataOption, ImportsOption, fail, load, settings
from modelatlas.graph import DataError
from modelatlas.graph.build import LoadReport

__all__ = ["ExportFormat", "export", "stats", "validate"]


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help=(
        "Data directories or .ttl files (default: MODELATLAS_DATA_DIR, else the shipped data)."))] = None,
    reference: Annotated[bool, typer.Option("--reference", help=(
        "Check with rdflib and pyshacl (the reference SHACL engine; slow at scale) instead of the service's "
        "compiled shapes."))] = False,
) -> None:
    """Validate the curated data files: Turtle syntax, SHACL shapes, no next-version cycles, claim precedence.

    By default the same checks the service runs when it loads (Oxigraph parser, shapes compiled to Python);
    ``--reference`` runs pyshacl over the same parsed triples. Both report the same problems (tests/test_scale.py).
    """
    from modelatlas.graph.table import read_table
    from modelatlas.graph.validate import problems_of

    try:
        table = read_table(paths or settings().data_paths())
        problems = problems_of(table, reference=reference)
        triples, count, version = len(table.dataset), len(table.files), table.version
    except DataError as exc:
        fail(exc)
    if problems:
        for problem in problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"invalid: {len(problems)} problem(s) in {count} file(s)", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"valid: {count} file(s), {triples} triples, data version {version}")


def stats(data: DataOption = None, imports: ImportsOption = None) -> None:
    """Counts per class and per edge kind, and how long loading took."""
    report = LoadReport()
    start = time.perf_counter()
    kg = load(data, imports, report=report)
    total = time.perf_counter() - start
    typer.echo(f"data version {kg.version}")
    typer.echo("entities:")
    for kind, n in kg.counts().items():
        typer.echo(f"  {kind:<14} {n:>6}")
    typer.echo("graph edges by kind:")
    kinds = Counter(d["kind"] for _, _, d in kg.graph.edges(data=True))
    for kind, n in sorted(kinds.items()):
        typer.echo(f"  {kind:<24} {n:>6}")
    typer.echo(f"projection: {kg.graph.number_of_nodes()} nodes, {kg.graph.number_of_edges()} edges")
    timings = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in report.timings.items()) or "from the compiled cache"
    typer.echo(f"load time: {total * 1000:.0f} ms ({timings})")


class ExportFormat(str, Enum):
    turtle = "turtle"
    jsonld = "jsonld"
    nt = "nt"
    graphml = "graphml"


def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.turtle,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
                      ] = None,
    data: DataOption = None,
    imports: ImportsOption = None,
) -> None:
    """Export the knowledge base as RDF (turtle, jsonld, nt) or the graph projection as GraphML.

    The RDF is the curated files plus, with imports, what the catalogs added (``--no-imports``: the curated files).
    """
    kg = load(data, imports)
    if format is ExportFormat.graphml:
        text = "\n".join(nx.generate_graphml(_graphml_safe(kg.graph)))
    else:
        from modelatlas.graph.export import as_rdf

        rdf = as_rdf(kg, data or settings().data_paths())  # the curated files, plus the imported records if loaded
        text = rdf.serialize(format={"turtle": "turtle", "jsonld": "json-ld", "nt": "nt"}[format.value])
    if output:
        tmp = output.with_suffix(output.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)  # never a half-written file
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


def _graphml_safe(g: Any) -> Any:
    """A copy of the projection with every attribute as text (GraphML has no lists or dates)."""
    out: Any = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        out.add_node(n, **{k: str(v) for k, v in d.items()})
    for a, b, k, d in g.edges(keys=True, data=True):
        out.add_edge(a, b, key=k, **{k2: str(v) for k2, v in d.items()})
    return out
