"""The per-request context: one knowledge-graph snapshot and the date "today" for the whole request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import strawberry
from strawberry.fastapi import BaseContext

from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.store.backend import Backend, InMemory

__all__ = ["Context", "Info"]


@dataclass
class Context(BaseContext):
    kg: KnowledgeGraph
    today: date
    max_page_size: int = 100
    store: Backend | None = None  # lineage, reach and alternatives from a SPARQL store (MODELATLAS_SPARQL_STORE)

    def __post_init__(self) -> None:
        super().__init__()

    @property
    def backend(self) -> Backend:
        """Where lineage, reach and alternatives are computed: the store when one is set, else the snapshot."""
        return self.store if self.store is not None else InMemory(self.kg)


Info = strawberry.Info[Context, None]
