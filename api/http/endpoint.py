"""GraphQL over HTTP at ``/graphql``: request checks, persisted queries, response cache, execution.

One request goes through, in order:
rate limit and CPU budget (429) → method (405) → CSRF and content type (400, 415) → body size (413) and body
deadline (408) → JSON (400; arrays: batching is off) → persisted query (Apollo APQ) → GET only for persisted
queries in production (400) → response cache (with ``ETag`` and ``304``) → in a bounded thread pool, off the event
loop: prepared document (parse, shape caps and validation once per normalized document) → cost estimate (400 over
the budget) → execution on one snapshot with a deadline that counts from the request's arrival (503 when spent).
Parse, validation and execution time is charged to the client's CPU budget.

Every error carries ``extensions.code``; unexpected exceptions are logged and masked. The response is
``application/graphql-response+json`` when the client's ``Accept`` prefers it, else ``application/json``; under
the latter a GraphQL request error (parse, validation, variable coercion, choice of operation) is a 200, as the
GraphQL-over-HTTP spec says (``media.py``). A client gone mid-body is logged as a disconnect (status 499).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import anyio
import anyio.to_thread
import orjson
from graphql import GraphQLError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from modelatlas.api.http.cpu import CpuBudget
from modelatlas.api.http.media import negotiate, status_for
from modelatlas.api.http.persisted import TrustedDocuments, sha256_hex
from modelatlas.api.http.settings import Settings
from modelatlas.api.http.snapshot import Snapshots
from modelatlas.api.http.stores import Stores, stores_for
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.memo import per_snapshot
from modelatlas.graph.store.backend import Backend
from modelatlas.graph.store.client import StoreError
from modelatlas.schema.context import Context
from modelatlas.schema.cost import list_sizes
from modelatlas.schema.engine import Engine, Prepared, TimeoutExceeded
from modelatlas.schema.lru import BoundedLRU

__all__ = ["GraphQLEndpoint", "RequestError"]

error_log = logging.getLogger("modelatlas.error")
access_log = logging.getLogger("modelatlas.access")

JSONObject = dict[str, Any]

COST_ENTRIES = 4096
INLINE_CPU_SECONDS = 0.002  # a query text whose last run took less runs on the event loop (see GraphQLEndpoint._run)
COST_ENTRY_BYTES = 256  # a 32-byte digest key, an int and the LRU's slot: the cost cache stays under 1 MB

SIMPLE_CONTENT_TYPES = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}
JSON_CONTENT_TYPES = {"application/json", "application/graphql-response+json"}
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")
CSRF_MESSAGE = ("This request has been blocked as a potential Cross-Site Request Forgery (CSRF). Send it with "
                "'Content-Type: application/json', or set a non-empty 'Apollo-Require-Preflight' header.")


class RequestError(Exception):
    """A request refused before execution: HTTP status, GraphQL error code, message.

    ``graphql``: a GraphQL request error (the operation to run is unknown), answered 200 under ``application/json``.
    """

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None, *,
                 graphql: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}
        self.graphql = graphql


class ClientGone(Exception):
    """The client closed the connection before its request body arrived."""


@dataclass(frozen=True)
class Answer:
    """What the work in the thread pool produced: a status, a body (None: 304), whether it is a request error."""

    status: int
    body: bytes | None
    request_error: bool = False


def _error_response(error: RequestError, media: str) -> Response:
    body = orjson.dumps({"errors": [{"message": error.message, "extensions": {"code": error.code}}]})
    return Response(body, status_code=status_for(media, error.status, graphql_error=error.graphql),
                    headers=error.headers, media_type=media)


def _code_for(message: str) -> str:
    """The ``extensions.code`` of a request error by its message.

    >>> _code_for("Variable '$n' is never used."), _code_for("Variable '$n' got invalid value 'x'; ...")
    ('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT')
    """
    if message.startswith("Syntax Error") and "tokens" not in message:
        return "GRAPHQL_PARSE_FAILED"
    if "is never used" in message or "is not defined" in message:  # NoUnusedVariables, NoUndefinedVariables
        return "GRAPHQL_VALIDATION_FAILED"
    if any(marker in message for marker in ("Variable '$", "got invalid value", "cannot represent", "does not exist in",
                                             "Expected value of type", "Int cannot")):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


class GraphQLEndpoint:
    """The ``/graphql`` route handler; one per app."""

    def __init__(self, settings: Settings, snapshots: Snapshots, stores: Stores | None = None) -> None:
        self.settings = settings
        self.snapshots = snapshots
        self.fixed_today = settings.today  # answer "today" questions as of this date (tests); None: the real date
        self.engine = Engine(production=settings.production, executor=settings.executor, max_depth=settings.max_depth,
                             max_aliases=settings.max_aliases, max_tokens=settings.max_tokens)
        stores = stores or stores_for(settings)  # in process, or shared through Redis (MODELATLAS_REDIS_URL)
        self.persisted = stores.persisted
        self.trusted = TrustedDocuments()  # the explorer's manifest (mount_explorer), known to every worker
        self.cache = stores.cache
        self.limiter = stores.limiter
        self.costs: BoundedLRU[bytes, int] = BoundedLRU(COST_ENTRIES, COST_ENTRIES * COST_ENTRY_BYTES,
                                                         lambda _cost: COST_ENTRY_BYTES)
        self.cpu = CpuBudget(settings.cpu_budget) if settings.cpu_budget > 0 else None
        self._threads: anyio.CapacityLimiter | None = None  # made on first use, inside the event loop
        # CPU seconds the last run of each query text took: a text known to be cheap runs inline (a thread hop costs
        # more than the whole compiled answer), an unknown or heavy one in the pool (see ``_run``)
        self.last_cpu: BoundedLRU[bytes, float] = BoundedLRU(COST_ENTRIES, COST_ENTRIES * COST_ENTRY_BYTES,
                                                             lambda _seconds: COST_ENTRY_BYTES)
        self.store_for: Callable[[KnowledgeGraph], Backend] | None = None  # the SPARQL store's backend of a snapshot

    # ------------------------------------------------------------------ entry point
    async def __call__(self, request: Request) -> Response:
        arrival = getattr(request.state, "arrival", None) or time.monotonic()  # set by Observe: the deadline's start
        media = negotiate(request.headers.get("accept"))
        client = request.client.host if request.client else "-"
        rate_headers: dict[str, str] = {}
        try:
            if self.limiter is not None:
                verdict = self.limiter.check(client)
                rate_headers = verdict.headers()
                if not verdict.allowed:
                    raise RequestError(429, "RATE_LIMITED", f"Too many requests: the limit is {self.settings.rate_limit} "
                                       f"per client. Retry after {rate_headers['Retry-After']} s.", rate_headers)
            if self.cpu is not None:
                retry_after = self.cpu.retry_after(client)
                if retry_after:
                    raise RequestError(429, "RATE_LIMITED", f"CPU budget spent: {self.settings.cpu_budget:g} s of "
                                       f"parsing, validation and execution per minute per client. Retry after "
                                       f"{retry_after} s.", {"Retry-After": str(retry_after)})
            response = await self._handle(request, media, client, arrival)
        except RequestError as error:
            response = _error_response(error, media)
            request.state.outcome = error.code
        except ClientGone:
            request.state.outcome = "client_disconnect"
            access_log.info(json.dumps({"event": "client_disconnect", "client": client,
                                        "request_id": getattr(request.state, "request_id", "-")}))
            return Response(status_code=499)  # never sent (nobody listens); the metrics and log say 499
        if rate_headers:
            response.headers.update(rate_headers)
        return response

    async def _handle(self, request: Request, media: str, client: str, arrival: float) -> Response:
        method = request.method
        if method == "GET":
            self._check_get_csrf(request)
            raw_key = request.url.query.encode()
        elif method == "POST":
            raw_key = await self._read_post(request, arrival)
        else:
            raise RequestError(405, "METHOD_NOT_ALLOWED", f"{method} is not supported on /graphql; use POST (or GET "
                               "for persisted queries).", {"Allow": "GET, POST"})

        snapshot = self.snapshots.current  # the one snapshot this request uses, start to end
        today = self.fixed_today or date.today()
        etag = f'"{snapshot.version}-{today:%Y%m%d}"'
        headers = {"ETag": etag, "x-data-version": snapshot.version}
        not_modified = method == "GET" and request.headers.get("if-none-match") == etag
        if method == "GET":
            headers["Cache-Control"] = "public, max-age=60"
        cache_key = (snapshot.version, today, method, hashlib.blake2b(raw_key, digest_size=16).digest())
        if self.cache is not None:
            body = self.cache.get(cache_key)
            if body is not None:
                request.state.outcome = "cached"
                if not_modified:
                    return Response(status_code=304, headers=headers)
                return Response(body, headers=headers, media_type=media)

        payload = self._payload_of_get(request) if method == "GET" else self._payload_of_post(raw_key)
        query, variables, operation_name, register = self._operation(payload, method)
        request.state.operation = operation_name or "-"
        request_id = getattr(request.state, "request_id", "-")

        text_key = hashlib.blake2b(query.encode(), digest_size=16).digest()

        def work() -> Answer:  # parse, validate, estimate and execute, charged to the client
            started = time.thread_time()
            try:
                return self._work(query, variables, operation_name, register, method, snapshot, today, request_id,
                                  arrival, not_modified)
            finally:
                spent = time.thread_time() - started
                self.last_cpu.put(text_key, spent)
                if self.cpu is not None:
                    self.cpu.charge(client, spent)

        answer = await self._run(work, arrival, inline=self._known_cheap(text_key))
        if answer.body is None:  # the same request on the same snapshot and date: the same answer the client holds
            return Response(status_code=304, headers=headers)
        status = status_for(media, answer.status, graphql_error=answer.request_error)
        if answer.status != 200 or b'"errors"' in answer.body:  # errors are neither cached here nor validated for CDNs
            return Response(answer.body, status_code=status, media_type=media, headers={"x-data-version": snapshot.version})
        if self.cache is not None:
            self.cache.put(cache_key, answer.body)
        return Response(answer.body, headers=headers, media_type=media)

    def _known_cheap(self, text_key: bytes) -> bool:
        """Whether this query text's last run took under ``INLINE_CPU_SECONDS``: its document is parsed, validated and
        compiled already, so only its execution is left, as cheap as last time (the cost limit and the deadline bound
        it either way)."""
        seconds = self.last_cpu.get(text_key)
        return seconds is not None and seconds < INLINE_CPU_SECONDS

    async def _run(self, work: Any, arrival: float, *, inline: bool = False) -> Answer:
        """``work()`` in the bounded pool, off the event loop (``/healthz`` and cached answers stay fast); a request
        still waiting for a thread when its deadline passes is answered 503 without running. Work known to be cheap
        (``inline``) runs on the event loop: the hop to a thread and back costs more than it (median 0.26 ms inline
        against 0.59 ms through the pool for the compiled model page, p90 0.28 against 16 ms)."""
        if inline:
            result: Answer = work()
            return result
        if self._threads is None:
            self._threads = anyio.CapacityLimiter(max(1, self.settings.work_threads))
        try:
            with anyio.fail_after(max(0.0, self._remaining(arrival))):
                answer: Answer = await anyio.to_thread.run_sync(work, limiter=self._threads)
        except TimeoutError:
            raise RequestError(503, "REQUEST_TIMEOUT", f"The request took longer than {self.settings.timeout_seconds:g}"
                               " s and was stopped.") from None
        return answer

    def _remaining(self, arrival: float) -> float:
        return self.settings.timeout_seconds - (time.monotonic() - arrival)

    def _work(self, query: str, variables: JSONObject | None, operation_name: str | None, register: str | None,
              method: str, snapshot: KnowledgeGraph, today: date, request_id: str, arrival: float,
              not_modified: bool) -> Answer:
        prepared = self.engine.prepare(query)
        if prepared.errors:
            errors = [self._format(e, request_id) for e in prepared.errors]
            return Answer(400, orjson.dumps({"errors": errors}), request_error=True)
        if register:
            self.persisted.register(register, query)  # only documents that parse and validate are kept
        if variables:  # variables the operation does not declare are ignored (as the spec allows): dropped here
            declared = prepared.declared(operation_name)
            variables = {name: value for name, value in variables.items() if name in declared}
        budget = self._admit(prepared, operation_name, variables, method, snapshot)
        if not_modified:
            return Answer(304, None)
        return self._execute(prepared, variables, operation_name, snapshot, today, request_id, budget, arrival)

    # ------------------------------------------------------------------ request checks
    def _check_get_csrf(self, request: Request) -> None:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        has_preflight = any(request.headers.get(name) for name in PREFLIGHT_HEADERS)
        if not has_preflight and (not content_type or content_type in SIMPLE_CONTENT_TYPES):
            raise RequestError(400, "CSRF_BLOCKED", CSRF_MESSAGE)

    async def _read_post(self, request: Request, arrival: float) -> bytes:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type in SIMPLE_CONTENT_TYPES or not content_type:
            raise RequestError(400, "CSRF_BLOCKED", CSRF_MESSAGE)
        if content_type not in JSON_CONTENT_TYPES:
            raise RequestError(415, "UNSUPPORTED_MEDIA_TYPE", f"Content-Type {content_type!r} is not supported; "
                               "send application/json.")
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise RequestError(413, "PAYLOAD_TOO_LARGE", f"Request body too large: {declared} bytes, the limit is {limit}.")
        chunks, size = [], 0
        wait = self.settings.body_timeout_seconds - (time.monotonic() - arrival)
        try:
            async with asyncio.timeout(max(0.0, wait)):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise RequestError(413, "PAYLOAD_TOO_LARGE", f"Request body too large: over {limit} bytes.")
                    chunks.append(chunk)
        except TimeoutError:
            raise RequestError(408, "REQUEST_TIMEOUT", f"The request body did not arrive within "
                               f"{self.settings.body_timeout_seconds:g} s ({size} bytes came).",
                               {"Connection": "close"}) from None
        except ClientDisconnect:
            raise ClientGone() from None
        return b"".join(chunks)

    def _payload_of_post(self, body: bytes) -> JSONObject:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise RequestError(400, "BAD_REQUEST", f"Request body is not valid JSON: {exc}.") from None
        if isinstance(payload, list):
            raise RequestError(400, "BATCHING_NOT_SUPPORTED", "Batched requests (a JSON array) are not supported; "
                               "send one operation per request.")
        if not isinstance(payload, dict):
            raise RequestError(400, "BAD_REQUEST", "Request body must be a JSON object with a 'query'.")
        return payload

    def _payload_of_get(self, request: Request) -> JSONObject:
        params = request.query_params
        payload: dict[str, Any] = {"query": params.get("query"), "operationName": params.get("operationName")}
        for name in ("variables", "extensions"):
            raw = params.get(name)
            if raw:
                try:
                    payload[name] = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:  # orjson also refuses nesting past its depth limit
                    raise RequestError(400, "BAD_REQUEST", f"Parameter {name!r} is not valid JSON: {exc}.") from None
        return payload

    def _operation(self, payload: JSONObject, method: str) -> tuple[str, JSONObject | None, str | None, str | None]:
        """(query, variables, operation name, hash to register once the query validates)."""
        query, variables = payload.get("query"), payload.get("variables")
        operation_name, extensions = payload.get("operationName"), payload.get("extensions")
        if query is not None and not isinstance(query, str):
            raise RequestError(400, "BAD_REQUEST", "'query' must be a string.")
        if variables is not None and not isinstance(variables, dict):
            raise RequestError(400, "BAD_REQUEST", "'variables' must be a JSON object.")
        if operation_name is not None and not isinstance(operation_name, str):
            raise RequestError(400, "BAD_REQUEST", "'operationName' must be a string.")
        if extensions is not None and not isinstance(extensions, dict):
            raise RequestError(400, "BAD_REQUEST", "'extensions' must be a JSON object.")
        persisted = (extensions or {}).get("persistedQuery")
        if method == "GET" and self.settings.production and (persisted is None or query is not None):
            raise RequestError(400, "PERSISTED_QUERY_REQUIRED", "GET is only for persisted queries in production: send "
                               "extensions.persistedQuery.sha256Hash alone (register the query with a POST first), "
                               "or POST the query.")
        if self.settings.trusted_documents:  # safelisting: only the pinned documents run, and nothing is registered
            return self._trusted_query(persisted, query), variables, operation_name, None
        register = None
        if persisted is not None:
            query, register = self._persisted_query(persisted, query)
        if not query:
            raise RequestError(400, "BAD_REQUEST", "No GraphQL query found in the request ('query' is missing or empty).")
        return query, variables, operation_name, register

    def _persisted_query(self, persisted: Any, query: str | None) -> tuple[str, str | None]:
        """The query a persisted-query request stands for, and the hash to register (when it brought its text)."""
        sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(sha, str) or persisted.get("version", 1) != 1:
            raise RequestError(400, "BAD_REQUEST", "extensions.persistedQuery needs version 1 and a sha256Hash string.")
        if query is None:
            found = self.trusted.get(sha) or self.persisted.get(sha.lower())
            if found is None:
                raise RequestError(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            return found, None
        if sha256_hex(query) != sha.lower():
            raise RequestError(400, "BAD_REQUEST", "provided sha does not match query.")
        return query, sha.lower()

    def _trusted_query(self, persisted: Any, query: str | None) -> str:
        """The trusted document a request names by hash (or whose full text is one); anything else is refused."""
        sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if sha is None and query is not None:
            sha = sha256_hex(query)
        found = self.trusted.get(sha) if isinstance(sha, str) else None
        if found is None or (query is not None and query != found):
            raise RequestError(400, "PERSISTED_QUERY_NOT_FOUND", "Only trusted documents run on this service "
                               "(MODELATLAS_TRUSTED_DOCUMENTS): send extensions.persistedQuery.sha256Hash of one.")
        return found

    # ------------------------------------------------------------------ execution
    def _admit(self, prepared: Prepared, operation_name: str | None, variables: JSONObject | None, method: str,
               snapshot: KnowledgeGraph) -> JSONObject:
        """Refuse what must not run (unknown operation, not a query, over the cost budget); the budget otherwise."""
        operation_type = prepared.operation_type(operation_name)
        if operation_type is None:
            message = (f"Unknown operation named {operation_name!r}." if operation_name
                       else "The document defines several operations: send operationName to choose one.")
            raise RequestError(400, "BAD_REQUEST", message, graphql=True)
        if operation_type != "query":
            raise RequestError(405 if method == "GET" else 400, "BAD_REQUEST",
                               f"Only queries are supported, got a {operation_type}.", {"Allow": "POST"})
        cost = self._cost(prepared, operation_name, variables, snapshot)
        if cost > self.settings.max_cost:
            raise RequestError(400, "COST_LIMIT_EXCEEDED", f"The query's estimated cost is {cost} nodes, over the "
                               f"limit of {self.settings.max_cost}; ask for fewer items (first:) or fewer fields.")
        return {"estimated": cost, "limit": self.settings.max_cost}

    def _execute(self, prepared: Prepared, variables: JSONObject | None, operation_name: str | None,
                 snapshot: KnowledgeGraph, today: date, request_id: str, budget: JSONObject, arrival: float) -> Answer:
        """Run the operation in what is left of the request's deadline (queueing, parsing, validation spent some)."""
        try:
            store = self.store_for(snapshot) if self.store_for is not None else None
        except StoreError as exc:
            raise RequestError(503, "STORE_UNAVAILABLE", str(exc)) from None
        context = Context(kg=snapshot, today=today, max_page_size=self.settings.max_page_size, store=store)
        timeout = self._remaining(arrival)
        try:
            if timeout <= 0:
                raise TimeoutExceeded(f"The request took longer than {self.settings.timeout_seconds:g} s and was stopped.")
            result = self.engine.execute(prepared, context, variables, operation_name, timeout)
        except TimeoutExceeded as exc:
            raise RequestError(503, "REQUEST_TIMEOUT", str(exc)) from None
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [self._format(e, request_id) for e in result.errors]
        if result.data is None and all(e.path is None for e in result.errors or ()):  # variable coercion: not run
            return Answer(400, orjson.dumps(payload), request_error=True)
        payload["data"] = result.data
        payload["extensions"] = {"cost": budget}
        return Answer(200, orjson.dumps(payload))

    def _cost(self, prepared: Prepared, operation_name: str | None, variables: JSONObject | None,
              snapshot: KnowledgeGraph) -> int:
        """The estimate, cached under a digest of the data version, the normalized document, the operation and the
        int variables (the only ones the estimate reads; ``variables`` holds only declared ones by now)."""
        ints = sorted((k, v) for k, v in (variables or {}).items() if isinstance(v, int))
        key = hashlib.sha256(json.dumps([snapshot.version, prepared.digest, operation_name, ints]).encode()).digest()
        cost = self.costs.get(key)
        if cost is None:
            sizes = per_snapshot(snapshot, "list-sizes", lambda: list_sizes(snapshot))
            cost = self.engine.cost(prepared, operation_name, variables, sizes)
            self.costs.put(key, cost)
        return cost

    def _format(self, error: GraphQLError, request_id: str) -> JSONObject:
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            error_log.error(json.dumps({"request_id": request_id, "error": repr(original), "path": error.path}),
                            exc_info=(type(original), original, original.__traceback__))
            return {"message": "Internal server error.", "path": error.path,
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}}
        formatted: JSONObject = dict(error.formatted)
        extensions = dict(formatted.get("extensions") or {})
        extensions.setdefault("code", _code_for(error.message) if error.path is None else "BAD_USER_INPUT")
        formatted["extensions"] = extensions
        return formatted
