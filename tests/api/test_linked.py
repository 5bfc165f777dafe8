"""Dereferenceable IRIs, the JSON-LD context, VoID, dumps and the standard-vocabulary mappings, through HTTP.

Every negotiated document is parsed by rdflib; the mappings are checked against the records they restate.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from modelatlas.api.http import Settings, create_app
from modelatlas.graph.errors import DataError
from modelatlas.graph.kinds import LinkKind
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import data_files
from modelatlas.graph.rdfstore import StaleData, build_store
from modelatlas.graph.vocab import MA
from tests.conftest import TODAY

VOID = Namespace("http://rdfs.org/ns/void#")
SDO = Namespace("https://schema.org/")
FAIR4ML = Namespace("https://w3id.org/fair4ml#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ID = "https://modelatlas.dev/id/"
FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}


@pytest.fixture(scope="module")
def linked(kg):
    app = create_app(Settings(today=TODAY.isoformat(), rate_limit=""), kg=kg)
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def standard(linked) -> Graph:
    response = linked.get("/dumps/standard.nt")
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="nt")


def jsonld_graph(client: TestClient, body: bytes) -> Graph:
    """A JSON-LD document of this service, its context URL replaced by the published context's content."""
    document = json.loads(body)
    assert document["@context"] == "http://testserver/ns/context.jsonld"
    document["@context"] = client.get("/ns/context.jsonld").json()["@context"]
    return Graph().parse(data=json.dumps(document), format="json-ld")


# ---------------------------------------------------------------------------------------------- IRIs
@pytest.mark.parametrize("path", ["/id/model/mistral-small-2402", "/id/offering/mistral--mistral-small-2409",
                                  "/id/org/mistral", "/id/family/mistral-small"])
