"""Real ``redis-server`` and ``nginx`` processes on 127.0.0.1 for the shared-state and replica tests.

A binary that is missing skips the test with the reason (``apt-get install -y redis-server nginx``), except under
CI (``CI=true``), where ``.ci/run`` installs both: there a missing binary fails the test.

>>> with start_redis(Path("/tmp/x")) as server:   # doctest: +SKIP
...     server.client().ping()
True
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from modelatlas.bench.server import free_port, stop

__all__ = ["DEPLOY", "Balancer", "RedisServer", "binary", "render_nginx", "start_nginx", "start_redis"]

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"  # the shipped configuration files
READY_DEADLINE = 10.0


def binary(name: str) -> str:
    """The path of ``name`` (PATH, then /usr/sbin); skip the test without it, fail it under CI."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if found:
        return found
    message = f"{name} is not installed (apt-get install -y redis-server nginx; .ci/run does it)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        stop(self.process)


@contextlib.contextmanager
def start_redis(tmp: Path, port: int | None = None) -> Iterator[RedisServer]:
    """``redis-server deploy/redis.conf`` on a free port (or ``port``), data and log under ``tmp``; always stopped."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log_path = tmp / "redis.log"
    process = subprocess.Popen([binary("redis-server"), str(DEPLOY / "redis.conf"), "--port", str(port),
                                "--dir", str(tmp), "--logfile", str(log_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = RedisServer(port, process, log_path)
    try:
        end = time.monotonic() + READY_DEADLINE
        while True:
            try:
                if server.client().ping():
                    break
            except redis.RedisError:
                pass
            if process.poll() is not None or time.monotonic() > end:
                raise RuntimeError(f"redis-server did not start on port {port}:\n{server.log()[-2000:]}")
            time.sleep(0.02)
        yield server
    finally:
        server.stop()


def render_nginx(prefix: Path, listen: str, upstreams: list[str]) -> str:
    """``deploy/nginx.conf.in`` with its placeholders filled, as ``deploy/run-replicas.sh`` fills them."""
    servers = " ".join(f"server {upstream} max_fails=1 fail_timeout=5s;" for upstream in upstreams)
    text = (DEPLOY / "nginx.conf.in").read_text(encoding="utf-8")
    return text.replace("@PREFIX@", str(prefix)).replace("@LISTEN@", listen).replace("@UPSTREAMS@", servers)


@dataclass
class Balancer:
    """A running nginx in front of the replicas."""

    port: int
    process: subprocess.Popen[bytes]
    prefix: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def upstreams(self) -> dict[str, list[str]]:
        """Request id -> the replicas nginx tried for it, in order (from the access log)."""
        tried: dict[str, list[str]] = {}
        for line in (self.prefix / "access.log").read_text(encoding="utf-8").splitlines():
            match = re.search(r"upstream=(.*?) upstream_status=.* rid=(\S+)", line)
            if match and match.group(2) != "-":
                tried[match.group(2)] = [hop.strip() for hop in match.group(1).split(",")]
        return tried

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        stop(self.process)


@contextlib.contextmanager
def start_nginx(prefix: Path, upstreams: list[str]) -> Iterator[Balancer]:
    """nginx on a free port of 127.0.0.1 with the shipped configuration, until ``/healthz`` answers through it."""
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx(prefix, f"127.0.0.1:{port}", upstreams), encoding="utf-8")
    process = subprocess.Popen([binary("nginx"), "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf),
                                "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    balancer = Balancer(port, process, prefix)
    try:
        end = time.monotonic() + READY_DEADLINE
        while True:
            try:
                with urllib.request.urlopen(balancer.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if process.poll() is not None or time.monotonic() > end:
                raise RuntimeError(f"nginx did not start on port {port}:\n{balancer.error_log()[-2000:]}")
            time.sleep(0.05)
        yield balancer
    finally:
        balancer.stop()
