"""The stores of ``stores`` shared by every replica of a deployment, in one Redis (``MODELATLAS_REDIS_URL``).

Keys, under ``modelatlas:``:

- ``apq:<sha256>``: a persisted query's text, kept 30 days from its registration (a hash names one text whatever
  the data, so the key has no data version);
- ``rc:<data version>:<date>:<method>:<digest>``: a response body, kept an hour (the version is in the key: a
  replica serving version B never reads a body of version A, even while others still serve A);
- ``limits:…``: the ``limits`` library's moving windows of the rate limit (they expire with their window);
- ``lockout:fail:<client>`` and ``lockout:lock:<client>``: failed admin logins and lockouts (they expire too).

Each store keeps its in-process layer too. The persisted queries and bodies there are a near cache (their keys
name immutable values, so a copy is never stale); the counters there are the fallback.

Redis unreachable, or slower than 250 ms for a call: one log line ``{"event": "redis_down", ...}`` on logger
``modelatlas.redis``, and no call is tried for the next 2 s. Meanwhile, and on every failed call, each store falls
back to its in-process layer, so no request fails because Redis does:

- rate limit and admin lockout: this replica's own counters (the limit then holds per replica, as without Redis;
  a lockout begun in either place holds);
- persisted queries: the hashes this replica has seen (another gets ``PERSISTED_QUERY_NOT_FOUND`` and the client
  sends its text again, as the APQ protocol has it);
- response cache: this replica's bodies; otherwise the query runs.

``{"event": "redis_up"}`` is logged once it answers again.

>>> shared = SharedRedis("redis://:secret@127.0.0.1:1/0")   # nothing listens on port 1
>>> shared.where
'redis://127.0.0.1:1/0'
>>> apq = SharedPersistedQueries(shared)
>>> apq.register("a1ee4cf20ed5bed8ed2cab7fbc7fa0bbe54c2fb8a2bad4d8fd6d2aa7a0a5c5f9", "{ dataVersion }")
Traceback (most recent call last):
...
ValueError: provided sha does not match query
>>> from modelatlas.api.http.persisted import sha256_hex
>>> apq.register(sha256_hex("{ dataVersion }"), "{ dataVersion }")   # Redis is down: kept in this process
>>> apq.get(sha256_hex("{ dataVersion }")), shared.down
('{ dataVersion }', True)
"""

from __future__ import annotations

import json
import logging
import math
import time
import uuid
from collections.abc import Callable, Hashable
from contextlib import suppress
from typing import TypeVar
from urllib.parse import urlsplit

import limits
import redis
from limits.storage import RedisStorage
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from modelatlas.api.http.persisted import PersistedQueries
from modelatlas.api.http.ratelimit import Lockout, RateLimiter, Verdict
from modelatlas.api.http.response_cache import ResponseCache
from modelatlas.api.http.settings import Settings
from modelatlas.api.http.stores import Stores

__all__ = ["PREFIX", "RedisDown", "SharedLockout", "SharedPersistedQueries", "SharedRateLimiter", "SharedRedis",
           "SharedResponseCache", "key_text", "redis_stores"]

log = logging.getLogger("modelatlas.redis")

PREFIX = "modelatlas:"
CALL_TIMEOUT = 0.25  # seconds for one connect or one reply: a stalled Redis must not stall the replica long
PAUSE = 2.0  # seconds without any call after a failure
APQ_TTL = 30 * 24 * 3600
RESPONSE_TTL = 3600
FALLBACK = "in-process state of this replica"

T = TypeVar("T")


class RedisDown(Exception):
    """Redis did not answer (or is paused after a failure): the caller falls back to its in-process layer."""


