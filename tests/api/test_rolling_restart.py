"""A rolling restart of ``serve --workers 2`` (SIGHUP to the parent) under keep-alive load loses no request.

uvicorn replaces the workers one at a time; a retiring worker used to close its idle keep-alive connections at
once, so a request a client had just sent on one met a reset (9 of ~21,600 POSTs). It now drains them
(``api/http/protocol.py``): the next request on such a connection is answered, with ``Connection: close``.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.live_server import start_server

CLIENTS = 16
QUERY = {"query": "{ dataVersion models(first: 5) { totalCount } }"}


def workers_of(parent: int) -> set[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_rolling_restart_drops_no_keep_alive_request(tmp_path: Path) -> None:
    with start_server(tmp_path, workers="2") as server:
        deadline = time.monotonic() + 60
        while len(workers_of(server.pid)) < 2 and time.monotonic() < deadline:  # the spawner counts as a child
            time.sleep(0.2)
        stop = threading.Event()
        outcomes: Counter[str] = Counter()
        lock = threading.Lock()

        def client() -> None:
            with httpx.Client(timeout=30) as http:  # keep-alive: one connection reused while it lasts
                while not stop.is_set():
                    try:
                        response = http.post(server.graphql_url, json=QUERY)
                        outcome = str(response.status_code)
                    except httpx.HTTPError as exc:
                        outcome = type(exc).__name__
                    with lock:
                        outcomes[outcome] += 1
                    time.sleep(0.005)  # idle between requests: the moment a retiring worker used to cut

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(2)
            before = workers_of(server.pid)
            os.kill(server.pid, signal.SIGHUP)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and len(before - workers_of(server.pid)) < 2:
                time.sleep(0.2)  # until both workers are replaced (the resource tracker stays)
            replaced = len(before - workers_of(server.pid)) >= 2
            time.sleep(1)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        print(f"\nrolling restart: {dict(outcomes)}; workers {sorted(before)} -> {sorted(workers_of(server.pid))}")
        assert replaced, server.log()[-3000:]
        assert set(outcomes) == {"200"}, (dict(outcomes), server.log()[-3000:])
