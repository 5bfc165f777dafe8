"""The knowledge graph: loading, validation, the in-memory graph and its algorithms (no web imports).

``load_graph`` is the one way to load it (curated data, imports on or off, the compiled cache).
"""

from modelatlas.graph.catalog import load_graph
from modelatlas.graph.errors import (
    DataError,
    KnowledgeGraphError,
    NotFoundError,
    Problem,
    ValidationError,
)
from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = [
    "DataError",
    "KnowledgeGraph",
    "KnowledgeGraphError",
    "NotFoundError",
    "Problem",
    "ValidationError",
    "load_graph",
]
