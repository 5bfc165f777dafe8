"""``/sparql``: the SPARQL 1.1 Protocol through HTTP, in process and against a real ``modelatlas serve``.

Result documents are read back by rdflib (and the SPARQL client SPARQLWrapper on the live server), never by the
code that wrote them; answers are checked against GraphQL's on the same snapshot.
"""

from __future__ import annotations

import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib import Graph, URIRef
from rdflib.query import Result

from modelatlas.api.http import Settings, create_app
from tests.conftest import TODAY, gql
from tests.live_server import PROBE_MODEL_TTL, start_server

LINEAGE = """SELECT ?newer WHERE { ?newer schema:successorOf+ model:mistral-small-2402 } ORDER BY ?newer"""
MODELS = "SELECT ?m ?name WHERE { ?m a ma:Model ; schema:name ?name } ORDER BY ?m"
RESULT_FORMATS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                  "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPH_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                 "application/rdf+xml": "xml"}
TOKEN = "test-admin-token-of-32-characters"


@pytest.fixture(scope="module")
def sparql_client(kg):
    app = create_app(Settings(today=TODAY.isoformat(), rate_limit="", sparql_max_results=100000), kg=kg)
    with TestClient(app) as c:
        yield c


def select(client: TestClient, query: str, accept: str = "application/sparql-results+json") -> Result:
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    return Result.parse(io.BytesIO(response.content), format=RESULT_FORMATS[accept])


def rows(result: Result) -> list[tuple[str, ...]]:
    return [tuple(str(v) for v in row) for row in result]  # type: ignore[union-attr]


def code_of(response: httpx.Response) -> str:
    return response.text.split(":", 1)[0]


# ---------------------------------------------------------------------------------------------- protocol
def test_select_in_every_result_format_reads_the_same(sparql_client):
    expected = rows(select(sparql_client, MODELS))
    assert len(expected) > 10 and ("https://modelatlas.dev/id/model/mistral-small-2402",
                                   "Mistral Small 1.0 (v24.02)") in expected
    for accept in RESULT_FORMATS:
        assert rows(select(sparql_client, MODELS, accept)) == expected, accept


def test_get_form_post_and_query_body_are_one_protocol(sparql_client):
    by_get = sparql_client.get("/sparql", params={"query": MODELS}).content
    by_form = sparql_client.post("/sparql", data={"query": MODELS}).content
    by_body = sparql_client.post("/sparql", content=MODELS, headers={"content-type": "application/sparql-query"}).content
    assert by_get == by_form == by_body


def test_ask(sparql_client):
    for accept, fmt in (("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml")):
        for query, answer in (("ASK { model:mistral-small-2402 a ma:Model }", True), ("ASK { model:nope ?p ?o }", False)):
            response = sparql_client.get("/sparql", params={"query": query}, headers={"accept": accept})
            assert response.status_code == 200
            assert Result.parse(io.BytesIO(response.content), format=fmt).askAnswer is answer


def test_construct_and_describe_in_every_graph_format(sparql_client):
    query = "CONSTRUCT { model:mistral-small-2402 ?p ?o } WHERE { GRAPH ?g { model:mistral-small-2402 ?p ?o } }"
    graphs = {}
    for accept, fmt in GRAPH_FORMATS.items():
        response = sparql_client.post("/sparql", data={"query": query}, headers={"accept": accept})
        assert response.status_code == 200, response.text
        graphs[accept] = Graph().parse(data=response.content, format=fmt)
    sizes = {accept: len(g) for accept, g in graphs.items()}
    assert len(set(sizes.values())) == 1 and sizes["text/turtle"] > 20, sizes
    assert set(graphs["text/turtle"]) == set(graphs["application/n-triples"])
    described = sparql_client.get("/sparql", params={"query": "DESCRIBE model:mistral-small-2402"})
    assert described.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=described.content, format="turtle")) > 20


