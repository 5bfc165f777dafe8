"""Compiled plans answer byte for byte what graphql-core answers: differential tests.

Random valid operations come from hypothesis-graphql (queries over the schema, with inline fragments on interfaces
and unions), rewritten here to also use what it does not generate: variables, named fragments, aliases and
``@skip``/``@include``; their string arguments are drawn from real ids and from ids, cursors and dates that fail.
Each runs through both executors of one engine, on curated and on imported data, and the two answers
(``data`` and ``errors``, as orjson bytes) must be equal.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNonNull,
    IntValueNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    print_ast,
    visit,
)
from graphql.utilities import value_from_ast_untyped
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis_graphql import queries

from modelatlas.graph import load_graph
from modelatlas.schema.build import schema
from modelatlas.schema.context import Context
from modelatlas.schema.engine import Deadline, Engine, TimeoutExceeded
from modelatlas.schema.ids import encode_cursor, to_global_id
from tests.conftest import TODAY

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "queries"
GRAPHQL_SCHEMA = schema._schema


def relaxed_engine() -> Engine:
    """Production rules (no introspection), limits wide enough for generated documents."""
    return Engine(production=True, max_depth=12, max_aliases=200, max_tokens=100_000, max_directives=200)


def answer(result: Any) -> bytes:
    return orjson.dumps({"data": result.data, "errors": [e.formatted for e in result.errors or ()]})


def both(engine: Engine, kg: Any, query: str, variables: dict[str, Any] | None = None,
         operation_name: str | None = None) -> tuple[bytes, bytes]:
    prepared = engine.prepare(query)
    assert not prepared.errors, (query, prepared.errors)
    context = Context(kg=kg, today=TODAY)
    reference = engine.execute(prepared, context, variables, operation_name, executor="reference")
    compiled = engine.execute(prepared, Context(kg=kg, today=TODAY), variables, operation_name, executor="compiled")
    return answer(compiled), answer(reference)


# ---------------------------------------------------------------- the bench queries and hand-written cases


def bench_cases() -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path in sorted(QUERIES.glob("*.graphql")):
        variables = QUERIES / f"{path.stem}.json"
        out.append((path.stem, path.read_text(), json.loads(variables.read_text()) if variables.exists() else {}))
    return out


@pytest.mark.parametrize("name,query,variables", bench_cases(), ids=[c[0] for c in bench_cases()])
def test_every_bench_query_runs_as_a_plan_with_the_reference_bytes(kg, name, query, variables):
    engine = relaxed_engine()
    compiled, reference = both(engine, kg, query, variables)
    assert compiled == reference
    assert b'"errors":[]' in compiled and engine.counts == {"compiled": 1, "fallback": 0, "reference": 1}


MODEL = "mistral-small-2402"
HAND_WRITTEN = [
    # fragments and inline fragments on an interface, __typename, aliases
    (('query($id: ID!) { node(id: $id) { __typename id ... on Model { slug name maker { ...Org } } '
     '... on Provider { kind } } } fragment Org on Organization { slug name __typename }'),
     {"id": to_global_id("Model", MODEL)}),
    ('{ a: node(id: "%s") { __typename ... on Organization { name models { slug } } } '
     'b: node(id: "%s") { id } }' % (to_global_id("Organization", "mistral"), to_global_id("Provider", "nope")), {}),
    # search hits: an interface field inside a list
    (('{ search(text: "mistral small", first: 5) { kind slug score node { __typename id ... on Model { status } '
     '... on Family { name } } } }'), {}),
    # @skip/@include with variables: one plan per set of values
    ('query($a: Boolean!, $b: Boolean = false) { model(id: "%s") { slug name @skip(if: $a) '
     'license @include(if: $b) { spdxId } offerings @include(if: $a) { slug } } }' % MODEL, {"a": True}),
    ('query($a: Boolean!, $b: Boolean = false) { model(id: "%s") { slug name @skip(if: $a) '
     'license @include(if: $b) { spdxId } offerings @include(if: $a) { slug } } }' % MODEL, {"a": False, "b": True}),
    # enums in arguments and outputs, input objects from variables, defaults
    ('query($o: OfferingOrder, $w: Float) { model(id: "%s") { offerings(orderBy: $o, inputWeight: $w) { slug '
     'blendedPrice(inputWeight: 1.5) status } } }' % MODEL, {"o": "INPUT_PRICE", "w": 2.0}),
    (('query($f: ModelFilter) { models(filter: $f, first: 3) { totalCount pageInfo { hasNextPage endCursor } '
     'edges { cursor node { slug status releaseDate } } } }'), {"f": {"status": "ACTIVE", "releasedAfter": "2024-01-01"}}),
    # errors: unknown ids, bad cursors, impossible dates, out-of-range arguments, null propagation
    ('{ model(id: "no-such-model") { slug } }', {}),
    ('{ models(first: 2, after: "not-a-cursor") { totalCount } }', {}),
    ('{ models(first: 2, after: "%s") { edges { cursor } } }' % encode_cursor("providers", 1), {}),
    ('query($d: Date) { models(filter: {releasedAfter: $d}) { totalCount } }', {"d": "2024-02-30"}),
    ('{ models(first: 1000) { totalCount } }', {}),
    ('{ lineage(modelId: "no-such-model") { root { slug } } x: model(id: "%s") { slug } }' % MODEL, {}),
    ('{ migrationPaths(fromModelId: "%s", first: 0) { score } }' % MODEL, {}),
    ('{ model(id: "%s") { claims(field: "noSuchField") { value } } }' % MODEL, {}),
    ('query($id: ID!) { model(id: $id) { slug } }', {"id": 5}),
    ('query($id: ID!) { model(id: $id) { slug } }', {}),
    ('query A { dataVersion } query B { model(id: "%s") { slug } }' % MODEL, {}),
]


@pytest.mark.parametrize("query,variables", HAND_WRITTEN, ids=[str(i) for i in range(len(HAND_WRITTEN))])
def test_hand_written_cases_answer_the_reference_bytes(kg, query, variables):
    name = "B" if query.startswith("query A") else None
    compiled, reference = both(relaxed_engine(), kg, query, variables, name)
    assert compiled == reference


def test_each_set_of_skip_and_include_values_has_its_own_plan(kg):
    engine = relaxed_engine()
    query = ('query($a: Boolean!, $b: Boolean!) { model(id: "%s") { slug name @skip(if: $a) ...M @include(if: $b) } }'
             ' fragment M on Model { license { spdxId } status }' % MODEL)
    answers = set()
    for a in (True, False):
        for b in (True, False):
            compiled, reference = both(engine, kg, query, {"a": a, "b": b})
            assert compiled == reference
            answers.add(compiled)
    assert len(answers) == 4 and engine.counts["compiled"] == 4


def test_a_request_with_errors_is_answered_by_the_reference():
    engine = relaxed_engine()
    kg = load_graph(imports=False, cache=False)
    prepared = engine.prepare('{ ok: model(id: "%s") { slug } bad: model(id: "nope") { slug } }' % MODEL)
    result = engine.execute(prepared, Context(kg=kg, today=TODAY))
    assert result.data == {"ok": {"slug": MODEL}, "bad": None}
    assert result.errors and result.errors[0].path == ["bad"]
    assert engine.counts == {"compiled": 0, "fallback": 1, "reference": 0}


def test_introspection_is_answered_by_the_reference_and_compiled_once(kg, monkeypatch):
    import modelatlas.schema.engine as engine_module

    engine = Engine(production=False)
    prepared = engine.prepare('{ __typename __schema { queryType { name } } dataVersion }')
    calls = []
    real = engine_module.compile_plan
    monkeypatch.setattr(engine_module, "compile_plan", lambda *a, **k: calls.append(1) or real(*a, **k))
    answers = {answer(engine.execute(prepared, Context(kg=kg, today=TODAY), executor=e)) for e in
               ("compiled", "reference", "compiled")}
    assert len(answers) == 1 and b'"queryType":{"name":"Query"}' in answers.pop()
    assert len(calls) == 1 and engine.counts == {"compiled": 0, "fallback": 2, "reference": 1}


def test_one_plan_per_document_and_operation_bounded_by_the_lru(kg):
    engine = Engine(production=True, plan_size=2)
    for i in range(4):
        prepared = engine.prepare('{ model(id: "%s") { slug n%d: name } }' % (MODEL, i))
        engine.execute(prepared, Context(kg=kg, today=TODAY))
        engine.execute(prepared, Context(kg=kg, today=TODAY))
    assert len(engine.plans) == 2 and engine.counts["compiled"] == 8


def test_the_executor_is_a_setting():
    from modelatlas.api.http import Settings

    assert Settings().executor == "compiled"
    assert Settings.from_env(executor="reference").executor == "reference"
    with pytest.raises(ValueError, match="MODELATLAS_EXECUTOR"):
        Settings.from_env(executor="fast")
    with pytest.raises(ValueError, match="executor must be one of"):
        Engine(executor="fast")


# ---------------------------------------------------------------- the deadline

SLOW = '{ models(first: 100) { edges { node { slug offerings { slug provider { slug name } blendedPrice } ' \
       'routers { router { slug } via { slug } } successors { model { slug } kind } } } } }'


class _CountingGraph:
    """A snapshot that counts reads of ``providers`` (one per offering's provider, route status, reach...) and
    spends the request's deadline at the ``at``-th read."""

    def __init__(self, kg: Any, deadline: Deadline, at: int) -> None:
        self._kg, self._deadline, self._at = kg, deadline, at
        self.reads: list[bool] = []  # per read: was the deadline already spent?

    def __getattr__(self, name: str) -> Any:
        if name == "providers":
            self.reads.append(self._deadline.aborted)
            if len(self.reads) == self._at:  # let the budget run out here
                time.sleep(max(0.0, self._deadline.at - time.monotonic()) + 0.001)
        return getattr(self._kg, name)


@pytest.mark.parametrize("executor", ["compiled", "reference"])
def test_a_spent_deadline_stops_execution_inside_the_operation(kg, executor):
    """The deadline passes during the run: it stops at the next list item (plan) or field (reference), not at the
    end: after it, at most the fields of the current list item run."""
    engine = Engine(production=True, executor=executor)
    prepared = engine.prepare(SLOW)
    unbounded = _CountingGraph(kg, Deadline(3600), 10**9)
    engine.execute(prepared, Context(kg=unbounded, today=TODAY))  # type: ignore[arg-type]
    stopped = _CountingGraph(kg, Deadline(0.5), 10)
    with pytest.raises(TimeoutExceeded):
        engine.execute(prepared, Context(kg=stopped, today=TODAY), deadline=stopped._deadline)  # type: ignore[arg-type]
    assert len(unbounded.reads) > 40
    assert len(stopped.reads) >= 10 and stopped.reads.count(True) <= 2, stopped.reads.count(True)


def test_a_deadline_counts_from_its_start():
    assert Deadline(0.5, start=time.monotonic() - 1).aborted and not Deadline(0.5).aborted


# ---------------------------------------------------------------- random operations (hypothesis-graphql)

ROOT_FIELDS = sorted(GRAPHQL_SCHEMA.query_type.fields) if GRAPHQL_SCHEMA.query_type else []
DATES = ["2024-01-01", "2024-02-30", "2026-11-25", "1999-13-01", "not a date"]


def pool(kg: Any) -> tuple[list[str], list[str]]:
    """Strings arguments are drawn from: (real ids of every kind, ids, cursors and names that fail)."""
    models = sorted(kg.models)[:: max(1, len(kg.models) // 12)]
    good = [MODEL, "mistral-small-2503", "mistral-small-latest", *models, *GLOBAL_IDS, *sorted(kg.providers)[:3], *sorted(kg.families)[:3],
            *sorted(kg.organizations)[:3], *sorted(kg.capabilities)[:3], *sorted(kg.licenses)[:3],
            *sorted(kg.routers)[:2], encode_cursor("models", 2), "mistral"]
    bad = [to_global_id("Family", "nope"), encode_cursor("providers", 0), "bad-cursor", "no-such-id", "", " ",
           "x" * 150, "contextWindow", "retirementDate", "gpt-99"]
    return good, bad


GLOBAL_IDS = [to_global_id("Model", MODEL), to_global_id("Model", "mistral-small-2503"),
              to_global_id("Provider", "mistral"), to_global_id("Organization", "mistral"),
              to_global_id("Family", "mistral-small"), to_global_id("License", "apache-2.0"),
              to_global_id("Capability", "function-calling"), to_global_id("Router", "openrouter")]
INTS = [0, 1, 2, 3, 5, 20]  # page sizes and depths that are valid for most arguments; others fail
BAD_INTS = [-1, 26, 101, 2**31 - 1]


class _Rewrite(Visitor):
    """Apply drawn choices to a generated document: string arguments from the pool, some literal arguments as
    variables, aliases, @skip/@include and named fragments."""

    def __init__(self, draw: st.DrawFn, strings: tuple[list[str], list[str]], type_info: TypeInfo) -> None:
        super().__init__()
        self.draw, self.type_info = draw, type_info
        good, bad = strings
        self.strings = st.one_of(st.sampled_from(good), st.sampled_from(good), st.sampled_from(good),
                                 st.sampled_from(good), st.sampled_from(bad))
        self.node_ids = st.one_of(st.sampled_from(GLOBAL_IDS), st.sampled_from(GLOBAL_IDS), st.sampled_from(bad))
        self.ints = st.one_of(st.sampled_from(INTS), st.sampled_from(INTS), st.sampled_from(INTS),
                              st.sampled_from(BAD_INTS))
        self.variables: dict[str, Any] = {}
        self.definitions: list[VariableDefinitionNode] = []
        self.fragments: list[FragmentDefinitionNode] = []
        self.count = 0

    def variable(self, type_node: Any, value: Any) -> VariableNode:
        self.count += 1
        name = f"v{self.count}"
        self.definitions.append(VariableDefinitionNode(variable=VariableNode(name=NameNode(value=name)),
                                                       type=type_node, directives=()))
        if value is not None or self.draw(st.booleans()):
            self.variables[name] = value
        return VariableNode(name=NameNode(value=name))

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> ArgumentNode | None:
        argument = self.type_info.get_argument()
        value: ValueNode = node.value
        named = get_named_type(argument.type).name if argument is not None else ""
        if isinstance(value, (StringValueNode, IntValueNode)) and named in ("String", "ID"):
            field = self.type_info.get_field_def()
            strings = self.node_ids if field is not None and get_named_type(field.type).name == "Node" else self.strings
            value = StringValueNode(value=self.draw(strings))
        elif isinstance(value, IntValueNode) and argument is not None:
            value = IntValueNode(value=str(self.draw(self.ints)))
        if argument is not None and not isinstance(value, VariableNode) and self.draw(st.integers(0, 2)) == 0:
            type_node = _type_node(argument.type)
            return ArgumentNode(name=node.name, value=self.variable(type_node, value_from_ast_untyped(value)))
        return ArgumentNode(name=node.name, value=value) if value is not node.value else None

    def leave_field(self, node: FieldNode, *_args: Any) -> FieldNode | FragmentSpreadNode | None:
        choice = self.draw(st.integers(0, 9))
        parent = self.type_info.get_parent_type()
        if choice == 0 and node.selection_set is not None and parent is not None:
            named = get_named_type(self.type_info.get_type())
            self.count += 1
            fragment = FragmentDefinitionNode(name=NameNode(value=f"F{self.count}"),
                                              type_condition=NamedTypeNode(name=NameNode(value=named.name)),
                                              directives=(), selection_set=node.selection_set)
            self.fragments.append(fragment)
            inner = FragmentSpreadNode(name=fragment.name, directives=())
            return FieldNode(alias=node.alias, name=node.name, arguments=node.arguments, directives=node.directives,
                             selection_set=SelectionSetNode(selections=(inner,)))
        directives = list(node.directives or ())
        alias = node.alias
        if choice in (1, 2):
            self.count += 1
            alias = NameNode(value=f"a{self.count}_{node.name.value}")
        if choice in (3, 4):
            name = "skip" if choice == 3 else "include"
            flag = self.draw(st.booleans())
            value: ValueNode = BooleanValueNode(value=flag)
            if self.draw(st.booleans()):
                value = self.variable(_type_node(GraphQLNonNull(GRAPHQL_SCHEMA.type_map["Boolean"])), flag)
                self.variables[value.name.value] = flag
            directives.append(DirectiveNode(name=NameNode(value=name), arguments=(
                ArgumentNode(name=NameNode(value="if"), value=value),)))
        if alias is node.alias and len(directives) == len(node.directives or ()):
            return None
        return FieldNode(alias=alias, name=node.name, arguments=node.arguments, directives=tuple(directives),
                         selection_set=node.selection_set)


def _type_node(type_: Any) -> Any:
    from graphql import ListTypeNode, NonNullTypeNode

    if isinstance(type_, GraphQLNonNull):
        return NonNullTypeNode(type=_type_node(type_.of_type))
    if hasattr(type_, "of_type"):
        return ListTypeNode(type=_type_node(type_.of_type))
    return NamedTypeNode(name=NameNode(value=type_.name))


@st.composite
def operations(draw: st.DrawFn, strings: tuple[list[str], list[str]]) -> tuple[str, dict[str, Any]]:
    """A random valid query with fragments, aliases, variables and directives, and its variables."""
    roots = draw(st.lists(st.sampled_from(ROOT_FIELDS), min_size=1, max_size=2, unique=True))
    document: DocumentNode = draw(queries(GRAPHQL_SCHEMA, fields=roots, print_ast=lambda d: d, allow_x00=False,
                                          custom_scalars={"Date": st.sampled_from(DATES).map(
                                              lambda d: StringValueNode(value=d))}))
    type_info = TypeInfo(GRAPHQL_SCHEMA)
    rewrite = _Rewrite(draw, strings, type_info)
    rewritten = visit(document, TypeInfoVisitor(type_info, rewrite))
    operation = rewritten.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    operation = OperationDefinitionNode(operation=operation.operation, name=NameNode(value="Q"),
                                        variable_definitions=tuple(rewrite.definitions), directives=(),
                                        selection_set=operation.selection_set)
    final = DocumentNode(definitions=(operation, *rewrite.fragments))
    return print_ast(final), rewrite.variables


def _check_random(engine: Engine, kg: Any, query: str, variables: dict[str, Any]) -> None:
    prepared = engine.prepare(query)
    if prepared.errors:  # a rewrite validation refuses: not an executor case (the generator test counts them)
        return
    flipped = {k: not v if isinstance(v, bool) else v for k, v in variables.items()}  # other @skip/@include plans
    for values in (variables, flipped):
        reference = engine.execute(prepared, Context(kg=kg, today=TODAY), values, "Q", executor="reference")
        compiled = engine.execute(prepared, Context(kg=kg, today=TODAY), values, "Q", executor="compiled")
        assert answer(compiled) == answer(reference), (query, values)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=st.data())
def test_random_operations_on_curated_data(data):
    kg = _curated()
    query, variables = data.draw(operations(pool(kg)))
    _check_random(_engine(), kg, query, variables)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=st.data())
def test_random_operations_on_imported_data(data):
    kg = _imported()
    query, variables = data.draw(operations(pool(kg)))
    _check_random(_engine(), kg, query, variables)


_STATE: dict[str, Any] = {}


def _curated() -> Any:
    if "curated" not in _STATE:
        _STATE["curated"] = load_graph(imports=False, cache=False)
    return _STATE["curated"]


def _imported() -> Any:
    if "imported" not in _STATE:
        _STATE["imported"] = load_graph(imports=True)
    return _STATE["imported"]


def _engine() -> Engine:
    if "engine" not in _STATE:
        _STATE["engine"] = relaxed_engine()
    return _STATE["engine"]


def test_the_generator_makes_what_it_promises():
    """Over a fixed sample, generated operations use variables, fragments, aliases and directives, and some run
    as plans while others fall back on errors."""
    kg = _curated()
    strings = pool(kg)
    seen = {"$": 0, "fragment ": 0, "@skip": 0, "@include": 0, "a": 0}
    engine = relaxed_engine()

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def sample(data):
        query, variables = data.draw(operations(strings))
        for marker in ("$", "fragment ", "@skip", "@include"):
            seen[marker] += marker in query
        seen["a"] += " a" in query and "_" in query
        prepared = engine.prepare(query)
        if not prepared.errors:
            engine.execute(prepared, Context(kg=kg, today=TODAY), variables, "Q")

    sample()
    assert all(seen.values()), seen
    assert engine.counts["compiled"] > 0 and engine.counts["fallback"] > 0, engine.counts


def test_impossible_dates_are_the_reference_errors(kg):
    query = '{ models(filter: {releasedBefore: "2024-02-30"}) { totalCount } }'
    engine = relaxed_engine()
    prepared = engine.prepare(query)
    if prepared.errors:  # a literal that does not coerce is refused by validation: nothing to execute
        return
    compiled, reference = both(engine, kg, query)
    assert compiled == reference
