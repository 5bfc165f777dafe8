"""Service commands: ``modelatlas serve`` and ``modelatlas export-schema``.

    modelatlas serve [--dev] [--host H] [--port P] [--workers N]   the GraphQL service (settings: MODELATLAS_*)
    modelatlas export-schema [-o schema.graphql]                   the GraphQL SDL
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from modelatlas.api.cli.common import fail, load, settings

__all__ = ["export_schema", "serve"]


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1, or MODELATLAS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000, or MODELATLAS_PORT).")] = None,
    dev: Annotated[bool, typer.Option("--dev", help="Development mode: introspection, GraphiQL, field suggestions.")
                   ] = False,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default 1, or MODELATLAS_WORKERS).")] = None,
) -> None:
    """Start the GraphQL service (GraphQL at /graphql, health at /healthz and /readyz, metrics at /metrics)."""
    import uvicorn

    from modelatlas.api.http.app import configure_logging, create_app
    from modelatlas.api.http.memory import tune_malloc
    from modelatlas.api.http.protocol import GuardedH11Protocol

    overrides: dict[str, Any] = {k: v for k, v in {"host": host, "port": port, "workers": workers}.items()
                                 if v is not None}
    if dev:
        overrides["production"] = False
    config = settings(**overrides)
    single = config.workers == 1
    # load before the server starts: bad data is a clear message and exit 1, never a half-started server
    kg = load(None, config=config, background_write=single)
    if config.sparql_store:  # the store must hold this data version: a clear message, never a half-started server
        from modelatlas.graph import KnowledgeGraphError
        from modelatlas.graph.store.backend import StoreBackends

        try:
            StoreBackends(config.sparql_store)(kg)
        except KnowledgeGraphError as exc:
            fail(exc)
    tune_malloc()  # freed request memory goes back to the system (api/http/memory.py)
    os.environ.update(config.to_env())
    GuardedH11Protocol.header_timeout = config.header_timeout_seconds  # worker processes read it from the environment
    typer.echo(f"modelatlas serving on http://{config.host}:{config.port}/graphql", err=True)
    # uvicorn must not rewrite the client from X-Forwarded-For (it trusts 127.0.0.1 by default): the app does,
    # for MODELATLAS_TRUSTED_PROXIES only (api/http/proxies.py)
    # slow clients and restarts: idle keep-alive closed, headers within a deadline (api/http/protocol.py), a
    # stopping worker drains its connections for up to graceful_shutdown_seconds
    server: dict[str, Any] = {"host": config.host, "port": config.port, "log_level": "warning", "access_log": False,
                              "proxy_headers": False, "http": GuardedH11Protocol,
                              "timeout_keep_alive": config.keep_alive_seconds,
                              "timeout_graceful_shutdown": config.graceful_shutdown_seconds,
                              "h11_max_incomplete_event_size": 16 * 1024,
                              "timeout_worker_healthcheck": 120}  # a replacement worker loads the graph first
    if single:  # one process: serve the graph just loaded (its cache entry is written meanwhile)
        configure_logging()
        uvicorn.run(create_app(config, kg=kg), **server)
    else:  # worker processes load the compiled cache written above
        uvicorn.run("modelatlas.api.http.app:app_from_env", factory=True, workers=config.workers, **server)


def export_schema(output: Annotated[Path | None, typer.Option("--output", "-o")] = None) -> None:
    """Print (or write) the GraphQL schema as SDL."""
    from modelatlas.schema import schema

    text = schema.as_str() + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
