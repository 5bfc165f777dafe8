"""Run GraphQL operations the fast way: parse and validate each distinct document once, then execute.

The strawberry schema supplies the types and resolvers; graphql-core does the work. The limits live here, once:
parsing (with a token limit) happens once per document text, validation (with the depth, alias, directive and, in
production, introspection rules) once per normalized document (``print_ast``: comments, whitespace and commas do not
matter), so spellings of one query share one validation. Both are kept in LRUs bounded in entries and in bytes: a
repeated query costs execution only, and no stream of fresh spellings grows memory past the budget.
A deadline stops execution at the next field once the wall-clock budget is spent.

Execution is compiled by default (``executor="compiled"``, ``schema.compiled``): each operation of a prepared
document becomes a plan once, kept in an LRU bounded like the prepared documents, and a request runs its plan. Any
request the plan cannot answer exactly (an error anywhere, a value of the wrong type) is answered by graphql-core's
executor, the reference (``executor="reference"`` uses it always), so answers are graphql-core's to the byte.

>>> from datetime import date
>>> from modelatlas.graph import load_graph
>>> from modelatlas.schema.context import Context
>>> engine = Engine(production=True)
>>> prepared = engine.prepare('{ model(id: "mistral-small-2402") { name } }')
>>> engine.execute(prepared, Context(kg=load_graph(imports=False, cache=False), today=date(2026, 11, 25))).data
{'model': {'name': 'Mistral Small 1.0 (v24.02)'}}
"""

from __future__ import annotations

import contextvars
import hashlib
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeGuard, TypeVar, cast

from graphql import (
    ASTValidationRule,
    DirectiveNode,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    Node,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    ValidationContext,
    ValidationRule,
    execute,
    parse,
    print_ast,
    specified_rules,
    validate,
)
from graphql.execution import MiddlewareManager
from graphql.execution.aborted_graphql_execution_error import AbortedGraphQLExecutionError
from graphql.execution.values import VariableValues, get_variable_values
from graphql.pyutils import Undefined
from graphql.pyutils.abort_signal import AbortSignal
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import (
    create_validator as depth_validator,
)

from modelatlas.schema.build import schema
from modelatlas.schema.compiled import Bail, Plan, compile_plan, directive_variables, select_operation
from modelatlas.schema.context import Context
from modelatlas.schema.cost import estimate_cost
from modelatlas.schema.lru import BoundedLRU
from modelatlas.schema.shape import shape_errors

__all__ = ["EXECUTORS", "Deadline", "Engine", "Prepared", "TimeoutExceeded", "limit_rules"]

EXECUTORS = ("compiled", "reference")


VARIANT_BYTES = 1024  # an operation's plan table without plans
MAX_ERRORS = 5  # validation stops after this many: a hostile document cannot multiply error output (graphql-cop)


class TimeoutExceeded(Exception):
    """The request's wall-clock budget ran out during execution."""


class Deadline:
    """A request's wall-clock budget: ``aborted`` once ``seconds`` have passed since ``start`` (a
    ``time.monotonic()`` reading: the request's arrival; now when not given). It is also the abort signal of
    graphql-core's executor.

    >>> Deadline(60).aborted, Deadline(0).aborted
    (False, True)
    >>> Deadline(5, start=time.monotonic() - 10).aborted
    True
    """

    def __init__(self, seconds: float, start: float | None = None) -> None:
        self.seconds = seconds
        self.at = (time.monotonic() if start is None else start) + seconds

    @property
    def aborted(self) -> bool:
        return time.monotonic() >= self.at

    @property
    def reason(self) -> TimeoutExceeded:
        return TimeoutExceeded(f"The request took longer than {self.seconds:g} s and was stopped.")


@dataclass(frozen=True)
class Prepared:
    """A parsed and validated document, or the errors that stop it."""

    digest: str  # sha256 of the normalized document (of the text when it does not parse): its identity in caches
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    operations: dict[str | None, str]  # operation name (None for the anonymous one) -> "query" | "mutation" | ...
    variables: dict[str | None, frozenset[str]]  # operation name -> the variables it declares

    def operation_type(self, name: str | None) -> str | None:
        if name is None and len(self.operations) == 1:
            return next(iter(self.operations.values()))
        return self.operations.get(name)

    def declared(self, name: str | None) -> frozenset[str]:
        """The variables operation ``name`` declares (none for an unknown operation)."""
        if name is None and len(self.variables) == 1:
            return next(iter(self.variables.values()))
        return self.variables.get(name, frozenset())


