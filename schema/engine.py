"""Run GraphQL operations the fast way: parse and validate each distinct document once, then execute.

The strawberry schema supplies the types and resolvers; graphql-core does the work. The limits live here, once:
parsing (with a token limit) and validation (with the depth, alias, directive and, in production, introspection
rules) happen once per document text and are kept in an LRU: a repeated query costs execution only.
A deadline stops execution at the next field once the wall-clock budget is spent.

>>> from datetime import date
>>> from modelatlas.graph import load_graph
>>> from modelatlas.schema.context import Context
>>> engine = Engine(production=True)
>>> prepared = engine.prepare('{ model(id: "mistral-small-2402") { name } }')
>>> engine.execute(prepared, Context(kg=load_graph(imports=False, cache=False), today=date(2026, 11, 25))).data
{'model': {'name': 'Mistral Small 1.0 (v24.02)'}}
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock
from typing import Any, TypeGuard, cast

from graphql import (
    ASTValidationRule,
    DirectiveNode,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    ValidationContext,
    ValidationRule,
    execute,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.aborted_graphql_execution_error import AbortedGraphQLExecutionError
from graphql.pyutils.abort_signal import AbortSignal
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import (
    create_validator as depth_validator,
)

from modelatlas.schema.build import schema
from modelatlas.schema.context import Context
from modelatlas.schema.cost import estimate_cost

__all__ = ["Deadline", "Engine", "Prepared", "TimeoutExceeded", "limit_rules"]


MAX_ERRORS = 5  # validation stops after this many: a hostile document cannot multiply error output (graphql-cop)


class TimeoutExceeded(Exception):
    """The request's wall-clock budget ran out during execution."""


class Deadline:
    """An abort signal for graphql-core's executor: ``aborted`` once ``seconds`` have passed.

    >>> Deadline(60).aborted, Deadline(0).aborted
    (False, True)
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    @property
    def aborted(self) -> bool:
        return time.monotonic() >= self.at

    @property
    def reason(self) -> TimeoutExceeded:
        return TimeoutExceeded(f"The request took longer than {self.seconds:g} s and was stopped.")


@dataclass(frozen=True)
class Prepared:
    """A parsed and validated document, or the errors that stop it."""

    query: str
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    operations: dict[str | None, str]  # operation name (None for the anonymous one) -> "query" | "mutation" | ...

    def operation_type(self, name: str | None) -> str | None:
        if name is None and len(self.operations) == 1:
            return next(iter(self.operations.values()))
        return self.operations.get(name)


# Every resolver is sync, so graphql-core's per-value await check can always say no. ``().__contains__`` says no
# to any value, and being built in it costs no Python frame (the executor asks once per value, ~3,000 times a page).
_never_awaitable = cast(Callable[[Any], TypeGuard[Awaitable[Any]]], ().__contains__)


def max_directives_validator(limit: int) -> type[ValidationRule]:
    """A rule rejecting documents with more than ``limit`` directives."""

    class MaxDirectives(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.count = 0

        def enter_directive(self, node: DirectiveNode, *_args: object) -> None:
            self.count += 1
            if self.count == limit + 1:
                self.report_error(GraphQLError(f"More than {limit} directives in the document. Allowed: {limit}.", node))

    return MaxDirectives


@lru_cache(maxsize=16)
def limit_rules(max_depth: int = 8, max_aliases: int = 15, max_directives: int = 10) -> tuple[type[ASTValidationRule], ...]:
    """The depth, alias and directive rules, built once per set of limits (so prepared documents stay comparable)."""
    return (depth_validator(max_depth, None, None), aliases_validator(max_aliases), max_directives_validator(max_directives))


class Engine:
    """Prepared-document cache plus execution over one strawberry schema's graphql-core schema."""

    def __init__(self, *, production: bool = True, max_depth: int = 8, max_aliases: int = 15, max_tokens: int = 1000,
                 max_directives: int = 10, cache_size: int = 1024) -> None:
        self.production = production
        self.max_tokens = max_tokens
        self.schema: GraphQLSchema = schema._schema
        self.rules: list[type[ASTValidationRule]] = [*specified_rules, *limit_rules(max_depth, max_aliases, max_directives)]
        if production:
            self.rules.append(NoSchemaIntrospectionCustomRule)
        self.cache_size = cache_size
        self._prepared: OrderedDict[str, Prepared] = OrderedDict()
        self._lock = Lock()

    def prepare(self, query: str) -> Prepared:
        """Parse and validate ``query`` (cached by its text)."""
        with self._lock:
            found = self._prepared.get(query)
            if found is not None:
                self._prepared.move_to_end(query)
                return found
        prepared = self._prepare(query)
        with self._lock:
            self._prepared[query] = prepared
            if len(self._prepared) > self.cache_size:
                self._prepared.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> Prepared:
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:
            return Prepared(query, None, (error,), {})
        errors = validate(self.schema, document, self.rules, max_errors=MAX_ERRORS, hide_suggestions=self.production)
        operations = {(d.name.value if d.name else None): d.operation.value
                      for d in document.definitions if isinstance(d, OperationDefinitionNode)}
        return Prepared(query, None if errors else document, tuple(errors), operations)

    def cost(self, prepared: Prepared, operation_name: str | None = None, variables: dict[str, Any] | None = None,
             sizes: dict[str, int] | None = None) -> int:
        """Estimated nodes the operation can return (see ``schema.cost``; ``sizes`` from ``list_sizes``)."""
        if prepared.document is None:
            return 0
        return estimate_cost(self.schema, prepared.document, operation_name, variables, sizes)

    def execute(self, prepared: Prepared, context: Context, variables: dict[str, Any] | None = None,
                operation_name: str | None = None, timeout: float | None = None) -> ExecutionResult:
        """Execute a valid prepared document; a spent ``timeout`` aborts with TimeoutExceeded as the error cause."""
        if prepared.document is None:
            return ExecutionResult(None, list(prepared.errors))
        deadline = Deadline(timeout) if timeout else None
        try:
            result = execute(self.schema, prepared.document, context_value=context, variable_values=variables,
                             operation_name=operation_name, hide_suggestions=self.production, abort_signal=cast(AbortSignal | None, deadline),  # duck-typed: aborted and reason
                            
                             is_awaitable=_never_awaitable)
        except AbortedGraphQLExecutionError as exc:
            raise deadline.reason if deadline else TimeoutExceeded(str(exc)) from exc
        if not isinstance(result, ExecutionResult):  # only async resolvers make it awaitable; ours are sync
            raise TypeError("async execution is not supported by this engine")
        return result
