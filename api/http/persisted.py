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
>>> store.pin(h, text); store.trusted(h) == text, store.trusted("f" * 64)
(True, None)
"""

from __future__ import annotations

import hashlib

from modelatlas.api.http.lru import BoundedLRU

__all__ = ["PersistedQueries", "sha256_hex"]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PersistedQueries:
    """Query texts by hash, least recently used evicted first (per worker process). The endpoint registers a text
    only once it has parsed and validated, so junk cannot fill the store."""

    def __init__(self, max_entries: int = 10_000, max_total_chars: int = 16 * 2**20) -> None:
        self._texts: BoundedLRU[str, str] = BoundedLRU(max_entries, max_total_chars, len)  # bounds memory
        self._pinned: dict[str, str] = {}  # trusted documents (the explorer's manifest): never evicted

    def get(self, sha: str) -> str | None:
        pinned = self._pinned.get(sha.lower())
        return pinned if pinned is not None else self._texts.get(sha)

    def pin(self, sha: str, text: str) -> None:
        """Keep ``text`` under ``sha`` for good, as a trusted document; a hash that does not match is a ValueError."""
        if sha256_hex(text) != sha.lower():
            raise ValueError("provided sha does not match query")
        self._pinned[sha.lower()] = text

    def trusted(self, sha: str) -> str | None:
        """The trusted (pinned) document with this hash, or None."""
        return self._pinned.get(sha.lower())

    def register(self, sha: str, text: str) -> None:
        """Remember ``text`` under ``sha``; a hash that does not match the text is a ValueError."""
        if sha256_hex(text) != sha.lower():
            raise ValueError("provided sha does not match query")
        self._texts.put(sha.lower(), text)
