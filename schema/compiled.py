"""Compiled execution: one validated operation turned, once, into Python functions that answer it.

graphql-core's executor interprets the document for every value it returns: it collects the fields of each object
again, builds an info object and a path per field, looks up the completer of the return type, checks every value
for awaitables. A plan does that work once per document. ``compile_plan`` walks the operation with graphql-core's
own field collection (so merging, fragments, inline fragments and ``@skip``/``@include`` are exactly its), and
writes one function per selection set and per list, with the field's resolver, its argument values and its
completion spelled out. Per request only the variables are coerced (and the arguments that read them converted).

The plan answers only the requests it can answer exactly: the first exception of any kind (a resolver's error, a
null in a non-null field, a value of the wrong type, an argument that does not convert) stops it with
:class:`Bail`, and the engine answers that request with graphql-core instead, so errors, their paths and locations,
and null propagation are graphql-core's own. The deadline is checked before every list item.

>>> from graphql import parse
>>> from modelatlas.graph import load_graph
>>> from modelatlas.schema.context import Context
>>> from datetime import date
>>> document = parse('{ model(id: "mistral-small-2402") { name status license { spdxId } } }')
>>> plan = compile_plan(document, None, {})
>>> plan.run(Context(kg=load_graph(imports=False, cache=False), today=date(2026, 11, 25)), {})
{'model': {'name': 'Mistral Small 1.0 (v24.02)', 'status': 'RETIRED', 'license': {'spdxId': None}}}
"""

from __future__ import annotations

import contextlib
import inspect
import keyword
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, NoReturn

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLFloat,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableNode,
    default_type_resolver,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_fields, collect_subfields
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.language import DirectiveNode, Visitor, visit
from graphql.pyutils import Path, Undefined, is_iterable
from strawberry.schema import Schema as StrawberrySchema
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

from modelatlas.schema.build import schema as default_schema

__all__ = ["Bail", "Plan", "Uncompilable", "compile_plan", "directive_variables", "select_operation"]


class Bail(Exception):
    """The plan cannot answer this request exactly; graphql-core will."""


class Uncompilable(Exception):
    """The operation uses something plans do not cover (introspection, a resolver that is not strawberry's)."""


class _Info:
    """What a resolver gets as ``info`` inside a plan: the request's context, nothing else. Reading anything
    else stops the plan (the request is answered by graphql-core, with a real Info)."""

    __slots__ = ("context",)

    def __init__(self, context: object) -> None:
        self.context = context

    def __getattr__(self, name: str) -> NoReturn:
        raise Bail(f"a resolver read info.{name}")


class Request:
    """The per-request state a plan reads: the info, the converted arguments that depend on variables, the
    coerced variables (for abstract types' resolvers) and the deadline (``monotonic()`` time; inf for none)."""

    __slots__ = ("args", "at", "context", "info", "timeout", "variables")

    def __init__(self, context: object, variables: VariableValues, args: list[dict[str, Any]], at: float,
                 timeout: Callable[[], BaseException]) -> None:
        self.context, self.variables, self.args, self.at, self.timeout = context, variables, args, at, timeout
        self.info = _Info(context)


def _no_timeout() -> BaseException:  # pragma: no cover - an infinite deadline never passes
    return Bail("deadline")


@dataclass(frozen=True)
class _Binding:
    """Arguments of one field that read variables: converted once per request, before the plan runs."""

    field_def: GraphQLField
    node: FieldNode
    field: StrawberryField


