"""What the service serves: the curated knowledge base plus the imported catalogs, through the compiled cache.

>>> kg = load_graph(cache=False, imports=False)
>>> kg.model("mistral-small-latest").slug in kg.models
True
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from modelatlas.graph.build import LoadReport, load_knowledge_graph
from modelatlas.graph.cache import cache_key, compiled
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import default_data_dir, stat_fingerprint

__all__ = ["load_graph", "load_catalog", "catalog_key", "identity_tables_for"]


def identity_tables_for(paths: list[Path] | None):
    """The identity tables of the data directory (``identity.toml``), else the shipped ones."""
    from modelatlas.graph.resolve.tables import IdentityTables, identity_file

    first = (paths or [default_data_dir()])[0]
    candidate = identity_file(first if first.is_dir() else first.parent)
    return IdentityTables.load(candidate if candidate.exists() else identity_file())


def catalog_key(paths: list[Path] | None = None, *, imports: bool = False, today: date | None = None) -> str:
    """The compiled-cache key: the curated files' names, sizes and modification times, and with imports the identity
    tables' hash, the catalog package versions and the day (genai-prices has dated prices that start on their day).
    The data version itself (a content hash) is computed when the graph is built and travels inside the cache entry."""
    paths = paths or [default_data_dir()]
    first = paths[0] if paths[0].is_dir() else paths[0].parent
    shapes = first / "shapes.ttl" if (first / "shapes.ttl").exists() else default_data_dir() / "shapes.ttl"
    parts = ["curated", stat_fingerprint(paths), "shapes", stat_fingerprint([shapes])]  # new shapes: validate again
    if imports:
        from modelatlas.graph.importers import package_versions

        parts += ["imports", identity_tables_for(paths).version, *(f"{k}={v}" for k, v in sorted(package_versions().items())),
                  (today or date.today()).isoformat()]
    return cache_key(*parts)


def load_graph(
    paths: list[Path] | None = None, *, imports: bool = True, cache: bool = True, cache_dir: Path | None = None,
    report: LoadReport | None = None, import_report: list | None = None, refresh: bool = False, progress=None,
    background_write: bool = False,
) -> KnowledgeGraph:
    """The knowledge graph to serve: curated data, plus models.dev and genai-prices unless ``imports`` is off.

    With ``cache`` a restart on unchanged inputs loads the compiled graph (no parse, validation or import);
    ``refresh`` rebuilds it; ``background_write`` writes a new entry from a thread (the service: it can answer
    meanwhile). When the graph is built, its ImportReport is appended to ``import_report``.
    """
    def build() -> KnowledgeGraph:
        curated = load_knowledge_graph(paths, report=report)
        if not imports:
            return curated
        from modelatlas.graph.importers import import_catalogs

        kg, figures = import_catalogs(curated, tables=identity_tables_for(paths), progress=progress)
        if import_report is not None:
            import_report.append(figures)
        return kg

    if not cache:
        return build()
    kg, _hit = compiled(catalog_key(paths, imports=imports), build, cache_dir, refresh=refresh,
                        background=background_write)
    return kg


def load_catalog(paths: list[Path] | None = None, *, use_cache: bool = True, **options) -> KnowledgeGraph:  # noqa: ANN003
    """Deprecated spelling of :func:`load_graph` (being removed)."""
    return load_graph(paths, cache=use_cache, **options)
