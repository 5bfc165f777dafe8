"""Shared fixtures: the shipped knowledge graph (loaded once) and an HTTP client on the ASGI app."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from modelatlas.api.app import create_app
from modelatlas.api.settings import Settings
from modelatlas.graph import load_graph

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="session")
def kg():
    return load_graph(imports=False, cache=False)


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
