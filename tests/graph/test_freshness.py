"""Fresh data: ``modelatlas import --from`` (refused whole on a bad file), the change feed between two catalog files
(CLI and GraphQL), a route's price history and the price on a date, capabilities taken from the catalogs."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, strategies as st
from typer.testing import CliRunner

from modelatlas.api.cli import app as cli
from modelatlas.api.http import Settings, create_app
from modelatlas.graph.changes import ChangeKind, RouteValues, ValueSnapshot, change_feed
from modelatlas.graph.importers import litellm
from modelatlas.graph.importers.genai_prices import rows_from_providers
from modelatlas.graph.importers.merge import merge_catalogs
from modelatlas.graph.importers.rows import CatalogRow, CatalogSnapshot
from modelatlas.graph.importers.store import read_catalog_file
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.precedence import Vote, consensus_set
from tests.conftest import TODAY, gql
from tests.graph.test_import import _genai_providers

CATALOGS = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs"


def _import(cache: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["import", "--cache-dir", str(cache), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """Two imports into one temporary cache: models.dev from the v1 file, then from its edited copy v2."""
    cache = tmp_path_factory.mktemp("refresh-cache")
    first = _import(cache, "--from", f"models-dev={CATALOGS / 'models-dev-v1.json'}")
    second = _import(cache, "--from", f"models-dev={CATALOGS / 'models-dev-v2.json'}")
    return cache, first, second


@pytest.mark.slow
def test_change_feed_between_two_catalog_files_on_the_command_line(refreshed, monkeypatch):
    cache, first, second = refreshed
    assert "change feed: 6 changes" in second
    monkeypatch.setenv("MODELATLAS_CACHE_DIR", str(cache))
    result = CliRunner().invoke(cli, ["changes", "--since", "2026-05-02"])

    assert result.exit_code == 0, result.output
    assert "installed models-dev" in first and "change feed: 0 changes" in first  # the first file is the baseline
    lines = result.output.splitlines()
    assert any("price_change" in line and "mistral/mistral-small-2603 input_price: 0.15 -> 0.1" in line for line in lines)
    assert any("deprecated" in line and "openai/gpt-4o-2024-05-13" in line for line in lines)
    assert any("new_model" in line and "zz-fixture-model-2606" in line for line in lines)
    assert any("new_route" in line and "mistral/magistral-medium-latest" in line for line in lines)
    assert lines[-1].startswith("6 changes since 2026-05-02")
    later = CliRunner().invoke(cli, ["changes", "--since", "2026-06-02"])
    assert later.output.splitlines()[-1].startswith("0 changes since 2026-06-02")


@pytest.mark.slow
def test_packaged_goes_back_to_the_pinned_catalog(tmp_path):
    installed = _import(tmp_path, "--from", f"models-dev={CATALOGS / 'models-dev-v1.json'}")
    back = _import(tmp_path, "--packaged", "models-dev")

    assert "source models-dev file models-dev-v1.json" in installed
    assert "models-dev: the packaged catalog again (removed file models-dev-v1.json" in back
    assert "source models-dev 1.0.398: 4803 rows" in back and not list((tmp_path / "catalogs").glob("models-dev*"))


@pytest.mark.slow
def test_change_feed_and_price_history_in_graphql(refreshed):
    cache, _, _ = refreshed
    app = create_app(Settings(today=TODAY.isoformat(), production=False, cache_dir=cache))
    query = """{ changes(since: "2026-05-02", kinds: [PRICE_CHANGE, DEPRECATED]) { totalCount
                   nodes { on kind catalog modelId model { slug } provider { slug } routeId field before after } }
                 model(id: "mistral-small-2603") { offerings { routeId provider { slug }
                   priceHistory { inputPrice citation observedOn } } } }"""
    with TestClient(app) as client:
        data = gql(client, query)["data"]

    changes = {(c["kind"], c["routeId"]): c for c in data["changes"]["nodes"]}
    assert data["changes"]["totalCount"] == 2
    price = changes[("PRICE_CHANGE", "mistral-small-2603")]
    assert (price["field"], price["before"], price["after"], price["on"]) == ("inputPrice", "0.15", "0.1", "2026-06-01")
    assert price["model"] == {"slug": "mistral-small-2603"} and price["provider"] == {"slug": "mistral"}
    assert changes[("DEPRECATED", "gpt-4o-2024-05-13")]["catalog"] == "models-dev"
    route = next(o for o in data["model"]["offerings"] if o["provider"]["slug"] == "mistral"
                 and o["routeId"] == "mistral-small-2603")
    earlier = [p for p in route["priceHistory"] if "until 2026-06-01" in (p["citation"] or "")]
    assert [p["inputPrice"] for p in earlier] == [0.15]  # the price the v1 import took, kept by the feed


def test_import_from_a_bad_file_is_refused_and_changes_nothing(tmp_path):
    cases = {
        "genai-prices": (CATALOGS / "genai-prices-bad.json", "provider 'acme' model 'acme-2': field input_mtok"),
        "models-dev": (CATALOGS / "genai-prices-bad.json", "expected an object of providers, got list"),
        "litellm": (tmp_path / "missing.json", "no such file"),
    }
    for name, (path, message) in cases.items():
        result = CliRunner().invoke(cli, ["import", "--cache-dir", str(tmp_path), "--from", f"{name}={path}"])

        assert result.exit_code == 1
        assert str(path) in result.output and message in result.output, result.output
        assert "nothing was installed" in result.output or "no such file" in result.output
    assert not (tmp_path / "catalogs").exists() or not list((tmp_path / "catalogs").glob("*.json"))
    unknown = CliRunner().invoke(cli, ["import", "--cache-dir", str(tmp_path), "--from", "openrouter=x.json"])
    assert unknown.exit_code == 1 and "expected NAME=FILE with NAME one of genai-prices, litellm, models-dev" in unknown.output


def test_each_catalog_reads_a_file_in_its_published_format(tmp_path):
    genai = read_catalog_file("genai-prices", CATALOGS / "genai-prices-small.json", TODAY)
    row = genai.rows[0]
    assert (row.route_id, row.other_ids, row.input_price) == ("mistral-small-2603", ("mistral-small-latest",),
                                                              Decimal("0.1"))
    assert [p.valid_from for p in row.history] == [None, date(2026, 6, 1)] and genai.as_of == date(2026, 6, 1)
    assert genai.version.startswith("file genai-prices-small.json ")

    copy = tmp_path / "model_prices_and_context_window.json.gz"
    shutil.copyfile(litellm.data_path(), copy)
    lite = read_catalog_file("litellm", copy)
    assert len(lite.rows) == len(litellm.read_litellm().rows) and lite.version.startswith("file model_prices")
    models = read_catalog_file("models-dev", CATALOGS / "models-dev-v2.json")
    assert (len(models.rows), models.as_of) == (9, date(2026, 6, 1))


def test_a_models_dev_file_with_an_unreadable_row_is_refused(tmp_path):
    bad = tmp_path / "api.json"
    bad.write_text('{"acme": {"name": "Acme", "models": {"acme-1": {"cost": {"input": 1}, "limit": "big"}}}}',
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "--cache-dir", str(tmp_path), "--from", f"models-dev={bad}"])

    assert result.exit_code == 1
    assert f"{bad}: 1 unreadable entries in this models.dev api.json: acme/acme-1 row" in result.output


@pytest.fixture(scope="module")
def with_history(kg):
    """The curated graph with a genai-prices catalog whose Mistral route has a price history."""
    merged, _ = merge_catalogs(kg, [rows_from_providers(_genai_providers(), version="test", today=TODAY)])
    return merged


def test_price_history_on_a_route_with_history(with_history):
    app = create_app(Settings(today=TODAY.isoformat(), production=False), kg=with_history)
    query = """{ model(id: "mistral-small-2506") { offerings { routeId
                   priceHistory { validFrom inputPrice outputPrice announced sources { slug } }
                   before: priceOn(at: "2026-02-01") { inputPrice validFrom }
                   after: priceOn(at: "2026-06-01") { inputPrice validFrom }
                   later: priceOn(at: "2099-06-01") { inputPrice announced } } } }"""
    with TestClient(app) as client:
        offerings = gql(client, query)["data"]["model"]["offerings"]
    route = next(o for o in offerings if o["routeId"] == "mistral-small-3.2-24b-instruct")

    steps = [(p["validFrom"], p["inputPrice"], p["announced"]) for p in route["priceHistory"]]
    assert steps == [(None, 0.1, False), ("2026-03-01", 0.12, False), ("2099-01-01", 0.2, True)]
    assert all(p["sources"] == [{"slug": "genai-prices-import"}] for p in route["priceHistory"])
    assert route["before"] == {"inputPrice": 0.1, "validFrom": None}  # the first listing, before the first step
    assert route["after"] == {"inputPrice": 0.12, "validFrom": "2026-03-01"}
    assert route["later"] == {"inputPrice": 0.2, "announced": True}
    with TestClient(app) as client:
        prices = gql(client, '{ model(id: "mistral-small-2506") { pricesOn(at: "2026-06-01") { '
                             'offering { routeId } price { inputPrice validFrom } } } }')["data"]["model"]["pricesOn"]
    assert {"offering": {"routeId": "mistral-small-3.2-24b-instruct"},
            "price": {"inputPrice": 0.12, "validFrom": "2026-03-01"}} in prices


def _without_capabilities(kg: KnowledgeGraph, slug: str) -> KnowledgeGraph:
    """``kg`` with one curated model's capabilities and modalities left empty (as a curated stub has them)."""
    models = [replace(m, capabilities=(), input_modalities=(), output_modalities=()) if m.slug == slug else m
              for m in kg.models.values()]
    claims = [c for c in kg.claims if not (c.subject == f"model:{slug}" and c.property == "capability")]
    return KnowledgeGraph.from_records(
        version=kg.version, models=models, families=kg.families.values(), organizations=kg.organizations.values(),
        providers=kg.providers.values(), offerings=kg.offerings.values(), routers=kg.routers.values(),
        licenses=kg.licenses.values(), capabilities=kg.capabilities.values(), use_cases=kg.use_cases.values(),
        sources=kg.sources.values(), aliases=kg.aliases.values(), bindings=kg.bindings, links=kg.links, claims=claims)


