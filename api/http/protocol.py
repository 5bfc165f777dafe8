"""uvicorn's h11 protocol with a header deadline and a drain on shutdown: slow clients and restarts lose nothing.

- **Headers in time.** A connection must deliver a request's headers within ``MODELATLAS_HEADER_TIMEOUT_SECONDS``
  of its first byte (or of opening): otherwise it is answered ``408`` and closed. uvicorn itself only times out
  idle keep-alive connections, so 2,000 connections each sending a byte now and then stayed open for minutes.
- **Drain.** On a graceful shutdown (a worker retired by a rolling restart), an idle keep-alive connection is not
  cut at once, where a request the client just sent would meet a reset: it stays open for ``DRAIN_SECONDS`` and its
  next request is answered with ``Connection: close``; an in-flight request's response says ``Connection: close``
  too. The worker exits when its connections are gone (``timeout_graceful_shutdown`` bounds it).

Passed to uvicorn as ``http=GuardedH11Protocol`` by ``modelatlas serve``; the header timeout comes from the
environment (the settings of the worker).

>>> GuardedH11Protocol.header_timeout > 0
True
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["DRAIN_SECONDS", "GuardedH11Protocol"]

DRAIN_SECONDS = 1.0
CLOSE = (b"connection", b"close")
TIMEOUT_RESPONSE = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"

log = logging.getLogger("modelatlas.access")


def _env_seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


class GuardedH11Protocol(H11Protocol):
    """H11Protocol plus a header-read deadline and a keep-alive drain on shutdown."""

    header_timeout = _env_seconds("MODELATLAS_HEADER_TIMEOUT_SECONDS", 10.0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._draining = False

    # ---------------------------------------------------------------- header deadline
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        between = self.cycle is None or self.cycle.response_complete
        if between:
            self._arm_header_timer()  # the first bytes of a new request: its headers must follow in time
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle:  # a request's headers arrived: the app's body deadline takes over
            self._disarm_header_timer()
            if self._draining and self.cycle is not None:
                self._close_after(self.cycle)

    def _arm_header_timer(self) -> None:
        if self._header_timer is None and self.header_timeout > 0:
            self._header_timer = self.loop.call_later(self.header_timeout, self._header_timed_out)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timed_out(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or not (self.cycle is None or self.cycle.response_complete):
            return
        client = self.client[0] if self.client else "-"
        log.info(json.dumps({"event": "header_timeout", "client": client, "seconds": self.header_timeout}))
        self.transport.write(TIMEOUT_RESPONSE)
        self.transport.close()

    # ---------------------------------------------------------------- drain on shutdown
    def shutdown(self) -> None:
        self._draining = True
        if self.cycle is None or self.cycle.response_complete:
            self._unset_keepalive_if_required()  # idle: give a request already on its way the time to arrive
            self.timeout_keep_alive_task = self.loop.call_later(DRAIN_SECONDS, self.timeout_keep_alive_handler)
        else:
            self._close_after(self.cycle)

    @staticmethod
    def _close_after(cycle: Any) -> None:
        cycle.keep_alive = False
        if CLOSE not in cycle.default_headers:
            cycle.default_headers = [*cycle.default_headers, CLOSE]  # the client knows not to send another
