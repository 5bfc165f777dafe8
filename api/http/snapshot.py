"""The served knowledge graph, and its atomic replacement on reload.

A request takes ``snapshots.current`` once and uses that object to the end, so it never sees two data
versions. A reload builds and validates the new graph beside the old one (in a worker thread, so the
event loop keeps serving), then swaps one reference. Invalid data is rejected with its reason logged;
the old graph keeps serving and the data version does not change.

>>> import asyncio
>>> from modelatlas.graph.knowledge import KnowledgeGraph
>>> old = KnowledgeGraph.from_records(version="v1", models=[])
>>> snapshots = Snapshots(old, load=lambda: KnowledgeGraph.from_records(version="v2", models=[]))
>>> outcome = asyncio.run(snapshots.reload("test"))
>>> outcome.status, snapshots.current.version
('swapped', 'v2')
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["ReloadOutcome", "Snapshots"]

log = logging.getLogger("modelatlas.reload")


@dataclass(frozen=True)
class ReloadOutcome:
    status: str  # "swapped" | "unchanged" | "rejected"
    dataVersion: str
    previousVersion: str
    reason: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Snapshots:
    """Holds the current KnowledgeGraph; ``reload`` replaces it with ``load()``'s result if that succeeds."""

    def __init__(self, current: KnowledgeGraph, load: Callable[[], KnowledgeGraph],
                 on_swap: Callable[[KnowledgeGraph], None] | None = None) -> None:
        self.current = current
        self.load = load
        self.on_swap = on_swap
        self._lock = asyncio.Lock()

    async def reload(self, trigger: str) -> ReloadOutcome:
        """Build a new snapshot and swap it in; concurrent reloads run one after the other."""
        async with self._lock:
            previous = self.current
            start = time.perf_counter()
            try:
                candidate = await asyncio.to_thread(self.load)
            except Exception as exc:  # noqa: BLE001  (any failure keeps the old snapshot serving)
                outcome = ReloadOutcome("rejected", previous.version, previous.version, str(exc),
                                        round(time.perf_counter() - start, 3))
                log.error(json.dumps({"event": "reload", "trigger": trigger, **outcome.as_dict()}))
                return outcome
            if candidate.version == previous.version:
                status = "unchanged"
            else:
                self.current = candidate  # the swap: one reference assignment
                status = "swapped"
                if self.on_swap:
                    self.on_swap(candidate)
            outcome = ReloadOutcome(status, self.current.version, previous.version, None,
                                    round(time.perf_counter() - start, 3))
            log.warning(json.dumps({"event": "reload", "trigger": trigger, **outcome.as_dict()}))
            return outcome
