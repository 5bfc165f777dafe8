"""``modelatlas bench``: HTTP load against the service and its own ceiling (issue 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from modelatlas.api.cli_errors import fail


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``modelatlas`` app."""
    app.command("bench")(bench)


def bench(
    duration: float = typer.Option(10.0, help="Seconds of each timed wrk run."),
    warmup: float = typer.Option(2.0, help="Seconds of the untimed wrk run before each timed one."),
    connections: int = typer.Option(20, "--connections", "-c", help="wrk connections."),
    threads: int = typer.Option(2, "--threads", "-t", help="wrk threads."),
    rounds: int = typer.Option(1, min=1, help="Alternate /graphql and ceiling runs this many times; report medians."),
    cache: str = typer.Option("off,on", help="Response cache modes to run: off, on or off,on (--profile: on "
                              "profiles with the cache, anything else without)."),
    query: Optional[list[str]] = typer.Option(None, "--query", "-q", help="Only this query (repeatable)."),
    queries_dir: Optional[Path] = typer.Option(None, help="Directory of <name>.graphql (+ <name>.json variables)."),
    output: Path = typer.Option(Path("bench-results"), "--output", "-o", help="Where results are written."),
    apq: str = typer.Option("model_page", help="Queries also timed as Apollo persisted queries over GET "
                            "(comma-separated; empty: none)."),
    pin: bool = typer.Option(True, help="Pin the server to CPU 0 and wrk to CPU 1 (taskset, 2+ CPUs)."),
    update_doc: Optional[Path] = typer.Option(None, "--update-doc", help="Also put the results table in this file's "
                                              "generated block (BENCHMARKS.md, under '## HTTP')."),
    profile: bool = typer.Option(False, "--profile", help="Instead: profile a query in process (pyinstrument; the "
                                 "model page, or the first --query) and print where its time goes."),
    iterations: int = typer.Option(300, help="With --profile: requests profiled."),
) -> None:
    """HTTP benchmark: each bench query through /graphql against a bare route returning the same bytes (wrk)."""
    if profile:
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            fail("--profile needs pyinstrument: .venv/bin/pip install -e '.[bench]'")
        from modelatlas.api.bench_profile import profile_model_page

        try:
            profile_model_page(iterations=iterations, output=output, queries_dir=queries_dir, echo=typer.echo,
                               name=(query or ["model_page"])[0], response_cache=cache.strip() == "on")
        except (RuntimeError, ValueError) as exc:
            fail(exc)
        return
    from modelatlas.api.bench import BenchOptions, run_bench
    from modelatlas.api.bench_report import update_benchmarks_doc
    from modelatlas.api.bench_queries import default_queries_dir

    modes = tuple(m.strip() for m in cache.split(",") if m.strip())
    if not modes or set(modes) - {"off", "on"}:
        fail(f"--cache must be off, on or off,on, not {cache!r}")
    options = BenchOptions(duration=duration, warmup=warmup, connections=connections, threads=threads, modes=modes,
                           queries=tuple(query or ()), queries_dir=queries_dir or default_queries_dir(),
                           output=output, pin=pin, rounds=rounds,
                           apq=tuple(a.strip() for a in apq.split(",") if a.strip()))
    try:
        run_bench(options, echo=typer.echo)
    except (RuntimeError, ValueError) as exc:
        fail(exc)
    if update_doc:
        update_benchmarks_doc(update_doc, (output / "http-latest.md").read_text(encoding="utf-8"))
        typer.echo(f"updated the generated block under '## HTTP' in {update_doc}")
