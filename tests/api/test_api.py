"""The GraphQL API through HTTP: root fields, pagination, errors, limits, health and metrics."""

from __future__ import annotations

import json
from pathlib import Path

from modelatlas.schema import schema
from modelatlas.schema.ids import to_global_id
from tests.conftest import gql

ROOT = Path(__file__).resolve().parents[2]

MODEL_PAGE = """{ model(id: "mistral-small-2402") { name contextWindow offerings { provider { name } inputPrice outputPrice }
  routers { router { name } via { slug } } successors { model { id slug } kind validFrom validTo source { slug } }
  replacement { slug } license { spdxId slug } capabilities { slug } suitedFor { slug } notSuitedFor { slug } status } }"""


def test_model_page(client):
    data = gql(client, MODEL_PAGE)["data"]["model"]
    assert data["name"].startswith("Mistral Small")
    assert data["contextWindow"] == 32000
    assert any(o["provider"]["name"] == "Amazon Bedrock" and o["inputPrice"] == 1.0 for o in data["offerings"])
    assert data["routers"], "routers reaching 2402"
    assert {s["model"]["slug"] for s in data["successors"]} >= {"mistral-small-2409", "mistral-small-2603"}
    assert data["replacement"]["slug"] == "mistral-small-2603"
    assert {u["slug"] for u in data["suitedFor"]} == {"classification", "json-tool-use"}
    assert data["status"] == "RETIRED"


def test_model_by_bedrock_id_global_id_and_alias(client):
    for ident in ("mistral.mistral-small-2402-v1:0", to_global_id("Model", "mistral-small-2402"), "MISTRAL-SMALL-2402"):
        assert gql(client, '{ model(id: "%s") { slug } }' % ident)["data"]["model"]["slug"] == "mistral-small-2402"
    assert gql(client, '{ model(id: "mistral-small-latest") { slug } }')["data"]["model"]["slug"] == "mistral-small-2603"


def test_node_round_trip(client):
    gid = gql(client, '{ provider(id: "aws-bedrock") { id } }')["data"]["provider"]["id"]
    node = gql(client, '{ node(id: "%s") { id ... on Provider { slug name } } }' % gid)["data"]["node"]
    assert node["slug"] == "aws-bedrock"


