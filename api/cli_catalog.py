"""Catalog commands: ``modelatlas import`` and ``modelatlas resolve`` (issue 5).

    modelatlas import [--data DIR] [--cache-dir DIR] [--rdf FILE.trig]   rebuild the compiled cache with both
                                                        catalogs; print the report
    modelatlas resolve ID [--provider P] [--name N] [--as-of DATE]   which model an id resolves to, and by which rule
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from modelatlas.api.cli_errors import fail

from modelatlas.graph import KnowledgeGraphError

DataOption = typer.Option(None, "--data", "-d", help="Data directory or files (default: the shipped knowledge base).")



def import_catalogs_command(
    data: Optional[list[Path]] = DataOption,
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Compiled-cache directory (default: MODELATLAS_CACHE_DIR or ~/.cache/modelatlas)."),
    rdf: Optional[Path] = typer.Option(None, "--rdf", help="Also write the imported nodes and claims as TriG, one named graph per catalog."),
) -> None:
    """Import models.dev and genai-prices (offline, from the installed packages), rebuild the compiled cache, print the report."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from modelatlas.api.settings import Settings
    from modelatlas.graph import load_graph

    try:
        settings = Settings.from_env()
    except ValueError as exc:
        fail(exc)
    from modelatlas.graph.cache import default_cache_dir

    cache_dir = cache_dir or settings.cache_path() or default_cache_dir()
    try:  # the point of import is a fresh compiled cache: an unwritable directory is an error, found before the work
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=cache_dir):
            pass
    except OSError as exc:
        fail(OSError(f"--cache-dir {cache_dir}: cannot write the compiled cache there ({exc.strerror or exc})"))
    reports: list = []
    start = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task("resolving catalog rows", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            kg = load_graph(data, imports=True, cache_dir=cache_dir, refresh=True, import_report=reports,
                            progress=progress)
        except KnowledgeGraphError as exc:
            fail(exc)
    cold = time.perf_counter() - start
    for line in reports[0].lines() if reports else []:
        typer.echo(line)
    start = time.perf_counter()
    load_graph(data, imports=True, cache_dir=cache_dir)
    warm = time.perf_counter() - start
    typer.echo(f"graph: {len(kg.models)} models, {len(kg.offerings)} offerings, {len(kg.providers)} providers, "
               f"{len(kg.claims)} claims (data version {kg.version})")
    typer.echo(f"cold import (parse, validate, import, index, write cache): {cold:.2f} s; "
               f"restart from the compiled cache: {warm:.2f} s")
    if rdf:
        from modelatlas.graph.importers.rdf import imported_dataset

        tmp = rdf.with_name(rdf.name + ".tmp")
        tmp.write_text(imported_dataset(kg).serialize(format="trig"), encoding="utf-8")
        tmp.replace(rdf)  # never a half-written file
        typer.echo(f"wrote {rdf}")


def resolve_command(
    ident: str = typer.Argument(..., help="A provider's model id, e.g. @cf/mistralai/mistral-small-3.1-24b-instruct."),
    provider: Optional[str] = typer.Option(None, "--provider", "-p", help="Provider slug the id is used on."),
    name: Optional[str] = typer.Option(None, "--name", help="The row's display name (\"... (latest)\" names a moving alias)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="ISO date for moving aliases (default: today)."),
    data: Optional[list[Path]] = DataOption,
) -> None:
    """Which canonical model an id resolves to, and the rule that matched (curated data only, no import)."""
    from modelatlas.graph import load_graph
    from modelatlas.graph.catalog import identity_tables_for
    from modelatlas.graph.resolve import Resolver, parse_id

    if not ident.strip():
        fail(ValueError("ID is empty: give a provider's model id, e.g. @cf/mistralai/mistral-small-3.1-24b-instruct"))
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail(ValueError(f"--as-of {as_of!r}: expected an ISO date such as 2026-05-21"))
    try:
        resolver = Resolver(load_graph(data, imports=False, cache=False), identity_tables_for(data))
    except KnowledgeGraphError as exc:
        fail(exc)
    result = resolver.resolve(ident, provider=provider, name=name, as_of=day)
    parsed = parse_id(ident)
    typer.echo(f"id:         {ident}")
    typer.echo(f"normalized: {result.key}" + (f" (owner {', '.join(parsed.owners)})" if parsed.owners else "")
               + (f" (variant :{parsed.variant})" if parsed.variant else ""))
    target = result.model if result.model else ("importer canonical node" if result.status == "canonical" else "own unresolved node")
    typer.echo(f"status:     {result.status} -> {target}")
    typer.echo(f"maker:      {result.maker or 'unknown'}")
    typer.echo(f"rule:       {result.rule}")
    typer.echo(f"because:    {result.detail}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``modelatlas`` app."""
    app.command("import")(import_catalogs_command)
    app.command("resolve")(resolve_command)
