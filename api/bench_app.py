"""The app under benchmark plus its ceiling: bare routes returning each bench query's response bytes, precomputed.

``ceiling_app_from_env`` is a uvicorn factory (``uvicorn api.bench_app:ceiling_app_from_env --factory``): the
production app from ``MODELATLAS_*`` variables, as ``modelatlas serve`` builds it (rate limiting off), plus one route
``POST|GET /__ceiling/<query>`` per ``.graphql`` file under ``$BENCH_QUERIES_DIR``. At startup each query is sent once
through the app's own ``/graphql`` (in process, full middleware stack) and the response bytes are kept; the route
then returns them with no GraphQL work at all, so ``/graphql`` over ``/__ceiling`` is GraphQL's cost alone. The
ceiling is a plain FastAPI route, like the bare FastAPI app the targets were calibrated on.

>>> from modelatlas.api.settings import Settings
>>> app = with_ceiling(create_app(Settings(imports=False)), [])
>>> [r.path for r in app.routes if r.path.startswith(CEILING_PREFIX)]
[]
"""

from __future__ import annotations

import json
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.responses import Response

from modelatlas.api.app import create_app
from modelatlas.api.bench_queries import BenchQuery, default_queries_dir, load_queries
from modelatlas.api.settings import Settings

__all__ = ["CEILING_PREFIX", "ceiling_app_from_env", "precompute", "with_ceiling"]

CEILING_PREFIX = "/__ceiling/"


async def precompute(app: FastAPI, queries: list[BenchQuery]) -> dict[str, bytes]:
    """Each query's response bytes, fetched once through ``app``'s ``/graphql``; a non-200 or an error raises."""
    out: dict[str, bytes] = {}
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO line per request is not the app's log
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
        for query in queries:
            response = await client.post("/graphql", content=query.body, headers={"content-type": "application/json"})
            if response.status_code != 200 or "errors" in json.loads(response.content):
                raise RuntimeError(f"bench query {query.name}: HTTP {response.status_code}: {response.text[:500]}")
            out[query.name] = response.content
    return out


def with_ceiling(app: FastAPI, queries: list[BenchQuery]) -> FastAPI:
    """Add ``POST /__ceiling/<name>`` routes to ``app``, filled with precomputed bytes when the app starts."""
    responses: dict[str, bytes] = {}
    for query in queries:
        app.add_api_route(CEILING_PREFIX + query.name, _ceiling_endpoint(responses, query.name), methods=["GET", "POST"],
                          include_in_schema=False)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(asgi_app):
        async with inner(asgi_app) as state:
            responses.update(await precompute(app, queries))
            yield state

    app.router.lifespan_context = lifespan
    return app


def _ceiling_endpoint(responses: dict[str, bytes], name: str):
    async def ceiling() -> Response:
        return Response(content=responses[name], media_type="application/json")

    ceiling.__name__ = f"ceiling_{name}"
    return ceiling


def ceiling_app_from_env() -> FastAPI:
    """The uvicorn factory: the app as ``api.app.app_from_env`` builds it, rate limiting off, plus the ceiling routes.

    Rate limiting is turned off here rather than by ``MODELATLAS_RATE_LIMIT=`` because ``Settings.from_env`` treats
    an empty variable as unset (the default limit would apply).
    """
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # what app_from_env does: JSON access log on
    directory = Path(os.environ.get("BENCH_QUERIES_DIR") or default_queries_dir())
    return with_ceiling(create_app(Settings.from_env(rate_limit="")), load_queries(directory))
