"""Minutes of a meeting (both databases), generated from what was entered: delegations and ranks,
the agenda, documents adopted with their reservations, pledges made; as a page, as PDF and as
JSON, with no draft in any of them."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy.orm import Session

from cajd.workflow import delegations, meetings
from cajd.workflow import documents as docs
from tests.writes.documents import MEMBERS, drafted, focal
from tests.writes.registry import World, world

__all__ = ["world"]


def run_meeting(world: World) -> tuple[str, str, str]:
    ctx = drafted(world)
    event, sec = ctx["event"], world.actor("secretariat")
    with Session(world.engine) as db, db.begin():
        kz = delegations.register(db, world.actor("focal_kz"), event, "KZ",
                             head_name="Murat Nurtleu", title="Minister of Foreign Affairs",
                             rank="minister", member_list=[{"name": "A. Member",
                                                            "rank": "ambassador"}])
        delegations.confirm(db, sec, kz["id"], kz["version"])  # the public sees it confirmed
        meetings.add_item(db, sec, event, {"en": "Connectivity & <transport>"},
                          ["transport-logistics"])
        doc = docs.circulate(db, sec, ctx["id"], ctx["version"])
        for party in MEMBERS:
            docs.endorse(db, focal(party), ctx["id"], doc["version"], party,
                         "Reserved on <§2>" if party == "UZ" else None)
        docs.adopt(db, sec, ctx["id"], doc["version"])
        draft = docs.draft(db, sec, event, "roadmap", {"en": "A roadmap still in draft"})
    return event, ctx["id"], draft["id"]


def test_minutes_as_json_page_and_pdf(world: World) -> None:
    event, adopted, draft = run_meeting(world)
    data = world.anonymous.get(f"/api/v1/events/{event}/minutes").json()["data"]
    [kz] = [d for d in data["delegations"] if d["party"]["id"] == "KZ"]
    assert (kz["head_name"], kz["rank"]) == ("Murat Nurtleu", "minister")
    assert [m["name"] for m in kz["members"]] == ["A. Member"]
    assert [i["title"]["en"] for i in data["agenda"]] == ["Connectivity & <transport>"]
    assert [d["id"] for d in data["documents"]] == [adopted]
    assert data["documents"][0]["reservations"][0]["party"]["id"] == "UZ"
    page = world.anonymous.get(f"/ja/meetings/{event}/minutes")
    assert page.status_code == 200
    assert "Reserved on &lt;§2&gt;" in page.text
    assert "Connectivity &amp; &lt;transport&gt;" in page.text
    assert "A roadmap still in draft" not in page.text and draft not in page.text
    pdf = world.anonymous.get(f"/en/meetings/{event}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Murat Nurtleu" in text and "Reserved on <§2>" in text
    assert "A roadmap still in draft" not in text


def test_minutes_of_the_4th_fmm_hold_its_pledges(world: World) -> None:
    data = world.anonymous.get("/api/v1/events/caj-fmm-4/minutes").json()["data"]
    assert data["commitments"] and all(c["event"] == "caj-fmm-4" for c in data["commitments"])
    assert world.anonymous.get("/api/v1/events/no-such-meeting/minutes").status_code == 404
