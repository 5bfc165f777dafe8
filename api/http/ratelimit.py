"""Per-client rate limiting with the ``limits`` library (moving window, in memory, per worker process).

>>> limiter = RateLimiter.from_setting("2/minute")
>>> [limiter.check("10.0.0.1").allowed for _ in range(3)]
[True, True, False]
>>> RateLimiter.from_setting("") is None
True
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import limits
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

__all__ = ["RateLimiter", "Verdict"]


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

    def __init__(self, item: limits.RateLimitItem) -> None:
        self.item = item
        self.strategy = MovingWindowRateLimiter(MemoryStorage())

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
