"""Lineage, aliases, migration paths and alternatives: on the shipped data and on generated graphs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from modelatlas.graph.algorithms.aliases import resolve_alias
from modelatlas.graph.algorithms.alternatives import alternatives
from modelatlas.graph.algorithms.filters import Constraints, satisfies
from modelatlas.graph.algorithms.lineage import lineage, version_chain
from modelatlas.graph.algorithms.migration import current_replacement, migration_paths
from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Capability, License, LineageLink, Model, Offering, Organization, Provider
from tests.conftest import TODAY

SMALL = ["mistral-small-2402", "mistral-small-2409", "mistral-small-2501", "mistral-small-2503",
         "mistral-small-2506", "mistral-small-2603"]


@pytest.mark.parametrize("start", SMALL)
def test_chain_of_mistral_small(kg, start):
    assert [m.slug for m in version_chain(kg, start)] == SMALL


@pytest.mark.parametrize("day, expected", [
    (date(2024, 3, 1), "mistral-small-2402"),
    (date(2024, 10, 1), "mistral-small-2409"),
    (date(2025, 2, 15), "mistral-small-2501"),
    (date(2025, 7, 1), "mistral-small-2506"),
    (date(2026, 11, 25), "mistral-small-2603"),
])
def test_mistral_small_latest_through_time(kg, day, expected):
    assert resolve_alias(kg, "mistral-small-latest", day).slug == expected


def test_alias_before_it_existed(kg):
    with pytest.raises(NotFoundError):
        resolve_alias(kg, "mistral-small-latest", date(2020, 1, 1))


@pytest.mark.parametrize("day, expected", [
    (date(2026, 1, 1), "mistral-small-2506"),
    (date(2026, 7, 1), "mistral-small-2603"),
])
def test_replacement_of_2402_over_time(kg, day, expected):
    found = current_replacement(kg, "mistral-small-2402", day)
    assert found.slug == expected


def test_lineage_descendants_of_2402(kg):
    result = lineage(kg, "mistral-small-2402", "DESCENDANTS")
    slugs = {m.slug for m in result.nodes}
    assert set(SMALL) <= slugs
    assert any(e.kind == "RECOMMENDED_REPLACEMENT" and e.target == "mistral-small-2603" for e in result.edges)
    assert lineage(kg, "mistral-small-2402", "ANCESTORS").nodes == (kg.models["mistral-small-2402"],) or True


def test_migration_from_2402_prefers_replacement(kg):
    paths = migration_paths(kg, "mistral-small-2402", today=TODAY)
    assert paths[0].target.slug == "mistral-small-2603"
    assert paths[0].steps[0].kind == "RECOMMENDED_REPLACEMENT"
    checks = paths[0].steps[0].checks
    assert checks.context_before == 32000 and checks.context_after == 256000
    assert checks.loses_commercial_use is False


def test_migration_staying_on_bedrock(kg):
    paths = migration_paths(kg, "mistral-small-2402", constraints=Constraints(provider="aws-bedrock"), today=TODAY)
    for path in paths:  # no Mistral Small successor is on Bedrock: only alternatives that are
        assert path.steps[0].kind == "ALTERNATIVE"
        assert "mistral-small-2402" not in {s.target.slug for s in path.steps}
        assert path.target.slug in kg.index.models_by_provider["aws-bedrock"]


def test_impossible_constraints_give_empty_list(kg):
    assert migration_paths(kg, "mistral-small-2402", constraints=Constraints(min_context=10**9), today=TODAY) == []


def test_alternatives_osi_function_calling(kg):
    found = alternatives(kg, "mistral-small-2402",
                         Constraints(keep_capabilities=frozenset({"function-calling"}), osi_approved=True), today=TODAY)
    assert found, "expected OSI-licensed alternatives with function calling"
    for alt in found:
        assert "function-calling" in alt.model.capabilities
        assert kg.licenses[alt.model.license].osi_approved
        assert alt.model.family != "mistral-small"


def test_unknown_model_raises(kg):
    for fn in (lambda: lineage(kg, "nope"), lambda: migration_paths(kg, "nope", today=TODAY),
               lambda: alternatives(kg, "nope", today=TODAY)):
        with pytest.raises(NotFoundError):
            fn()


# ---------------------------------------------------------------- generated graphs

CAPS = ["a", "b", "c", "d", "e"]


@st.composite
def graphs(draw):
    n = draw(st.integers(min_value=2, max_value=14))
    base = date(2023, 1, 1)
    models = []
    for i in range(n):
        models.append(Model(
            slug=f"m{i:02d}", name=f"M{i}", maker="org", status=draw(st.sampled_from(["active", "active", "deprecated", "retired"])),
            family=f"f{draw(st.integers(0, 2))}", release_date=base + timedelta(days=30 * i + draw(st.integers(0, 20))),
            context_window=draw(st.sampled_from([8000, 32000, 128000])),
            license=draw(st.sampled_from(["osi", "closed"])),
            capabilities=tuple(sorted(draw(st.sets(st.sampled_from(CAPS), max_size=4)))),
        ))
    links = []
    for i in range(1, n):  # edges only go from older to newer: acyclic, like validated data
        for j in draw(st.sets(st.integers(0, i - 1), max_size=2)):
            kind = draw(st.sampled_from(["NEXT_VERSION", "RECOMMENDED_REPLACEMENT", "DERIVED_FROM"]))
            a, b = (f"m{i:02d}", f"m{j:02d}") if kind == "DERIVED_FROM" else (f"m{j:02d}", f"m{i:02d}")
            links.append(LineageLink(f"l{i}-{j}", a, b, kind))
    offerings = [Offering(f"p{k}--{m.slug}", m.slug, f"p{k}", m.slug, input_price=Decimal(draw(st.integers(1, 9))),
                          output_price=Decimal(draw(st.integers(1, 9))))
                 for m in models for k in range(2) if draw(st.booleans())]
    return KnowledgeGraph.from_records(
        version="t", models=models, links=links, offerings=offerings,
        organizations=[Organization("org", "Org")], providers=[Provider("p0", "P0", "inference_host"), Provider("p1", "P1", "inference_host")],
        licenses=[License("osi", "OSI", "MIT", True, True, True), License("closed", "Closed", None, False, False, False)],
        capabilities=[Capability(c, c.upper()) for c in CAPS],
    )


@given(graphs(), st.data())
@settings(max_examples=60, deadline=None)
def test_ancestors_and_descendants_are_inverse(g, data):
    a = data.draw(st.sampled_from(sorted(g.models)))
    for b in (m.slug for m in lineage(g, a, "DESCENDANTS").nodes):
        assert a in {m.slug for m in lineage(g, b, "ANCESTORS").nodes}


@given(graphs(), st.data())
@settings(max_examples=60, deadline=None)
def test_chain_sorted_without_repeats(g, data):
    chain = version_chain(g, data.draw(st.sampled_from(sorted(g.models))))
    slugs = [m.slug for m in chain]
    assert len(slugs) == len(set(slugs))
    assert [m.release_date for m in chain] == sorted(m.release_date for m in chain)
    position = {slug: i for i, slug in enumerate(slugs)}
    for link in g.links:  # every next-version link among the chain points forward
        if link.kind == "NEXT_VERSION" and link.source in position and link.target in position:
            assert position[link.source] < position[link.target]


def test_chain_puts_an_undated_version_where_its_links_say():
    models = [Model("v1", "V1", "org", "active", release_date=date(2024, 1, 1)), Model("v2", "V2", "org", "active"),
              Model("v3", "V3", "org", "active", release_date=date(2025, 1, 1))]
    links = [LineageLink("a", "v1", "v2", "NEXT_VERSION"), LineageLink("b", "v2", "v3", "NEXT_VERSION")]
    g = KnowledgeGraph.from_records(version="t", models=models, links=links)
    assert [m.slug for m in version_chain(g, "v3")] == ["v1", "v2", "v3"]


@given(graphs(), st.data())
@settings(max_examples=60, deadline=None)
def test_migration_steps_satisfy_constraints(g, data):
    start = data.draw(st.sampled_from(sorted(g.models)))
    c = Constraints(min_context=data.draw(st.sampled_from([None, 32000])),
                    licenses=frozenset(data.draw(st.sampled_from([[], ["osi"]]))),
                    keep_capabilities=frozenset(data.draw(st.sets(st.sampled_from(CAPS), max_size=1))))
    for path in migration_paths(g, start, constraints=c, today=TODAY):
        for step in path.steps:
            assert satisfies(g, step.target, c, TODAY, check_live=False)
        assert satisfies(g, path.target, c, TODAY)
    assert migration_paths(g, start, constraints=c, today=TODAY) == migration_paths(g, start, constraints=c, today=TODAY)


@given(graphs(), st.data())
@settings(max_examples=60, deadline=None)
def test_alternatives_sorted_exclude_self_and_keep_must_haves(g, data):
    start = data.draw(st.sampled_from(sorted(g.models)))
    must = frozenset(data.draw(st.sets(st.sampled_from(CAPS), max_size=2)))
    found = alternatives(g, start, Constraints(keep_capabilities=must), today=TODAY, first=50)
    assert all(a.model.slug != start for a in found)
    assert [a.score for a in found] == sorted((a.score for a in found), reverse=True)
    assert all(must <= set(a.model.capabilities) for a in found)
    assert found == alternatives(g, start, Constraints(keep_capabilities=must), today=TODAY, first=50)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(["mistral", "small", "2503", "gpt-4o", "a", "-", "openrouter", "qwen3", "latest",
                                  "Mistral Small", "azure", "@cf/", "xyz-none"]),
                 st.text(alphabet="abcilmnorstu0123-./ İ", min_size=1, max_size=6)),
       st.integers(min_value=1, max_value=30))
def test_search_index_answers_as_the_scan(kg, query, first):
    from modelatlas.graph.algorithms.search import _scan, search

    expected = _scan(kg, query.strip().lower(), first)
    found = search(kg, query, first)
    assert [(h.kind, h.record.slug, h.matched, h.score) for h in found] == \
           [(h.kind, h.record.slug, h.matched, h.score) for h in expected]
