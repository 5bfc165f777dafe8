"""The app under benchmark plus its ceiling: bare routes returning each bench query's response bytes, precomputed.

``ceiling_app_from_env`` is a uvicorn factory (``FACTORY``, run by ``server_command``): the production app from
``MODELATLAS_*`` variables, as ``modelatlas serve`` builds it (rate limiting off), plus one route
``POST|GET /__ceiling/<query>`` per ``.graphql`` file under ``$BENCH_QUERIES_DIR``. At startup each query is sent once
through the app's own ``/graphql`` (in process, full middleware stack) and the response bytes are kept; the route
then returns them with no GraphQL work at all, so ``/graphql`` over ``/__ceiling`` is GraphQL's cost alone. The
ceiling is a plain FastAPI route, like the bare FastAPI app the targets were calibrated on.

>>> app = with_ceiling(create_app(Settings(imports=False, cache=False)), [])
>>> [r.path for r in app.routes if getattr(r, "path", "").startswith(CEILING_PREFIX)]
[]
>>> env = server_env(response_cache=False, queries_dir=Path("bench/queries"), environ={})
>>> env["MODELATLAS_RESPONSE_CACHE"], env["MODELATLAS_RATE_LIMIT"], env["MODELATLAS_PRODUCTION"]
('false', '', 'true')
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response

from modelatlas.api.http import Settings, create_app
from modelatlas.bench.query import BenchQuery, default_queries_dir, load_queries

__all__ = ["CEILING_PREFIX", "FACTORY", "asgi_post", "ceiling_app_from_env", "precompute", "server_command",
           "server_env", "with_ceiling"]

CEILING_PREFIX = "/__ceiling/"
FACTORY = "modelatlas.bench.ceiling:ceiling_app_from_env"

Message = MutableMapping[str, Any]


async def asgi_post(app: Callable[..., Awaitable[None]], path: str, body: bytes) -> tuple[int, bytes]:
    """One POST straight through the ASGI interface (no client library, so a profile holds only the app)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"bench.local"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
    sent = False
    status, chunks = 0, []

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def precompute(app: FastAPI, queries: list[BenchQuery]) -> dict[str, bytes]:
    """Each query's response bytes, fetched once through ``app``'s ``/graphql``; a non-200 or an error raises."""
    out: dict[str, bytes] = {}
    for query in queries:
        status, body = await asgi_post(app, "/graphql", query.body)
        if status != 200 or "errors" in json.loads(body):
            raise RuntimeError(f"bench query {query.name}: HTTP {status}: {body[:500].decode(errors='replace')}")
        out[query.name] = body
    return out


def with_ceiling(app: FastAPI, queries: list[BenchQuery]) -> FastAPI:
    """Add ``POST /__ceiling/<name>`` routes to ``app``, filled with precomputed bytes when the app starts."""
    responses: dict[str, bytes] = {}
    for query in queries:
        app.add_api_route(CEILING_PREFIX + query.name, _ceiling_endpoint(responses, query.name), methods=["GET", "POST"],
                          include_in_schema=False)
    inner: Callable[[FastAPI], AbstractAsyncContextManager[Any]] = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(asgi_app: FastAPI) -> AsyncIterator[Any]:
        async with inner(asgi_app) as state:
            responses.update(await precompute(app, queries))
            yield state

    app.router.lifespan_context = lifespan
    return app


def _ceiling_endpoint(responses: dict[str, bytes], name: str) -> Callable[[], Awaitable[Response]]:
    async def ceiling() -> Response:
        return Response(content=responses[name], media_type="application/json")

    ceiling.__name__ = f"ceiling_{name}"
    return ceiling


def ceiling_app_from_env() -> FastAPI:
    """The uvicorn factory: the app as ``app_from_env`` builds it, rate limiting off, plus the ceiling routes."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # what app_from_env does: JSON access log on
    directory = Path(os.environ.get("BENCH_QUERIES_DIR") or default_queries_dir())
    return with_ceiling(create_app(Settings.from_env(rate_limit="")), load_queries(directory))


def server_env(*, response_cache: bool, queries_dir: Path, environ: Mapping[str, str] | None = None,
               executor: str = "compiled", workers: int = 1) -> dict[str, str]:
    """The bench server's environment: the caller's MODELATLAS_* settings, production on, rate limit off."""
    env = dict(os.environ if environ is None else environ)
    env.update({
        "MODELATLAS_PRODUCTION": "true",
        "MODELATLAS_RESPONSE_CACHE": "true" if response_cache else "false",
        "MODELATLAS_RATE_LIMIT": "",
        "MODELATLAS_WORKERS": str(workers),
        "MODELATLAS_EXECUTOR": executor,
        "BENCH_QUERIES_DIR": str(queries_dir),
    })
    return env


def server_command(port: int, cpus: str | None = None, workers: int = 1) -> list[str]:
    """uvicorn with ``workers`` workers, its access log off and log level warning (``modelatlas serve`` does the same)."""
    command = [sys.executable, "-m", "uvicorn", FACTORY, "--factory", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    return ["taskset", "-c", cpus, *command] if cpus is not None else command
