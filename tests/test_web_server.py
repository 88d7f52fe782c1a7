"""Security headers, Allow on 405, a health check that touches the database, JSON request logs,
and admission control answering 503 with Retry-After at once when every slot is taken."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import re
import time

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.types import Receive, Scope, Send

from cajd import store
from cajd.settings import Settings
from cajd.web.app import busy_response, create_app
from cajd.web.limits import ConcurrencyLimit, Sizing
from cajd.web.requestlog import LOGGER, JsonFormatter
from tests.webfixture import web_engine

__all__ = ["web_engine"]


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> TestClient:
    return TestClient(create_app(web_engine), raise_server_exceptions=False)


@pytest.mark.parametrize("url", ["/en/", "/api/v1/events", "/api/v1/events/nope", "/en/nope",
                                 "/static/cajd.js", "/api/v1/events?offset=x",
                                 "/api/v1/events?body=%00", "/api/docs", "/healthz"])
def test_every_response_carries_the_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no other origin is allowed anything
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_a_refused_host_gets_the_headers_too(client: TestClient) -> None:
    response = client.get("/en/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("url", ["/api/v1/events", "/en/meetings", "/healthz"])
def test_a_wrong_method_is_405_with_allow(client: TestClient, url: str) -> None:
    response = client.post(url)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    if url.startswith("/api/"):
        assert response.json()["status"] == 405


def test_health_touches_the_database(client: TestClient, web_engine: Engine) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("url", [
    "sqlite:////nonexistent-dir/for/cajd.sqlite3",
    "postgresql+psycopg://postgres@127.0.0.1:1/cajd?connect_timeout=1",
])
def test_health_is_503_when_the_database_is_gone(url: str) -> None:
    engine = store.make_engine(url)
    response = TestClient(create_app(engine)).get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False and body["status"] == 503 and "database" in body["error"]
    assert response.headers["retry-after"] == "1"


def test_each_request_is_one_json_log_line(client: TestClient,
                                           caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("cajd").propagate = True  # another test may have configured a handler
    with caplog.at_level(logging.INFO, logger=LOGGER):
        client.get("/api/v1/parties?x=1")
        client.get("/api/v1/nothing-here")
    records = [r for r in caplog.records if r.name == LOGGER]
    assert len(records) == 2
    fields = [json.loads(JsonFormatter().format(r)) for r in records]
    assert fields[0]["method"] == "GET" and fields[0]["path"] == "/api/v1/parties"
    assert fields[0]["status"] == 200 and fields[0]["bytes"] > 100
    assert fields[0]["duration_ms"] >= 0 and fields[1]["status"] == 404


def test_the_log_level_is_configurable(client: TestClient,
                                       caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("cajd").propagate = True
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        client.get("/api/v1/parties")
    assert not [r for r in caplog.records if r.name == LOGGER]


def test_the_pools_are_sized_from_the_concurrency_limit(tmp_path: object) -> None:
    settings = Settings(concurrency=5)
    sizing = Sizing(settings.concurrency, settings.queue_wait)
    engine = store.make_engine("sqlite:///" + str(tmp_path) + "/x.sqlite3",
                               pool_size=sizing.pool_size, pool_timeout=2)
    assert isinstance(engine.pool, sa.pool.QueuePool)
    assert engine.pool.size() == sizing.pool_size == sizing.threads
    assert engine.pool._max_overflow == 0  # fixed size, by design


def test_saturation_gives_503_with_retry_after_at_once() -> None:
    release = asyncio.Event()
    entered = 0

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal entered
        entered += 1
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    limited = ConcurrencyLimit(slow_app, Sizing(concurrency=2, queue_wait=0.2), busy_response)

    async def scenario() -> tuple[list[int], float, httpx.Response]:
        transport = httpx.ASGITransport(app=limited)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            holders = [asyncio.create_task(client.get("/api/v1/events")) for _ in range(2)]
            await asyncio.sleep(0.05)
            started = time.monotonic()
            refused = await client.get("/api/v1/events")
            waited = time.monotonic() - started
            release.set()
            return [(await h).status_code for h in holders], waited, refused

    # A thread of its own: the browser tests' Playwright keeps an event loop running in the main
    # thread for the whole session, and asyncio.run refuses to start inside one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        statuses, waited, refused = pool.submit(asyncio.run, scenario()).result()
    assert statuses == [200, 200] and entered == 2  # the third never reached the app
    assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
    assert refused.json()["status"] == 503 and refused.json()["ok"] is False
    assert 0.15 <= waited < 2.0  # a short bounded wait, then the answer at once


def test_a_full_queue_gives_503_at_once_and_the_queued_are_served() -> None:
    release = asyncio.Event()

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    # one slot, one place in the queue, and a wait far longer than the test
    limited = ConcurrencyLimit(slow_app, Sizing(concurrency=1, queue_wait=30, queue_length=1),
                               busy_response)

    async def scenario() -> tuple[list[int], float, int]:
        transport = httpx.ASGITransport(app=limited)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            running = asyncio.create_task(client.get("/api/v1/events"))
            await asyncio.sleep(0.05)
            queued = asyncio.create_task(client.get("/api/v1/events"))
            await asyncio.sleep(0.05)
            started = time.monotonic()
            refused = await client.get("/api/v1/events")
            waited = time.monotonic() - started
            release.set()
            return [(await running).status_code, (await queued).status_code], waited, \
                refused.status_code

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        statuses, waited, refused = pool.submit(asyncio.run, scenario()).result()
    assert refused == 503 and waited < 1.0  # the queue was full: refused without waiting
    assert statuses == [200, 200]  # the one in the queue waited its turn and was served


def test_the_api_docs_load_nothing_from_another_origin(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "<script>" not in page.text  # no inline script: the CSP forbids them
    for source in sources:
        assert client.get(source).status_code == 200, source  # the vendored files are there
    assert client.get("/api/openapi.json").json()["paths"]
