"""Bad input, everywhere: each malformed request gets a 4xx or a GraphQL error with a clear message and a
code, never a 5xx, and the real production server keeps serving (checked after each case)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.live_server import KNOWN_CODES, body_of, error_codes

pytestmark = pytest.mark.timeout(30)

JSON = {"content-type": "application/json"}
GQL_ERROR = {200, 400}  # a GraphQL error may come with either (GraphQL over HTTP)


@dataclass
class Case:
    """One bad request and what may answer it."""

    id: str
    send: Callable[[httpx.Client], httpx.Response]
    statuses: set[int]
    codes: set[str]
    mentions: tuple[str, ...] = ()  # one error message must contain one of these (case-insensitive)
    data_allowed: bool = False  # partial data is fine (e.g. a nullable field that was not found)
    success_ok: bool = False  # a plain answer (HTTP 200, data, no errors) is fine too: the input is odd, not wrong


def raw(body: bytes | str, content_type: str | None = "application/json") -> Callable[[httpx.Client], httpx.Response]:
    headers = {"content-type": content_type} if content_type else {}
    content = body.encode("utf-8") if isinstance(body, str) else body
    return lambda http: http.post("/graphql", content=content, headers=headers)


def gql(query: str, variables: Any = None, **extra: Any) -> Callable[[httpx.Client], httpx.Response]:
    payload = {"query": query, **({"variables": variables} if variables is not None else {}), **extra}
    return lambda http: http.post("/graphql", json=payload)


def cursor_of(http: httpx.Client, list_field: str) -> str:
    body = http.post("/graphql", json={"query": "{ %s(first: 1) { pageInfo { endCursor } } }" % list_field}).json()
    return body["data"][list_field]["pageInfo"]["endCursor"]


def with_cursor(list_field: str, cursor: str | Callable[[httpx.Client], str]) -> Callable[[httpx.Client], httpx.Response]:
    def send(http: httpx.Client) -> httpx.Response:
        value = cursor(http) if callable(cursor) else cursor
        return http.post("/graphql", json={"query": "query($c: String) { %s(after: $c) { totalCount } }" % list_field,
                                           "variables": {"c": value}})
    return send


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def nested_json(depth: int) -> bytes:
    return b'{"query": "query($f: ModelFilter) { models(filter: $f) { totalCount } }", "variables": {"f": ' + \
        b"[" * depth + b"]" * depth + b"}}"


BAD_DATES = ["2025-02-30", "2025-02-29", "2025-13-01", "2025-00-10", "2025-2-3", "tomorrow", "", "2025-02-28T25:00:00",
             "99999-01-01"]

CASES = [
    # ---- not JSON, or JSON of the wrong shape
    Case("invalid-json-truncated", raw('{"query": "{ dataVersion }"'), {400}, {"BAD_REQUEST"}, ("json",)),
    Case("invalid-json-garbage", raw("this is not json"), {400}, {"BAD_REQUEST"}, ("json",)),
    Case("empty-body", raw(b""), {400}, {"BAD_REQUEST"}),
    Case("json-string", raw('"{ dataVersion }"'), {400}, {"BAD_REQUEST"}),
    Case("json-number", raw("42"), {400}, {"BAD_REQUEST"}),
    Case("json-null", raw("null"), {400}, {"BAD_REQUEST"}),
    Case("empty-array", raw("[]"), {400}, {"BAD_REQUEST", "BATCHING_NOT_SUPPORTED"}),
    Case("missing-query", raw("{}"), {400}, {"BAD_REQUEST"}, ("query",)),
    Case("query-null", raw('{"query": null}'), {400}, {"BAD_REQUEST"}, ("query",)),
    Case("query-not-a-string", raw('{"query": 5}'), {400}, {"BAD_REQUEST"}, ("query",)),
    Case("variables-not-an-object", raw('{"query": "{ dataVersion }", "variables": "x"}'), {400}, {"BAD_REQUEST"},
         ("variables",)),
    Case("variables-a-list", raw('{"query": "{ dataVersion }", "variables": [1, 2]}'), {400}, {"BAD_REQUEST"},
         ("variables",)),
    Case("operation-name-not-a-string", raw('{"query": "{ dataVersion }", "operationName": 5}'), {400},
         {"BAD_REQUEST"}, ("operation",)),
    Case("json-nan", raw('{"query": "query($x: Float) { models(filter: {maxInputPrice: $x}) { totalCount } }", '
                         '"variables": {"x": NaN}}'), {200, 400}, {"BAD_REQUEST", "BAD_USER_INPUT"}),
    Case("utf8-bom", raw(b'\xef\xbb\xbf{"query": "{ dataVersion }"}'), {200, 400}, {"BAD_REQUEST"}, success_ok=True),
    # ---- content types
    Case("content-type-xml", raw('{"query": "{ dataVersion }"}', "application/xml"), {415}, {"UNSUPPORTED_MEDIA_TYPE"}),
    Case("content-type-octet-stream", raw('{"query": "{ dataVersion }"}', "application/octet-stream"), {415},
         {"UNSUPPORTED_MEDIA_TYPE"}),
    Case("content-type-image", raw('{"query": "{ dataVersion }"}', "image/png"), {415}, {"UNSUPPORTED_MEDIA_TYPE"}),
    Case("content-type-text-plain", raw('{"query": "{ dataVersion }"}', "text/plain"), {400}, {"CSRF_BLOCKED"}),
    Case("content-type-missing", raw('{"query": "{ dataVersion }"}', None), {400, 415},
         {"CSRF_BLOCKED", "UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST"}),
    # ---- size and depth
    Case("body-1MB", raw(b'{"query": "{ dataVersion }", "variables": {"x": "' + b"x" * 1_000_000 + b'"}}'), {413},
         {"PAYLOAD_TOO_LARGE"}),
    Case("megabyte-string-argument", gql("query($t: String!) { search(text: $t) { slug } }", {"t": "é" * 600_000}),
         {413}, {"PAYLOAD_TOO_LARGE"}),
    Case("json-nested-20000-deep", raw(nested_json(20_000)), {400}, {"BAD_REQUEST"}),
    Case("json-nested-500-deep", raw(nested_json(500)), GQL_ERROR, {"BAD_USER_INPUT"}),
    Case("graphql-list-literal-400-deep", gql("{ models(filter: {capabilities: " + "[" * 400 + '"x"' + "]" * 400
                                              + "}) { totalCount } }"), GQL_ERROR,
         {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT"}),
    Case("string-60KB-search", gql("query($t: String!) { search(text: $t) { slug } }", {"t": "mistral " * 7_500}),
         {200, 400}, {"BAD_USER_INPUT"}, data_allowed=True, success_ok=True),
    Case("string-60KB-id", gql("query($id: ID!) { model(id: $id) { slug } }", {"id": "m" * 60_000}), GQL_ERROR,
         {"NOT_FOUND", "BAD_USER_INPUT"}, data_allowed=True),
    # ---- operations
    Case("unknown-operation-name", gql("query A { dataVersion }", operationName="B"), {200, 400},
         {"BAD_REQUEST", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}, ("B",)),
    Case("two-operations-no-name", gql("query A { dataVersion } query B { dataVersion }"), {200, 400},
         {"BAD_REQUEST", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}, ("operation",)),
    Case("empty-query", gql(""), {200, 400}, {"BAD_REQUEST", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}),
    Case("syntax-error", gql("{ model(id: ) { slug }"), GQL_ERROR, {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"},
         ("syntax",)),
    Case("unknown-field", gql("{ dataVersionX }"), GQL_ERROR, {"GRAPHQL_VALIDATION_FAILED"}, ("dataVersionX",)),
    Case("subscription", gql("subscription { dataVersion }"), {200, 400, 405},
         {"GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"}),
    Case("mutation-over-post", gql("mutation { dataVersion }"), {200, 400, 405},
         {"GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"}),
    # ---- arguments and variables
    Case("variable-wrong-type", gql("query($n: Int) { models(first: $n) { totalCount } }", {"n": "ten"}), GQL_ERROR,
         {"BAD_USER_INPUT"}, ("$n",)),
    Case("variable-null-for-non-null", gql("query($id: ID!) { model(id: $id) { slug } }", {"id": None}), GQL_ERROR,
         {"BAD_USER_INPUT"}, ("$id",)),
    Case("variable-missing", gql("query($id: ID!) { model(id: $id) { slug } }", {}), GQL_ERROR, {"BAD_USER_INPUT"},
         ("$id",)),
    Case("int-overflow", gql("{ models(first: 99999999999) { totalCount } }"), GQL_ERROR,
         {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}),
    Case("negative-first", gql("{ models(first: -1) { totalCount } }"), GQL_ERROR, {"BAD_USER_INPUT"}, ("first",)),
    Case("bad-enum", gql("{ models(filter: {status: SLEEPING}) { totalCount } }"), GQL_ERROR,
         {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}, ("SLEEPING",)),
    Case("garbage-global-id", gql('{ node(id: "@@@not-base64@@@") { id } }'), GQL_ERROR,
         {"NOT_FOUND", "BAD_USER_INPUT"}, data_allowed=True),
    Case("unknown-model", gql('{ model(id: "no-such-model") { slug } }'), {200}, {"NOT_FOUND"}, ("no-such-model",),
         data_allowed=True),
    # ---- null bytes and malformed unicode
    Case("null-byte-in-id", gql("query($id: ID!) { model(id: $id) { slug } }", {"id": "mistral-small-2402\x00"}),
         GQL_ERROR, {"NOT_FOUND", "BAD_USER_INPUT"}, data_allowed=True),
    Case("null-byte-only", gql("query($t: String!) { search(text: $t) { slug } }", {"t": "\x00"}), {200, 400},
         {"BAD_USER_INPUT"}, data_allowed=True, success_ok=True),
    Case("null-byte-in-query-text", gql('{ model(id: "a\x00b") { slug } }'), GQL_ERROR,
         {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "NOT_FOUND"}, data_allowed=True),
    Case("null-byte-in-operation-name", gql("query A { dataVersion }", operationName="A\x00"), {200, 400},
         {"BAD_REQUEST", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}),
    Case("invalid-utf8-bytes", raw(b'{"query": "{ model(id: \\"\xff\xfe\xc0\xaf\\") { slug } }"}'), {400},
         {"BAD_REQUEST"}),
    Case("lone-surrogate-in-variable", raw('{"query": "query($id: ID!) { model(id: $id) { slug } }", '
                                           '"variables": {"id": "abc\\ud800def"}}'), GQL_ERROR,
         {"BAD_REQUEST", "NOT_FOUND", "BAD_USER_INPUT"}, data_allowed=True),
    Case("lone-surrogate-in-query-text", raw('{"query": "{ model(id: \\"\\udfff\\") { slug } }"}'), GQL_ERROR,
         {"BAD_REQUEST", "NOT_FOUND", "BAD_USER_INPUT", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"},
         data_allowed=True),
    Case("lone-surrogate-in-search", raw('{"query": "query($t: String!) { search(text: $t) { slug } }", '
                                         '"variables": {"t": "\\ud83d mistral"}}'), {200, 400},
         {"BAD_REQUEST", "BAD_USER_INPUT"}, data_allowed=True, success_ok=True),
    Case("lone-surrogate-in-date", raw('{"query": "query($d: Date) { resolveAlias(name: \\"mistral-small-latest\\", '
                                       'at: $d) { slug } }", "variables": {"d": "2025-0\\ud8001-01"}}'), GQL_ERROR,
         {"BAD_REQUEST", "BAD_USER_INPUT"}),
    # ---- cursors
    Case("cursor-from-another-list", with_cursor("models", lambda http: cursor_of(http, "providers")), GQL_ERROR,
         {"BAD_USER_INPUT"}, ("cursor", "after")),
    Case("cursor-models-into-routers", with_cursor("routers", lambda http: cursor_of(http, "models")), GQL_ERROR,
         {"BAD_USER_INPUT"}, ("cursor", "after")),
    Case("cursor-garbage", with_cursor("models", "garbage"), GQL_ERROR, {"BAD_USER_INPUT"}, ("cursor", "after")),
    Case("cursor-negative-offset", with_cursor("models", b64("arrayconnection:-5")), GQL_ERROR, {"BAD_USER_INPUT"},
         ("cursor", "after")),
    Case("cursor-not-utf8", with_cursor("models", base64.b64encode(b"\xff\xfe\x00").decode()), GQL_ERROR,
         {"BAD_USER_INPUT"}, ("cursor", "after")),
    Case("cursor-global-id", with_cursor("models", b64("Model:mistral-small-2402")), GQL_ERROR, {"BAD_USER_INPUT"},
         ("cursor", "after")),
    Case("cursor-20KB", with_cursor("models", "QQ" * 10_000), GQL_ERROR, {"BAD_USER_INPUT"}, ("cursor", "after")),
    # ---- dates
    *[Case(f"date-{d or 'empty'}", gql('query($d: Date) { resolveAlias(name: "mistral-small-latest", at: $d) { slug } }',
                                       {"d": d}), GQL_ERROR, {"BAD_USER_INPUT"}, ("date", d or "Date"))
      for d in BAD_DATES],
    Case("date-inline-2025-02-30", gql('{ resolveAlias(name: "mistral-small-latest", at: "2025-02-30") { slug } }'),
         GQL_ERROR, {"BAD_USER_INPUT"}, ("2025-02-30",)),
    Case("date-in-filter-2025-02-30", gql('{ models(filter: {releasedBefore: "2025-02-30"}) { totalCount } }'),
         GQL_ERROR, {"BAD_USER_INPUT"}, ("2025-02-30",)),
    # ---- GET and other methods
    Case("get-extensions-not-json", lambda http: http.get("/graphql", params={"extensions": "{not json"},
                                                          headers={"apollo-require-preflight": "true"}),
         {400}, {"BAD_REQUEST"}),
    Case("get-variables-not-json", lambda http: http.get(
        "/graphql", params={"variables": "{oops", "extensions": json.dumps(
            {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}})}, headers={"apollo-require-preflight": "true"}),
         {400}, {"BAD_REQUEST", "PERSISTED_QUERY_NOT_FOUND"}),
    Case("get-hash-unknown", lambda http: http.get(
        "/graphql", params={"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": "f" * 64}})},
        headers={"apollo-require-preflight": "true"}), {200, 400, 404}, {"PERSISTED_QUERY_NOT_FOUND"}),
]

METHOD_CASES = [("PUT", 405), ("DELETE", 405), ("PATCH", 405)]


@pytest.fixture(scope="module")
def http(live_prod):
    with httpx.Client(base_url=live_prod.base_url, timeout=20) as client:
        yield client


@pytest.fixture(autouse=True)
def keeps_serving(live_prod, http):
    """After each case the service still answers /healthz and a real query."""
    yield
    assert live_prod.healthy(), "the server stopped serving"
    after = http.post("/graphql", json={"query": "{ dataVersion }"})
    assert after.status_code == 200 and after.json()["data"]["dataVersion"], after.text[:300]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(http, case: Case):
    response = case.send(http)
    body = body_of(response)
    codes = error_codes(body)
    msgs = [e.get("message", "") for e in (body or {}).get("errors", [])] if isinstance(body, dict) else []
    print(f"\n{case.id}: HTTP {response.status_code} {codes} {[m[:120] for m in msgs]}")
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if case.success_ok and response.status_code == 200 and isinstance(body, dict) and body.get("data") and not codes:
        return
    assert response.status_code in case.statuses, (response.status_code, response.text[:500])
    assert isinstance(body, dict) and body.get("errors"), f"no GraphQL errors in: {response.text[:300]!r}"
    assert None not in codes and set(codes) <= KNOWN_CODES, body
    assert "INTERNAL_SERVER_ERROR" not in codes, body
    assert set(codes) & case.codes, (case.codes, body)
    assert all(m.strip() for m in msgs), body
    if case.mentions:
        assert any(word.lower() in m.lower() for m in msgs for word in case.mentions), (case.mentions, msgs)
    if not case.data_allowed:
        assert not body.get("data"), body


@pytest.mark.parametrize("method,status", METHOD_CASES)
def test_other_methods(http, method, status):
    response = http.request(method, "/graphql", json={"query": "{ dataVersion }"})
    print(f"\n{method} /graphql: HTTP {response.status_code} {response.text[:120]}")
    assert response.status_code == status, (response.status_code, response.text[:300])


def test_unknown_path(http):
    response = http.get("/graphql/../../etc/passwd")
    assert response.status_code == 404 or response.status_code < 500 and "root:" not in response.text
    assert http.get("/no-such-path").status_code == 404
