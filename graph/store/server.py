"""An Oxigraph server of our own (tests, benchmarks, ``modelatlas store serve``): the ``oxigraph`` binary that the
``oxigraph`` PyPI package installs, on 127.0.0.1, over a store directory.

    with OxigraphServer(location) as server:   # a free port; stopped (and waited for) on exit
        client = SparqlClient(server.url)

``bulk_load`` fills a store directory with ``oxigraph load`` (parallel, no HTTP: the fast way for large loads);
``turtle_to_nquads`` turns a directory of Turtle files into one N-Quads file, a named graph per file.

>>> oxigraph_binary().name
'oxigraph'
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import pyoxigraph as ox

from modelatlas.graph.load import data_files, data_root, graph_names
from modelatlas.graph.store.client import StoreError

__all__ = ["OxigraphServer", "bulk_load", "free_port", "oxigraph_binary", "turtle_to_nquads"]


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable: beside this interpreter (a virtualenv), else on PATH.

    Raises StoreError saying how to install it when there is none.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise StoreError("no `oxigraph` executable: install the server with `pip install oxigraph` "
                     "(it is in modelatlas's `test` extra)")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class OxigraphServer:
    """``oxigraph serve`` over ``location`` on 127.0.0.1:``port`` (a free one by default), until :meth:`stop`."""

    def __init__(self, location: Path, port: int | None = None, *, read_only: bool = False,
                 timeout_s: int | None = None, startup_s: float = 60.0, nice: int = 0) -> None:
        self.location = location
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.read_only = read_only
        self.timeout_s = timeout_s
        self.startup_s = startup_s
        self.nice = nice
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        """Start the server and wait until it answers a query; StoreError with its output if it does not."""
        self.location.mkdir(parents=True, exist_ok=True)
        command = [*_niced(self.nice), str(oxigraph_binary()), "serve-read-only" if self.read_only else "serve",
                   "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.timeout_s:
            command += ["--timeout-s", str(self.timeout_s)]
        log = self.location.parent / f"{self.location.name}.oxigraph.log"
        with open(log, "wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.startup_s
        probe = f"{self.url}/query?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise StoreError(f"oxigraph did not start on {self.url}: {log.read_text(errors='replace')[-2000:]}")

    def rss_mb(self) -> float:
        """The server's resident memory in MB (from /proc), NaN when unknown."""
        if self.process is None:
            return float("nan")
        try:
            with open(f"/proc/{self.process.pid}/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except OSError:
            return float("nan")

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory so far in MB (VmHWM), NaN when unknown."""
        if self.process is None:
            return float("nan")
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s) and wait for it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def _niced(nice: int) -> list[str]:
    """A ``nice -n N`` prefix (a benchmark on a shared machine), none for 0."""
    return ["nice", "-n", str(nice)] if nice and shutil.which("nice") else []


def bulk_load(location: Path, files: Sequence[Path], *, nice: int = 0) -> None:
    """``oxigraph load`` of N-Quads / Turtle ``files`` into the store directory ``location`` (no server may hold it),
    at ``nice`` when given. Raises StoreError with oxigraph's message when the load fails.
    """
    location.mkdir(parents=True, exist_ok=True)
    command = [*_niced(nice), str(oxigraph_binary()), "load", "--location", str(location), "--file", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise StoreError(f"oxigraph load into {location} failed: {(done.stderr or done.stdout)[-2000:]}")


def turtle_to_nquads(data_dir: Path, out: Path, *, files_per_batch: int = 5000) -> int:
    """The Turtle data files under ``data_dir`` (as ``graph.load`` finds them) as one N-Quads file ``out``, each
    file's triples in its named graph (``file:///<path>``); returns the quads written.

    Files are parsed into an in-memory Oxigraph store, ``files_per_batch`` at a time, and dumped: the triples never
    become Python objects (at 1M models, 52M quads: the Python loop this replaces took 858 s)."""
    files = data_files([data_dir])
    names = graph_names(files, data_root([data_dir]))
    count = 0
    with open(out, "wb") as sink:
        for start in range(0, len(files), files_per_batch):
            batch = ox.Store()
            for path, name in zip(files[start:start + files_per_batch], names[start:start + files_per_batch]):
                try:
                    batch.load(path=path, format=ox.RdfFormat.TURTLE, base_iri=f"file:///{path.name}",
                               to_graph=ox.NamedNode(name))
                except SyntaxError as exc:
                    raise StoreError(f"{path}: {exc}") from exc
            count += len(batch)
            batch.dump(sink, format=ox.RdfFormat.N_QUADS)
    return count
