"""Outcome documents on both databases, through the real app: the adoption rules (a missing member
endorsement blocks and is named; an observer's objection does not; a reservation is kept and shown
with the adopted text), frozen adopted text (a change is a new version, with a diff), and drafts
visible only to the secretariat and the parties concerned."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from cajd.auth import accounts
from cajd.export.popolo import popolo_bundle as bundle
from cajd.model import Document
from cajd.read.analysis import documents as analysed_documents
from cajd.vocab import DocumentStatus, UserRole
from cajd.workflow import Actor
from cajd.workflow import documents as docs
from tests.writes.documents import MEMBERS, circulated, drafted, focal
from tests.writes.registry import World, world
from tests.writes.world import PASSWORD

__all__ = ["world"]

TM = Actor("focal-tm", UserRole.FOCAL_POINT, "TM")  # Turkmenistan: an observer of caj


def api(world: World, user: str | None, method: str, path: str,
        body: dict[str, Any] | None = None) -> Any:
    return world.call_json(user, method, path, body)


def endorse_all(world: World, ctx: dict[str, Any], but: tuple[str, ...] = (),
                reservations: dict[str, str] | None = None) -> None:
    with Session(world.engine) as db, db.begin():
        for party in MEMBERS:
            if party not in but:
                docs.endorse(db, focal(party), ctx["id"], ctx["version"], party,
                             (reservations or {}).get(party))


def test_a_missing_member_endorsement_blocks_adoption_and_is_named(world: World) -> None:
    ctx = circulated(world)
    endorse_all(world, ctx, but=("TJ",))
    before, audits = world.state(), world.audit_count()
    refused = api(world, "secretariat", "POST",
                  f"/api/v1/documents/{ctx['id']}/adopt?version={ctx['version']}")
    assert refused.status_code == 422, refused.text
    assert "TJ" in refused.json()["error"] and "KZ" not in refused.json()["error"]
    assert world.state() == before and world.audit_count() == audits
    endorse_all(world, {**ctx, "version": ctx["version"]}, but=("JP", "KG", "KZ", "UZ"))
    done = api(world, "secretariat", "POST",
               f"/api/v1/documents/{ctx['id']}/adopt?version={ctx['version']}")
    assert done.status_code == 200, done.text
    assert done.json()["data"]["status"] == "adopted"
    assert done.json()["data"]["adopted_version"] == 1


def test_an_observers_objection_does_not_block_and_it_cannot_endorse(world: World) -> None:
    ctx = circulated(world)
    with Session(world.engine) as db, db.begin():
        docs.object_to(db, TM, ctx["id"], ctx["version"], "Turkmenistan objects to §2.")
    with pytest.raises(docs.Invalid, match="not a member party"), \
            Session(world.engine) as db, db.begin():
        docs.endorse(db, TM, ctx["id"], ctx["version"], "TM")
    endorse_all(world, ctx)
    done = api(world, "secretariat", "POST",
               f"/api/v1/documents/{ctx['id']}/adopt?version={ctx['version']}")
    assert done.status_code == 200, done.text
    seen = api(world, None, "GET", f"/api/v1/documents/{ctx['id']}/adoption").json()["data"]
    assert [(c["kind"], c["party"]["id"]) for c in seen["comments"]] == [("objection", "TM")]


def test_a_reservation_is_kept_and_shown_with_the_adopted_text(world: World) -> None:
    ctx = circulated(world)
    reservation = "Kazakhstan reserves its position on <b>paragraph 2</b>."
    endorse_all(world, ctx, reservations={"KZ": reservation})
    assert api(world, "secretariat", "POST",
               f"/api/v1/documents/{ctx['id']}/adopt?version={ctx['version']}").status_code == 200
    public = api(world, None, "GET", f"/api/v1/documents/{ctx['id']}").json()["data"]
    assert public["text"] == "First paragraph.\nSecond paragraph."
    assert public["reservations"] == [
        {"party": {"id": "KZ", "name": public["reservations"][0]["party"]["name"]},
         "text": reservation}]
    page = world.anonymous.get(f"/en/documents/{ctx['id']}")
    assert page.status_code == 200
    assert "Kazakhstan reserves its position on &lt;b&gt;paragraph 2&lt;/b&gt;." in page.text
    assert "<b>paragraph 2</b>" not in page.text


def test_adopted_text_is_frozen_a_change_is_a_new_version_with_a_diff(world: World) -> None:
    ctx = circulated(world)
    endorse_all(world, ctx)
    adopted = api(world, "secretariat", "POST",
                  f"/api/v1/documents/{ctx['id']}/adopt?version={ctx['version']}").json()["data"]
    revised = api(world, "secretariat", "POST", f"/api/v1/documents/{ctx['id']}/versions", {
        "version": adopted["version"], "title_en": "Joint Statement",
        "text": "First paragraph.\nSecond paragraph, <i>amended</i>.", "note": "Amendment"})
    assert revised.status_code == 201, revised.text
    data = revised.json()["data"]
    assert data["status"] == "draft" and data["adopted_version"] == 1
    assert [v["number"] for v in data["versions"]] == [1, 2]
    # The public keeps the adopted text, frozen.
    public = api(world, None, "GET", f"/api/v1/documents/{ctx['id']}").json()["data"]
    assert public["text"] == "First paragraph.\nSecond paragraph."
    diff = api(world, "secretariat", "GET",
               f"/api/v1/documents/{ctx['id']}/diff?from=1&to=2").json()["data"]
    assert [(x["op"], x["text"]) for x in diff["lines"]] == [
        ("same", "First paragraph."), ("removed", "Second paragraph."),
        ("added", "Second paragraph, <i>amended</i>.")]
    assert (diff["added"], diff["removed"]) == (1, 1)
    # The amendment is adopted in its turn, with every member's endorsement of version 2.
    with Session(world.engine) as db, db.begin():
        current = docs.circulate(db, world.actor("secretariat"), ctx["id"], data["version"])
    endorse_all(world, {**ctx, "version": current["version"]})
    assert api(world, "secretariat", "POST", f"/api/v1/documents/{ctx['id']}/adopt"
               f"?version={current['version']}").status_code == 200
    public = api(world, None, "GET", f"/api/v1/documents/{ctx['id']}").json()["data"]
    assert public["text"] == "First paragraph.\nSecond paragraph, <i>amended</i>."


def test_an_endorsement_of_a_text_that_changed_meanwhile_is_a_409(world: World) -> None:
    ctx = drafted(world)
    with Session(world.engine) as db, db.begin():
        circulated_doc = docs.circulate(db, world.actor("secretariat"), ctx["id"], ctx["version"])
    stale = api(world, "focal_kz", "POST", f"/api/v1/documents/{ctx['id']}/endorsements",
                {"version": ctx["version"], "party": "KZ"})
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == circulated_doc["version"]


@pytest.fixture(scope="module")
def outsiders(world: World) -> dict[str, str]:
    """A focal point of, and a reader given, a party that takes no part in caj (the US)."""
    tokens = {}
    with Session(world.engine) as db, db.begin():
        for name, role in (("focal-us", UserRole.FOCAL_POINT), ("reader-us", UserRole.READER)):
            accounts.add_user(db, name, role, "US", PASSWORD)
            tokens[name] = accounts.new_token(db, name)
    return tokens


def test_drafts_are_seen_only_by_the_secretariat_and_the_parties_concerned(
        world: World, outsiders: dict[str, str]) -> None:
    event = drafted(world)["event"]
    with Session(world.engine) as db, db.begin():
        doc = docs.draft(db, world.actor("secretariat"), event, "declaration",
                         {"en": "Zanzibar declaration"}, "Quetzalcoatl paragraph.")["id"]

    def get(path: str, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return world.anonymous.get(path, headers=headers)

    for token in (None, *outsiders.values()):
        assert get(f"/api/v1/documents/{doc}/adoption", token).status_code == 404
        assert get(f"/api/v1/documents/{doc}/diff", token).status_code == 404
    for user in ("secretariat", "focal_kz", "focal_jp", "reader"):  # the reader is given KZ
        seen = get(f"/api/v1/documents/{doc}/adoption", world.tokens[user])
        assert seen.status_code == 200 and seen.json()["data"]["status"] == "draft", user
        assert "no-store" in seen.headers["cache-control"]
    # The public record holds no draft, for anyone: lists, detail, the meeting, search, exports.
    for token in (None, world.tokens["secretariat"]):
        assert get(f"/api/v1/documents/{doc}", token).status_code == 404
        listed = get("/api/v1/documents?limit=500", token).json()["data"]
        assert doc not in [d["id"] for d in listed]
        assert get("/api/v1/documents?q=Quetzalcoatl", token).json()["data"] == []
        meeting = get(f"/api/v1/events/{event}", token).json()["data"]
        assert doc not in [d["id"] for d in meeting["documents"]]
    assert get(f"/en/documents/{doc}").status_code == 404
    with Session(world.engine) as db:
        assert doc not in [d.id for d in analysed_documents(db, "caj")]
        exported = bundle(db)
    assert doc not in str(exported)


def test_the_bundled_documents_are_adopted_and_all_public(world: World) -> None:
    with Session(world.engine) as db:
        dataset = [d for d in db.query(Document) if d.origin == "dataset"]
    assert len(dataset) >= 11
    assert {d.status for d in dataset} == {DocumentStatus.ADOPTED}
    listed = world.anonymous.get("/api/v1/documents?limit=500").json()["data"]
    assert {d.id for d in dataset} <= {d["id"] for d in listed}


def test_revising_a_bundled_document_keeps_its_text_as_version_one(world: World) -> None:
    doc = "caj-fmm-7-joint-statement"
    with Session(world.engine) as db, db.begin():
        row = db.get(Document, doc)
        assert row is not None
        title, version = row.title_en, row.version
        revised = docs.revise(db, world.actor("secretariat"), doc, version,
                              {"en": title}, "A proposed amendment.")
    assert [v["number"] for v in revised["versions"]] == [1, 2]
    assert revised["versions"][0]["title_en"] == title and revised["adopted_version"] == 1
    public = world.anonymous.get(f"/api/v1/documents/{doc}").json()["data"]
    assert public["title"]["en"] == title and public["text"] != "A proposed amendment."
    with Session(world.engine) as db, db.begin():
        docs.withdraw(db, world.actor("secretariat"), doc, revised["version"])
        assert db.get(Document, doc).status is DocumentStatus.ADOPTED  # type: ignore[union-attr]
