"""Shared fixtures: the shipped knowledge graph (loaded once) and an HTTP client on the ASGI app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from modelatlas.api.http import Settings, create_app
from modelatlas.graph import load_graph

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="session", autouse=True)
def _hermetic_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No MODELATLAS_* variable of the caller's shell reaches the tests, and the compiled cache is the session's own."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("MODELATLAS_")]:
            patch.delenv(name)
        patch.setenv("MODELATLAS_CACHE_DIR", str(tmp_path_factory.mktemp("compiled-cache")))
        yield


@pytest.fixture(scope="session")
def kg():
    return load_graph(imports=False, cache=False)  # the curated data alone


@pytest.fixture(scope="session")
def client(kg):
    app = create_app(Settings(today=TODAY.isoformat(), production=False), kg=kg)
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def prod_client(kg):
    app = create_app(Settings(today=TODAY.isoformat(), production=True, max_body_bytes=65536), kg=kg)
    with TestClient(app) as c:
        yield c


def gql(client, query: str, variables: dict | None = None) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code in (200, 400), response.text
    return response.json()


@pytest.fixture(scope="session")
def live_prod(tmp_path_factory):
    """A real ``modelatlas serve`` in production mode on 127.0.0.1 (see tests/live_server.py), shared by the
    attack, bad-input and fuzz tests; stopped at the end of the session."""
    from tests.live_server import start_server

    with start_server(tmp_path_factory.mktemp("live-prod"), cors_origins="https://app.example.org",
                      max_cost="5000", timeout_seconds="5") as server:
        yield server
