"""Each attack class of the OWASP GraphQL cheat sheet and of graphql-cop, against a real production server.

Every test sends the attack to ``modelatlas serve`` (production mode, the default) on 127.0.0.1, checks that it is
refused with the contract's status and ``extensions.code``, and that the service still answers /healthz afterwards.
Where a refusal could pass for the wrong reason (a probe that is simply invalid), a control request shows the probe
works: 15 aliases pass where 16 do not, introspection and suggestions answer in ``--dev`` mode.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest

from tests.live_server import KNOWN_CODES, body_of, error_codes, start_server

pytestmark = pytest.mark.timeout(60)

JSON = {"content-type": "application/json"}
PREFLIGHT = {"content-type": "application/json", "apollo-require-preflight": "true"}
ALLOWED_ORIGIN = "https://app.example.org"  # the live_prod fixture's MODELATLAS_CORS_ORIGINS


@pytest.fixture(scope="module")
def http(live_prod):
    with httpx.Client(base_url=live_prod.base_url, timeout=20) as client:
        yield client


@pytest.fixture(autouse=True)
def still_serving(request):
    """After every test: the production server (when the test used it) still answers /healthz."""
    yield
    if "live_prod" in request.fixturenames:
        assert request.getfixturevalue("live_prod").healthy(), "the server stopped serving after this attack"


@pytest.fixture(scope="module")
def live_dev(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("live-dev"), args=("--dev",)) as server:
        yield server


def post(http: httpx.Client, query: str, **extra) -> httpx.Response:
    return http.post("/graphql", json={"query": query, **extra})


def refused(response: httpx.Response, code: str | tuple[str, ...], status: int | None = None) -> dict:
    """Assert a refusal: no 5xx, the status if given, a JSON body whose errors carry ``code`` (or one of the codes),
    no data. The body."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if status is not None:
        assert response.status_code == status, (response.status_code, response.text[:500])
    body = body_of(response)
    assert isinstance(body, dict), f"not a JSON object: {response.text[:300]!r}"
    codes = error_codes(body)
    print(f"\n  {response.request.method} -> HTTP {response.status_code} {codes[:3]}{'...' if len(codes) > 3 else ''} "
          f"{messages(body)[:160]!r}")
    assert set(codes) & ({code} if isinstance(code, str) else set(code)), (code, body)
    assert all(c in KNOWN_CODES for c in codes), body
    assert not body.get("data"), f"refused, yet data came back: {body}"
    for error in body["errors"]:
        assert error.get("message"), body
        assert "exception" not in (error.get("extensions") or {}), f"stack trace leaked: {error}"
    return body


def messages(body: dict) -> str:
    return " | ".join(e.get("message", "") for e in body.get("errors") or [])


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------------------------- query-shape attacks


def test_alias_overloading_101_aliases(http):
    for field in ("dataVersion", "licenses { slug }"):  # 101 x 5 tokens: under the token limit
        query = "{ " + " ".join(f"a{i}: {field}" for i in range(101)) + " }"
        body = refused(post(http, query), "GRAPHQL_VALIDATION_FAILED")  # the shape cap (100 fields per selection
        assert "alias" in messages(body).lower() or "limit is 100" in messages(body), body  # set) comes first
    body = refused(post(http, "{ " + " ".join(f"a{i}: dataVersion" for i in range(16)) + " }"), "GRAPHQL_VALIDATION_FAILED")
    assert "alias" in messages(body).lower(), body
    # the limit is 15: 15 aliases are served, 16 are not
    ok = post(http, "{ " + " ".join(f"a{i}: dataVersion" for i in range(15)) + " }").json()
    assert "errors" not in ok and len(ok["data"]) == 15, ok
    refused(post(http, "{ " + " ".join(f"a{i}: dataVersion" for i in range(16)) + " }"), "GRAPHQL_VALIDATION_FAILED")


