"""The knowledge graph: loading, validation, the in-memory graph and its algorithms (no web imports)."""

from modelatlas.graph.errors import DataError, KnowledgeGraphError, NotFoundError, Problem, ValidationError
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.build import load_knowledge_graph
from modelatlas.graph.catalog import load_graph

__all__ = [
    "DataError",
    "KnowledgeGraph",
    "KnowledgeGraphError",
    "NotFoundError",
    "Problem",
    "ValidationError",
    "load_graph",
    "load_knowledge_graph",
]
