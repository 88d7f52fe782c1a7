"""What a serving process does once, before it takes its first request.

A fresh worker's first figure page imported altair (0.3 s) and started vl-convert's JavaScript
engine (0.6 s), and each of its first pages compiled its templates; under a burst of connections
at start-up every request queued behind those, and the soak's first minute saw requests wait past
the admission queue's bound (503). ``cajd serve`` calls ``warm_up`` in the app's lifespan, so the
work is done before the worker accepts a connection; an app built directly (the tests) skips it.

FastAPI (0.165 here; 0.130 did not) prepares an included router's routes (each parameter's
validator) when the first request reaches them: 0.26 s on a worker's first meeting list.
``prepare_routes`` sends the router one request that no route matches, which reaches them all.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message

from cajd.web.i18n import LANGUAGES

#: the smallest spec that makes vl-convert start its engine and draw
FIRST_SPEC = {"mark": "point", "data": {"values": [{"x": 1}]},
              "encoding": {"x": {"field": "x", "type": "quantitative"}}}


def warm_up() -> float:
    """Import the figure libraries, draw one SVG, compile every template in every language;
    the seconds it took."""
    started = time.perf_counter()
    import altair  # noqa: F401  (the figure modules import it on first use)
    import vl_convert

    from cajd.web.templating import environment

    vl_convert.vegalite_to_svg(FIRST_SPEC)
    for lang in LANGUAGES:
        templates = environment(lang)
        for name in templates.list_templates(extensions=["html"]):
            templates.get_template(name)
    return time.perf_counter() - started


#: a path no route matches, so that matching it tries every route
UNROUTED = "/-/warm-up"


async def prepare_routes(router: ASGIApp) -> None:
    """Send ``router`` (the app's router, inside its middleware) one request for ``UNROUTED``."""
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": UNROUTED, "raw_path": UNROUTED.encode(), "query_string": b"",
        "root_path": "", "headers": [], "client": None, "server": ("localhost", 80),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        pass

    await router(scope, receive, send)