def test_named_graphs_per_source(sparql_client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { model:mistral-small-2402 a ma:Model } }"
    graphs = {row[0] for row in rows(select(sparql_client, query))}
    assert graphs == {"https://modelatlas.dev/graph/curated/models/mistral/mistral-small"}
    only = "https://modelatlas.dev/graph/curated/organizations"
    response = sparql_client.get("/sparql", params={"query": "ASK { model:mistral-small-2402 ?p ?o }",
                                                    "default-graph-uri": only})
    assert response.json()["boolean"] is False  # the default graph narrowed to one file, as the protocol says


def test_update_is_refused(sparql_client):
    update = "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"
    for response in (sparql_client.post("/sparql", data={"update": update}),
                     sparql_client.post("/sparql", content=update, headers={"content-type": "application/sparql-update"}),
                     sparql_client.get("/sparql", params={"query": update}),
                     sparql_client.get("/sparql", params={"query": "# c\nDELETE WHERE { ?s ?p ?o }"}),
                     sparql_client.post("/sparql", content="DROP ALL", headers={"content-type": "application/sparql-query"})):
        assert response.status_code == 403, response.text
        assert code_of(response) == "UPDATE_NOT_ALLOWED"
    assert len(rows(select(sparql_client, MODELS))) > 10


def test_federated_queries_are_refused(sparql_client):
    """SERVICE would make the server send requests of its own (Oxigraph would POST to any URL): refused."""
    for query in ("SELECT * WHERE { SERVICE <http://127.0.0.1:6379/> { ?s ?p ?o } }",
                  "PREFIX e: <http://e/>\nSELECT * { ?s ?p ?o . service silent <http://x/> { ?s ?p ?o } }"):
        response = sparql_client.get("/sparql", params={"query": query})
        assert response.status_code == 403 and code_of(response) == "SERVICE_NOT_ALLOWED", response.text
    harmless = 'SELECT ?service WHERE { ?service schema:name "SERVICE" } LIMIT 1  # SERVICE'
    assert sparql_client.get("/sparql", params={"query": harmless}).status_code == 200


@pytest.mark.parametrize(("request_kwargs", "status", "code"), [
    ({"method": "GET", "params": {"query": "SELEC ?x {}"}}, 400, "MALFORMED_QUERY"),
    ({"method": "GET", "params": {"query": "   "}}, 400, "MALFORMED_QUERY"),
    ({"method": "GET", "params": {"query": MODELS}, "headers": {"accept": "image/png"}}, 406, "NOT_ACCEPTABLE"),
    ({"method": "GET", "params": {"query": "ASK {}"}, "headers": {"accept": "text/csv"}}, 406, "NOT_ACCEPTABLE"),
    ({"method": "POST", "content": MODELS, "headers": {"content-type": "text/plain"}}, 415, "UNSUPPORTED_MEDIA_TYPE"),
    ({"method": "PUT", "content": MODELS}, 405, "METHOD_NOT_ALLOWED"),
    ({"method": "GET", "params": [("query", MODELS), ("query", MODELS)]}, 400, "BAD_REQUEST"),
    ({"method": "POST", "content": "ASK {" + " " * 70000 + "}", "headers": {"content-type": "application/sparql-query"}},
     413, "PAYLOAD_TOO_LARGE"),
])
def test_bad_requests_get_coded_errors(sparql_client, request_kwargs, status, code):
    response = sparql_client.request(url="/sparql", **request_kwargs)
    assert response.status_code == status, response.text
    assert code_of(response) == code and response.headers["content-type"].startswith("text/plain")


def test_service_description_without_a_query(sparql_client):
    response = sparql_client.get("/sparql", headers={"accept": "text/turtle"})
    graph = Graph().parse(data=response.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef("http://testserver/sparql")) in graph
    assert "<form" in sparql_client.get("/sparql", headers={"accept": "text/html"}).text


