"""SPARQL 1.1 Protocol at ``/sparql``, read-only, evaluated by Oxigraph over the served snapshot.

One request goes through: rate limit (429, the same budget as /graphql) → method (405) → the query from ``query=``
(GET, or a form POST) or an ``application/sparql-query`` body (415 for other bodies; 413 over the body limit) →
UPDATE refused (403) → the store of the current snapshot (built once per snapshot, ``graph.rdfstore``) → parse
(400) → ``Accept`` / ``format=`` negotiation per result kind (406) → evaluation in a worker thread, stopped at the
deadline (500 ``QUERY_TIMEOUT``, as WDQS reports a timeout) or past the result cap (500 ``RESULT_LIMIT_EXCEEDED``).

The default graph is the union of every named graph; ``GRAPH ?g`` names the source (``default-graph-uri`` and
``named-graph-uri`` narrow the dataset, as the protocol says). An error is ``text/plain``: ``CODE: message``.

>>> sorted(set(RESULT_TYPES.values())), sorted(GRAPH_TYPES)[:2]
(['csv', 'json', 'tsv', 'xml'], ['application/ld+json', 'application/n-triples'])
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape, quoteattr

import orjson
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from modelatlas.api.http.negotiate import negotiate
from modelatlas.api.http.settings import Settings
from modelatlas.api.http.snapshot import Snapshots
from modelatlas.api.http.stores import Limiter
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import Paths
from modelatlas.graph.rdfstore import PREFIXES, SnapshotStore, build_store

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "SnapshotStores", "SparqlEndpoint", "SparqlError", "rate_limited", "run_query"]

RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv"}
BOOLEAN_TYPES = ["application/sparql-results+json", "application/json", "application/sparql-results+xml",
                 "application/xml", "text/xml"]
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
               "text/plain": ox.RdfFormat.N_TRIPLES}
#: ``format=`` values (as WDQS and Virtuoso take them) -> the media type they stand for
FORMAT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
                "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
                "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml"}
CHARSET = {"text/csv", "text/tab-separated-values", "text/turtle", "text/plain", "application/n-triples"}
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_LANG_STRING = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE)
#: string literals, IRIs and comments: removed before looking for a keyword, so that no text inside them counts
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
                     r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"(?<![?$\w:.-])SERVICE(?![\w:.-])", re.IGNORECASE)


class SparqlError(Exception):
    """A refused or failed query: HTTP status, error code, message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    def response(self) -> Response:
        return Response(f"{self.code}: {self.message}\n", status_code=self.status, headers=self.headers,
                        media_type="text/plain; charset=utf-8")


def rate_limited(limiter: Limiter | None, settings: Settings, request: Request) -> dict[str, str]:
    """The rate-limit headers of a linked-data request, which spends the budget of /graphql; SparqlError 429
    (with those headers) when the client is over it."""
    if limiter is None:
        return {}
    verdict = limiter.check(request.client.host if request.client else "-")
    headers = verdict.headers()
    if not verdict.allowed:
        raise SparqlError(429, "RATE_LIMITED", f"Too many requests: the limit is {settings.rate_limit} per client. "
                          f"Retry after {headers['Retry-After']} s.", headers)
    return headers