# Every resolver is sync, so graphql-core's per-value await check can always say no. ``().__contains__`` says no
# to any value, and being built in it costs no Python frame (the executor asks once per value, ~3,000 times a page).
_never_awaitable = cast(Callable[[Any], TypeGuard[Awaitable[Any]]], ().__contains__)


_DEADLINE_AT: contextvars.ContextVar[float] = contextvars.ContextVar("modelatlas_deadline_at", default=math.inf)


class _DeadlineMiddleware:
    """graphql-core middleware: every field's resolver first checks the request's deadline.

    graphql-core checks its abort signal only when a synchronous execution starts and ends; this stops the work
    at the next field. The failing fields are then reported as aborted as a whole (the executor's end check).
    """

    @staticmethod
    def resolve(next_: Callable[..., Any], root: Any, info: Any, **args: Any) -> Any:
        if time.monotonic() >= _DEADLINE_AT.get():
            raise TimeoutExceeded("deadline")
        return next_(root, info, **args)


@dataclass
class _Compiled:
    """The plans of one operation of one normalized document, one per set of ``@skip``/``@include`` values."""

    operation: OperationDefinitionNode
    switches: tuple[str, ...]  # the variables @skip/@include read
    plans: dict[tuple[Any, ...], Plan | None]  # None: uncompilable, the reference answers
    size: int = VARIANT_BYTES

    def coerce(self, raw: dict[str, Any] | None, hide_suggestions: bool) -> VariableValues:
        coerced = get_variable_values(schema._schema, self.operation.variable_definitions or (), dict(raw or {}),
                                      max_errors=50, hide_suggestions=hide_suggestions)
        if isinstance(coerced, list):
            raise Bail("variables")
        return coerced


MAX_VARIANTS = 16  # plans per operation (one per set of @skip/@include values): more are answered by the reference


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


K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class _Verdict:
    """Validation's outcome for one normalized document; ``document`` is the spelling the errors point into."""

    errors: tuple[GraphQLError, ...]
    document: DocumentNode | None


AST_BYTES_PER_CHAR = 64  # a parsed document takes ~35-60 bytes per character of its normalized text (measured)
TEXT_COPIES = 1  # the text (the comment tokens, a second copy of the comments, are dropped by _unlink_tokens)
KEPT_TEXT = 16 * 1024  # characters: longer texts are parsed per request, never kept by text
VERDICT_BYTES = 256  # a valid verdict: the digest, an empty tuple and the LRU's slot


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _unlink_tokens(document: DocumentNode) -> None:
    """Cut the lexer's doubly linked token chain, which nothing reads after parsing (error locations use the
    source). It is a reference cycle holding every token, comments included: an evicted document waited for a full
    garbage collection with its comments' copy (measured: RSS swinging by 60-110 MB under 60 KB comments).

    >>> document = parse("# a comment\\n{ a }")
    >>> _unlink_tokens(document); document.loc.start_token.next is None
    True
    """
    token = document.loc.start_token if document.loc else None
    while token is not None:
        following = token.next
        token.prev = token.next = None
        token = following


def _relocated(errors: tuple[GraphQLError, ...], source: DocumentNode, target: DocumentNode) -> tuple[GraphQLError, ...]:
    """``errors`` found in ``source``, pointing at the same nodes of ``target``: another spelling of one document.

    >>> a, b = parse("{ nope }"), parse("# a comment\\n{\\n  nope\\n}")
    >>> error = GraphQLError("no", a.definitions[0].selection_set.selections[0])
    >>> error.locations[0].line, _relocated((error,), a, b)[0].locations[0].line
    (1, 3)
    """
    twins: dict[int, Node] = {}
    pending: list[tuple[Node, Node]] = [(source, target)]
    while pending:
        one, other = pending.pop()
        twins[id(one)] = other
        for key in one.keys:
            mine, theirs = getattr(one, key), getattr(other, key)
            if isinstance(mine, Node):
                pending.append((mine, theirs))
            elif isinstance(mine, (list, tuple)):
                pending.extend((m, t) for m, t in zip(mine, theirs, strict=False) if isinstance(m, Node))
    return tuple(GraphQLError(e.message, [twins.get(id(n), n) for n in e.nodes] if e.nodes else None,
                              original_error=e.original_error, extensions=e.extensions) for e in errors)


