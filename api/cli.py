"""The ``modelatlas`` command line.

    modelatlas validate [PATH...]     check data files against the shapes and graph rules
    modelatlas stats                  counts per class and per edge kind, and load time
    modelatlas export --format turtle|jsonld|nt|graphml [-o FILE]
    modelatlas show MODEL             a readable card for one model
    modelatlas serve                  the GraphQL service
    modelatlas export-schema          print the GraphQL SDL
    modelatlas import / resolve       catalog imports and identity resolution (api/cli_catalog.py)
    modelatlas bench                  HTTP benchmark against the service's own ceiling (api/cli_bench.py)
    modelatlas synth / bench-scale    synthetic catalogs and the scale benchmark (api/cli_scale.py)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from modelatlas.api.cli_errors import fail

from modelatlas.graph import DataError, KnowledgeGraphError, ValidationError, load_graph
from modelatlas.graph.build import LoadReport

app = typer.Typer(add_completion=False, no_args_is_help=True, help="modelatlas: the LLM model landscape as a knowledge graph.")

DataOption = typer.Option(None, "--data", "-d", help="Data directory or files (default: the shipped knowledge base).")



def _load(data: Optional[list[Path]]):
    try:
        return load_graph(data, imports=False, cache=False)
    except KnowledgeGraphError as exc:
        fail(exc)


@app.command()
def validate(
    paths: list[Path] = typer.Argument(None, help="Data directories or .ttl files (default: shipped data)."),
    reference: bool = typer.Option(False, "--reference", help="Check with rdflib and pyshacl (the reference SHACL "
                                   "engine; slow at scale) instead of the service's compiled shapes."),
) -> None:
    """Validate data files: Turtle syntax, SHACL shapes, no next-version cycles, claim precedence.

    By default the same checks the service runs when it loads (Oxigraph parser, shapes compiled to Python);
    ``--reference`` runs pyshacl over an rdflib Dataset. Both report the same problems (tests/test_scale.py).
    """
    from modelatlas.graph.table import read_table
    from modelatlas.graph.validate import problems_of

    try:
        data = read_table(paths)
        problems = problems_of(data, reference=reference)
        triples = len(data.dataset)
    except DataError as exc:
        fail(exc)
    if problems:
        for problem in problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"invalid: {len(problems)} problem(s) in {len(data.files)} file(s)", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"valid: {len(data.files)} file(s), {triples} triples, data version {data.version}")


@app.command()
def stats(data: Optional[list[Path]] = DataOption) -> None:
    """Counts per class and per edge kind, and how long loading took."""
    report = LoadReport()
    start = time.perf_counter()
    try:
        kg = load_graph(data, imports=False, cache=False, report=report)
    except KnowledgeGraphError as exc:
        fail(exc)
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
    timings = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in report.timings.items())
    typer.echo(f"load time: {total * 1000:.0f} ms ({timings})")


class ExportFormat(str, Enum):
    turtle = "turtle"
    jsonld = "jsonld"
    nt = "nt"
    graphml = "graphml"


@app.command()
def export(
    format: ExportFormat = typer.Option(ExportFormat.turtle, "--format", "-f"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
    data: Optional[list[Path]] = DataOption,
) -> None:
    """Export the knowledge base as RDF (turtle, jsonld, nt) or the graph projection as GraphML."""
    kg = _load(data)
    if format is ExportFormat.graphml:
        import networkx as nx

        text = "\n".join(nx.generate_graphml(_graphml_safe(kg.graph)))
    else:
        from modelatlas.graph.export import as_rdf

        text = as_rdf(kg, data).serialize(format={"turtle": "turtle", "jsonld": "json-ld", "nt": "nt"}[format.value])
    if output:
        tmp = output.with_suffix(output.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)  # never a half-written file
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


def _graphml_safe(g):
    import networkx as nx

    out = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        out.add_node(n, **{k: str(v) for k, v in d.items()})
    for a, b, k, d in g.edges(keys=True, data=True):
        out.add_edge(a, b, key=k, **{k2: str(v) for k2, v in d.items()})
    return out


@app.command()
def show(
    model: str = typer.Argument(..., help="A model slug, API id, route id or alias."),
    data: Optional[list[Path]] = DataOption,
) -> None:
    """A readable card: facts, successors, routes with prices, routers, license."""
    from modelatlas.api.card import model_card

    kg = _load(data)
    try:
        typer.echo(model_card(kg, model, date.today()))
    except KnowledgeGraphError as exc:
        fail(exc)


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, help="Bind address (default 127.0.0.1, or MODELATLAS_HOST)."),
    port: Optional[int] = typer.Option(None, help="Port (default 8000, or MODELATLAS_PORT)."),
    dev: bool = typer.Option(False, "--dev", help="Development mode: introspection, GraphiQL, field suggestions."),
    workers: Optional[int] = typer.Option(None, help="Worker processes (default 1, or MODELATLAS_WORKERS)."),
) -> None:
    """Start the GraphQL service (GraphQL at /graphql, health at /healthz and /readyz, metrics at /metrics)."""
    import os

    import uvicorn

    from modelatlas.api.settings import Settings

    overrides = {k: v for k, v in {"host": host, "port": port, "workers": workers}.items() if v is not None}
    if dev:
        overrides["production"] = False
    try:
        settings = Settings.from_env(**overrides)
    except ValueError as exc:
        fail(exc)
    single = settings.workers == 1
    try:  # load before the server starts: bad data is a clear message and exit 1, never a half-started server
        kg = load_graph(settings.data_paths(), imports=settings.imports, cache=settings.cache,
                        cache_dir=settings.cache_path(), background_write=single)
    except KnowledgeGraphError as exc:
        fail(exc)
    os.environ.update(settings.to_env())
    typer.echo(f"modelatlas serving on http://{settings.host}:{settings.port}/graphql", err=True)
    if single:  # one process: serve the graph just loaded (its cache entry is written meanwhile)
        from modelatlas.api.app import create_app, configure_logging

        configure_logging()
        uvicorn.run(create_app(settings, kg=kg), host=settings.host, port=settings.port, log_level="warning",
                    access_log=False)
    else:  # worker processes load the compiled cache written above
        uvicorn.run("modelatlas.api.app:app_from_env", factory=True, host=settings.host, port=settings.port,
                    workers=settings.workers, log_level="warning", access_log=False)


@app.command("export-schema")
def export_schema(output: Optional[Path] = typer.Option(None, "--output", "-o")) -> None:
    """Print (or write) the GraphQL schema as SDL."""
    from modelatlas.schema import schema

    text = schema.as_str() + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


from modelatlas.api import cli_bench, cli_catalog, cli_scale  # noqa: E402  (commands of other areas register themselves)

for _module in (cli_catalog, cli_bench, cli_scale):
    _module.register(app)

if __name__ == "__main__":
    app()
