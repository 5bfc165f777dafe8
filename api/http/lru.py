"""A thread-safe least-recently-used map bounded by entry count and by the total size of its values.

>>> lru: BoundedLRU[str, bytes] = BoundedLRU(max_entries=10, max_total=8, size=len)
>>> for key in "abc":
...     lru.put(key, b"abcd")
>>> len(lru), lru.total, lru.get("a"), lru.get("c")
(2, 8, None, b'abcd')
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

__all__ = ["BoundedLRU"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    """At most ``max_entries`` values whose ``size`` sums to at most ``max_total``; the least recently used go first."""

    def __init__(self, max_entries: int, max_total: int, size: Callable[[V], int]) -> None:
        self.max_entries = max_entries
        self.max_total = max_total
        self.size = size
        self.total = 0
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            previous = self._entries.pop(key, None)
            self.total += self.size(value) - (self.size(previous) if previous is not None else 0)
            self._entries[key] = value
            while len(self._entries) > self.max_entries or self.total > self.max_total:
                _, evicted = self._entries.popitem(last=False)
                self.total -= self.size(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.total = 0

    def __len__(self) -> int:
        return len(self._entries)
