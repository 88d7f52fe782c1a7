"""The JSON API for outcome documents: draft, revise, circulate, endorse (with a reservation),
comment, object, adopt, withdraw; and, for those who may see them, a document's adoption (its
versions, endorsements and comments) and the diff between two versions.

Each write parses the request and calls ``cajd.workflow.documents`` in one transaction; a refusal
propagates to the app's handler (401/403/404/409/422 in the one error shape). No rule lives here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cajd.model import Document, DocumentComment, DocumentVersion, Endorsement
from cajd.read import adoption as reading
from cajd.read.diff import DiffView, diff_versions
from cajd.web.actor import ApiActor, ReadActor
from cajd.web.envelope import Envelope
from cajd.web.write_api import VERSION_MAX, WRITE_ERRORS, Version, row_model
from cajd.workflow import documents

router = APIRouter(prefix="/api/v1", tags=["documents"], responses=WRITE_ERRORS)

Text = Annotated[str | None, Field(default=None)]
VersionField = Annotated[int, Field(ge=1, le=VERSION_MAX,
                                    description="the document's version the act is based on")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewDocument(Strict):
    kind: str = Field(description="joint_statement, declaration, action_plan, roadmap, "
                                  "joint_press_release, press_release, chairs_summary or other")
    title_en: str
    title_ja: Text = None
    title_ru: Text = None
    text: Text = Field(None, description="the draft text (version 1)")
    description: Text = None
    note: Text = None


class Revision(Strict):
    version: VersionField
    title_en: str
    title_ja: Text = None
    title_ru: Text = None
    text: Text = None
    note: Text = Field(None, description="what the revision changes, and why")


class Endorsing(Strict):
    version: VersionField
    party: str = Field(description="the endorsing member party: the focal point's own")
    reservation: Text = Field(None, description="a reservation, shown with the adopted text")


class Remark(Strict):
    version: VersionField
    text: str
    party: Text = Field(None, description="the party speaking (a focal point's own; default: "
                                          "it); none for the secretariat")


DocumentRow = row_model(Document, "DocumentRow")
VersionRow = row_model(DocumentVersion, "DocumentVersionRow")
EndorsementRow = row_model(Endorsement, "EndorsementRow")
CommentRow = row_model(DocumentComment, "DocumentCommentRow")


class DocumentWritten(DocumentRow):  # type: ignore[valid-type, misc]
    versions: list[VersionRow]  # type: ignore[valid-type]
    endorsements: list[EndorsementRow]  # type: ignore[valid-type]
    comments: list[CommentRow]  # type: ignore[valid-type]


def _written(data: Any) -> dict[str, Any]:
    return {"ok": True, "data": data, "meta": {}}


def _session(request: Request) -> Session:
    return Session(request.app.state.engine)


EventId = Annotated[str, Path(description="the event's id, e.g. caj-fmm-10")]
DocumentId = Annotated[str, Path(description="the document's id, e.g. "
                                             "caj-fmm-10-joint-statement")]
Written = Envelope[DocumentWritten]


@router.post("/events/{event_id}/documents", operation_id="draftDocument",
             name="draft_document", status_code=201, response_model=Written,
             summary="Draft an outcome document of a meeting (secretariat)")
def draft_document(request: Request, actor: ApiActor, event_id: EventId,
                   body: Annotated[NewDocument, Body()]) -> dict[str, Any]:
    title = {"en": body.title_en, "ja": body.title_ja, "ru": body.title_ru}
    with _session(request) as db, db.begin():
        return _written(documents.draft(db, actor, event_id, body.kind, title, body.text,
                                        body.description, body.note))


@router.post("/documents/{document_id}/versions", operation_id="reviseDocument",
             name="revise_document", status_code=201, response_model=Written,
             summary="A new version of a document's text (secretariat); of an adopted document, "
                     "an amendment: the adopted text stays until it is adopted")
def revise_document(request: Request, actor: ApiActor, document_id: DocumentId,
                    body: Annotated[Revision, Body()]) -> dict[str, Any]:
    title = {"en": body.title_en, "ja": body.title_ja, "ru": body.title_ru}
    with _session(request) as db, db.begin():
        return _written(documents.revise(db, actor, document_id, body.version, title,
                                         body.text, body.note))


@router.post("/documents/{document_id}/circulate", operation_id="circulateDocument",
             name="circulate_document", response_model=Written,
             summary="Circulate a draft to the parties for endorsement (secretariat)")
def circulate_document(request: Request, actor: ApiActor, document_id: DocumentId,
                       version: Version) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(documents.circulate(db, actor, document_id, version))


@router.post("/documents/{document_id}/endorsements", operation_id="endorseDocument",
             name="endorse_document", status_code=201, response_model=Written,
             summary="Endorse the circulated version for a member party, optionally with a "
                     "reservation (that party's focal point)")
def endorse_document(request: Request, actor: ApiActor, document_id: DocumentId,
                     body: Annotated[Endorsing, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(documents.endorse(db, actor, document_id, body.version, body.party,
                                          body.reservation))


@router.post("/documents/{document_id}/comments", operation_id="commentOnDocument",
             name="comment_on_document", status_code=201, response_model=Written,
             summary="Comment on the version under discussion (secretariat, or a party's "
                     "focal point)")
def comment_on_document(request: Request, actor: ApiActor, document_id: DocumentId,
                        body: Annotated[Remark, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(documents.comment(db, actor, document_id, body.version, body.text,
                                          body.party))


@router.post("/documents/{document_id}/objections", operation_id="objectToDocument",
             name="object_to_document", status_code=201, response_model=Written,
             summary="Record a party's objection (its focal point); it never blocks adoption")
def object_to_document(request: Request, actor: ApiActor, document_id: DocumentId,
                       body: Annotated[Remark, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(documents.object_to(db, actor, document_id, body.version, body.text,
                                            body.party))


@router.post("/documents/{document_id}/adopt", operation_id="adoptDocument",
             name="adopt_document", response_model=Written,
             summary="Adopt the circulated version (secretariat); a 422 names the member parties "
                     "whose endorsement is missing")
def adopt_document(request: Request, actor: ApiActor, document_id: DocumentId,
                   version: Version) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(documents.adopt(db, actor, document_id, version))


@router.post("/documents/{document_id}/withdraw", operation_id="withdrawDocument",
             name="withdraw_document", response_model=Written,
             summary="Withdraw a draft or circulated text (secretariat); an adopted document's "
                     "pending amendment goes, its adopted text stands")
def withdraw_document(request: Request, actor: ApiActor, document_id: DocumentId,
                      version: Version) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(documents.withdraw(db, actor, document_id, version))


# --- reads for those who may see drafts -----------------------------------------------------------


def _private(data: BaseModel) -> JSONResponse:
    """An answer that may hold drafts: never stored by a shared cache."""
    return JSONResponse({"ok": True, "data": data.model_dump(mode="json"), "meta": {}},
                        headers={"Cache-Control": "private, no-store"})


@router.get("/documents/{document_id}/adoption", operation_id="getDocumentAdoption",
            name="document_adoption", response_model=Envelope[reading.AdoptionView],
            summary="A document's status, versions, endorsements (with reservations) and "
                    "comments; of a draft or circulated text, only for the secretariat and the "
                    "parties concerned (404 for others)")
def document_adoption(request: Request, actor: ReadActor,
                      document_id: DocumentId) -> JSONResponse:
    with _session(request) as db:
        return _private(reading.adoption(db, actor, document_id))


@router.get("/documents/{document_id}/diff", operation_id="getDocumentDiff",
            name="document_diff", response_model=Envelope[DiffView],
            summary="The changes between two versions of a document, line by line (as "
                    "getDocumentAdoption, drafts only for those who may see them)")
def document_diff(request: Request, actor: ReadActor, document_id: DocumentId,
                  from_: Annotated[int, Query(alias="from", ge=1, le=10_000)] = 1,
                  to: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> JSONResponse:
    with _session(request) as db:
        return _private(diff_versions(reading.adoption(db, actor, document_id), from_, to))
