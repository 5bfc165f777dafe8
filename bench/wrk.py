"""Drive HTTP load with wrk (Debian's package) and read its report.

>>> r = parse_wrk(SAMPLE)
>>> (r.requests_per_sec, r.p50_ms, r.p99_ms, r.non_2xx)
(1176.66, 1.7, 3.13, 0)
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["SAMPLE", "WrkResult", "ensure_wrk", "median_of", "parse_wrk", "post_script", "run_wrk"]

SAMPLE = """Running 2s test @ http://127.0.0.1:8777/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.64ms  628.78us   5.87ms   66.02%
    Req/Sec     1.18k   118.78     1.67k    95.00%
  Latency Distribution
     50%    1.70ms
     75%    2.04ms
     90%    2.38ms
     99%    3.13ms
  2354 requests in 2.00s, 6.16MB read
Requests/sec:   1176.66
Transfer/sec:      3.08MB
"""

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles in ms, and anything that was not a clean 2xx."""

    requests_per_sec: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    non_2xx: int = 0
    socket_errors: int = 0

    @property
    def clean(self) -> bool:
        return self.requests > 0 and self.non_2xx == 0 and self.socket_errors == 0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def parse_wrk(text: str) -> WrkResult:
    """Read the summary of ``wrk --latency``; raises ValueError when it is not there."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", text, re.MULTILINE)
    percentiles = {int(p): float(v) * _UNIT_MS[u] for p, v, u in _PERCENTILE.findall(text)}
    if not rps or not total or set(percentiles) != {50, 75, 90, 99}:
        raise ValueError(f"not a wrk --latency report:\n{text}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return WrkResult(
        requests_per_sec=float(rps.group(1)), p50_ms=round(percentiles[50], 3), p75_ms=round(percentiles[75], 3),
        p90_ms=round(percentiles[90], 3), p99_ms=round(percentiles[99], 3), requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def median_of(results: list[WrkResult]) -> WrkResult:
    """Several runs as one: the median of each figure; requests and failures are summed."""
    def median(name: str) -> float:
        return round(float(statistics.median(getattr(r, name) for r in results)), 3)

    return WrkResult(median("requests_per_sec"), median("p50_ms"), median("p75_ms"), median("p90_ms"), median("p99_ms"),
                     sum(r.requests for r in results), sum(r.non_2xx for r in results),
                     sum(r.socket_errors for r in results))


def ensure_wrk(echo: Callable[[str], None] = print) -> str:
    """The path of ``wrk``, installing Debian's package with apt-get when it is missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if not shutil.which("apt-get"):
        raise RuntimeError("wrk is missing and there is no apt-get: install wrk (https://github.com/wg/wrk) and retry")
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}

    def apt_get(*args: str) -> subprocess.CompletedProcess[str]:
        echo(f"wrk is missing: running `apt-get {' '.join(args)}`")
        return subprocess.run(["apt-get", *args], capture_output=True, text=True, env=env, check=False)

    done = apt_get("install", "-y", "wrk")
    if done.returncode != 0:  # stale or missing package lists
        apt_get("update")
        done = apt_get("install", "-y", "wrk")
    if done.returncode != 0 or not shutil.which("wrk"):
        raise RuntimeError(f"installing wrk with apt-get failed (exit {done.returncode}); install it by hand "
                           f"(Debian/Ubuntu: apt-get install wrk):\n{done.stderr[-2000:]}")
    return shutil.which("wrk") or "wrk"


def post_script() -> Path:
    """The committed Lua script that makes wrk POST the JSON body in the file given after ``--``."""
    return Path(__file__).resolve().parent / "post.lua"


def run_wrk(url: str, body_file: Path | None, *, seconds: float, connections: int = 20, threads: int = 2,
            cpus: str | None = None, wrk: str = "wrk", headers: tuple[str, ...] = ()) -> WrkResult:
    """POST ``body_file`` (GET when None) to ``url`` for ``seconds``; the parsed report (``cpus``: taskset CPUs)."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(post_script()), url, "--", str(body_file)] if body_file is not None else [url]
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


def command_line(url: str, body_file: str | None, *, seconds: float, connections: int, threads: int,
                 cpus: str | None, headers: tuple[str, ...] = ()) -> str:
    """The wrk command as a person would type it (for the results file)."""
    prefix = f"taskset -c {cpus} " if cpus is not None else ""
    extra = "".join(f" -H '{h}'" for h in headers)
    target = f"-s bench/post.lua {url} -- {body_file}" if body_file is not None else f"'{url}'"
    return f"{prefix}wrk -t{threads} -c{connections} -d{seconds:g}s --latency --timeout 5s{extra} {target}"
