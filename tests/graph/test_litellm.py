"""The LiteLLM model-map importer: a small fixture of real entries (one date made impossible, 2026-02-30, to show a
bad value is rejected), the shipped gzip copy, and malformed files."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from modelatlas.graph import DataError
from modelatlas.graph.importers.litellm import (
    PACKAGE_VERSION,
    RELEASE_DATES,
    data_path,
    read_litellm,
)
from modelatlas.graph.importers.rows import CatalogRow
from modelatlas.graph.resolve.tables import IdentityTables

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "litellm" / "small.json"
AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], CatalogRow]:
    snap = read_litellm(FIXTURE, as_of=AS_OF)
    return {(r.provider_id, r.route_id): r for r in snap.rows}


def test_one_row_per_chat_entry_with_the_provider_prefix_dropped(rows):
    assert len(rows) == 11  # 14 entries: sample_spec, an embedding and a duplicate route are not rows
    assert ("openai", "text-embedding-3-small") not in rows and not any(p == "sample_spec" for p, _ in rows)
    assert ("mistral", "mistral-small-latest") in rows
    # a prefix that is not the entry's provider stays in the route id
    assert ("vertex_ai-anthropic_models", "vertex_ai/claude-3-5-sonnet@20240620") in rows
    assert ("bedrock_converse", "bedrock/us-gov-east-1/moonshotai.kimi-k3") in rows


def test_prices_per_million_tokens_with_batch_priority_flex_and_context_tiers(rows):
    gpt = rows["openai", "gpt-4o"]
    assert (gpt.input_price, gpt.output_price, gpt.cached_input_price) == (Decimal("2.5"), Decimal(10), Decimal("1.25"))
    assert (gpt.batch_input_price, gpt.batch_output_price) == (Decimal("1.25"), Decimal(5))
    assert [(t.kind, t.input_price, t.output_price) for t in gpt.price_tiers] == [
        ("batch", Decimal("1.25"), Decimal(5)), ("priority", Decimal("4.25"), Decimal(17))]
    gemini = rows["gemini", "gemini-2.5-pro"]
    assert [(t.kind, t.above_tokens) for t in gemini.price_tiers] == [
        ("batch", None), ("priority", None), ("flex", None), ("context", 200_000)]
    assert gemini.price_tiers[-1].input_price == Decimal("2.5")
    assert rows["azure_ai", "claude-opus-4-5"].cache_write_price == Decimal("6.25")


def test_limits_modalities_and_capabilities(rows):
    gpt = rows["openai", "gpt-4o"]
    assert (gpt.context_window, gpt.max_output_tokens) == (128_000, 16_384)
    assert gpt.input_modalities == ("text", "image", "pdf") and gpt.output_modalities == ("text",)
    assert gpt.capabilities == ("function-calling", "structured-outputs", "attachments")
    assert rows["mistral", "mistral-small-latest"].capabilities == ("function-calling", "structured-outputs", "reasoning")


def test_lifecycle_per_route(rows):
    sonnet = rows["vertex_ai-anthropic_models", "vertex_ai/claude-3-5-sonnet@20240620"]
    assert sonnet.retirement_date == date(2026, 2, 19)
    gpt = rows["openai", "gpt-4o"]
    assert (gpt.retirement_date, gpt.successor_id) == (date(2027, 1, 14), "gpt-6-luna")
    assert gpt.retirement_source == "https://developers.openai.com/api/docs/deprecations"
    # a successor or alias that is a key of the map is named by its route id
    assert rows["azure_ai", "claude-opus-4-5"].successor_id == "claude-opus-5-5"
    latest = rows["azure_ai", "claude-opus-latest"]
    assert latest.alias_of == "claude-opus-5-5"
    assert latest.input_price == rows["azure_ai", "claude-opus-5-5"].input_price  # an alias reads its target's entry


def test_bad_values_and_duplicate_routes_are_rejected_by_key():
    snap = read_litellm(FIXTURE, as_of=AS_OF)
    assert [(r.where, r.field, r.value) for r in snap.rejected] == [
        ("vertex_ai/claude-3-haiku@20240307", "deprecation_date", "2026-02-30"), ("deepseek-chat", "row", None)]
    haiku = next(r for r in snap.rows if r.route_id == "vertex_ai/claude-3-haiku@20240307")
    assert haiku.retirement_date is None and haiku.input_price == Decimal("0.25")  # the row is kept without it


def test_version_and_as_of_of_a_newer_map_file(tmp_path):
    newer = tmp_path / "litellm-1.111.0.json.gz"
    newer.write_bytes(gzip.compress(FIXTURE.read_bytes()))
    snap = read_litellm(newer, as_of=date(2026, 12, 1))
    assert (snap.source, snap.package, snap.version, snap.as_of) == ("litellm", "litellm", "1.111.0", date(2026, 12, 1))
    plain = tmp_path / "litellm-1.110.2.json"
    shutil.copy(FIXTURE, plain)
    assert read_litellm(plain).as_of == RELEASE_DATES["1.110.2"]
    assert read_litellm(FIXTURE).version == "file small.json"


@pytest.mark.parametrize("text, message", [
    ("{not json", "cannot read the LiteLLM model map"),
    ("[1, 2]", "expected an object of model entries"),
    ('{"gpt-4o": {"mode": "chat"}, "gpt-x": 3}', "entry 'gpt-x' is not an object"),
])
def test_a_malformed_file_names_the_file_and_the_key(tmp_path, text, message):
    path = tmp_path / "map.json"
    path.write_text(text)
    with pytest.raises(DataError, match=message) as caught:
        read_litellm(path)
    assert str(path) in str(caught.value)


def test_unreadable_values_and_dangling_aliases(tmp_path):
    path = tmp_path / "map.json"
    path.write_text(json.dumps({
        "m": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "cheap", "max_input_tokens": -1},
        "m-latest": {"alias_of": "gone"},
    }))
    snap = read_litellm(path, as_of=AS_OF)
    assert [r.route_id for r in snap.rows] == ["m"] and snap.rows[0].input_price is None
    assert [(r.where, r.field) for r in snap.rejected] == [
        ("m", "input_cost_per_token"), ("m", "max_input_tokens"), ("m-latest", "alias_of")]


def test_the_shipped_map():
    snap = read_litellm()
    assert data_path().name == f"litellm-{PACKAGE_VERSION}.json.gz"
    assert (snap.version, snap.as_of) == (PACKAGE_VERSION, date(2026, 11, 20))
    rows = snap.rows
    # the whole file: 4,878 entries, 925 deprecation dates, 446 successors, 98 aliases; chat/completion/responses only:
    assert len(rows) == 3795
    assert sum(r.retirement_date is not None for r in rows) == 726
    assert sum(r.successor_id is not None for r in rows) == 339
    assert sum(r.alias_of is not None for r in rows) == 98
    assert len({(r.provider_id, r.route_id) for r in rows}) == len(rows)
    assert [r.field for r in snap.rejected] == ["row"] * 11  # routes listed under two keys, read once


def test_litellm_providers_map_to_our_slugs():
    tables = IdentityTables.load()
    assert [tables.provider_slug("litellm", p) for p in (
        "vertex_ai-anthropic_models", "bedrock_converse", "azure", "fireworks_ai", "together_ai", "gemini", "mistral",
    )] == ["google-vertex", "aws-bedrock", "azure-ai-foundry", "fireworks", "together", "google-ai-studio", "mistral"]


def test_docstring_examples():
    import doctest

    from modelatlas.graph.importers import litellm

    result = doctest.testmod(litellm)
    assert result.failed == 0 and result.attempted > 0
