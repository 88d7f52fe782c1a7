"""The JSON API for commitments and their implementation: register a commitment from an adopted
document's paragraph, change its terms (the bundled record's too), record an implementation
record with a link as evidence, and add evidence (a link or an uploaded file, multipart) to it.

Each write parses the request and calls ``cajd.workflow.commitments`` in one transaction; a
refusal propagates to the app's handler (401/403/404/409/422 in the one error shape).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Path, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cajd.model import Commitment, Evidence, ImplementationRecord
from cajd.settings import get_settings
from cajd.web.actor import ApiActor
from cajd.web.envelope import Envelope
from cajd.web.write_api import VERSION_MAX, WRITE_ERRORS, row_model
from cajd.workflow import commitments as service
from cajd.workflow.evidence import Upload

router = APIRouter(prefix="/api/v1", tags=["monitoring"], responses=WRITE_ERRORS)

Text = Annotated[str | None, Field(default=None)]
Count = Annotated[int | None, Field(default=None, ge=0, le=2**63 - 1)]
VersionField = Annotated[int, Field(ge=1, le=VERSION_MAX,
                                    description="the version the change is based on")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Guideline(Strict):
    full: str = Field(description="what counts as full compliance (+1)")
    partial: str = Field(description="what counts as partial compliance or work in progress (0)")
    none: str = Field(description="what counts as no compliance, or action against it (−1)")


class NewCommitment(Strict):
    party: str = Field(description="the party that committed, e.g. JP")
    kind: str = Field(description="funding, capacity_building or policy")
    description: str
    paragraph: str = Field(description="where in the document it is written, e.g. §4(3)")
    amount: Count = None
    currency: Text = Field(None, description="ISO 4217, with an amount")
    target_quantity: Count = None
    target_unit: Text = None
    due: Text = Field(None, description="a date, month or year: 2030, 2030-06, 2030-06-30")
    areas: list[str] = Field(default_factory=list, description="area ids, e.g. water")
    guideline: Guideline | None = None


class CommitmentChange(Strict):
    version: VersionField
    kind: Text = None
    description: Text = None
    paragraph: Text = None
    amount: Count = None
    currency: Text = None
    target_quantity: Count = None
    target_unit: Text = None
    due: Text = None
    areas: list[str] | None = None
    guideline: Guideline | None = None


class NewImplementation(Strict):
    description: str
    date: Text = Field(None, description="when it happened: 2026, 2026-05 or 2026-05-12")
    implementer: Text = None
    amount: Count = None
    currency: Text = None
    quantity: Count = None
    unit: Text = None
    evidence_url: Text = Field(None, description="a link to the evidence (http or https)")
    evidence_title: Text = None


CommitmentRow = row_model(Commitment, "CommitmentRow")
ImplementationRow = row_model(ImplementationRecord, "ImplementationRow")
EvidenceRow = row_model(Evidence, "EvidenceRow")


class CommitmentWritten(CommitmentRow):  # type: ignore[valid-type, misc]
    areas: list[str]


class ImplementationWritten(ImplementationRow):  # type: ignore[valid-type, misc]
    evidence: list[EvidenceRow]  # type: ignore[valid-type]


def read_upload(file: UploadFile | str | None) -> Upload | None:
    """The uploaded file, read at most one byte past the limit (so a huge upload costs no more
    memory than a file just too big, and the service names the limit). A plain text part sent
    as ``file`` (a client that sends no file name) is taken as a text file, checked like any."""
    if isinstance(file, str):
        return Upload("evidence.txt", "text/plain", file.encode("utf-8", "surrogatepass"))
    if file is None or not file.filename:
        return None
    data = file.file.read(get_settings().evidence_max_bytes + 1)
    return Upload(file.filename, file.content_type, data)


def _written(data: Any) -> dict[str, Any]:
    return {"ok": True, "data": data, "meta": {}}


def _session(request: Request) -> Session:
    return Session(request.app.state.engine)


DocumentId = Annotated[str, Path(description="the adopted document's id")]
CommitmentId = Annotated[str, Path(description="the commitment's id, e.g. jp-2017-trainees-2000")]
RecordId = Annotated[str, Path(description="the implementation record's id")]


@router.post("/documents/{document_id}/commitments", operation_id="registerCommitment",
             name="register_commitment", status_code=201,
             response_model=Envelope[CommitmentWritten],
             summary="Register a commitment written in an adopted document (secretariat)")
def register_commitment(request: Request, actor: ApiActor, document_id: DocumentId,
                        body: Annotated[NewCommitment, Body()]) -> dict[str, Any]:
    terms = service.Terms(**body.model_dump(exclude={"party", "guideline", "areas"}),
                          areas=tuple(body.areas),
                          guideline=body.guideline.model_dump() if body.guideline else None)
    with _session(request) as db, db.begin():
        return _written(service.register(db, actor, document_id, body.party, terms))


@router.patch("/commitments/{commitment_id}", operation_id="updateCommitment",
              name="update_commitment", response_model=Envelope[CommitmentWritten],
              summary="Change a commitment's terms, its paragraph or its scoring guideline "
                      "(secretariat)")
def update_commitment(request: Request, actor: ApiActor, commitment_id: CommitmentId,
                      body: Annotated[CommitmentChange, Body()]) -> dict[str, Any]:
    sent = body.model_dump(exclude_unset=True)
    version = sent.pop("version")
    with _session(request) as db, db.begin():
        return _written(service.update(db, actor, commitment_id, version, sent))


@router.post("/commitments/{commitment_id}/implementation", operation_id="recordImplementation",
             name="record_implementation", status_code=201,
             response_model=Envelope[ImplementationWritten],
             summary="Record what was done to carry a commitment out, with a link as evidence "
                     "(secretariat, or the committing party's focal point)")
def record_implementation(request: Request, actor: ApiActor, commitment_id: CommitmentId,
                          body: Annotated[NewImplementation, Body()]) -> dict[str, Any]:
    progress = service.Progress(**body.model_dump(exclude={"evidence_url", "evidence_title"}))
    with _session(request) as db, db.begin():
        return _written(service.record_implementation(
            db, actor, commitment_id, progress, url=body.evidence_url,
            evidence_title=body.evidence_title))


@router.post("/implementation/{record_id}/evidence", operation_id="addEvidence",
             name="add_evidence", status_code=201,
             response_model=Envelope[ImplementationWritten],
             summary="Add evidence to an implementation record: a link, or a file (PDF, PNG, "
                     "JPEG, text or CSV; multipart)")
def add_evidence(request: Request, actor: ApiActor, record_id: RecordId,
                       version: Annotated[int, Form(ge=1, le=VERSION_MAX)],
                       url: Annotated[str | None, Form()] = None,
                       title: Annotated[str | None, Form()] = None,
                       date: Annotated[str | None, Form()] = None,
                       file: Annotated[UploadFile | str | None, File()] = None
                       ) -> dict[str, Any]:
    upload = read_upload(file)
    with _session(request) as db, db.begin():
        return _written(service.add_evidence(db, actor, record_id, version, url=url,
                                             upload=upload, title=title, date=date))
