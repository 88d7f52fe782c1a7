"""The round summary page and its CSV on both databases: one row per party and one cell per
item, submitted entries for all, a draft's content for its own party's focal points only (others
see "draft in progress"), late flags, and the CSV always the public view."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tests.test_rounds import open_round, save
from tests.writes.registry import World, world

__all__ = ["world"]


@pytest.fixture
def reported(world: World) -> dict[str, str]:
    """A round (deadline in 2099) where KZ submitted v1 and then drafted v2, and UZ only drafts."""
    rnd = open_round(world)
    first, second = (i["id"] for i in rnd["items"])
    made = save(world, "focal_kz", rnd["id"], "KZ", [
        {"item": first, "status": "completed", "narrative": "Сделано в срок.", "lang": "ru"}])
    sent = world.call_json("focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/submit",
                           {"version": made.json()["data"]["version"]})
    amended = world.call_json("focal_kz", "POST",
                              f"/api/v1/rounds/{rnd['id']}/reports/KZ/amend",
                              {"version": sent.json()["data"]["version"], "note": "More."})
    save(world, "focal_kz", rnd["id"], "KZ", [
        {"item": second, "status": "in_progress", "narrative": "KZ private words.",
         "lang": "en"}], version=amended.json()["data"]["version"])
    save(world, "focal_uz", rnd["id"], "UZ", [
        {"item": first, "status": "not_started", "narrative": "UZ private words.",
         "lang": "en"}])
    return {"id": rnd["id"], "title": rnd["title_en"]}


def test_the_public_sees_submitted_entries_and_that_drafts_exist(world: World,
                                                                 reported: dict[str, str]
                                                                 ) -> None:
    assert 'href="/en/rounds"' in world.anonymous.get("/en/commitments").text  # found from there
    listed = world.anonymous.get("/en/rounds")
    assert listed.status_code == 200 and f'/en/rounds/{reported["id"]}' in listed.text
    page = world.anonymous.get(f"/en/rounds/{reported['id']}")
    assert page.status_code == 200, page.text
    assert "Сделано в срок." in page.text and "version 1" in page.text
    assert "KZ private words." not in page.text and "UZ private words." not in page.text
    assert page.text.count("draft in progress") == 2  # KZ's amendment and UZ's first draft
    assert "your draft" not in page.text


def test_a_focal_point_sees_its_own_draft_only(world: World, reported: dict[str, str]) -> None:
    kz = world.logged_in("focal_kz").client.get(f"/en/rounds/{reported['id']}")
    assert kz.status_code == 200
    assert "KZ private words." in kz.text and "UZ private words." not in kz.text
    assert "your draft, not yet submitted" in kz.text and "version 2" in kz.text
    assert kz.headers["cache-control"] == "no-store"
    # The secretariat sees that drafts exist, not what they say.
    sec = world.logged_in("secretariat").client.get(f"/en/rounds/{reported['id']}")
    assert "KZ private words." not in sec.text and "UZ private words." not in sec.text
    assert sec.text.count("draft in progress") == 2


def test_the_csv_is_the_public_view_with_late_flags(world: World,
                                                    reported: dict[str, str]) -> None:
    got = world.logged_in("focal_kz").client.get(f"/en/rounds/{reported['id']}/summary.csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert list(rows[0]) == ["party", "item", "position", "status", "version", "submitted_at",
                             "late"]
    by = {(r["party"], r["position"]): r for r in rows}
    assert sorted({r["party"] for r in rows}) == ["JP", "KG", "KZ", "TJ", "UZ"]
    assert len(rows) == 5 * 2
    kz1 = by[("KZ", "1")]
    assert (kz1["status"], kz1["version"], kz1["late"]) == ("completed", "1", "false")
    assert kz1["submitted_at"].startswith(str(dt.datetime.now(dt.UTC).year))
    # KZ's draft v2 says something of item 2, UZ's draft of item 1: neither is in the file.
    assert by[("KZ", "2")]["status"] == "" and by[("UZ", "1")]["status"] == ""
    assert "private" not in got.text


def test_pages_are_translated_and_an_unknown_round_is_404(world: World,
                                                          reported: dict[str, str]) -> None:
    ja = world.anonymous.get(f"/ja/rounds/{reported['id']}")
    assert "下書き作成中" in ja.text and "第1版" in ja.text and "完了" in ja.text
    ru = world.anonymous.get("/ru/rounds")
    assert "Раунды отчётности" in ru.text
    assert world.anonymous.get("/en/rounds/no-such-round").status_code == 404
    assert world.anonymous.get("/en/rounds/no-such-round/summary.csv").status_code == 404


def test_the_pdf_is_the_public_view(world: World, reported: dict[str, str]) -> None:
    got = world.logged_in("focal_kz").client.get(f"/ru/rounds/{reported['id']}/summary.pdf")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages)
    assert reported["id"] in text and "Сделано в срок." in text
    assert "private words" not in text and "черновик в работе" in text


def test_the_json_twins_are_the_public_view(world: World, reported: dict[str, str]) -> None:
    page = world.anonymous.get(f"/en/rounds/{reported['id']}")
    assert f'href="/api/v1/rounds/{reported["id"]}"' in page.text  # the page names its twin
    listed = world.logged_in("focal_kz").client.get("/api/v1/rounds", params={"limit": 1})
    body = listed.json()
    assert listed.status_code == 200 and body["meta"]["total"] >= 1
    assert len(body["data"]) == 1 and body["meta"]["html"] == "/en/rounds"
    ours = world.anonymous.get("/api/v1/rounds").json()["data"]
    brief = next(r for r in ours if r["id"] == reported["id"])
    assert (brief["submitted"], brief["members"]) == (1, 5)
    # KZ's own focal point asks: still the public view, its draft v2 nowhere in the JSON
    one = world.logged_in("focal_kz").client.get(f"/api/v1/rounds/{reported['id']}")
    assert one.status_code == 200 and "private words" not in one.text
    data = one.json()["data"]
    assert [i["position"] for i in data["items"]] == [1, 2]
    kz = next(p for p in data["parties"] if p["party"] == "KZ")
    assert kz["standing"]["draft"] is True and kz["own_draft"] is False
    assert [c["status"] for c in kz["cells"]] == ["completed", None]
    assert kz["cells"][0]["version"] == 1 and kz["cells"][0]["narrative"] == "Сделано в срок."
    assert world.anonymous.get("/api/v1/rounds/no-such-round").status_code == 404
