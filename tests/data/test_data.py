"""The shipped data validates; each kind of broken data fails with a clear error naming file, subject and property."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modelatlas.api.cli import app
from modelatlas.graph.load import default_data_dir

runner = CliRunner()

PREFIXES = (Path(default_data_dir()) / "README.md").read_text().split("## Prefixes (every file starts with these)")[1]
PREFIXES = PREFIXES.split("```turtle")[1].split("```")[0]


def test_shipped_data_is_valid():
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid:")


@pytest.fixture
def broken_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))

    def write(name: str, body: str) -> Path:
        path = target / name
        path.write_text(PREFIXES + body, encoding="utf-8")
        return target

    return write


def _validate(path: Path):
    result = runner.invoke(app, ["validate", str(path)])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_malformed_turtle_names_file_and_line(broken_copy):
    data = broken_copy("broken.ttl", "model:x a ma:Model ;\n    schema:name \"X\" ;;; ]\n")
    code, out = _validate(data)
    assert code == 1
    lines_before = PREFIXES.count("\n")
    assert f"broken.ttl:{lines_before + 2}: Turtle syntax error" in out


OFFERING = """
offering:test--neg a ma:Offering ;
    ma:model model:mistral-small-2402 ; ma:provider provider:mistral ; ma:routeId "neg" ;
    ma:inputPrice {price} ; ma:outputPrice 1.0 ;
    dcterms:source src:mistral-docs ; ma:citation "test" .
"""


def test_negative_price(broken_copy):
    code, out = _validate(broken_copy("neg.ttl", OFFERING.format(price="-0.5")))
    assert code == 1
    assert "neg.ttl: offering:test--neg ma:inputPrice:" in out and ">= 0" in out


MODEL = """
model:test-model a ma:Model ;
    schema:name "Test" ; ma:maker org:mistral ; ma:status "active" ;
    ma:license {license} ;
    dcterms:source src:mistral-docs ; ma:citation "test" .
"""


def test_unknown_license(broken_copy):
    code, out = _validate(broken_copy("lic.ttl", MODEL.format(license="license:no-such-license")))
    assert code == 1
    assert "lic.ttl: model:test-model ma:license:" in out and "license:no-such-license" in out


def test_dangling_reference(broken_copy):
    body = MODEL.format(license="license:apache-2.0").replace("org:mistral", "org:nobody")
    code, out = _validate(broken_copy("dangling.ttl", body))
    assert code == 1
    assert "dangling.ttl: model:test-model ma:maker:" in out and "org:nobody" in out


def test_missing_required_field(broken_copy):
    body = MODEL.format(license="license:apache-2.0").replace('ma:status "active" ;', "")
    code, out = _validate(broken_copy("missing.ttl", body))
    assert code == 1
    assert "missing.ttl: model:test-model ma:status:" in out and "required" in out


def test_cycle_in_next_version_links(broken_copy):
    body = """
link:test-cycle a ma:LineageLink ;
    ma:from model:mistral-small-2603 ; ma:to model:mistral-small-2402 ; ma:linkKind ma:NextVersion ;
    dcterms:source src:mistral-docs ; ma:citation "test" .
"""
    code, out = _validate(broken_copy("cycle.ttl", body))
    assert code == 1
    assert "ma:linkKind: next-version links form a cycle" in out
    assert "link:test-cycle (data/cycle.ttl)" in out and "model:mistral-small-2402" in out


def test_current_value_must_follow_precedence(broken_copy):
    body = """
claim:test-ret a ma:Claim ;
    ma:subject model:mistral-small-2402 ; ma:property ma:retirementDate ; ma:value "2030-01-01"^^xsd:date ;
    ma:asOf "2030-01-01"^^xsd:date ; dcterms:source src:mistral-docs ; ma:citation "test" .
"""
    code, out = _validate(broken_copy("prec.ttl", body))
    assert code == 1
    assert "model:mistral-small-2402 ma:retirementDate: current value 2025-06-16 is not the one the precedence rule picks" in out


def test_missing_path():
    code, out = _validate(Path("/no/such/dir"))
    assert code == 1 and "/no/such/dir: no such file or directory" in out


def test_stats_and_show_and_export(tmp_path):
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0, result.output
    assert "Model" in result.output and "load time" in result.output
    result = runner.invoke(app, ["show", "mistral-small-2402"])
    assert result.exit_code == 0, result.output
    assert "Mistral Small 1.0" in result.output
    assert "mistral-small-2409 -> mistral-small-2501 -> mistral-small-2503 -> mistral-small-2506 -> mistral-small-2603" in result.output
    assert "mistral.mistral-small-2402-v1:0" in result.output and "$1.0" in result.output
    assert "OpenRouter" in result.output or "LiteLLM" in result.output
    for fmt, marker in (("turtle", "@prefix"), ("nt", "<https://modelatlas.dev/"), ("jsonld", "@id"), ("graphml", "<graphml")):
        out = tmp_path / f"kg.{fmt}"
        result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert marker in out.read_text()[:5000]


def test_show_unknown_model():
    result = runner.invoke(app, ["show", "no-such-model"])
    assert result.exit_code == 1
    assert "no model with id 'no-such-model'" in (result.output + result.stderr)


def test_serve_rejects_bad_settings(monkeypatch):
    monkeypatch.setenv("MODELATLAS_PORT", "abc")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 1
    assert "MODELATLAS_PORT='abc'" in (result.output + result.stderr)