def test_etag_and_data_version(sparql_client, kg):
    first = sparql_client.get("/sparql", params={"query": MODELS})
    assert first.headers["x-data-version"] == kg.version
    again = sparql_client.get("/sparql", params={"query": MODELS}, headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304


# ---------------------------------------------------------------------------------------------- limits
def test_result_cap_is_a_coded_error(kg):
    app = create_app(Settings(rate_limit="", sparql_max_results=5), kg=kg)
    with TestClient(app) as client:
        over = client.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a ma:Model }"})
        assert over.status_code == 500 and code_of(over) == "RESULT_LIMIT_EXCEEDED"
        graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?m a ma:Model }"})
        assert graph.status_code == 500 and code_of(graph) == "RESULT_LIMIT_EXCEEDED"
        within = client.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a ma:Model } LIMIT 5"})
        assert within.status_code == 200 and len(within.json()["results"]["bindings"]) == 5


def test_timeout_is_a_coded_error_and_the_service_goes_on(kg):
    app = create_app(Settings(rate_limit="", sparql_timeout_seconds=0.3, sparql_max_results=10**9), kg=kg)
    with TestClient(app) as client:
        client.get("/sparql", params={"query": "ASK {}"})  # the store is built outside the time budget
        endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 6,000^3 rows, streamed
        for accept in ("application/sparql-results+json", "text/csv"):
            response = client.get("/sparql", params={"query": endless}, headers={"accept": accept})
            assert response.status_code == 500 and code_of(response) == "QUERY_TIMEOUT", response.text[:200]
        assert client.get("/sparql", params={"query": "ASK { ?s a ma:Model }"}).json()["boolean"] is True
        assert gql(client, "{ model(id: \"mistral-small-2402\") { slug } }")["data"]["model"]["slug"]


def test_a_blocking_aggregate_is_answered_on_time(kg):
    """An aggregate gives its first result only once it has read everything, and Oxigraph cannot be interrupted
    inside that step: the client still gets QUERY_TIMEOUT at the deadline, and the other worker keeps answering
    while the first one finishes (35M joins: seconds of work here)."""
    app = create_app(Settings(rate_limit="", sparql_timeout_seconds=0.25, sparql_workers=2), kg=kg)
    with TestClient(app) as client:
        client.get("/sparql", params={"query": "ASK {}"})
        blocking = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"})
        assert blocking.status_code == 500 and code_of(blocking) == "QUERY_TIMEOUT"
        assert client.get("/sparql", params={"query": "ASK { ?s a ma:Model }"}).json()["boolean"] is True


def test_rate_limit_is_shared_with_graphql(kg):
    app = create_app(Settings(rate_limit="3/minute"), kg=kg)
    with TestClient(app) as client:
        assert client.post("/graphql", json={"query": "{ dataVersion }"}).status_code == 200
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert client.get("/id/model/mistral-small-2402").status_code == 200
        limited = client.get("/sparql", params={"query": "ASK {}"})
        assert limited.status_code == 429 and code_of(limited) == "RATE_LIMITED"
        assert limited.headers["retry-after"]


def test_cors_as_for_graphql(kg):
    app = create_app(Settings(rate_limit="", cors_origins="https://app.example.org"), kg=kg)
    with TestClient(app) as client:
        allowed = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://app.example.org"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.example.org"
        other = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# ---------------------------------------------------------------------------------------------- same answers
LINEAGE_GQL = """query($id: ID!, $direction: LineageDirection!) { lineage(modelId: $id, direction: $direction,
  kinds: [NEXT_VERSION, RECOMMENDED_REPLACEMENT, DERIVED_FROM]) { nodes { slug } } }"""
