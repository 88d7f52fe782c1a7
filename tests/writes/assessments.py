"""Examples for compliance assessments (``cajd.web.assessments_api``): score a commitment (a new
revision each time) and review the latest revision as a second assessor.

No bundled commitment has a scoring guideline yet, so ``prepare`` has the secretariat set one
(through ``workflow.commitments``) on a commitment no other example edits; the review's score
comes from a second assessor account (``assessor-2``), since the matrix's ``assessor`` may not
review its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cajd.auth import accounts
from cajd.model import Commitment, User
from cajd.vocab import UserRole
from cajd.workflow import Actor, commitments
from cajd.workflow import assessments as service
from tests.writes.registry import World, WriteExample, register

SCORED = "jp-2017-visa-facilitation"  # Japan's commitment; no other example edits it
GUIDELINE = {"full": "Simplified visa procedures in force for all five countries.",
             "partial": "Simplified procedures for some of the countries.",
             "none": "No change to visa procedures."}
SECOND = "assessor-2"


def with_guideline(world: World, commitment_id: str = SCORED) -> str:
    with Session(world.engine) as db, db.begin():
        row = db.get(Commitment, commitment_id)
        assert row is not None
        if not row.guideline_full:
            commitments.update(db, world.actor("secretariat"), commitment_id, row.version,
                               {"guideline": GUIDELINE})
    return commitment_id


def second_assessor(world: World) -> Actor:
    with Session(world.engine) as db, db.begin():
        user = db.query(User).filter_by(name=SECOND).one_or_none()
        if user is None:
            user = accounts.add_user(db, SECOND, UserRole.ASSESSOR, None, "second assessor 2026")
        return Actor.of(user)


def guided(world: World) -> dict[str, Any]:
    return {"id": with_guideline(world)}


def scored(world: World) -> dict[str, Any]:
    """A fresh latest revision, scored by the second assessor (each call is the next one)."""
    commitment_id = with_guideline(world)
    with Session(world.engine) as db, db.begin():
        done = service.score(db, second_assessor(world), commitment_id, None, "2025-2026",
                             "interim", 0, "Procedures simplified for two of the five.")
    return {"id": done["id"], "version": done["version"]}


def scoring(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"score": 1, "period": "2025-2026", "stage": "final",
            "rationale": "Simplified procedures in force for all five (guideline: full).",
            "evidence_url": "https://example.org/visa-notice", "evidence_title": "The notice"}


register(WriteExample(
    route="score_commitment", method="POST", prepare=guided,
    path=lambda ctx: f"/api/v1/commitments/{ctx['id']}/assessments", body=scoring,
    allowed="assessor", other_party="focal_jp", versioned=False, form=False,
    text_fields=("rationale", "evidence_title")))
register(WriteExample(
    route="review_assessment", method="POST", prepare=scored,
    path=lambda ctx: f"/api/v1/assessments/{ctx['id']}/review",
    body=lambda ctx: {"version": ctx["version"], "verdict": "disagrees",
                      "note": "The second country's procedure is not yet in force."},
    allowed="assessor", other_party="focal_jp", versioned=True, form=False,
    text_fields=("note",)))
register(WriteExample(
    route="score_commitment_form", method="POST", prepare=guided,
    path=lambda ctx: f"/en/commitments/{ctx['id']}/assessments",
    body=lambda ctx: {"score": "-1", "stage": "interim", "period": "2027",
                      "rationale": "Procedures tightened in 2027 (guideline: none).",
                      "evidence_url": "https://example.org/2027"},
    allowed="assessor", other_party="focal_jp", versioned=False, form=True,
    text_fields=("rationale",)))
register(WriteExample(
    route="review_assessment_form", method="POST", prepare=scored,
    path=lambda ctx: f"/en/assessments/{ctx['id']}/review",
    body=lambda ctx: {"version": ctx["version"], "verdict": "agrees", "note": "Checked."},
    allowed="assessor", other_party="focal_jp", versioned=True, form=True,
    text_fields=("note",)))
