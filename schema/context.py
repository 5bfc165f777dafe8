"""The per-request context: one knowledge-graph snapshot and the date "today" for the whole request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import strawberry
from strawberry.fastapi import BaseContext

from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["Context", "Info"]


@dataclass
class Context(BaseContext):
    kg: KnowledgeGraph
    today: date
    max_page_size: int = 100

    def __post_init__(self) -> None:
        super().__init__()


Info = strawberry.Info[Context, None]
