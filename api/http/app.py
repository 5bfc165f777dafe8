"""The FastAPI application: GraphQL at /graphql, health, readiness, metrics, admin reload.

>>> app = create_app(Settings(imports=False, cache=False))
>>> sorted(r.path for r in app.routes if getattr(r, "path", "").endswith("z"))
['/healthz', '/readyz']
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from starlette.middleware.cors import CORSMiddleware

from modelatlas.api.http.endpoint import GraphQLEndpoint
from modelatlas.api.http.explorer import mount_explorer
from modelatlas.api.http.graphiql import ASSETS_DIR, ASSETS_PATH, graphiql_page
from modelatlas.api.http.linked import EXPLORER_ROUTES, mount_linked
from modelatlas.api.http.memory import tune_malloc
from modelatlas.api.http.observe import Metrics, Observe
from modelatlas.api.http.proxies import trusted_networks
from modelatlas.api.http.settings import Settings
from modelatlas.api.http.snapshot import ReloadOutcome, Snapshots
from modelatlas.api.http.stores import stores_for
from modelatlas.graph import KnowledgeGraph, KnowledgeGraphError, load_graph

__all__ = ["app_from_env", "create_app"]

audit_log = logging.getLogger("modelatlas.audit")
log = logging.getLogger(__name__)


def create_app(settings: Settings, kg: KnowledgeGraph | None = None) -> FastAPI:
    """Build the app: load (or take) the knowledge graph, mount GraphQL and the operational endpoints."""

    def load() -> KnowledgeGraph:
        return load_graph(settings.data_paths(), imports=settings.imports, cache=settings.cache,
                          cache_dir=settings.cache_dir, background_write=True, catalog_dir=settings.catalog_path())

    metrics = Metrics()
    snapshots = Snapshots(kg or load(), load)
    settle_memory()
    stores = stores_for(settings)  # in process, or shared by the replicas through Redis (MODELATLAS_REDIS_URL)
    endpoint = GraphQLEndpoint(settings, snapshots, stores)
    if settings.sparql_store:  # lineage, reach and alternatives from the store; it must hold this data version
        from modelatlas.graph.store.backend import StoreBackends

        endpoint.store_for = StoreBackends(settings.sparql_store)
        endpoint.store_for(snapshots.current)
    if (shared := stores.shared) is not None:
        Gauge("modelatlas_redis_up", "1 while the shared Redis answers, 0 while this process falls back to its own state",
              registry=metrics.registry).set_function(lambda: 0.0 if shared.down else 1.0)
        Gauge("modelatlas_redis_failed_calls", "Redis calls that failed since the start (each fell back)",
              registry=metrics.registry).set_function(lambda: float(shared.failures))

    def swapped(new: KnowledgeGraph) -> None:
        if endpoint.cache is not None:
            endpoint.cache.clear()
        settle_memory()

    def load_and_warm() -> KnowledgeGraph:  # a reload's thread, off the event loop
        new = load()
        if endpoint.store_for is not None:
            try:
                endpoint.store_for(new)  # checked, its signature table read, before the first question of it
            except KnowledgeGraphError as exc:
                log.warning("the SPARQL store does not hold the new snapshot yet: %s", exc)
        return new

    snapshots.on_swap = swapped
    snapshots.load = load_and_warm

    async def reload(trigger: str) -> ReloadOutcome:
        outcome = await snapshots.reload(trigger)
        metrics.reloads.labels(outcome.status).inc()
        return outcome

    running: set[asyncio.Task[ReloadOutcome]] = set()  # the event loop keeps only weak references to tasks: hold reloads until they finish

    def _keep(task: asyncio.Task[ReloadOutcome]) -> None:
        running.add(task)
        task.add_done_callback(running.discard)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        try:  # only possible in the main thread (uvicorn); test clients run the app elsewhere
            loop.add_signal_handler(signal.SIGHUP, lambda: _keep(loop.create_task(reload("SIGHUP"))))
        except (RuntimeError, ValueError, NotImplementedError):
            pass
        yield
        try:
            loop.remove_signal_handler(signal.SIGHUP)
        except (RuntimeError, ValueError, NotImplementedError):
            pass

    app = FastAPI(title="modelatlas", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.snapshots = snapshots
    app.state.graphql = endpoint
    if not settings.production:  # development: GraphiQL from our own assets on GET /graphql with Accept: text/html
        page = graphiql_page("/graphql")
        app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="graphiql-assets")

        @app.get("/graphql", include_in_schema=False)
        async def graphiql(request: Request) -> Response:
            if "text/html" in request.headers.get("accept", "") and not request.query_params:
                return HTMLResponse(page)
            return await endpoint(request)

    async def graphql(request: Request) -> Response:  # a plain Starlette route: FastAPI's per-route work costs ~30%
        return await endpoint(request)                 # of a cached answer's time (measured by the bench profile)

    app.add_route("/graphql", graphql, methods=["GET", "POST", "PUT", "DELETE", "PATCH"], include_in_schema=False)
    mount_linked(app, settings, snapshots, endpoint.limiter)  # /sparql, /id/..., /ns, /void, /dumps (api/http/linked.py)

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> dict[str, Any]:
        current = snapshots.current
        return {"status": "ready", "dataVersion": current.version, "models": len(current.models)}

    @app.get("/metrics")
    async def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    lockout = stores.lockout  # per client address: 5 failed attempts within a minute lock it out for a minute

    @app.post("/admin/reload")
    async def admin_reload(request: Request) -> JSONResponse:
        if not settings.admin_token:
            return JSONResponse({"error": "Not found."}, status_code=404)
        client = request.client.host if request.client else "-"

        def audit(outcome: str) -> None:  # every attempt, never the token's text
            audit_log.info(json.dumps({"event": "admin_reload", "client": client, "outcome": outcome,
                                       "request_id": getattr(request.state, "request_id", "-")}))

        retry_after = lockout.retry_after(client)
        if retry_after:
            audit("locked")
            return JSONResponse({"error": f"Too many failed attempts. Retry after {retry_after} s."}, status_code=429,
                                headers={"Retry-After": str(retry_after)})
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {settings.admin_token}".encode()):
            lockout.fail(client)
            audit("denied")
            return JSONResponse({"error": "A valid 'Authorization: Bearer <token>' header is required."},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        lockout.succeed(client)
        audit("ok")
        outcome = await reload("admin")
        return JSONResponse(outcome.as_dict(), status_code=422 if outcome.status == "rejected" else 200)

    mount_explorer(app, endpoint)  # the web app at /, its assets, its persisted-query manifest
    app.state.explorer_paths = EXPLORER_ROUTES  # /id/<kind>/<slug> with Accept: text/html -> the explorer's page

    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], max_age=600,
                           allow_headers=["content-type", "apollo-require-preflight", "x-apollo-operation-name",
                                          "x-request-id", "if-none-match"],
                           expose_headers=["etag", "x-data-version", "x-request-id", "retry-after", "ratelimit-limit",
                                           "ratelimit-remaining", "ratelimit-reset"])
    app.add_middleware(Observe, metrics=metrics, data_version=lambda: snapshots.current.version,
                       trusted=trusted_networks(settings.trusted_proxies))
    return app


def settle_memory() -> None:
    """Collect once, then move every surviving object out of the cyclic GC's sight (``gc.freeze``).

    A snapshot is hundreds of thousands of long-lived objects; without this, each full collection rescans them all
    and stalls every connection for 40-90 ms (measured by the bench profile). Called at start and after each swap
    (after ``gc.unfreeze``, so an old snapshot's cycles can still be collected).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def configure_logging() -> None:
    """JSON lines on standard error: the access log, the admin audit log, reloads, errors."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory``: settings from MODELATLAS_* variables."""
    configure_logging()
    app = create_app(Settings.from_env())
    tune_malloc()  # after the load: freed request memory goes back to the system
    return app
