"""Hostile clients against a real server: memory growth per attack pattern, fairness under a CPU hog, a soak.

    python -m modelatlas.bench.hostile [--requests 4000] [--soak 20]

prints, for a fresh ``modelatlas serve`` on 127.0.0.1 (production mode, shipped data without imports):

- **memory**: RSS growth over ``--requests`` requests of each pattern (``PATTERNS``), after a warm-up;
- **fairness**: ``/healthz`` and a cheap query's latency (p50 / p95 / max) alone, then while one client hammers with
  validation-heavy documents (fresh comments each time, so no cache helps);
- **soak**: mixed attackers and one honest client for ``--soak`` seconds: the honest client's successes, the
  attackers' answers by status, RSS growth.

The tests (``tests/api/test_hostile.py``) use the same patterns, bounded.

>>> sorted(PATTERNS)
['comments', 'distinct-queries', 'unused-variables', 'validation-heavy']
>>> len(PATTERNS["unused-variables"](7)) <= 65536
True
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from modelatlas.bench.server import LiveServer, launch

__all__ = ["PATTERNS", "fairness", "hammer", "honest_query", "rss_growth", "serve", "soak"]

JSON_HEADERS = {"content-type": "application/json"}


def _unused_variables(i: int) -> bytes:
    """A 60 KB POST: one declared variable and ~4,400 int variables the operation never declares."""
    variables = {"n": 2, "request": i, **{f"v{j}": j for j in range(4_400)}}
    return json.dumps({"query": "query Page($n: Int) { models(first: $n) { totalCount } }",
                       "variables": variables}, separators=(",", ":")).encode()


def _comments(i: int) -> bytes:
    """A cheap query behind a fresh 60 KB comment: a new text each time, one normalized document."""
    return json.dumps({"query": f"# {i} {'c' * 60_000}\n{{ models(first: 2) {{ totalCount }} }}"}).encode()


def _validation_heavy(i: int) -> bytes:
    """248 copies of one field (the quadratic overlapping-fields check) behind a fresh comment."""
    return json.dumps({"query": f"# {i}\n{{ " + "models { totalCount } " * 248 + "}"}).encode()


def _distinct_queries(i: int) -> bytes:
    """Valid documents that normalize differently each time (an alias per request), each a new cache entry."""
    return json.dumps({"query": f"{{ a{i}: models(first: {i % 50 + 1}) {{ totalCount }} }}"}).encode()


def _heavy_execution(i: int) -> bytes:
    """A query inside every limit that costs real execution (14 pages of 100 models) behind a fresh comment."""
    page = "models(first: 100) { edges { node { slug name status } } }"
    return json.dumps({"query": f"# {i}\n{{ " + " ".join(f"p{k}: {page}" for k in range(14)) + " }"}).encode()


def _hog(i: int) -> bytes:
    """What a CPU hog sends: validation-heavy and execution-heavy documents in turn."""
    return _validation_heavy(i) if i % 2 else _heavy_execution(i)


PATTERNS: dict[str, Callable[[int], bytes]] = {
    "unused-variables": _unused_variables,
    "comments": _comments,
    "validation-heavy": _validation_heavy,
    "distinct-queries": _distinct_queries,
}


def honest_query(i: int) -> bytes:
    """What an honest client asks: a page of models, one of a few sizes."""
    return json.dumps({"query": "query Page($n: Int) { models(first: $n) { totalCount edges { node { slug } } } }",
                       "variables": {"n": i % 5 + 1}}).encode()


@contextmanager
def serve(tmp: Path, cache_dir: Path | None = None, **settings: str) -> Iterator[LiveServer]:
    """A ``modelatlas serve`` on a free port (production, shipped data, no imports); ``settings`` by lower-case name.

    ``cache_dir`` (default ``tmp/cache``) holds the compiled cache: servers that share it start faster."""
    tmp.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODELATLAS_")}
    env.update({"MODELATLAS_HOST": "127.0.0.1", "MODELATLAS_WORKERS": "1", "MODELATLAS_IMPORTS": "false",
                "MODELATLAS_CACHE_DIR": str(cache_dir or tmp / "cache"), "MODELATLAS_RATE_LIMIT": "1000000/minute",
                "MODELATLAS_TODAY": "2026-11-25", "PYTHONUNBUFFERED": "1"})
    env.update({f"MODELATLAS_{k.upper()}": v for k, v in settings.items()})
    script = Path(sys.executable).with_name("modelatlas")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "modelatlas.api.cli"]
    with launch(lambda port: [*command, "serve"], env, tmp / "server.log", cwd=tmp, deadline=60) as server:
        yield server


def hammer(server: LiveServer, pattern: Callable[[int], bytes], requests: int, *, threads: int = 4,
           start: int = 0, headers: dict[str, str] | None = None) -> Counter[int]:
    """Send ``requests`` POSTs of ``pattern`` from ``threads`` keep-alive clients; their statuses (0: no answer)."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def worker(offset: int) -> None:
        with httpx.Client(timeout=30, headers={**JSON_HEADERS, **(headers or {})}) as client:
            for i in range(start + offset, start + requests, threads):
                try:
                    status = client.post(server.graphql_url, content=pattern(i)).status_code
                except httpx.HTTPError:
                    status = 0
                with lock:
                    statuses[status] += 1

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return statuses


def rss_growth(server: LiveServer, pattern: Callable[[int], bytes], requests: int) -> dict[str, Any]:
    """RSS before and after ``requests`` requests of ``pattern`` (after a warm-up of 200), in MB, and the statuses."""
    hammer(server, honest_query, 50)
    hammer(server, pattern, 200, start=10**6)
    before = server.rss_bytes()
    began = time.monotonic()
    statuses = hammer(server, pattern, requests)
    seconds = time.monotonic() - began
    after = server.rss_bytes()
    return {"before_mb": round(before / 2**20, 1), "after_mb": round(after / 2**20, 1),
            "growth_mb": round((after - before) / 2**20, 1), "seconds": round(seconds, 1),
            "statuses": dict(sorted(statuses.items()))}


