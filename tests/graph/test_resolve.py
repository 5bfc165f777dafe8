"""Identity resolution: provider-specific ids -> one canonical model, and the rule that says why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from modelatlas.api.cli import app as cli
from modelatlas.graph import DataError
from modelatlas.graph.resolve import IdentityTables, Resolver, parse_id
from modelatlas.graph.resolve.normalize import token_kind

SNAPSHOT = date(2026, 5, 21)


@pytest.fixture(scope="module")
def resolver(kg):
    return Resolver.from_graph(kg)


# (id, provider, expected model or None, expected status)
CASES = [
    # the three spellings of Mistral Small 3.1 from the issue, plus gateway paths
    ("mistral-small-2503", None, "mistral-small-2503", "curated"),
    ("mistralai/mistral-small-3.1-24b-instruct", "kilo", "mistral-small-2503", "curated"),
    ("@cf/mistralai/mistral-small-3.1-24b-instruct", "cloudflare-workers-ai", "mistral-small-2503", "curated"),
    ("workers-ai/@cf/mistralai/mistral-small-3.1-24b-instruct", "cloudflare-ai-gateway", "mistral-small-2503", "curated"),
    ("mistral-small-31-24b-instruct", "nano-gpt", "mistral-small-2503", "curated"),  # alias table
    # dates in three forms, size suffixes, -instruct, :free, accounts/.../models/ paths, Bedrock ids
    ("Mistral-Small-24B-Instruct-2501", None, "mistral-small-2501", "curated"),
    ("mistral-small-24b-instruct-2025-01-30", None, "mistral-small-2501", "curated"),
    ("mistral-small-24b-instruct-20250130", None, "mistral-small-2501", "curated"),
    ("mistralai/mistral-small-24b-instruct-2501:free", "openrouter", "mistral-small-2501", "curated"),
    ("accounts/fireworks/models/mistral-small-24b-instruct-2501", "fireworks", "mistral-small-2501", "curated"),
    ("mistral.mistral-small-2402-v1:0", "aws-bedrock", "mistral-small-2402", "curated"),
    ("mistral-small-3-2-24b-instruct", "venice", "mistral-small-2506", "curated"),
    ("mistral-small3.2", "regolo-ai", "mistral-small-2506", "curated"),
    ("nvidia/mistralai/mistral-small-4-119b-2603", "nvidia", "mistral-small-2603", "curated"),
    ("mistral-small-4-119b", "regolo-ai", "mistral-small-2603", "curated"),
    ("meta-llama/Meta-Llama-3.1-8B-Instruct", None, "llama-3.1-8b-instruct", "curated"),
    ("qwen/qwen3-32b", "openrouter", "qwen3-32b", "curated"),
    # Fireworks writes the point as "p" and Meta's versions with a "v"
    ("accounts/fireworks/models/llama-v3p1-8b-instruct", "fireworks", "llama-3.1-8b-instruct", "curated"),
    ("accounts/fireworks/models/llama-v3p3-70b-instruct", "fireworks", "llama-3.3-70b-instruct", "curated"),
    ("accounts/fireworks/models/qwen2p5-72b-instruct", "fireworks", "qwen2.5-72b-instruct", "curated"),
    # lookalikes that must NOT merge
    ("mistral-small-2409", None, "mistral-small-2409", "curated"),
    ("mistral-small-2501", None, "mistral-small-2501", "curated"),
    ("gpt-4o-mini", None, "gpt-4o-mini-2024-07-18", "curated"),
    ("gpt-4o", None, "gpt-4o-2024-08-06", "curated"),  # a curated moving alias: its target today, never the mini
    ("llama-3.1-405b-instruct", None, None, "canonical"),
    ("mistralai/mistral-small-creative", "nano-gpt", None, "canonical"),
    ("mistral-small-3.1-2501", None, None, "unresolved"),  # version says 2503, date says 2501
    # cannot be placed with confidence
    ("mistral-small", "helicone", None, "unresolved"),  # an old alias of Mixtral, unbound since 2024-02-26
    ("openrouter/auto", "openrouter", None, "unresolved"),
    ("zqx-9000", "some-host", None, "unresolved"),
]


@pytest.mark.parametrize(("ident", "provider", "model", "status"), CASES)
def test_resolve(resolver, ident, provider, model, status):
    found = resolver.resolve(ident, provider=provider, as_of=SNAPSHOT)

    assert (found.model, found.status) == (model, status), found
    assert found.rule and found.detail


def test_moving_alias_resolves_on_the_rows_date(resolver):
    assert resolver.resolve("mistral-small-latest", as_of=date(2025, 4, 1)).model == "mistral-small-2503"
    latest = resolver.resolve("mistral/mistral-small", name="Mistral Small (latest)", as_of=SNAPSHOT)
    assert (latest.model, latest.rule) == ("mistral-small-2603", "alias-binding")


def test_unresolved_rows_say_why(resolver):
    assert resolver.resolve("mistral-small-3.1-2501").rule == "contradiction"
    assert resolver.resolve("zqx-9000").rule == "unknown-maker"
    assert resolver.resolve("openrouter/auto").rule == "not-a-model"


def test_maker_comes_from_owner_prefix_or_first_word(resolver):
    assert resolver.resolve("openai-gpt-oss-120b").key == "gpt-oss-120b"
    assert resolver.resolve("openai-gpt-oss-120b").maker == "openai"
    assert resolver.resolve("wonderlab/wonder-1").maker == "wonderlab"
    assert resolver.resolve("claude-opus-9").maker == "anthropic"


IDS = st.sampled_from([c[0] for c in CASES if c[3] == "curated"])
PREFIXES = st.sampled_from(["mistralai/", "openrouter/", "@cf/mistralai/", "accounts/fireworks/models/", "chutesai/",
                            "workers-ai/@cf/", "route/"])


@settings(max_examples=60, deadline=None)
@given(ident=IDS, prefix=PREFIXES)
def test_a_resolved_id_resolves_the_same_with_a_provider_prefix(resolver, ident, prefix):
    bare = ident.rsplit("/", 1)[-1]
    expected = resolver.resolve(bare, as_of=SNAPSHOT).model

    assert resolver.resolve(prefix + bare, as_of=SNAPSHOT).model == expected


TOKENS = st.sampled_from(["mistral", "small", "llama", "gpt", "4o", "mini", "3", "3.1", "24b", "8x7b", "a3b", "2501",
                          "2025-01-30", "20250130", "instruct", "it", "fp8", "v2", "pro", "0613", "qwen3", "k2"])


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(TOKENS, min_size=1, max_size=6), sep=st.sampled_from(["-", "_"]),
       prefix=st.sampled_from(["", "mistralai/", "@cf/meta/", "us.anthropic."]), suffix=st.sampled_from(["", ":free"]))
def test_normalization_is_idempotent(tokens, sep, prefix, suffix):
    key = parse_id(prefix + sep.join(tokens) + suffix).key

    assert parse_id(key).key == key


@pytest.mark.parametrize(("token", "kind"), [("2503", "date"), ("1399", "version"), ("24b", "size"),
                                             ("8x7b", "size"), ("3.1", "version"), ("mini", "word")])
def test_token_kinds(token, kind):
    assert token_kind(token) == kind


def test_resolve_command_prints_the_rule():
    result = CliRunner().invoke(cli, ["resolve", "@cf/mistralai/mistral-small-3.1-24b-instruct", "--provider", "kilo"])

    assert result.exit_code == 0, result.output
    assert "curated -> mistral-small-2503" in result.output
    assert "rule:       maker-family-version-date" in result.output


def test_resolve_command_rejects_a_bad_date():
    result = CliRunner().invoke(cli, ["resolve", "mistral-small-latest", "--as-of", "yesterday"])

    assert result.exit_code == 1
    assert "--as-of 'yesterday'" in result.output


def test_bad_identity_table_names_the_file(tmp_path: Path):
    bad = tmp_path / "identity.toml"
    bad.write_text("[aliases]\nfoo = 3\n", encoding="utf-8")

    with pytest.raises(DataError, match=r"identity.toml: \[aliases\]"):
        IdentityTables.load(bad)


@pytest.mark.parametrize("text", ['[base_hosts]\nproviders = "openrouter"\n', "[not_models]\nids = [1]\n",
                                  "base_hosts = 3\n"])
def test_a_bad_list_in_the_identity_tables_names_the_table(tmp_path: Path, text: str):
    bad = tmp_path / "identity.toml"
    bad.write_text(text, encoding="utf-8")

    with pytest.raises(DataError, match=r"identity.toml: \[(base_hosts|not_models)\] (providers|ids) must be a list"):
        IdentityTables.load(bad)
