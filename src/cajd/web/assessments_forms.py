"""The assessor's form on a commitment's page, in en/ja/ru: score a party's compliance over a
period, interim or final (+1, 0, −1 or not assessed), with a rationale and a link as evidence.
Complete without JavaScript; the form carries the session's CSRF token.

Shown to a logged-in assessor only (a logged-in page is never cached: ``pages.page``), with the
commitment's guideline next to it and every revision scored so far. The POST parses the form and
calls ``cajd.workflow.assessments.score`` in one transaction, then redirects (303) back to the
page; a value the service refuses (``Invalid``) re-renders the page with the message next to its
field (422); other refusals (403, 404) are the app's refusal page. No rule lives here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd.model import Assessment, Commitment
from cajd.read import assessments as read
from cajd.vocab import AssessmentStage, ReviewVerdict, UserRole
from cajd.web.actor import FormActor, page_actor
from cajd.web.meetings_forms import _blank, _version, field_errors
from cajd.web.pages import Lang, commitment_page
from cajd.web.viewer import current
from cajd.workflow import Invalid
from cajd.workflow import assessments as service
from cajd.workflow.commitments import GUIDELINE_LEVELS

router = APIRouter(include_in_schema=False)

# The form's score choices: the scale's values, and "none" for not assessed (which is not 0).
NOT_ASSESSED = "none"
SCORES = ("1", "0", "-1", NOT_ASSESSED)
# Form fields the page shows messages at; any other message goes above the form.
FIELDS = ("score", "stage", "period", "rationale", "evidence_url")


def scoring(request: Request, db: Session, commitment_id: str, lang: str,
            values: dict[str, str] | None = None,
            errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What the commitment page needs for the assessor's form: nothing for anyone else."""
    actor = page_actor(request) if current(request) is not None else None
    if actor is None or actor.disabled or actor.role is not UserRole.ASSESSOR:
        return {}
    row = db.get(Commitment, commitment_id)
    guideline = {level: getattr(row, f"guideline_{level}") for level in GUIDELINE_LEVELS
                 } if row is not None else {}
    errors = errors or {}
    who = current(request)
    return {"scoring": {
        "values": values or {"stage": AssessmentStage.INTERIM.value},
        "errors": errors,
        "general": [m for k, ms in errors.items() if k not in FIELDS for m in ms],
        "guideline": guideline if all(guideline.values()) else None,
        "history": read.history(db, commitment_id),
        # a review names the version it is based on (the public history leaves versions out)
        "versions": {a.id: a.version for a in db.scalars(sa.select(Assessment).where(
            Assessment.commitment_id == commitment_id))},
        "verdicts": [(v.value, v.label(lang)) for v in ReviewVerdict],
        "scores": SCORES, "stages": [s.value for s in AssessmentStage],
        "csrf": who.csrf if who else "",
    }}


def _score(fields: dict[str, str], subject: str) -> int | None:
    given = (fields.get("score") or "").strip()
    if given == NOT_ASSESSED:
        return None
    if given not in SCORES:
        raise Invalid([f"{subject}: score: choose +1, 0, −1 or not assessed"])
    return int(given)


def _again(request: Request, lang: str, commitment_id: str, fields: dict[str, str],
           exc: Invalid) -> Response:
    """The commitment's page again, the refused values kept and each message at its field."""
    with Session(request.app.state.engine) as db:
        response = commitment_page(request, lang, db, commitment_id, scoring(
            request, db, commitment_id, lang, fields, field_errors(exc.problems)))
    response.status_code = 422
    return response


@router.post("/{lang}/commitments/{commitment_id}/assessments", name="score_commitment_form")
def score_post(request: Request, lang: Lang, commitment_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    try:
        with Session(request.app.state.engine) as db, db.begin():
            service.score(db, actor, commitment_id, None, fields.get("period", "").strip(),
                          fields.get("stage", ""),
                          _score(fields, f"assessment of {commitment_id}"),
                          fields.get("rationale"), evidence_url=_blank(fields.get("evidence_url")))
    except Invalid as exc:
        return _again(request, lang, commitment_id, fields, exc)
    return RedirectResponse(f"/{lang}/commitments/{commitment_id}#assessments", status_code=303)


@router.post("/{lang}/assessments/{assessment_id}/review", name="review_assessment_form")
def review_post(request: Request, lang: Lang, assessment_id: str, posted: FormActor) -> Response:
    """A second assessor's verdict on a score's latest revision; the service refuses the
    assessor who gave it (403) and a superseded or stale revision (409)."""
    actor, fields = posted
    with Session(request.app.state.engine) as db:
        row = db.get(Assessment, assessment_id)
        commitment_id = row.commitment_id if row is not None else ""
    try:
        with Session(request.app.state.engine) as db, db.begin():
            service.review(db, actor, assessment_id, _version(fields),
                           fields.get("verdict", ""), _blank(fields.get("note")))
    except Invalid as exc:
        return _again(request, lang, commitment_id, fields, exc)
    return RedirectResponse(f"/{lang}/commitments/{commitment_id}#assessments", status_code=303)
