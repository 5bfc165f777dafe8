"""``modelatlas bench``: each bench query over HTTP against its ceiling, response cache off and on, compiled and
reference executor, and the model page on two workers.

For each (cache mode, executor) one server is started (``bench.server.launch`` of ``bench.ceiling``); every query is
checked (200, no ``errors``, the ceiling returns the same bytes), then timed with wrk through ``/graphql`` and through
its ceiling route, each run after a warm-up. The ratio is against the ceiling of the same query measured in the same
server process. Last, a server with two workers (unpinned: server and wrk share the CPUs) runs the model page with
the response cache off and the first executor.

>>> BenchOptions().connections, BenchOptions().modes, BenchOptions().executors
(20, ('off', 'on'), ('compiled', 'reference'))
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from modelatlas.bench.ceiling import CEILING_PREFIX, server_command, server_env
from modelatlas.bench.query import BenchQuery, default_queries_dir, load_queries
from modelatlas.bench.report import Row, progress_line, write_results
from modelatlas.bench.server import launch
from modelatlas.bench.wrk import WrkResult, command_line, ensure_wrk, median_of, run_wrk

__all__ = ["BenchOptions", "check_apq", "check_query", "machine", "run_bench"]

@dataclass(frozen=True)
class BenchOptions:
    duration: float = 10.0
    warmup: float = 2.0
    connections: int = 20
    threads: int = 2
    modes: tuple[str, ...] = ("off", "on")
    queries: tuple[str, ...] = ()
    queries_dir: Path = field(default_factory=default_queries_dir)
    output: Path = Path("bench-results")
    pin: bool = True
    apq: tuple[str, ...] = ("model_page",)  # queries also timed as Apollo persisted queries over GET
    rounds: int = 1  # /graphql and ceiling runs alternate this many times; the median of each figure is reported
    executors: tuple[str, ...] = ("compiled", "reference")  # MODELATLAS_EXECUTOR of the servers, side by side
    workers2: tuple[str, ...] = ("model_page",)  # also timed on a 2-worker server (cache off, first executor)


def _post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def check_query(base_url: str, query: BenchQuery) -> tuple[bytes, bool]:
    """POST the query to ``/graphql`` and its ceiling; raise unless a 200 without ``errors``. Returns (bytes, same)."""
    status, body = _post(base_url + "/graphql", query.body)
    payload = json.loads(body) if body[:1] == b"{" else {}
    if status != 200 or "errors" in payload or not payload.get("data"):
        raise RuntimeError(f"bench query {query.name} is not a clean 200 (a bench of errors is worthless): "
                           f"HTTP {status}: {body[:500]!r}")
    ceiling_status, ceiling = _post(base_url + CEILING_PREFIX + query.name, query.body)
    if ceiling_status != 200:
        raise RuntimeError(f"ceiling of {query.name}: HTTP {ceiling_status}")
    return body, body == ceiling


def check_apq(base_url: str, query: BenchQuery, expected: bytes) -> bool:
    """Register ``query`` as a persisted query, then GET it by hash; raise unless a clean 200. Same bytes as POST?"""
    status, body = _post(base_url + "/graphql", query.apq_register_body)
    if status != 200 or b'"errors"' in body:
        raise RuntimeError(f"registering {query.name} as a persisted query: HTTP {status}: {body[:500]!r}")
    request = urllib.request.Request(base_url + query.apq_path(), headers=dict([_header(h) for h in _apq_headers(query)]))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    if status != 200 or b'"errors"' in body:
        raise RuntimeError(f"APQ GET of {query.name}: HTTP {status}: {body[:500]!r}")
    return body == expected


def _apq_headers(query: BenchQuery) -> tuple[str, ...]:
    """What Apollo Client sends with a GET (the CSRF preflight header)."""
    return (f"x-apollo-operation-name: {query.operation_name}",)


def _header(text: str) -> tuple[str, str]:
    name, _, value = text.partition(":")
    return name.strip(), value.strip()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), "0")
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(int(mem) / 1024 ** 2, 1),
            "python": platform.python_version(), "platform": platform.platform(), "wrk": _wrk_version(),
            "loadavg": list(os.getloadavg()), "git": _git()}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _wrk_version() -> str:
    if not shutil.which("wrk"):
        return ""
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    text = (done.stdout + done.stderr).strip()
    return text.splitlines()[0].split(" Copyright")[0] if text else ""


def _git() -> str:
    root = Path(__file__).resolve().parent.parent
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=False)
    dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True,
                           check=False)
    return head.stdout.strip() + (" (uncommitted changes)" if dirty.stdout.strip() else "")


def run_bench(options: BenchOptions, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the whole bench and return the results (also written under ``options.output``)."""
    wrk = ensure_wrk(echo)
    queries = load_queries(options.queries_dir, list(options.queries) or None)
    pinned = options.pin and (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None
    server_cpus, wrk_cpus = ("0", "1") if pinned else (None, None)
    bodies = options.output / "bodies"
    bodies.mkdir(parents=True, exist_ok=True)
    for query in queries:
        (bodies / f"{query.name}.json").write_bytes(query.body)
    before = machine()
    if before["loadavg"][0] > 0.5:
        echo(f"note: load average {before['loadavg'][0]:.2f} before the bench: other work is running, figures are noisy")
    echo(f"bench: {len(queries)} queries x cache {'/'.join(options.modes)} x executor "
         f"{'/'.join(options.executors)}, wrk -t{options.threads} "
         f"-c{options.connections}, {options.warmup:g} s warm-up + {options.duration:g} s per run, "
         f"{options.rounds} round(s)"
         + (", server on CPU 0, wrk on CPU 1" if pinned else ", not pinned"))
    rows: list[Row] = []
    data: dict[str, Any] = {}
    started = time.time()

    cpus_now: list[str | None] = [wrk_cpus]

    def measure(url: str, body_file: Path | None, headers: tuple[str, ...] = ()) -> WrkResult:
        def run(seconds: float) -> WrkResult:
            return run_wrk(url, body_file, seconds=seconds, connections=options.connections, threads=options.threads,
                           cpus=cpus_now[0], wrk=wrk, headers=headers)

        if options.warmup > 0:
            run(options.warmup)
        return run(options.duration)

    def pair(base: str, path: str, ceiling: str, body_file: Path | None,
             headers: tuple[str, ...] = ()) -> tuple[WrkResult, WrkResult]:
        runs = [(measure(base + path, body_file, headers), measure(base + ceiling, body_file, headers))
                for _ in range(options.rounds)]
        return median_of([g for g, _ in runs]), median_of([c for _, c in runs])

    for mode in options.modes:
        for executor in options.executors:
            env = server_env(response_cache=mode == "on", queries_dir=options.queries_dir, executor=executor)
            with launch(lambda port: server_command(port, server_cpus), env,
                        options.output / f"server-cache-{mode}-{executor}.log", deadline=120) as server:
                data = server.ready()
                checked = {q.name: check_query(server.base_url, q) for q in queries}
                for query in queries:
                    body, same = checked[query.name]
                    if not same:
                        echo(f"warning: {query.name}: /graphql and its ceiling returned different bytes")
                    body_file = bodies / f"{query.name}.json"
                    row = Row(query.name, mode, *pair(server.base_url, "/graphql", CEILING_PREFIX + query.name,
                                                      body_file), same, len(body), executor=executor)
                    rows.append(row)
                    echo(progress_line(row))
                    if query.name in options.apq:
                        same_apq = check_apq(server.base_url, query, body)
                        headers = _apq_headers(query)
                        row = Row(query.name, mode, *pair(server.base_url, query.apq_path(),
                                                          CEILING_PREFIX + query.name, None, headers),
                                  same_apq, len(body), via="APQ GET", executor=executor)
                        rows.append(row)
                        echo(progress_line(row))
    two = [q for q in queries if q.name in options.workers2]
    if two and options.executors:
        executor = options.executors[0]
        env = server_env(response_cache=False, queries_dir=options.queries_dir, executor=executor, workers=2)
        cpus_now[0] = None  # server workers and wrk share the CPUs, as a 2-core deployment would
        with launch(lambda port: server_command(port, None, workers=2), env,
                    options.output / f"server-workers-2-{executor}.log", deadline=120) as server:
            checked = {q.name: check_query(server.base_url, q) for q in two}
            for query in two:
                body, same = checked[query.name]
                row = Row(query.name, "off", *pair(server.base_url, "/graphql", CEILING_PREFIX + query.name,
                                                   bodies / f"{query.name}.json"), same, len(body),
                          executor=executor, workers=2)
                rows.append(row)
                echo(progress_line(row))
        cpus_now[0] = wrk_cpus
    example_url = "http://127.0.0.1:PORT/graphql"
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 1),
        "machine": before, "loadavg_after": list(os.getloadavg()),
        "data": {"version": data.get("dataVersion"), "models": data.get("models")},
        "options": {"duration": options.duration, "warmup": options.warmup, "connections": options.connections,
                    "threads": options.threads, "modes": list(options.modes), "pinned": pinned,
                    "apq": list(options.apq), "rounds": options.rounds, "executors": list(options.executors),
                    "workers2": list(options.workers2)},
        "commands": {
            "bench": "make bench  # = .venv/bin/modelatlas bench",
            "server": " ".join(server_command(0, server_cpus)).replace("--port 0", "--port PORT")
                                                             .replace(sys.executable, "python"),
            "server_workers2": " ".join(server_command(0, None, workers=2)).replace("--port 0", "--port PORT")
                                                                       .replace(sys.executable, "python"),
            "server_env": ("MODELATLAS_PRODUCTION=true MODELATLAS_RESPONSE_CACHE=false|true "
                           "MODELATLAS_EXECUTOR=compiled|reference"),
            "wrk": command_line(example_url, "bench-results/bodies/QUERY.json", seconds=options.duration,
                                connections=options.connections, threads=options.threads, cpus=wrk_cpus),
            "wrk_apq": command_line(example_url + "?operationName=...&variables=...&extensions=...", None,
                                    seconds=options.duration, connections=options.connections, threads=options.threads,
                                    cpus=wrk_cpus, headers=("x-apollo-operation-name: ModelPage",)),
        },
        "rows": [row.as_dict() for row in rows],
    }
    if not options.apq:
        del results["commands"]["wrk_apq"]
    write_results(options.output, results, rows, echo)
    return results
