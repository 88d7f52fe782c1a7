"""Responses are a pure function of the URL and the loaded record, so GETs are cached in memory
per record version and carry a content ETag; a new load run invalidates everything at once."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHE_CONTROL = b"no-cache"  # clients may keep a copy but must revalidate it (cheap: 304)


def _private(headers: list[tuple[bytes, bytes]]) -> bool:
    """A response for one visitor (it sets a cookie, or says no-store) is never kept."""
    return any(
        k.lower() == b"set-cookie" or (k.lower() == b"cache-control" and b"no-store" in v)
        for k, v in headers
    )


def _logged_in(scope: Scope) -> bool:
    cookies = b";".join(v for k, v in scope["headers"] if k == b"cookie")
    return b"cajd_session=" in cookies or any(k == b"authorization" for k, _ in scope["headers"])


@dataclass(frozen=True)
class Cached:
    version: str
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class ResponseCache:
    """ASGI middleware: serve repeated GETs from memory, answer If-None-Match with 304."""

    def __init__(self, app: ASGIApp, version: Callable[[], str], max_entries: int = 4096,
                 version_ttl: float = 1.0) -> None:
        self.app = app
        self.version = version
        self.entries: OrderedDict[bytes, Cached] = OrderedDict()
        self.max_entries = max_entries
        self.version_ttl = version_ttl
        self._version: tuple[float, str] = (0.0, "")
        self._refreshing = anyio.Lock()

    async def current_version(self) -> str:
        checked, value = self._version
        if time.monotonic() - checked <= self.version_ttl or (
            checked and self._refreshing.locked()
        ):
            return value  # fresh, or being checked: the last answer stands meanwhile
        async with self._refreshing:  # one check at a time; the others reuse its answer
            checked, value = self._version
            if time.monotonic() - checked > self.version_ttl:
                # In a worker thread: the check needs a pooled connection, and waiting for one
                # on the event loop would stop the requests that hold them from ever finishing.
                value = await anyio.to_thread.run_sync(self.version)
                self._version = (time.monotonic(), value)
        return value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD")
                or scope["path"].startswith("/static/")  # files: StaticFiles' own ETags
                or _logged_in(scope)):  # a logged-in page may show what the public may not
            await self.app(scope, receive, send)
            return
        key = scope["path"].encode() + b"?" + scope["query_string"]
        version = await self.current_version()
        entry = self.entries.get(key)
        if entry is not None and entry.version == version:
            self.entries.move_to_end(key)
            await self._send(entry, scope, send)
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
            self.entries[key] = entry
            if len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        await self._send(entry, scope, send)

    @staticmethod
    async def _send(entry: Cached, scope: Scope, send: Send) -> None:
        headers = list(entry.headers)
        cacheable = entry.status == 200 and not _private(entry.headers)
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
