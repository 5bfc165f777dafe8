"""Scale commands: ``modelatlas synth`` and ``modelatlas bench-scale`` (the harness is ``modelatlas.bench.scale``).

    modelatlas synth --models 10000 --out bench-results/synth-10k     # a synthetic catalog, valid, deterministic
    modelatlas bench-scale --sizes 1000,10000,100000                  # the table of size vs load, RSS and latency
    modelatlas bench-scale --sizes 100000 --remote-sizes 1000000      # plus the Oxigraph-server row at 1M models
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from modelatlas.api.cli.common import fail
from modelatlas.graph import KnowledgeGraphError

__all__ = ["bench_scale", "synth"]

DEFAULT_OUT = Path("bench-results/scale")


def synth(
    models: Annotated[int, typer.Option("--models", "-n", min=1, help="How many models to generate.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write (git-ignored by default).")
                   ] = Path("bench-results/synth"),
    seed: Annotated[int, typer.Option(help="Random seed: same seed and size, same files.")] = 7,
) -> None:
    """Write a realistic synthetic catalog of N models as Turtle (families, versions, derivations, routes, aliases)."""
    from modelatlas.graph.synth import write_catalog

    start = time.perf_counter()
    try:
        report = write_catalog(out, models=models, seed=seed)
    except OSError as exc:  # an existing non-synthetic directory, an unwritable place, a full disk
        fail(exc)
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    typer.echo(f"wrote {report.models} models to {out} in {time.perf_counter() - start:.1f} s ({counts})")


def bench_scale(
    sizes: Annotated[str, typer.Option(help="Comma-separated catalog sizes (models).")] = "1000,10000,100000",
    queries: Annotated[int, typer.Option(min=10, help="Queries per algorithm and size (p50 / p99 over them).")] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic catalogs and of the query sample.")] = 7,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where catalogs, caches and results go.")] = DEFAULT_OUT,
    remote_sizes: Annotated[str, typer.Option(help=(
        "Comma-separated sizes of the remote-store rows (an Oxigraph server, lineage and alternatives as SPARQL over "
        "HTTP); empty: none. 1000000 takes ~an hour and ~10 GB of disk."))] = "10000",
) -> None:
    """Load time, memory and in-process p50 / p99 of lineage, migration and alternatives at each size; then the
    remote-store rows: load time, disk, server memory and HTTP SPARQL p50 / p99 of lineage and alternatives."""
    from modelatlas.bench.scale import TARGETS, format_remote_table, format_table, run_remote, run_size, target_lines

    def parse(text: str, option: str, empty_ok: bool) -> list[int]:
        try:
            found = [int(s.strip().replace("_", "").replace("k", "000").replace("M", "000000"))
                     for s in text.split(",") if s.strip()]
            if (not found and not empty_ok) or (found and min(found) < 1):
                raise ValueError("no size")
        except ValueError:
            fail(f"{option} {text!r}: expected model counts such as 1000,10k,100000")
        return found

    counts = parse(sizes, "--sizes", empty_ok=False)
    remote = parse(remote_sizes, "--remote-sizes", empty_ok=True)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"--out {out}: {exc}")
    rows: list[dict[str, Any]] = []
    for n in counts:
        typer.echo(f"size {n:,}:", err=True)
        rows.append(run_size(n, out, queries=queries, seed=seed, log=lambda m: typer.echo(m, err=True)))
    machine = f"{platform.node()}: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    title = (f"# bench-scale ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine}; seed {seed}, "
             f"{queries} queries per algorithm)")
    lines = [title, "", *format_table(rows)]
    biggest = max(rows, key=lambda r: r["models"])
    if biggest["models"] >= 100_000:
        lines += ["", f"targets at {biggest['models']:,} models:", *target_lines(biggest)]
    remote_rows: list[dict[str, Any]] = []
    for n in remote:
        typer.echo(f"remote store, size {n:,}:", err=True)
        try:
            remote_rows.append(run_remote(n, out, queries=queries, seed=seed, log=lambda m: typer.echo(m, err=True)))
        except (KnowledgeGraphError, OSError) as exc:
            fail(exc)
    if remote_rows:
        lines += ["", "Remote store (graph.store: lineage and alternatives pushed down as SPARQL, over HTTP):", "",
                  *format_remote_table(remote_rows)]
    text = "\n".join(lines)
    typer.echo(text)
    (out / "results.json").write_text(json.dumps({"targets": TARGETS, "rows": rows, "remote": remote_rows}, indent=2))
    (out / "results.md").write_text(text + "\n")
    typer.echo(f"\nwrote {out / 'results.md'} and {out / 'results.json'}", err=True)