class Plan:
    """One operation of one document, compiled for one set of ``@skip``/``@include`` variable values."""

    def __init__(self, root: Callable[[Request], dict[str, Any]], operation: OperationDefinitionNode,
                 bindings: list[_Binding], source: str, strawberry: StrawberrySchema, hide_suggestions: bool) -> None:
        self._root, self.operation, self._bindings, self.source = root, operation, bindings, source
        self._schema: GraphQLSchema = strawberry._schema
        self._registry = strawberry.schema_converter.scalar_registry
        self._config = strawberry.config
        self._hide = hide_suggestions

    @property
    def size(self) -> int:
        """Its size in bytes, as a cache counts it: tracemalloc measured ~6 bytes per character of generated source
        plus ~6 KB (functions, code objects, constants; the model page's plan: 59 KB); this says 8 and 8 KB."""
        return 8 * len(self.source) + 8192

    def coerce(self, raw: Mapping[str, Any] | None) -> VariableValues:
        """The operation's variables coerced as graphql-core coerces them; Bail on any coercion error."""
        coerced = get_variable_values(self._schema, self.operation.variable_definitions or (), dict(raw or {}),
                                      max_errors=50, hide_suggestions=self._hide)
        if isinstance(coerced, list):
            raise Bail("variables")
        return coerced

    def run(self, context: object, raw_variables: Mapping[str, Any] | None, at: float = math.inf,
            timeout: Callable[[], BaseException] = _no_timeout, variables: VariableValues | None = None) -> Any:
        """The operation's ``data``; Bail when graphql-core must answer, ``timeout()`` once ``at`` has passed."""
        values = variables if variables is not None else self.coerce(raw_variables)
        args = [self._arguments(b, values) for b in self._bindings]
        return self._root(Request(context, values, args, at, timeout))

    def _arguments(self, binding: _Binding, values: VariableValues) -> dict[str, Any]:
        raw = get_argument_values(binding.field_def, binding.node, values, None, self._hide)
        return convert_arguments(raw, binding.field.arguments, scalar_registry=self._registry, config=self._config)


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    """The operation graphql-core would run for ``operation_name`` (None when it would refuse)."""
    found = None
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if operation_name is None:
                if found is not None:
                    return None
                found = definition
            elif definition.name and definition.name.value == operation_name:
                found = definition
    return found


def directive_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables that ``@skip``/``@include`` read: the fields a plan holds depend on their values only.

    >>> from graphql import parse
    >>> directive_variables(parse('query($a: Boolean!, $b: Int) { x @skip(if: $a) y(n: $b) }'))
    ('a',)
    """
    names: set[str] = set()

    class Finder(Visitor):
        def enter_directive(self, node: DirectiveNode, *_args: object) -> None:
            if node.name.value in ("skip", "include"):
                for argument in node.arguments or ():
                    if isinstance(argument.value, VariableNode):
                        names.add(argument.value.name.value)

    visit(document, Finder())
    return tuple(sorted(names))


# ---------------------------------------------------------------- completion helpers the generated code calls


MEMO_ENTRIES = 1024  # leaf values remembered per enum type (values of the data: a few dozen)


def _leaf(type_: GraphQLScalarType | GraphQLEnumType, non_null: bool) -> Callable[[Any], Any]:
    """graphql-core's completion of a leaf: null (Bail for a non-null type), else ``coerce_output_value``, which
    must not give None/Undefined (Bail instead of graphql-core's TypeError).

    Enum values are looked up in a table made by the enum's own coercion (members, and each other hashable value
    once coerced, keyed by type and value). Float has graphql-core's Decimal rule inline: a finite float of it."""
    coerce = type_.coerce_output_value
    names = _enum_names(type_) if isinstance(type_, GraphQLEnumType) else None
    enum, table = names if names is not None else (None, {})
    memo: dict[tuple[type, Any], Any] = {}
    decimal_floats = type_ is GraphQLFloat and coerce is GraphQLFloat.coerce_output_value

    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            if non_null:
                raise Bail("null in a non-null field")
            return None
        if type(value) is enum and value in table:
            return table[value]
        if decimal_floats and type(value) is Decimal and value.is_finite():
            number = float(value)  # what serialize_float does with a numeric object
            if number - number == 0.0:
                return number
        if names is not None and value.__hash__ is not None:
            found = memo.get((type(value), value))
            if found is not None:
                return found
        if isinstance(value, Exception):
            raise Bail("an exception as a value")
        out = coerce(value)
        if out is None or out is Undefined:
            raise Bail("a leaf coerced to null")
        if names is not None and value.__hash__ is not None and len(memo) < MEMO_ENTRIES:
            memo[(type(value), value)] = out
        return out

    return complete


def _enum_names(type_: GraphQLEnumType) -> tuple[type, dict[Any, str]] | None:
    """(Python enum class, member -> name) for a strawberry enum, each name computed by its own coercion."""
    wrapped = getattr(type_, "wrapped_cls", None)
    if not (isinstance(wrapped, type) and issubclass(wrapped, Enum)):
        return None
    names = {}
    for member in wrapped:
        with contextlib.suppress(Exception):  # a member that does not coerce takes the slow path, failing the same way
            names[member] = type_.coerce_output_value(member)
    return wrapped, names


