"""The JSON API under /api/v1, on SQLite and on PostgreSQL, checked against the database itself.

Expectations are computed here from the loaded tables with plain SQL and Python filtering, not by
calling the read layer and not as fixed counts, so they keep holding as the record grows.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd import store
from cajd.dataset import pipeline
from cajd.web.app import create_app
from tests.conftest import BACKENDS, new_database

# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def api_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One loaded database per backend for the read-only tests of this module (loading is the
    slow part); tests that change the store use the per-test ``loaded_engine`` instead."""
    urls = new_database(request.param, request, tmp_path_factory.mktemp("api"))
    url = next(urls)
    engine = store.make_engine(url)
    pipeline.load(engine)
    yield engine
    engine.dispose()
    next(urls, None)  # drops the PostgreSQL database


@pytest.fixture(scope="module")
def client(api_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(api_engine)) as test_client:
        yield test_client


def rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.text(sql), params)]


def caj_events(engine: Engine) -> list[dict[str, Any]]:
    """Every event of the Dialogue itself (the API's default dialogue), with its delegations."""
    events = rows(
        engine,
        "SELECT e.id, e.body_id, e.number, e.start_date, e.host_id, e.format, e.status "
        "FROM event e JOIN body b ON b.id = e.body_id WHERE b.dialogue_id = 'caj'",
    )
    delegations = rows(engine, "SELECT event_id, party_id, rank FROM delegation")
    for e in events:
        start = e["start_date"]
        e["start_date"] = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
        e["delegations"] = [d for d in delegations if d["event_id"] == e["id"]]
    return events


def start_order(events: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in sorted(events, key=lambda e: (e["start_date"], e["id"]))]


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is True and set(body) == {"ok", "data", "meta"}
    return body


def all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    body = ok(client.get("/api/v1/events", params={"limit": 500, **params}))
    assert body["meta"]["total"] == len(body["data"])
    data: list[dict[str, Any]] = body["data"]
    return data


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


# --- the envelope ------------------------------------------------------------------------------


def list_paths(client: TestClient) -> list[str]:
    """Every collection the API documents (its paths without an id in them)."""
    spec = client.get("/api/openapi.json").json()
    # the analyses (/api/v1/analysis/…) answer with one object each: tested in test_analysis_web;
    # so does the search (hits grouped by kind): tested in test_sitesearch; and the compliance
    # dashboard (one object) with its two CSV tables: tested in test_compliance
    return sorted(p for p in spec["paths"] if p.startswith("/api/v1/") and "{" not in p
                  and not p.startswith(("/api/v1/analysis/", "/api/v1/compliance"))
                  and p != "/api/v1/search")


# Lists of what only the app makes: empty on the bundled record (tests/test_rounds_pages.py
# fills and reads them).
MADE_IN_THE_APP = {"/api/v1/rounds"}


def test_every_list_endpoint_returns_the_envelope(client: TestClient) -> None:
    paths = list_paths(client)
    assert "/api/v1/events" in paths and "/api/v1/sources" in paths and len(paths) >= 9
    for path in paths:
        body = ok(client.get(path))
        assert isinstance(body["data"], list), path
        assert body["data"] or path in MADE_IN_THE_APP, path
        assert body["meta"]["total"] >= len(body["data"]), path


def test_every_list_is_paginated_with_a_true_total_and_relative_next(client: TestClient) -> None:
    for path in list_paths(client):
        whole = ok(client.get(path, params={"limit": 500}))
        assert whole["meta"]["total"] == len(whole["data"]), path
        walked: list[Any] = []
        url: str | None = f"{path}?limit=3"
        while url:
            body = ok(client.get(url))
            assert body["meta"]["total"] == whole["meta"]["total"], url
            assert body["meta"]["offset"] == len(walked) and body["meta"]["limit"] == 3, url
            walked += body["data"]
            url = body["meta"]["next"]
            assert url is None or url.startswith(f"{path}?"), url  # relative: same host
        assert walked == whole["data"], path


