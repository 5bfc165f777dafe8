"""Moving aliases with history (curated, LiteLLM's alias_of, implied by rows) and flagship succession (issue 17)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from modelatlas.graph import load_graph
from modelatlas.graph.algorithms.aliases import alias_history, resolve_alias
from modelatlas.graph.algorithms.filters import Constraints
from modelatlas.graph.algorithms.migration import migration_paths
from modelatlas.graph.catalog_aliases import alias_of_bindings, catalog_aliases, with_catalog_aliases
from modelatlas.graph.importers.merge import merge_catalogs
from modelatlas.graph.importers.rows import CatalogRow, CatalogSnapshot
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Alias, AliasBinding, Model, Offering
from modelatlas.graph.resolve import Resolver
from modelatlas.graph.resolve.tables import IdentityTables
from tests.conftest import TODAY, gql


def test_gpt_4o_history(kg: KnowledgeGraph) -> None:
    assert resolve_alias(kg, "gpt-4o", date(2024, 6, 1)).slug == "gpt-4o-2024-05-13"
    assert resolve_alias(kg, "gpt-4o", date(2024, 10, 2)).slug == "gpt-4o-2024-08-06"  # validFrom is inclusive
    assert resolve_alias(kg, "gpt-4o", TODAY).slug == "gpt-4o-2024-08-06"
    assert [b.target for b, _, _ in alias_history(kg, "gpt-4o")] == ["gpt-4o-2024-05-13", "gpt-4o-2024-08-06"]


def test_curated_aliases_have_sources_and_several_makers(kg: KnowledgeGraph) -> None:
    assert all(b.provenance.sources and b.provenance.citations for b in kg.bindings)
    makers = {kg.models[b.target].maker for b in kg.bindings}
    assert {"openai", "anthropic", "mistral", "deepseek"} <= makers
    assert resolve_alias(kg, "deepseek-reasoner", date(2025, 3, 1)).slug == "deepseek-r1"
    assert resolve_alias(kg, "claude-3-5-sonnet-latest", date(2025, 1, 1)).slug == "claude-3-5-sonnet-20241022"


def test_graphql_resolve_alias_then_and_now(client) -> None:
    data = gql(client, '{ then: resolveAlias(name: "gpt-4o", at: "2024-06-01") { slug } '
                       'now: resolveAlias(name: "gpt-4o") { slug } }')["data"]
    assert data == {"then": {"slug": "gpt-4o-2024-05-13"}, "now": {"slug": "gpt-4o-2024-08-06"}}


def test_rows_spelled_as_an_alias_attach_to_its_target_on_their_date(kg: KnowledgeGraph) -> None:
    resolver = Resolver(kg, IdentityTables.load())
    found = resolver.resolve("anthropic/claude-3-5-sonnet-latest", as_of=date(2025, 1, 1))
    assert (found.rule, found.model) == ("alias-binding", "claude-3-5-sonnet-20241022")
    assert resolver.resolve("gpt-4o", provider="openai", as_of=date(2024, 7, 1)).model == "gpt-4o-2024-05-13"
    # an alias whose name loses 'latest' when normalized does not swallow the undated id's rows
    assert resolver.resolve("ministral-8b", provider="openrouter").rule != "alias-binding"


def test_migration_from_claude_3_5_sonnet_reaches_the_current_sonnet(kg: KnowledgeGraph) -> None:
    paths = migration_paths(kg, "claude-3-5-sonnet-20241022", constraints=Constraints(), today=TODAY)
    assert paths and paths[0].target.slug == "claude-sonnet-4-6"
    assert [s.target.slug for s in paths[0].steps] == ["claude-sonnet-4-20250514", "claude-sonnet-4-6"]


def test_flagship_chains(kg: KnowledgeGraph) -> None:
    nxt = {(l.source, l.target) for l in kg.links if l.kind == "NEXT_VERSION"}
    for pair in [("gpt-4o-2024-11-20", "gpt-4.1-2025-04-14"), ("o1-2024-12-17", "o3-2025-04-16"),
                 ("o3-mini-2025-01-31", "o4-mini-2025-04-16"), ("llama-3.3-70b-instruct", "llama-4-maverick-17b-128e-instruct"),
                 ("deepseek-r1", "deepseek-r1-0528"), ("deepseek-v3.2-exp", "deepseek-v3.2"),
                 ("claude-3-7-sonnet-20250219", "claude-sonnet-4-20250514")]:
        assert pair in nxt, pair


def _snapshot(*rows: CatalogRow) -> CatalogSnapshot:
    return CatalogSnapshot("litellm", "litellm", "0", date(2026, 11, 20), rows)


def test_litellm_alias_of_binds_where_providers_agree() -> None:
    models = [Model("claude-opus-5.5", "Opus 5.5", "anthropic", "active", resolution="canonical"),
              Model("claude-opus-5", "Opus 5", "anthropic", "active", resolution="canonical")]
    offerings = [Offering("a", "claude-opus-5.5", "anthropic", "claude-opus-5-5"),
                 Offering("b", "claude-opus-5.5", "azure-ai-foundry", "claude-opus-5-5"),
                 Offering("c", "claude-opus-5", "aws-bedrock", "claude-opus-5")]
    kg = KnowledgeGraph.from_records(version="t", models=models, offerings=offerings)
    tables = IdentityTables.load()
    agree = _snapshot(CatalogRow("litellm", "anthropic", "Anthropic", "claude-opus-latest", alias_of="claude-opus-5-5"),
                      CatalogRow("litellm", "azure_ai", "Azure", "claude-opus-latest", alias_of="claude-opus-5-5"))
    aliases, bindings, disagree = alias_of_bindings(kg, [agree], tables)
    assert [(a.name, b.target, b.observed_on) for a, b in zip(aliases, bindings, strict=True)] == [
        ("claude-opus-latest", "claude-opus-5.5", date(2026, 11, 20))]
    assert not disagree
    split = _snapshot(CatalogRow("litellm", "azure_ai", "Azure", "claude-opus-latest", alias_of="claude-opus-5-5"),
                      CatalogRow("litellm", "bedrock", "Bedrock", "claude-opus-latest", alias_of="claude-opus-5"))
    assert alias_of_bindings(kg, [split], tables)[2] == ["claude-opus-latest: claude-opus-5, claude-opus-5.5"]
    out, added = with_catalog_aliases(kg, [agree], tables)
    assert added == 1 and resolve_alias(out, "claude-opus-latest", date(2026, 11, 25)).slug == "claude-opus-5.5"


def test_a_curated_alias_wins_over_the_catalogs(kg: KnowledgeGraph) -> None:
    snap = _snapshot(CatalogRow("litellm", "openai", "OpenAI", "gpt-4o", alias_of="gpt-4o-2024-11-20"))
    merged, _ = merge_catalogs(kg, [snap])
    aliases, _, _ = catalog_aliases(merged, [snap], IdentityTables.load())
    assert "gpt-4o" not in {a.name for a in aliases}


def test_implied_binding_needs_the_same_release_or_price() -> None:
    kg = KnowledgeGraph.from_records(version="t", models=[
        Model("z-pro", "Z", "m", "active", resolution="canonical"),
        Model("z-pro-2501", "Z", "m", "active", resolution="canonical"),
        Model("z-pro-2506", "Z", "m", "active", resolution="canonical")], offerings=[
        Offering("u", "z-pro", "p", "z-pro", input_price=Decimal(2), output_price=Decimal(8)),
        Offering("a", "z-pro-2501", "p", "z-pro-2501", input_price=Decimal(3), output_price=Decimal(9)),
        Offering("b", "z-pro-2506", "p", "z-pro-2506", input_price=Decimal(2), output_price=Decimal(8))])
    aliases, bindings, _ = catalog_aliases(kg, [], IdentityTables.load())
    assert [(b.alias, b.target, b.provenance.unconfirmed) for b in bindings] == [("z-pro", "z-pro-2506", True)]
    assert aliases == [Alias("z-pro", "z-pro", "m")]
    assert isinstance(bindings[0], AliasBinding)


def test_license_decisions_explain_themselves(client) -> None:
    data = gql(client, '{ model(id: "gpt-oss-20b") { license { slug } claims(field: "license") { value note sources { slug } } } }')
    found = data["data"]["model"]
    assert found["license"]["slug"] == "apache-2.0"
    assert any("license rule openai-gpt-oss" in (c["note"] or "") for c in found["claims"])


def test_curated_load_applies_license_rules() -> None:
    kg = load_graph(imports=False, cache=False)
    assert kg.models["gpt-oss-20b"].license == "apache-2.0"
    assert kg.models["llama-4-scout-17b-16e-instruct"].license == "llama-4-community"