def _latencies(server: LiveServer, seconds: float) -> dict[str, float]:
    """p50 / p95 / max milliseconds of /healthz and of a cheap (cached) query, polled for ``seconds``."""
    health, cheap = [], []
    end = time.monotonic() + seconds
    with httpx.Client(timeout=30, headers=JSON_HEADERS) as client:
        while time.monotonic() < end:
            t = time.perf_counter()
            client.get(server.url("/healthz"))
            health.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.post(server.graphql_url, content=honest_query(0))
            cheap.append(time.perf_counter() - t)
            time.sleep(0.01)

    def figures(values: list[float]) -> dict[str, float]:
        ms = sorted(v * 1000 for v in values)
        return {"p50": round(statistics.median(ms), 1), "p95": round(ms[int(len(ms) * 0.95)], 1),
                "max": round(ms[-1], 1)}

    return {**{f"healthz_{k}": v for k, v in figures(health).items()},
            **{f"query_{k}": v for k, v in figures(cheap).items()}}


def fairness(server: LiveServer, seconds: float = 5.0, pattern: Callable[[int], bytes] = _hog,
             hogs: int = 2) -> dict[str, Any]:
    """Latencies alone, then while ``hogs`` threads of one client send ``pattern`` as fast as they can."""
    alone = _latencies(server, seconds)
    stop = threading.Event()
    statuses: Counter[int] = Counter()

    def hog(offset: int) -> None:
        with httpx.Client(timeout=30, headers=JSON_HEADERS) as client:
            i = offset
            while not stop.is_set():
                try:
                    statuses[client.post(server.graphql_url, content=pattern(i)).status_code] += 1
                except httpx.HTTPError:
                    statuses[0] += 1
                i += hogs

    threads = [threading.Thread(target=hog, args=(n,)) for n in range(hogs)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        loaded = _latencies(server, seconds)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return {"alone": alone, "with_hog": loaded, "hog_statuses": dict(sorted(statuses.items()))}


def soak(server: LiveServer, seconds: float, *, forwarded: bool = False) -> dict[str, Any]:
    """Every pattern's attacker plus one honest client (and, with ``forwarded``, each its own X-Forwarded-For
    address: the server must trust 127.0.0.1) for ``seconds``; the honest client's answers and RSS growth."""
    before = server.rss_bytes()
    stop = threading.Event()
    attackers: Counter[str] = Counter()
    honest: Counter[int] = Counter()
    lock = threading.Lock()

    def client_headers(n: int) -> dict[str, str]:
        return {**JSON_HEADERS, **({"x-forwarded-for": f"10.66.0.{n}"} if forwarded else {})}

    def attack(n: int, name: str, pattern: Callable[[int], bytes]) -> None:
        with httpx.Client(timeout=30, headers=client_headers(n)) as client:
            i = n * 10**7
            while not stop.is_set():
                try:
                    status = str(client.post(server.graphql_url, content=pattern(i)).status_code)
                except httpx.HTTPError:
                    status = "error"
                with lock:
                    attackers[f"{name} {status}"] += 1
                i += 1

    def honest_client() -> None:
        with httpx.Client(timeout=30, headers=client_headers(200)) as client:
            i = 0
            while not stop.is_set():
                try:
                    status = client.post(server.graphql_url, content=honest_query(i)).status_code
                except httpx.HTTPError:
                    status = 0
                honest[status] += 1
                i += 1
                time.sleep(0.02)

    threads = [threading.Thread(target=attack, args=(n + 1, name, pattern))
               for n, (name, pattern) in enumerate(PATTERNS.items())]
    threads.append(threading.Thread(target=honest_client))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    samples = []  # RSS each second: a first jump (threads, arenas, caches filling), then flat
    while time.monotonic() - began < seconds:
        time.sleep(1.0)
        samples.append(server.rss_bytes())
    stop.set()
    for thread in threads:
        thread.join()
    after = server.rss_bytes()
    warm = samples[len(samples) // 4] if samples else before
    return {"seconds": round(time.monotonic() - began, 1), "honest": dict(honest),
            "attackers": dict(sorted(attackers.items())), "rss_before_mb": round(before / 2**20, 1),
            "rss_growth_mb": round((after - before) / 2**20, 1),
            "rss_growth_after_first_quarter_mb": round((after - warm) / 2**20, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests per memory pattern")
    parser.add_argument("--soak", type=float, default=20.0, help="seconds of the soak")
    parser.add_argument("--fairness", type=float, default=5.0, help="seconds of each fairness phase")
    parser.add_argument("--only", default="memory,fairness,soak", help="comma-separated parts to run")
    parser.add_argument("--patterns", default=",".join(PATTERNS), help="comma-separated memory patterns")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        for name in args.patterns.split(",") if "memory" in parts else ():
            with serve(Path(tmp) / name, cache, cpu_budget="0") as server:  # a fresh server per pattern, no CPU
                figures = rss_growth(server, PATTERNS[name], args.requests)  # budget: the caches take it all
                print(f"memory   {name:17} {json.dumps(figures)}", flush=True)
        if "fairness" in parts:
            with serve(Path(tmp) / "fair", cache) as server:
                print(f"fairness {json.dumps(fairness(server, args.fairness))}", flush=True)
        if "soak" in parts:
            with serve(Path(tmp) / "soak", cache, trusted_proxies="127.0.0.1") as server:
                print(f"soak     {json.dumps(soak(server, args.soak, forwarded=True))}", flush=True)


if __name__ == "__main__":
    main()