def test_alias_overloading_through_fragments(http):
    """CVE-2026-47707: aliases hidden in fragment spreads count too."""
    fragments = " ".join(f"fragment F{i} on Query {{ " + " ".join(f"f{i}a{j}: dataVersion" for j in range(4)) + " }"
                         for i in range(26))  # 104 aliases in 26 fragments of 4
    query = "{ " + " ".join(f"...F{i}" for i in range(26)) + " } " + fragments
    refused(post(http, query), "GRAPHQL_VALIDATION_FAILED")


def test_directive_overloading(http):
    # more than 10 valid directives
    query = "{ " + " ".join(f"d{i}: dataVersion @include(if: true)" for i in range(11)) + " }"
    body = refused(post(http, query), "GRAPHQL_VALIDATION_FAILED")
    assert "directive" in messages(body).lower(), body
    ok = post(http, "{ " + " ".join(f"d{i}: dataVersion @include(if: true)" for i in range(10)) + " }").json()
    assert "errors" not in ok and len(ok["data"]) == 10, ok
    # graphql-cop's probe: unknown directives repeated; it flags a server that answers with one error per directive
    for n in (10, 50):
        body = refused(post(http, "query { __typename " + "@aa" * n + " }"), "GRAPHQL_VALIDATION_FAILED")
        assert len(body["errors"]) < 10, f"{n} directives, {len(body['errors'])} errors: each one was processed"


def test_batching_refused(http):
    batch = [{"query": "{ dataVersion }"} for _ in range(10)]
    refused(http.post("/graphql", json=batch), "BATCHING_NOT_SUPPORTED", 400)
    refused(http.post("/graphql", json=[{"query": "{ dataVersion }"}]), "BATCHING_NOT_SUPPORTED", 400)


def test_deep_nesting_refused(http):
    deep = ('{ model(id: "mistral-small-2402") { family { models { family { models { family { models { family '
            '{ models { slug } } } } } } } } } }')  # depth 10
    body = refused(post(http, deep), "GRAPHQL_VALIDATION_FAILED")
    assert "depth" in messages(body).lower(), body
    # a parser bomb: 3000 nested selections, stopped by the parser (token or nesting limit) before any recursion
    bomb = "{ " + "model(id: \"x\") { family { " * 1500 + "slug" + " }" * 3000 + " }"
    refused(post(http, bomb), ("GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"))
    bomb = "{ " + "a { " * 3000 + "b" + " }" * 3001
    refused(post(http, bomb), ("GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"))


def test_too_many_tokens_refused(http):
    query = "{ " + " ".join("dataVersion" for _ in range(1001)) + " }"
    body = refused(post(http, query), "GRAPHQL_VALIDATION_FAILED")
    assert "token" in messages(body).lower(), body


def test_circular_fragments_refused(http):
    query = "{ ...A } fragment A on Query { dataVersion ...B } fragment B on Query { ...A }"
    body = refused(post(http, query), "GRAPHQL_VALIDATION_FAILED")
    assert "A" in messages(body), body
    # graphql-cop's version, through __schema
    cop = "query { __schema { ...A } } fragment A on __Schema { __typename ...B } fragment B on __Schema { ...A }"
    refused(post(http, cop), "GRAPHQL_VALIDATION_FAILED")


def test_introspection_refused_in_production(http, live_dev):
    for query in ("{ __schema { types { name } } }", '{ __type(name: "Model") { fields { name } } }',
                  "query { __schema { queryType { fields { name args { name } } } } }"):
        refused(post(http, query), "GRAPHQL_VALIDATION_FAILED")
    # the control: --dev answers the same probe
    dev = httpx.post(live_dev.graphql_url, json={"query": "{ __schema { types { name } } }"}, timeout=20).json()
    assert any(t["name"] == "Model" for t in dev["data"]["__schema"]["types"]), dev


