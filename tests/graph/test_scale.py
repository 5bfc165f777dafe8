"""Issue 6, scale: the synthetic catalog, the loader (Oxigraph table, compiled shapes against pyshacl), the
signature index behind alternatives, and ``bench-scale`` at a tiny size. No timings are asserted here."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modelatlas.api.cli import app
from modelatlas.graph import ValidationError, load_graph
from modelatlas.graph.algorithms.alternatives import alternatives
from modelatlas.graph.load import default_data_dir
from modelatlas.graph.shapes_compiled import UnsupportedShapeError, compile_shapes
from modelatlas.graph.similarity import similarity
from modelatlas.graph.synth import AS_OF, write_catalog
from modelatlas.graph.table import read_table
from modelatlas.graph.validate import problems_of, read_shapes

runner = CliRunner()


def load_curated(paths):
    return load_graph(paths, imports=False, cache=False)


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory) -> Path:
    return write_catalog(tmp_path_factory.mktemp("synth") / "s", models=300, seed=3).root


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.ttl")):
        digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_synth_is_valid_and_has_the_requested_size(tmp_path):
    result = runner.invoke(app, ["synth", "--models", "120", "--seed", "5", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "wrote 120 models" in result.output
    checked = runner.invoke(app, ["validate", str(tmp_path / "s")])  # the reference validator: pyshacl
    assert checked.exit_code == 0, checked.output
    kg = load_curated([tmp_path / "s"])
    assert len(kg.models) == 120


def test_synth_is_deterministic_for_a_seed(tmp_path):
    a = write_catalog(tmp_path / "a", models=80, seed=11)
    b = write_catalog(tmp_path / "b", models=80, seed=11)
    c = write_catalog(tmp_path / "c", models=80, seed=12)
    assert a.counts == b.counts
    assert _tree_hash(a.root) == _tree_hash(b.root) != _tree_hash(c.root)


def test_synth_has_the_shapes_of_the_real_landscape(synth_dir):
    kg = load_curated([synth_dir])
    kinds = {link.kind for link in kg.links}
    assert {"NEXT_VERSION", "RECOMMENDED_REPLACEMENT", "DERIVED_FROM"} <= kinds
    routes = sorted((len(kg.index.offerings_by_model.get(m, ())) for m in kg.models), reverse=True)
    assert routes[0] >= 4 and routes[len(routes) // 2] <= 1  # a few popular models on many providers, a long tail
    assert len({m.license for m in kg.models.values()}) >= 4
    assert kg.bindings and kg.claims
    assert {m.status for m in kg.models.values()} >= {"active", "retired"}


@pytest.mark.parametrize("which", ["curated", "synthetic"])
def test_compiled_shapes_and_pyshacl_pass_the_same_data(which, synth_dir):
    data = read_table(None if which == "curated" else [synth_dir])
    assert problems_of(data) == problems_of(data, reference=True) == []


BROKEN = """
model:broken-a a ma:Model ; schema:name "A" ; ma:maker org:no-such-org ; ma:status "gone" ;
    ma:contextWindow -5 ; ma:releaseDate "2024-13-45"^^xsd:date ; ma:huggingFaceRepo "not a repo" ;
    ma:license license:no-such-license ; ma:inputModality "smell" ; dcterms:source src:nowhere ; ma:citation "x" .
model:broken-b a ma:Model ; schema:name "B", "B2" ; ma:status "active" ; ma:parameters "many" ;
    ma:knowledgeCutoff "last year" ; dcterms:source src:mistral-docs ; ma:citation "x" .
offering:broken-o a ma:Offering ; ma:model model:broken-b ; ma:routeId "" ; ma:inputPrice -0.5 ;
    ma:routeType "teleport" ; dcterms:source src:mistral-docs ; ma:citation "x" .
link:broken-l a ma:LineageLink ; ma:from model:broken-b ; ma:linkKind ma:Sideways ; ma:to "b" ;
    dcterms:source src:mistral-docs ; ma:citation "x" .
claim:broken-c a ma:Claim ; ma:subject "not an iri" ; ma:property ma:contextWindow ; ma:rejected "perhaps" ;
    dcterms:source src:mistral-docs ; ma:citation "x" .
