"""Per-client rate limiting: requests with the ``limits`` library (moving window; in memory, per worker process,
or in any ``limits`` storage such as Redis: see ``redis_stores``), failed admin logins with a lockout.

>>> limiter = RateLimiter.from_setting("2/minute")
>>> [limiter.check("10.0.0.1").allowed for _ in range(3)]
[True, True, False]
>>> RateLimiter.from_setting("") is None
True
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass

import limits
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

__all__ = ["Lockout", "RateLimiter", "Verdict"]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        """The IETF draft ``RateLimit-*`` headers, plus ``Retry-After`` when refused."""
        headers = {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(self.remaining),
                   "RateLimit-Reset": str(self.reset_seconds)}
        if not self.allowed:
            headers["Retry-After"] = str(max(self.reset_seconds, 1))
        return headers


class RateLimiter:
    """``limit`` requests per window and client key (the client address)."""

    def __init__(self, item: limits.RateLimitItem, storage: Storage | None = None) -> None:
        self.item = item
        self.strategy = MovingWindowRateLimiter(storage or MemoryStorage())

    @classmethod
    def from_setting(cls, text: str) -> RateLimiter | None:
        """``"600/minute"``-style text (see the ``limits`` notation); empty text: no limiter. Bad text: ValueError."""
        if not text.strip():
            return None
        return cls(limits.parse(text))

    def check(self, client: str) -> Verdict:
        allowed = self.strategy.hit(self.item, client)
        stats = self.strategy.get_window_stats(self.item, client)
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed, self.item.amount, max(stats.remaining, 0), reset)


class Lockout:
    """After ``failures`` failed attempts of one client within ``window`` seconds, refuse it for ``duration`` seconds.

    Refused means every attempt, a correct one too: a guesser learns nothing while locked out. A success clears the
    client's failures. At most ``clients`` clients are tracked (the oldest are forgotten), so many addresses cannot
    grow it without bound.

    >>> lockout = Lockout(failures=2, window=60, duration=30)
    >>> lockout.fail("10.0.0.1", now=0); lockout.retry_after("10.0.0.1", now=1)
    0
    >>> lockout.fail("10.0.0.1", now=2); lockout.retry_after("10.0.0.1", now=3)
    29
    >>> lockout.retry_after("10.0.0.1", now=32), lockout.retry_after("10.0.0.2", now=3)
    (0, 0)
    """

    def __init__(self, failures: int = 5, window: float = 60.0, duration: float = 60.0, clients: int = 10_000) -> None:
        self.failures, self.window, self.duration, self.clients = failures, window, duration, clients
        self._failed: dict[str, deque[float]] = {}  # client -> times of its recent failures
        self._locked: dict[str, float] = {}  # client -> end of its lockout

    def retry_after(self, client: str, now: float | None = None) -> int:
        """Whole seconds until ``client`` may try again; 0: it may now."""
        now = time.monotonic() if now is None else now
        until = self._locked.get(client)
        if until is None:
            return 0
        if now >= until:
            del self._locked[client]
            return 0
        return max(1, math.ceil(until - now))

    def fail(self, client: str, now: float | None = None) -> None:
        """Count a failed attempt; the one that reaches ``failures`` within ``window`` starts the lockout."""
        now = time.monotonic() if now is None else now
        times = self._failed.pop(client, None) or deque()
        self._failed[client] = times  # re-inserted: the dict's order is the clients' last failure
        times.append(now)
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.failures:
            del self._failed[client]
            self._locked[client] = now + self.duration
        for tracked in (self._failed, self._locked):
            while len(tracked) > self.clients:
                del tracked[next(iter(tracked))]

    def succeed(self, client: str) -> None:
        self._failed.pop(client, None)