def test_field_suggestions_hidden_in_production(http, live_dev):
    probes = ['{ modle(id: "mistral-small-2402") { slug } }',            # root field
              '{ model(id: "mistral-small-2402") { nam } }',              # object field
              '{ model(idd: "mistral-small-2402") { slug } }',            # argument
              "{ models(filter: {status: ACTIV}) { totalCount } }",       # enum value
              '{ node(id: "x") { ... on Modl { slug } } }']               # type name
    for query in probes:
        response = post(http, query)
        body = body_of(response)
        assert response.status_code < 500 and isinstance(body, dict) and body.get("errors"), (query, response.text)
        assert not body.get("data"), (query, body)
        assert set(error_codes(body)) <= {"GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}, (query, body)
        assert "did you mean" not in messages(body).lower(), (query, body)
    # the control: --dev suggests
    dev = httpx.post(live_dev.graphql_url, json={"query": probes[0]}, timeout=20).json()
    assert "did you mean" in messages(dev).lower(), dev


def test_no_stack_traces_or_tracing(http):
    """graphql-cop's unhandled-error and trace-mode probes: a syntax error is a coded error, nothing leaks."""
    response = post(http, "qwerty cop { abc }")
    body = body_of(response)
    assert response.status_code < 500 and isinstance(body, dict), response.text[:300]
    assert body.get("errors") and all(c in KNOWN_CODES for c in error_codes(body)), body
    text = json.dumps(body).lower()
    assert "traceback" not in text and "exception" not in text and '.py"' not in text, body
    ok = post(http, "{ dataVersion }").json()
    assert "tracing" not in (ok.get("extensions") or {}), ok


def test_graphiql_off_in_production(http):
    response = http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code < 500
    assert "graphiql" not in response.text.lower(), response.text[:300]


# -------------------------------------------------------------------------------------- transport (HTTP) attacks


def test_get_mutation_refused(http):
    for headers in (PREFLIGHT, JSON, {"x-apollo-operation-name": "M"}, {}):
        response = http.get("/graphql", params={"query": "mutation M { dataVersion }"}, headers=headers)
        assert response.status_code in (400, 405), (headers, response.status_code, response.text[:300])
        body = body_of(response)
        assert not (body.get("data") if isinstance(body, dict) else None), response.text[:300]


def test_get_with_query_text_needs_a_persisted_query(http):
    response = http.get("/graphql", params={"query": "{ dataVersion }"}, headers=PREFLIGHT)
    refused(response, "PERSISTED_QUERY_REQUIRED", 400)


def test_get_without_preflight_header_is_csrf_blocked(http):
    query = "{ dataVersion csrfProbe: dataVersion }"
    h = sha256(query)
    register = http.post("/graphql", json={"query": query,
                                           "extensions": {"persistedQuery": {"version": 1, "sha256Hash": h}}})
    assert register.status_code == 200 and register.json()["data"]["csrfProbe"], register.text[:300]
    params = {"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": h}})}
    refused(http.get("/graphql", params=params), "CSRF_BLOCKED", 400)                     # no headers at all
    refused(http.get("/graphql", params=params, headers={"content-type": "text/plain"}), "CSRF_BLOCKED", 400)
    for headers in (JSON, {"x-apollo-operation-name": "Q"}, {"apollo-require-preflight": "true"}):
        ok = http.get("/graphql", params=params, headers=headers)
        assert ok.status_code == 200 and ok.json()["data"]["csrfProbe"], (headers, ok.status_code, ok.text[:300])


