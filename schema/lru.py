"""A thread-safe least-recently-used map bounded by entry count and by the total size of its values: the one
bound of every cache here (parsed documents, validation verdicts, plans, persisted queries, responses, costs).

>>> lru: BoundedLRU[str, bytes] = BoundedLRU(max_entries=10, max_total=8, size=len)
>>> for key in "abc":
...     lru.put(key, b"abcd")
>>> len(lru), lru.total, lru.get("a"), lru.get("c")
(2, 8, None, b'abcd')
>>> plans: BoundedLRU[str, object] = BoundedLRU(max_entries=10, max_total=100)  # sizes given with each value
>>> plans.put("q", object(), size=60); plans.put("r", object(), size=60); len(plans)
1
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
    """At most ``max_entries`` values whose sizes sum to at most ``max_total``; the least recently used go first.
    A value's size is given with it (``put(key, value, size=n)``) or measured by ``size``."""

    def __init__(self, max_entries: int, max_total: int, size: Callable[[V], int] | None = None) -> None:
        self.max_entries = max_entries
        self.max_total = max_total
        self.size = size
        self.total = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V, size: int | None = None) -> None:
        if size is None:
            if self.size is None:
                raise TypeError("BoundedLRU.put: no size given and no size function")
            size = self.size(value)
        with self._lock:
            previous = self._entries.pop(key, None)
            self.total += size - (previous[1] if previous is not None else 0)
            self._entries[key] = (value, size)
            while len(self._entries) > self.max_entries or self.total > self.max_total:
                self.total -= self._entries.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.total = 0

    def __len__(self) -> int:
        return len(self._entries)
