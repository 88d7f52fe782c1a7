"""The site search (issue 13, point 6) and page-wide citation numbers (point 1), on SQLite and
PostgreSQL, checked against the tables themselves."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd.web.app import create_app
from tests.webfixture import web_engine

__all__ = ["web_engine"]


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(web_engine)) as test_client:
        yield test_client


def _one(engine: Engine, sql: str) -> sa.Row:  # type: ignore[type-arg]
    with engine.connect() as connection:
        return connection.execute(sa.text(sql)).first()  # type: ignore[return-value]


def _meeting_ids(client: TestClient, query: str) -> list[str]:
    response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200, response.text
    kinds = {k["kind"]: k for k in response.json()["data"]["kinds"]}
    assert set(kinds) == {"meeting", "body", "party", "person", "document", "source"}
    return [h["id"] for h in kinds["meeting"]["hits"]]


def test_a_meeting_is_found_by_its_russian_name_in_any_case(
        client: TestClient, web_engine: Engine) -> None:
    row = _one(web_engine, "SELECT id, name_ru FROM event WHERE name_ru IS NOT NULL "
                           "AND deleted_at IS NULL ORDER BY id")
    word = max(re.findall(r"[А-Яа-яЁё]{5,}", row.name_ru), key=len)
    for variant in (word, word.upper(), word.lower()):
        assert row.id in _meeting_ids(client, variant), variant


def test_a_meeting_is_found_by_its_japanese_name(client: TestClient, web_engine: Engine) -> None:
    row = _one(web_engine, "SELECT id, name_ja FROM event WHERE name_ja IS NOT NULL "
                           "AND deleted_at IS NULL ORDER BY id")
    assert row.id in _meeting_ids(client, row.name_ja[-6:])


def test_every_word_must_match_and_nonsense_finds_nothing(client: TestClient) -> None:
    assert _meeting_ids(client, "Tokyo zzqqxx") == []
    body = client.get("/api/v1/search", params={"q": "zzqqxx"}).json()
    assert body["meta"]["total"] == 0
    assert client.get("/api/v1/search", params={"q": "x" * 201}).status_code == 422


def test_search_page_in_three_languages(client: TestClient) -> None:
    for lang in ("en", "ja", "ru"):
        html = client.get(f"/{lang}/search", params={"q": "Tokyo"}).text
        assert 'id="hits-meeting"' in html
        assert 'href="/api/v1/search?q=Tokyo"' in html  # its JSON twin


def test_citation_numbers_match_the_page_sources_list(client: TestClient,
                                                      web_engine: Engine) -> None:
    with web_engine.connect() as connection:
        ids = list(connection.execute(sa.text(
            "SELECT id FROM event WHERE deleted_at IS NULL ORDER BY id")).scalars())
    cited = 0
    for event_id in ids:
        html = client.get(f"/en/meetings/{event_id}").text
        listed = dict(re.findall(r'<li id="source-(\d+)" value="\1" data-source="([^"]+)"', html))
        assert sorted(map(int, listed)) == list(range(1, len(listed) + 1)), event_id
        for source, number in re.findall(r'data-source="([^"]+)" data-n="(\d+)"', html):
            assert listed[number] == source, (event_id, number)
            cited += 1
    assert cited > 100
