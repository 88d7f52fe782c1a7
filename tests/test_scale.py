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
    assert figures["meetings held"] == count(
        big, CAJ_EVENTS + " AND e.status = 'held' AND e.start_date <= :today", today=today)
    assert figures["meetings held"] > OLD_CAP
    assert figures["sources cited"] == count(big, "SELECT count(*) FROM source")
    assert figures["outcome documents"] == count(big, "SELECT count(*) FROM document")
    assert figures["commitments tracked"] == count(big, "SELECT count(*) FROM commitment")
    assert figures["active bodies"] == count(
        big, "SELECT count(*) FROM body WHERE dialogue_id = 'caj' AND status = 'active'")


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
        seen += re.findall(r'<td><time datetime="[^"]*"[^>]*><span class="date">[^<]*</span>'
                           r'</time></td>\s*<td><a href="/en/meetings/([^"]+)"', html)
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


def _spec(client: TestClient, name: str, query: str = "") -> dict[str, Any]:
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import load_schema

    response = client.get(f"/en/figures/{name}.vl.json{query}")
    assert response.status_code == 200, name
    spec: dict[str, Any] = response.json()
    validate_jsonschema(spec, load_schema())  # the app builds specs without altair's check
    return spec


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every data row of a spec (altair moves inline data to the top-level ``datasets``)."""
    inline = [v for layer in [spec, *spec.get("layer", [])]
              for v in layer.get("data", {}).get("values", [])]
    return inline + [v for rows in spec.get("datasets", {}).values() for v in rows]


def test_the_figures_at_scale_are_bounded_and_say_so(client: TestClient, big: Engine) -> None:
    from cajd.web import figures

    total = count(big, CAJ_EVENTS + " AND e.deleted_at IS NULL")
    assert total > figures.TIMELINE_POINTS
    years = _values(_spec(client, "timeline"))  # a bar a year, which adds up to every meeting
    assert sum(r["meetings"] for r in years) == total and len(years) < 100
    timeline = client.get("/en/timeline").text
    assert f"{total} meetings, too many to draw one by one" in timeline

    ranked = count(big, "SELECT count(DISTINCT d.event_id) FROM delegation d JOIN event e ON "
                        "e.id = d.event_id JOIN body b ON b.id = e.body_id WHERE b.dialogue_id "
                        "= 'caj' AND d.deleted_at IS NULL AND e.deleted_at IS NULL")
    assert ranked > figures.RANK_MEETINGS
    cells = _values(_spec(client, "ranks"))
    assert len({c["url"] for c in cells}) == figures.RANK_MEETINGS
    newest = {f"/en/meetings/{i}" for i in big.connect().execute(sa.text(
        "SELECT e.id FROM event e JOIN body b ON b.id = e.body_id WHERE b.dialogue_id = 'caj' "
        "AND e.deleted_at IS NULL AND EXISTS (SELECT 1 FROM delegation d WHERE d.event_id = e.id"
        " AND d.deleted_at IS NULL) ORDER BY e.start_date DESC, e.id DESC LIMIT :n"),
        {"n": figures.RANK_MEETINGS}).scalars()}
    assert {c["url"] for c in cells} == newest  # the latest meetings, chosen in SQL
    parties = client.get("/en/parties")
    assert parties.status_code == 200  # vl-convert overflowed its stack on every meeting: 500
    assert f"at the latest {figures.RANK_MEETINGS} of {ranked} meetings" in parties.text

    bodies = count(big, "SELECT count(*) FROM body WHERE dialogue_id = 'caj'")
    nodes = [n for n in _values(_spec(client, "structure")) if "level" in n]
    per_level: dict[int, int] = {}
    for n in nodes:
        per_level[n["level"]] = per_level.get(n["level"], 0) + 1
    assert max(per_level.values()) <= figures.STRUCTURE_PER_LEVEL
    if len(nodes) < bodies:
        assert f"{len(nodes)} of the Dialogue&#39;s {bodies} bodies" in client.get(
            "/en/structure").text
    for name in ("commitments",):
        _spec(client, name)


def test_the_structure_and_sources_pages_are_paged_with_true_totals(
    client: TestClient, big: Engine
) -> None:
    bodies = count(big, "SELECT count(*) FROM body WHERE dialogue_id = 'caj'")
    assert bodies > 100  # more than one page
    seen: list[str] = []
    url: str | None = "/en/structure"
    while url:
        html = client.get(url).text
        assert f"of {bodies:,}</p>" in html
        seen += re.findall(r'<tr id="([^"]+)">', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/en/structure" + following[1].replace("&amp;", "&") if following else None
    assert len(seen) == bodies and len(set(seen)) == bodies
    # The conflicts are no longer listed under the sources (1.6 MB at 100x): they have their
    # own page, /disagreements (issue 13).
    assert '<div class="conflict"' not in client.get("/en/sources").text


def test_a_party_page_pages_every_meeting_it_attended(client: TestClient, big: Engine) -> None:
    attended = count(big, "SELECT count(*) FROM event e WHERE e.deleted_at IS NULL AND EXISTS "
                          "(SELECT 1 FROM delegation d WHERE d.event_id = e.id AND d.party_id "
                          "= 'JP' AND d.deleted_at IS NULL)")
    assert attended > 100  # more than one page
    seen: list[str] = []
    url: str | None = "/en/parties/JP"
    while url:
        html = client.get(url).text
        assert f"of {attended:,}</p>" in html
        seen += re.findall(r'<tr><td><span class="date">[^<]*</span></td><td><a '
                           r'href="/en/meetings/([^"]+)"', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/en/parties/JP" + following[1].replace("&amp;", "&") if following else None
    assert len(seen) == attended and len(set(seen)) == attended
