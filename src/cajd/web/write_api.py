"""The JSON write API for record edits: change, soft-delete and restore an event or a delegation.

Each route only parses the request and calls ``cajd.workflow`` in one transaction; a refusal
(``WorkflowError``) propagates to the app's handler, which answers in the one error shape (a 409
carries the row as it is now). The request models take their field types from the dataset's own
records, and the service validates again with the loader's messages, so no rule lives here.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy.orm import Session

from cajd import workflow
from cajd.model import Base, Delegation, Event
from cajd.web.actor import ApiActor
from cajd.web.envelope import Envelope, ErrorBody
from cajd.workflow.service import EDITABLE

VERSION_MAX = 2**31 - 1  # the version column is a 32-bit integer on PostgreSQL


class ConflictBody(ErrorBody):
    """A stale version: nothing was written; ``current`` is the row as it is now."""

    current: dict[str, Any] = Field(default_factory=dict)


WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body is not JSON"},
    401: {"model": ErrorBody, "description": "No valid API token, and no logged-in session"},
    403: {"model": ErrorBody,
          "description": "The actor may not do this (or a session lacks its X-CSRF-Token)"},
    404: {"model": ErrorBody, "description": "No such record (or it is, or is not, deleted)"},
    409: {"model": ConflictBody,
          "description": "The version is stale: nothing was written; `current` is the row now"},
    422: {"model": ErrorBody,
          "description": "A value breaks the record's rules; each error names its field"},
}

router = APIRouter(prefix="/api/v1", tags=["write"], responses=WRITE_ERRORS)

Version = Annotated[int, Query(ge=1, le=VERSION_MAX,
                               description="the version the change is based on")]


def _python_type(column: sa.ColumnElement[Any]) -> Any:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        found: Any = bool
    elif isinstance(kind, sa.Integer):
        found = int
    elif isinstance(kind, sa.JSON):
        found = Any
    else:  # strings, vocabularies, dates and times: as the service's snapshot writes them
        found = str
    return found | None if column.nullable else found


def row_model(model: type[Base], name: str) -> type[BaseModel]:
    """The row as the service returns it (``workflow.service.snapshot``): every column."""
    columns = model.__table__.columns
    fields: dict[str, Any] = {c.key: (_python_type(c), ...) for c in columns}
    built: type[BaseModel] = create_model(name, **fields)
    return built


def change_model(kind: str, name: str) -> type[BaseModel]:
    """The body of a change: the version it is based on and any of the editable columns, each
    typed as the dataset's record types it (the service checks the values themselves)."""
    editable = EDITABLE[kind]
    record_fields = editable.record.model_fields
    fields: dict[str, Any] = {"version": (int, Field(ge=1, le=VERSION_MAX))}
    for column, field in editable.fields.items():
        declared = record_fields[field]
        # A field the record lets be empty may be sent as null (cleared); any other may only be
        # left out (its default here is never validated: an absent field is unchanged).
        fields[column] = (declared.annotation, Field(None, description=declared.description))
    built: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    return built


EventRow = row_model(Event, "EventRow")
DelegationRow = row_model(Delegation, "DelegationRow")
EventChange = change_model("event", "EventChange")
DelegationChange = change_model("delegation", "DelegationChange")


def _changes(body: BaseModel) -> tuple[int, dict[str, Any]]:
    # Only the fields the client sent: an absent field is unchanged, a null one is cleared.
    sent = body.model_dump(exclude_unset=True, mode="json")
    return sent.pop("version"), sent


def _written(row: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "data": row, "meta": {}}


def _update(request: Request, actor: workflow.Actor, kind: str, record_id: str,
            body: BaseModel) -> dict[str, Any]:
    version, changes = _changes(body)
    with Session(request.app.state.engine) as db, db.begin():
        return _written(workflow.update(db, actor, kind, record_id, version, changes))


def _delete(request: Request, actor: workflow.Actor, kind: str, record_id: str,
            version: int) -> dict[str, Any]:
    with Session(request.app.state.engine) as db, db.begin():
        return _written(workflow.soft_delete(db, actor, kind, record_id, version))


def _restore(request: Request, actor: workflow.Actor, kind: str, record_id: str,
             version: int) -> dict[str, Any]:
    with Session(request.app.state.engine) as db, db.begin():
        return _written(workflow.restore(db, actor, kind, record_id, version))


EventId = Annotated[str, Path(description="the event's id, e.g. caj-fmm-4")]
DelegationId = Annotated[str, Path(description="the delegation's id, e.g. caj-fmm-4.KZ")]


@router.patch("/events/{event_id}", operation_id="updateEvent", name="update_event",
              summary="Change some fields of an event (secretariat)",
              response_model=Envelope[EventRow])  # type: ignore[valid-type]
def update_event(request: Request, actor: ApiActor, event_id: EventId,
                 body: Annotated[EventChange, Body()]) -> dict[str, Any]:  # type: ignore[valid-type]
    return _update(request, actor, "event", event_id, body)


@router.delete("/events/{event_id}", operation_id="deleteEvent", name="delete_event",
               summary="Soft-delete an event (secretariat; restorable)",
               response_model=Envelope[EventRow])  # type: ignore[valid-type]
def delete_event(request: Request, actor: ApiActor, event_id: EventId,
                 version: Version) -> dict[str, Any]:
    return _delete(request, actor, "event", event_id, version)


@router.post("/events/{event_id}/restore", operation_id="restoreEvent", name="restore_event",
             summary="Restore a soft-deleted event (secretariat)",
             response_model=Envelope[EventRow])  # type: ignore[valid-type]
def restore_event(request: Request, actor: ApiActor, event_id: EventId,
                  version: Version) -> dict[str, Any]:
    return _restore(request, actor, "event", event_id, version)


@router.patch("/delegations/{delegation_id}", operation_id="updateDelegation",
              name="update_delegation",
              summary="Change a delegation's head title, rank or note (secretariat, or the "
                      "focal point of the delegation's party)",
              response_model=Envelope[DelegationRow])  # type: ignore[valid-type]
def update_delegation(request: Request, actor: ApiActor, delegation_id: DelegationId,
                      body: Annotated[DelegationChange, Body()]  # type: ignore[valid-type]
                      ) -> dict[str, Any]:
    return _update(request, actor, "delegation", delegation_id, body)


@router.delete("/delegations/{delegation_id}", operation_id="deleteDelegation",
               name="delete_delegation",
               summary="Soft-delete a delegation (secretariat, or its party's focal point)",
               response_model=Envelope[DelegationRow])  # type: ignore[valid-type]
def delete_delegation(request: Request, actor: ApiActor, delegation_id: DelegationId,
                      version: Version) -> dict[str, Any]:
    return _delete(request, actor, "delegation", delegation_id, version)


@router.post("/delegations/{delegation_id}/restore", operation_id="restoreDelegation",
             name="restore_delegation", summary="Restore a soft-deleted delegation (secretariat)",
             response_model=Envelope[DelegationRow])  # type: ignore[valid-type]
def restore_delegation(request: Request, actor: ApiActor, delegation_id: DelegationId,
                       version: Version) -> dict[str, Any]:
    return _restore(request, actor, "delegation", delegation_id, version)
