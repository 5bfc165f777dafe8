"""The ``modelatlas`` command line: one typer app; each command group is a module of this package.

    modelatlas validate [PATH...]     check the curated files against the shapes and graph rules    (data.py)
    modelatlas stats                  counts per class and per edge kind, and load time              (data.py)
    modelatlas export --format turtle|jsonld|nt|graphml [-o FILE]                                   (data.py)
    modelatlas show MODEL             a readable card for one model                                  (show.py)
    modelatlas serve                  the GraphQL service                                            (serve.py)
    modelatlas export-schema          print the GraphQL SDL                                          (serve.py)
    modelatlas import / resolve / eval  catalog imports, identity resolution, the gold-set evaluation  (catalog.py)
    modelatlas changes --since DATE   the catalogs' change feed                                      (catalog.py)
    modelatlas bench                  HTTP benchmark against the service's own ceiling               (bench.py)
    modelatlas bench-sparql           the lineage query via /sparql against /graphql                 (bench.py)
    modelatlas synth / bench-scale    synthetic catalogs and the scale benchmark                     (scale.py)
    modelatlas bench-explorer         the explorer's page times in chromium, and its asset size      (explorer.py)
    modelatlas store load / check     the graph in a SPARQL 1.1 store (Oxigraph)                     (store.py)

Every command loads data as the service does (``common.load``: ``MODELATLAS_*`` settings, imports and compiled
cache), so ``show``, ``stats``, ``export`` and the API answer from the same graph unless told otherwise.
"""

import typer

from modelatlas.api.cli import bench, catalog, data, explorer, scale, serve, show, store

__all__ = ["app"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="modelatlas: the LLM model landscape as a knowledge graph.")
app.command("validate")(data.validate)
app.command("stats")(data.stats)
app.command("export")(data.export)
app.command("show")(show.show)
app.command("serve")(serve.serve)
app.command("export-schema")(serve.export_schema)
app.command("import")(catalog.import_catalogs)
app.command("resolve")(catalog.resolve)
app.command("eval")(catalog.evaluate)
app.command("changes")(catalog.changes)
app.command("bench")(bench.bench)
app.command("bench-sparql")(bench.bench_sparql)
app.command("synth")(scale.synth)
app.command("bench-scale")(scale.bench_scale)
app.command("bench-explorer")(explorer.bench_explorer)
app.add_typer(store.app, name="store")
