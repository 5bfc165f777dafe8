"""``modelatlas bench --profile``: where one bench query's time goes, in process, with pyinstrument.

The production app (response cache off unless ``--cache on``; rate limit off) is driven through its ASGI interface,
so the profile holds the whole request path (middleware, request checks, parse/validate cache, execution,
serialisation) and nothing of the network. The same query's ceiling route is timed beside it, for an in-process
ratio.

    modelatlas bench --profile                   # model_page, 300 requests -> bench-results/profile-model_page-cache-off.*
    modelatlas bench --profile -q lineage --iterations 1000
    modelatlas bench --profile --cache on        # the response cache's hit path
    modelatlas bench --profile --executor reference   # graphql-core's executor instead of the compiled plans
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelatlas.api.http import Settings, create_app
from modelatlas.bench.ceiling import CEILING_PREFIX, asgi_post, with_ceiling
from modelatlas.bench.query import BenchQuery, default_queries_dir, load_queries

if TYPE_CHECKING:
    from pyinstrument import Profiler  # the bench extra; imported when a profile runs

__all__ = ["compile_times", "executor_times", "profile_model_page", "profile_query", "timed_requests"]


def executor_times(queries: list[BenchQuery], kg: Any, runs: int = 300) -> dict[str, dict[str, float]]:
    """Per query, in one process, interleaved: median ms of ``Engine.execute`` + orjson with each executor, the
    response size and whether both gave the same bytes."""
    from datetime import date

    import orjson

    from modelatlas.schema.context import Context
    from modelatlas.schema.engine import Engine

    engine = Engine(production=True)
    today = date.today()
    out = {}
    for query in queries:
        prepared = engine.prepare(query.document)
        bodies: dict[str, bytes] = {}
        times: dict[str, list[float]] = {"compiled": [], "reference": []}
        for i in range(runs + 20):
            for executor in ("compiled", "reference") if i % 2 else ("reference", "compiled"):
                start = time.perf_counter()
                result = engine.execute(prepared, Context(kg=kg, today=today), query.variables, query.operation_name,
                                        executor=executor)
                body = orjson.dumps({"data": result.data})
                if i >= 20:  # after a warm-up
                    times[executor].append((time.perf_counter() - start) * 1000)
                bodies[executor] = body
        out[query.name] = {"compiled_ms": statistics.median(times["compiled"]),
                           "reference_ms": statistics.median(times["reference"]),
                           "bytes": len(bodies["compiled"]), "same": bodies["compiled"] == bodies["reference"]}
    return out


def compile_times(queries: list[BenchQuery], runs: int = 30) -> dict[str, tuple[float, float]]:
    """Per query: (median, min) ms to compile its plan (``schema.compiled.compile_plan``) from the parsed document."""
    from graphql import parse

    from modelatlas.schema.compiled import compile_plan

    out = {}
    for query in queries:
        document = parse(query.document)
        compile_plan(document, query.operation_name, query.variables)  # imports and caches warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            compile_plan(document, query.operation_name, query.variables)
            times.append((time.perf_counter() - start) * 1000)
        out[query.name] = (statistics.median(times), min(times))
    return out


async def timed_requests(app: Any, path: str, body: bytes, n: int) -> list[float]:
    """``n`` sequential POSTs of ``body`` to ``path``; their durations in ms (each must be a 200)."""
    durations = []
    for _ in range(n):
        start = time.perf_counter()
        status, content = await asgi_post(app, path, body)
        durations.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}: {content[:300]!r}")
    return durations


def profile_query(query: BenchQuery, iterations: int = 300, response_cache: bool = False,
                  executor: str = "compiled") -> tuple[Profiler, dict[str, list[float]]]:
    """Return (pyinstrument Profiler, {"graphql_ms": [...], "ceiling_ms": [...]}) for ``iterations`` requests."""
    from pyinstrument import Profiler

    app = with_ceiling(create_app(Settings.from_env(rate_limit="", response_cache=response_cache,
                                                    executor=executor)), [query])
    profiler = Profiler(interval=0.0005, async_mode="enabled")
    timings: dict[str, list[float]] = {}

    async def run() -> None:
        async with app.router.lifespan_context(app):
            for path in ("/graphql", CEILING_PREFIX + query.name):  # warm up, then time both
                await timed_requests(app, path, query.body, 30)
                timings[path] = await timed_requests(app, path, query.body, iterations)
            profiler.start()
            await timed_requests(app, "/graphql", query.body, iterations)
            profiler.stop()

    asyncio.run(run())
    return profiler, {"graphql_ms": timings["/graphql"], "ceiling_ms": timings[CEILING_PREFIX + query.name]}


def profile_model_page(*, iterations: int = 300, output: Path = Path("bench-results"), queries_dir: Path | None = None,
                       echo: Callable[[str], None] = print, name: str = "model_page",
                       response_cache: bool = False, executor: str = "compiled") -> None:
    """Profile one bench query (the model page by default), print the summary and the call tree, write them out."""
    query = load_queries(queries_dir or default_queries_dir(), [name])[0]
    profiler, timings = profile_query(query, iterations, response_cache, executor)
    graphql, ceiling = timings["graphql_ms"], timings["ceiling_ms"]
    mode = "on" if response_cache else "off"
    summary = (f"{name}, in process (ASGI, no network), response cache {mode}, {executor} executor, "
               f"{iterations} sequential requests:\n"
               f"  /graphql  median {statistics.median(graphql):.2f} ms, p90 {_p(graphql, 0.9):.2f} ms, "
               f"max {max(graphql):.2f} ms -> {1000 / statistics.median(graphql):.0f} req/s on one core\n"
               f"  ceiling   median {statistics.median(ceiling):.2f} ms, p90 {_p(ceiling, 0.9):.2f} ms "
               f"-> {1000 / statistics.median(ceiling):.0f} req/s\n"
               f"  ratio (median time of the ceiling / of /graphql): "
               f"{statistics.median(ceiling) / statistics.median(graphql):.3f}")
    if executor == "compiled":
        from modelatlas.graph import load_graph

        every = load_queries(queries_dir or default_queries_dir())
        plans = compile_times(every)
        summary += "\n  compile time of each bench query's plan (median / min of 30): " + ", ".join(
            f"{n} {median:.2f} / {low:.2f} ms" for n, (median, low) in plans.items())
        summary += ("\n  Engine.execute + orjson in process, interleaved, median of 300 (compiled / reference):\n"
                    + "\n".join(f"    {n}: {t['compiled_ms']:.3f} / {t['reference_ms']:.3f} ms "
                                 f"({t['reference_ms'] / t['compiled_ms']:.1f}x), {t['bytes']:,} bytes, "
                                 + ("same bytes" if t["same"] else "DIFFERENT BYTES")
                                 for n, t in executor_times(every, _settled(load_graph())).items()))
    tree = profiler.output_text(unicode=True, color=False, show_all=False)
    output.mkdir(parents=True, exist_ok=True)
    stem = f"profile-{name}-cache-{mode}" + ("" if executor == "compiled" else f"-{executor}")
    (output / f"{stem}.txt").write_text(summary + "\n\n" + tree, encoding="utf-8")
    (output / f"{stem}.html").write_text(profiler.output_html(), encoding="utf-8")
    echo(summary + "\n\n" + tree)
    echo(f"wrote {output / f'{stem}.txt'} and {output / f'{stem}.html'}")


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _settled(kg: Any) -> Any:
    """``kg`` after the service's own post-load step (one collection, then ``gc.freeze``), as the server has it."""
    from modelatlas.api.http.app import settle_memory

    settle_memory()
    return kg