def test_every_listed_record_has_its_own_endpoint(client: TestClient, api_engine: Engine) -> None:
    for kind, table in [("parties", "party"), ("people", "person"), ("documents", "document"),
                        ("commitments", "commitment"), ("sources", "source"),
                        ("bodies", "body")]:
        listed = ids(ok(client.get(f"/api/v1/{kind}", params={"limit": 500}))["data"])
        if kind == "bodies":  # the default dialogue only
            expected = rows(api_engine, "SELECT id FROM body WHERE dialogue_id = 'caj'")
        else:
            expected = rows(api_engine, f"SELECT id FROM {table}")
        assert sorted(listed) == sorted(r["id"] for r in expected), kind
        for record_id in listed[:25]:
            body = ok(client.get(f"/api/v1/{kind}/{record_id}"))
            assert body["data"]["id"] == record_id


# --- events: filters, sort, pagination ---------------------------------------------------------


def test_events_default_to_the_dialogue_in_start_order(
    client: TestClient, api_engine: Engine
) -> None:
    expected = start_order(caj_events(api_engine))
    assert ids(all_events(client)) == expected
    other = rows(api_engine, "SELECT e.id FROM event e JOIN body b ON b.id = e.body_id "
                             "WHERE b.dialogue_id <> 'caj'")
    assert other, "the record holds other dialogues' meetings too (for comparison)"
    assert not set(expected) & {r["id"] for r in other}


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"body": "caj-fmm"}, lambda e: e["body_id"] == "caj-fmm"),
        ({"body": "caj-som"}, lambda e: e["body_id"] == "caj-som"),
        ({"party": "TM"}, lambda e: any(d["party_id"] == "TM" for d in e["delegations"])),
        ({"party": "JP"}, lambda e: any(d["party_id"] == "JP" for d in e["delegations"])),
        ({"year_from": 2014}, lambda e: e["start_date"].year >= 2014),
        ({"year_to": 2010}, lambda e: e["start_date"].year <= 2010),
        ({"year_from": 2012, "year_to": 2018},
         lambda e: 2012 <= e["start_date"].year <= 2018),
        ({"host": "KG"}, lambda e: e["host_id"] == "KG"),
        ({"host": "JP", "body": "caj-fmm"},
         lambda e: e["host_id"] == "JP" and e["body_id"] == "caj-fmm"),
        ({"rank": "minister"}, lambda e: any(d["rank"] == "minister" for d in e["delegations"])),
        ({"rank": "head_of_state"},
         lambda e: any(d["rank"] == "head_of_state" for d in e["delegations"])),
        ({"party": "KZ", "rank": "deputy_minister"},
         lambda e: any(d["party_id"] == "KZ" and d["rank"] == "deputy_minister"
                       for d in e["delegations"])),
        ({"format": "video"}, lambda e: e["format"] == "video"),
        ({"format": "in_person"}, lambda e: e["format"] == "in_person"),
        ({"status": "held"}, lambda e: e["status"] == "held"),
        ({"status": "cancelled"}, lambda e: e["status"] == "cancelled"),
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) if isinstance(p, dict) else "",
)
def test_event_filters_give_the_events_the_record_holds(
    client: TestClient, api_engine: Engine, params: dict[str, Any], keep: Any
) -> None:
    everything = caj_events(api_engine)
    expected = start_order([e for e in everything if keep(e)])
    found = all_events(client, **params)
    assert ids(found) == expected
    # the filter narrows: it neither keeps everything nor (for these) drops everything
    assert 0 < len(expected) < len(everything), params


def test_event_filters_that_match_nothing_give_an_empty_page(client: TestClient) -> None:
    body = ok(client.get("/api/v1/events", params={"year_from": 2100}))
    assert body["data"] == [] and body["meta"]["total"] == 0 and body["meta"]["next"] is None
    # a value naming nothing in the record is the client's error, not an empty list (issue 13)
    for name in ("body", "party", "host"):
        response = client.get("/api/v1/events", params={name: "no-such-id"})
        assert response.status_code == 404, response.text
        error = response.json()
        assert error["ok"] is False and error["errors"][0]["loc"] == ["query", name]
        assert "no-such-id" in error["error"]


