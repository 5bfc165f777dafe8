"""Values derived from one snapshot, computed on first use and dropped with the snapshot.

A KnowledgeGraph is immutable, so anything computed from it stays true for its lifetime: presorted orders, search
indexes. They live here rather than on the graph so the compiled cache does not carry them.

>>> from modelatlas.graph.knowledge import KnowledgeGraph
>>> kg = KnowledgeGraph.from_records(version="v", models=[])
>>> calls = []
>>> per_snapshot(kg, "answer", lambda: calls.append(1) or 42), per_snapshot(kg, "answer", lambda: 0), len(calls)
(42, 42, 1)
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar, cast

from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["per_snapshot"]

T = TypeVar("T")
_VALUES: dict[int, dict[Hashable, object]] = {}
_LOCK = Lock()


def per_snapshot(kg: KnowledgeGraph, name: Hashable, build: Callable[[], T]) -> T:
    """``build()`` for this snapshot and ``name``, computed once (two threads may both compute it; one wins)."""
    values = _VALUES.get(id(kg))
    if values is None:
        with _LOCK:
            values = _VALUES.get(id(kg))
            if values is None:
                values = _VALUES[id(kg)] = {}
                weakref.finalize(kg, _VALUES.pop, id(kg), None)
    if name not in values:
        values[name] = build()
    return cast(T, values[name])  # stored by build() for this name
