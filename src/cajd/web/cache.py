"""Responses are a pure function of the route, the parameters it declares and the loaded record,
so GETs are cached in memory per record version and carry a content ETag.

The key is the path and the route's declared query parameters in canonical order, and the request
is passed on with exactly that query, so what is cached is what any client asking for the key would
get; the Host header plays no part (links are relative and hosts are checked before this). The
cache is bounded by bytes (least recently used entries go first) and skips bodies over a per-entry
cap. A new load run invalidates everything at once; so does ``ResponseStore.clear()``.
"""

from __future__ import annotations

import builtins
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio
import sqlalchemy as sa
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cajd.web.routemap import RouteMap, canonical_query

K = TypeVar("K")
V = TypeVar("V")
CACHE_CONTROL = b"no-cache"  # clients may keep a copy but must revalidate it (cheap: 304)
ENTRY_OVERHEAD = 256  # bytes of bookkeeping per entry beyond its key, headers and body


def _private(headers: list[tuple[bytes, bytes]]) -> bool:
    """A response for one visitor (it sets a cookie, or says no-store) is never kept."""
    return any(
        k.lower() == b"set-cookie" or (k.lower() == b"cache-control" and b"no-store" in v)
        for k, v in headers
    )


def logged_in(scope: Scope) -> bool:
    cookies = b";".join(v for k, v in scope["headers"] if k == b"cookie")
    return b"cajd_session=" in cookies or any(k == b"authorization" for k, _ in scope["headers"])


@dataclass(frozen=True)
class Cached:
    version: str
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes

    def size(self, key: bytes) -> int:
        return (len(key) + len(self.body) + sum(len(k) + len(v) for k, v in self.headers)
                + ENTRY_OVERHEAD)


class BoundedLRU(Generic[K, V]):
    """Values by key, bounded by their total size (``size(key, value)``, in bytes), the least
    recently used first out; safe to share between the event loop and the thread pool. One value
    larger than the whole bound is never kept."""

    def __init__(self, max_bytes: int, size: Callable[[K, V], int]) -> None:
        self.max_bytes = max_bytes
        self.size = size
        self.entries: OrderedDict[K, V] = OrderedDict()
        self.bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        size = self.size(key, value)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= self.size(key, old)
            self.entries[key] = value
            self.bytes += size
            while self.bytes > self.max_bytes:
                evicted_key, evicted = self.entries.popitem(last=False)
                self.bytes -= self.size(evicted_key, evicted)

    def clear(self) -> None:
        with self._lock:
            self.entries.clear()
            self.bytes = 0


class ResponseStore:
    """The entries, bounded by total bytes; shared by the middleware and whoever invalidates."""

    def __init__(self, max_bytes: int, entry_max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entry_max_bytes = min(entry_max_bytes, max_bytes)
        self.kept = BoundedLRU[builtins.bytes, Cached](
            max_bytes, lambda key, entry: entry.size(key))
        self.generation = 0  # part of every entry's version: clear() bumps it

    @property
    def entries(self) -> OrderedDict[builtins.bytes, Cached]:
        return self.kept.entries

    @property
    def bytes(self) -> int:  # the name shadows the type in this class: builtins.bytes below
        return self.kept.bytes

    def get(self, key: builtins.bytes, version: str) -> Cached | None:
        entry = self.kept.get(key)
        return entry if entry is not None and entry.version == version else None

    def put(self, key: builtins.bytes, entry: Cached) -> None:
        if len(entry.body) <= self.entry_max_bytes:
            self.kept.put(key, entry)

    def clear(self) -> None:
        """Forget every entry (for writers that change the record outside a load run)."""
        self.kept.clear()
        self.generation += 1


class RecordVersion:
    """The record version entries are kept under, read from the store at most once every
    ``ttl`` seconds (one read at a time; the others reuse its answer), with the store's
    generation (bumped by ``clear()``) in front."""

    def __init__(self, read: Callable[[], str], store: ResponseStore, ttl: float = 1.0) -> None:
        self.read = read
        self.store = store
        self.ttl = ttl
        self._version: tuple[float, str] = (0.0, "")
        self._refreshing = anyio.Lock()

    async def current(self) -> str:
        checked, value = self._version
        if time.monotonic() - checked <= self.ttl or (checked and self._refreshing.locked()):
            return f"{self.store.generation}:{value}"  # fresh, or being checked meanwhile
        async with self._refreshing:
            checked, value = self._version
            if time.monotonic() - checked > self.ttl:
                # In a worker thread: the check needs a pooled connection, and waiting for one
                # on the event loop would stop the requests that hold them from ever finishing.
                value = await anyio.to_thread.run_sync(self.read)
                self._version = (time.monotonic(), value)
        return f"{self.store.generation}:{value}"


def cache_key(scope: Scope, routes: RouteMap, exclude: tuple[str, ...] = ()
              ) -> tuple[bytes, bytes] | None:
    """The entry's key and the canonical query a GET is answered with, or None when the path is
    never cached (static files with their own ETags, 404s, ``exclude``)."""
    route = routes.match(scope["path"])
    if route is None or scope["path"] in exclude:
        return None
    query = canonical_query(scope["query_string"], route)
    return scope["path"].encode() + b"?" + query, query


class ResponseCache:
    """ASGI middleware: serve repeated GETs from memory, answer If-None-Match with 304."""

    def __init__(self, app: ASGIApp, version: RecordVersion, routes: RouteMap,
                 exclude: tuple[str, ...] = ()) -> None:
        self.app = app
        self.exclude = exclude  # paths never cached nor version-checked (the health check)
        self.version = version
        self.store = version.store
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            await self._write(scope, receive, send)
            return
        if scope["type"] != "http" or logged_in(scope):
            # a logged-in page may show what the public may not
            await self.app(scope, receive, send)
            return
        found = cache_key(scope, self.routes, self.exclude)
        if found is None:
            await self.app(scope, receive, send)
            return
        key, query = found
        scope = {**scope, "query_string": query}
        if self.store.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        try:
            version = await self.version.current()
        except sa.exc.SQLAlchemyError:  # the database is away: no caching, the app answers
            await self.app(scope, receive, send)
            return
        entry = self.store.get(key, version)
        if entry is not None:
            await send_entry(entry, scope, send)
            return
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        # HEAD is answered from a GET, so a HEAD never caches an empty body for the URL
        await self.app({**scope, "method": "GET"}, receive, capture)
        start = captured[0]
        body = b"".join(m.get("body", b"") for m in captured[1:])
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
        entry = Cached(version, start["status"], headers, body, etag)
        if start["status"] == 200 and not _private(headers):
            self.store.put(key, entry)
        await send_entry(entry, scope, send)

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A request that may change the record: once it has succeeded, this instance forgets
        every page at once (other instances hear of it from ``cajd.changes``, or the version)."""
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if status < 400:
                self.store.clear()


async def send_entry(entry: Cached, scope: Scope, send: Send) -> None:
    """The entry as the answer to ``scope``: 304 when If-None-Match names its ETag, no body for
    a HEAD."""
    headers = list(entry.headers)
    cacheable = entry.status == 200 and not _private(entry.headers) and not any(
        k.lower() == b"cache-control" for k, _ in entry.headers)
    if cacheable:
        headers += [(b"etag", entry.etag), (b"cache-control", CACHE_CONTROL)]
        requested = dict(scope["headers"]).get(b"if-none-match", b"")
        if entry.etag in [t.strip().removeprefix(b"W/") for t in requested.split(b",")]:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
    headers.append((b"content-length", str(len(entry.body)).encode()))
    body = b"" if scope["method"] == "HEAD" else entry.body
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
