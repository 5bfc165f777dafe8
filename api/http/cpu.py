"""Per-client CPU budget: seconds of parsing, validation and execution per minute, beside the request-count limit.

Each client (the address ``proxies.client_address`` gives) holds a bucket of ``seconds`` CPU seconds that refills
evenly over ``window`` seconds. The work of a request is charged after it ran (the thread's CPU time, so waiting
for the interpreter lock is not charged); a client whose bucket is empty is refused (429 with ``Retry-After``)
until it has refilled enough to be positive again. Like GitHub's CPU-seconds and WDQS's query time per minute.
At most ``clients`` clients are tracked, the least recently charged forgotten first.

>>> budget = CpuBudget(seconds=1.0, window=60.0)
>>> budget.retry_after("10.0.0.1", now=0.0)
0
>>> budget.charge("10.0.0.1", 1.5, now=0.0); budget.retry_after("10.0.0.1", now=0.0)
31
>>> budget.retry_after("10.0.0.1", now=31.0), budget.retry_after("10.0.0.2", now=0.0)
(0, 0)
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from threading import Lock

__all__ = ["CpuBudget"]


class CpuBudget:
    """``seconds`` of CPU per ``window`` seconds and client."""

    def __init__(self, seconds: float, window: float = 60.0, clients: int = 10_000) -> None:
        self.seconds, self.window, self.clients = seconds, window, clients
        self.rate = seconds / window  # CPU seconds regained per second
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (level, when)
        self._lock = Lock()

    def _level(self, client: str, now: float) -> float:
        level, when = self._levels.get(client, (self.seconds, now))
        return min(self.seconds, level + (now - when) * self.rate)

    def retry_after(self, client: str, now: float | None = None) -> int:
        """Whole seconds until ``client`` may spend CPU again; 0: it may now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            level = self._level(client, now)
        return 0 if level > 0 else max(1, math.ceil((1e-9 - level) / self.rate))

    def charge(self, client: str, spent: float, now: float | None = None) -> None:
        """Take ``spent`` CPU seconds from ``client``'s bucket (it may go below zero: the debt is waited out)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            level = self._level(client, now) - spent
            self._levels.pop(client, None)
            self._levels[client] = (level, now)
            while len(self._levels) > self.clients:
                self._levels.popitem(last=False)

    def remaining(self, client: str, now: float | None = None) -> float:
        """CPU seconds ``client`` may still spend now (negative: its debt)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._level(client, now)