def redacted(url: str) -> str:
    """The URL without its credentials, for log lines.

    >>> redacted("redis://user:pw@cache.internal:6380/2"), redacted("unix:///run/redis.sock")
    ('redis://cache.internal:6380/2', 'unix:///run/redis.sock')
    """
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def key_text(key: Hashable) -> str:
    """A response-cache key as Redis text: its parts joined by ``:``, bytes in hex.

    >>> key_text(("v1", "2026-11-25", "GET", b"\\x00\\xff"))
    'v1:2026-11-25:GET:00ff'
    """
    parts = key if isinstance(key, tuple) else (key,)
    return ":".join(part.hex() if isinstance(part, bytes) else str(part) for part in parts)


class SharedRedis:
    """One connection pool to Redis, and the rule for its failures (log once, pause, let the caller fall back)."""

    def __init__(self, url: str, *, timeout: float = CALL_TIMEOUT, pause: float = PAUSE) -> None:
        self.url = url
        self.where = redacted(url)
        self.pause = pause
        self.pool = redis.ConnectionPool.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                                  retry=Retry(NoBackoff(), 0))  # no retries: the fallback answers
        self.client = redis.Redis(connection_pool=self.pool)
        self.down = False
        self.failures = 0  # failed calls since the start
        self._paused_until = 0.0

    def run(self, what: str, call: Callable[[redis.Redis], T]) -> T:
        """``call(client)``; RedisDown when it fails (logged on the first failure of a spell) or while paused."""
        if time.monotonic() < self._paused_until:
            raise RedisDown(what)
        try:
            result = call(self.client)
        except (RedisError, OSError) as exc:
            self.failures += 1
            self._paused_until = time.monotonic() + self.pause
            if not self.down:
                self.down = True
                log.error(json.dumps({"event": "redis_down", "redis": self.where, "during": what,
                                      "error": f"{type(exc).__name__}: {exc}"[:300], "fallback": FALLBACK,
                                      "retry_seconds": self.pause}))
            raise RedisDown(what) from exc
        if self.down:
            self.down = False
            log.warning(json.dumps({"event": "redis_up", "redis": self.where, "failures": self.failures}))
        return result

    def ping(self) -> bool:
        """Whether Redis answers now (a failure is logged like any other)."""
        try:
            return bool(self.run("ping", lambda client: client.ping()))
        except RedisDown:
            return False


class SharedRateLimiter:
    """The rate limit counted in Redis for all replicas; this replica's own counters while Redis is down."""

    def __init__(self, item: limits.RateLimitItem, shared: SharedRedis) -> None:
        self.shared = shared
        self.redis = RateLimiter(item, RedisStorage(shared.url, connection_pool=shared.pool,
                                                    key_prefix=PREFIX + "limits"))
        self.local = RateLimiter(item)

    def check(self, client: str) -> Verdict:
        try:
            return self.shared.run("rate limit", lambda _client: self.redis.check(client))
        except RedisDown:
            return self.local.check(client)


class SharedLockout:
    """``ratelimit.Lockout`` for all replicas: failures in a sorted set per client, the lockout a key with a TTL.

    While Redis is down, failures count in this process instead, so a lockout still holds (per replica); a client
    locked in either place waits for the later of the two.
    """

    def __init__(self, shared: SharedRedis, failures: int = 5, window: float = 60.0, duration: float = 60.0) -> None:
        self.shared, self.failures, self.window, self.duration = shared, failures, window, duration
        self.local = Lockout(failures, window, duration)

    def retry_after(self, client: str) -> int:
        local = self.local.retry_after(client)
        try:
            ms = self.shared.run("lockout", lambda r: r.pttl(self._locked(client)))
        except RedisDown:
            return local
        return max(local, math.ceil(ms / 1000) if ms > 0 else 0)

    def fail(self, client: str) -> None:
        def count(r: redis.Redis) -> None:
            now, key = time.time(), self._failed(client)
            pipe = r.pipeline()
            pipe.zadd(key, {f"{now:.6f}:{uuid.uuid4().hex[:8]}": now})
            pipe.zremrangebyscore(key, "-inf", now - self.window)
            pipe.zcard(key)
            pipe.expire(key, math.ceil(self.window))
            if pipe.execute()[2] >= self.failures:
                lock = r.pipeline()
                lock.set(self._locked(client), 1, px=math.ceil(self.duration * 1000))
                lock.delete(key)
                lock.execute()

        try:
            self.shared.run("lockout", count)
        except RedisDown:
            self.local.fail(client)

    def succeed(self, client: str) -> None:
        self.local.succeed(client)
        with suppress(RedisDown):
            self.shared.run("lockout", lambda r: r.delete(self._failed(client)))

    @staticmethod
    def _failed(client: str) -> str:
        return f"{PREFIX}lockout:fail:{client}"

    @staticmethod
    def _locked(client: str) -> str:
        return f"{PREFIX}lockout:lock:{client}"


