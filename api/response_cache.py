"""Whole-response cache: the bytes of a successful response, keyed by the request and the data version.

The key is the exact request (query text or persisted hash, variables, operation name), the data
version and the date the answers are computed for; a reload changes the version, so old entries are
never served again and are dropped on the swap.

>>> cache = ResponseCache(max_entries=2)
>>> cache.put(("v1", b"q1"), b"{}")
>>> cache.get(("v1", b"q1")), cache.get(("v2", b"q1"))
(b'{}', None)
>>> small = ResponseCache(max_total_bytes=10)
>>> for i in range(4): small.put(i, b"abcd")
>>> len(small), small.total_bytes
(2, 8)
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Hashable

__all__ = ["ResponseCache"]


class ResponseCache:
    """An LRU of response bodies (per worker process)."""

    def __init__(self, max_entries: int = 4096, max_bytes: int = 256 * 1024, max_total_bytes: int = 64 * 2**20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes  # larger responses are not kept
        self.max_total_bytes = max_total_bytes  # bounds memory whatever clients ask for
        self.total_bytes = 0
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            self.total_bytes += len(body) - (len(previous) if previous is not None else 0)
            self._entries[key] = body
            while len(self._entries) > self.max_entries or self.total_bytes > self.max_total_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.total_bytes -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.total_bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
