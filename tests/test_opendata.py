"""Open data that outlives the server: licences, the bulk downloads (data package, SQLite,
Popolo, calendar, feed) from the CLI and over HTTP, and what stays out of them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
import tomllib
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import frictionless
import pytest
import yaml
from datasette.app import Datasette
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cajd import __version__, licence
from cajd.cli import app
from cajd.export import atom, calendar, datapackage, sqlitedb
from cajd.export.downloads import DOWNLOADS, popolo_bytes
from cajd.read.record import stamp
from cajd.vocab import UserRole
from cajd.web.app import create_app
from cajd.workflow import Actor, soft_delete
from cajd.workflow import delegations as d
from tests.webfixture import web_engine

__all__ = ["web_engine"]

ROOT = Path(__file__).parent.parent
SEC = Actor("sec", UserRole.SECRETARIAT)
KZ = Actor("kz-focal", UserRole.FOCAL_POINT, "KZ")


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> TestClient:
    return TestClient(create_app(web_engine))


def _package(engine: Engine, directory: Path) -> Path:
    with Session(engine) as session:
        datapackage.write_directory(session, directory)
    return directory / "datapackage.json"


def _csv(directory: Path, table: str) -> list[dict[str, str]]:
    with (directory / "data" / f"{table}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- licence and citation ----------------------------------------------------------------------


def test_licences_are_stated_in_the_repository_and_the_package_metadata() -> None:
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    assert licence.DATA.url in (ROOT / "LICENSE-data").read_text()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0 AND CC-BY-4.0"
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["license"] == licence.DATA.spdx
    assert cff["references"][0]["license"] == licence.CODE.spdx


def test_the_openapi_document_and_every_page_state_the_licence(client: TestClient) -> None:
    info = client.get("/api/openapi.json").json()["info"]
    assert info["license"]["url"] == licence.DATA.url and "CC-BY-4.0" in info["license"]["name"]
    for lang in ("en", "ja", "ru"):
        html = client.get(f"/{lang}/meetings").text
        assert f'href="{licence.DATA.url}" rel="license"' in html
        assert f'href="/{lang}/about"' in html and f'href="/{lang}/downloads"' in html


def test_the_about_page_says_what_the_record_is_and_how_to_cite_it(
        client: TestClient, web_engine: Engine) -> None:
    with Session(web_engine) as session:
        at = stamp(session)
    cite = licence.citation(at.version, at.date)
    titles = {"en": "About the record", "ja": "この記録について", "ru": "О записи"}
    for lang, title in titles.items():
        page = client.get(f"/{lang}/about")
        assert page.status_code == 200
        assert f"<h1>{title}</h1>" in page.text and f'<html lang="{lang}">' in page.text
        assert cite.replace("'", "&#39;") in page.text and at.version in page.text
        # The live record's gaps in the reader's language, and the disagreements' own page;
        # each link answers (a fragment of a page that has no such id would be lost).
        for link in (f"/{lang}/coverage", f"/{lang}/disagreements"):
            assert f'href="{link}"' in page.text
            assert client.get(link).status_code == 200, link
        assert "#conflicts" not in page.text
    known_gaps = client.get("/downloads/known-gaps.md")
    assert known_gaps.status_code == 200 and known_gaps.text.startswith("#")
    # The bundled record's report: stamped with cajd's version, and licensed like the rest.
    assert f"bundled with cajd {__version__}" in known_gaps.text
    assert licence.DATA.url in known_gaps.text and licence.DATA.url in known_gaps.headers["link"]


# --- the data package ---------------------------------------------------------------------------


def test_the_data_package_is_valid_under_frictionless(web_engine: Engine, tmp_path: Path) -> None:
    descriptor = _package(web_engine, tmp_path)
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads(descriptor.read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    with Session(web_engine) as session:
        assert package["version"] == stamp(session).version
    event = next(r for r in package["resources"] if r["name"] == "event")
    fields = {f["name"]: f for f in event["schema"]["fields"]}
    assert fields["start_date"]["type"] == "date"
    assert fields["start_precision"]["constraints"]["enum"] == ["year", "month", "day"]
    assert "held" in fields["status"]["constraints"]["enum"]
    assert {"fields": "body_id", "reference": {"resource": "body", "fields": "id"}} in event[
        "schema"]["foreignKeys"]
    assert all(f.get("description") for r in package["resources"] for f in r["schema"]["fields"])


def test_frictionless_refuses_a_package_whose_reference_is_broken(
        web_engine: Engine, tmp_path: Path) -> None:
    """The validation above checks foreign keys: a delegation of a meeting that is not in the
    package makes it invalid."""
    descriptor = _package(web_engine, tmp_path)
    path = tmp_path / "data" / "delegation.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    first = next(csv.reader([text[1]]))
    first[header.index("event_id")] = "no-such-meeting"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(first)
    path.write_text("\n".join([text[0], buffer.getvalue().rstrip("\n"), *text[2:]]) + "\n",
                    encoding="utf-8")
    report = frictionless.validate(str(descriptor))
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_the_tables_hold_raw_values(web_engine: Engine, tmp_path: Path) -> None:
    _package(web_engine, tmp_path)
    pledges = {r["id"]: r for r in _csv(tmp_path, "commitment")}
    assert pledges["jp-2012-usd-700m"]["amount"] == "700000000"
    assert pledges["jp-2012-usd-700m"]["currency"] == "USD"
    events = {r["id"]: r for r in _csv(tmp_path, "event")}
    assert (events["caj-tid-1"]["start_precision"], events["caj-eed-1"]["start_precision"]) == (
        "month", "year")
    assert events["caj-fmm-1"]["start_date"] == "2004-08-28"
    assert events["caj-fmm-1"]["status"] == "held"  # the value, not its label
    assert "origin" not in events["caj-fmm-1"] and "deleted_at" not in events["caj-fmm-1"]


# --- SQLite for Datasette ----------------------------------------------------------------------


def test_the_sqlite_download_suits_datasette(web_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "cajd.sqlite3"
    with Session(web_engine) as session:
        sqlitedb.write(session, path)
        version = stamp(session).version

    async def inspect() -> dict[str, Any]:
        db = Datasette([str(path)]).get_database()
        return {"labels": {t: await db.label_column_for_table(t)
                           for t in ("party", "event", "document", "person", "body")},
                "fts": {t: await db.fts_table(t) for t in sqlitedb.SEARCHED},
                "views": await db.view_names()}

    found = asyncio.run(inspect())
    assert found["labels"] == {"party": "name", "event": "name", "document": "title",
                               "person": "name", "body": "name"}
    assert found["fts"] == {t: f"{t}_fts" for t in sqlitedb.SEARCHED}
    assert set(found["views"]) == {"meetings", "delegations"}
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT value FROM cajd_record WHERE key = 'version'"
                              ).fetchone() == (version,)
    hits = connection.execute("SELECT e.id FROM event_fts JOIN event e ON e.rowid = "
                              "event_fts.rowid WHERE event_fts MATCH 'Astana'").fetchall()
    assert ("caj-fmm-1",) in hits
    head = connection.execute("SELECT party, rank, rank_level FROM delegations WHERE id = "
                              "'caj-fmm-1.JP'").fetchone()
    assert head is not None and head[0] == "Japan" and head[2] >= 1
    body = connection.execute("SELECT body, host FROM meetings WHERE id = 'caj-fmm-1'").fetchone()
    assert body == ("Foreign Ministers' Meeting", "Kazakhstan")


# --- calendar and feed -------------------------------------------------------------------------


def test_the_calendar_keeps_partial_dates_honest(web_engine: Engine) -> None:
    with Session(web_engine) as session:
        parsed = Calendar.from_ical(calendar.calendar_bytes(session))
        fmm = Calendar.from_ical(calendar.calendar_bytes(session, "caj-fmm"))
    events = {str(e["uid"]): e for e in parsed.walk("VEVENT")}
    first = events["caj-fmm-1@cajd"]
    assert (first.decoded("dtstart").isoformat(), first.decoded("dtend").isoformat()) == (
        "2004-08-28", "2004-08-29")
    month = events["caj-tid-1@cajd"]
    start, end = month.decoded("dtstart"), month.decoded("dtend")
    assert start.day == 1 and (end.month - start.month) % 12 == 1 and end.day == 1
    assert str(month["transp"]) == "TRANSPARENT" and "month only" in str(month["description"])
    assert "caj-eed-1@cajd" not in events  # known to the year only
    assert "left out" in str(parsed["x-wr-caldesc"])
    assert {str(e["categories"].cats[0]) for e in fmm.walk("VEVENT")} == {"FMM"}


def test_the_feed_is_atom_and_names_the_load(web_engine: Engine) -> None:
    with Session(web_engine) as session:
        root = ET.fromstring(atom.feed_bytes(session, "http://example.org"))
    ns = {"a": atom.ATOM}
    assert root.tag == f"{{{atom.ATOM}}}feed"
    assert root.find("a:id", ns) is not None and root.find("a:updated", ns) is not None
    entries = root.findall("a:entry", ns)
    assert entries and "meeting(s) added" in (entries[-1].findtext("a:summary", "", ns))
    assert all(e.find("a:id", ns) is not None and e.find("a:updated", ns) is not None
               for e in entries)


def test_the_feed_names_workspace_writes_to_commitments(loaded_engine: Engine) -> None:
    from cajd.workflow import commitments as c

    with Session(loaded_engine) as session, session.begin():
        registered = c.register(session, SEC, "caj-fmm-2-action-plan", "JP", c.Terms(
            kind="capacity_building", description="Training for water engineers.",
            paragraph="§3(2)", target_quantity=100, target_unit="engineers", due="2008"))
    with Session(loaded_engine) as session, session.begin():
        recorded = c.record_implementation(session, SEC, "jp-2017-trainees-2000", c.Progress(
            description="Trainees received in 2026.", date="2026"))
    with Session(loaded_engine) as session:
        root = ET.fromstring(atom.feed_bytes(session, "http://example.org"))
    ns = {"a": atom.ATOM}
    found = {e.findtext("a:title", "", ns): e for e in root.findall("a:entry", ns)}
    mine = found[f"{registered['id']}: commitment: register"]
    assert mine.find("a:link", ns).get("href") == (  # type: ignore[union-attr]
        f"en/commitments/{registered['id']}")
    assert "jp-2017-trainees-2000: implementation: record" in found, list(found)
    assert recorded["id"] not in "".join(found)  # named by its commitment, whose page shows it


# --- over HTTP ---------------------------------------------------------------------------------


def test_every_download_is_served_and_stamped(client: TestClient, web_engine: Engine) -> None:
    with Session(web_engine) as session:
        version = stamp(session).version
    listing = client.get("/en/downloads")
    assert listing.status_code == 200
    for found in DOWNLOADS.values():
        assert f'href="/downloads/{found.filename}"' in listing.text
        answer = client.get(f"/downloads/{found.filename}")
        assert answer.status_code == 200, found.filename
        assert answer.headers["content-type"].startswith(found.media_type)
        assert answer.headers["x-record-version"] == version
        assert licence.DATA.url in answer.headers["link"]
    popolo = client.get("/downloads/cajd-popolo.json").json()
    assert popolo["meta"]["version"] == version and popolo["events"]
    archive = zipfile.ZipFile(io.BytesIO(client.get("/downloads/cajd-datapackage.zip").content))
    assert "cajd-record/datapackage.json" in archive.namelist()
    assert client.get("/calendar.ics").headers["content-type"].startswith("text/calendar")
    assert client.get("/calendar/caj-som.ics").status_code == 200
    assert client.get("/feed.atom").headers["content-type"].startswith("application/atom+xml")
    assert client.get("/calendar/no-such-body.ics").status_code == 404
    assert client.get("/downloads/no-such-file").status_code == 404
    assert client.get("/downloads/", follow_redirects=False).headers["location"] == (
        "/en/downloads")


def test_the_cli_writes_each_download(cli_env: dict[str, str], runner: CliRunner,
                                      loaded_engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    assert runner.invoke(app, ["export", "datapackage", "-o", str(folder)],
                         env=cli_env).exit_code == 0
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    again = runner.invoke(app, ["export", "datapackage", "-o", str(folder)], env=cli_env)
    assert again.exit_code == 1 and "not empty" in again.stderr
    assert runner.invoke(app, ["export", "sqlite", "-o", str(tmp_path / "c.sqlite3")],
                         env=cli_env).exit_code == 0
    assert sqlite3.connect(tmp_path / "c.sqlite3").execute(
        "SELECT count(*) FROM event").fetchone()[0] > 50
    ics = runner.invoke(app, ["export", "calendar", "--body", "caj-fmm"], env=cli_env)
    assert ics.exit_code == 0 and "BEGIN:VCALENDAR" in ics.stdout
    unknown = runner.invoke(app, ["export", "calendar", "--body", "nope"], env=cli_env)
    assert unknown.exit_code == 1 and "--body" in unknown.stderr
    feed = runner.invoke(app, ["export", "atom", "-o", str(tmp_path / "f.atom")], env=cli_env)
    assert feed.exit_code == 0 and ET.parse(tmp_path / "f.atom").getroot() is not None


# --- only the public record goes out -----------------------------------------------------------


def test_a_deleted_meeting_and_an_unconfirmed_delegation_stay_out(
        loaded_engine: Engine, tmp_path: Path) -> None:
    with Session(loaded_engine) as session, session.begin():
        soft_delete(session, SEC, "event", "caj-fmm-9", 1)
    with Session(loaded_engine) as session, session.begin():
        from cajd.workflow import meetings as m

        planned = m.convene(session, SEC, "caj-fmm", number=10, start="2030-01-15", city="Tokyo",
                            country="JP", host="JP")
    with Session(loaded_engine) as session, session.begin():
        d.register(session, KZ, planned["id"], "KZ", head_name="A Minister",
                   title="Minister of Foreign Affairs", rank="minister")
    with Session(loaded_engine) as session, session.begin():
        from cajd.workflow import documents

        draft = documents.draft(session, SEC, "caj-fmm-8", "joint_statement",
                                {"en": "A draft statement", "ja": None, "ru": None},
                                text="DRAFT TEXT NOT FOR PUBLICATION")
    _package(loaded_engine, tmp_path)
    assert draft["id"] not in {r["id"] for r in _csv(tmp_path, "document")}
    assert "DRAFT TEXT" not in "".join(p.read_text() for p in (tmp_path / "data").iterdir())
    events = {r["id"] for r in _csv(tmp_path, "event")}
    assert "caj-fmm-9" not in events and planned["id"] in events
    delegations = {r["id"] for r in _csv(tmp_path, "delegation")}
    assert not any(i.startswith("caj-fmm-9.") for i in delegations)
    assert f"{planned['id']}.KZ" not in delegations  # registered, not confirmed
    assert not any(r["subject_id"] == "caj-fmm-9" for r in _csv(tmp_path, "citation"))
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid
    with Session(loaded_engine) as session:
        bundle = json.loads(popolo_bytes(session))
        ics = calendar.calendar_bytes(session).decode()
        feed = atom.feed_bytes(session).decode()
        path = tmp_path / "c.sqlite3"
        sqlitedb.write(session, path)
    assert "caj-fmm-9" not in {e["id"] for e in bundle["events"]}
    assert "DRAFT TEXT" not in json.dumps(bundle) and "DRAFT TEXT" not in feed
    planned_event = next(e for e in bundle["events"] if e["id"] == planned["id"])
    assert not planned_event.get("attendees") and "caj-fmm-9@cajd" not in ics
    assert f"{planned['id']}: event: convene" in feed and "delegation: register" not in feed
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT count(*) FROM delegation WHERE event_id IN (?, ?)",
                              ("caj-fmm-9", planned["id"])).fetchone() == (0,)