@pytest.mark.parametrize("content_type", ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_simple_request_posts_are_csrf_blocked(http, content_type):
    """The content types a browser may send cross-site without a preflight."""
    payload = json.dumps({"query": "{ dataVersion }"})
    if content_type.startswith("application/x-www-form-urlencoded"):
        payload = httpx.QueryParams({"query": "{ dataVersion }"}).__str__()
    elif content_type.startswith("multipart"):
        payload = ('--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
                   + json.dumps({"query": "{ dataVersion }"}) + "\r\n--x--\r\n")
    refused(http.post("/graphql", content=payload, headers={"content-type": content_type}), "CSRF_BLOCKED", 400)


def test_post_with_query_in_url_and_no_body_is_refused(http):
    """graphql-cop's 'POST based url-encoded query': the query in the URL of a body-less POST."""
    response = http.post("/graphql", params={"query": "query { __typename }"})
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert not (body_of(response) or {}).get("data"), response.text[:300]


# --------------------------------------------------------------------------------------------- amount attacks


def test_excessive_first_refused(http):
    for first in (101, 1000, 2147483647):
        body = post(http, "{ models(first: %d) { totalCount } }" % first).json()
        assert error_codes(body) == ["BAD_USER_INPUT"], body
        assert "100" in messages(body), body
    nested = '{ router(id: "openrouter") { models(first: 5000) { totalCount } } }'
    assert "BAD_USER_INPUT" in error_codes(post(http, nested).json())


def test_cost_limit(http):
    # 100 routers x 100 models each: about 10,100 nodes estimated, over MODELATLAS_MAX_COST=5000
    query = "{ routers(first: 100) { edges { node { models(first: 100) { edges { node { slug } } } } } } }"
    body = refused(post(http, query), "COST_LIMIT_EXCEEDED")
    assert "5000" in messages(body), body
    ok = post(http, "{ routers(first: 10) { edges { node { models(first: 10) { totalCount } } } } }").json()
    assert "errors" not in ok, ok
    cost = ok["extensions"]["cost"]
    assert set(cost) >= {"estimated", "limit"} and cost["limit"] == 5000, cost
    assert isinstance(cost["estimated"], int) and 0 < cost["estimated"] <= 5000, cost


def test_payload_too_large(http):
    big = b'{"query": "{ dataVersion }", "variables": {"x": "' + b"a" * 70_000 + b'"}}'
    refused(http.post("/graphql", content=big, headers=JSON), "PAYLOAD_TOO_LARGE", 413)

    def chunks():  # no Content-Length: the limit must hold on the bytes actually read
        yield b'{"query": "{ dataVersion }", "variables": {"x": "'
        for _ in range(20):
            yield b"a" * 8192
        yield b'"}}'
    refused(http.post("/graphql", content=chunks(), headers=JSON), "PAYLOAD_TOO_LARGE", 413)


def test_metrics_label_flooding(http):
    """Client-chosen operation names and paths must not grow /metrics (and memory) without bound."""
    for i in range(300):
        http.post("/graphql", json={"query": f"query Flood{i} {{ dataVersion }}", "operationName": f"Flood{i}"})
    for i in range(100):
        http.get(f"/flood-{i}")
    text = http.get("/metrics").text
    operations = set(re.findall(r'^modelatlas_graphql_requests_total\{operation="([^"]*)"', text, re.MULTILINE))
    paths = set(re.findall(r'^modelatlas_http_requests_total\{path="([^"]*)"', text, re.MULTILINE))
    print(f"\n  /metrics after 300 operation names and 100 paths: {len(operations)} operation labels, "
          f"{len(paths)} path labels, {len(text)} bytes")
    assert len(operations) <= 250, len(operations)
    assert len(paths) <= 10, sorted(paths)


# ---------------------------------------------------------------------------------- CORS, APQ, caching validators


def test_cors_allow_list(http):
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    ok = http.options("/graphql", headers={"origin": ALLOWED_ORIGIN, **preflight})
    assert ok.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN, (ok.status_code, dict(ok.headers))
    evil = http.options("/graphql", headers={"origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in evil.headers, dict(evil.headers)
    simple = http.post("/graphql", json={"query": "{ dataVersion }"}, headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers, dict(simple.headers)
    simple = http.post("/graphql", json={"query": "{ dataVersion }"}, headers={"origin": ALLOWED_ORIGIN})
    assert simple.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN, dict(simple.headers)


def test_automatic_persisted_queries(http):
    query = 'query Apq($id: ID!) { model(id: $id) { slug } apq: dataVersion }'
    h = sha256(query)
    ext = {"persistedQuery": {"version": 1, "sha256Hash": h}}
    unknown = http.post("/graphql", json={"extensions": ext, "variables": {"id": "mistral-small-2402"}})
    assert unknown.status_code < 500 and error_codes(unknown.json()) == ["PERSISTED_QUERY_NOT_FOUND"], unknown.text
    mismatch = http.post("/graphql", json={"query": query + " ", "extensions": ext})
    codes = error_codes(body_of(mismatch))
    assert mismatch.status_code < 500 and codes, mismatch.text
    assert codes[0] == "BAD_REQUEST" or codes[0].startswith("PERSISTED_QUERY"), mismatch.text
    register = http.post("/graphql", json={"query": query, "extensions": ext, "variables": {"id": "mistral-small-2402"}})
    assert register.status_code == 200 and register.json()["data"]["model"]["slug"] == "mistral-small-2402"
    params = {"extensions": json.dumps(ext), "variables": json.dumps({"id": "mistral-small-2603"})}
    get = http.get("/graphql", params=params, headers={"apollo-require-preflight": "true"})
    assert get.status_code == 200, get.text[:300]
    assert get.json()["data"]["model"]["slug"] == "mistral-small-2603"
    by_post = http.post("/graphql", json={"extensions": ext, "variables": {"id": "mistral-small-2603"}})
    assert by_post.status_code == 200 and by_post.json()["data"] == get.json()["data"]


def test_etag_and_304(http):
    query = "{ dataVersion etagProbe: models(first: 3) { totalCount } }"
    h = sha256(query)
    params = {"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": h}})}
    http.post("/graphql", json={"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": h}}})
    first = http.get("/graphql", params=params, headers=PREFLIGHT)
    assert first.status_code == 200, first.text[:300]
    version = first.json()["data"]["dataVersion"]
    assert first.headers.get("x-data-version") == version, dict(first.headers)
    etag = first.headers.get("etag")
    assert etag and etag.removeprefix("W/").startswith('"') and etag.endswith('"'), etag
    again = http.get("/graphql", params=params, headers={**PREFLIGHT, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b"", (again.status_code, again.text[:300])
    other = http.get("/graphql", params=params, headers={**PREFLIGHT, "if-none-match": '"not-the-etag"'})
    assert other.status_code == 200 and other.json() == first.json()
    posted = http.post("/graphql", json={"query": "{ dataVersion }"})
    assert posted.headers.get("x-data-version") == posted.json()["data"]["dataVersion"] == version


# --------------------------------------------------------------------------------- limits that need their own server


@pytest.mark.timeout(60)
def test_rate_limit(tmp_path: Path):
    with start_server(tmp_path, rate_limit="10/minute") as server, httpx.Client(base_url=server.base_url, timeout=20) as c:
        responses = [c.post("/graphql", json={"query": "{ dataVersion }"}) for _ in range(25)]
        statuses = [r.status_code for r in responses]
        print(f"\nrate limit 10/minute, 25 requests: {statuses}")
        # (8, not 10: the fixture's one /readyz probe, and perhaps /healthz, may count against the same client)
        assert statuses[:8] == [200] * 8 and set(statuses) == {200, 429}, statuses
        response = next(r for r in responses if r.status_code == 429)
        assert "RATE_LIMITED" in error_codes(response.json()), response.text
        assert int(response.headers["retry-after"]) > 0, dict(response.headers)
        for header in ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"):
            assert header in response.headers, (header, dict(response.headers))
        assert response.headers["ratelimit-remaining"].split(",")[0].strip() == "0", dict(response.headers)
        assert server.alive()


@pytest.mark.timeout(60)
def test_request_timeout(tmp_path: Path):
    # the query below takes tens of milliseconds; the budget is one millisecond
    heavy = "{ " + " ".join(
        f'm{i}: migrationPaths(fromModelId: "mistral-small-2402", first: {i + 1}) {{ score target {{ slug }} '
        f'steps {{ kind checks {{ warnings priceRatio }} }} }} '
        f'a{i}: alternatives(modelId: "mistral-small-2402", first: {i + 1}) {{ score model {{ slug }} }}'
        for i in range(7)) + " }"
    with start_server(tmp_path, timeout_seconds="0.001", response_cache="false") as server:
        response = httpx.post(server.graphql_url, json={"query": heavy}, timeout=20)
        assert response.status_code == 503, (response.status_code, response.text[:300])
        body = response.json()
        assert "REQUEST_TIMEOUT" in error_codes(body) and not body.get("data"), body
        assert server.healthy()
