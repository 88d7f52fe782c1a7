"""The JSON API for compliance assessments: an assessor scores a commitment (a new revision
each time), a second assessor reviews the latest revision, and anyone reads every revision of a
commitment's scores (without the accounts that scored or reviewed, as in the bulk downloads).

Each write parses the request and calls ``cajd.workflow.assessments`` in one transaction; a
refusal propagates to the app's handler (401/403/404/409/422 in the one error shape). The read
goes through ``cajd.read.assessments``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy.orm import Session

from cajd.dataset.monitoring_records import Score
from cajd.dataset.origins import jsonable
from cajd.model import Assessment, Evidence
from cajd.read import assessments as read
from cajd.read.record import columns
from cajd.web.actor import ApiActor
from cajd.web.api import Db
from cajd.web.envelope import ERROR_RESPONSES, Envelope
from cajd.web.write_api import VERSION_MAX, WRITE_ERRORS, _python_type, row_model
from cajd.workflow import assessments as service

router = APIRouter(prefix="/api/v1", tags=["monitoring"], responses=WRITE_ERRORS)
read_router = APIRouter(prefix="/api/v1", tags=["monitoring"], responses=ERROR_RESPONSES)

Text = Annotated[str | None, Field(default=None)]


class NewScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: Score = Field(
        description="−1 no compliance (or action against it), 0 partial or in progress, +1 full; "
                    "null is 'not assessed' (not 0), and the rationale says why")
    rationale: str = Field(description="why this score, by the commitment's guideline")
    period: str = Field(description="the period scored: 2025, or 2025-2026")
    stage: str = Field(description="interim or final")
    party: Text = Field(None, description="the party scored: the one that made the commitment "
                                          "(the default)")
    evidence_url: Text = Field(None, description="a link to the evidence (http or https)")
    evidence_title: Text = None


class NewReview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Annotated[int, Field(ge=1, le=VERSION_MAX,
                                  description="the version of the revision reviewed")]
    verdict: str = Field(description="agrees or disagrees")
    note: Text = Field(None, description="why; required when disagreeing")


AssessmentRow = row_model(Assessment, "AssessmentRow")
EvidenceRow = row_model(Evidence, "EvidenceRow")


class AssessmentWritten(AssessmentRow):  # type: ignore[valid-type, misc]
    evidence: list[EvidenceRow]  # type: ignore[valid-type]


def _public(model: type[Any], name: str, **extra: Any) -> type[BaseModel]:
    fields: dict[str, Any] = {c.key: (_python_type(c), ...) for c in columns(model.__table__)}
    built: type[BaseModel] = create_model(name, **fields, **extra)
    return built


PublicEvidence = _public(Evidence, "PublicEvidence")
PublicAssessment = _public(
    Assessment, "PublicAssessment",
    latest=(bool, Field(description="the revision that counts; earlier ones are history")),
    evidence=(list[PublicEvidence], ...),  # type: ignore[valid-type]
)


def _written(data: Any) -> dict[str, Any]:
    return {"ok": True, "data": data, "meta": {}}


def _session(request: Request) -> Session:
    return Session(request.app.state.engine)


CommitmentId = Annotated[str, Path(description="the commitment's id, e.g. jp-2017-trainees-2000")]
AssessmentId = Annotated[str, Path(
    description="the revision's id, <commitment>.<party>.<period>.<stage>.r<n>")]


@router.post("/commitments/{commitment_id}/assessments", operation_id="scoreCommitment",
             name="score_commitment", status_code=201,
             response_model=Envelope[AssessmentWritten],
             summary="Score a party's compliance with a commitment over a period, interim or "
                     "final: a new revision (assessors)")
def score_commitment(request: Request, actor: ApiActor, commitment_id: CommitmentId,
                     body: Annotated[NewScore, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(service.score(
            db, actor, commitment_id, body.party, body.period, body.stage, body.score,
            body.rationale, evidence_url=body.evidence_url, evidence_title=body.evidence_title))


@router.post("/assessments/{assessment_id}/review", operation_id="reviewAssessment",
             name="review_assessment", response_model=Envelope[AssessmentWritten],
             summary="Review the latest revision of a score: agrees or disagrees (an assessor "
                     "other than the one who scored it)")
def review_assessment(request: Request, actor: ApiActor, assessment_id: AssessmentId,
                      body: Annotated[NewReview, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(service.review(db, actor, assessment_id, body.version, body.verdict,
                                       body.note))


@read_router.get("/commitments/{commitment_id}/assessments", operation_id="listAssessments",
                 name="list_assessments",
                 response_model=Envelope[list[PublicAssessment]],  # type: ignore[valid-type]
                 summary="Every revision of a commitment's compliance scores, with reviews and "
                         "evidence")
def list_assessments(db: Db, commitment_id: CommitmentId) -> Response:
    found = [{k: jsonable(v) if k != "evidence" else [
        {ek: jsonable(ev) for ek, ev in e.items()} for e in v] for k, v in r.items()}
        for r in read.history(db, commitment_id)]
    body = Envelope[list[PublicAssessment]](data=found)  # type: ignore[valid-type]
    return Response(body.model_dump_json(), media_type="application/json")