class Engine:
    """Prepared-document cache plus execution over one strawberry schema's graphql-core schema.

    ``cache_size`` / ``cache_bytes`` bound the parsed documents kept per text; ``validated_size`` /
    ``validated_bytes`` the validation verdicts kept per normalized document (a valid one is a few hundred bytes,
    an invalid one keeps its document for the errors' locations). A text over ``KEPT_TEXT`` characters is parsed
    each time and not kept: exact repeats of such texts are rare, and a stream of fresh 60 KB comments would
    otherwise turn the whole budget over (its validation is still shared through the normalized document).
    ``executor`` is "compiled" (plans, kept per normalized document and operation: ``plan_size`` entries,
    ``plan_bytes`` in all) or "reference". ``counts`` says how requests were answered: by a plan, by the
    reference after a plan stopped, or by the reference alone.
    """

    def __init__(self, *, production: bool = True, max_depth: int = 8, max_aliases: int = 15, max_tokens: int = 1000,
                 max_directives: int = 10, cache_size: int = 1024, cache_bytes: int = 32 * 2**20,
                 validated_size: int = 4096, validated_bytes: int = 8 * 2**20, executor: str = "compiled",
                 plan_size: int = 1024, plan_bytes: int = 32 * 2**20) -> None:
        if executor not in EXECUTORS:
            raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
        self.executor = executor
        self.production = production
        self.max_tokens = max_tokens
        self.schema: GraphQLSchema = schema._schema
        self.rules: list[type[ASTValidationRule]] = [*specified_rules, *limit_rules(max_depth, max_aliases, max_directives)]
        if production:
            self.rules.append(NoSchemaIntrospectionCustomRule)
        self.prepared: BoundedLRU[str, Prepared] = BoundedLRU(cache_size, cache_bytes)  # text digest -> its document
        self.validated: BoundedLRU[str, _Verdict] = BoundedLRU(validated_size, validated_bytes)  # normalized digest
        self.plans: BoundedLRU[tuple[str, str | None], _Compiled | None] = BoundedLRU(plan_size, plan_bytes)
        self.middleware = MiddlewareManager(_DeadlineMiddleware())
        self.counts = {"compiled": 0, "fallback": 0, "reference": 0}

    def prepare(self, query: str) -> Prepared:
        """Parse ``query`` (cached by its text) and validate it (cached by its normalized document)."""
        key = _digest(query)
        found = self.prepared.get(key)
        if found is not None:
            return found
        prepared, size = self._prepare(query)
        if len(query) <= KEPT_TEXT:
            self.prepared.put(key, prepared, size)
        return prepared

    def _prepare(self, query: str) -> tuple[Prepared, int]:
        """The prepared document and the bytes it holds (the text, its comment tokens and the syntax tree)."""
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:
            return Prepared(_digest(query), None, (error,), {}, {}), len(query) + VERDICT_BYTES
        _unlink_tokens(document)
        shape = shape_errors(document)  # the caps bound validation's (quadratic) work, in one linear pass: first
        if shape:
            return Prepared(_digest(query), None, shape, {}, {}), (TEXT_COPIES + AST_BYTES_PER_CHAR) * len(query)
        normalized = print_ast(document)
        digest, size = _digest(normalized), TEXT_COPIES * len(query) + AST_BYTES_PER_CHAR * len(normalized)
        verdict = self.validated.get(digest)
        if verdict is None:
            errors = tuple(validate(self.schema, document, self.rules, max_errors=MAX_ERRORS,
                                    hide_suggestions=self.production))
            verdict = _Verdict(errors, document if errors else None)
            self.validated.put(digest, verdict, size if errors else VERDICT_BYTES)
        errors = verdict.errors
        if errors and verdict.document is not document:
            errors = _relocated(errors, cast(DocumentNode, verdict.document), document)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        names = [d.name.value if d.name else None for d in operations]
        return Prepared(digest, None if errors else document, errors,
                        {name: d.operation.value for name, d in zip(names, operations, strict=True)},
                        {name: frozenset(v.variable.name.value for v in d.variable_definitions or ())
                         for name, d in zip(names, operations, strict=True)}), size

    def cost(self, prepared: Prepared, operation_name: str | None = None, variables: dict[str, Any] | None = None,
             sizes: dict[str, int] | None = None) -> int:
        """Estimated nodes the operation can return (see ``schema.cost``; ``sizes`` from ``list_sizes``)."""
        if prepared.document is None:
            return 0
        return estimate_cost(self.schema, prepared.document, operation_name, variables, sizes)

    def execute(self, prepared: Prepared, context: Context, variables: dict[str, Any] | None = None,
                operation_name: str | None = None, timeout: float | None = None, *, deadline: Deadline | None = None,
                executor: str | None = None) -> ExecutionResult:
        """Execute a valid prepared document. ``deadline`` (or, when not given, ``timeout`` seconds from now) stops
        it with TimeoutExceeded once spent; ``executor`` overrides the engine's ("compiled" or "reference")."""
        if prepared.document is None:
            return ExecutionResult(None, list(prepared.errors))
        if deadline is None and timeout:
            deadline = Deadline(timeout)
        if deadline is not None and deadline.aborted:
            raise deadline.reason
        if (executor or self.executor) == "compiled":
            data = self._run_plan(prepared, context, variables, operation_name, deadline)
            if data is not Undefined:
                return ExecutionResult(data, None)
        else:
            self.counts["reference"] += 1
        return self._reference(prepared.document, context, variables, operation_name, deadline)

    def _reference(self, document: DocumentNode, context: Context, variables: dict[str, Any] | None,
                   operation_name: str | None, deadline: Deadline | None) -> ExecutionResult:
        """graphql-core's executor; with a deadline, every resolver checks it first (graphql-core alone checks only
        at the start and the end)."""
        token = _DEADLINE_AT.set(deadline.at) if deadline is not None else None
        try:
            result = execute(self.schema, document, context_value=context, variable_values=variables,
                             operation_name=operation_name, hide_suggestions=self.production,
                             abort_signal=cast(AbortSignal | None, deadline),  # duck-typed: aborted and reason
                             middleware=self.middleware if deadline is not None else None,
                             is_awaitable=_never_awaitable)
        except AbortedGraphQLExecutionError as exc:
            raise deadline.reason if deadline else TimeoutExceeded(str(exc)) from exc
        finally:
            if token is not None:
                _DEADLINE_AT.reset(token)
        if not isinstance(result, ExecutionResult):  # only async resolvers make it awaitable; ours are sync
            raise TypeError("async execution is not supported by this engine")
        return result

    def _run_plan(self, prepared: Prepared, context: Context, variables: dict[str, Any] | None,
                  operation_name: str | None, deadline: Deadline | None) -> Any:
        """The data a plan answers, or Undefined when the reference must answer (no plan, or the plan stopped)."""
        compiled = self._compiled(prepared, operation_name)
        try:
            if compiled is None:
                raise Bail("no plan")
            values = compiled.coerce(variables, self.production)
            plan = self._plan(prepared, operation_name, compiled, values, variables)
            if plan is None:
                raise Bail("uncompilable")
            data = plan.run(context, None, deadline.at if deadline is not None else math.inf,
                            (lambda: deadline.reason) if deadline is not None else _never_reason, variables=values)
        except TimeoutExceeded:
            raise
        except Exception:  # noqa: BLE001 - graphql-core gives the exact answer: errors, paths, null propagation
            self.counts["fallback"] += 1
            return Undefined
        if deadline is not None and deadline.aborted:  # as graphql-core's end check does
            raise deadline.reason
        self.counts["compiled"] += 1
        return data

    def _compiled(self, prepared: Prepared, operation_name: str | None) -> _Compiled | None:
        key = (prepared.digest, operation_name)
        found = self.plans.get(key)
        if found is None and prepared.document is not None:
            operation = select_operation(prepared.document, operation_name)
            if operation is None:
                return None
            found = _Compiled(operation, directive_variables(prepared.document), {})
            self.plans.put(key, found, found.size)
        return found

    def _plan(self, prepared: Prepared, operation_name: str | None, compiled: _Compiled, values: VariableValues,
              variables: dict[str, Any] | None) -> Plan | None:
        switch = tuple(values.coerced.get(name, Undefined) for name in compiled.switches)
        if switch in compiled.plans:
            return compiled.plans[switch]
        if len(compiled.plans) >= MAX_VARIANTS:
            return None
        try:
            plan: Plan | None = compile_plan(cast(DocumentNode, prepared.document), operation_name, variables,
                                             strawberry=schema, hide_suggestions=self.production)
        except Bail:  # about this request (its variables), not the document: nothing to remember
            return None
        except Exception:  # noqa: BLE001 - Uncompilable, or anything the compiler cannot handle: the reference answers
            plan = None
        compiled.plans[switch] = plan
        compiled.size += plan.size if plan is not None else VERDICT_BYTES
        self.plans.put((prepared.digest, operation_name), compiled, compiled.size)  # counted at its new size
        return plan


def _never_reason() -> BaseException:  # pragma: no cover - without a deadline the plan's limit is infinity
    return TimeoutExceeded("no deadline")
