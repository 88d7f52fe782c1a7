"""The portal as its readers meet it (issue 13, points 4, 5, 7, 8 and 9), on SQLite and
PostgreSQL, each expectation computed from the tables themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd.fuzzydate import FuzzyDate
from cajd.web.app import create_app
from cajd.web.i18n import format_amount, format_fuzzy, negotiate, translations
from tests.webfixture import web_engine

__all__ = ["web_engine"]


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(web_engine)) as test_client:
        yield test_client


def sql(engine: Engine, query: str, **params: Any) -> list[sa.Row[Any]]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(query), params))


def table(client: TestClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def _(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


# --- 4. partial dates ------------------------------------------------------------------------

PARTIAL = ("SELECT e.id, e.start_date, e.start_precision FROM event e JOIN body b ON "
           "b.id = e.body_id WHERE b.dialogue_id = 'caj' AND e.deleted_at IS NULL AND "
           "e.start_precision <> 'day'")


def test_partial_dates_stay_partial_in_the_api_the_csv_and_the_figure(
        client: TestClient, web_engine: Engine) -> None:
    partial = {r.id: FuzzyDate.from_columns(dt.date.fromisoformat(str(r.start_date)[:10]),
                                            r.start_precision)
               for r in sql(web_engine, PARTIAL)}
    assert partial, "the record holds meetings known only to a month or a year"
    events = {e["id"]: e for e in client.get("/api/v1/events?limit=500").json()["data"]}
    rows = {r["id"]: r for r in table(client, "/en/figures/timeline.csv")}
    for event_id, fuzzy in partial.items():
        assert fuzzy is not None
        assert events[event_id]["start"] == str(fuzzy)  # "2004-12", not "2004-12-01"
        assert events[event_id]["start_precision"] == fuzzy.precision.value
        row = rows[event_id]
        assert (row["date"], row["precision"]) == (str(fuzzy), fuzzy.precision.value)
        assert (row["from"], row["to"]) == (fuzzy.date.isoformat(), fuzzy.latest.isoformat())
        assert row["from"] != row["to"], "a span, not a day"
    spec = client.get("/en/figures/timeline.vl.json").json()
    marks = {layer["name"]: layer for layer in spec["layer"]}
    assert marks["days"]["transform"] == [{"filter": "datum.precision == 'day'"}]
    assert marks["spans"]["encoding"]["x2"]["field"] == "to"
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["EventSummary"]
    assert schema["properties"]["start_precision"]["enum"] == ["year", "month", "day"]
    assert "pattern" in schema["properties"]["start"]


def test_a_partial_date_is_shown_as_partial_in_lists(client: TestClient,
                                                     web_engine: Engine) -> None:
    row = sql(web_engine, PARTIAL + " AND e.start_precision = 'month' ORDER BY e.id")[0]
    month = str(row.start_date)[:7]
    html = client.get("/ru/meetings").text
    cell = re.search(rf'<time datetime="{month}" class="partial"[^>]*>(.*?)</time>'
                     rf'</td>\s*<td><a href="/ru/meetings/{re.escape(row.id)}"', html, re.S)
    assert cell, row.id
    assert not re.search(r"\b1 ", cell.group(1))  # "декабрь 2004 г.", no invented first day


# --- 5. not recorded is not zero -------------------------------------------------------------


def test_a_held_meeting_without_delegations_says_not_recorded(
        client: TestClient, web_engine: Engine) -> None:
    empty = sql(web_engine, "SELECT e.id, e.body_id FROM event e JOIN body b ON b.id = e.body_id"
                " WHERE b.dialogue_id = 'caj' AND e.status = 'held' AND e.deleted_at IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM delegation d WHERE d.event_id = e.id)")
    assert empty
    for lang in ("en", "ja", "ru"):
        html = client.get(f"/{lang}/meetings").text
        for event_id, body in empty:
            row = html[html.index(f'href="/{lang}/meetings/{event_id}"'):]
            row = row[:row.index("</tr>")]
            assert f'href="/{lang}/coverage#{body}">{_(lang, "not recorded")}</a>' in row
            assert '<td class="num">0</td>' not in row
        coverage = client.get(f"/{lang}/coverage").text
        for event_id, _body in empty:
            assert f'href="/{lang}/meetings/{event_id}"' in coverage


def test_home_says_which_meetings_it_counts(client: TestClient) -> None:
    html = client.get("/en/").text
    assert "meetings held" in html and 'href="/en/coverage"' in html


# --- 7. tables to take away ------------------------------------------------------------------


@pytest.mark.parametrize("page,api,key", [
    ("meetings.csv?body=caj-som", "/api/v1/events?body=caj-som&limit=500", "id"),
    ("meetings.csv?year=2012", "/api/v1/events?year_from=2012&year_to=2012&limit=500", "id"),
    ("people.csv", "/api/v1/people?limit=500", "id"),
    ("documents.csv?q=Tokyo", "/api/v1/documents?q=Tokyo&limit=500", "id"),
    ("commitments.csv", "/api/v1/commitments?limit=500", "id"),
    ("sources.csv?official=true", "/api/v1/sources?official=true&limit=500", "id"),
])
def test_every_list_as_csv_has_the_rows_of_its_json_twin(client: TestClient, page: str,
                                                         api: str, key: str) -> None:
    rows = table(client, f"/ja/{page}")
    data = client.get(api).json()["data"]
    assert rows and sorted(r[key] for r in rows) == sorted(d[key] for d in data)


def test_delegations_csv_holds_raw_ranks(client: TestClient, web_engine: Engine) -> None:
    rows = table(client, "/en/delegations.csv?party=TM")
    expected = sql(web_engine, "SELECT count(*) FROM delegation d JOIN event e ON e.id = "
                   "d.event_id JOIN body b ON b.id = e.body_id WHERE d.party_id = 'TM' AND "
                   "b.dialogue_id = 'caj' AND d.deleted_at IS NULL AND e.deleted_at IS NULL")
    assert len(rows) == expected[0][0]
    assert {r["rank"] for r in rows} <= {"", "head_of_state", "head_of_government", "minister",
                                         "deputy_minister", "ambassador", "director",
                                         "embassy_staff"}


def test_the_json_twin_links_the_filtered_page(client: TestClient) -> None:
    meta = client.get("/api/v1/events?body=caj-fmm&year_from=2012&year_to=2012").json()["meta"]
    assert meta["html"] == "/en/meetings?body=caj-fmm&year=2012"
    meta = client.get("/api/v1/sources?official=true&language=ja").json()["meta"]
    assert meta["html"] == "/en/sources?official=true&language=ja"
    html = client.get("/en/meetings?body=caj-fmm").text
    assert 'href="/en/meetings.csv?body=caj-fmm"' in html


# --- 8. readable provenance ------------------------------------------------------------------


def test_source_pages_say_facts_as_sentences(client: TestClient, web_engine: Engine) -> None:
    source = sql(web_engine, "SELECT source_id FROM citation WHERE subject_kind = 'delegation'"
                 " AND locator LIKE '%field rank%' ORDER BY source_id")
    sources = [r[0] for r in source] or [r[0] for r in sql(
        web_engine, "SELECT source_id FROM citation WHERE subject_kind = 'position'")]
    html = client.get(f"/en/sources/{sources[0]}").text
    facts = html[html.index("<tbody>"):html.index("</tbody>")]
    assert ".open<" not in facts and "<code>" not in facts  # no internal keys
    assert re.search(r"'s delegation to |, a position of ", facts)
    position = sql(web_engine, "SELECT c.source_id, p.person_id FROM citation c JOIN position p"
                   " ON p.id = c.subject_id WHERE c.subject_kind = 'position' ORDER BY c.id")[0]
    html = client.get(f"/ru/sources/{position.source_id}").text
    assert f'href="/ru/people/{position.person_id}"' in html


def test_sources_filter_and_sort(client: TestClient, web_engine: Engine) -> None:
    official = {r[0] for r in sql(web_engine, "SELECT id FROM source WHERE official")}
    listed: list[str] = []
    url: str | None = "/en/sources?official=true&sort=title"
    while url:  # the list is paged: follow "next" to the end, as a reader would
        html = client.get(url).text
        listed += re.findall(r'<th scope="row"><a href="/en/sources/([^"]+)"', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = following.group(1).replace("&amp;", "&") if following else None
        if url and url.startswith("?"):
            url = "/en/sources" + url
    assert sorted(listed) == sorted(official)
    titles = [d["title"] for d in client.get(
        "/api/v1/sources?official=true&sort=title&limit=500").json()["data"]]
    assert titles == sorted(titles) or len(titles) < 2
    ja = client.get("/api/v1/sources?language=ja&limit=500").json()["data"]
    assert ja and all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", s["title"]) for s in ja)


def test_every_disagreement_has_its_page_linked_from_the_menu(
        client: TestClient, web_engine: Engine) -> None:
    total = sql(web_engine, "SELECT count(*) FROM conflict")[0][0]
    for lang in ("en", "ja", "ru"):
        html = client.get(f"/{lang}/disagreements").text
        assert html.count('<div class="conflict"') == total
        assert f'href="/{lang}/disagreements"' in client.get(f"/{lang}/").text


# --- 9. smaller, all visible -----------------------------------------------------------------


@pytest.mark.parametrize("path,parameter", [("/api/v1/events?body=nonesuch", "body"),
                                            ("/api/v1/events?party=nonesuch", "party"),
                                            ("/api/v1/events?year_from=abc", "year_from")])
def test_unknown_filter_values_are_a_clear_4xx_in_the_api(client: TestClient, path: str,
                                                          parameter: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 422)
    body = response.json()
    assert body["ok"] is False and body["errors"][0]["loc"] == ["query", parameter]


@pytest.mark.parametrize("lang", ["en", "ja", "ru"])
def test_unknown_filter_values_get_a_friendly_page(client: TestClient, lang: str) -> None:
    for path, status in (("meetings?body=nonesuch", 404), ("meetings?year=abc", 422),
                         ("timeline?party=nonesuch", 404)):
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == status
        assert _(lang, "Nothing to show for this filter") in response.text
        assert _(lang, "Something went wrong") not in response.text


def test_accept_language_honours_q_values(client: TestClient) -> None:
    assert negotiate("en;q=0.3, ru;q=0.8, ja;q=0.5") == "ru"
    assert negotiate("ja-JP,ja;q=0.9,en;q=0.8") == "ja"
    assert negotiate("de, fr;q=0.5") == "en"
    assert negotiate("en;q=0, ja") == "ja"
    response = client.get("/", headers={"accept-language": "en;q=0.2, ja;q=0.9"},
                          follow_redirects=False)
    assert response.headers["location"] == "/ja/"


def test_parties_are_sorted_by_their_name_in_the_page_language(client: TestClient) -> None:
    parties = {p["id"]: p["name"] for p in client.get("/api/v1/parties").json()["data"]}
    for lang in ("en", "ja", "ru"):
        html = client.get(f"/{lang}/parties").text
        order = re.findall(rf'<th scope="row"><a href="/{lang}/parties/([^"]+)"', html)
        names = [(parties[i].get(lang) or parties[i]["en"]).casefold() for i in order]
        assert names == sorted(names), lang


def test_a_one_day_guest_is_a_guest_at_a_meeting(client: TestClient) -> None:
    html = client.get("/en/").text
    assert "Guest at the meeting of" in html and "Guest, since" not in html


def test_amounts_read_as_words_with_the_exact_figure_on_hover(client: TestClient) -> None:
    assert format_amount(3_000_000_000_000, "JPY", "en") == ("¥3 trillion",
                                                              "3,000,000,000,000 JPY")
    assert format_amount(3_000_000_000_000, "JPY", "ja")[0] == "3兆円"
    assert format_amount(3_000_000_000_000, "JPY", "ru")[0].replace("\xa0", " ") == \
        "3 трлн японских иен"
    assert format_amount(700_000_000, "USD", "en")[0] == "US$700 million"
    html = client.get("/ja/commitments").text
    assert re.search(r'<span class="amount" title="[\d,]+ (JPY|USD)">[^<]*[兆億万]', html)


def test_russian_months_take_the_genitive_after_a_preposition() -> None:
    assert format_fuzzy("2004-08", "ru", genitive=True) == "августа 2004 г."
    assert format_fuzzy("2004-08", "ru").startswith("август")


def test_dates_in_text_do_not_wrap_and_the_favicon_answers(client: TestClient) -> None:
    html = client.get("/ja/parties/TM").text
    assert re.search(r'<span class="date">\d{4}年\d{1,2}月\d{1,2}日</span>', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"


def test_the_read_side_sends_no_transaction_on_postgresql(tmp_path: object) -> None:
    """Read sessions run in autocommit on PostgreSQL (no BEGIN/ROLLBACK round trips around a
    request's statements); the engine the writes use keeps its transactions."""
    from sqlalchemy.orm import Session

    from cajd.read.sql import reading_engine

    sqlite = sa.create_engine(f"sqlite:///{tmp_path}/x.sqlite3")
    assert reading_engine(sqlite) is sqlite  # no transaction to spare there
    url = os.environ.get("CAJD_TEST_POSTGRES_URL",
                         "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    engine = sa.create_engine(url)
    try:
        with Session(reading_engine(engine)) as db:
            db.execute(sa.text("SELECT 1"))
            raw = db.connection().connection.dbapi_connection
            assert raw is not None and raw.autocommit is True
            assert db.execute(sa.text("SELECT now() = statement_timestamp()")).scalar() is True
        with Session(engine) as db:
            db.execute(sa.text("SELECT 1"))
            raw = db.connection().connection.dbapi_connection
            assert raw is not None and raw.autocommit is False  # the write side is unchanged
            assert db.execute(sa.text("SELECT now() = statement_timestamp()")).scalar() is False
    finally:
        engine.dispose()