def test_every_format_of_an_iri_holds_the_same_triples(linked, path):
    graphs = {}
    for accept, fmt in FORMATS.items():
        response = linked.get(path, headers={"accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        assert response.headers["vary"] == "Accept"
        graphs[accept] = set(Graph().parse(data=response.content, format=fmt))
    jsonld = linked.get(path, headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    graphs["application/ld+json"] = set(jsonld_graph(linked, jsonld.content))
    turtle = graphs["text/turtle"]
    assert all(g == turtle for g in graphs.values()), {k: len(v) for k, v in graphs.items()}
    subject = URIRef("https://modelatlas.dev" + path)
    assert (subject, RDF.type, None) in Graph().parse(data=linked.get(path).content, format="turtle")
    assert len(turtle) > 5


def test_an_iri_describes_its_subject_its_owned_nodes_and_what_points_at_it(linked):
    graph = Graph().parse(data=linked.get("/id/offering/mistral--mistral-small-2409").content, format="turtle")
    offering = URIRef(ID + "offering/mistral--mistral-small-2409")
    assert (offering, MA.inputPrice, Literal(0.1)) in graph or any(graph.triples((offering, MA.inputPrice, None)))
    specs = set(graph.objects(offering, SDO.priceSpecification))
    assert specs and all((spec, RDF.type, SDO.UnitPriceSpecification) in graph for spec in specs)
    model = Graph().parse(data=linked.get("/id/model/mistral-small-2402").content, format="turtle")
    newer = URIRef(ID + "model/mistral-small-2409")
    assert (newer, SDO.successorOf, URIRef(ID + "model/mistral-small-2402")) in model  # an inbound triple


def test_a_much_cited_iri_lists_the_first_inbound_triples_and_a_query_for_all(linked, monkeypatch):
    import modelatlas.api.http.linked as module

    source = URIRef(ID + "source/mistral-docs")
    see_also = URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    full = Graph().parse(data=linked.get("/id/source/mistral-docs").content, format="turtle")
    cited = {(s, p) for s, p, o in full if o == source}
    assert len(cited) > 5 and not list(full.objects(source, see_also))
    monkeypatch.setattr(module, "INBOUND_LIMIT", 5)
    capped = Graph().parse(data=linked.get("/id/source/mistral-docs").content, format="turtle")
    assert len([t for t in capped if t[2] == source]) == 5
    query = str(next(capped.objects(source, see_also)))
    assert query.startswith("http://testserver/sparql?query=")
    answer = linked.get(query.removeprefix("http://testserver")).json()["results"]["bindings"]
    assert {(URIRef(b["s"]["value"]), URIRef(b["p"]["value"])) for b in answer} == cited


def test_html_gets_the_explorer_or_a_page(linked, kg):
    for path, target in (("/id/model/mistral-small-2402", "/#/model/mistral-small-2402"),
                         ("/id/provider/aws-bedrock", "/#/provider/aws-bedrock"),
                         ("/id/family/mistral-small", "/#/family/mistral-small")):
        redirect = linked.get(path, headers={"accept": "text/html,*/*;q=0.8"}, follow_redirects=False)
        assert redirect.status_code == 303 and redirect.headers["location"] == target
        assert linked.get(target.split("#")[0]).headers["content-type"].startswith("text/html")  # the explorer
    page = linked.get("/id/org/mistral", headers={"accept": "text/html"})  # a kind the explorer has no page for
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/id/family/mistral-small"' in page.text
    app = create_app(Settings(rate_limit=""), kg=kg)
    app.state.explorer_paths = {}
    with TestClient(app) as client:
        plain = client.get("/id/model/mistral-small-2402", headers={"accept": "text/html"})
        assert plain.status_code == 200 and "Mistral Small 1.0 (v24.02)" in plain.text
        assert 'href="/id/model/mistral-small-2409"' in plain.text


@pytest.mark.parametrize(("path", "accept", "status", "code"), [
    ("/id/model/mistral-small-2402", "image/png", 406, "NOT_ACCEPTABLE"),
    ("/id/model/no-such-model", "text/turtle", 404, "NOT_FOUND"),
    ("/id/spaceship/x", "text/turtle", 404, "NOT_FOUND"),
    ("/dumps/no-such-graph.nt", "*/*", 404, "NOT_FOUND"),
    ("/dumps/standard.exe", "*/*", 404, "NOT_FOUND"),
    ("/dumps/all.nt", "*/*", 404, "NOT_FOUND"),
    ("/graph/no-such-graph", "*/*", 404, "NOT_FOUND"),
])
def test_unknown_and_unacceptable(linked, path, accept, status, code):
    response = linked.get(path, headers={"accept": accept})
    assert response.status_code == status and response.text.startswith(code + ":"), response.text


def test_format_parameter_overrides_accept(linked):
    response = linked.get("/id/model/mistral-small-2402", params={"format": "nt"}, headers={"accept": "text/html"})
    assert response.headers["content-type"].startswith("application/n-triples")


def test_context_has_a_term_per_vocabulary_property(linked):
    context = linked.get("/ns/context.jsonld").json()["@context"]
    vocab = Graph().parse(data=linked.get("/ns", headers={"accept": "text/turtle"}).content, format="turtle")
    properties = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
                  for p in vocab.subjects(RDF.type, kind) if str(p).startswith(str(MA))}
    assert len(properties) > 40
    for prop in properties:
        term = context[str(prop).removeprefix(str(MA))]
        assert term["@id"] == "ma:" + str(prop).removeprefix(str(MA))
        if (prop, RDF.type, OWL.ObjectProperty) in vocab:
            assert term["@type"] == "@id"
    assert (MA.Model, RDF.type, OWL.Class) in vocab


# ---------------------------------------------------------------------------------------------- VoID, dumps
def test_void_lists_every_named_graph_with_a_dump_of_its_size(linked):
    void = Graph().parse(data=linked.get("/void", headers={"accept": "text/turtle"}).content, format="turtle")
    dataset = URIRef("https://modelatlas.dev/void#modelatlas")
    assert (dataset, VOID.sparqlEndpoint, URIRef("http://testserver/sparql")) in void
    assert (dataset, VOID.uriSpace, Literal(ID)) in void
    subsets = set(void.objects(dataset, VOID.subset))
    names = {str(s).removeprefix("https://modelatlas.dev/graph/") for s in subsets}
    assert {"curated/models/mistral/mistral-small", "vocab", "mappings", "standard", "inferred"} <= names
    total = 0
    for subset in subsets:
        dump = str(next(void.objects(subset, VOID.dataDump))).removeprefix("http://testserver")
        size = int(next(void.objects(subset, VOID.triples)))
        response = linked.get(dump)
        assert response.status_code == 200, dump
        assert len(Graph().parse(data=response.content, format="nt")) == size, dump
        total += size
    assert int(next(void.objects(dataset, VOID.triples))) == total
    assert set(Graph().parse(data=linked.get("/.well-known/void").content, format="turtle")) == set(void)


def test_dump_of_everything_is_every_named_graph(linked):
    dataset = Dataset()
    dataset.parse(data=linked.get("/dumps/all.nq").content, format="nquads")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "https://modelatlas.dev/graph/curated/models/mistral/mistral-small" in graphs
    trig = Dataset()
    trig.parse(data=linked.get("/dumps/all.trig").content, format="trig")
    assert len(trig) == len(dataset)
    turtle = Graph().parse(data=linked.get("/dumps/curated/models/mistral/mistral-small.ttl").content, format="turtle")
    assert (URIRef(ID + "model/mistral-small-2402"), RDF.type, MA.Model) in turtle


def test_a_named_graph_iri_redirects_to_its_dump(linked):
    response = linked.get("/graph/curated/organizations", headers={"accept": "application/n-triples"},
                          follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/dumps/curated/organizations.nt"
    assert linked.get("/graph/standard", follow_redirects=False).headers["location"] == "/dumps/standard.ttl"


# ---------------------------------------------------------------------------------------------- mappings
def test_successor_of_restates_every_next_version_link(kg, standard):
    links = {(link.target, link.source) for link in kg.links if link.kind == LinkKind.NEXT_VERSION}
    assert links
    made = {(str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1]) for s, o in standard.subject_objects(SDO.successorOf)}
    assert made == links
    replaced = {(link.source, link.target) for link in kg.links if link.kind == LinkKind.RECOMMENDED_REPLACEMENT}
    made = {(str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1]) for s, o in standard.subject_objects(DCTERMS.isReplacedBy)}
    assert made == replaced and replaced


def test_fine_tuned_from_only_for_fine_tunes(kg, standard):
    derived = [link for link in kg.links if link.kind == LinkKind.DERIVED_FROM]
    tuned = {(link.source, link.target) for link in derived if link.derivation_kind == "finetune"}
    made = {(str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
            for s, o in standard.subject_objects(FAIR4ML.fineTunedFrom)}
    assert made == tuned and tuned
    assert len(set(standard.subject_objects(PROV.wasDerivedFrom))) == len({(x.source, x.target) for x in derived})


def test_same_as_only_where_the_data_names_one_repository(kg, standard):
    for model in kg.models.values():
        node = URIRef(ID + "model/" + model.slug)
        repos = {URIRef("https://huggingface.co/" + r) for r in model.hf_repos}
        assert set(standard.objects(node, SDO.sameAs)) == repos, model.slug
        assert set(standard.objects(node, OWL.sameAs)) == (repos if len(repos) == 1 else set()), model.slug
    assert any(len(m.hf_repos) == 1 for m in kg.models.values())
    assert any(len(m.hf_repos) > 1 for m in kg.models.values())


def test_every_price_is_a_unit_price_specification(kg, standard):
    checked = 0
    for offering in kg.offerings.values():
        node = URIRef(ID + "offering/" + offering.slug)
        prices = {str(spec).rsplit("#", 1)[-1]: standard.value(spec, SDO.price)
                  for spec in standard.objects(node, SDO.priceSpecification)}
        for field, name in (("input_price", "inputPrice"), ("output_price", "outputPrice")):
            value = getattr(offering, field)
            if value is None:
                assert name not in prices
            else:
                assert prices[name].toPython() == value, (offering.slug, name)
                checked += 1
    assert checked > 20
    spec = next(iter(standard.subjects(RDF.type, SDO.UnitPriceSpecification)))
    assert standard.value(spec, SDO.priceCurrency) == Literal("USD")
    quantity = standard.value(spec, SDO.referenceQuantity)
    assert standard.value(quantity, SDO.value).toPython() == 1000000


def test_mappings_file_is_not_instance_data():
    assert not any(path.name == "mappings.ttl" for path in data_files(None))


def test_a_store_is_never_built_from_files_a_snapshot_did_not_come_from(tmp_path):
    with pytest.raises(StaleData, match="changed since data version"):
        build_store(KnowledgeGraph.from_records(version="0000000000000000", models=[]))
    with pytest.raises(DataError):
        build_store(KnowledgeGraph.from_records(version="x", models=[]), [tmp_path / "missing"])
