"""A SPARQL 1.1 Protocol and Graph Store Protocol client over HTTP (standard library only; one keep-alive
connection per thread).

Oxigraph's server names its services ``/query``, ``/update`` and ``/store``; other stores take those paths as
settings. Queries ask for the union of the named graphs as the default graph (``union-default-graph``, which
Oxigraph reads; every triple is written to exactly one named graph, so the union holds no duplicates).

>>> client = SparqlClient("http://127.0.0.1:7878")
>>> client.base, client.query_path
('http://127.0.0.1:7878', '/query')
>>> SparqlClient("ftp://x")
Traceback (most recent call last):
...
modelatlas.graph.store.client.StoreError: store URL 'ftp://x': expected http://host:port
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import Any, TypeAlias

import orjson

from modelatlas.graph.errors import KnowledgeGraphError

__all__ = ["Binding", "Row", "SparqlClient", "StoreError", "value"]

Binding: TypeAlias = dict[str, str]  # a SPARQL JSON term: type, value, datatype / xml:lang
Row: TypeAlias = dict[str, Binding]


class StoreError(KnowledgeGraphError):
    """The store could not be reached, or refused a request; the message names the URL and the store's answer."""


class SparqlClient:
    """SELECT / ASK over the SPARQL Protocol, UPDATE, and bulk upload of N-Quads over the Graph Store Protocol."""

    def __init__(self, url: str, *, timeout: float = 30.0, query_path: str = "/query", update_path: str = "/update",
                 store_path: str = "/store") -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise StoreError(f"store URL {url!r}: expected http://host:port")
        self.base = f"http://{parts.netloc}{parts.path.rstrip('/')}"
        self.host, self.port = parts.hostname, parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.query_path, self.update_path, self.store_path = query_path, update_path, store_path
        self._local = threading.local()

    # ------------------------------------------------------------------ transport
    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return conn

    def _request(self, method: str, path: str, body: bytes | Iterable[bytes] | None, headers: dict[str, str]) -> bytes:
        url = self.prefix + path
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: reconnect once
            conn = self._connection()
            try:
                conn.request(method, url, body=body, headers=headers,
                             encode_chunked=not isinstance(body, (bytes, type(None))))
                response = conn.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                conn.close()
                self._local.conn = None
                if attempt == 2 or not isinstance(exc, (ConnectionResetError, http.client.RemoteDisconnected,
                                                        BrokenPipeError)) or not isinstance(body, (bytes, type(None))):
                    raise StoreError(f"{self.base}{path}: {type(exc).__name__}: {exc}") from exc
                continue
            if response.status >= 400:
                text = data.decode("utf-8", "replace").strip()[:500]
                raise StoreError(f"{self.base}{path}: HTTP {response.status}: {text}")
            return data
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ SPARQL
    def select(self, query: str) -> list[Row]:
        """The bindings of a SELECT query, one dict per solution (unbound variables absent)."""
        data = self._query(query)
        rows: list[Row] = orjson.loads(data)["results"]["bindings"]
        return rows

    def ask(self, query: str) -> bool:
        """The boolean of an ASK query."""
        return bool(orjson.loads(self._query(query))["boolean"])

    def _query(self, query: str) -> bytes:
        return self._request("POST", f"{self.query_path}?union-default-graph", query.encode(), {
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})

    def update(self, update: str) -> None:
        """Run a SPARQL UPDATE."""
        self._request("POST", self.update_path, update.encode(), {"Content-Type": "application/sparql-update"})

    def upload(self, nquads: Iterable[bytes]) -> None:
        """Add N-Quads to the dataset (Graph Store Protocol POST on the dataset, streamed)."""
        self._request("POST", self.store_path, _chunks(nquads), {"Content-Type": "application/n-quads"})

    def clear(self) -> None:
        """Remove every triple of every graph."""
        self.update("CLEAR ALL")

    def close(self) -> None:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _chunks(parts: Iterable[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """Bytes in blocks of about ``size`` (http.client frames each as one chunk)."""
    buffer: list[bytes] = []
    held = 0
    for part in parts:
        buffer.append(part)
        held += len(part)
        if held >= size:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


def value(row: Row, name: str) -> str | None:
    """The lexical value of ``name`` in ``row``, None when unbound.

    >>> value({"x": {"type": "literal", "value": "3"}}, "x"), value({}, "x")
    ('3', None)
    """
    term: Any = row.get(name)
    return None if term is None else str(term["value"])
