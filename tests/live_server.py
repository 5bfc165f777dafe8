"""A real ``modelatlas serve`` process on 127.0.0.1, for the tests of issue 7 (reliability and security).

The server runs as a subprocess on a free port, with its settings in ``MODELATLAS_*`` variables, its data in a
temporary copy of the shipped knowledge base (so a test can change it and reload), and its compiled cache in a
temporary directory. ``start_server`` waits for ``/readyz`` with a deadline and always stops the process.

>>> with start_server(Path("/tmp/x")) as server:   # doctest: +SKIP
...     httpx.get(server.url("/healthz")).json()
{'status': 'ok'}
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import httpx

from modelatlas.graph.load import default_data_dir

__all__ = ["LiveServer", "ServeResult", "copy_data", "free_port", "modelatlas_command", "run_serve", "server_env",
           "start_server", "PROBE_MODEL_TTL", "TODAY", "KNOWN_CODES", "body_of", "error_codes"]

TODAY = "2026-11-25"
READY_DEADLINE = 30.0  # seconds for a server to answer /readyz

#: The ``extensions.code`` values of the issue-7 contract (plus the parse failure code graphql servers commonly use).
KNOWN_CODES = frozenset({
    "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT", "NOT_FOUND", "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_REQUIRED", "COST_LIMIT_EXCEEDED", "BATCHING_NOT_SUPPORTED", "CSRF_BLOCKED", "PAYLOAD_TOO_LARGE",
    "BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE", "REQUEST_TIMEOUT", "RATE_LIMITED", "INTERNAL_SERVER_ERROR",
})

#: A valid extra model: a data directory with this file has exactly one model more than without it.
PROBE_MODEL_TTL = """\
@prefix ma:      <https://modelatlas.dev/ns#> .
@prefix schema:  <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix model:   <https://modelatlas.dev/id/model/> .
@prefix org:     <https://modelatlas.dev/id/org/> .
@prefix src:     <https://modelatlas.dev/id/source/> .

model:reload-probe-1 a ma:Model ;
    schema:name "Reload probe 1" ;
    ma:maker org:mistral ;
    ma:status "active" ;
    dcterms:source src:mistral-docs .
"""


def modelatlas_command() -> list[str]:
    """The ``modelatlas`` console script of this interpreter's environment, else ``python -m api.cli``."""
    script = Path(sys.executable).with_name("modelatlas")
    return [str(script)] if script.exists() else [sys.executable, "-m", "modelatlas.api.cli"]


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_data(target: Path) -> Path:
    """A writable copy of the shipped knowledge base under ``target``."""
    return Path(shutil.copytree(default_data_dir(), target, ignore=shutil.ignore_patterns("__pycache__")))


