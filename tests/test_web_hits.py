"""Cache hits answered before the middleware stack (``cajd.web.hits``) are byte for byte what the
stack answers, and every request the fast path cannot answer exactly goes down the stack."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd.settings import Settings
from cajd.web.app import create_app
from cajd.web.cache import ResponseCache
from cajd.web.requestlog import LOGGER
from tests.webfixture import web_engine

__all__ = ["web_engine"]

HOSTS = ["testserver", "localhost", "[::1]"]
URLS = ["/api/v1/events?body=caj-fmm", "/api/v1/events/caj-fmm-4", "/api/v1/parties",
        "/en/meetings/caj-fmm-4", "/ja/", "/ru/parties", "/en/timeline?body=caj-fmm",
        "/api/v1/events?sort=-start&unknown=1&body=caj-fmm"]
STACK = {"Host": "[::1]"}  # an IPv6 literal: the fast path leaves its host check to the stack
Answer = tuple[int, list[tuple[str, str]], bytes]


@pytest.fixture
def client(web_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(web_engine, Settings(), allowed_hosts=HOSTS)) as client:
        yield client


def refuse_the_stack(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on the stack's cache fails any request that reaches it; the paths it got."""
    reached: list[str] = []
    original = ResponseCache.__call__

    async def refuse(self: ResponseCache, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            reached.append(scope["path"])
            raise AssertionError(f"{scope['path']} went down the stack")
        await original(self, scope, receive, send)

    monkeypatch.setattr(ResponseCache, "__call__", refuse)
    return reached


def answer(client: TestClient, method: str, url: str, **headers: str) -> Answer:
    response = client.request(method, url, headers=headers)
    return response.status_code, list(response.headers.multi_items()), response.content


def test_a_hit_is_what_the_stack_answers_with_the_same_headers_and_log_line(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
        ) -> None:
    asked: list[tuple[str, str, dict[str, str]]] = [("GET", url, {}) for url in URLS]
    asked += [("HEAD", URLS[1], {}), ("HEAD", URLS[3], {})]
    for url in URLS:
        assert client.get(url).status_code == 200  # a miss: the stack makes the entry
    etag = client.get(URLS[0]).headers["etag"]
    asked += [("GET", URLS[0], {"If-None-Match": etag}),
              ("GET", URLS[0], {"If-None-Match": f'"other", W/{etag}'})]
    from_stack = [answer(client, method, url, **STACK, **headers)
                  for method, url, headers in asked]
    reached = refuse_the_stack(monkeypatch)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        for (method, url, headers), stacked in zip(asked, from_stack, strict=True):
            assert answer(client, method, url, **headers) == stacked, (method, url, headers)
    assert reached == []
    assert from_stack[-1][0] == from_stack[-2][0] == 304
    assert any(k == "content-security-policy" for k, _ in from_stack[0][1])
    lines = [r.request for r in caplog.records if r.name == LOGGER]  # type: ignore[attr-defined]
    assert len(lines) == len(asked)
    assert lines[0] | {"duration_ms": 0} == {"method": "GET", "path": "/api/v1/events",
                                             "status": 200, "duration_ms": 0,
                                             "bytes": len(from_stack[0][2])}
    assert [line["status"] for line in lines[-2:]] == [304, 304]
    assert [line["bytes"] for line in lines[len(URLS):len(URLS) + 2]] == [0, 0]  # the HEADs
    json.dumps(lines)  # what the JSON formatter writes


@pytest.mark.parametrize(("url", "headers", "refused_by"), [
    ("/api/v1/events?body=caj-fmm", {"Origin": "https://elsewhere.example"}, None),  # CORS
    ("/api/v1/events?body=caj-fmm", {"Cookie": "cajd_session=x"}, None),
    ("/api/v1/events?body=caj-fmm", {"Authorization": "Bearer x"}, None),
    ("/api/v1/events?body=caj-tokyo", {}, None),  # a miss
    ("/healthz", {}, None),  # never cached
    ("/api/v1/events?body=caj-fmm", {"Host": "evil.example"}, 400),  # the host check
    ("/api/v1/events?body=caj-fmm&x=%00", {}, 422),  # the guard
    ("/api/v1/events?body=caj-fmm&offset=99999999999999999999", {}, 422),
])
def test_what_the_fast_path_cannot_answer_exactly_goes_down_the_stack(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, url: str,
        headers: dict[str, str], refused_by: int | None) -> None:
    assert client.get("/api/v1/events?body=caj-fmm").status_code == 200  # the cached entry
    reached = refuse_the_stack(monkeypatch)
    if refused_by is None:
        with pytest.raises(AssertionError, match="went down the stack"):
            client.get(url, headers=headers)
        assert reached == [url.partition("?")[0]]
    else:  # refused by a layer before the cache, as without the fast path
        assert client.get(url, headers=headers).status_code == refused_by
        assert reached == []


def test_a_write_empties_what_the_fast_path_serves(client: TestClient) -> None:
    first = client.get("/api/v1/events?body=caj-fmm")
    client.app.state.response_store.clear()  # type: ignore[attr-defined]  # what a write does
    assert len(client.app.state.response_store.entries) == 0  # type: ignore[attr-defined]
    again = client.get("/api/v1/events?body=caj-fmm")
    assert again.content == first.content
