"""``modelatlas bench --deadline``: how soon a spent deadline stops a slow query, per executor, in process.

A query of about a hundred milliseconds (100 models with their routes and routers; ``--aliases`` copies of it for
the compiled executor, which is ~15x faster) runs with a 0.03 s deadline:

- *before*: graphql-core's executor with the deadline as its abort signal only, which it checks when a synchronous
  execution starts and ends: the query runs to completion and is then refused;
- *reference*: graphql-core's executor with the engine's per-field deadline check (a middleware);
- *compiled*: the compiled plan, which checks before every list item.

Printed: the time of a full run, and when each stopped (median and max of ``repeat`` runs). Figures, not tests.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from graphql import execute

from modelatlas.schema.context import Context
from modelatlas.schema.engine import Deadline, Engine, TimeoutExceeded

__all__ = ["SLOW_QUERY", "deadline_figures"]

SLOW_QUERY = ("models(first: 100) { edges { node { slug name status offerings { slug routeId status "
              "provider { slug name kind } inputPrice outputPrice blendedPrice } "
              "routers { router { slug name } via { slug } evidence } } } }")


def _document(copies: int) -> str:
    return "{ " + " ".join(f"m{i}: {SLOW_QUERY}" for i in range(copies)) + " }"


def _timed(run: Callable[[], object]) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        run()
        outcome = "completed"
    except TimeoutExceeded:
        outcome = "TimeoutExceeded"
    except Exception as exc:  # noqa: BLE001 - graphql-core's own aborted error, reported by name
        outcome = type(exc).__name__
    return (time.perf_counter() - start) * 1000, outcome


def deadline_figures(kg: Any, *, timeout: float = 0.03, repeat: int = 7, aliases: int = 8,
                     today: date = date(2026, 11, 25)) -> list[dict[str, Any]]:
    """One row per executor: full-run ms, and stop ms (median, max) with a ``timeout`` deadline."""
    engine = Engine(production=True, max_tokens=100_000, max_depth=12, max_aliases=100)
    rows = []
    cases: list[tuple[str, str, Callable[[Any, Deadline | None], object]]] = []
    single, many = engine.prepare(_document(1)), engine.prepare(_document(aliases))
    for prepared in (single, many):
        assert not prepared.errors, prepared.errors

    def before(context: Any, deadline: Deadline | None) -> object:
        result = execute(engine.schema, single.document, context_value=context,  # type: ignore[arg-type]
                         abort_signal=deadline)  # type: ignore[arg-type]
        return result

    cases.append(("before: graphql-core, abort signal only", "1 copy", before))
    cases.append(("reference: graphql-core + per-field check", "1 copy",
                  lambda c, d: engine.execute(single, c, executor="reference", deadline=d)))
    cases.append(("compiled: plan, check per list item", f"{aliases} copies",
                  lambda c, d: engine.execute(many, c, executor="compiled", deadline=d)))
    for label, size, run in cases:
        full = [_timed(lambda r=run: r(Context(kg=kg, today=today), None))[0] for _ in range(repeat)]  # type: ignore[misc]
        stops = [_timed(lambda r=run: r(Context(kg=kg, today=today), Deadline(timeout)))  # type: ignore[misc]
                 for _ in range(repeat)]
        rows.append({"executor": label, "query": size, "full_ms": statistics.median(full),
                     "stop_ms": statistics.median(t for t, _ in stops), "stop_max_ms": max(t for t, _ in stops),
                     "outcome": stops[0][1]})
    return rows


def render(rows: list[dict[str, Any]], timeout: float) -> str:
    lines = [f"| executor | query | full run ms | stopped after ms ({timeout:g} s deadline), median / max | outcome |",
             "|---|---|---:|---:|---|"]
    lines += [f"| {r['executor']} | {r['query']} | {r['full_ms']:.1f} | {r['stop_ms']:.1f} / {r['stop_max_ms']:.1f} | "
              f"{r['outcome']} |" for r in rows]
    return "\n".join(lines)