def is_federated(text: str) -> bool:
    """Whether a query calls another endpoint (``SERVICE``), outside strings, IRIs and comments.

    >>> is_federated("SELECT * { SERVICE <http://other/sparql> { ?s ?p ?o } }")
    True
    >>> is_federated('SELECT ?service { ?service <http://e/SERVICE> "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(_OPAQUE.sub(" ", text)))


def is_update(text: str) -> bool:
    """Whether a request text is a SPARQL Update (after its prologue of prefixes and comments).

    >>> is_update("PREFIX ex: <http://e/> # add\\nINSERT DATA { ex:a ex:b ex:c }"), is_update("SELECT * {}")
    (True, False)
    """
    prologue = _PROLOGUE.match(text)
    return bool(_UPDATE.match(text, prologue.end() if prologue else 0))


# ---------------------------------------------------------------------------------------------- the stores
class SnapshotStores:
    """The Oxigraph store of each snapshot, built on first use in a worker thread (one build at a time) and dropped
    with its snapshot. Once used, a reload builds the new snapshot's store before the swap (:meth:`prepare`)."""

    def __init__(self, paths: Paths = None, build: Callable[[KnowledgeGraph, Paths], SnapshotStore] = build_store
                 ) -> None:
        self.paths = paths
        self.build = build
        self.used = False
        self._builder = ThreadPoolExecutor(1, thread_name_prefix="sparql-store")
        self._lock = threading.Lock()
        self._futures: dict[int, tuple[KnowledgeGraph, Future[SnapshotStore]]] = {}

    def future(self, kg: KnowledgeGraph) -> Future[SnapshotStore]:
        """The (maybe still running) build of ``kg``'s store; only the two newest snapshots' stores are kept."""
        self.used = True
        with self._lock:
            held = self._futures.get(id(kg))
            if held is None or held[0] is not kg:
                held = (kg, self._builder.submit(self.build, kg, self.paths))
                self._futures.pop(id(kg), None)
                self._futures[id(kg)] = held
                while len(self._futures) > 2:  # the current snapshot's and the one a reload is about to swap in
                    del self._futures[next(iter(self._futures))]
            return held[1]

    def retain(self, kg: KnowledgeGraph) -> None:
        """Let go of every store but ``kg``'s (called when ``kg`` is swapped in)."""
        with self._lock:
            self._futures = {key: held for key, held in self._futures.items() if held[0] is kg}

    async def get(self, kg: KnowledgeGraph) -> SnapshotStore:
        return await asyncio.wrap_future(self.future(kg))

    def prepare(self, kg: KnowledgeGraph) -> None:
        """Build ``kg``'s store now (called in the reload thread, before the swap), if SPARQL has been used."""
        if self.used:
            self.future(kg).result()


# ---------------------------------------------------------------------------------------------- evaluation
@dataclass(frozen=True)
class Limits:
    max_results: int
    deadline: float  # time.monotonic()
    cancelled: threading.Event


def run_query(snap: SnapshotStore, text: str, accept: str, limits: Limits, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = ()) -> tuple[bytes, str]:
    """Evaluate ``text`` on the snapshot store and serialize it per ``accept``: (body, media type).

    Raises SparqlError for a malformed query, an unacceptable ``accept``, the deadline or the result cap.
    """
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = snap.store.query(text, **options)
    except SyntaxError as exc:
        if is_update(text):
            raise _update_refused() from None
        raise SparqlError(400, "MALFORMED_QUERY", f"The query is not valid SPARQL 1.1: {exc}") from None
    except (ValueError, OSError) as exc:
        raise SparqlError(400, "BAD_REQUEST", f"The query cannot be run: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        media = _choose(accept, BOOLEAN_TYPES, "an ASK query")
        return _boolean(bool(result), RESULT_TYPES[media]), media
    if isinstance(result, ox.QuerySolutions):
        media = _choose(accept, list(RESULT_TYPES), "a SELECT query")
        names = [v.value for v in result.variables]
        rows = _bounded(result, limits)
        return _SOLUTIONS[RESULT_TYPES[media]](names, rows), media
    media = _choose(accept, list(GRAPH_TYPES), "a CONSTRUCT or DESCRIBE query")
    triples = list(_bounded(result, limits))
    body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=PREFIXES)
    return body or b"", media


def _in_worker(snap: SnapshotStore, text: str, accept: str, limits: Limits, default_graphs: Sequence[str],
               named_graphs: Sequence[str]) -> tuple[bytes, str]:
    """:func:`run_query` in a worker thread. Oxigraph's result iterators must be dropped by the thread that made them:
    an error leaves here as a fresh exception, so no traceback carries them to the event loop's thread."""
    try:
        return run_query(snap, text, accept, limits, default_graphs, named_graphs)
    except SparqlError as exc:
        error = SparqlError(exc.status, exc.code, exc.message, exc.headers)
    raise error


def _choose(accept: str, offered: list[str], kind: str) -> str:
    media = negotiate(accept, offered)
    if media is None:
        raise SparqlError(406, "NOT_ACCEPTABLE", f"None of the types in Accept ({accept!r}) is offered for {kind}; "
                          f"offered: {', '.join(offered)}.")
    return media


