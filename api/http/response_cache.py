"""Whole-response cache: the bytes of a successful response, keyed by the request and the data version.

The key is the exact request (query text or persisted hash, variables, operation name), the data
version and the date the answers are computed for; a reload changes the version, so old entries are
never served again and are dropped on the swap.

>>> cache = ResponseCache(max_entries=2)
>>> cache.put(("v1", b"q1"), b"{}")
>>> cache.get(("v1", b"q1")), cache.get(("v2", b"q1"))
(b'{}', None)
>>> small = ResponseCache(max_total_bytes=2 * (ENTRY_OVERHEAD + 4))
>>> for i in range(4): small.put(i, b"abcd")
>>> len(small), small.total
(2, 584)

An entry counts its body and ``ENTRY_OVERHEAD`` bytes: the key tuple, its digest and date, the bytes object's
header and the ordered dict's slot (measured with tracemalloc: 85 + 72 + 49 + 32 + 33 bytes). 4,096 entries of
a 200-byte body hold 2 MB, not the 0.8 MB their bodies alone would say. Bodies are kept as exact-size copies:
``orjson.dumps`` returns bytes that keep a 4 KB buffer however short they are (measured: 4,098 bytes per
``{"data": ...}`` answer of 20 bytes), which made 4,096 entries hold 17 MB instead of 2.
"""

from __future__ import annotations

from collections.abc import Hashable

from modelatlas.schema.lru import BoundedLRU

__all__ = ["ENTRY_OVERHEAD", "ResponseCache"]

ENTRY_OVERHEAD = 288  # bytes an entry holds besides its body's length


class ResponseCache(BoundedLRU[Hashable, bytes]):
    """An LRU of response bodies (per worker process); bodies over ``max_bytes`` are not kept."""

    def __init__(self, max_entries: int = 4096, max_bytes: int = 256 * 1024, max_total_bytes: int = 64 * 2**20) -> None:
        super().__init__(max_entries, max_total_bytes, _entry_size)  # bounds memory whatever clients ask for
        self.max_bytes = max_bytes

    def put(self, key: Hashable, value: bytes, size: int | None = None) -> None:
        if len(value) <= self.max_bytes:  # a copy: orjson's bytes keep a 4 KB buffer whatever their length
            super().put(key, bytes(memoryview(value)), size)


def _entry_size(body: bytes) -> int:
    return len(body) + ENTRY_OVERHEAD
