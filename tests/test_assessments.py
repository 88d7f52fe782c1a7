"""Compliance assessments on both databases, through the real app: only assessors score (not
the secretariat, not the committing party's focal point, not a reader); "not assessed" is NULL,
never 0, and still says why; a re-score is the next revision and leaves the earlier one as it
was; a review is by a second assessor, of the latest revision only; a commitment without a
guideline, a bad period, stage or party is a 422 naming the field; and what was scored dumps
and reloads unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import yaml
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset import monitoring_records as mr
from cajd.dataset import pipeline
from cajd.dataset.dump import dump
from cajd.model import Assessment, AuditEntry
from cajd.vocab import UserRole
from cajd.workflow import Actor, commitments
from cajd.workflow import assessments as service
from tests.test_origins import fresh_engine, snapshot
from tests.writes.assessments import GUIDELINE, SCORED, second_assessor, with_guideline
from tests.writes.hostile import HOSTILE
from tests.writes.registry import World, world

__all__ = ["fresh_engine", "world"]

UNGUIDED = "jp-2012-usd-700m"  # no guideline in the bundled record, none set here
NOT_ASSESSED_FORM = "none"  # the form's value for not assessed


def score(world: World, body: dict[str, Any], user: str = "assessor",
          commitment: str = SCORED) -> httpx.Response:
    base = {"score": 1, "period": "2025", "stage": "interim", "rationale": "In force."}
    return world.call_json(user, "POST", f"/api/v1/commitments/{commitment}/assessments",
                           base | body)


def review(world: World, revision: dict[str, Any], body: dict[str, Any],
           user: str = "assessor") -> httpx.Response:
    return world.call_json(user, "POST", f"/api/v1/assessments/{revision['id']}/review",
                           {"version": revision["version"]} | body)


def row(world: World, assessment_id: str) -> dict[str, Any]:
    with Session(world.engine) as db:
        found = db.get(Assessment, assessment_id)
        assert found is not None
        return {c.key: getattr(found, c.key) for c in Assessment.__table__.columns}


def test_only_assessors_score(world: World) -> None:
    with_guideline(world)
    before, audits = world.state(), world.audit_count()
    for user in ("secretariat", "focal_jp", "focal_kz", "reader"):
        refused = score(world, {"period": "2020"}, user)
        assert refused.status_code == 403, (user, refused.text)
    assert score(world, {"period": "2020"}, None).status_code == 401  # type: ignore[arg-type]
    assert world.state() == before and world.audit_count() == audits
    done = score(world, {"period": "2020"})
    assert done.status_code == 201, done.text
    data = done.json()["data"]
    assert data["id"] == f"{SCORED}.JP.2020.interim.r1"
    assert (data["revision"], data["score"], data["party_id"]) == (1, 1, "JP")
    [entry] = world.audits_after(audits)
    assert (entry.action, entry.record_id, entry.before) == ("assessment.score", data["id"], None)


def test_not_assessed_is_null_not_zero_and_still_says_why(world: World) -> None:
    with_guideline(world)
    why = score(world, {"score": None, "period": "2021", "rationale": "  "})
    assert why.status_code == 422 and "rationale" in why.json()["error"], why.text
    missing = world.call_json("assessor", "POST", f"/api/v1/commitments/{SCORED}/assessments",
                              {"period": "2021", "stage": "interim", "rationale": "x"})
    assert missing.status_code == 422  # the score must be sent, null for not assessed
    done = score(world, {"score": None, "period": "2021",
                         "rationale": "No public information found for 2021."})
    assert done.status_code == 201, done.text
    stored = row(world, done.json()["data"]["id"])
    assert stored["score"] is None
    zero = score(world, {"score": 0, "period": "2021", "stage": "final", "rationale": "Partly."})
    assert row(world, zero.json()["data"]["id"])["score"] == 0
    for bad in (2, -2, "1", True):
        refused = score(world, {"score": bad, "period": "2021"})
        assert refused.status_code == 422, (bad, refused.text)


def test_a_rescore_is_the_next_revision_and_keeps_the_first(world: World) -> None:
    with_guideline(world)
    first = score(world, {"score": 0, "period": "2022-2023", "stage": "final",
                          "rationale": "Two of five.",
                          "evidence_url": "https://example.org/a"}).json()["data"]
    kept = row(world, first["id"])
    audits = world.audit_count()
    second = score(world, {"score": 1, "period": "2022-2023", "stage": "final",
                           "rationale": "All five, from new material."})
    assert second.status_code == 201, second.text
    later = second.json()["data"]
    assert later["id"] == f"{SCORED}.JP.2022-2023.final.r2" and later["revision"] == 2
    assert row(world, first["id"]) == kept  # history: the first revision untouched
    [entry] = world.audits_after(audits)
    assert entry.before is not None and entry.before["score"] == 0  # the change, as a diff
    listed = world.anonymous.get(f"/api/v1/commitments/{SCORED}/assessments")
    assert listed.status_code == 200, listed.text
    mine = [a for a in listed.json()["data"] if a["period"] == "2022-2023"]
    assert [(a["revision"], a["score"], a["latest"]) for a in mine] == [
        (1, 0, False), (2, 1, True)]
    assert [e["url"] for e in mine[0]["evidence"]] == ["https://example.org/a"]
    assert not {"assessed_by", "reviewed_by", "origin", "version"} & set(mine[0])
    assert "assessor" not in listed.text  # no account names in the public answer
    assert world.anonymous.get("/api/v1/commitments/nothing/assessments").status_code == 404


def test_a_review_is_by_a_second_assessor_of_the_latest_revision(world: World) -> None:
    with_guideline(world)
    own = score(world, {"period": "2023"}).json()["data"]
    before, audits = world.state(), world.audit_count()
    self_review = review(world, own, {"verdict": "agrees"})
    assert self_review.status_code == 403, self_review.text
    assert "second assessor" in self_review.json()["error"]
    assert world.state() == before and world.audit_count() == audits
    with Session(world.engine) as db, db.begin():
        theirs = service.score(db, second_assessor(world), SCORED, "JP", "2024", "final", -1,
                               "Procedures tightened.")
    assert review(world, theirs, {"verdict": "disagrees"}).status_code == 422
    no_note = review(world, theirs, {"verdict": "disagrees", "note": " "})
    assert no_note.status_code == 422 and "note" in no_note.json()["error"]
    bad = review(world, theirs, {"verdict": "maybe"})
    assert bad.status_code == 422 and "verdict" in bad.json()["error"]
    focal = review(world, theirs, {"verdict": "agrees"}, user="focal_jp")
    assert focal.status_code == 403
    done = review(world, theirs, {"verdict": "disagrees", "note": "Only one visa type changed."})
    assert done.status_code == 200, done.text
    stored = row(world, theirs["id"])
    assert stored["reviewed_by"] == "assessor" and stored["review_verdict"].value == "disagrees"
    assert stored["review_note"] == "Only one visa type changed."
    assert stored["score"] == -1 and stored["assessed_by"] == "assessor-2"
    again = review(world, done.json()["data"], {"verdict": "agrees"})
    assert again.status_code == 409  # reviewed once; a new score is reviewed anew
    # A superseded revision is not reviewed: the answer names the latest.
    with Session(world.engine) as db, db.begin():
        old = service.score(db, second_assessor(world), SCORED, None, "2019", "interim", 0, "a")
        service.score(db, second_assessor(world), SCORED, None, "2019", "interim", 1, "b")
    stale = review(world, old, {"verdict": "agrees"})
    assert stale.status_code == 409, stale.text
    assert f"{SCORED}.JP.2019.interim.r2" in stale.json()["error"]


def test_a_commitment_without_a_guideline_is_not_scored(world: World) -> None:
    before = world.state()
    refused = score(world, {}, commitment=UNGUIDED)
    assert refused.status_code == 422, refused.text
    message = refused.json()["error"]
    assert "guideline" in message and f"PATCH /api/v1/commitments/{UNGUIDED}" in message
    assert world.state() == before


@pytest.mark.parametrize(("body", "field"), [
    ({"period": "2025-2024"}, "period"), ({"period": "2025-2025"}, "period"),
    ({"period": "25"}, "period"), ({"period": "2025/2026"}, "period"),
    ({"stage": "midterm"}, "stage"), ({"party": "KZ"}, "party"), ({"party": "XX"}, "party"),
    ({"rationale": HOSTILE["nul"]}, "rationale"),
    ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
])
def test_bad_input_is_422_naming_the_field(world: World, body: dict[str, Any],
                                           field: str) -> None:
    with_guideline(world)
    before = world.state()
    refused = score(world, body)
    assert refused.status_code == 422, refused.text
    assert field in refused.json()["error"], refused.text
    assert world.state() == before


# --- dump and reload ---------------------------------------------------------------------------

SEC = Actor("sec", UserRole.SECRETARIAT)
ONE = Actor("asr-one", UserRole.ASSESSOR)
TWO = Actor("asr-two", UserRole.ASSESSOR)


def test_assessments_dump_and_reload_with_every_row_unchanged(
    loaded_engine: Engine, fresh_engine: Engine, tmp_path: Path
) -> None:
    def step(call: Any) -> Any:
        with Session(loaded_engine) as session, session.begin():
            return call(session)

    version = step(lambda s: s.get(commitments.Commitment, SCORED).version)
    step(lambda s: commitments.update(s, SEC, SCORED, version, {"guideline": GUIDELINE}))
    step(lambda s: service.score(s, ONE, SCORED, None, "2025-2026", "interim", 0,
                                 "Two of five. " + HOSTILE["rtl"],
                                 evidence_url="https://example.org/notice",
                                 evidence_title="Notice"))
    second = step(lambda s: service.score(s, ONE, SCORED, None, "2025-2026", "interim", 1,
                                          "All five."))
    step(lambda s: service.review(s, TWO, second["id"], second["version"], "agrees"))
    step(lambda s: service.score(s, TWO, SCORED, "JP", "2025-2026", "final", None,
                                 "Not assessed: no material yet."))
    with loaded_engine.connect() as connection:
        dump(connection, tmp_path / "dump")
    assert [str(p) for p in pipeline.build(tmp_path / "dump").problems] == []
    folder = tmp_path / "dump" / "assessments"
    interim = yaml.safe_load((folder / f"{SCORED}.JP.2025-2026.interim.yaml").read_text())
    assert [r["score"] for r in interim["revisions"]] == [0, 1]
    assert interim["revisions"][1]["review"]["verdict"] == "agrees"
    assert interim["revisions"][0]["evidence"][0]["url"] == "https://example.org/notice"
    final = yaml.safe_load((folder / f"{SCORED}.JP.2025-2026.final.yaml").read_text())
    assert "score" not in final["revisions"][0]  # not assessed: no score, not 0
    pipeline.load(fresh_engine, tmp_path / "dump")
    assert snapshot(fresh_engine, tracked=False) == snapshot(loaded_engine, tracked=False)
    with Session(fresh_engine) as db:
        scores = {i: s for i, s in db.execute(sa.select(Assessment.id, Assessment.score))}
    assert scores[f"{SCORED}.JP.2025-2026.final.r1"] is None
    with Session(loaded_engine) as db:
        actions = list(db.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.kind == "assessment").order_by(AuditEntry.id)))
    assert actions == ["assessment.score"] * 2 + ["assessment.review", "assessment.score"]


@pytest.mark.parametrize(("change", "message"), [
    ({"period": "2026-2025"}, "second year comes after its first"),
    ({"revisions": [{"score": True, "rationale": "x"}]}, "not true or false"),
])
def test_the_loader_refuses_what_the_app_refuses(change: dict[str, Any], message: str) -> None:
    """The rules live in the dataset's record, so a YAML file gets the app's refusal."""
    good = {"id": f"{SCORED}.JP.2025-2026.final", "commitment": SCORED, "party": "JP",
            "period": "2025-2026", "stage": "final",
            "revisions": [{"score": 1, "rationale": "x"}]}
    mr.AssessmentRecord.model_validate(good)
    bad = good | change
    bad["id"] = f"{SCORED}.JP.{bad['period']}.final"
    with pytest.raises(ValidationError, match=message):
        mr.AssessmentRecord.model_validate(bad)


# --- the assessor's form on the commitment's page ---------------------------------------------


def test_the_commitment_page_has_the_form_for_assessors_only(world: World) -> None:
    with_guideline(world)
    path = f"/en/commitments/{SCORED}"
    assert 'id="score-form"' not in world.anonymous.get(path).text
    assert 'id="score-form"' not in world.logged_in("secretariat").client.get(path).text
    assert 'id="score-form"' not in world.logged_in("focal_jp").client.get(path).text
    page = world.logged_in("assessor").client.get(path)
    assert page.status_code == 200 and 'id="score-form"' in page.text
    assert GUIDELINE["partial"] in page.text and "no-store" in page.headers["cache-control"]
    unguided = world.logged_in("assessor").client.get(f"/en/commitments/{UNGUIDED}")
    assert 'id="no-guideline"' in unguided.text
    for lang, words in (("ja", "このスコアを記録する"), ("ru", "Записать оценку")):
        translated = world.logged_in("assessor").client.get(f"/{lang}/commitments/{SCORED}")
        assert words in translated.text and "Record this score" not in translated.text


def test_the_form_scores_and_shows_refusals_at_the_field(world: World) -> None:
    with_guideline(world)
    path = f"/en/commitments/{SCORED}/assessments"
    before = world.state()
    bad = world.call_form("assessor", "POST", path, {
        "score": "1", "stage": "final", "period": "2029-2028", "rationale": "Fine."})
    assert bad.status_code == 422, bad.text
    assert 'id="err-period"' in bad.text and 'value="2029-2028"' in bad.text  # kept, at field
    blank = world.call_form("assessor", "POST", path, {
        "score": "", "stage": "final", "period": "2028", "rationale": ""})
    assert blank.status_code == 422 and 'id="err-score"' in blank.text
    assert world.state() == before
    unguided = world.call_form("assessor", "POST", f"/en/commitments/{UNGUIDED}/assessments", {
        "score": "1", "stage": "final", "period": "2028", "rationale": "Fine."})
    assert unguided.status_code == 422 and "PATCH /api/v1/commitments/" in unguided.text
    done = world.call_form("assessor", "POST", path, {
        "score": NOT_ASSESSED_FORM, "stage": "final", "period": "2028",
        "rationale": "No material found for 2028."})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/en/commitments/{SCORED}#assessments"
    stored = row(world, f"{SCORED}.JP.2028.final.r1")
    assert stored["score"] is None and stored["assessed_by"] == "assessor"
    page = world.logged_in("assessor").client.get(f"/en/commitments/{SCORED}")
    assert "No material found for 2028." in page.text