class SharedPersistedQueries:
    """The APQ registry in Redis, with this process's registry as a near cache (and the fallback)."""

    def __init__(self, shared: SharedRedis, local: PersistedQueries | None = None, ttl: int = APQ_TTL) -> None:
        self.shared, self.ttl = shared, ttl
        self.local = local or PersistedQueries()

    def get(self, sha: str) -> str | None:
        text = self.local.get(sha)
        if text is not None:
            return text
        try:
            raw = self.shared.run("persisted query", lambda r: r.get(PREFIX + "apq:" + sha))
        except RedisDown:
            return None
        if raw is None:
            return None
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        try:
            self.local.register(sha, text)
        except ValueError:  # written by something else than a replica: never served
            log.error(json.dumps({"event": "redis_bad_value", "redis": self.shared.where, "key": PREFIX + "apq:" + sha,
                                  "error": "the text does not match its hash; ignored"}))
            return None
        return text

    def register(self, sha: str, text: str) -> None:
        """Keep ``text`` here and in Redis; a hash that does not match the text is a ValueError (nothing is kept)."""
        self.local.register(sha, text)
        with suppress(RedisDown):
            self.shared.run("persisted query", lambda r: r.set(PREFIX + "apq:" + sha.lower(), text.encode(), ex=self.ttl))


class SharedResponseCache:
    """Response bodies in Redis under keys that carry the data version, with this process's LRU as a near cache.

    ``clear`` (on a swap) empties the near cache only: the other replicas may still serve the old version, and its
    bodies in Redis expire by themselves.
    """

    def __init__(self, shared: SharedRedis, local: ResponseCache | None = None, ttl: int = RESPONSE_TTL) -> None:
        self.shared, self.ttl = shared, ttl
        self.local = local or ResponseCache()

    def get(self, key: Hashable) -> bytes | None:
        body = self.local.get(key)
        if body is not None:
            return body
        try:
            raw = self.shared.run("response cache", lambda r: r.get(PREFIX + "rc:" + key_text(key)))
        except RedisDown:
            return None
        if not isinstance(raw, bytes):
            return None
        self.local.put(key, raw)
        return raw

    def put(self, key: Hashable, value: bytes) -> None:
        if len(value) > self.local.max_bytes:
            return
        self.local.put(key, value)
        with suppress(RedisDown):
            self.shared.run("response cache", lambda r: r.set(PREFIX + "rc:" + key_text(key), value, ex=self.ttl))

    def clear(self) -> None:
        self.local.clear()


def redis_stores(settings: Settings) -> Stores:
    """The shared stores for ``settings.redis_url``; Redis is pinged once, and the outcome logged."""
    shared = SharedRedis(settings.redis_url)
    if shared.ping():
        log.info(json.dumps({"event": "redis_shared_state", "redis": shared.where, "status": "up"}))
    item = limits.parse(settings.rate_limit) if settings.rate_limit.strip() else None
    return Stores(limiter=SharedRateLimiter(item, shared) if item is not None else None, lockout=SharedLockout(shared),
                  persisted=SharedPersistedQueries(shared),
                  cache=SharedResponseCache(shared) if settings.response_cache else None, shared=shared)