def _bounded(items: Iterable[Any], limits: Limits) -> Iterable[Any]:
    """The items, checking the deadline between any two and stopping past the result cap."""
    for count, item in enumerate(items, 1):
        if count > limits.max_results:
            raise SparqlError(500, "RESULT_LIMIT_EXCEEDED", f"The query gives more than {limits.max_results} results, "
                              "the limit of this service; add a LIMIT (and OFFSET to page).")
        if limits.cancelled.is_set() or time.monotonic() > limits.deadline:
            raise _timeout()
        yield item


def _timeout(seconds: float | None = None) -> SparqlError:
    spent = f" of {seconds:g} s" if seconds is not None else ""
    return SparqlError(500, "QUERY_TIMEOUT", f"The query ran past the time limit{spent} of this service and was "
                       "stopped; narrow it (fewer patterns, a LIMIT, a named GRAPH).")


def _update_refused() -> SparqlError:
    return SparqlError(403, "UPDATE_NOT_ALLOWED", "This endpoint is read-only: SPARQL Update is refused. The data "
                       "changes by editing the data files and reloading (see the README).")


# ---------------------------------------------------------------------------------------------- result formats
def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _json(names: list[str], rows: Iterable[ox.QuerySolution]) -> bytes:
    bindings = [{name: _json_term(row[name]) for name in names if row[name] is not None} for row in rows]
    return orjson.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>")


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml(names: list[str], rows: Iterable[ox.QuerySolution]) -> bytes:
    parts = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head><results>"]
    for row in rows:
        parts.append("<result>")
        parts.extend(f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>" for n in names if row[n] is not None)
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode()


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term) if isinstance(term, ox.Triple) \
        else term.value
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


