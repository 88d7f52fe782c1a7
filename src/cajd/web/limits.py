"""Admission control: a bounded number of requests inside the app, sized with the pools.

Each request inside the app holds at most one pooled connection and at most one worker thread at
a time (a sync route, then FastAPI's response serialization, in turn). So with the connection pool
and the thread limiter both a little larger than the number of admitted requests (room for the
cache's record-version check), no admitted request can wait for a connection or a thread held by
another: the pool never runs dry and the 30-second pool timeouts of issue 8 cannot happen.

A request that finds every slot taken joins a bounded first-come queue, holding nothing but its
socket. Saturation is the queue being full: the request after the last place is answered 503
with Retry-After at once, and so is one that waited the whole bounded wait. Sized so, a burst of
a few hundred connections is served, late but whole, while a flood beyond the queue is refused
at once instead of queueing behind the others.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import anyio
import anyio.to_thread
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

RETRY_AFTER_SECONDS = 1
SPARE = 2  # connections and threads beyond the admitted requests: the version check, healthz


@dataclass(frozen=True)
class Sizing:
    concurrency: int  # requests admitted into the app at once, per process
    queue_wait: float  # seconds a request may wait for a slot before it gets 503
    queue_length: int = 256  # requests that may wait for a slot; the next one gets 503 at once

    @property
    def pool_size(self) -> int:
        return self.concurrency + SPARE

    @property
    def threads(self) -> int:
        return self.concurrency + SPARE


SWITCH_INTERVAL = 0.001  # seconds; CPython's default is 0.005


def size_thread_pool(sizing: Sizing) -> None:
    """Set the event loop's default thread limiter explicitly (anyio's default is 40 threads,
    more than the connection pool: the cause of the stall), and let the event loop's thread get
    the GIL back sooner: with the routes' CPU-bound threads holding it, every socket call of the
    loop otherwise waits up to 5 ms for it, and the loop (which answers the 503s) falls behind."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = sizing.threads
    sys.setswitchinterval(SWITCH_INTERVAL)


Busy = Callable[[Scope, int, str, dict[str, str]], Response]


class ConcurrencyLimit:
    """ASGI middleware admitting at most ``sizing.concurrency`` requests at once."""

    def __init__(self, app: ASGIApp, sizing: Sizing, busy: Busy) -> None:
        self.app = app
        self.sizing = sizing
        self.busy = busy
        self._slots: anyio.Semaphore | None = None
        self._waiting = 0  # requests queued for a slot (one event loop: no lock needed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # created on the running event loop
            self._slots = anyio.Semaphore(self.sizing.concurrency)
        admitted = False
        if self._slots.value > 0 or self._waiting < self.sizing.queue_length:
            self._waiting += 1
            try:
                with anyio.move_on_after(self.sizing.queue_wait):
                    await self._slots.acquire()
                    admitted = True
            finally:
                self._waiting -= 1
        if not admitted:
            response = self.busy(scope, 503, "the server is busy: retry in a moment",
                                 {"Retry-After": str(RETRY_AFTER_SECONDS)})
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()
