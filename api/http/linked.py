"""Linked data: dereferenceable IRIs, the JSON-LD context, the VoID description, dumps per named graph, ``/sparql``.

IRIs map to paths one for one: ``https://modelatlas.dev/id/<kind>/<slug>`` is served at ``/id/<kind>/<slug>``,
the vocabulary ``https://modelatlas.dev/ns#…`` at ``/ns``, a named graph ``https://modelatlas.dev/graph/<name>`` at
``/graph/<name>`` (303 to its dump). The data keeps its ``https://modelatlas.dev/`` IRIs wherever the service runs;
served at that origin, every IRI dereferences.

An entity is described by every triple whose subject it is (from every named graph), the nodes it owns (blank
nodes and ``<its IRI>#…``, such as the price specifications of an offering) and every triple that points at it.
Content negotiation: Turtle, N-Triples, JSON-LD (compacted with the context published at ``/ns/context.jsonld``),
RDF/XML; ``text/html`` gets the explorer page if the app has one (``app.state.explorer_paths``: a format string with
``{slug}`` per kind), else a plain HTML page; anything else 406.
"""

from __future__ import annotations

import asyncio
import atexit
import html
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import FastAPI
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from modelatlas.api.http.negotiate import accepts_html, negotiate
from modelatlas.api.http.settings import Settings
from modelatlas.api.http.snapshot import Snapshots
from modelatlas.api.http.sparql import (
    FORMAT_NAMES,
    GRAPH_TYPES,
    SnapshotStores,
    SparqlEndpoint,
    SparqlError,
    rate_limited,
)
from modelatlas.api.http.stores import Limiter
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import default_data_dir
from modelatlas.graph.rdfstore import GRAPH_NS, PREFIXES, SnapshotStore, mappings_file
from modelatlas.graph.vocab import ID_BASE, KIND_SEGMENTS

__all__ = ["CONTEXT_PATH", "EXPLORER_ROUTES", "LinkedData", "jsonld_context", "mount_linked", "service_description"]

SITE = "https://modelatlas.dev/"
CONTEXT_PATH = "/ns/context.jsonld"
ENTITY_TYPES = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
DUMP_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "nq": ox.RdfFormat.N_QUADS,
                "trig": ox.RdfFormat.TRIG}
