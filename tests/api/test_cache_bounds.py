"""Per-request caches stay bounded whatever clients send: keyed by what matters, limited in entries and bytes.

Through the HTTP API: unused variables, comment and whitespace spellings and large documents must not grow the
cost-estimate cache or repeat validation; the caches together stay under their stated byte budget.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from modelatlas.api.http import Settings, create_app
from modelatlas.api.http.endpoint import GraphQLEndpoint
from tests.conftest import TODAY

QUERY = "query Page($n: Int) { models(first: $n) { totalCount edges { node { slug } } } }"
BUDGET = 32 * 2**20 + 8 * 2**20 + 2**20  # prepared documents + validation verdicts + cost estimates (README)


@pytest.fixture
def client(kg) -> Iterator[TestClient]:
    app = create_app(Settings(today=TODAY.isoformat(), production=True, response_cache=False, rate_limit=""), kg=kg)
    with TestClient(app) as c:
        yield c


def endpoint_of(client: TestClient) -> GraphQLEndpoint:
    endpoint: GraphQLEndpoint = client.app.state.graphql  # type: ignore[attr-defined]
    return endpoint


def post(client: TestClient, query: str, variables: dict[str, object] | None = None) -> dict[str, object]:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code in (200, 400), response.text
    body: dict[str, object] = response.json()
    return body


def test_unused_variables_do_not_grow_the_cost_cache(client: TestClient) -> None:
    plain = post(client, QUERY, {"n": 3})
    for i in range(500):
        hostile = {"n": 3, **{f"u{i}_{j}": j for j in range(20)}}  # ints the operation never declares
        assert post(client, QUERY, hostile) == plain  # ignored, as the spec allows: the same answer
    assert len(endpoint_of(client).costs) == 1


def test_undeclared_variables_are_ignored_not_read(client: TestClient) -> None:
    """An undeclared variable must not size a list: only declared ones reach the estimate and the execution."""
    declared = post(client, QUERY, {"n": 2})
    assert post(client, QUERY, {"n": 2, "first": 90, "m": 90}) == declared


def test_comment_variants_share_one_validation(client: TestClient) -> None:
    answers = {repr(post(client, f"# variant {i}: {'x' * i}\n{QUERY}\n# end {i}", {"n": 2})) for i in range(500)}
    engine = endpoint_of(client).engine
    assert len(answers) == 1
    assert len(engine.validated) == 1


def test_variants_of_an_invalid_document_keep_their_own_error_locations(client: TestClient) -> None:
    first = post(client, "{ nope }")
    second = post(client, "# a comment\n\n{\n  nope }")
    engine = endpoint_of(client).engine
    assert len(engine.validated) == 1
    assert first["errors"][0]["locations"] == [{"line": 1, "column": 3}]  # type: ignore[index]
    assert second["errors"][0]["locations"] == [{"line": 4, "column": 3}]  # type: ignore[index]


def test_the_caches_stay_under_their_byte_budget(client: TestClient) -> None:
    """700 documents of ~60 KB each (36 MB of text with their trees) fill the caches past their budgets."""
    endpoint = endpoint_of(client)
    engine = endpoint.engine
    for i in range(700):
        comment = f"# {i} " + "c" * 60_000
        post(client, f"{comment}\nquery Page{i}($n: Int) {{ models(first: $n) {{ totalCount }} }}", {"n": i % 50 + 1})
    assert engine.prepared.total <= engine.prepared.max_total
    assert len(engine.prepared) < 700  # the oldest were dropped
    assert engine.validated.total <= engine.validated.max_total
    assert endpoint.costs.total <= endpoint.costs.max_total
    assert engine.prepared.total + engine.validated.total + endpoint.costs.total <= BUDGET
