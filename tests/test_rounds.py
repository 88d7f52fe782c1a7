"""National reporting rounds on both databases, through the real app: the whole cycle (open,
save, submit, amend, close), drafts private to their party, a submitted version frozen and an
amendment a new version, one party's focal point refused on another's report, a closed round
refusing reports, overdue flags, and a round dumped and reloaded unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset import pipeline
from cajd.dataset.dump import dump
from cajd.model import AuditEntry, Evidence, ReportingRound, RoundEntry, RoundReport
from cajd.read import record as public
from cajd.read.rounds import standings
from cajd.vocab import UserRole
from cajd.workflow import rounds
from cajd.workflow.errors import Invalid
from cajd.workflow.rules import Actor
from tests.test_origins import fresh_engine, snapshot
from tests.writes.registry import World, world
from tests.writes.rounds import BUNDLED, PDF

__all__ = ["fresh_engine", "world"]


def api(world: World, user: str, method: str, path: str,
        body: dict[str, Any] | None = None) -> Any:
    return world.call_json(user, method, path, body)


def open_round(world: World, deadline: str = "2099-03-31") -> dict[str, Any]:
    done = api(world, "secretariat", "POST", "/api/v1/dialogues/caj/rounds", {
        "title_en": "Action Plan review", "title_ja": "行動計画の点検",
        "deadline": deadline, "commitments": [BUNDLED],
        "items": [{"en": "Water engineers trained.", "ru": "Подготовка инженеров."}]})
    assert done.status_code == 201, done.text
    data: dict[str, Any] = done.json()["data"]
    return data


def save(world: World, user: str, round_id: str, party: str, entries: list[dict[str, Any]],
         version: int | None = None) -> Any:
    body: dict[str, Any] = {"entries": entries}
    if version is not None:
        body["version"] = version
    return api(world, user, "PUT", f"/api/v1/rounds/{round_id}/reports/{party}", body)


def test_the_whole_cycle_keeps_every_submitted_version_frozen(world: World) -> None:
    rnd = open_round(world)
    assert rnd["id"].startswith("caj-round-2099")
    assert rnd["status"] == "open" and rnd["opened_by"] == world.actor("secretariat").name
    first, second = (i["id"] for i in rnd["items"])
    assert first == f"{rnd['id']}.item.1" and second == f"{rnd['id']}.item.2"
    assert rnd["items"][0]["commitment_id"] == BUNDLED
    assert rnd["items"][1]["text_ru"] == "Подготовка инженеров."

    made = save(world, "focal_kz", rnd["id"], "KZ",
                [{"item": first, "status": "in_progress", "narrative": "Начато.", "lang": "ru"}])
    assert made.status_code == 200, made.text
    draft = made.json()["data"]
    assert draft["id"] == f"{rnd['id']}.KZ.v1" and draft["state"] == "draft"
    # A second save without the draft's version would overwrite blindly: refused.
    blind = save(world, "focal_kz", rnd["id"], "KZ", [{"item": second, "status": "completed"}])
    assert blind.status_code == 409, blind.text
    more = save(world, "focal_kz", rnd["id"], "KZ",
                [{"item": second, "status": "completed", "narrative": "完了。", "lang": "ja"}],
                version=draft["version"])
    assert more.status_code == 200, more.text
    draft = more.json()["data"]
    assert [(e["id"], e["status"], e["narrative_lang"]) for e in draft["entries"]] == [
        (f"{draft['id']}.1", "in_progress", "ru"), (f"{draft['id']}.2", "completed", "ja")]

    sent = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/submit",
               {"version": draft["version"]})
    assert sent.status_code == 200, sent.text
    v1 = sent.json()["data"]
    assert v1["state"] == "submitted" and v1["submitted_by"] == world.actor("focal_kz").name
    frozen = save(world, "focal_kz", rnd["id"], "KZ", [{"item": first, "status": "completed"}],
                  version=v1["version"])
    assert frozen.status_code == 409
    assert "submitted reports are amended as a new version" in frozen.text

    no_note = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/amend",
                  {"version": v1["version"], "note": "  "})
    assert no_note.status_code == 422 and "note" in no_note.text
    amended = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/amend",
                  {"version": v1["version"], "note": "Item 1 completed in May."})
    assert amended.status_code == 201, amended.text
    v2 = amended.json()["data"]
    assert v2["id"] == f"{rnd['id']}.KZ.v2" and v2["number"] == 2 and v2["state"] == "draft"
    assert [(e["status"], e["narrative"]) for e in v2["entries"]] == [
        ("in_progress", "Начато."), ("completed", "完了。")]
    changed = save(world, "focal_kz", rnd["id"], "KZ", [{"item": first, "status": "completed"}],
                   version=v2["version"])
    assert changed.status_code == 200, changed.text
    with Session(world.engine) as db:
        kept = db.get(RoundEntry, f"{rnd['id']}.KZ.v1.1")
        assert kept is not None and kept.status.value == "in_progress"
        assert kept.narrative == "Начато."
        now = db.get(RoundEntry, f"{rnd['id']}.KZ.v2.1")
        assert now is not None and now.status.value == "completed" and now.narrative is None
        audits = db.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.record_id.like(f"{rnd['id']}%")).order_by(AuditEntry.id)).all()
    assert audits == ["round.open", "report.save", "report.save", "report.submit",
                      "report.amend", "report.save"]

    closed = api(world, "secretariat", "POST", f"/api/v1/rounds/{rnd['id']}/close",
                 {"version": rnd["version"]})
    assert closed.status_code == 200, closed.text
    assert closed.json()["data"]["status"] == "closed" and closed.json()["data"]["closed_at"]
    late = save(world, "focal_kz", rnd["id"], "KZ", [{"item": first, "status": "completed"}],
                version=changed.json()["data"]["version"])
    assert late.status_code == 422 and "closed" in late.text
    started = save(world, "focal_uz", rnd["id"], "UZ", [{"item": first, "status": "completed"}])
    assert started.status_code == 422 and "closed" in started.text


def test_a_focal_point_cannot_write_another_partys_report(world: World) -> None:
    rnd = open_round(world)
    item = rnd["items"][0]["id"]
    made = save(world, "focal_uz", rnd["id"], "UZ", [{"item": item, "status": "completed"}])
    assert made.status_code == 200, made.text
    uz = made.json()["data"]
    before = world.audit_count()
    for path, body in [
        (f"/api/v1/rounds/{rnd['id']}/reports/UZ", {"version": uz["version"], "entries": [
            {"item": item, "status": "not_started"}]}),
        (f"/api/v1/rounds/{rnd['id']}/reports/UZ/submit", {"version": uz["version"]}),
    ]:
        method = "PUT" if path.endswith("/UZ") else "POST"
        for user in ("focal_kz", "secretariat"):
            refused = api(world, user, method, path, body)
            assert refused.status_code == 403, (user, path, refused.text)
            assert "Начато" not in refused.text and "not_started" not in refused.text
    sent = api(world, "focal_uz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/UZ/submit",
               {"version": uz["version"]})
    assert sent.status_code == 200, sent.text
    before = world.audit_count()
    refused = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/UZ/amend",
                  {"version": sent.json()["data"]["version"], "note": "Not ours to amend."})
    assert refused.status_code == 403
    assert world.audit_count() == before
    with Session(world.engine) as db:
        assert db.get(RoundReport, f"{rnd['id']}.UZ.v2") is None


def test_a_draft_stays_out_of_the_public_record_until_submitted(world: World) -> None:
    rnd = open_round(world)
    item = rnd["items"][0]["id"]
    made = save(world, "focal_kz", rnd["id"], "KZ",
                [{"item": item, "status": "in_progress", "narrative": "Secret plan.",
                  "lang": "en"}])
    draft = made.json()["data"]

    def public_ids() -> tuple[set[str], set[str]]:
        with Session(world.engine) as db:
            reports = {r["id"] for r in public.public_rows(db, RoundReport.__table__)}
            entries = {e["id"] for e in public.public_rows(db, RoundEntry.__table__)}
        return reports, entries

    reports, entries = public_ids()
    assert draft["id"] not in reports and f"{draft['id']}.1" not in entries
    # Another party's focal point cannot read it through a write either (refused first).
    peek = save(world, "focal_uz", rnd["id"], "KZ", [{"item": item, "status": "completed"}])
    assert peek.status_code == 403 and "Secret plan" not in peek.text
    api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/submit",
        {"version": draft["version"]})
    reports, entries = public_ids()
    assert draft["id"] in reports and f"{draft['id']}.1" in entries


def test_bad_input_is_refused_naming_the_field(world: World) -> None:
    bad = api(world, "secretariat", "POST", "/api/v1/dialogues/caj/rounds", {
        "title_en": "x", "deadline": "2026-02-30", "items": [{"en": "y"}]})
    assert bad.status_code == 422 and "deadline" in bad.text, bad.text
    empty = api(world, "secretariat", "POST", "/api/v1/dialogues/caj/rounds", {
        "title_en": "x", "deadline": "2026-02-28"})
    assert empty.status_code == 422 and "items" in empty.text, empty.text
    rnd = open_round(world)
    item = rnd["items"][0]["id"]
    for entry, field in [({"item": "nope.item.1", "status": "completed"}, "entries.nope"),
                         ({"item": item, "status": "finished"}, "status"),
                         ({"item": item, "status": "completed", "narrative": "x"}, "lang"),
                         ({"item": item, "status": "completed", "narrative": "x",
                           "lang": "de"}, "lang")]:
        refused = save(world, "focal_kz", rnd["id"], "KZ", [entry])
        assert refused.status_code == 422 and field in refused.text, refused.text
    # Turkmenistan observes the caj dialogue: its focal point has no report to write.
    with Session(world.engine) as db, pytest.raises(Invalid, match=r"TM.* is not a member"):
        rounds.save_report(db, Actor("focal-tm", UserRole.FOCAL_POINT, "TM"), rnd["id"], "TM",
                           {item: ("completed", None, None)})
    nothing = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/submit",
                  {"version": 1})
    assert nothing.status_code == 422 and "save a draft first" in nothing.text


def test_overdue_flags_follow_the_first_submission(world: World) -> None:
    future = open_round(world, "2099-03-31")
    past = open_round(world, "2026-01-31")
    for rnd in (future, past):
        item = rnd["items"][0]["id"]
        made = save(world, "focal_kz", rnd["id"], "KZ", [{"item": item, "status": "completed"}])
        api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/submit",
            {"version": made.json()["data"]["version"]})
    save(world, "focal_uz", future["id"], "UZ",
         [{"item": future["items"][0]["id"], "status": "in_progress"}])
    with Session(world.engine) as db:
        fut = db.get(ReportingRound, future["id"])
        pst = db.get(ReportingRound, past["id"])
        assert fut is not None and pst is not None
        before = {s.party: s for s in standings(db, fut, today=dt.date(2099, 3, 31))}
        after = {s.party: s for s in standings(db, fut, today=dt.date(2099, 4, 1))}
        old = {s.party: s for s in standings(db, pst, today=dt.date(2099, 4, 1))}
    assert sorted(before) == ["JP", "KG", "KZ", "TJ", "UZ"]  # members; Turkmenistan observes
    assert not any(s.late for s in before.values())
    assert before["KZ"].submitted_version == 1 and before["KZ"].submitted_at is not None
    assert before["UZ"].draft and before["UZ"].submitted_version is None
    assert {p for p, s in after.items() if s.late} == {"JP", "KG", "TJ", "UZ"}
    # Submitted today, after a deadline in January: late, and so is everyone else.
    assert all(s.late for s in old.values()) and old["KZ"].submitted_version == 1


def test_a_round_dumps_and_reloads_unchanged(world: World, fresh_engine: Engine,
                                             tmp_path: Path) -> None:
    rnd = open_round(world)
    item = rnd["items"][1]["id"]
    made = save(world, "focal_kz", rnd["id"], "KZ",
                [{"item": item, "status": "completed", "narrative": "Готово.", "lang": "ru"}])
    sent = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/submit",
               {"version": made.json()["data"]["version"]})
    api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/amend",
        {"version": sent.json()["data"]["version"], "note": "Second thoughts."})
    with world.engine.connect() as connection:
        dump(connection, tmp_path / "dump")
    assert [str(p) for p in pipeline.build(tmp_path / "dump").problems] == []
    assert (tmp_path / "dump" / "rounds" / f"{rnd['id']}.yaml").exists()
    pipeline.load(fresh_engine, tmp_path / "dump")
    assert snapshot(fresh_engine, tracked=False) == snapshot(world.engine, tracked=False)
    with Session(fresh_engine) as db:
        v2 = db.get(RoundReport, f"{rnd['id']}.KZ.v2")
        assert v2 is not None and v2.note == "Second thoughts."
        assert db.get(RoundEntry, f"{rnd['id']}.KZ.v2.2") is not None


def test_evidence_belongs_to_the_draft_and_goes_with_an_amendment(
        world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAJD_EVIDENCE_DIR", str(tmp_path / "evidence"))
    rnd = open_round(world)
    item = rnd["items"][0]["id"]
    made = save(world, "focal_kz", rnd["id"], "KZ", [{"item": item, "status": "completed"}])
    path = f"/api/v1/rounds/{rnd['id']}/reports/KZ/items/{item}/evidence"
    form = {"version": made.json()["data"]["version"], "title": "List"}
    pdf = {"file": ("list.pdf", PDF, "application/pdf")}
    other = world.call_json("focal_kz", "POST", path.replace(item, rnd["items"][1]["id"]),
                            form, files=pdf)
    assert other.status_code == 422 and "save its status first" in other.text
    added = world.call_json("focal_kz", "POST", path, form, files=pdf)
    assert added.status_code == 201, added.text
    draft = added.json()["data"]
    [proof] = draft["entries"][0]["evidence"]
    assert proof["id"] == f"{draft['id']}.1.evidence.1" and proof["sha256"]
    with Session(world.engine) as db:
        public_ids = {e["id"] for e in public.public_rows(db, Evidence.__table__)}
    assert proof["id"] not in public_ids  # a draft's evidence is as private as the draft
    sent = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/submit",
               {"version": draft["version"]})
    frozen = world.call_json("focal_kz", "POST", path,
                             form | {"version": sent.json()["data"]["version"]}, files=pdf)
    assert frozen.status_code == 409 and "amended as a new version" in frozen.text
    amended = api(world, "focal_kz", "POST", f"/api/v1/rounds/{rnd['id']}/reports/KZ/amend",
                  {"version": sent.json()["data"]["version"], "note": "More to say."})
    [copied] = amended.json()["data"]["entries"][0]["evidence"]
    assert copied["id"] == f"{rnd['id']}.KZ.v2.1.evidence.1"
    assert copied["sha256"] == proof["sha256"] and copied["title"] == "List"
    with Session(world.engine) as db:
        public_ids = {e["id"] for e in public.public_rows(db, Evidence.__table__)}
    assert proof["id"] in public_ids and copied["id"] not in public_ids
