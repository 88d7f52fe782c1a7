"""The JSON API for reminders: remind the parties of an open round that have not submitted
(the secretariat; ``cajd rounds remind`` does the same from a cron job), and list a round's
reminders with each party's report and overdue flag (the secretariat only: addresses).

The route parses nothing but the round's id and calls ``cajd.workflow.reminders`` in one
transaction; a refusal propagates to the app's handler (401/403/404/422 in the one error shape).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from cajd.model import Reminder
from cajd.web.actor import ApiActor
from cajd.web.envelope import Envelope
from cajd.web.write_api import WRITE_ERRORS, row_model
from cajd.workflow import reminders as service

router = APIRouter(prefix="/api/v1", tags=["monitoring"], responses=WRITE_ERRORS)


class PartyReminder(BaseModel):
    party: str = Field(description="the party reminded, e.g. KZ")
    done: str = Field(description="`reminded` by this call, or `already` reminded for this "
                                  "deadline (by an earlier call)")
    reminder: str = Field(description="the reminder's id: round, party and deadline")
    delivery: str | None = Field(None, description="sent, logged (no SMTP server configured, "
                                                   "or no address) or failed; None if already")
    recipients: list[str] = Field(default_factory=list,
                                  description="the focal points' addresses it went to")
    detail: str | None = Field(None, description="the mail server's answer, or why not sent")


class RemindResult(BaseModel):
    round: str
    deadline: str
    overdue: bool = Field(description="whether the deadline is past")
    submitted: list[str] = Field(description="the parties that submitted (not reminded)")
    parties: list[PartyReminder]


ReminderRow = row_model(Reminder, "ReminderRow")


class PartyReport(BaseModel):
    party: str
    report: str | None = Field(description="`submitted`, `draft`, or None (not started)")
    overdue: bool = Field(description="not submitted, and the open round's deadline is past")


class RoundReminders(BaseModel):
    round: str
    deadline: str
    status: str = Field(description="the round's status: open or closed")
    overdue: bool = Field(description="whether the open round's deadline is past")
    parties: list[PartyReport] = Field(description="each member party of the dialogue")
    reminders: list[ReminderRow]  # type: ignore[valid-type]


RoundId = Annotated[str, Path(description="the round's id, e.g. caj-round-2026")]


@router.post("/rounds/{round_id}/reminders", operation_id="remindRound", name="remind_round",
             response_model=Envelope[RemindResult],
             summary="Remind by e-mail the member parties that have not submitted their report "
                     "in an open round, once per deadline (secretariat)")
def remind_round(request: Request, actor: ApiActor, round_id: RoundId) -> dict[str, Any]:
    with Session(request.app.state.engine) as db, db.begin():
        done = service.remind(db, actor, round_id)
    return {"ok": True, "data": done, "meta": {}}


@router.get("/rounds/{round_id}/reminders", operation_id="listRoundReminders",
            name="list_round_reminders", response_model=Envelope[RoundReminders],
            summary="A round's reminders, and each member party's report and overdue flag "
                    "(secretariat)")
def list_round_reminders(request: Request, actor: ApiActor, round_id: RoundId) -> dict[str, Any]:
    with Session(request.app.state.engine) as db:
        found = service.listing(db, actor, round_id)
    return {"ok": True, "data": found, "meta": {"total": len(found["reminders"])}}
