"""Client address, request id, JSON access log and per-path metrics, as a plain ASGI middleware (no per-request task
or copy).

The client address (``scope["client"]``, which the rate limits read) is the TCP peer, or behind a trusted proxy the
address ``proxies.client_address`` finds in ``X-Forwarded-For``. Every response gets ``x-request-id`` (the client's,
if it sent a sane one). The GraphQL handler may set ``request.state.operation`` and ``request.state.outcome``; they
end up in the log line and the metrics.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from modelatlas.api.http.proxies import Network, client_address

__all__ = ["Metrics", "Observe"]

access_log = logging.getLogger("modelatlas.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
KNOWN_PATHS = {"/graphql", "/healthz", "/readyz", "/metrics", "/", "/admin/reload", "/sparql", "/void"}


class Metrics:
    """Prometheus metrics of one app (own registry, so several apps in one process do not clash).

    Operation names are the client's choice: only the first ``MAX_OPERATION_LABELS`` distinct names of each data
    version become labels, later ones count as "other".

    >>> metrics = Metrics()
    >>> [metrics.operation_label(f"Junk{i}", "v1") for i in range(51)][-2:]
    ['Junk49', 'other']
    >>> metrics.operation_label("Junk0", "v1"), metrics.operation_label("Junk50", "v2")
    ('Junk0', 'Junk50')
    """

    MAX_OPERATION_LABELS = 50  # per data version: client-chosen names must not grow the metrics without bound

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("modelatlas_graphql_requests_total", "GraphQL requests by operation and outcome",
                                ["operation", "outcome"], registry=self.registry)
        self.latency = Histogram("modelatlas_graphql_request_seconds", "GraphQL request latency by operation",
                                 ["operation"], registry=self.registry,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
        self.http = Counter("modelatlas_http_requests_total", "HTTP requests by path and status",
                            ["path", "status"], registry=self.registry)
        self.reloads = Counter("modelatlas_reloads_total", "Data reloads by outcome", ["status"], registry=self.registry)
        self.operations: set[str] = set()  # the labelled names of data version ``operations_version``
        self.operations_version = ""

    def operation_label(self, name: str, data_version: str) -> str:
        if data_version != self.operations_version:
            self.operations, self.operations_version = set(), data_version
        if name in self.operations:
            return name
        if len(self.operations) >= self.MAX_OPERATION_LABELS:
            return "other"
        self.operations.add(name)
        return name


class Observe:
    """ASGI middleware: client address, request id, one JSON access-log line per request, metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics, data_version: Callable[[], str],
                 trusted: tuple[Network, ...] = ()) -> None:
        self.app = app
        self.metrics = metrics
        self.data_version = data_version
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        if self.trusted and peer:
            forwarded = ",".join(v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for")
            client = client_address(peer[0], forwarded, self.trusted)
            if client != peer[0]:
                scope["client"] = (client, 0)
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["arrival"] = time.monotonic()  # the request's deadline counts from here (queue, parse, validate too)
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - start
            version = self.data_version()
            path = scope["path"]
            operation = state.get("operation", "-")
            if path == "/graphql":
                outcome = state.get("outcome") or str(status)
                label = self.metrics.operation_label(operation[:64], version)
                self.metrics.requests.labels(label, outcome).inc()
                self.metrics.latency.labels(label).observe(elapsed)
            self.metrics.http.labels(path if path in KNOWN_PATHS else "other", str(status)).inc()
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(json.dumps({
                    "request_id": request_id, "client": (scope.get("client") or ("-",))[0],
                    "method": scope["method"], "path": path, "status": status,
                    "operation": operation, "ms": round(elapsed * 1000, 2), "data_version": version,
                }))
