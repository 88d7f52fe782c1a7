"""Structured request logs: one JSON line per request on stderr, through the stdlib logging."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = "cajd.request"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "request", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr for cajd's loggers, at ``level`` (idempotent)."""
    logger = logging.getLogger("cajd")
    logger.setLevel(level.upper())
    if not any(getattr(h, "cajd_json", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.cajd_json = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.propagate = False
    # A request's line uses none of what the stdlib gathers for every record by default (the
    # caller's file and line, the thread, the process): the logging HOWTO's "Optimization".
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None


def log_request(scope: Scope, status: int, size: int, started: float) -> None:
    """A request's line (``started``: its ``time.perf_counter()``): from ``RequestLog``, and
    for the cache hits answered before it (``cajd.web.hits``)."""
    logging.getLogger(LOGGER).info("request", extra={"request": {
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "bytes": size,
    }})


class RequestLog:
    """ASGI middleware: logs method, path, status, duration and body bytes of each request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status, size = 500, 0

        async def observe(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            log_request(scope, status, size, started)

