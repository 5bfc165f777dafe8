"""The store beyond memory: a real ``oxigraph serve`` on 127.0.0.1, loaded by ``modelatlas store load`` with the
shipped data plus the imports; lineage, reach and alternatives pushed down as SPARQL must equal the in-memory
graph's answers (every curated model, a seeded sample of imported ones), and so must the GraphQL answers of a
service pointed at the store (``MODELATLAS_SPARQL_STORE``)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from modelatlas.api.cli import app as cli
from modelatlas.api.http import Settings, create_app
from modelatlas.graph import KnowledgeGraph, load_graph
from modelatlas.graph.algorithms.filters import Constraints
from modelatlas.graph.algorithms.lineage import ALL_KINDS
from modelatlas.graph.store.backend import InMemory, SparqlStore
from modelatlas.graph.store.client import SparqlClient, StoreError
from modelatlas.graph.store.server import OxigraphServer

pytestmark = pytest.mark.slow  # a server, a load of ~360k quads and a few thousand SPARQL queries: ~1 minute

TODAY = date(2026, 11, 25)
IMPORTED_SAMPLE = 150


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load_graph()  # what the service serves by default: curated data plus the imports


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, kg: KnowledgeGraph) -> Iterator[OxigraphServer]:
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "store") as running:
        done = CliRunner().invoke(cli, ["store", "load", "--endpoint", running.url])
        assert done.exit_code == 0, done.output
        assert f"the store holds data version {kg.version}" in done.output
        yield running


@pytest.fixture(scope="module")
def backends(kg: KnowledgeGraph, server: OxigraphServer) -> tuple[InMemory, SparqlStore]:
    return InMemory(kg), SparqlStore(kg, SparqlClient(server.url))


def _models(kg: KnowledgeGraph) -> list[str]:
    curated = [s for s, m in kg.models.items() if m.resolution is None]
    imported = sorted(set(kg.models) - set(curated))
    return curated + random.Random(15).sample(imported, min(IMPORTED_SAMPLE, len(imported)))


def test_lineage_reach_alternatives_equal_memory(kg: KnowledgeGraph, backends: tuple[InMemory, SparqlStore]) -> None:
    memory, store = backends
    slugs = _models(kg)
    assert len(slugs) > 150
    shown = {"edges": 0, "reaches": 0, "alternatives": 0}
    for slug in slugs:
        expected = memory.lineage(slug)
        assert store.lineage(slug) == expected, slug
        assert store.edges_from(slug) == memory.edges_from(slug), slug
        assert store.edges_to(slug) == memory.edges_to(slug), slug
        assert store.version_chain(slug) == memory.version_chain(slug), slug
        reaches = memory.reaches(slug)
        assert store.reaches(slug) == reaches, slug
        assert store.routers_reaching(slug) == memory.routers_reaching(slug), slug
        alternatives = memory.alternatives(slug, today=TODAY)
        assert store.alternatives(slug, today=TODAY) == alternatives, slug
        shown["edges"] += len(expected.edges)
        shown["reaches"] += len(reaches)
        shown["alternatives"] += len(alternatives)
    assert min(shown.values()) > 100, shown  # the answers compared are not empty ones


CRITERIA = st.builds(
    Constraints,
    keep_capabilities=st.frozensets(st.sampled_from(["function-calling", "json-mode", "reasoning", "vision",
                                                     "structured-outputs", "no-such-capability"]), max_size=2),
    max_input_price=st.none() | st.sampled_from([Decimal("0.5"), Decimal(3)]),
    min_context=st.none() | st.sampled_from([32000, 128000]),
    licenses=st.sampled_from([frozenset(), frozenset({"apache-2.0"}), frozenset({"apache-2.0", "mit"})]),
    require_open_weights=st.booleans(),
    live_only=st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), direction=st.sampled_from(["ANCESTORS", "DESCENDANTS", "BOTH"]),
       kinds=st.none() | st.frozensets(st.sampled_from(sorted(ALL_KINDS)), min_size=1),
       depth=st.none() | st.integers(0, 4), criteria=CRITERIA, same_family=st.booleans(), first=st.integers(1, 30))
def test_any_walk_and_criteria_equal_memory(kg: KnowledgeGraph, backends: tuple[InMemory, SparqlStore],
                                            data: st.DataObject, direction: str, kinds: frozenset[str] | None,
                                            depth: int | None, criteria: Constraints, same_family: bool,
                                            first: int) -> None:
    memory, store = backends
    linked = sorted({link.source for link in kg.links} | {link.target for link in kg.links})
    slug = data.draw(st.sampled_from(linked))
    assert store.lineage(slug, direction, kinds, depth) == memory.lineage(slug, direction, kinds, depth)
    slug = data.draw(st.sampled_from(_models(kg)))
    expected = memory.alternatives(slug, criteria, today=TODAY, first=first, include_same_family=same_family)
    assert store.alternatives(slug, criteria, today=TODAY, first=first, include_same_family=same_family) == expected


QUERY = """query($id: ID!) {
  lineage(modelId: $id) { nodes { slug } edges { from { slug } to { slug } kind validFrom viaAlias source { id } } chain { slug } }
  alternatives(modelId: $id, first: 5) { model { slug } score priceRatio }
  model(id: $id) { routers { router { slug } via { slug } evidence routeId asOf }
                   successors { model { slug } kind } predecessors { model { slug } kind } versions { slug } }
}"""


def test_graphql_through_the_store_answers_as_memory(kg: KnowledgeGraph, server: OxigraphServer) -> None:
    plain = create_app(Settings(today=TODAY.isoformat(), response_cache=False, rate_limit=""), kg=kg)
    stored = create_app(Settings(today=TODAY.isoformat(), response_cache=False, rate_limit="",
                                 sparql_store=server.url), kg=kg)
    with TestClient(plain) as memory, TestClient(stored) as store:
        for slug in ["mistral-small-2402", "mistral-small-2503", *random.Random(3).sample(sorted(kg.models), 20)]:
            body = {"query": QUERY, "variables": {"id": slug}}
            expected = memory.post("/graphql", json=body)
            got = store.post("/graphql", json=body)
            assert expected.status_code == got.status_code == 200
            assert got.json()["data"] == expected.json()["data"], slug
            assert "errors" not in got.json()


def test_a_store_with_another_data_version_is_refused(tmp_path: Path, kg: KnowledgeGraph) -> None:
    with OxigraphServer(tmp_path / "empty") as empty:
        with pytest.raises(StoreError, match="holds data version none.*modelatlas store load"):
            create_app(Settings(sparql_store=empty.url), kg=kg)
        done = CliRunner().invoke(cli, ["store", "check", "--endpoint", empty.url])
        assert done.exit_code == 1 and "holds data version none" in done.output


def test_store_check_and_bad_options(server: OxigraphServer, kg: KnowledgeGraph) -> None:
    done = CliRunner().invoke(cli, ["store", "check", "--endpoint", server.url])
    assert done.exit_code == 0 and kg.version in done.output
    done = CliRunner().invoke(cli, ["store", "load"])
    assert done.exit_code == 1 and "exactly one of --endpoint" in done.output
    done = CliRunner().invoke(cli, ["store", "check", "--endpoint", "http://127.0.0.1:9"])
    assert done.exit_code == 1 and "http://127.0.0.1:9" in done.output


def test_load_into_a_store_directory(tmp_path: Path) -> None:
    """``--location``: ``oxigraph load`` into a directory, then a server on it answers as the loader said."""
    done = CliRunner().invoke(cli, ["store", "load", "--location", str(tmp_path / "db"), "--no-imports"])
    assert done.exit_code == 0, done.output
    curated = load_graph(imports=False)
    with OxigraphServer(tmp_path / "db") as server:
        store = SparqlStore(curated, SparqlClient(server.url))
        memory = InMemory(curated)
        for slug in curated.models:
            assert store.lineage(slug) == memory.lineage(slug)
            assert store.alternatives(slug, today=TODAY) == memory.alternatives(slug, today=TODAY)


def test_a_synthetic_catalog_through_the_store_pages_as_memory(tmp_path: Path) -> None:
    """A catalog with large signatures (hundreds of models with one feature set), loaded with ``--location``: every
    model's alternatives, with and without must-have capabilities, equal memory's when the store hands out members
    one at a time (every page boundary crossed) and with the default pages."""
    from modelatlas.graph.synth import AS_OF, write_catalog

    data = write_catalog(tmp_path / "synth", models=400, seed=5).root
    done = CliRunner().invoke(cli, ["store", "load", "--location", str(tmp_path / "db"), "--data", str(data),
                                    "--no-imports"])
    assert done.exit_code == 0, done.output
    kg = load_graph([data], imports=False, cache=False)
    memory = InMemory(kg)
    biggest = max(len(m) for m in kg.index.similarity.members)
    assert biggest > 20  # signatures whose members span many pages
    with OxigraphServer(tmp_path / "db") as server:
        for first_page in (1, 8):
            store = SparqlStore(kg, SparqlClient(server.url), first_page=first_page)
            for slug in sorted(kg.models):
                for must in (frozenset(), frozenset({"function-calling"})):
                    criteria = Constraints(keep_capabilities=must)
                    expected = memory.alternatives(slug, criteria, today=AS_OF, first=12)
                    assert store.alternatives(slug, criteria, today=AS_OF, first=12) == expected, (slug, must)
