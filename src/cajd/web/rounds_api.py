"""The JSON API for national reporting rounds: the secretariat opens and closes a round; a
party's focal point saves its party's draft report, submits it, and amends a submitted one as a
new version.

Each write parses the request and calls ``cajd.workflow.rounds`` in one transaction; a refusal
propagates to the app's handler (401/403/404/409/422 in the one error shape).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Path, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cajd.model import Evidence, ReportingRound, RoundEntry, RoundItem, RoundReport
from cajd.web.actor import ApiActor
from cajd.web.commitments_api import read_upload
from cajd.web.envelope import Envelope
from cajd.web.write_api import VERSION_MAX, WRITE_ERRORS, row_model
from cajd.workflow import rounds as service

router = APIRouter(prefix="/api/v1", tags=["monitoring"], responses=WRITE_ERRORS)

VersionField = Annotated[int, Field(ge=1, le=VERSION_MAX,
                                    description="the version the change is based on")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemText(Strict):
    en: str
    ja: str | None = None
    ru: str | None = None


class NewRound(Strict):
    title_en: str
    title_ja: str | None = None
    title_ru: str | None = None
    deadline: dt.date = Field(description="the day reports are due: 2026-03-31")
    document: str | None = Field(None, description="the action plan or roadmap reported on")
    commitments: list[str] = Field(default_factory=list, max_length=500,
                                   description="commitment ids: each an item, its description "
                                               "the item's text")
    items: list[ItemText] = Field(default_factory=list, max_length=500,
                                  description="items in the secretariat's words")


class EntryIn(Strict):
    item: str = Field(description="the item's id, e.g. caj-round-2026.item.1")
    status: str = Field(description="not_started, in_progress, completed or not_applicable")
    narrative: str | None = None
    lang: str | None = Field(None, description="the narrative's language: en, ja or ru")


class ReportSave(Strict):
    version: int | None = Field(None, ge=1, le=VERSION_MAX,
                                description="the current draft's version (omit to start one)")
    entries: list[EntryIn] = Field(default_factory=list, max_length=500)


class Versioned(Strict):
    version: VersionField


class Amendment(Strict):
    version: VersionField
    note: str = Field(description="what the amendment changes, and why")


RoundRow = row_model(ReportingRound, "RoundRow")
RoundItemRow = row_model(RoundItem, "RoundItemRow")
RoundReportRow = row_model(RoundReport, "RoundReportRow")
RoundEntryRow = row_model(RoundEntry, "RoundEntryRow")
EvidenceRow = row_model(Evidence, "RoundEvidenceRow")


class RoundWritten(RoundRow):  # type: ignore[valid-type, misc]
    items: list[RoundItemRow]  # type: ignore[valid-type]


class EntryWritten(RoundEntryRow):  # type: ignore[valid-type, misc]
    evidence: list[EvidenceRow]  # type: ignore[valid-type]


class ReportWritten(RoundReportRow):  # type: ignore[valid-type, misc]
    entries: list[EntryWritten]


def _written(data: Any) -> dict[str, Any]:
    return {"ok": True, "data": data, "meta": {}}


def _session(request: Request) -> Session:
    return Session(request.app.state.engine)


DialogueId = Annotated[str, Path(description="the dialogue whose member parties report, e.g. "
                                              "caj")]
RoundId = Annotated[str, Path(description="the round's id, e.g. caj-round-2026")]
PartyId = Annotated[str, Path(description="the reporting party, e.g. KZ")]


@router.post("/dialogues/{dialogue_id}/rounds", operation_id="openRound", name="open_round",
             status_code=201,
             response_model=Envelope[RoundWritten],
             summary="Open a reporting round with a deadline and its items (secretariat)")
def open_round(request: Request, actor: ApiActor, dialogue_id: DialogueId,
               body: Annotated[NewRound, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(service.open_round(
            db, actor, dialogue=dialogue_id, title_en=body.title_en, title_ja=body.title_ja,
            title_ru=body.title_ru, deadline=body.deadline, document=body.document,
            commitments=body.commitments, items=[i.model_dump() for i in body.items]))


@router.post("/rounds/{round_id}/close", operation_id="closeRound", name="close_round",
             response_model=Envelope[RoundWritten],
             summary="Close a round: no report is saved, submitted or amended after (secretariat)")
def close_round(request: Request, actor: ApiActor, round_id: RoundId,
                body: Annotated[Versioned, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(service.close_round(db, actor, round_id, body.version))


@router.put("/rounds/{round_id}/reports/{party}", operation_id="saveReport", name="save_report",
            response_model=Envelope[ReportWritten],
            summary="Save the party's draft report, item by item (the party's focal point)")
def save_report(request: Request, actor: ApiActor, round_id: RoundId, party: PartyId,
                body: Annotated[ReportSave, Body()]) -> dict[str, Any]:
    entries: dict[str, service.Entry] = {}
    for e in body.entries:
        entries[e.item] = (e.status, e.narrative, e.lang)
    with _session(request) as db, db.begin():
        return _written(service.save_report(db, actor, round_id, party, entries, body.version))


@router.post("/rounds/{round_id}/reports/{party}/submit", operation_id="submitReport",
             name="submit_report", response_model=Envelope[ReportWritten],
             summary="Submit the party's draft report: public and frozen from then on "
                     "(the party's focal point)")
def submit_report(request: Request, actor: ApiActor, round_id: RoundId, party: PartyId,
                  body: Annotated[Versioned, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(service.submit_report(db, actor, round_id, party, body.version))


@router.post("/rounds/{round_id}/reports/{party}/amend", operation_id="amendReport",
             name="amend_report", status_code=201, response_model=Envelope[ReportWritten],
             summary="Amend a submitted report: a new draft version with its entries, the "
                     "submitted one kept (the party's focal point)")
def amend_report(request: Request, actor: ApiActor, round_id: RoundId, party: PartyId,
                 body: Annotated[Amendment, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(service.amend_report(db, actor, round_id, party, body.version,
                                             body.note))


@router.post("/rounds/{round_id}/reports/{party}/items/{item}/evidence",
             operation_id="addReportEvidence",
             name="add_report_evidence", status_code=201, response_model=Envelope[ReportWritten],
             summary="Add evidence to an entry of the party's draft report: a link, or a file "
                     "(PDF, PNG, JPEG, text or CSV; multipart) (the party's focal point)")
def add_report_evidence(request: Request, actor: ApiActor, round_id: RoundId, party: PartyId,
                        item: Annotated[str, Path(description="the item's id, e.g. "
                                                              "caj-round-2026.item.1")],
                        version: Annotated[int, Form(ge=1, le=VERSION_MAX)],
                        url: Annotated[str | None, Form()] = None,
                        title: Annotated[str | None, Form()] = None,
                        date: Annotated[str | None, Form()] = None,
                        file: Annotated[UploadFile | str | None, File()] = None
                        ) -> dict[str, Any]:
    upload = read_upload(file)
    with _session(request) as db, db.begin():
        return _written(service.add_entry_evidence(db, actor, round_id, party, item, version,
                                                   url=url, upload=upload, title=title,
                                                   date=date))
