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


@dataclass(frozen=True)
class SparqlBench:
    """Latencies (ms) of each side, and whether the answers agreed."""

    graphql_ms: list[float]
    sparql_ms: list[float]
    same_nodes: bool
    nodes: int
    data_version: str

    def table(self) -> str:
        lines = ["| query | requests | p50 ms | p90 ms | p99 ms | mean ms |", "|---|---:|---:|---:|---:|---:|"]
        for name, values in (("lineage via /graphql", self.graphql_ms), ("lineage via /sparql", self.sparql_ms)):
            lines.append(f"| {name} | {len(values)} | {percentile(values, 50):.2f} | {percentile(values, 90):.2f} | "
                         f"{percentile(values, 99):.2f} | {statistics.fmean(values):.2f} |")
        return "\n".join(lines)


def run_sparql_bench(requests: int = 300, warmup: int = 30, imports: bool = True,
                     echo: Callable[[str], None] = print) -> SparqlBench:
    """Start a server, check both answers agree, then time ``requests`` of each, alternating."""
    lineage = next(q for q in load_queries(default_queries_dir(), ["lineage"]))
    sparql_text = (default_queries_dir() / "lineage.sparql").read_text(encoding="utf-8")
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

        def sparql() -> Any:
            response = client.post(server.url("/sparql"), content=sparql_text.encode(),
                                   headers={"content-type": "application/sparql-query",
                                            "accept": "application/sparql-results+json"})
            response.raise_for_status()
            return response.json()

        started = time.perf_counter()
        first = sparql()  # builds the snapshot's store
        echo(f"store built and first /sparql answered in {time.perf_counter() - started:.1f} s")
        nodes = {n["slug"] for n in graphql()["data"]["lineage"]["nodes"]}
        reached = {b["m"]["value"].rsplit("/", 1)[-1] for b in first["results"]["bindings"]}
        version = server.ready()["dataVersion"]
        for _ in range(warmup):
            graphql()
            sparql()
        timings: dict[str, list[float]] = {"graphql": [], "sparql": []}
        for _ in range(requests):
            for name, call in (("graphql", graphql), ("sparql", sparql)):
                start = time.perf_counter()
                call()
                timings[name].append((time.perf_counter() - start) * 1000)
    return SparqlBench(timings["graphql"], timings["sparql"], nodes == reached, len(nodes), version)