DUMP_OF_TYPE = {"text/turtle": "ttl", "application/n-triples": "nt", "application/n-quads": "nq",
                "application/trig": "trig"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: the explorer's page of each kind it shows (web/src/ui.js ``route``); the other kinds get the plain HTML page
EXPLORER_ROUTES = {"model": "/#/model/{slug}", "family": "/#/family/{slug}", "provider": "/#/provider/{slug}",
                   "router": "/#/router/{slug}"}
INBOUND_LIMIT = 1000  # triples pointing at an entity that its document lists; past it, rdfs:seeAlso a SPARQL query
CONTEXT_PREFIXES = ("ma", "schema", "dcterms", "rdfs", "rdf", "xsd", "owl", "prov", "fair4ml", "spdx", "void")


def mount_linked(app: FastAPI, settings: Settings, snapshots: Snapshots, limiter: Limiter | None) -> SnapshotStores:
    """Add ``/sparql`` and the linked-data routes to ``app``; a reload builds the new store before its swap."""
    stores = SnapshotStores(settings.data_paths())
    load = snapshots.load

    def load_with_store() -> KnowledgeGraph:
        kg = load()
        if kg.version != snapshots.current.version:
            stores.prepare(kg)  # in the reload thread: queries on the new snapshot never wait for its store
        return kg

    snapshots.load = load_with_store
    on_swap = snapshots.on_swap

    def swapped(new: KnowledgeGraph) -> None:
        stores.retain(new)  # the old snapshot's store goes with it
        if on_swap is not None:
            on_swap(new)

    snapshots.on_swap = swapped
    if settings.sparql_prebuild:
        stores.future(snapshots.current)  # in the builder thread; the first query waits for it if it comes first
    sparql = SparqlEndpoint(settings, snapshots, stores, limiter)
    linked = LinkedData(settings, snapshots, stores, limiter)
    async def sparql_route(request: Request) -> Response:  # a function: Starlette would take an object for ASGI
        return await sparql(request)

    app.add_route("/sparql", sparql_route, methods=["GET", "POST", "PUT", "DELETE", "PATCH"], include_in_schema=False)
    for path, handler in (("/id/{kind}/{slug:path}", linked.entity), ("/ns", linked.vocabulary),
                          (CONTEXT_PATH, linked.context), ("/void", linked.void), ("/.well-known/void", linked.void),
                          ("/dumps/{name:path}", linked.dump), ("/graph/{name:path}", linked.graph)):
        app.add_route(path, linked.limited(handler), methods=["GET", "HEAD"], include_in_schema=False)
    app.state.sparql_stores = stores
    return stores


@cache
def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context of the vocabulary and its mappings: a term per ``ma:`` property (typed as its range),
    plus prefixes.

    >>> context = jsonld_context()["@context"]
    >>> context["contextWindow"], context["maker"]["@type"], context["ma"]
    ({'@id': 'ma:contextWindow', '@type': 'xsd:integer'}, '@id', 'https://modelatlas.dev/ns#')
    """
    vocab = ox.Store()
    for path in (default_data_dir() / "vocab.ttl", mappings_file()):
        vocab.load(path=path, format=ox.RdfFormat.TURTLE)
    rows = vocab.query("SELECT ?p ?kind ?range WHERE { VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty "
                       "rdf:Property } ?p a ?kind OPTIONAL { ?p rdfs:range ?range } FILTER(STRSTARTS(STR(?p), STR(ma:))) }"
                       " ORDER BY ?p", prefixes=PREFIXES)
    context: dict[str, Any] = {name: PREFIXES[name] for name in CONTEXT_PREFIXES}
    xsd = PREFIXES["xsd"]
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        iri, kind, range_ = (getattr(row[v], "value", None) for v in ("p", "kind", "range"))
        name = str(iri).removeprefix(PREFIXES["ma"])
        term: dict[str, str] = {"@id": f"ma:{name}"}
        if kind == PREFIXES["owl"] + "ObjectProperty":
            term["@type"] = "@id"
        elif range_ and range_.startswith(xsd) and range_ != xsd + "string":
            term["@type"] = f"xsd:{range_.removeprefix(xsd)}"
        context[name] = term
    context.update({"name": "schema:name", "url": {"@id": "schema:url", "@type": "@id"}, "label": "rdfs:label",
                    "comment": "rdfs:comment", "source": {"@id": "dcterms:source", "@type": "@id"}})
    return {"@context": context}


def service_path(iri: str) -> str | None:
    """The path that serves ``iri`` on this service, if it is one of ours.

    >>> service_path("https://modelatlas.dev/id/model/mistral-small-2402"), service_path("https://schema.org/name")
    ('/id/model/mistral-small-2402', None)
    """
    if iri.startswith(SITE) and not iri.startswith(SITE + "ns#"):
        return "/" + iri.removeprefix(SITE)
    return None


class LinkedData:
    """The route handlers of the linked-data paths."""

    def __init__(self, settings: Settings, snapshots: Snapshots, stores: SnapshotStores,
                 limiter: Limiter | None) -> None:
        self.settings, self.snapshots, self.stores, self.limiter = settings, snapshots, stores, limiter
        self._dump_dir: Path | None = None

    def limited(self, handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        """``handler`` behind the rate limit (the budget of /graphql), with coded errors."""
        async def route(request: Request) -> Response:
            rate_headers: dict[str, str] = {}
            try:
                rate_headers = rate_limited(self.limiter, self.settings, request)
                response: Response = await handler(request)
            except SparqlError as error:
                response = error.response()
            response.headers.update(rate_headers)
            return response
        return route

    async def _store(self) -> tuple[KnowledgeGraph, SnapshotStore]:
        snapshot = self.snapshots.current
        try:
            return snapshot, await self.stores.get(snapshot)
        except Exception as exc:  # noqa: BLE001
            raise SparqlError(503, "SPARQL_UNAVAILABLE", f"The RDF store of data version {snapshot.version} cannot "
                              f"be built: {exc}") from None

    # ------------------------------------------------------------------ entities
    async def entity(self, request: Request) -> Response:
        kind, slug = request.path_params["kind"], request.path_params["slug"]
        if kind not in set(KIND_SEGMENTS.values()):
            raise SparqlError(404, "NOT_FOUND", f"No kind of entity is served at /id/{kind}/; kinds: "
                              f"{', '.join(sorted(set(KIND_SEGMENTS.values())))}.")
        iri = f"{ID_BASE}{kind}/{slug}"
        snapshot, snap = await self._store()
        triples = describe(snap.store, iri, self._base(request) + "/sparql")
        if not triples:
            raise SparqlError(404, "NOT_FOUND", f"Nothing is known about {iri} in data version {snapshot.version}.")
        accept = self._accept(request)
        if accepts_html(accept):
            explorer = (getattr(request.app.state, "explorer_paths", None) or {}).get(kind)
            if explorer:  # the explorer's page of this entity
                return RedirectResponse(explorer.format(slug=quote(slug, safe="")), status_code=303,
                                        headers={"Vary": "Accept"})
            return _html(iri, triples, snapshot.version)
        return self._rdf(request, triples, snapshot.version, accept)

    def _rdf(self, request: Request, triples: list[ox.Triple], version: str, accept: str) -> Response:
        media = negotiate(accept, ENTITY_TYPES)
        if media is None:
            raise SparqlError(406, "NOT_ACCEPTABLE", f"None of the types in Accept ({accept!r}) is offered; offered: "
                              f"{', '.join(ENTITY_TYPES)}, text/html.")
        headers = {"x-data-version": version, "Vary": "Accept", "Cache-Control": "public, max-age=60",
                   "Link": f'<{self._base(request)}/sparql>; rel="http://www.w3.org/ns/sparql-service-description#endpoint"'}
        if media == "application/ld+json":
            return Response(compacted(triples, self._base(request) + CONTEXT_PATH), headers=headers, media_type=media)
        body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=PREFIXES) or b""
        charset = "; charset=utf-8" if media.startswith("text/") or media == "application/n-triples" else ""
        return Response(body, headers=headers, media_type=media + charset)

    @staticmethod
    def _accept(request: Request) -> str:
        """``format=`` (ttl, jsonld, nt, ...) if given, else the Accept header."""
        given = request.query_params.get("format", "")
        return FORMAT_NAMES.get(given.lower(), given) or request.headers.get("accept", "")

    @staticmethod
    def _base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    async def vocabulary(self, request: Request) -> Response:
        """``/ns``: the vocabulary and its mappings to standard vocabularies."""
        snapshot, snap = await self._store()
        triples = [q.triple for name in ("vocab", "mappings")
                   for q in snap.store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_NS + name))]
        accept = self._accept(request)
        if accepts_html(accept):
            return _html(f"{SITE}ns", triples, snapshot.version)
        return self._rdf(request, triples, snapshot.version, accept)

    async def context(self, request: Request) -> Response:
        return Response(json.dumps(jsonld_context(), indent=1, sort_keys=True), media_type="application/ld+json",
                        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"})

    # ------------------------------------------------------------------ VoID, graphs, dumps
    async def void(self, request: Request) -> Response:
        snapshot, snap = await self._store()
        triples = void_description(snap, snapshot, self._base(request))
        accept = self._accept(request)
        if accepts_html(accept):
            return _html(self._base(request) + "/void", triples, snapshot.version)
        return self._rdf(request, triples, snapshot.version, accept)

    async def graph(self, request: Request) -> Response:
        """``/graph/<name>``: the named graph ``https://modelatlas.dev/graph/<name>``, as 303 to its dump."""
        name = request.path_params["name"]
        _, snap = await self._store()
        if name not in snap.graph_names:
            raise SparqlError(404, "NOT_FOUND", f"No named graph {GRAPH_NS}{name}; see /void for the list.")
        ext = DUMP_OF_TYPE.get(negotiate(request.headers.get("accept", ""), list(DUMP_OF_TYPE)) or "", "ttl")
        return RedirectResponse(f"/dumps/{name}.{ext}", status_code=303, headers={"Vary": "Accept"})

    async def dump(self, request: Request) -> Response:
        """``/dumps/<graph>.nt|ttl|nq|trig``; ``/dumps/all.nq|trig`` is every named graph."""
        name, _, ext = request.path_params["name"].rpartition(".")
        snapshot, snap = await self._store()
        if ext not in DUMP_FORMATS:
            raise SparqlError(404, "NOT_FOUND", f"No dump format .{ext}; formats: .nt, .ttl, .nq, .trig.")
        if name != "all" and name not in snap.graph_names:
            raise SparqlError(404, "NOT_FOUND", f"No named graph {name!r}; see /void for the dumps.")
        if name == "all" and ext in ("nt", "ttl"):
            raise SparqlError(404, "NOT_FOUND", "The whole dataset is a set of named graphs: /dumps/all.nq or "
                              "/dumps/all.trig (or one graph's .nt / .ttl).")
        path = await asyncio.to_thread(self._dump_file, snap, name, ext)
        media = {"nt": "application/n-triples", "ttl": "text/turtle; charset=utf-8", "nq": "application/n-quads",
                 "trig": "application/trig"}[ext]
        return FileResponse(path, media_type=media, headers={"x-data-version": snapshot.version,
                                                             "ETag": f'"{snapshot.version}-{name}.{ext}"',
                                                             "Cache-Control": "public, max-age=60"})

    def _dump_file(self, snap: SnapshotStore, name: str, ext: str) -> Path:
        """The dump on disk (written once per data version, atomically); other versions' dumps are removed."""
        if self._dump_dir is None:
            self._dump_dir = Path(tempfile.mkdtemp(prefix="modelatlas-dumps-"))
            atexit.register(shutil.rmtree, self._dump_dir, True)
        folder = self._dump_dir / snap.version.replace("/", "_")
        path = folder / f"{name.replace('/', '--')}.{ext}"
        if path.exists():
            return path
        folder.mkdir(exist_ok=True)
        for other in self._dump_dir.iterdir():
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        os.close(fd)
        graph = None if name == "all" else ox.NamedNode(GRAPH_NS + name)
        options: dict[str, Any] = {"prefixes": PREFIXES} if ext in ("ttl", "trig") else {}
        snap.store.dump(tmp, format=DUMP_FORMATS[ext], from_graph=graph, **options)
        os.replace(tmp, path)
        return path


def describe(store: ox.Store, iri: str, sparql_url: str = "/sparql") -> list[ox.Triple]:
    """Every triple about ``iri`` in any graph, those of the nodes it owns (blank, or ``<iri>#…``), and the triples
    pointing at it (the first ``INBOUND_LIMIT``, then ``rdfs:seeAlso`` a query at ``sparql_url`` for all of them);
    each once, in a stable order."""
    node = ox.NamedNode(iri)
    seen: dict[ox.Triple, None] = {}
    todo: list[ox.NamedNode | ox.BlankNode] = [node]
    done: set[Any] = set()
    while todo:
        subject = todo.pop()
        if subject in done:
            continue
        done.add(subject)
        for quad in store.quads_for_pattern(subject, None, None, None):
            seen.setdefault(quad.triple)
            obj = quad.object
            if isinstance(obj, ox.BlankNode) or (isinstance(obj, ox.NamedNode) and obj.value.startswith(iri + "#")):
                todo.append(obj)
    if len(seen) == 0:
        return []
    inbound = 0
    for quad in store.quads_for_pattern(None, None, node, None):
        if quad.triple not in seen:
            inbound += 1
            if inbound > INBOUND_LIMIT:  # e.g. a catalog source, which every imported node cites
                query = quote(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }}")
                seen.setdefault(ox.Triple(node, ox.NamedNode(PREFIXES["rdfs"] + "seeAlso"),
                                          ox.NamedNode(f"{sparql_url}?query={query}")))
                break
            seen.setdefault(quad.triple)
    return sorted(seen, key=lambda t: (t.subject != node, str(t.subject), str(t.predicate), str(t.object)))