def _objects(values: Any, rq: Request, item: Callable[[Any, Request], Any]) -> list[Any]:
    """A list of non-null objects: each completed by ``item``, the deadline checked before each."""
    if type(values) is not list and type(values) is not tuple and (isinstance(values, Exception)
                                                                     or not is_iterable(values)):
        raise Bail("not a list")
    at = rq.at
    out: list[Any] = []
    add = out.append
    for value in values:
        if time.monotonic() >= at:
            raise rq.timeout()
        if value is None or value is Undefined:
            raise Bail("null in a list of non-null items")
        add(item(value, rq))
    return out


def _nullable_objects(values: Any, rq: Request, item: Callable[[Any, Request], Any]) -> list[Any]:
    """A list of objects that may be null."""
    if type(values) is not list and type(values) is not tuple and (isinstance(values, Exception)
                                                                     or not is_iterable(values)):
        raise Bail("not a list")
    at = rq.at
    out: list[Any] = []
    add = out.append
    for value in values:
        if time.monotonic() >= at:
            raise rq.timeout()
        add(None if value is None or value is Undefined else item(value, rq))
    return out


def _raise_bail() -> NoReturn:
    raise Bail("a field whose literal arguments do not convert")


def _abstract_resolver(abstract: GraphQLAbstractType, field_name: str, key: str, nodes: list[FieldNode],
                       parent: GraphQLObjectType, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                       operation: OperationDefinitionNode) -> Callable[[Any, Request], Any]:
    """The runtime type name of a value of an interface or union, found as graphql-core finds it (with a real info)."""
    resolve_type = abstract.resolve_type or default_type_resolver
    field_def = schema.get_field(parent, field_name)
    return_type = field_def.type if field_def else abstract
    path = Path(None, key, parent.name)

    def runtime_type(value: Any, rq: Request) -> Any:
        info: GraphQLResolveInfo[Any] = GraphQLResolveInfo(
            field_name, nodes, return_type, parent, path, schema, fragments, None, operation, rq.variables,
            rq.context, _never_awaitable, None, None)  # type: ignore[arg-type]
        return resolve_type(value, info, abstract)

    return runtime_type


def _never_awaitable(_value: Any) -> bool:
    return False


# ---------------------------------------------------------------- the compiler


