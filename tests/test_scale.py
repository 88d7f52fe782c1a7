"""At ten times the bundled record (bench/synth.py: more meetings than any old cap of 500), every
list comes whole and counted, the home, timeline and meetings figures are exact, and each view
runs as many statements as on the bundled record; on SQLite and PostgreSQL.

Expectations are plain SQL over the loaded tables, not the read layer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from bench.synth import write_synthetic
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd import store
from cajd.dataset import pipeline
from cajd.web.app import create_app
from tests.conftest import BACKENDS, new_database
from tests.test_read_snapshot import Statements, bound

SCALE = 10
OLD_CAP = 500


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic") / "data"
    write_synthetic(folder, scale=SCALE)
    return folder


@pytest.fixture(scope="module", params=BACKENDS)
def big(request: pytest.FixtureRequest, synthetic: Path,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    urls = new_database(request.param, request, tmp_path_factory.mktemp("scale"))
    engine = store.make_engine(next(urls))
    pipeline.load(engine, synthetic)
    yield engine
    engine.dispose()
    next(urls, None)


@pytest.fixture(scope="module")
def client(big: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(big)) as test_client:
        yield test_client


def count(engine: Engine, sql: str, **params: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(sql), params).scalar_one())


CAJ_EVENTS = (
    "SELECT count(*) FROM event e JOIN body b ON b.id = e.body_id WHERE b.dialogue_id = 'caj'"
)


def walk(client: TestClient, url: str) -> tuple[list[Any], int]:
    """Every item of a list by its ``next`` links, and the total it states."""
    items: list[Any] = []
    total = -1
    following: str | None = url
    while following:
        body = client.get(following).json()
        assert body["ok"], body
        total = body["meta"]["total"]
        items += body["data"]
        following = body["meta"]["next"]
    return items, total


def test_the_record_is_above_every_old_cap(big: Engine) -> None:
    assert count(big, CAJ_EVENTS) > OLD_CAP
    assert count(big, "SELECT count(*) FROM person") > 100  # above a page of the API's lists


@pytest.mark.parametrize(("path", "table"), [
    ("/api/v1/events?dialogue=", "event"), ("/api/v1/people", "person"),
    ("/api/v1/sources", "source"), ("/api/v1/bodies?dialogue=", "body"),
    ("/api/v1/documents", "document"), ("/api/v1/commitments", "commitment"),
    ("/api/v1/conflicts", "conflict"), ("/api/v1/parties", "party"),
])
def test_every_list_comes_whole_with_its_true_total(
    client: TestClient, big: Engine, path: str, table: str
) -> None:
    expected = count(big, f"SELECT count(*) FROM {table}")
    sep = "&" if "?" in path else "?"
    items, total = walk(client, f"{path}{sep}limit=500")
    assert total == expected and len(items) == expected, path
    if table != "conflict":
        assert len({i["id"] for i in items}) == expected, path  # no row twice, none left out


def test_the_event_list_total_matches_sql(client: TestClient, big: Engine) -> None:
    body = client.get("/api/v1/events").json()
    assert body["meta"]["total"] == count(big, CAJ_EVENTS)
    assert body["meta"]["next"] == "/api/v1/events?offset=50"


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def test_home_figures_are_exact(client: TestClient, big: Engine) -> None:
    html = client.get("/en/").text
    figures = dict((label, _number(n)) for n, label in re.findall(
        r'<span class="n">([^<]+)</span> ([a-z ]+)</a>', html))
    today = dt.date.today()
    assert figures["meetings recorded"] == count(
        big, CAJ_EVENTS + " AND e.status = 'held' AND e.start_date <= :today", today=today)
    assert figures["meetings recorded"] > OLD_CAP
    assert figures["sources cited"] == count(big, "SELECT count(*) FROM source")
    assert figures["outcome documents"] == count(big, "SELECT count(*) FROM document")
    assert figures["commitments tracked"] == count(big, "SELECT count(*) FROM commitment")


def test_timeline_and_meetings_pages_count_and_page_every_meeting(
    client: TestClient, big: Engine
) -> None:
    total = count(big, CAJ_EVENTS)
    meetings = client.get("/en/meetings").text
    assert re.search(rf'<p class="count" role="status">{total:,} meetings</p>', meetings)
    timeline = client.get("/en/timeline").text
    assert f"1–100 of {total:,}" in timeline
    seen: list[str] = []
    url: str | None = "/en/meetings"
    while url:
        html = client.get(url).text
        seen += re.findall(r'<td><time datetime="[^"]*">[^<]*</time></td>\s*<td><a href="/en/'
                           r'meetings/([^"]+)"', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/en/meetings" + following[1].replace("&amp;", "&") if following else None
    assert len(seen) == total and len(set(seen)) == total


def test_statements_per_view_do_not_grow_with_the_record(client: TestClient, big: Engine) -> None:
    counter = Statements(big)
    client.get("/api/v1/bodies")
    some = {kind: client.get(f"/api/v1/{kind}?limit=3").json()["data"][-1]["id"]
            for kind in ("events", "people", "documents", "commitments", "sources", "parties")}
    paths = [f"/api/v1/{kind}/{i}" for kind, i in some.items()] + [
        "/api/v1/events?limit=500", "/api/v1/people?limit=500", "/api/v1/sources?limit=500",
        "/api/v1/commitments", "/api/v1/documents", "/api/v1/parties", "/api/v1/conflicts",
        "/api/v1/bodies?dialogue=&limit=500", "/api/v1/participations"]
    for path in paths:
        counter.seen.clear()
        assert client.get(path).status_code == 200, path
        assert len(counter.seen) <= bound(path), (path, counter.seen)