@pytest.mark.parametrize("sort", ["start", "-start", "body", "number"])
def test_event_sort_orders(client: TestClient, api_engine: Engine, sort: str) -> None:
    events = caj_events(api_engine)
    keys: dict[str, Any] = {
        "start": lambda e: (e["start_date"], e["id"]),
        "body": lambda e: (e["body_id"], e["start_date"], e["id"]),
    }
    if sort == "-start":
        expected = start_order(events)[::-1]
    elif sort == "number":  # by number within each body; unnumbered meetings are not compared
        found = all_events(client, sort=sort)
        assert sorted(ids(found)) == sorted(e["id"] for e in events)
        bodies = [f["body"] for f in found]
        assert bodies == sorted(bodies)
        for body_id in set(bodies):
            numbers = [f["number"] for f in found if f["body"] == body_id and f["number"]]
            assert numbers == sorted(numbers), body_id
        return
    else:
        expected = [e["id"] for e in sorted(events, key=keys[sort])]
    assert ids(all_events(client, sort=sort)) == expected


def test_event_pagination_walks_the_whole_list_by_meta_next(
    client: TestClient, api_engine: Engine
) -> None:
    expected = start_order(caj_events(api_engine))
    limit = 7
    assert len(expected) > 2 * limit, "enough meetings for several pages"
    seen: list[str] = []
    url: str | None = f"/api/v1/events?limit={limit}"
    pages = 0
    while url:
        body = ok(client.get(url))
        meta = body["meta"]
        assert meta["total"] == len(expected) and meta["limit"] == limit
        assert meta["offset"] == len(seen)
        assert len(body["data"]) == min(limit, len(expected) - len(seen))
        seen += ids(body["data"])
        url = meta["next"]
        if url:
            assert f"offset={len(seen)}" in url and f"limit={limit}" in url
        pages += 1
    assert seen == expected
    assert pages == -(-len(expected) // limit)


def test_pagination_keeps_the_filters_in_meta_next(client: TestClient, api_engine: Engine) -> None:
    expected = start_order([e for e in caj_events(api_engine) if e["host_id"] == "JP"])
    first = ok(client.get("/api/v1/events", params={"host": "JP", "limit": 2, "offset": 1}))
    assert ids(first["data"]) == expected[1:3]
    assert first["meta"]["total"] == len(expected)
    second = ok(client.get(first["meta"]["next"]))
    assert ids(second["data"]) == expected[3:5]
    past_end = ok(client.get("/api/v1/events", params={"offset": len(expected) + 1000}))
    assert past_end["data"] == [] and past_end["meta"]["next"] is None


# --- one event and what hangs off it -----------------------------------------------------------


def test_an_event_has_its_delegations_documents_commitments_and_sources(
    client: TestClient, api_engine: Engine
) -> None:
    delegations = rows(api_engine, "SELECT id, event_id, party_id, head_id, rank FROM delegation")
    documents = rows(api_engine, "SELECT id, event_id FROM document")
    commitments = rows(api_engine, "SELECT id, event_id FROM commitment")
    citations = rows(api_engine, "SELECT subject_id, source_id FROM citation "
                                 "WHERE subject_kind = 'event'")
    checked = {"delegations": 0, "documents": 0, "commitments": 0, "sources": 0}
    for event in caj_events(api_engine):
        data = ok(client.get(f"/api/v1/events/{event['id']}"))["data"]
        assert data["id"] == event["id"] and data["body"] == event["body_id"]
        mine = [d for d in delegations if d["event_id"] == event["id"]]
        assert sorted(ids(data["delegation_list"])) == sorted(d["id"] for d in mine)
        assert data["delegations"] == len(mine)
        by_id = {d["id"]: d for d in mine}
        for d in data["delegation_list"]:
            assert d["party"]["id"] == by_id[d["id"]]["party_id"]
            assert (d["head"] or {}).get("id") == by_id[d["id"]]["head_id"]
            assert d["rank"] == by_id[d["id"]]["rank"]
        assert sorted(ids(data["documents"])) == sorted(
            d["id"] for d in documents if d["event_id"] == event["id"])
        assert sorted(ids(data["commitments"])) == sorted(
            c["id"] for c in commitments if c["event_id"] == event["id"])
        assert sorted(c["source"] for c in data["sources"]) == sorted(
            c["source_id"] for c in citations if c["subject_id"] == event["id"])
        for key, items in [("delegations", data["delegation_list"]),
                           ("documents", data["documents"]),
                           ("commitments", data["commitments"]), ("sources", data["sources"])]:
            checked[key] += bool(items)
    # the loop above compared real lists, not only empty ones
    assert all(checked.values()), checked


def test_a_delegation_cites_its_sources(client: TestClient, api_engine: Engine) -> None:
    cited = rows(api_engine, "SELECT d.event_id, c.subject_id, c.source_id FROM citation c "
                             "JOIN delegation d ON d.id = c.subject_id "
                             "WHERE c.subject_kind = 'delegation'")
    event_id = cited[0]["event_id"]
    data = ok(client.get(f"/api/v1/events/{event_id}"))["data"]
    for delegation in data["delegation_list"]:
        assert sorted(c["source"] for c in delegation["sources"]) == sorted(
            r["source_id"] for r in cited if r["subject_id"] == delegation["id"])


# --- errors ------------------------------------------------------------------------------------


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "error", "errors", "status"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)
    return body


