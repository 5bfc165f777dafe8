"""Families that group lines: umbrella families, the rule placing imported models, ``family(id:)`` with versions
and lineage in one query, the AMBIGUOUS error of ``model(id:)``, and search ranking."""

from __future__ import annotations

from datetime import date

from hypothesis import given, strategies as st

from modelatlas.graph.algorithms.search import search
from modelatlas.graph.families import FamilyRules
from modelatlas.graph.importers.merge import merge_catalogs
from modelatlas.graph.importers.rows import CatalogRow, CatalogSnapshot
from modelatlas.graph.kinds import LinkKind, ResolutionStatus, Status
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Family, LineageLink, Model
from tests.conftest import gql


def test_the_llama_family_lists_its_lines_versions_and_lineage_in_one_query(client):
    query = """{ family(id: "Llama") { slug name maker { slug } parent { slug } lines { slug parent { slug } }
                 versions { slug family { slug } }
                 lineage { nodes { slug } edges { from { slug } to { slug } kind scope { slug } } } } }"""
    family = gql(client, query)["data"]["family"]

    assert (family["slug"], family["maker"]["slug"], family["parent"]) == ("llama", "meta", None)
    assert [(f["slug"], f["parent"]["slug"]) for f in family["lines"]] == [("llama-3.1", "llama"), ("llama-3.3", "llama")]
    assert [(m["slug"], m["family"]["slug"]) for m in family["versions"]] == [
        ("llama-3.1-70b-instruct", "llama-3.1"), ("llama-3.1-8b-instruct", "llama-3.1"),
        ("llama-3.3-70b-instruct", "llama-3.3")]
    edges = {(e["from"]["slug"], e["to"]["slug"], e["kind"]) for e in family["lineage"]["edges"]}
    assert ("llama-3.1-70b-instruct", "llama-3.3-70b-instruct", "RECOMMENDED_REPLACEMENT") in edges
    assert {"gpt-oss-20b", "llama-3.3-70b-instruct"} <= {n["slug"] for n in family["lineage"]["nodes"]}
    listed = gql(client, '{ models(filter: {family: "Llama"}) { nodes { slug } } }')["data"]["models"]["nodes"]
    assert [m["slug"] for m in listed] == [m["slug"] for m in family["versions"]]
    line = gql(client, '{ family(id: "llama-3.1") { parent { name } lines { slug } } }')["data"]["family"]
    assert line == {"parent": {"name": "Llama"}, "lines": []}


def test_a_family_or_ambiguous_name_given_to_model_is_an_error_listing_the_candidates(client):
    answer = gql(client, '{ model(id: "mistral-small") { slug } }')
    error = answer["errors"][0]

    assert answer["data"]["model"] is None
    assert error["extensions"]["code"] == "AMBIGUOUS" and error["extensions"]["family"] == "mistral-small"
    assert set(error["extensions"]["candidates"]) == {f"mistral-small-{v}" for v in
                                                      ("2402", "2409", "2501", "2503", "2506", "2603")}
    assert error["extensions"]["candidates"][0] == "mistral-small-2603"  # newest first
    assert "names the family 'mistral-small', not one model" in error["message"]
    umbrella = gql(client, '{ lineage(modelId: "Llama") { root { slug } } }')["errors"][0]["extensions"]
    assert umbrella["code"] == "AMBIGUOUS" and "llama-3.3-70b-instruct" in umbrella["candidates"]
    versions = gql(client, '{ model(id: "mistral-small-2603") { slug } }')  # a real model is never ambiguous
    assert "errors" not in versions
    missing = gql(client, '{ model(id: "no-such-model") { slug } }')["errors"][0]["extensions"]
    assert missing["code"] == "NOT_FOUND"


def _row(provider: str, route: str) -> CatalogRow:
    return CatalogRow("models-dev", provider, provider, route)


def test_imported_models_join_the_family_of_their_maker_and_line(kg):
    routes = {  # ids no curated model has (so the rule, not the curation, places them)
        "meta-llama/llama-3.1-999b-instruct": ("meta", "llama-3.1"),
        "meta-llama/llama-9-scout-17b-16e-instruct": ("meta", "llama"),
        "nousresearch/hermes-3-llama-3.1-999b": ("nous-research", None),  # another maker's fine-tune: no Llama
        "anthropic/claude-opus-9.1": ("anthropic", "claude-opus"),
        "qwen/qwen3-999b-a22b": ("alibaba-qwen", "qwen3"),
    }
    snap = CatalogSnapshot("models-dev", "models-dev", "t", date(2026, 5, 1),
                           tuple(_row(p, r) for p in ("kilo", "deepinfra") for r in routes))
    merged, _ = merge_catalogs(kg, [snap])

    for route, expected in routes.items():
        model = merged.models[next(o.model for o in merged.offerings.values()
                                   if o.provider == "kilo" and o.route_id == route)]
        assert model.resolution == ResolutionStatus.CANONICAL, route
        assert (model.maker, model.family) == expected, route


@given(st.text(alphabet="abc-.3", max_size=12))
def test_a_line_beats_its_umbrella_and_the_maker_must_match(slug):
    rules = FamilyRules([Family("a", "A", "m", patterns=("a",)),
                         Family("a-3", "A 3", "m", parent="a", patterns=(r"a-3(-|$)",))])
    found = rules.family_of(slug, "m")

    assert rules.family_of(slug, "other") is None
    assert found == ("a-3" if slug.startswith("a-3") and (len(slug) == 3 or slug[3] == "-")
                     else "a" if slug.startswith("a") else None)


def test_search_ranks_base_models_above_fine_tunes_and_placeholders_last():
    def model(slug: str, name: str, resolution: ResolutionStatus | None = None) -> Model:
        return Model(slug, name, "meta", Status.ACTIVE, resolution=resolution)

    kg = KnowledgeGraph.from_records(version="t", models=[
        model("unresolved--x--llama-3", "llama-3", ResolutionStatus.UNRESOLVED),
        model("llama-3-tune", "Llama 3 Tune", ResolutionStatus.CANONICAL),
        model("llama-3-base", "Llama 3 Base", ResolutionStatus.CANONICAL),
    ], links=[LineageLink("tune-of-base", "llama-3-tune", "llama-3-base", LinkKind.DERIVED_FROM)])

    assert [h.record.slug for h in search(kg, "llama-3")] == ["llama-3-base", "llama-3-tune", "unresolved--x--llama-3"]
    assert [h.score for h in search(kg, "llama-3")] == [0.8, 0.8, 0.9]  # the placeholder matched best, and comes last


def test_validate_names_a_bad_pattern_and_an_umbrella_cycle(tmp_path):
    import shutil

    from typer.testing import CliRunner

    from modelatlas.api.cli import app as cli
    from modelatlas.graph.load import default_data_dir

    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("*.gz", "__pycache__"))
    (data / "bad-families.ttl").write_text(
        "@prefix ma: <https://modelatlas.dev/ns#> .\n@prefix family: <https://modelatlas.dev/id/family/> .\n"
        'family:llama ma:modelPattern "llama(" ; ma:parentFamily family:llama-3.1 .\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(data)])

    assert result.exit_code == 1
    assert "family:llama ma:modelPattern: 'llama(' is not a regular expression" in result.output
    assert "family:llama ma:parentFamily: umbrella families form a cycle through this family" in result.output