#: lineage as property paths over the predicates data/mappings.ttl restates the links in
PATHS = {"DESCENDANTS": "(^schema:successorOf|dcterms:isReplacedBy|^prov:wasDerivedFrom)+",
         "ANCESTORS": "(schema:successorOf|^dcterms:isReplacedBy|prov:wasDerivedFrom)+"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_lineage_through_sparql_is_graphql_lineage(sparql_client, kg, data):
    """Differential: a model's descendants or ancestors by a SPARQL property path are GraphQL's lineage nodes."""
    linked = sorted({link.source for link in kg.links} | {link.target for link in kg.links})
    slug = data.draw(st.sampled_from(linked) | st.sampled_from(sorted(kg.models)))
    direction = data.draw(st.sampled_from(sorted(PATHS)))
    nodes = gql(sparql_client, LINEAGE_GQL, {"id": slug, "direction": direction})["data"]["lineage"]["nodes"]
    expected = {n["slug"] for n in nodes} - {slug}
    query = f"SELECT DISTINCT ?m WHERE {{ <https://modelatlas.dev/id/model/{slug}> {PATHS[direction]} ?m }}"
    got = {row[0].rsplit("/", 1)[-1] for row in rows(select(sparql_client, query))} - {slug}
    assert got == expected


# ---------------------------------------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("live-sparql"), admin_token=TOKEN) as server:
        yield server


@pytest.mark.slow
def test_sparqlwrapper_select_ask_construct(live):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(live.url("/sparql"))
    client.setQuery("PREFIX schema: <https://schema.org/>\nPREFIX model: <https://modelatlas.dev/id/model/>\n"
                    + LINEAGE)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert [b["newer"]["value"].rsplit("/", 1)[-1] for b in bindings] == [
        "mistral-small-2409", "mistral-small-2501", "mistral-small-2503", "mistral-small-2506", "mistral-small-2603"]
    client.setQuery("ASK { <https://modelatlas.dev/id/model/mistral-small-2402> a <https://modelatlas.dev/ns#Model> }")
    assert client.query().convert()["boolean"] is True  # type: ignore[index, call-overload]
    client.setMethod("POST")
    client.setQuery("CONSTRUCT WHERE { <https://modelatlas.dev/id/model/mistral-small-2402> ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert (URIRef("https://modelatlas.dev/id/model/mistral-small-2402"), URIRef("https://schema.org/name"),
            None) in graph
    from SPARQLWrapper.SPARQLExceptions import EndPointInternalError

    client.setQuery("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    client.setReturnFormat(JSON)
    with pytest.raises(EndPointInternalError, match="RESULT_LIMIT_EXCEEDED"):
        client.query()


@pytest.mark.slow
def test_jsonld_with_the_published_context_over_the_network(live):
    """rdflib fetches the context the document names (this server's /ns/context.jsonld) and reads the same triples
    as the Turtle of the same IRI."""
    url = live.url("/id/model/mistral-small-2402")
    jsonld = httpx.get(url, headers={"accept": "application/ld+json"}, timeout=30)
    assert json.loads(jsonld.content)["@context"] == live.url("/ns/context.jsonld")
    turtle = httpx.get(url, headers={"accept": "text/turtle"}, timeout=30)
    from_jsonld = Graph().parse(data=jsonld.content, format="json-ld")
    assert set(from_jsonld) == set(Graph().parse(data=turtle.content, format="turtle"))


@pytest.mark.slow
def test_a_query_during_a_reload_sees_one_data_version(live):
    """Queries run while the data changes and reloads: each answer's model count is that of its x-data-version."""
    count = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ma:Model }"

    def ask() -> tuple[str, int]:
        response = httpx.get(live.url("/sparql"), params={"query": count}, timeout=60)
        assert response.status_code == 200, response.text
        return response.headers["x-data-version"], int(response.json()["results"]["bindings"][0]["n"]["value"])

    version_a, models_a = ask()
    probe = live.data_dir / "models" / "probe" / "probe.ttl"
    probe.parent.mkdir(exist_ok=True)
    probe.write_text(PROBE_MODEL_TTL, encoding="utf-8")
    stop = threading.Event()
    answers: list[tuple[str, int]] = []

    def hammer() -> None:
        while not stop.is_set():
            answers.append(ask())

    with ThreadPoolExecutor(4) as pool:
        workers = [pool.submit(hammer) for _ in range(4)]
        reload = httpx.post(live.url("/admin/reload"), headers={"authorization": f"Bearer {TOKEN}"}, timeout=120)
        assert reload.status_code == 200 and reload.json()["status"] == "swapped", reload.text
        version_b, models_b = ask()
        stop.set()
        for worker in workers:
            worker.result()
    assert models_b == models_a + 1 and version_b != version_a
    expected = {version_a: models_a, version_b: models_b}
    assert answers and all(expected.get(version) == n for version, n in answers), set(answers)
