"""The one way to load: the curated knowledge base plus the imported catalogs, through the compiled cache.

>>> kg = load_graph(imports=False, cache=False)
>>> kg.model("mistral-small-latest").slug in kg.models
True
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from modelatlas.graph.build import LoadReport, load_curated
from modelatlas.graph.cache import cache_key, compiled
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import Paths, data_root, shapes_file, stat_fingerprint

if TYPE_CHECKING:
    from modelatlas.graph.importers.merge import Progress
    from modelatlas.graph.importers.report import ImportReport
    from modelatlas.graph.resolve.tables import IdentityTables

__all__ = ["catalog_key", "identity_tables_for", "load_graph"]


def identity_tables_for(paths: Paths = None) -> IdentityTables:
    """The identity tables of the data directory (``identity.toml``), else the shipped ones."""
    from modelatlas.graph.resolve.tables import IdentityTables, identity_file

    candidate = identity_file(data_root(paths))
    return IdentityTables.load(candidate if candidate.exists() else identity_file())


def catalog_key(paths: Paths = None, *, imports: bool = False, today: date | None = None,
                catalog_dir: Path | None = None) -> str:
    """The compiled-cache key: the curated files' names, sizes and modification times, and with imports the identity
    tables' hash, the catalog package versions and the day (genai-prices has dated prices that start on their day).
    The data version itself (a content hash) is computed when the graph is built and travels inside the cache entry."""
    parts = ["curated", stat_fingerprint(paths), "shapes", stat_fingerprint([shapes_file(paths)])]  # new shapes: validate again
    if imports:
        from modelatlas.graph.importers import package_versions

        parts += ["imports", identity_tables_for(paths).version, *(f"{k}={v}" for k, v in sorted(package_versions().items())),
                  (today or date.today()).isoformat()]
        if catalog_dir is not None:  # refreshed catalogs and the stored value snapshots (the change feed)
            from modelatlas.graph.importers.store import CatalogStore

            stored = CatalogStore(catalog_dir).fingerprint()
            parts += ["catalogs", stored] if stored else []  # an empty store is no store
    return cache_key(*parts)


def load_graph(
    paths: Paths = None, *, imports: bool = True, cache: bool = True, cache_dir: Path | None = None,
    refresh: bool = False, report: LoadReport | None = None, import_report: list[ImportReport] | None = None,
    progress: Progress | None = None, background_write: bool = False, catalog_dir: Path | None = None,
) -> KnowledgeGraph:
    """The knowledge graph of the data files or directories ``paths`` (default: the shipped data), plus models.dev
    and genai-prices unless ``imports`` is off. Every command and the service load through here.

    With ``cache`` a restart on unchanged inputs loads the compiled graph (no parse, validation or import);
    ``refresh`` rebuilds it; ``background_write`` writes a new entry from a thread (the service: it can answer
    meanwhile). ``report`` receives the curated load's timings when the graph is built; its ImportReport is
    appended to ``import_report``. ``catalog_dir`` (default ``<cache_dir>/catalogs`` when ``cache_dir`` is given) is a
    catalog store (``graph.importers.store``): catalogs refreshed there replace the packaged ones, and its value
    snapshots make the change feed (``kg.changes``).
    Raises DataError or ValidationError for bad data.
    """
    if catalog_dir is None and cache_dir is not None:
        catalog_dir = Path(cache_dir) / "catalogs"  # where ``modelatlas import --cache-dir`` keeps them

    def build() -> KnowledgeGraph:
        from modelatlas.graph.licensing import read_rules, with_license_rules

        curated = load_curated(paths, report=report)
        if not imports:
            return with_license_rules(curated, read_rules(paths))[0]
        from modelatlas.graph.derivation import with_derivations
        from modelatlas.graph.importers import import_catalogs
        from modelatlas.graph.importers.store import CatalogStore

        store = CatalogStore(catalog_dir) if catalog_dir is not None else None
        kg, figures = import_catalogs(curated, tables=identity_tables_for(paths), progress=progress, store=store)
        if import_report is not None:
            import_report.append(figures)
        feed = kg.changes
        # (steps that rebuild the graph from its records go here: from_records does not carry the change feed)
        kg = with_license_rules(kg, read_rules(paths))[0]  # after the import: catalog rows may name the weights open
        kg = with_derivations(kg)
        return kg if kg.changes is feed else dataclasses.replace(kg, changes=feed)  # keep last

    if not cache:
        return build()
    kg, _hit = compiled(catalog_key(paths, imports=imports, catalog_dir=catalog_dir), build, cache_dir, refresh=refresh,
                        background=background_write)
    return kg
