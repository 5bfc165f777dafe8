"""The FastAPI application: GraphQL at /graphql, health, readiness, metrics, JSON access log.

>>> from api.settings import Settings
>>> app = create_app(Settings())
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from graphql import GraphQLError
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, process_result

from api.settings import Settings
from graph import KnowledgeGraph
from graph.catalog import load_catalog
from schema import build_schema
from schema.context import Context

__all__ = ["create_app", "app_from_env"]

access_log = logging.getLogger("modelatlas.access")
error_log = logging.getLogger("modelatlas.error")


class Metrics:
    """Prometheus metrics of one app (own registry, so several apps in one process do not clash)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("modelatlas_graphql_requests_total", "GraphQL requests by operation and outcome",
                                ["operation", "outcome"], registry=self.registry)
        self.latency = Histogram("modelatlas_graphql_request_seconds", "GraphQL request latency by operation",
                                 ["operation"], registry=self.registry,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
        self.http = Counter("modelatlas_http_requests_total", "HTTP requests by path and status",
                            ["path", "status"], registry=self.registry)


def _code_for(error: dict) -> str:
    message = error.get("message", "")
    if "cannot represent" in message or "Expected value of type" in message or "got invalid value" in message \
            or "Int cannot" in message or "Variable '$" in message or "does not exist in" in message:
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


class ModelAtlasRouter(GraphQLRouter):
    """GraphQLRouter whose errors carry stable codes and whose unexpected exceptions are masked and logged."""

    async def process_result(self, request: Request, result) -> GraphQLHTTPResponse:
        request_id = getattr(request.state, "request_id", "-")
        if result.errors:
            for error in result.errors:
                original = error.original_error
                if original is not None and not isinstance(original, GraphQLError):
                    error_log.error(json.dumps({"request_id": request_id, "error": repr(original), "path": error.path}),
                                    exc_info=(type(original), original, original.__traceback__))
        response = process_result(result)
        errors = []
        for raw, error in zip(response.get("errors", []), result.errors or []):
            original = error.original_error
            if original is not None and not isinstance(original, GraphQLError):
                errors.append({"message": "Internal server error.", "path": raw.get("path"),
                               "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}})
                continue
            ext = dict(raw.get("extensions") or {})
            ext.setdefault("code", _code_for(raw) if error.path is None else "BAD_USER_INPUT")
            raw["extensions"] = ext
            errors.append(raw)
        if errors:
            response["errors"] = errors
        return response


def create_app(settings: Settings, kg: KnowledgeGraph | None = None) -> FastAPI:
    """Build the app: load (or take) the knowledge graph, mount GraphQL and the operational endpoints."""
    kg = kg or load_catalog(settings.data_paths(), use_cache=settings.cache, cache_dir=settings.cache_path())
    today = date.fromisoformat(settings.today) if settings.today else None
    schema = build_schema(settings.max_depth, settings.max_aliases, settings.max_tokens, 10, settings.production)
    metrics = Metrics()
    app = FastAPI(title="modelatlas", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.kg = kg
    app.state.settings = settings

    async def get_context() -> Context:
        return Context(kg=app.state.kg, today=today or date.today(), max_page_size=settings.max_page_size)

    graphql = ModelAtlasRouter(schema, context_getter=get_context, graphql_ide="graphiql" if not settings.production else None,
                               allow_queries_via_get=True)
    app.include_router(graphql, prefix="/graphql")

    @app.middleware("http")
    async def observe(request: Request, call_next):
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        request.state.request_id = request_id
        start = time.perf_counter()
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            response: Response = JSONResponse(
                {"errors": [{"message": f"Request body too large: {length} bytes, the limit is {settings.max_body_bytes}.",
                             "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]}, status_code=413)
            operation = "-"
        else:
            operation = "-"
            if request.url.path == "/graphql":
                operation = request.query_params.get("operationName") or "-"
                if request.method == "POST":
                    body = await request.body()
                    if len(body) > settings.max_body_bytes:
                        return JSONResponse({"errors": [{"message": f"Request body too large: {len(body)} bytes, the limit is "
                                                         f"{settings.max_body_bytes}.", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]},
                                            status_code=413)
                    operation = _operation_name(body) or "-"
            response = await call_next(request)
        elapsed = time.perf_counter() - start
        response.headers["x-request-id"] = request_id
        if request.url.path == "/graphql":
            metrics.requests.labels(operation, str(response.status_code)).inc()
            metrics.latency.labels(operation).observe(elapsed)
        metrics.http.labels(request.url.path if request.url.path in KNOWN_PATHS else "other", str(response.status_code)).inc()
        access_log.info(json.dumps({
            "request_id": request_id, "method": request.method, "path": request.url.path, "status": response.status_code,
            "operation": operation, "ms": round(elapsed * 1000, 2), "data_version": app.state.kg.version,
        }))
        return response

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> dict[str, Any]:
        current = app.state.kg
        return {"status": "ready", "dataVersion": current.version, "models": len(current.models)}

    @app.get("/metrics")
    async def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/", include_in_schema=False)
    async def root() -> PlainTextResponse:
        return PlainTextResponse("modelatlas: GraphQL at /graphql, health at /healthz and /readyz, metrics at /metrics\n")

    return app


KNOWN_PATHS = {"/graphql", "/healthz", "/readyz", "/metrics", "/"}


def _operation_name(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and isinstance(data.get("operationName"), str):
        return data["operationName"][:64]
    return None


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory``: settings from MODELATLAS_* variables."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    return create_app(Settings.from_env())