def _csv(names: list[str], rows: Iterable[ox.QuerySolution]) -> bytes:
    lines = [",".join(names)] + [",".join(_csv_value(row[n]) for n in names) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _tsv(names: list[str], rows: Iterable[ox.QuerySolution]) -> bytes:
    def cell(term: Any) -> str:  # the Turtle / N-Triples form, with tabs and line breaks escaped
        return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    lines = ["\t".join(f"?{n}" for n in names)] + ["\t".join(cell(row[n]) for n in names) for row in rows]
    return ("\n".join(lines) + "\n").encode()


_SOLUTIONS: dict[str, Callable[[list[str], Iterable[ox.QuerySolution]], bytes]] = {
    "json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def _boolean(value: bool, kind: str) -> bytes:
    if kind == "json":
        return orjson.dumps({"head": {}, "boolean": value})
    return f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()


# ---------------------------------------------------------------------------------------------- the endpoint
class SparqlEndpoint:
    """The ``/sparql`` route handler."""

    def __init__(self, settings: Settings, snapshots: Snapshots, stores: SnapshotStores,
                 limiter: Limiter | None) -> None:
        self.settings = settings
        self.snapshots = snapshots
        self.stores = stores
        self.limiter = limiter
        self.workers = ThreadPoolExecutor(settings.sparql_workers, thread_name_prefix="sparql")
        self.slots: asyncio.Semaphore | None = None  # made in the event loop on first use

    async def __call__(self, request: Request) -> Response:
        rate_headers: dict[str, str] = {}
        try:
            rate_headers = rate_limited(self.limiter, self.settings, request)
            response = await self._handle(request)
        except SparqlError as error:
            response = error.response()
            request.state.outcome = error.code
        response.headers.update(rate_headers)
        return response

    async def _handle(self, request: Request) -> Response:
        text, default_graphs, named_graphs = await self._read(request)
        snapshot = self.snapshots.current  # the one snapshot this request uses, start to end
        if text is None:
            from modelatlas.api.http.linked import service_description  # the service's own description

            return await service_description(request, self.stores, snapshot)
        accept = request.query_params.get("format", "")
        accept = FORMAT_NAMES.get(accept.lower(), accept) or request.headers.get("accept", "")
        headers = {"x-data-version": snapshot.version, "Vary": "Accept"}
        if request.method == "GET":
            key = "\0".join([snapshot.version, text, accept, *default_graphs, "\0", *named_graphs])
            headers["ETag"] = f'"{hashlib.blake2b(key.encode(), digest_size=12).hexdigest()}"'
            headers["Cache-Control"] = "public, max-age=60"
            if request.headers.get("if-none-match") == headers["ETag"]:
                return Response(status_code=304, headers=headers)
        try:
            snap = await self.stores.get(snapshot)
        except Exception as exc:  # noqa: BLE001  (a store that cannot be built: reported, the service keeps serving)
            raise SparqlError(503, "SPARQL_UNAVAILABLE", f"The SPARQL store of data version {snapshot.version} "
                              f"cannot be built: {exc}") from None
        body, media = await self._run(snap, text, accept, default_graphs, named_graphs)
        media_type = f"{media}; charset=utf-8" if media in CHARSET else media
        return Response(body, headers=headers, media_type=media_type)

    async def _run(self, snap: SnapshotStore, text: str, accept: str, default_graphs: list[str],
                   named_graphs: list[str]) -> tuple[bytes, str]:
        """Evaluate in a worker thread; at the deadline answer QUERY_TIMEOUT and tell the worker to stop."""
        seconds = self.settings.sparql_timeout_seconds
        limits = Limits(self.settings.sparql_max_results, time.monotonic() + seconds, threading.Event())
        if self.slots is None:
            self.slots = asyncio.Semaphore(self.settings.sparql_workers)
        slots = self.slots
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(slots.acquire(), seconds)
        except TimeoutError:
            raise _timeout(seconds) from None
        future = loop.run_in_executor(self.workers, _in_worker, snap, text, accept, limits, default_graphs,
                                      named_graphs)
        future.add_done_callback(lambda _: slots.release())  # the slot stays taken until the worker really stops
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, limits.deadline - time.monotonic()))
        except TimeoutError:
            limits.cancelled.set()
            raise _timeout(seconds) from None

    async def _read(self, request: Request) -> tuple[str | None, list[str], list[str]]:
        """(query text or None for none, default-graph-uri values, named-graph-uri values)."""
        params = list(request.query_params.multi_items())
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await self._body(request)
            if content_type == "application/sparql-query":
                params.append(("query", body.decode("utf-8", "replace")))
            elif content_type == "application/x-www-form-urlencoded":
                params += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            elif content_type == "application/sparql-update":
                raise _update_refused()
            else:
                raise SparqlError(415, "UNSUPPORTED_MEDIA_TYPE", f"Content-Type {content_type or '(none)'!r} is not "
                                  "supported; send application/sparql-query or an application/x-www-form-urlencoded "
                                  "form with query=.")
        elif request.method != "GET":
            raise SparqlError(405, "METHOD_NOT_ALLOWED", f"{request.method} is not supported on /sparql; use GET or "
                              "POST.", {"Allow": "GET, POST"})
        if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in params):
            raise _update_refused()
        queries = [value for name, value in params if name == "query"]
        if len(queries) > 1:
            raise SparqlError(400, "BAD_REQUEST", "Send one query (several 'query' parameters were given).")
        text = queries[0] if queries else None
        if text is not None and is_update(text):
            raise _update_refused()
        if text is not None and is_federated(text):
            raise SparqlError(403, "SERVICE_NOT_ALLOWED", "Federated queries (SERVICE) are refused: this endpoint "
                              "answers from its own data only and makes no requests of its own.")
        if text is not None and not text.strip():
            raise SparqlError(400, "MALFORMED_QUERY", "The query is empty.")
        return (text, [v for n, v in params if n == "default-graph-uri"],
                [v for n, v in params if n == "named-graph-uri"])

    async def _body(self, request: Request) -> bytes:
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise SparqlError(413, "PAYLOAD_TOO_LARGE", f"Request body too large: {declared} bytes, the limit is {limit}.")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise SparqlError(413, "PAYLOAD_TOO_LARGE", f"Request body too large: over {limit} bytes.")
            chunks.append(chunk)
        return b"".join(chunks)
