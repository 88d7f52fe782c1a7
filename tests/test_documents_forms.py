"""The workspace's document forms (both databases): a bad value re-renders the form with the
loader's message at its field and writes nothing; the document's workspace page (versions, the
escaped diff) is shown to those who may see drafts (the public must log in); the meeting's
workspace page lists its documents. Who else is refused: tests/test_documents.py (the API)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cajd.workflow import documents as docs
from tests.writes.documents import drafted
from tests.writes.registry import World, world

__all__ = ["world"]


def test_a_bad_kind_is_refused_at_its_field_and_nothing_is_written(world: World) -> None:
    event = drafted(world)["event"]
    before, audits = world.state(), world.audit_count()
    response = world.call_form("secretariat", "POST", f"/en/workspace/meetings/{event}/documents",
                               {"kind": "communique", "title_en": "A statement"})
    assert response.status_code == 422
    assert 'id="err-kind"' in response.text and "communique" in response.text
    assert world.state() == before and world.audit_count() == audits


def test_the_document_page_shows_an_escaped_diff_to_those_who_may_see_it(world: World) -> None:
    ctx = drafted(world)
    with Session(world.engine) as db, db.begin():
        docs.revise(db, world.actor("secretariat"), ctx["id"], ctx["version"],
                    {"en": "Joint Statement"}, "First paragraph.\n<script>x()</script>")
    path = f"/en/workspace/documents/{ctx['id']}"
    for user in ("secretariat", "focal_uz", "reader"):
        page = world.logged_in(user).client.get(path)
        assert page.status_code == 200, user
        assert '<div class="diff-added">' in page.text
        assert "&lt;script&gt;x()&lt;/script&gt;" in page.text and "<script>x()" not in page.text
        assert page.headers["cache-control"] == "private, no-store"
    assert world.anonymous.get(path).status_code == 401
    meeting = world.logged_in("secretariat").client.get(
        f"/en/workspace/meetings/{ctx['event']}")
    assert f'id="document-{ctx["id"]}"' in meeting.text