"""


def test_compiled_shapes_find_what_pyshacl_finds(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for path in default_data_dir().glob("*.ttl"):
        (data / path.name).write_bytes(path.read_bytes())
    prefixes = (default_data_dir() / "README.md").read_text().split("```turtle")[-1].split("```")[0]
    (data / "broken.ttl").write_text(prefixes + BROKEN, encoding="utf-8")

    table = read_table([data])
    reference, compiled = problems_of(table, reference=True), problems_of(table)
    assert len(reference) >= 20
    assert {(p.file, p.subject, p.property) for p in compiled} == {(p.file, p.subject, p.property) for p in reference}
    with_message = [p for p in reference if not p.message.startswith(("Less than", "More than", "Value ", "String "))]
    assert with_message and set(with_message) <= set(compiled)  # where a shape has sh:message, the same text
    with pytest.raises(ValidationError):
        load_curated([data])


def test_shapes_the_compiler_does_not_know_are_refused():
    shapes = read_shapes()
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ma: <https://modelatlas.dev/ns#> .
        <urn:s> a sh:NodeShape ; sh:targetClass ma:Model ; sh:property [ sh:path ma:status ; sh:maxLength 3 ] .""",
                 format="turtle")
    with pytest.raises(UnsupportedShapeError, match="maxLength"):
        compile_shapes(shapes)
    assert compile_shapes(read_shapes()).by_class  # the shipped shapes compile


def test_syntax_errors_name_the_file(tmp_path):
    (tmp_path / "bad.ttl").write_text("@prefix ma: <https://modelatlas.dev/ns#> .\nma:x ma:y ;;; ]\n")
    with pytest.raises(Exception, match="bad.ttl"):
        load_curated([tmp_path])


def _brute_force(kg, slug: str, first: int) -> list[tuple[str, float]]:
    """The definition of alternatives without any index: score every model, filter, sort."""
    from modelatlas.graph.algorithms.filters import Constraints, satisfies

    model = kg.models[slug]
    found = []
    for cand in kg.models.values():
        shares = set(cand.capabilities) & set(model.capabilities) or set(cand.suited_for) & set(model.suited_for)
        if cand.slug == slug or not shares or (model.family and cand.family == model.family):
            continue
        if not satisfies(kg, cand, Constraints(), AS_OF) or similarity(model, cand) <= 0:
            continue
        offer = next(iter(kg.offerings_of(cand.slug)), None)
        price = offer.blended_price() if offer and offer.blended_price() is not None else float("inf")
        found.append((-similarity(model, cand), -(cand.context_window or 0), price, cand.slug))
    return [(key[3], -key[0]) for key in sorted(found)[:first]]


def test_alternatives_match_a_brute_force_scan(synth_dir):
    kg = load_curated([synth_dir])
    for slug in random.Random(0).sample(sorted(kg.models), 40):
        got = [(a.model.slug, a.score) for a in alternatives(kg, slug, today=AS_OF, first=7)]
        assert got == _brute_force(kg, slug, 7), slug


def test_bench_scale_prints_the_table(tmp_path):
    result = runner.invoke(app, ["bench-scale", "--sizes", "40", "--queries", "10", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "| models |" in result.output and "| 40 |" in result.output
    assert (tmp_path / "results.json").exists() and (tmp_path / "results.md").exists()


def test_synth_never_overwrites_a_directory_it_did_not_write(tmp_path):
    from typer.testing import CliRunner

    from modelatlas.api.cli import app

    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "providers.ttl").write_text("# hand-written\n")
    result = CliRunner().invoke(app, ["synth", "--models", "5", "-o", str(precious)])
    assert result.exit_code == 1 and "refusing to overwrite" in result.output
    assert (precious / "providers.ttl").read_text() == "# hand-written\n"
    out = tmp_path / "synth"
    for _ in range(2):  # its own output it may replace
        assert CliRunner().invoke(app, ["synth", "--models", "5", "-o", str(out)]).exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


def test_bad_sizes_and_unwritable_cache_are_clear_errors(tmp_path):
    from typer.testing import CliRunner

    from modelatlas.api.cli import app

    result = CliRunner().invoke(app, ["bench-scale", "--sizes", "abc", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "--sizes 'abc'" in result.output
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(app, ["import", "--cache-dir", str(blocker / "cache")])
    assert result.exit_code == 1 and "cannot write the compiled cache" in result.output
    result = CliRunner().invoke(app, ["resolve", " "])
    assert result.exit_code == 1 and "ID is empty" in result.output
