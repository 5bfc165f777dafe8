"""Catalog commands: ``modelatlas import`` and ``modelatlas resolve``.

    modelatlas import [--data DIR] [--cache-dir DIR] [--rdf FILE.trig]   rebuild the compiled cache with both
                                                        catalogs; print the report
    modelatlas resolve ID [--provider P] [--name N] [--as-of DATE]   which model an id resolves to, and by which rule
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from modelatlas.api.cli.common import DataOption, fail, load, settings

__all__ = ["import_catalogs", "resolve"]


def import_catalogs(
    data: DataOption = None,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help=(
        "Compiled-cache directory (default: MODELATLAS_CACHE_DIR or ~/.cache/modelatlas)."))] = None,
    rdf: Annotated[Path | None, typer.Option("--rdf", help=(
        "Also write the imported nodes and claims as TriG, one named graph per catalog."))] = None,
) -> None:
    """Import models.dev and genai-prices (offline, from the installed packages), rebuild the compiled cache, print the report."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from modelatlas.graph.cache import default_cache_dir

    base = settings()
    directory = cache_dir or base.cache_dir or default_cache_dir()
    config = base.model_copy(update={"cache": True, "cache_dir": directory})
    try:  # the point of import is a fresh compiled cache: an unwritable directory is an error, found before the work
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        fail(OSError(f"--cache-dir {directory}: cannot write the compiled cache there ({exc.strerror or exc})"))
    reports: list[Any] = []
    start = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task("resolving catalog rows", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        kg = load(data, True, config=config, refresh=True, import_report=reports, progress=progress)
    cold = time.perf_counter() - start
    for line in reports[0].lines() if reports else []:
        typer.echo(line)
    start = time.perf_counter()
    load(data, True, config=config)
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


def resolve(
    ident: Annotated[str, typer.Argument(help=(
        "A provider's model id, e.g. @cf/mistralai/mistral-small-3.1-24b-instruct."))],
    provider: Annotated[str | None, typer.Option("--provider", "-p", help="Provider slug the id is used on.")] = None,
    name: Annotated[str | None, typer.Option("--name", help=(
        "The row's display name (\"... (latest)\" names a moving alias)."))] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date for moving aliases (default: today).")] = None,
    data: DataOption = None,
) -> None:
    """Which canonical model an id resolves to, and the rule that matched (curated data only, no import)."""
    from modelatlas.graph.catalog import identity_tables_for
    from modelatlas.graph.resolve import Resolver, parse_id

    if not ident.strip():
        fail(ValueError("ID is empty: give a provider's model id, e.g. @cf/mistralai/mistral-small-3.1-24b-instruct"))
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail(ValueError(f"--as-of {as_of!r}: expected an ISO date such as 2026-05-21"))
    config = settings()
    paths = data or config.data_paths()
    resolver = Resolver(load(paths, False, config=config), identity_tables_for(paths))
    result = resolver.resolve(ident, provider=provider, name=name, as_of=day)
    parsed = parse_id(ident)
    typer.echo(f"id:         {ident}")
    typer.echo(f"normalized: {result.key}" + (f" (owner {', '.join(parsed.owners)})" if parsed.owners else "")
               + (f" (variant :{parsed.variant})" if parsed.variant else ""))
    target = result.model if result.model else ("importer canonical node" if result.status == "canonical"
                                                else "own unresolved node")
    typer.echo(f"status:     {result.status} -> {target}")
    typer.echo(f"maker:      {result.maker or 'unknown'}")
    typer.echo(f"rule:       {result.rule}")
    typer.echo(f"because:    {result.detail}")
