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
>>> trusted = TrustedDocuments()
>>> trusted.add(h, text); trusted.get(h.upper()) == text, trusted.get("f" * 64), len(trusted)
(True, None, 1)
"""

from __future__ import annotations

import hashlib

from modelatlas.schema.lru import BoundedLRU

__all__ = ["PersistedQueries", "TrustedDocuments", "sha256_hex"]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PersistedQueries:
    """Query texts by hash, least recently used evicted first (per worker process). The endpoint registers a text
    only once it has parsed and validated, so junk cannot fill the store."""

    def __init__(self, max_entries: int = 10_000, max_total_chars: int = 16 * 2**20) -> None:
        self._texts: BoundedLRU[str, str] = BoundedLRU(max_entries, max_total_chars, _entry_size)  # bounds memory

    def get(self, sha: str) -> str | None:
        return self._texts.get(sha)

    def register(self, sha: str, text: str) -> None:
        """Remember ``text`` under ``sha``; a hash that does not match the text is a ValueError."""
        if sha256_hex(text) != sha.lower():
            raise ValueError("provided sha does not match query")
        self._texts.put(sha.lower(), text)


def _entry_size(text: str) -> int:
    """Bytes an entry holds: its text (UTF-8 length bounds the str's own), the hash key and the LRU's slot."""
    return len(text.encode("utf-8", "surrogatepass")) + 256


class TrustedDocuments:
    """Documents known by hash from the start (the explorer's manifest), beside the query store: never evicted,
    never shared, the same in every worker. With ``MODELATLAS_TRUSTED_DOCUMENTS`` they are all that runs."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def add(self, sha: str, text: str) -> None:
        """Trust ``text`` under ``sha``; a hash that does not match the text is a ValueError."""
        if sha256_hex(text) != sha.lower():
            raise ValueError("provided sha does not match query")
        self._texts[sha.lower()] = text

    def get(self, sha: str) -> str | None:
        return self._texts.get(sha.lower())

    def __len__(self) -> int:
        return len(self._texts)
