"""``modelatlas bench-sparql``: the lineage query through ``/sparql`` against GraphQL's lineage query, one server.

Both run on one live ``modelatlas serve`` (production, response cache off, rate limit off), one request at a time
over a kept-alive connection, alternating, so both see the same machine. Before timing, the answers are compared:
the models SPARQL reaches must be the nodes of GraphQL's lineage. Figures are client-side latencies in ms.

>>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([5.0], 99)
(2.5, 5.0)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from modelatlas.bench.query import default_queries_dir, load_queries
from modelatlas.bench.server import launch

__all__ = ["SparqlBench", "percentile", "run_sparql_bench"]


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile, linearly interpolated between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


SPARQL_QUERIES = {"lineage via /sparql (SPARQL 1.1)": "lineage.sparql",
                  "lineage via /sparql (LATERAL)": "lineage-lateral.sparql"}


@dataclass(frozen=True)
class SparqlBench:
    """Latencies (ms) per query, and whether every SPARQL answer reached GraphQL's lineage nodes."""

    timings: dict[str, list[float]]
    same_nodes: bool
    nodes: int
    data_version: str

    def table(self) -> str:
        lines = ["| query | requests | p50 ms | p90 ms | p99 ms | mean ms |", "|---|---:|---:|---:|---:|---:|"]
        for name, values in self.timings.items():
            lines.append(f"| {name} | {len(values)} | {percentile(values, 50):.2f} | {percentile(values, 90):.2f} | "
                         f"{percentile(values, 99):.2f} | {statistics.fmean(values):.2f} |")
        return "\n".join(lines)


def run_sparql_bench(requests: int = 300, warmup: int = 30, imports: bool = True,
                     echo: Callable[[str], None] = print) -> SparqlBench:
    """Start a server, check both answers agree, then time ``requests`` of each, alternating."""
    lineage = next(q for q in load_queries(default_queries_dir(), ["lineage"]))
    texts = {name: (default_queries_dir() / file).read_text(encoding="utf-8") for name, file in SPARQL_QUERIES.items()}
    kept = {k: v for k, v in os.environ.items()  # the caller's data and cache directories, no other setting
            if not k.startswith("MODELATLAS_") or k in ("MODELATLAS_CACHE_DIR", "MODELATLAS_DATA_DIR")}
    env = {**kept, "MODELATLAS_PRODUCTION": "true", "MODELATLAS_RESPONSE_CACHE": "false", "MODELATLAS_RATE_LIMIT": "",
           "MODELATLAS_WORKERS": "1", "MODELATLAS_IMPORTS": "true" if imports else "false"}
    command = [sys.executable, "-m", "modelatlas.api.cli", "serve"]
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp, \
            launch(lambda port: command, env, Path(tmp) / "server.log", deadline=180) as server, \
            httpx.Client(timeout=60) as client:
        def graphql() -> Any:
            response = client.post(server.graphql_url, content=lineage.body,
                                   headers={"content-type": "application/json"})
            response.raise_for_status()
            return response.json()

        def sparql(text: str) -> Callable[[], Any]:
            def call() -> Any:
                response = client.post(server.url("/sparql"), content=text.encode(),
                                       headers={"content-type": "application/sparql-query",
                                                "accept": "application/sparql-results+json"})
                response.raise_for_status()
                return response.json()
            return call

        calls: dict[str, Callable[[], Any]] = {"lineage via /graphql": graphql}
        calls.update({name: sparql(text) for name, text in texts.items()})
        started = time.perf_counter()
        answers = {name: call() for name, call in calls.items()}  # the first /sparql builds the snapshot's store
        echo(f"store built and first answers in {time.perf_counter() - started:.1f} s")
        nodes = {n["slug"] for n in answers.pop("lineage via /graphql")["data"]["lineage"]["nodes"]}
        same = all({b["m"]["value"].rsplit("/", 1)[-1] for b in answer["results"]["bindings"]} == nodes
                   for answer in answers.values())
        version = server.ready()["dataVersion"]
        for _ in range(warmup):
            for call in calls.values():
                call()
        timings: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(requests):
            for name, call in calls.items():
                start = time.perf_counter()
                call()
                timings[name].append((time.perf_counter() - start) * 1000)
    return SparqlBench(timings, same, len(nodes), version)
