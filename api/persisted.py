"""Apollo-style automatic persisted queries: a client sends the SHA-256 of its query, and the text once.

>>> store = PersistedQueries()
>>> text = "{ dataVersion }"
>>> h = sha256_hex(text)
>>> store.get(h) is None, store.register(h, text), store.get(h) == text
(True, None, True)
>>> store.register("0" * 64, text)
Traceback (most recent call last):
...
ValueError: provided sha does not match query
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock

__all__ = ["PersistedQueries", "sha256_hex"]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PersistedQueries:
    """Query texts by hash, least recently used evicted first (per worker process). The endpoint registers a text
    only once it has parsed and validated, so junk cannot fill the store."""

    def __init__(self, max_entries: int = 10_000, max_total_chars: int = 16 * 2**20) -> None:
        self.max_entries = max_entries
        self.max_total_chars = max_total_chars  # bounds memory whatever clients register
        self.total_chars = 0
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._lock = Lock()

    def get(self, sha: str) -> str | None:
        with self._lock:
            text = self._texts.get(sha)
            if text is not None:
                self._texts.move_to_end(sha)
            return text

    def register(self, sha: str, text: str) -> None:
        """Remember ``text`` under ``sha``; a hash that does not match the text is a ValueError."""
        if sha256_hex(text) != sha.lower():
            raise ValueError("provided sha does not match query")
        with self._lock:
            previous = self._texts.pop(sha.lower(), None)
            self.total_chars += len(text) - (len(previous) if previous is not None else 0)
            self._texts[sha.lower()] = text
            while len(self._texts) > self.max_entries or self.total_chars > self.max_total_chars:
                _, evicted = self._texts.popitem(last=False)
                self.total_chars -= len(evicted)
