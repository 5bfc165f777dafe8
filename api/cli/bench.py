"""``modelatlas bench``: HTTP load against the service and its own ceiling (the harness is ``modelatlas.bench``).

    modelatlas bench [--cache off,on] [-q QUERY] [--rounds N] [--update-doc BENCHMARKS.md]
    modelatlas bench --profile [-q QUERY] [--iterations N]     needs the bench extra (pyinstrument)
    modelatlas bench-sparql [--requests N] [--no-imports]       the lineage query via /sparql against /graphql
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from modelatlas.api.cli.common import fail, require

__all__ = ["bench", "bench_sparql"]


def bench(
    duration: Annotated[float, typer.Option(help="Seconds of each timed wrk run.")] = 10.0,
    warmup: Annotated[float, typer.Option(help="Seconds of the untimed wrk run before each timed one.")] = 2.0,
    connections: Annotated[int, typer.Option("--connections", "-c", help="wrk connections.")] = 20,
    threads: Annotated[int, typer.Option("--threads", "-t", help="wrk threads.")] = 2,
    rounds: Annotated[int, typer.Option(min=1, help=(
        "Alternate /graphql and ceiling runs this many times; report medians."))] = 1,
    cache: Annotated[str, typer.Option(help=(
        "Response cache modes to run: off, on or off,on (--profile: on profiles with the cache, anything else "
        "without)."))] = "off,on",
    query: Annotated[list[str] | None, typer.Option("--query", "-q", help="Only this query (repeatable).")] = None,
    queries_dir: Annotated[Path | None, typer.Option(help=(
        "Directory of <name>.graphql (+ <name>.json variables)."))] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where results are written.")] = Path("bench-results"),
    apq: Annotated[str, typer.Option(help=(
        "Queries also timed as Apollo persisted queries over GET (comma-separated; empty: none)."))] = "model_page",
    pin: Annotated[bool, typer.Option(help="Pin the server to CPU 0 and wrk to CPU 1 (taskset, 2+ CPUs).")] = True,
    update_doc: Annotated[Path | None, typer.Option("--update-doc", help=(
        "Also put the results table in this file's generated block (BENCHMARKS.md, under '## HTTP')."))] = None,
    profile: Annotated[bool, typer.Option("--profile", help=(
        "Instead: profile a query in process (pyinstrument; the model page, or the first --query) and print where "
        "its time goes."))] = False,
    iterations: Annotated[int, typer.Option(help="With --profile: requests profiled.")] = 300,
    deadline: Annotated[bool, typer.Option("--deadline", help=(
        "Instead: measure in process how soon a 0.03 s deadline stops a slow query, per executor."))] = False,
    executor: Annotated[str, typer.Option(help=(
        "Executors to run side by side (MODELATLAS_EXECUTOR): compiled, reference or compiled,reference "
        "(--profile: the first)."))] = "compiled,reference",
    workers2: Annotated[str, typer.Option("--workers2", help=(
        "Queries also timed on a server with --workers 2, cache off, first executor (comma-separated; empty: "
        "none)."))] = "model_page",
) -> None:
    """HTTP benchmark: each bench query through /graphql against a bare route returning the same bytes (wrk)."""
    if deadline:
        from modelatlas.bench.deadline import deadline_figures, render
        from modelatlas.graph import load_graph

        typer.echo(render(deadline_figures(load_graph()), 0.03))
        return
    if profile:
        require("pyinstrument", "bench", "modelatlas bench --profile")
        from modelatlas.bench.profile import profile_model_page

        try:
            profile_model_page(iterations=iterations, output=output, queries_dir=queries_dir, echo=typer.echo,
                               name=(query or ["model_page"])[0], response_cache=cache.strip() == "on",
                               executor=executor.split(",")[0].strip() or "compiled")
        except (RuntimeError, ValueError) as exc:
            fail(exc)
        return
    from modelatlas.bench.http import BenchOptions, run_bench
    from modelatlas.bench.query import default_queries_dir
    from modelatlas.bench.report import update_benchmarks_doc

    modes = tuple(m.strip() for m in cache.split(",") if m.strip())
    if not modes or set(modes) - {"off", "on"}:
        fail(f"--cache must be off, on or off,on, not {cache!r}")
    executors = tuple(e.strip() for e in executor.split(",") if e.strip())
    if not executors or set(executors) - {"compiled", "reference"}:
        fail(f"--executor must be compiled, reference or compiled,reference, not {executor!r}")
    options = BenchOptions(duration=duration, warmup=warmup, connections=connections, threads=threads, modes=modes,
                           queries=tuple(query or ()), queries_dir=queries_dir or default_queries_dir(),
                           output=output, pin=pin, rounds=rounds,
                           apq=tuple(a.strip() for a in apq.split(",") if a.strip()), executors=executors,
                           workers2=tuple(w.strip() for w in workers2.split(",") if w.strip()))
    try:
        run_bench(options, echo=typer.echo)
    except (RuntimeError, ValueError) as exc:
        fail(exc)
    if update_doc:
        update_benchmarks_doc(update_doc, (output / "http-latest.md").read_text(encoding="utf-8"))
        typer.echo(f"updated the generated block under '## HTTP' in {update_doc}")


def bench_sparql(
    requests: Annotated[int, typer.Option(min=1, help="Timed requests of each query.")] = 300,
    warmup: Annotated[int, typer.Option(min=0, help="Untimed requests of each query first.")] = 30,
    imports: Annotated[bool, typer.Option(help="Serve the imported catalogs too (as the service does).")] = True,
) -> None:
    """p50 of the lineage query through /sparql against GraphQL's lineage query, on one live server."""
    from modelatlas.bench.sparql import run_sparql_bench

    try:
        result = run_sparql_bench(requests=requests, warmup=warmup, imports=imports, echo=typer.echo)
    except (RuntimeError, ValueError) as exc:
        fail(exc)
    typer.echo(f"data version {result.data_version}; lineage of mistral-small-2402: {result.nodes} models, "
               f"the same through both: {'yes' if result.same_nodes else 'NO'}")
    typer.echo(result.table())
    if not result.same_nodes:
        raise typer.Exit(code=1)
