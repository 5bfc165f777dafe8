"""The state one app keeps between requests, behind small interfaces: in process, or shared through Redis.

Four stores: the rate limiter, the admin ``Lockout``, the persisted-query (APQ) registry and the response cache.
``stores_for(settings)`` chooses once, when the app is made: without ``MODELATLAS_REDIS_URL`` they are the
in-process classes (per worker process, as ever); with it, the Redis-backed ones of ``redis_stores``, which every
replica of a deployment shares.

>>> stores = stores_for(Settings(rate_limit="2/minute"))
>>> type(stores.persisted).__name__, type(stores.cache).__name__, type(stores.lockout).__name__
('PersistedQueries', 'ResponseCache', 'Lockout')
>>> [stores.limiter.check("10.0.0.1").allowed for _ in range(3)] if stores.limiter else None
[True, True, False]
>>> stores_for(Settings(rate_limit="", response_cache=False)).limiter is None
True
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Protocol

from modelatlas.api.http.persisted import PersistedQueries
from modelatlas.api.http.ratelimit import Lockout, RateLimiter, Verdict
from modelatlas.api.http.response_cache import ResponseCache
from modelatlas.api.http.settings import Settings

__all__ = ["AttemptLockout", "BodyCache", "Limiter", "QueryStore", "SharedHealth", "Stores", "stores_for"]


class Limiter(Protocol):
    """Counts one request of ``client`` and says whether it may go on."""

    def check(self, client: str) -> Verdict: ...


class AttemptLockout(Protocol):
    """Failed admin logins per client (see ``ratelimit.Lockout``)."""

    def retry_after(self, client: str) -> int: ...

    def fail(self, client: str) -> None: ...

    def succeed(self, client: str) -> None: ...


class QueryStore(Protocol):
    """Query texts by their SHA-256 (Apollo APQ); ``register`` refuses a hash that does not match its text."""

    def get(self, sha: str) -> str | None: ...

    def register(self, sha: str, text: str) -> None: ...


class BodyCache(Protocol):
    """Response bodies by a key that carries the data version; ``clear`` drops what this process holds."""

    def get(self, key: Hashable) -> bytes | None: ...

    def put(self, key: Hashable, value: bytes) -> None: ...

    def clear(self) -> None: ...


class SharedHealth(Protocol):
    """The state of the shared store's connection, for the metrics."""

    down: bool
    failures: int  # failed calls since the start


@dataclass(frozen=True)
class Stores:
    limiter: Limiter | None  # None: no rate limit
    lockout: AttemptLockout
    persisted: QueryStore
    cache: BodyCache | None  # None: no response cache
    shared: SharedHealth | None = None  # None: nothing is shared (in process)


def stores_for(settings: Settings) -> Stores:
    """In-process stores, or Redis-backed ones when ``settings.redis_url`` is set (no connection is made here)."""
    if settings.redis_url:
        from modelatlas.api.http.redis_stores import redis_stores

        return redis_stores(settings)
    return Stores(limiter=RateLimiter.from_setting(settings.rate_limit), lockout=Lockout(),
                  persisted=PersistedQueries(), cache=ResponseCache() if settings.response_cache else None)