def test_a_curated_model_takes_capabilities_its_curation_leaves_empty(kg):
    kg = _without_capabilities(kg, "gpt-oss-20b")

    def row(provider: str, caps: tuple[str, ...]) -> CatalogRow:
        return CatalogRow("models-dev", provider, provider, "openai/gpt-oss-20b", capabilities=caps,
                          input_modalities=("text",), output_modalities=("text",))

    snap = CatalogSnapshot("models-dev", "models-dev", "t", date(2026, 5, 1), (
        row("deepinfra", ("function-calling", "reasoning")), row("kilo", ("function-calling", "reasoning")),
        row("nano-gpt", ("function-calling",))))
    merged, _ = merge_catalogs(kg, [snap])
    app = create_app(Settings(today=TODAY.isoformat(), production=False), kg=merged)
    with TestClient(app) as client:
        model = gql(client, '{ model(id: "gpt-oss-20b") { capabilities { slug } inputModalities '
                            'claims(field: "capability") { value current votes citations } } }')["data"]["model"]

    assert [c["slug"] for c in model["capabilities"]] == ["function-calling", "reasoning"]
    assert model["inputModalities"] == ["text"]
    claims = {c["value"]: c for c in model["claims"]}
    assert claims["function-calling,reasoning"]["current"] and claims["function-calling,reasoning"]["votes"] == 2
    assert not claims["function-calling"]["current"] and claims["function-calling"]["votes"] == 1
    assert any("nano-gpt" in c for c in claims["function-calling"]["citations"])