def test_not_found(client):
    body = gql(client, '{ model(id: "no-such-model") { slug } }')
    assert body["data"]["model"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "no-such-model" in body["errors"][0]["message"]
    for field in ("family", "organization", "provider", "router", "license"):
        body = gql(client, '{ %s(id: "nope") { slug } }' % field)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", field


def test_bad_user_input(client):
    for query in ('{ models(first: -1) { totalCount } }', '{ models(first: 101) { totalCount } }',
                  '{ models(after: "garbage") { totalCount } }', '{ resolveAlias(name: "mistral-small-latest", at: "2025-02-30") { slug } }',
                  '{ models(filter: {status: SLEEPING}) { totalCount } }'):
        body = gql(client, query)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (query, body)


def test_cursor_from_another_list_is_refused(client):
    cursor = gql(client, "{ providers(first: 1) { pageInfo { endCursor } } }")["data"]["providers"]["pageInfo"]["endCursor"]
    body = gql(client, '{ models(after: "%s") { totalCount } }' % cursor)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_pagination_walks_every_model_once(client, kg):
    seen, after = [], None
    while True:
        arg = f', after: "{after}"' if after else ""
        page = gql(client, "{ models(first: 7%s) { totalCount edges { cursor node { slug } } pageInfo { hasNextPage endCursor } } }" % arg)
        conn = page["data"]["models"]
        seen += [e["node"]["slug"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == sorted(kg.models) and conn["totalCount"] == len(kg.models)


def test_model_filter(client, kg):
    q = '{ models(filter: {family: "mistral-small", openWeights: true, minContext: 128000}, orderBy: {field: RELEASE_DATE}) { edges { node { slug } } } }'
    slugs = [e["node"]["slug"] for e in gql(client, q)["data"]["models"]["edges"]]
    assert slugs == ["mistral-small-2503", "mistral-small-2506", "mistral-small-2603"]
    q = '{ models(filter: {capabilities: ["function-calling"], osiApproved: true, provider: "openrouter"}) { edges { node { slug license { osiApproved } } } } }'
    for e in gql(client, q)["data"]["models"]["edges"]:
        assert e["node"]["license"]["osiApproved"]


def test_other_root_fields(client):
    q = """{ search(text: "mistral small") { kind slug }
      family(id: "mistral-small") { timeline { model { slug } status } }
      organization(id: "mistral") { name }
      providers(first: 100) { totalCount }
      router(id: "openrouter") { kind providers { slug } }
      routers(filter: {kind: GATEWAY}) { edges { node { kind } } }
      license(id: "APACHE-2.0") { spdxId osiApproved }
      licenses { slug }
      resolveAlias(name: "mistral-small-latest", at: "2024-10-01") { slug }
      compare(modelIds: ["mistral-small-2402", "mistral-small-2603"]) { slug contextWindow }
      dataVersion }"""
    data = gql(client, q)["data"]
    assert data["search"] and data["search"][0]["kind"] in ("Family", "Model")
    assert data["family"]["timeline"][0]["model"]["slug"] == "mistral-small-2402"
    assert data["router"]["kind"] == "ROUTER"
    assert all(e["node"]["kind"] == "GATEWAY" for e in data["routers"]["edges"])
    assert data["license"]["spdxId"] == "Apache-2.0" and data["license"]["osiApproved"] is True
    assert data["resolveAlias"]["slug"] == "mistral-small-2409"
    assert [m["slug"] for m in data["compare"]] == ["mistral-small-2402", "mistral-small-2603"]


def test_lineage_migration_alternatives_fields(client):
    q = """{ lineage(modelId: "mistral-small-2402") { chain { slug } edges { from { slug } to { slug } kind } }
      migrationPaths(fromModelId: "mistral-small-2402", first: 3) { score target { slug }
        steps { from { slug } to { slug } kind checks { contextBefore contextAfter priceRatio warnings capabilitiesLost { slug } } } }
      bedrock: migrationPaths(fromModelId: "mistral-small-2402", constraints: {provider: "aws-bedrock"}) { target { slug } steps { kind } }
      none: migrationPaths(fromModelId: "mistral-small-2402", constraints: {minContext: 100000000}) { score }
      alternatives(modelId: "mistral-small-2402", criteria: {mustHave: ["function-calling"], osiApproved: true}) {
        model { slug license { osiApproved } } score shared { slug } missing { slug } priceRatio } }"""
    data = gql(client, q)["data"]
    assert [m["slug"] for m in data["lineage"]["chain"]][-1] == "mistral-small-2603"
    assert data["migrationPaths"][0]["target"]["slug"] == "mistral-small-2603"
    assert data["none"] == []
    assert all(a["model"]["license"]["osiApproved"] for a in data["alternatives"])


def test_claims_show_conflicts(client):
    q = '{ model(id: "mistral-small-2402") { retirementDate claims(field: "retirementDate") { value current conflict source { slug } } } }'
    data = gql(client, q)["data"]["model"]
    assert data["retirementDate"] == "2025-06-16"
    values = {c["value"]: c["current"] for c in data["claims"]}
    assert values.get("2025-06-16") is True and values.get("2025-03-30") is False


def test_get_query_allowed_get_mutation_refused(client):
    preflight = {"apollo-require-preflight": "true"}
    response = client.get("/graphql", params={"query": "{ dataVersion }"}, headers=preflight)
    assert response.status_code == 200 and response.json()["data"]["dataVersion"]
    response = client.get("/graphql", params={"query": "{ dataVersion }"})
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "CSRF_BLOCKED"
    response = client.get("/graphql", params={"query": "mutation { x }"}, headers=preflight)  # no mutations at all:
    assert response.status_code == 200 and "data" not in response.json()  # a validation error, 200 under the legacy type
    response = client.get("/graphql", params={"query": "mutation { x }"},
                          headers={**preflight, "accept": "application/graphql-response+json"})
    assert response.status_code in (400, 405) and response.headers["content-type"].startswith(
        "application/graphql-response+json")


def test_limits(prod_client):
    deep = "{ model(id: \"mistral-small-2402\") { family { models { family { models { family { models { family { models { slug } } } } } } } } } }"
    body = gql(prod_client, deep)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: dataVersion" for i in range(16)) + " }"
    assert "aliases" in gql(prod_client, aliases)["errors"][0]["message"]
    tokens = "{ " + " ".join("dataVersion" for _ in range(1001)) + " }"
    assert "token" in gql(prod_client, tokens)["errors"][0]["message"].lower()
    directives = "{ " + " ".join(f"d{i}: dataVersion @include(if: true)" for i in range(11)) + " }"
    assert "directives" in gql(prod_client, directives)["errors"][0]["message"]
    big = prod_client.post("/graphql", content=b'{"query": "' + b" " * 70000 + b'{ dataVersion }"}',
                           headers={"content-type": "application/json"})
    assert big.status_code == 413
    intro = gql(prod_client, "{ __schema { types { name } } }")
    assert intro["errors"]


def test_health_ready_metrics(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["dataVersion"]
    client.post("/graphql", json={"query": "query ModelPage { dataVersion }", "operationName": "ModelPage"})
    text = client.get("/metrics").text
    assert 'modelatlas_graphql_requests_total{operation="ModelPage"' in text
    assert "modelatlas_graphql_request_seconds_bucket" in text


def test_schema_file_matches_code():
    assert (ROOT / "schema.graphql").read_text() == schema.as_str() + "\n", "run: modelatlas export-schema -o schema.graphql"


def test_errors_do_not_echo_huge_input(client):
    body = gql(client, '{ model(id: "%s") { name } }' % ("x" * 5000))
    error = body["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert len(error["message"]) < 200 and "(5000 characters)" in error["message"]


def _apq(query: str) -> str:
    import hashlib
    import json

    return json.dumps({"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}})


def test_apq_keeps_only_queries_that_validate(prod_client):
    bad = "{ noSuchField }"
    response = prod_client.post("/graphql", json={"query": bad, "extensions": json.loads(_apq(bad))})
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    response = prod_client.post("/graphql", json={"extensions": json.loads(_apq(bad))})
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_production_get_never_takes_a_query_text(prod_client):
    query = "{ dataVersion }"
    response = prod_client.get("/graphql", params={"query": query, "extensions": _apq(query)},
                               headers={"apollo-require-preflight": "1"})
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"


def test_failures_get_no_validators_and_no_304(prod_client):
    page = "models(first: 100) { edges { node { slug name releaseDate status contextWindow openWeights } } }"
    query = "{ " + " ".join(f"m{i}: {page}" for i in range(15)) + " }"  # 15 x 702 estimated nodes
    refused = prod_client.post("/graphql", json={"query": query, "extensions": json.loads(_apq(query))})
    assert refused.json()["errors"][0]["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    params = {"extensions": _apq(query)}
    headers = {"apollo-require-preflight": "1"}
    first = prod_client.get("/graphql", params=params, headers=headers)  # registered: it validates
    assert first.status_code == 400 and "etag" not in first.headers and "cache-control" not in first.headers
    etag = prod_client.post("/graphql", json={"query": "{ dataVersion }"}).headers["etag"]  # the snapshot's validator
    again = prod_client.get("/graphql", params=params, headers={**headers, "if-none-match": etag})
    assert again.status_code == 400  # never a 304 for an answer that is an error


def test_deep_get_variables_are_a_400_not_a_500(client):
    response = client.get("/graphql", params={"query": "{ dataVersion }", "variables": "[" * 3000 + "]" * 3000},
                          headers={"apollo-require-preflight": "1"})
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_claims_of_an_unknown_field_are_an_error_not_an_empty_list(client):
    body = gql(client, '{ model(id: "mistral-small-2503") { claims(field: "contextWindw") { value } } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "contextWindow" in body["errors"][0]["message"]
    body = gql(client, '{ model(id: "mistral-small-2503") { claims(field: "contextWindow") { value } } }')
    assert "errors" not in body
