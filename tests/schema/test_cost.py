"""The cost estimate: what it counts, and that it only grows when a query asks for more."""

from __future__ import annotations

from graphql import parse
from hypothesis import given, settings, strategies as st

from modelatlas.schema import schema
from modelatlas.schema.cost import DEFAULT_LIST_SIZE, estimate_cost

SCHEMA = schema._schema
SCALARS = ["slug", "name", "contextWindow", "releaseDate", "status", "openWeights"]
OFFERING_FIELDS = ["routeId", "inputPrice", "outputPrice"]


def cost(query: str, **kwargs) -> int:
    return estimate_cost(SCHEMA, parse(query), **kwargs)


def test_lists_multiply_by_first_or_the_default():
    assert cost('{ model(id: "x") { name } }') == 2
    assert cost('{ model(id: "x") { offerings { routeId } } }') == 2 + DEFAULT_LIST_SIZE
    assert cost('{ models(first: 5) { edges { node { name } } } }') == 1 + 1 + 5 + 5
    assert cost('query Q($n: Int) { models(first: $n) { edges { node { name } } } }', variables={"n": 50}) == 1 + 1 + 50 + 50


def test_fragments_cost_where_they_are_spread():
    inline = cost('{ a: model(id: "x") { name slug } b: model(id: "y") { name slug } }')
    spread = cost('fragment F on Model { name slug } { a: model(id: "x") { ...F } b: model(id: "y") { ...F } }')
    assert inline == spread == 6


def test_the_named_operation_is_the_one_counted():
    doc = 'query A { dataVersion } query B { model(id: "x") { name slug } }'
    assert cost(doc, operation_name="A") == 1 and cost(doc, operation_name="B") == 3


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SCALARS), min_size=1, unique=True), st.lists(st.sampled_from(OFFERING_FIELDS), unique=True),
       st.sampled_from(SCALARS + OFFERING_FIELDS), st.integers(min_value=1, max_value=100))
def test_asking_for_more_never_costs_less(scalars, offering_fields, extra, first):
    offerings = f"offerings {{ {' '.join(offering_fields)} }}" if offering_fields else ""
    base = f"{{ models(first: {first}) {{ edges {{ node {{ {' '.join(scalars)} {offerings} }} }} }} }}"
    base_cost = cost(base)
    assert base_cost >= first * len(scalars)
    more = base.replace("node {", f"node {{ {extra if extra in SCALARS else 'offerings { ' + extra + ' }'}", 1)
    assert cost(more) > base_cost
    bigger_page = base.replace(f"first: {first})", f"first: {first + 1})", 1)
    assert cost(bigger_page) > base_cost


def test_nesting_fragments_does_not_escape_the_estimate():
    query = '{ models(first: 100) { edges { node { slug offerings { routeId } } } } }'
    wrapped = "{ " + "... on Query { " * 51 + query[1:-1] + " }" * 51 + " }"
    assert cost(wrapped) >= cost(query) > 0


def test_unset_variables_cost_their_default():
    query = 'query($n: Int = 100) { models(first: $n) { edges { node { slug } } } }'
    assert cost(query) == cost('{ models(first: 100) { edges { node { slug } } } }')
    assert cost(query, variables={"n": 5}) == cost('{ models(first: 5) { edges { node { slug } } } }')


def test_a_plain_lists_first_does_not_size_the_lists_below_it():
    small = cost('{ search(text: "x", first: 1) { slug } }')
    nested = cost('{ search(text: "x", first: 1) { slug node { ... on Provider { offerings { routeId } } } } }')
    assert nested - small >= DEFAULT_LIST_SIZE


def test_known_list_sizes_replace_the_default(kg):
    from modelatlas.schema.cost import list_sizes

    sizes = list_sizes(kg)
    query = '{ provider(id: "openrouter") { offerings { routeId } } }'
    assert cost(query, sizes=sizes) == 2 + sizes["Provider.offerings"]
    assert cost(query) == 2 + DEFAULT_LIST_SIZE