@given(st.lists(st.tuples(st.sampled_from(["catalog", "maker_api"]), st.frozensets(st.sampled_from("abcd"))),
                min_size=1, max_size=8))
def test_the_set_vote_keeps_what_the_maker_names_and_what_half_the_sources_name(rows):
    votes = [Vote(origin, ",".join(sorted(members)) or "none", f"c:p{i}", None, f"v{i}")
             for i, (origin, members) in enumerate(rows)]
    chosen = set(consensus_set(votes) or ())

    for member in "abcd":
        named = [origin for origin, members in rows if member in members]
        expected = "maker_api" in named or 2 * len(named) >= len(rows)
        assert (member in chosen) == (expected and bool(named))


@given(st.dictionaries(st.sampled_from(["p/a", "p/b", "q/a"]), st.decimals(0, 10, places=2), max_size=3),
       st.dictionaries(st.sampled_from(["p/a", "p/b", "q/a"]), st.decimals(0, 10, places=2), max_size=3))
def test_the_feed_lists_every_added_removed_and_repriced_route(before, after):
    def snap(version: str, day: date, prices: dict[str, Decimal]) -> ValueSnapshot:
        return ValueSnapshot("models-dev", version, day, day.isoformat(),
                             {k: RouteValues(k.split("/")[1], k.split("/")[0], v) for k, v in prices.items()})

    feed = change_feed([snap("1", date(2026, 1, 1), before), snap("2", date(2026, 2, 1), after)])
    kinds = {(c.kind, f"{c.provider}/{c.route_id}") for c in feed}

    assert {k for kind, k in kinds if kind is ChangeKind.NEW_ROUTE} == set(after) - set(before)
    assert {k for kind, k in kinds if kind is ChangeKind.ROUTE_REMOVED} == set(before) - set(after)
    assert {k for kind, k in kinds if kind is ChangeKind.PRICE_CHANGE} == {
        k for k in set(before) & set(after) if before[k].compare(after[k]) != 0}
    assert all(c.on == date(2026, 2, 1) for c in feed)
