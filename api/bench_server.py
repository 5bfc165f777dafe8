"""Start the service (with its ceiling routes) under uvicorn on a free loopback port, as production runs it.

>>> env = server_env(response_cache=False, queries_dir=Path("bench/queries"), environ={})
>>> env["MODELATLAS_RESPONSE_CACHE"], env["MODELATLAS_RATE_LIMIT"], env["MODELATLAS_PRODUCTION"]
('false', '', 'true')
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Mapping

__all__ = ["BenchServer", "free_port", "server_command", "server_env"]

FACTORY = "modelatlas.api.bench_app:ceiling_app_from_env"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(*, response_cache: bool, queries_dir: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the server: the caller's MODELATLAS_* settings, production on, rate limit off."""
    env = dict(os.environ if environ is None else environ)
    env.update({
        "MODELATLAS_PRODUCTION": "true",
        "MODELATLAS_RESPONSE_CACHE": "true" if response_cache else "false",
        "MODELATLAS_RATE_LIMIT": "",
        "MODELATLAS_WORKERS": "1",
        "BENCH_QUERIES_DIR": str(queries_dir),
    })
    return env


def server_command(port: int, cpus: str | None = None) -> list[str]:
    """uvicorn with one worker, its access log off and log level warning (``modelatlas serve`` does the same)."""
    command = [sys.executable, "-m", "uvicorn", FACTORY, "--factory", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "1", "--no-access-log", "--log-level", "warning"]
    return ["taskset", "-c", cpus, *command] if cpus is not None else command


class BenchServer:
    """A context manager running the bench server; ``url`` is its base URL once it answers ``/readyz``."""

    def __init__(self, env: dict[str, str], cpus: str | None = None, startup_seconds: float = 120) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = server_command(self.port, cpus)
        self.env = env
        self.startup_seconds = startup_seconds
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # the app's JSON access log goes to stderr, as in production

    def __enter__(self) -> "BenchServer":
        self.process = subprocess.Popen(self.command, env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the bench server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"the bench server did not get ready in {self.startup_seconds:g} s:\n{self.log_tail()}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_tail(self, limit: int = 4000) -> str:
        self.log.seek(0, os.SEEK_END)
        size = self.log.tell()
        self.log.seek(max(0, size - limit))
        return self.log.read().decode(errors="replace")