def server_env(port: int, data_dir: Path | str, cache_dir: Path, **settings: str) -> dict[str, str]:
    """The process environment: this one without any MODELATLAS_* variable, then the test's settings.

    Defaults: no imported catalogs (fast start), rate limit high enough never to trip, the fixed test date.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODELATLAS_")}
    env.update({
        "MODELATLAS_HOST": "127.0.0.1",
        "MODELATLAS_PORT": str(port),
        "MODELATLAS_WORKERS": "1",
        "MODELATLAS_DATA_DIR": str(data_dir),
        "MODELATLAS_CACHE_DIR": str(cache_dir),
        "MODELATLAS_IMPORTS": "false",
        "MODELATLAS_RATE_LIMIT": "1000000/minute",
        "MODELATLAS_TODAY": TODAY,
        "PYTHONUNBUFFERED": "1",
    })
    env.update({f"MODELATLAS_{k.upper()}": v for k, v in settings.items()})
    return env


@dataclass
class LiveServer:
    """A running ``modelatlas serve``: where it listens, its process, its data and its log."""

    base_url: str
    port: int
    process: subprocess.Popen
    data_dir: Path
    log_path: Path
    env: dict[str, str] = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def graphql_url(self) -> str:
        return self.base_url + "/graphql"

    def url(self, path: str) -> str:
        return self.base_url + path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def rss_bytes(self) -> int:
        """Resident set size of the server process, from /proc (Linux)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError(f"no VmRSS for pid {self.pid}")

    def ready(self) -> dict:
        return httpx.get(self.url("/readyz"), timeout=5).json()

    def healthy(self) -> bool:
        """The process runs and answers /healthz with {"status": "ok"}."""
        if not self.alive():
            return False
        try:
            response = httpx.get(self.url("/healthz"), timeout=5)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and response.json() == {"status": "ok"}

    def hup(self) -> None:
        os.kill(self.pid, signal.SIGHUP)

    def wait_for_version(self, old: str, deadline: float = 20.0) -> str:
        """Poll /readyz until its dataVersion differs from ``old``; the new version."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            version = self.ready()["dataVersion"]
            if version != old:
                return version
            time.sleep(0.05)
        raise AssertionError(f"dataVersion still {old} after {deadline} s; server log:\n{self.log()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextlib.contextmanager
def start_server(tmp: Path, *, args: tuple[str, ...] = (), data_dir: Path | None = None,
                 **settings: str) -> Iterator[LiveServer]:
    """Start ``modelatlas serve`` (production mode unless ``args`` has ``--dev``) and stop it afterwards, always.

    ``data_dir`` defaults to a fresh copy of the shipped data under ``tmp``; ``settings`` are extra MODELATLAS_*
    variables by lower-case name (``admin_token="s3cret"``).
    """
    tmp.mkdir(parents=True, exist_ok=True)
    if data_dir is None:
        data_dir = copy_data(tmp / "data")
    log_path = tmp / "server.log"
    for attempt in range(3):  # a port picked by free_port can be taken by someone else before the server binds it
        port = free_port()
        env = server_env(port, data_dir, tmp / "cache", **settings)
        with log_path.open("wb") as log:
            process = subprocess.Popen([*modelatlas_command(), "serve", *args], env=env, cwd=tmp,
                                       stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        server = LiveServer(f"http://127.0.0.1:{port}", port, process, data_dir, log_path, env)
        try:
            if _wait_ready(server):
                break
        except BaseException:
            _stop(process)
            raise
        _stop(process)
        if "address already in use" not in server.log().lower() or attempt == 2:
            raise RuntimeError(f"modelatlas serve did not become ready (exit {process.returncode}):\n{server.log()[-4000:]}")
    try:
        yield server
    finally:
        _stop(process)


def _wait_ready(server: LiveServer) -> bool:
    end = time.monotonic() + READY_DEADLINE
    while time.monotonic() < end:
        if not server.alive():
            return False
        try:
            if httpx.get(server.url("/readyz"), timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    return False


@dataclass
class ServeResult:
    """How a ``modelatlas`` command that was expected to fail ended."""

    returncode: int | None
    output: str
    listened: bool  # whether anything accepted a connection on its port while it ran
    timed_out: bool  # still running at the deadline (then it was stopped, and returncode says nothing)


def run_serve(tmp: Path, data_dir: Path | str, *, command: str = "serve", deadline: float = 30.0,
              **settings: str) -> ServeResult:
    """Run ``modelatlas serve`` (or another command) until it exits, probing its port all the while."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = server_env(port, data_dir, tmp / "cache", **settings)
    argv = [*modelatlas_command(), command] + ([str(data_dir)] if command == "validate" else [])
    log_path = tmp / f"{command}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    listened = timed_out = False
    end = time.monotonic() + deadline
    try:
        while process.poll() is None:
            if time.monotonic() > end:
                timed_out = True
                break
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.settimeout(0.2)
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    listened = True
                    break  # it serves: the test has failed, no need to wait for the deadline
            time.sleep(0.02)
    finally:
        _stop(process)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    return ServeResult(process.returncode, output, listened, timed_out)


def error_codes(body: object) -> list[str | None]:
    """The ``extensions.code`` of every GraphQL error in a response body (None where an error has none)."""
    if not isinstance(body, dict):
        return []
    return [(e.get("extensions") or {}).get("code") for e in body.get("errors") or [] if isinstance(e, dict)]


def body_of(response: httpx.Response) -> object:
    """The JSON body of a response, or None when it is not JSON."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None