class _Compiler:
    def __init__(self, strawberry: StrawberrySchema, document: DocumentNode, operation: OperationDefinitionNode,
                 variables: VariableValues, hide_suggestions: bool) -> None:
        self.strawberry = strawberry
        self.schema: GraphQLSchema = strawberry._schema
        self.document, self.operation, self.variables = document, operation, variables
        self.hide = hide_suggestions
        self.fragments = {d.name.value: FragmentDetails(d) for d in document.definitions
                          if isinstance(d, FragmentDefinitionNode)}
        self.fragment_nodes = {name: f.definition for name, f in self.fragments.items()}
        self.namespace: dict[str, Any] = {"B": Bail, "U": Undefined, "MONO": time.monotonic, "IT": is_iterable,
                                          "LIST": list, "TUPLE": tuple, "EXC": Exception}
        self.constants: dict[int, str] = {}
        self.lines: list[str] = []
        self.bindings: list[_Binding] = []
        self.count = 0
        self.leaf_helpers: dict[tuple[str, bool], Callable[[Any], Any]] = {}
        self.leaf_lists: dict[str, str] = {}
        self.needs_info = False  # whether the object function being written passes ``info`` to a resolver
        if strawberry.schema_converter.exception_handlers:
            raise Uncompilable("the schema has exception handlers")

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, value: object, prefix: str = "K") -> str:
        """A name for ``value`` in the generated module (one per object)."""
        found = self.constants.get(id(value))
        if found is None:
            found = self.constants[id(value)] = self.name(prefix)
            self.namespace[found] = value
        return found

    # ------------------------------------------------------------ selection sets
    def root(self) -> str:
        root_type = self.schema.get_root_type(self.operation.operation)
        if root_type is None or self.operation.operation.value != "query":
            raise Uncompilable("only queries are compiled")
        grouped = collect_fields(self.schema, self.fragments, self.variables, root_type, self.operation,
                                 self.hide).grouped_field_set
        return self.object_function(root_type, grouped, check=False)

    def subfields(self, type_: GraphQLObjectType, details: list[FieldDetails]) -> dict[str, list[FieldDetails]]:
        return collect_subfields(self.schema, self.fragments, self.variables, self.operation, type_, details,
                                 self.hide).grouped_field_set

    def object_function(self, type_: GraphQLObjectType, grouped: Mapping[str, list[FieldDetails]],
                        check: bool = True) -> str:
        """A function (value, rq) -> the completed object: graphql-core's complete_object_value for ``type_``."""
        fname = self.name("o")
        body: list[str] = []
        if check and type_.is_type_of is not None:
            record_type = getattr(type_.is_type_of, "record_type", None)
            if isinstance(record_type, type):
                body.append(f"if not isinstance(s, {self.const(record_type, 'R')}): raise B")
            else:
                body.append(f"if not {self.const(type_.is_type_of, 'T')}(s, None): raise B")
        elif check:
            body.append("if isinstance(s, EXC): raise B")
        start, outer, self.needs_info = len(body), self.needs_info, False
        keys: list[tuple[str, str]] = []
        for key, details in grouped.items():
            node = details[0].node
            field_name = node.name.value
            field_def = self.schema.get_field(type_, field_name)
            if field_def is None:
                continue  # graphql-core leaves it out (validation refuses such documents anyway)
            target = f"r{len(keys)}"
            keys.append((key, target))
            if field_name == "__typename":
                body.append(f"{target} = {type_.name!r}")
                continue
            if field_name.startswith("__"):
                raise Uncompilable(f"introspection field {field_name}")
            body.extend(self.complete(field_def.type, details, self.resolve_expression(type_, field_def, node), target,
                                      type_, key))
        if self.needs_info:
            body.insert(start, "I = rq.info")
        self.needs_info = outer
        body.append("return {" + ", ".join(f"{key!r}: {target}" for key, target in keys) + "}")
        self.emit(f"def {fname}(s, rq):", body)
        return fname

    def emit(self, header: str, body: list[str]) -> None:
        self.lines.append(header)
        self.lines.extend("    " + line for line in body)
        self.lines.append("")

    # ------------------------------------------------------------ resolvers
    def resolve_expression(self, parent: GraphQLObjectType, field_def: GraphQLField, node: FieldNode) -> str:
        """The expression that calls the field's resolver on ``s`` exactly as strawberry's wrapper would."""
        field = field_def.extensions.get("strawberry-definition")
        resolve = field_def.resolve
        if not isinstance(field, StrawberryField) or resolve is None or field.extensions:
            raise Uncompilable(f"{parent.name}.{node.name.value} is not a plain strawberry field")
        kind = getattr(resolve, "__name__", "")
        if kind == "_get_basic_result":
            return self.basic_expression(field)
        if kind != "_resolver" or field.base_resolver is None or field.is_async:
            raise Uncompilable(f"{parent.name}.{node.name.value}: unknown resolver {kind!r}")
        return self.resolver_expression(field, field_def, node)

    def basic_expression(self, field: StrawberryField) -> str:
        """A basic field (no resolver): strawberry calls ``field.get_result(source, None, [], {})``."""
        from modelatlas.schema.types import _Computed, _Read  # the views' own field kinds

        get_result = type(field).get_result
        if get_result is _Read.get_result:
            return _attribute("s", field.name, self)
        if get_result is _Computed.get_result:
            return f"{self.const(field.compute, 'C')}(s)"  # type: ignore[attr-defined]
        if get_result is StrawberryField.get_result and field.base_resolver is None:
            if field.default_resolver is getattr:
                return _attribute("s", field.python_name, self)
            return f"{self.const(field.default_resolver, 'D')}(s, {field.python_name!r})"
        return f"{self.const(field.get_result, 'G')}(s, None, [], {{}})"

    def resolver_expression(self, field: StrawberryField, field_def: GraphQLField, node: FieldNode) -> str:
        resolver = field.base_resolver
        assert resolver is not None
        function = resolver.wrapped_func
        if not callable(function):
            raise Uncompilable("an uncallable resolver")
        reserved: dict[str, str] = {}
        for parameter, value in ((resolver.parent_parameter, "s"), (resolver.root_parameter, "s"),
                                 (resolver.info_parameter, "I")):
            if parameter is not None:
                reserved[parameter.name] = value
        # strawberry passes ``self`` positionally and root/parent/info by keyword; a plain function whose leading
        # parameters are exactly those takes them positionally (cheaper, same binding)
        positional = ["s"] if resolver.self_parameter is not None else []
        keywords = dict(reserved)
        if not positional and inspect.isfunction(function):
            for parameter in _parameters(function):
                if parameter.name not in keywords or parameter.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD:
                    break
                positional.append(keywords.pop(parameter.name))
        parts = positional + [f"{name}={value}" for name, value in keywords.items()]
        self.needs_info = self.needs_info or resolver.info_parameter is not None
        if field_def.args or node.arguments:
            parts.extend(self.arguments(field, field_def, node))
        return f"{self.const(function, 'F')}({', '.join(parts)})"

    def arguments(self, field: StrawberryField, field_def: GraphQLField, node: FieldNode) -> list[str]:
        """Keyword arguments: constants when no variable is read and every value is immutable, else per request."""
        reads_variables = any(_has_variable(argument.value) for argument in node.arguments or ())
        if not reads_variables:
            try:
                raw = get_argument_values(field_def, node, self.variables, None, self.hide)
                converted = convert_arguments(raw, field.arguments, scalar_registry=self.strawberry.schema_converter
                                              .scalar_registry, config=self.strawberry.config)
            except Exception:  # noqa: BLE001 - graphql-core reports it as a field error when the field runs
                return [f"_={self.const(_raise_bail, 'X')}()"]
            if all(_immutable(v) for v in converted.values()):
                return [f"**{self.const(converted, 'A')}"]
        self.bindings.append(_Binding(field_def, node, field))
        return [f"**rq.args[{len(self.bindings) - 1}]"]

    # ------------------------------------------------------------ completion
    def complete(self, type_: GraphQLOutputType, details: list[FieldDetails], expression: str, target: str,
                 parent: GraphQLObjectType, key: str) -> list[str]:
        """Lines completing the value of ``expression`` (of ``type_``) into ``target``: graphql-core's
        complete_value. The value is bound to ``v`` on its first use (``v`` itself needs no binding)."""
        non_null = is_non_null_type(type_)
        inner: Any = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        bound = "v" if expression == "v" else f"(v := {expression})"
        if is_leaf_type(inner):
            fast = self.fast_leaf(inner)
            helper = self.const(self.leaf_helper(inner, non_null), "L")
            if fast is None:
                return [f"{target} = {helper}({expression})"]
            return [f"{target} = v if {fast.format(bound)} else {helper}(v)"]
        if is_list_type(inner):
            item: Any = inner.of_type
            item_type = item.of_type if isinstance(item, GraphQLNonNull) else item
            if is_object_type(item_type) or is_abstract_type(item_type):  # a shared loop over the item's function
                function = self.value_function(item_type, details, parent, key)
                loop = self.const(_objects if is_non_null_type(item) else _nullable_objects, "O")
                call = f"{loop}(v, rq, {function})"
            else:
                call = f"{self.list_function(inner, details, parent, key)}(v, rq)"
        else:
            call = f"{self.value_function(inner, details, parent, key)}(v, rq)"
        if non_null:
            return [f"if {bound} is None or v is U: raise B", f"{target} = {call}"]
        return [f"{target} = None if {bound} is None or v is U else {call}"]

    def leaf_helper(self, type_: GraphQLScalarType | GraphQLEnumType, non_null: bool) -> Callable[[Any], Any]:
        """The completion of a leaf value off the fast path (one per type and nullability)."""
        found = self.leaf_helpers.get((type_.name, non_null))
        if found is None:
            found = self.leaf_helpers[(type_.name, non_null)] = _leaf(type_, non_null)
        return found

    def value_function(self, type_: Any, details: list[FieldDetails], parent: GraphQLObjectType, key: str) -> str:
        """The function completing one value of an object, interface or union type."""
        if is_abstract_type(type_):
            return self.abstract_function(type_, details, parent, key)
        if is_object_type(type_):
            return self.object_function(type_, self.subfields(type_, details))
        raise Uncompilable(f"output type {type_}")  # pragma: no cover - every output type is covered

    def fast_leaf(self, type_: Any) -> str | None:
        """A test (``{}``: the value) under which a value is its own coerced output: graphql-core's own scalars."""
        name = getattr(type_, "name", "")
        if not (isinstance(type_, GraphQLScalarType) and self.schema.get_type(name) is type_
                and getattr(type_.coerce_output_value, "__module__", "") == "graphql.type.scalars"):
            return None
        return {"String": "type({}) is str", "ID": "type({}) is str", "Boolean": "type({}) is bool",
                "Int": "type({}) is int and -2147483648 <= v <= 2147483647",
                "Float": "type({}) is float and v - v == 0.0"}.get(name)  # finite: inf - inf and nan - nan are nan

    def list_function(self, type_: GraphQLList[Any], details: list[FieldDetails], parent: GraphQLObjectType,
                      key: str) -> str:
        leaves = is_leaf_type(get_named_type(type_))  # then the function depends on the type alone: one per type
        if leaves and str(type_) in self.leaf_lists:
            return self.leaf_lists[str(type_)]
        fname = self.name("l")
        if leaves:
            self.leaf_lists[str(type_)] = fname
        body = ["if type(vs) is not LIST and type(vs) is not TUPLE and (isinstance(vs, EXC) or not IT(vs)): raise B",
                "at = rq.at", "out = []", "add = out.append", "for v in vs:",
                "    if MONO() >= at: raise rq.timeout()"]
        body += ["    " + line for line in self.complete(type_.of_type, details, "v", "x", parent, key)]
        body += ["    add(x)", "return out"]
        self.emit(f"def {fname}(vs, rq):", body)
        return fname

    def abstract_function(self, type_: GraphQLAbstractType, details: list[FieldDetails], parent: GraphQLObjectType,
                          key: str) -> str:
        nodes = [d.node for d in details]
        resolver = _abstract_resolver(type_, nodes[0].name.value, key, nodes, parent, self.schema,
                                      self.fragment_nodes, self.operation)
        table = {possible.name: self.object_function(possible, self.subfields(possible, details))
                 for possible in self.schema.get_possible_types(type_)}
        fname = self.name("a")
        self.emit(f"def {fname}(s, rq):", [
            f"name = {self.const(resolver, 'Y')}(s, rq)",
            "if type(name) is not str: raise B",  # graphql-core's other checks fail the same way: not a possible type
            "f = " + "{" + ", ".join(f"{name!r}: {function}" for name, function in table.items()) + "}.get(name)",
            "if f is None: raise B",
            "return f(s, rq)",
        ])
        return fname


