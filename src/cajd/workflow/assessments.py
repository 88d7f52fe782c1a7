"""Compliance assessments by the G7 Research Group's method: each a write of the one write path
(permission by ``rules.can``, the dataset's records and messages, one transaction, one audit
entry).

An assessor scores one commitment for the party that made it, over a period (``2025`` or
``2025-2026``), at a stage (interim or final): −1, 0 or +1, or ``None``, "not assessed", which is
not 0 and still says why. The score applies the commitment's own guideline (what counts as full,
partial and no compliance), so a commitment without one cannot be scored. A changed score is the
next revision; earlier revisions stay as they were (the reports are "living documents"). A
second assessor may review the latest revision: agrees, or disagrees and says why.

Ids are the dataset's (``dataset.monitoring``): ``<commitment>.<party>.<period>.<stage>.rN``, its
evidence ``….rN.evidence.M``, so ``cajd data dump`` writes back exactly what was scored here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cajd.dataset import monitoring_records as mr
from cajd.dataset.monitoring import revision_id
from cajd.model import Assessment, Commitment
from cajd.vocab import AssessmentStage, Origin, ReviewVerdict
from cajd.workflow import checks
from cajd.workflow import evidence as ev
from cajd.workflow.commitments import GUIDELINE_LEVELS, ForCommitment
from cajd.workflow.errors import Conflict, Forbidden, Invalid
from cajd.workflow.meetings import _allowed, _current, live
from cajd.workflow.rules import Actor
from cajd.workflow.service import _audit, _flush, snapshot


def view(session: Session, row: Assessment) -> dict[str, Any]:
    return snapshot(row) | {"evidence": [snapshot(e) for e in
                                         ev.of(session, "assessment", row.id)]}


def _blank(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else value


def _same_cell(key: tuple[str, str, str, Any]) -> sa.ColumnElement[bool]:
    commitment, party, period, stage = key
    return sa.and_(Assessment.commitment_id == commitment, Assessment.party_id == party,
                   Assessment.period == period, Assessment.stage == stage)


def _latest(session: Session, key: tuple[str, str, str, Any]) -> Assessment | None:
    query = sa.select(Assessment).where(_same_cell(key), Assessment.deleted_at.is_(None))
    return session.scalars(query.order_by(Assessment.revision.desc()).limit(1)).first()


def _check_guideline(subject: str, commitment: Commitment) -> None:
    missing = [level for level in GUIDELINE_LEVELS
               if not (getattr(commitment, f"guideline_{level}") or "").strip()]
    if missing:
        raise Invalid([
            f"{subject}: guideline: the commitment has no scoring guideline for "
            f"{', '.join(missing)} compliance; the secretariat sets it first "
            f"(PATCH /api/v1/commitments/{commitment.id} with guideline full, partial and none)"])


def score(session: Session, actor: Actor, commitment_id: str, party: str | None, period: str,
          stage: str, value: int | None, rationale: str | None, *,
          evidence_url: str | None = None, evidence_title: str | None = None,
          upload: ev.Upload | None = None) -> dict[str, Any]:
    """Score ``commitment_id`` for ``party`` (its own party; None means that one) over
    ``period`` at ``stage``: a new revision, the first or the next after the latest."""
    commitment: Commitment = live(session, Commitment, "commitment", commitment_id)
    _allowed(actor, "assessment.score", ForCommitment(commitment.party_id, commitment_id),
             f"an assessment of {commitment_id!r}")
    subject = f"assessment of {commitment_id}"
    party = _blank(party) or commitment.party_id
    if party != commitment.party_id:
        raise Invalid([f"{subject}: party: a commitment is scored for the party that made it "
                       f"({commitment.party_id!r}), not {party!r}"])
    cell = checks.fields(mr.AssessmentRecord, subject, {"period": period, "stage": stage})
    now = dt.datetime.now(dt.UTC)
    rev = checks.record(mr.RevisionRecord, subject, {
        "score": value, "rationale": rationale, "by": actor.name, "at": now})
    checks.lengths(Assessment, subject, {"rationale": rev.rationale})
    _check_guideline(subject, commitment)
    stage_value = AssessmentStage(cell["stage"])
    key = (commitment_id, party, cell["period"], stage_value)
    previous = _latest(session, key)
    number = previous.revision + 1 if previous else 1
    file_id = mr.assessment_file_id(commitment_id, party, cell["period"], stage_value.value)
    row = Assessment(
        id=revision_id(file_id, number), commitment_id=commitment_id, party_id=party,
        period=cell["period"], stage=stage_value, revision=number, score=rev.score,
        rationale=rev.rationale, assessed_by=actor.name, assessed_at=now,
        origin=Origin.WORKSPACE)
    checks.lengths(Assessment, subject, {"id": row.id})
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{row.id!r} was scored by someone else meanwhile; score again on the "
                       "latest revision", {}) from None
    if _blank(evidence_url) or upload is not None:
        ev.attach(session, actor, "assessment", row.id, url=evidence_url, upload=upload,
                  title=evidence_title, prefix="evidence_")
    after = view(session, row)
    # The audit's "before" is the revision this one supersedes: the change of score, as a diff.
    _audit(session, actor, "assessment.score", "assessment", row,
           view(session, previous) if previous else None, after)
    return after


def review(session: Session, actor: Actor, assessment_id: str, version: int, verdict: str,
           note: str | None = None) -> dict[str, Any]:
    """A second assessor's review of the latest revision of a score."""
    row: Assessment = live(session, Assessment, "assessment", assessment_id)
    _allowed(actor, "assessment.review", row, repr(assessment_id))
    _current(row, version)
    subject = f"assessment {assessment_id}"
    latest = _latest(session, (row.commitment_id, row.party_id, row.period, row.stage))
    if latest is not None and latest.id != row.id:
        raise Conflict(f"{assessment_id!r} is superseded by revision {latest.revision} "
                       f"({latest.id!r}); review that one", snapshot(latest))
    if row.assessed_by == actor.name:
        raise Forbidden(f"{actor.name} scored {assessment_id!r}: a review is by a second "
                        "assessor, not the one who scored it")
    if row.reviewed_by is not None:
        raise Conflict(f"{assessment_id!r} was already reviewed by {row.reviewed_by}; a new "
                       "score (the next revision) can be reviewed again", snapshot(row))
    now = dt.datetime.now(dt.UTC)
    rec = checks.record(mr.ReviewRecord, subject, {
        "by": actor.name, "at": now, "verdict": verdict, "note": note})
    if rec.verdict is ReviewVerdict.DISAGREES and not rec.note:
        raise Invalid([f"{subject}: note: say why you disagree with the score"])
    checks.lengths(Assessment, subject, {"review_note": rec.note})
    before = view(session, row)
    row.reviewed_by, row.reviewed_at = actor.name, now
    row.review_verdict, row.review_note = rec.verdict, rec.note or None
    row.origin = Origin.WORKSPACE
    _flush(session, row)
    after = view(session, row)
    _audit(session, actor, "assessment.review", "assessment", row, before, after)
    return after
