"""The service as a real process on a free loopback port: start it, wait for ``/readyz``, always stop it.

The tests launch ``modelatlas serve`` with it, the HTTP bench uvicorn with the ceiling app
(``modelatlas.bench.ceiling``). The caller gives the command for a port and the environment (the launcher adds
``MODELATLAS_PORT``); the server's output goes to a log file.

>>> import sys
>>> with launch(lambda port: [sys.executable, "-c", "pass"], {}, Path("/tmp/never.log")):
...     pass
Traceback (most recent call last):
...
RuntimeError: the server exited with 0 before it was ready:
<BLANKLINE>
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LiveServer", "free_port", "launch", "stop"]


def free_port() -> int:
    """A TCP port nobody listens on right now on 127.0.0.1 (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    """A running server: where it listens, its process, its environment and its log."""

    base_url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def graphql_url(self) -> str:
        return self.base_url + "/graphql"

    @property
    def data_dir(self) -> Path:
        """The data directory it serves (``MODELATLAS_DATA_DIR``)."""
        return Path(self.env["MODELATLAS_DATA_DIR"])

    def url(self, path: str) -> str:
        return self.base_url + path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
        """GET ``path``: (HTTP status, body)."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def ready(self) -> dict[str, Any]:
        """The ``/readyz`` answer: status, data version, model count."""
        status, body = self.get("/readyz")
        answer: dict[str, Any] = json.loads(body) if status == 200 else {}
        return answer

    def healthy(self) -> bool:
        """The process runs and answers ``/healthz`` with ``{"status": "ok"}``."""
        if not self.alive():
            return False
        try:
            status, body = self.get("/healthz")
        except OSError:
            return False
        return status == 200 and json.loads(body) == {"status": "ok"}

    def hup(self) -> None:
        os.kill(self.pid, signal.SIGHUP)

    def rss_bytes(self) -> int:
        """Resident set size of the server process, from /proc (Linux)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError(f"no VmRSS for pid {self.pid}")

    def wait_for_version(self, old: str, deadline: float = 20.0) -> str:
        """Poll ``/readyz`` until its data version differs from ``old``; the new version."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            version: str = self.ready().get("dataVersion", old)
            if version != old:
                return version
            time.sleep(0.05)
        raise AssertionError(f"dataVersion still {old} after {deadline} s; server log:\n{self.log()[-3000:]}")

    def wait_ready(self, deadline: float) -> bool:
        """Poll ``/readyz`` until it answers 200 (True), the process exits or ``deadline`` seconds pass (False)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end and self.alive():
            try:
                if self.get("/readyz", timeout=2)[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process`` if it still runs (kill it after 10 s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def launch(command: Callable[[int], list[str]], env: Mapping[str, str], log_path: Path, *,
           cwd: Path | None = None, deadline: float = 30.0, attempts: int = 3) -> Iterator[LiveServer]:
    """Run ``command(port)`` with ``env`` and ``MODELATLAS_PORT`` on a free port until ``/readyz`` answers; stop it after.

    A port taken by someone else before the server bound it is retried on another (``attempts`` in all). A server
    that exits, or is not ready within ``deadline`` seconds, raises RuntimeError with the end of its log.
    """
    for attempt in range(attempts):
        port = free_port()
        environment = {**env, "MODELATLAS_PORT": str(port)}
        with log_path.open("wb") as log:
            process = subprocess.Popen(command(port), env=environment, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
        server = LiveServer(f"http://127.0.0.1:{port}", port, process, log_path, environment)
        try:
            ready = server.wait_ready(deadline)
        except BaseException:
            server.stop()
            raise
        if ready:
            break
        exited = process.poll()
        server.stop()
        if "address already in use" not in server.log().lower() or attempt == attempts - 1:
            why = f"exited with {exited} before it was ready" if exited is not None else \
                f"was not ready within {deadline:g} s"
            raise RuntimeError(f"the server {why}:\n{server.log()[-4000:]}")
    try:
        yield server
    finally:
        server.stop()