@lru_cache(maxsize=4096)
def _parameters(function: Callable[..., Any]) -> tuple[inspect.Parameter, ...]:
    return tuple(inspect.signature(function, follow_wrapped=False).parameters.values())


def _attribute(obj: str, name: str, compiler: _Compiler) -> str:
    if name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__"):
        return f"{obj}.{name}"
    return f"getattr({obj}, {compiler.const(name, 'S')})"


def _has_variable(value: Any) -> bool:
    if isinstance(value, VariableNode):
        return True
    for attribute in ("values", "fields"):
        children = getattr(value, attribute, None)
        if children:
            return any(_has_variable(getattr(child, "value", child)) for child in children)
    return False


def _immutable(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, Enum))


def compile_plan(document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None, *,
                 strawberry: StrawberrySchema = default_schema, hide_suggestions: bool = True) -> Plan:
    """The plan of the operation ``operation_name`` of a *valid* ``document``; the fields it holds follow the
    ``@skip``/``@include`` variables in ``variables`` (the engine keeps one plan per their values).

    Raises Uncompilable (introspection, unknown resolvers) or Bail (no such operation, variables that do not
    coerce): graphql-core answers such requests.
    """
    operation = select_operation(document, operation_name)
    if operation is None:
        raise Bail("no such operation")
    probe = get_variable_values(strawberry._schema, operation.variable_definitions or (), dict(variables or {}),
                                max_errors=50, hide_suggestions=hide_suggestions)
    if isinstance(probe, list):
        raise Bail("variables")
    compiler = _Compiler(strawberry, document, operation, probe, hide_suggestions)
    try:
        root = compiler.root()
    except GraphQLError as exc:  # collect_fields refusing the document (too deep): graphql-core says so itself
        raise Uncompilable(str(exc)) from exc
    except RecursionError as exc:
        raise Uncompilable("selections nested too deeply") from exc
    source = "\n".join(compiler.lines)
    code = compile(source, f"<plan {operation.name.value if operation.name else 'anonymous'}>", "exec")
    exec(code, compiler.namespace)  # noqa: S102 - our own generated code: names and literals we wrote (repr)
    entry = compiler.namespace[root]

    def run_root(rq: Request) -> dict[str, Any]:
        result: dict[str, Any] = entry(None, rq)
        return result

    return Plan(run_root, operation, compiler.bindings, source, strawberry, hide_suggestions)
