"""The JSON API for running a meeting: convene, status, delegations, guests and the agenda.

Each route parses the request and calls ``cajd.workflow`` (``meetings``, ``delegations``) in one
transaction; a refusal propagates to the app's handler (401/403/404/409/422 in the one error
shape; a 409 carries the row, or the agenda's order, as it is now). No rule lives here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cajd.model import AgendaItem, DelegationMember
from cajd.web.actor import ApiActor
from cajd.web.envelope import Envelope
from cajd.web.write_api import (
    VERSION_MAX,
    WRITE_ERRORS,
    DelegationRow,
    EventRow,
    Version,
    row_model,
)
from cajd.workflow import delegations, meetings

router = APIRouter(prefix="/api/v1", tags=["meetings"], responses=WRITE_ERRORS)

Text = Annotated[str | None, Field(default=None)]
VersionField = Annotated[int, Field(ge=1, le=VERSION_MAX,
                                    description="the version the change is based on")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Convene(Strict):
    start: str = Field(description="the first day, or the month or year: YYYY[-MM[-DD]]")
    end: Text = None
    number: int | None = Field(None, ge=1, le=10_000,
                               description="default: one after the body's highest held or "
                                           "planned meeting")
    name_en: Text = Field(None, description="default: '10th Foreign Ministers' Meeting' …")
    name_ja: Text = None
    name_ru: Text = None
    city: Text = None
    country: Text = Field(None, description="ISO 3166-1 alpha-2")
    venue: Text = None
    host: Text = Field(None, description="the host party's id")
    format: str = Field("in_person", description="in_person, video or hybrid")
    description: Text = None


class StatusChange(Strict):
    version: VersionField
    status: str = Field(description="held, cancelled, postponed or planned")
    cancellation_reason: Text = Field(None, description="required to cancel; only then")


class Member(Strict):
    person: Text = Field(None, description="a person's id in the record")
    name: Text = Field(None, description="the member's name, where the record has no person")
    title: Text = None
    rank: Text = None


class Registration(Strict):
    party: str = Field(description="the party's id: a focal point's own")
    head: Text = Field(None, description="the head's id in the record (persons)")
    head_name: Text = Field(None, description="the head's name, where the record has no person")
    title: Text = Field(None, description="the head's title")
    rank: Text = Field(None, description="head_of_state … embassy_staff")
    note: Text = None
    members: list[Member] = Field(default_factory=list, max_length=200)
    version: int | None = Field(None, ge=1, le=VERSION_MAX,
                                description="to amend a registration: the version it is based on")


class Invitation(Strict):
    party: str = Field(description="the guest party's id; a new party needs kind and name_en")
    kind: Text = Field(None, description="a new party's kind: state or organisation")
    name_en: Text = None
    name_ja: Text = None
    name_ru: Text = None


class NewItem(Strict):
    title_en: str
    title_ja: Text = None
    title_ru: Text = None
    areas: list[str] = Field(default_factory=list, max_length=50)
    position: int | None = Field(None, ge=1, le=10_000, description="1 = first; default: last")


class Order(Strict):
    order: list[str] = Field(max_length=1_000,
                             description="every active item's id, once, in the new order")


MemberRow = row_model(DelegationMember, "DelegationMemberRow")
ItemRow = row_model(AgendaItem, "AgendaItemRow")


class RegisteredDelegation(DelegationRow):  # type: ignore[valid-type, misc]
    members: list[MemberRow]  # type: ignore[valid-type]


class ItemWithAreas(ItemRow):  # type: ignore[valid-type, misc]
    areas: list[str]


def _written(data: Any) -> dict[str, Any]:
    return {"ok": True, "data": data, "meta": {}}


def _session(request: Request) -> Session:
    return Session(request.app.state.engine)


BodyId = Annotated[str, Path(description="the body's id, e.g. caj-fmm")]
EventId = Annotated[str, Path(description="the event's id, e.g. caj-fmm-10")]
DelegationId = Annotated[str, Path(description="the delegation's id, e.g. caj-fmm-10.KZ")]
ItemId = Annotated[str, Path(description="the agenda item's id, e.g. caj-fmm-10.agenda.2")]


@router.post("/bodies/{body_id}/events", operation_id="conveneMeeting", name="convene_meeting",
             status_code=201, summary="Convene a meeting of a body: a planned event (secretariat)",
             response_model=Envelope[EventRow])  # type: ignore[valid-type]
def convene_meeting(request: Request, actor: ApiActor, body_id: BodyId,
                    body: Annotated[Convene, Body()]) -> dict[str, Any]:
    sent = body.model_dump()
    name = {lang: sent.pop(f"name_{lang}") for lang in ("en", "ja", "ru")}
    with _session(request) as db, db.begin():
        return _written(meetings.convene(db, actor, body_id, name=name, **sent))


@router.post("/events/{event_id}/status", operation_id="setEventStatus", name="set_event_status",
             summary="Mark a meeting held, cancelled (with a reason), postponed or planned "
                     "(secretariat)",
             response_model=Envelope[EventRow])  # type: ignore[valid-type]
def set_event_status(request: Request, actor: ApiActor, event_id: EventId,
                     body: Annotated[StatusChange, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(meetings.set_status(db, actor, event_id, body.version, body.status,
                                            body.cancellation_reason))


@router.post("/events/{event_id}/delegations", operation_id="registerDelegation",
             name="register_delegation",
             summary="Register (or amend, with its version) a party's delegation to a planned "
                     "meeting (the party's focal point, or the secretariat)",
             response_model=Envelope[RegisteredDelegation])
def register_delegation(request: Request, actor: ApiActor, event_id: EventId,
                        body: Annotated[Registration, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(delegations.register(
            db, actor, event_id, body.party, head=body.head, head_name=body.head_name,
            title=body.title, rank=body.rank, note=body.note,
            member_list=[m.model_dump() for m in body.members], version=body.version))


@router.post("/delegations/{delegation_id}/confirm", operation_id="confirmDelegation",
             name="confirm_delegation",
             summary="Confirm a registered delegation (secretariat)",
             response_model=Envelope[RegisteredDelegation])
def confirm_delegation(request: Request, actor: ApiActor, delegation_id: DelegationId,
                       version: Version) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(delegations.confirm(db, actor, delegation_id, version))


@router.post("/events/{event_id}/guests", operation_id="inviteGuest", name="invite_guest",
             status_code=201,
             summary="Invite a guest party, or a new party as a guest (secretariat)",
             response_model=Envelope[RegisteredDelegation])
def invite_guest(request: Request, actor: ApiActor, event_id: EventId,
                 body: Annotated[Invitation, Body()]) -> dict[str, Any]:
    new_party = None
    if body.kind is not None or body.name_en is not None:
        new_party = {"kind": body.kind, "name": {
            lang: value for lang in ("en", "ja", "ru")
            if (value := getattr(body, f"name_{lang}")) is not None}}
    with _session(request) as db, db.begin():
        return _written(delegations.invite_guest(db, actor, event_id, body.party,
                                                 new_party=new_party))


@router.post("/events/{event_id}/agenda", operation_id="addAgendaItem", name="add_agenda_item",
             status_code=201, summary="Add an item to a meeting's agenda (secretariat)",
             response_model=Envelope[ItemWithAreas])
def add_agenda_item(request: Request, actor: ApiActor, event_id: EventId,
                    body: Annotated[NewItem, Body()]) -> dict[str, Any]:
    title = {"en": body.title_en, "ja": body.title_ja, "ru": body.title_ru}
    with _session(request) as db, db.begin():
        return _written(meetings.add_item(db, actor, event_id, title, body.areas, body.position))


@router.post("/events/{event_id}/agenda/order", operation_id="reorderAgenda",
             name="reorder_agenda",
             summary="Reorder a meeting's active agenda items (secretariat); an order naming "
                     "other items than the agenda holds is a 409 with the current order",
             response_model=Envelope[list[ItemWithAreas]])
def reorder_agenda(request: Request, actor: ApiActor, event_id: EventId,
                   body: Annotated[Order, Body()]) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(meetings.reorder(db, actor, event_id, body.order))


@router.post("/agenda-items/{item_id}/withdraw", operation_id="withdrawAgendaItem",
             name="withdraw_agenda_item",
             summary="Withdraw an agenda item; it stays on the agenda, marked withdrawn "
                     "(secretariat)",
             response_model=Envelope[ItemWithAreas])
def withdraw_agenda_item(request: Request, actor: ApiActor, item_id: ItemId,
                         version: Version) -> dict[str, Any]:
    with _session(request) as db, db.begin():
        return _written(meetings.withdraw(db, actor, item_id, version))