@pytest.mark.parametrize("path", [
    "/api/v1/events/no-such-event", "/api/v1/parties/XX", "/api/v1/people/nobody",
    "/api/v1/documents/none", "/api/v1/commitments/none", "/api/v1/sources/none",
    "/api/v1/bodies/none", "/api/v1/no-such-endpoint",
])
def test_unknown_ids_and_paths_are_404_in_the_error_shape(client: TestClient, path: str) -> None:
    body = error(client.get(path), 404)
    assert body["errors"] == []


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset"),
    ({"year_from": "soon"}, "year_from"), ({"year_to": 1800}, "year_to"),
    ({"rank": "emperor"}, "rank"), ({"format": "telepathy"}, "format"),
    ({"status": "imagined"}, "status"), ({"sort": "random"}, "sort"),
])
def test_invalid_parameters_are_422_in_the_error_shape(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    body = error(client.get("/api/v1/events", params=params), 422)
    assert body["errors"], "says which parameter"
    assert all(set(e) == {"loc", "msg"} and e["msg"] for e in body["errors"])
    assert any(field in e["loc"] for e in body["errors"])


def test_an_overlong_search_is_422(client: TestClient) -> None:
    body = error(client.get("/api/v1/documents", params={"q": "x" * 201}), 422)
    assert any("q" in e["loc"] for e in body["errors"])


# --- document search ---------------------------------------------------------------------------

SEARCHED = ("title_en", "title_ja", "title_ru", "description", "text")


def containing(engine: Engine, term: str) -> set[str]:
    """Documents with ``term`` anywhere in a searched column, ignoring case (computed here)."""
    documents = rows(engine, f"SELECT id, {', '.join(SEARCHED)} FROM document")
    return {
        d["id"] for d in documents
        if any(term.lower() in (d[c] or "").lower() for c in SEARCHED)
    }


def search(client: TestClient, term: str) -> list[str]:
    body = ok(client.get("/api/v1/documents", params={"q": term}))
    assert body["meta"]["total"] == len(body["data"])
    return ids(body["data"])


def test_search_finds_a_document_by_an_english_word_of_its_title(
    client: TestClient, api_engine: Engine
) -> None:
    documents = rows(api_engine, "SELECT id, title_en FROM document ORDER BY id")
    total = len(documents)
    tried = 0
    for doc in documents:
        words = re.findall(r"[A-Za-z]{5,}", doc["title_en"])
        # a word that picks out some documents but not all, so the search has to discriminate
        for word in words:
            expected = containing(api_engine, word)
            if len(expected) == total:
                continue
            found = search(client, word)
            assert doc["id"] in found, (word, found)
            assert set(found) == expected, word
            assert set(search(client, word.upper())) == expected, "case does not matter"
            tried += 1
            break
    assert tried >= 3


def test_search_finds_a_document_by_a_japanese_substring_of_its_title(
    client: TestClient, api_engine: Engine
) -> None:
    titles = rows(api_engine, "SELECT id, title_ja FROM document WHERE title_ja IS NOT NULL")
    runs = sorted(
        ((run, t["id"]) for t in titles for run in re.findall(r"[\u4e00-\u9fff]{4,}",
                                                               t["title_ja"])),
        key=lambda x: (-len(x[0]), x[1]),
    )
    assert runs, "the record holds Japanese titles"
    for run, doc_id in runs[:3]:
        inner = run[1:-1] if len(run) >= 5 else run  # inside a word, not at its start
        found = search(client, inner)
        assert doc_id in found, (inner, found)
        assert set(found) == containing(api_engine, inner), inner
    # a two-character Japanese word, shorter than a trigram, is found as a substring too
    short = runs[0][0][:2]
    assert runs[0][1] in search(client, short)


def test_search_needs_every_term_and_can_find_nothing(
    client: TestClient, api_engine: Engine
) -> None:
    assert search(client, "zzqqxxnotaword") == []
    both = containing(api_engine, "joint") & containing(api_engine, "statement")
    assert both and set(search(client, "joint statement")) == both
    assert search(client, "joint zzqqxxnotaword") == []
    assert sorted(search(client, "")) == sorted(r["id"] for r in rows(api_engine,
                                                                    "SELECT id FROM document"))


# --- caching and CORS --------------------------------------------------------------------------


def test_a_repeated_request_with_if_none_match_gets_304(client: TestClient) -> None:
    first = client.get("/api/v1/events?body=caj-fmm")
    etag = first.headers["etag"]
    assert first.status_code == 200 and re.fullmatch(r'"[0-9a-f]{24}"', etag)
    assert first.headers["cache-control"] == "no-cache"
    again = client.get("/api/v1/events?body=caj-fmm", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    weak = client.get("/api/v1/events?body=caj-fmm", headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    other = client.get("/api/v1/events?body=caj-fmm", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.json() == first.json()
    different = client.get("/api/v1/events?body=caj-som")
    assert different.headers["etag"] != etag


def test_errors_are_not_given_an_etag(client: TestClient) -> None:
    response = client.get("/api/v1/events/no-such-event")
    assert response.status_code == 404 and "etag" not in response.headers


def test_cors_allows_any_origin_to_read(client: TestClient) -> None:
    response = client.get("/api/v1/parties", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "etag" in response.headers["access-control-expose-headers"].lower()
    preflight = client.options("/api/v1/parties", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_a_new_load_run_invalidates_the_cache(loaded_engine: Engine) -> None:
    with TestClient(create_app(loaded_engine)) as client:
        before = client.get("/api/v1/events/caj-fmm-1")
        etag = before.headers["etag"]
        city = before.json()["data"]["city"]
        with loaded_engine.begin() as connection:
            connection.execute(sa.text("UPDATE event SET city = 'Nowhere' WHERE id = 'caj-fmm-1'"))
        time.sleep(1.1)  # past the cache's version check interval
        cached = client.get("/api/v1/events/caj-fmm-1", headers={"If-None-Match": etag})
        assert cached.status_code == 304, "without a load run the record is taken as unchanged"
        assert client.get("/api/v1/events/caj-fmm-1").json()["data"]["city"] == city
        with loaded_engine.begin() as connection:
            now = dt.datetime.now(dt.UTC)
            connection.execute(
                sa.text("INSERT INTO load_run (started_at, finished_at, dataset, digest, report) "
                        "VALUES (:now, :now, 'test', 'x', '{}')"),
                {"now": now},
            )
        time.sleep(1.1)
        fresh = client.get("/api/v1/events/caj-fmm-1", headers={"If-None-Match": etag})
        assert fresh.status_code == 200
        assert fresh.json()["data"]["city"] == "Nowhere"
        assert fresh.headers["etag"] != etag


def test_loading_changed_data_through_the_pipeline_shows_at_once(
    loaded_engine: Engine, tmp_path: Path
) -> None:
    import shutil

    dataset = tmp_path / "data"
    shutil.copytree(pipeline.bundled_dataset(), dataset)
    event_file = dataset / "events" / "caj-fmm" / "01.yaml"
    assert event_file.is_file(), sorted(p.name for p in (dataset / "events").iterdir())[:5]
    with TestClient(create_app(loaded_engine)) as client:
        before = client.get("/api/v1/events/caj-fmm-1")
        text = event_file.read_text(encoding="utf-8")
        city = before.json()["data"]["city"]
        assert city and f"city: {city}" in text
        event_file.write_text(text.replace(f"city: {city}", "city: Nowhere"), encoding="utf-8")
        pipeline.load(loaded_engine, dataset)
        time.sleep(1.1)
        after = client.get("/api/v1/events/caj-fmm-1",
                           headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200, "a load run that changed a row is a new version"
        assert after.json()["data"]["city"] == "Nowhere"
        assert after.headers["etag"] != before.headers["etag"]
