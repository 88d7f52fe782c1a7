"""Hostile requests: malformed input is refused before it reaches a route, and every response
carries headers that keep the pages from being framed, sniffed or loading anything from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cajd.web.routemap import RouteMap, query_pairs

INT64_MAX = 2**63 - 1  # both databases store integers in at most 64 bits

# Nothing from other origins. Vega compiles its chart expressions with `new Function` (hence
# 'unsafe-eval'; the scripts themselves are all served by cajd), and vega-embed and Swagger UI
# set inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}

Reject = Callable[[Scope, int, str, list[dict[str, object]]], Response]


def _decoded(raw: bytes) -> str | None:
    """Percent-decoded UTF-8 (None when it is not valid UTF-8: e.g. an encoded lone surrogate)."""
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def problems(scope: Scope, routes: RouteMap) -> tuple[int, str, list[dict[str, object]]] | None:
    """Why the request cannot be answered (status, message, located errors), or None."""
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    path = _decoded(raw_path.replace(b"+", b"%2B"))
    if path is None:
        return 400, "the path is not valid UTF-8", [{"loc": ["path"], "msg": "not valid UTF-8"}]
    if "\x00" in path:
        return 400, "the path contains a NUL character", [
            {"loc": ["path"], "msg": "contains a NUL character"}]
    errors: list[dict[str, object]] = []
    for part in scope["query_string"].split(b"&"):
        name_raw, _, value_raw = part.partition(b"=")
        name, value = _decoded(name_raw), _decoded(value_raw)
        shown = name if name is not None else name_raw.decode("latin-1")
        if name is None or value is None:
            errors.append({"loc": ["query", shown], "msg": "not valid UTF-8"})
        elif "\x00" in name or "\x00" in value:
            errors.append({"loc": ["query", shown.replace("\x00", "\\0")],
                           "msg": "contains a NUL character"})
    if errors:
        return 422, "a parameter is not valid", errors
    route = routes.match(scope["path"])
    if route is not None and route.integers:
        for name, value in query_pairs(scope["query_string"]):
            if name in route.integers and _out_of_range(value):
                errors.append({"loc": ["query", name],
                               "msg": f"must be an integer between {-INT64_MAX - 1} and "
                                      f"{INT64_MAX}"})
    if errors:
        return 422, "a parameter is not valid", errors
    return None


def _out_of_range(value: str) -> bool:
    try:
        number = int(value.strip())
    except ValueError:
        return False  # not an integer at all: the route's own validation says so
    return not -INT64_MAX - 1 <= number <= INT64_MAX


class RequestGuard:
    """ASGI middleware: NUL characters, invalid UTF-8 and integers beyond 64 bits get a 4xx in
    the error shape (the friendly page for pages) and never reach a route or the database."""

    def __init__(self, app: ASGIApp, routes: RouteMap, reject: Reject) -> None:
        self.app = app
        self.routes = routes
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = problems(scope, self.routes)
            if found is not None:
                status, message, errors = found
                await self.reject(scope, status, message, errors)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware adding ``SECURITY_HEADERS`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