def compacted(triples: Iterable[ox.Triple], context_url: str) -> bytes:
    """JSON-LD compacted with the vocabulary's context, which the document names by its URL."""
    graph = Graph()
    graph.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES), format="nt")
    document = json.loads(graph.serialize(format="json-ld", context=jsonld_context()["@context"], auto_compact=True))
    document["@context"] = context_url
    return json.dumps(document, indent=1, ensure_ascii=False).encode()


def void_description(snap: SnapshotStore, kg: KnowledgeGraph, base: str) -> list[ox.Triple]:
    """The VoID description: the dataset, a subset per named graph (size, dump, source), class partitions."""
    ns = {name: PREFIXES[name] for name in ("void", "dcterms", "rdf", "ma", "xsd")}
    sd = "http://www.w3.org/ns/sparql-service-description#"

    def iri(text: str) -> ox.NamedNode:
        return ox.NamedNode(text)

    def lit(value: object) -> ox.Literal:
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=iri(ns["xsd"] + "integer"))
        return ox.Literal(str(value))

    dataset = iri(f"{SITE}void#modelatlas")
    void, dct = ns["void"], ns["dcterms"]
    out = [ox.Triple(dataset, iri(ns["rdf"] + "type"), iri(void + "Dataset")),
           ox.Triple(dataset, iri(dct + "title"), lit("modelatlas")),
           ox.Triple(dataset, iri(dct + "description"), lit(
               "The LLM model landscape as a knowledge graph: models, lineage, providers, routes and prices, "
               "curated with sources plus the imported catalogs models.dev, genai-prices and LiteLLM.")),
           ox.Triple(dataset, iri(dct + "hasVersion"), lit(kg.version)),
           ox.Triple(dataset, iri(void + "sparqlEndpoint"), iri(f"{base}/sparql")),
           ox.Triple(dataset, iri(void + "dataDump"), iri(f"{base}/dumps/all.nq")),
           ox.Triple(dataset, iri(void + "uriSpace"), lit(ID_BASE)),
           ox.Triple(dataset, iri(void + "triples"), lit(len(snap.store))),
           ox.Triple(dataset, iri(void + "exampleResource"), iri(f"{ID_BASE}model/mistral-small-2402")),
           ox.Triple(dataset, iri(sd + "endpoint"), iri(f"{base}/sparql"))]
    out += [ox.Triple(dataset, iri(void + "vocabulary"), iri(PREFIXES[p]))
            for p in ("ma", "schema", "dcterms", "rdfs", "prov", "fair4ml", "owl", "spdx")]
    for info in snap.graphs:
        graph = iri(info.iri)
        out += [ox.Triple(dataset, iri(void + "subset"), graph),
                ox.Triple(graph, iri(ns["rdf"] + "type"), iri(void + "Dataset")),
                ox.Triple(graph, iri(dct + "title"), lit(info.title)),
                ox.Triple(graph, iri(void + "triples"), lit(info.triples)),
                ox.Triple(graph, iri(void + "dataDump"), iri(f"{base}/dumps/{info.name}.nt"))]
        if info.name.startswith("import/"):
            out.append(ox.Triple(graph, iri(dct + "source"), iri(f"{ID_BASE}source/{info.name.split('/', 1)[1]}")))
    counts = snap.store.query("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class "
                              "FILTER(STRSTARTS(STR(?class), STR(ma:))) } GROUP BY ?class ORDER BY ?class",
                              prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(counts, ox.QuerySolutions)
    for position, row in enumerate(counts):
        part = iri(f"{SITE}void#class-{position}")
        out += [ox.Triple(dataset, iri(void + "classPartition"), part),
                ox.Triple(part, iri(void + "class"), row["class"]),
                ox.Triple(part, iri(void + "entities"), row["n"])]
    return sorted(out, key=lambda t: t.subject != dataset)  # stable: each node's triples together, for Turtle


async def service_description(request: Request, stores: SnapshotStores, kg: KnowledgeGraph) -> Response:
    """``GET /sparql`` without a query: the SPARQL 1.1 Service Description (a query form for a browser)."""
    base = str(request.base_url).rstrip("/")
    if accepts_html(request.headers.get("accept", "")):
        return Response(_QUERY_FORM, media_type="text/html; charset=utf-8")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = "http://www.w3.org/ns/formats/"
    service = ox.BlankNode("service")
    dataset = ox.NamedNode(f"{SITE}void#modelatlas")
    triples = [ox.Triple(service, ox.NamedNode(RDF_TYPE), ox.NamedNode(sd + "Service")),
               ox.Triple(service, ox.NamedNode(sd + "endpoint"), ox.NamedNode(f"{base}/sparql")),
               ox.Triple(service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
               ox.Triple(service, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
               ox.Triple(service, ox.NamedNode(sd + "defaultDataset"), dataset),
               ox.Triple(dataset, ox.NamedNode(PREFIXES["rdfs"] + "seeAlso"), ox.NamedNode(f"{base}/void"))]
    triples += [ox.Triple(service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(formats + name))
                for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                             "Turtle", "N-Triples", "JSON-LD", "RDF_XML")]
    media = negotiate(request.headers.get("accept", ""), ENTITY_TYPES)
    if media is None:
        raise SparqlError(406, "NOT_ACCEPTABLE", f"Offered for the service description: {', '.join(ENTITY_TYPES)}.")
    if media == "application/ld+json":
        body = ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b""
    else:
        body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes={"sd": sd}) or b""
    return Response(body, media_type=media, headers={"x-data-version": kg.version, "Vary": "Accept"})


# ---------------------------------------------------------------------------------------------- HTML
def _html(iri: str, triples: list[ox.Triple], version: str) -> Response:
    """A plain page of the triples, every modelatlas IRI a link to its page on this service."""
    def term(node: Any) -> str:
        if isinstance(node, ox.NamedNode):
            path = service_path(node.value)
            short = _short(node.value)
            return f'<a href="{html.escape(path or node.value)}">{html.escape(short)}</a>'
        if isinstance(node, ox.Literal):
            return html.escape(node.value)
        return html.escape(str(node))

    rows = "\n".join(f"<tr><td>{term(t.subject)}</td><td>{term(t.predicate)}</td><td>{term(t.object)}</td></tr>"
                     for t in triples)
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(_short(iri))} · modelatlas"
            f"</title><style>body{{font:14px system-ui;margin:2em}}td{{padding:2px 8px;vertical-align:top}}"
            f"tr:nth-child(even){{background:#f4f4f4}}</style></head><body><h1>{html.escape(_short(iri))}</h1>"
            f"<p><code>{html.escape(iri)}</code> · data version {html.escape(version)} · also as "
            f"<a href='?format=ttl'>Turtle</a> (send <code>Accept: text/turtle</code>, "
            f"<code>application/ld+json</code> or <code>application/n-triples</code>)</p>"
            f"<table>{rows}</table></body></html>")
    return Response(page, media_type="text/html; charset=utf-8", headers={"x-data-version": version, "Vary": "Accept"})


def _short(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, f"{prefix}:{iri[len(ns):]}"
    return name if best else iri


_QUERY_FORM = """<!doctype html><html lang=en><head><meta charset=utf-8><title>SPARQL · modelatlas</title>
<style>body{font:14px system-ui;margin:2em}textarea{width:100%;height:16em;font:13px monospace}</style></head><body>
<h1>SPARQL 1.1 endpoint</h1><p>Read-only, over the served data version; the default graph is the union of the named
graphs (see <a href="/void">/void</a>). Prefixes ma:, schema:, dcterms:, rdfs:, xsd:, owl:, prov:, fair4ml: and the
id prefixes (model:, org:, ...) are predeclared.</p>
<form action="/sparql" method="get"><textarea name="query">SELECT ?newer ?name WHERE {
  ?link a ma:LineageLink ; ma:linkKind ma:NextVersion ; ma:from model:mistral-small-2402 ; ma:to ?newer .
  ?newer schema:name ?name .
}</textarea><p><select name="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option>
<option>turtle</option><option>jsonld</option></select> <button>Run</button></p></form></body></html>
"""
