"""A real ``modelatlas serve`` process on 127.0.0.1, for the reliability and security tests.

The server is started by the launcher the benchmarks use (``modelatlas.bench.server.launch``), on a free port,
with its settings in ``MODELATLAS_*`` variables, its data in a temporary copy of the shipped knowledge base (so
a test can change it and reload), and its compiled cache in a temporary directory.

>>> with start_server(Path("/tmp/x")) as server:   # doctest: +SKIP
...     httpx.get(server.url("/healthz")).json()
{'status': 'ok'}
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from modelatlas.bench.server import LiveServer, free_port, launch, stop
from modelatlas.graph.load import default_data_dir

__all__ = [
    "KNOWN_CODES",
    "PROBE_MODEL_TTL",
    "TODAY",
    "LiveServer",
    "ServeResult",
    "body_of",
    "copy_data",
    "error_codes",
    "modelatlas_command",
    "run_serve",
    "server_env",
    "start_server",
]

TODAY = "2026-11-25"
READY_DEADLINE = 30.0  # seconds for a server to answer /readyz

#: The ``extensions.code`` values of the error contract (plus the parse failure code graphql servers commonly use).
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
    """The ``modelatlas`` console script of this interpreter's environment, else ``python -m modelatlas.api.cli``."""
    script = Path(sys.executable).with_name("modelatlas")
    return [str(script)] if script.exists() else [sys.executable, "-m", "modelatlas.api.cli"]


def copy_data(target: Path) -> Path:
    """A writable copy of the shipped knowledge base under ``target``."""
    return Path(shutil.copytree(default_data_dir(), target, ignore=shutil.ignore_patterns("__pycache__")))


def server_env(data_dir: Path | str, cache_dir: Path, **settings: str) -> dict[str, str]:
    """The process environment: this one without any MODELATLAS_* variable, then the test's settings.

    Defaults: no imported catalogs (fast start), rate limit high enough never to trip, the fixed test date.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODELATLAS_")}
    env.update({
        "MODELATLAS_HOST": "127.0.0.1",
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


@contextlib.contextmanager
def start_server(tmp: Path, *, args: tuple[str, ...] = (), data_dir: Path | None = None,
                 **settings: str) -> Iterator[LiveServer]:
    """Start ``modelatlas serve`` (production mode unless ``args`` has ``--dev``) and stop it afterwards, always.

    ``data_dir`` defaults to a fresh copy of the shipped data under ``tmp``; ``settings`` are extra MODELATLAS_*
    variables by lower-case name (``admin_token="s3cret"``).
    """
    tmp.mkdir(parents=True, exist_ok=True)
    data = data_dir if data_dir is not None else copy_data(tmp / "data")
    with launch(lambda port: [*modelatlas_command(), "serve", *args], server_env(data, tmp / "cache", **settings),
                tmp / "server.log", cwd=tmp, deadline=READY_DEADLINE) as server:
        yield server


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
    env = {**server_env(data_dir, tmp / "cache", **settings), "MODELATLAS_PORT": str(port)}
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
        stop(process)
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
