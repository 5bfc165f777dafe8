"""What the service serves: the curated knowledge base (plus imported catalogs, issue 5), through the compiled cache.

>>> kg = load_catalog(use_cache=False)
>>> kg.model("mistral-small-latest").slug in kg.models
True
"""

from __future__ import annotations

from pathlib import Path

from graph.build import LoadReport, load_knowledge_graph
from graph.cache import cache_key, compiled
from graph.knowledge import KnowledgeGraph
from graph.load import content_hash, data_files, default_data_dir

__all__ = ["load_catalog", "catalog_key"]


def catalog_key(paths: list[Path] | None = None) -> str:
    """The compiled-cache key of the data under ``paths``: their content hash (files are read, not parsed)."""
    paths = paths or [default_data_dir()]
    files = data_files(paths)
    root = paths[0] if paths[0].is_dir() else paths[0].parent
    return cache_key("curated", content_hash(files, root))


def load_catalog(
    paths: list[Path] | None = None, *, imports: bool = True, use_cache: bool = True, cache_dir: Path | None = None,
    report: LoadReport | None = None,
) -> KnowledgeGraph:
    """The knowledge graph to serve. With ``use_cache`` a restart on unchanged inputs skips parse and validation."""
    def build() -> KnowledgeGraph:
        return load_knowledge_graph(paths, report=report)

    if not use_cache:
        return build()
    kg, _hit = compiled(catalog_key(paths), build, cache_dir)
    return kg
