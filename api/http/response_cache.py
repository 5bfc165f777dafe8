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
>>> len(small), small.total
(2, 8)
"""

from __future__ import annotations

from collections.abc import Hashable

from modelatlas.api.http.lru import BoundedLRU

__all__ = ["ResponseCache"]


class ResponseCache(BoundedLRU[Hashable, bytes]):
    """An LRU of response bodies (per worker process); bodies over ``max_bytes`` are not kept."""

    def __init__(self, max_entries: int = 4096, max_bytes: int = 256 * 1024, max_total_bytes: int = 64 * 2**20) -> None:
        super().__init__(max_entries, max_total_bytes, len)  # the total bounds memory whatever clients ask for
        self.max_bytes = max_bytes

    def put(self, key: Hashable, value: bytes) -> None:
        if len(value) <= self.max_bytes:
            super().put(key, value)
