"""The engine (prepared-document cache, graphql-core execution) answers exactly what strawberry's own execution answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelatlas.schema import schema
from modelatlas.schema.context import Context
from modelatlas.schema.engine import Engine
from tests.conftest import TODAY

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "queries"
EXTRA = [
    '{ model(id: "mistral-small-2402") { name status license { spdxId } successors { kind model { slug } } } }',
    '{ models(first: 30, orderBy: {field: RELEASE_DATE, direction: DESC}) { totalCount edges { cursor node { slug contextWindow } } } }',
    '{ lineage(modelId: "mistral-small-2402", direction: DESCENDANTS) { chain { slug } edges { kind validFrom } } }',
    '{ resolveAlias(name: "mistral-small-latest") { slug } providers(first: 5) { edges { node { name } } } }',
]


def cases():
    for path in sorted(QUERIES.glob("*.graphql")):
        variables = QUERIES / f"{path.stem}.json"
        yield path.stem, path.read_text(), json.loads(variables.read_text()) if variables.exists() else None
    for i, query in enumerate(EXTRA):
        yield f"extra-{i}", query, None


@pytest.mark.parametrize("name,query,variables", list(cases()), ids=[c[0] for c in cases()])
def test_fast_execution_equals_strawberry_execution(kg, name, query, variables):
    engine = Engine(production=True)
    prepared = engine.prepare(query)
    assert not prepared.errors, prepared.errors
    fast = engine.execute(prepared, Context(kg=kg, today=TODAY), variables)
    plain = schema.execute_sync(query, variable_values=variables, context_value=Context(kg=kg, today=TODAY))
    assert fast.errors is None and plain.errors is None, (fast.errors, plain.errors)
    assert fast.data == plain.data
