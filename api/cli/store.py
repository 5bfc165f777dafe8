"""Store commands: the graph in a SPARQL 1.1 store, the service's source of truth with ``MODELATLAS_SPARQL_STORE``.

    modelatlas store load --endpoint http://127.0.0.1:7878   # a running Oxigraph server, over the Graph Store Protocol
    modelatlas store load --location var/oxigraph            # a store directory, by `oxigraph load` (no server running)
    modelatlas store check --endpoint http://127.0.0.1:7878  # the data version it holds, against the service's

Both loads write what the service loads (curated data plus the imports, per ``MODELATLAS_*`` and ``--data`` /
``--imports``), a named graph per source, and the index graph the pushed-down queries walk, derived from the same
N-Quads on their way (``graph.store.index``; with ``--add``, the index describes the graph loaded now).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from modelatlas.api.cli.common import DataOption, ImportsOption, fail, load, settings
from modelatlas.graph import KnowledgeGraphError

__all__ = ["app", "check", "load_store"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="The graph in a SPARQL 1.1 store (Oxigraph): load it, check it.")

EndpointOption = Annotated[str | None, typer.Option("--endpoint", "-e", help=(
    "URL of a running SPARQL 1.1 store with Oxigraph's /query, /update and /store (e.g. http://127.0.0.1:7878)."))]


@app.command("load")
def load_store(
    endpoint: EndpointOption = None,
    location: Annotated[Path | None, typer.Option("--location", "-l", help=(
        "An Oxigraph store directory to fill with `oxigraph load` instead (no server may have it open)."))] = None,
    data: DataOption = None,
    imports: ImportsOption = None,
    replace: Annotated[bool, typer.Option("--replace/--add", help="Clear the store first (default), or add.")] = True,
) -> None:
    """Load the graph the service serves into a SPARQL store, with the store's index graph."""
    from modelatlas.graph.store.client import SparqlClient
    from modelatlas.graph.store.dataset import nquads
    from modelatlas.graph.store.index import INDEX_GRAPH, IndexBuilder
    from modelatlas.graph.store.server import bulk_load

    if (endpoint is None) == (location is None):
        fail("give exactly one of --endpoint URL (a running store) or --location DIR (a store directory)")
    start = time.perf_counter()
    kg = load(data, imports)
    data = data or settings().data_paths()  # the curated files: their named graphs
    typer.echo(f"graph {kg.version}: {len(kg.models):,} models, {len(kg.links):,} links "
               f"({time.perf_counter() - start:.1f} s)", err=True)
    builder = IndexBuilder()  # fed with the records' N-Quads on their way into the store
    try:
        start = time.perf_counter()
        if endpoint is not None:
            client = SparqlClient(endpoint, timeout=600)
            if replace:
                client.clear()
            client.upload(builder.tee(nquads(kg, data)))
            client.update(f"DROP SILENT GRAPH <{INDEX_GRAPH}>")  # the index describes the graph loaded now
            client.upload(builder.nquads(kg.version))
            typer.echo(f"uploaded to {endpoint} with its index graph ({time.perf_counter() - start:.1f} s)", err=True)
        else:
            assert location is not None
            if replace and location.exists():
                shutil.rmtree(location)
            with tempfile.TemporaryDirectory(prefix="modelatlas-store-") as tmp:
                dump, index = Path(tmp) / "graph.nq", Path(tmp) / "index.nq"
                with open(dump, "wb") as sink:
                    sink.writelines(builder.tee(nquads(kg, data)))
                with open(index, "wb") as sink:
                    sink.writelines(builder.nquads(kg.version))
                bulk_load(location, [dump, index])
            typer.echo(f"loaded into {location} with its index graph ({time.perf_counter() - start:.1f} s)", err=True)
    except (KnowledgeGraphError, OSError) as exc:
        fail(exc)
    typer.echo(f"the store holds data version {kg.version}")


@app.command("check")
def check(endpoint: Annotated[str, typer.Option("--endpoint", "-e", help="URL of the store.")],
          data: DataOption = None, imports: ImportsOption = None) -> None:
    """Print the data version the store holds; exit 1 unless it is the one the service would serve."""
    from modelatlas.graph.store.client import SparqlClient
    from modelatlas.graph.store.dataset import data_version

    kg = load(data, imports)
    try:
        held = data_version(SparqlClient(endpoint))
    except KnowledgeGraphError as exc:
        fail(exc)
    if held != kg.version:
        fail(f"{endpoint} holds data version {held or 'none'}; the service would serve {kg.version} "
             f"(run `modelatlas store load --endpoint {endpoint}`)")
    typer.echo(f"{endpoint} holds data version {held}, the service's")
