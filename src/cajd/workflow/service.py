"""Record edits, soft deletion and restoring, each in the caller's transaction with one audit
entry holding the row before and after.

Values are validated by the dataset's own pydantic records (``cajd.dataset.records``), field by
field, so an edit gets the very message a YAML file would (``rank: 'minster' is not one of …``).
A stale ``version`` is a ``Conflict`` carrying the current row; the ORM's ``version_id_col`` also
refuses a write that raced another one between our read and our write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cajd.dataset import records as r
from cajd.dataset.origins import jsonable
from cajd.model import AuditEntry, Base, Delegation, Event
from cajd.vocab import Origin
from cajd.workflow import checks
from cajd.workflow.errors import Conflict, Forbidden, Invalid, NotFound
from cajd.workflow.rules import Actor, can


@dataclass(frozen=True)
class Editable:
    model: type[Base]
    record: type[r.Record]
    fields: dict[str, str]  # column -> the record field that validates it


EDITABLE: dict[str, Editable] = {
    "event": Editable(
        Event,
        r.EventRecord,
        {k: k for k in ("venue", "city", "country", "description", "status", "format")},
    ),
    "delegation": Editable(
        Delegation, r.DelegationRecord, {"head_title": "title", "rank": "rank", "note": "note"}
    ),
}


def snapshot(row: Base) -> dict[str, Any]:
    return {c.key: jsonable(getattr(row, c.key)) for c in row.__table__.columns}


def _audit(session: Session, actor: Actor, action: str, kind: str, row: Base,
           before: dict[str, Any] | None, after: dict[str, Any] | None = None) -> None:
    """The one audit entry of a write; ``after`` defaults to the row as written (a write that
    changes a row and its children passes them all)."""
    session.add(
        AuditEntry(
            at=dt.datetime.now(dt.UTC),
            actor=actor.name,
            action=action,
            kind=kind,
            record_id=row.id,  # type: ignore[attr-defined]
            before=before,
            after=snapshot(row) if after is None else after,
        )
    )


def _row(session: Session, kind: str, record_id: str) -> Any:
    if kind not in EDITABLE:
        raise NotFound(f"{kind!r} cannot be edited")
    row = session.get(EDITABLE[kind].model, record_id)
    if row is None:
        raise NotFound(f"no {kind} {record_id!r}")
    return row


def _check(actor: Actor, action: str, row: Any, version: int) -> None:
    if not can(actor, action, row):
        raise Forbidden(f"{actor.name} ({actor.role}) may not {action} {row.id!r}")
    if row.version != version:
        raise Conflict(
            f"{row.id!r} changed since version {version} (now {row.version}); nothing was written",
            snapshot(row),
        )


def _validate(kind: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    editable = EDITABLE[kind]
    subject = f"{kind} {record_id}"
    unknown = sorted(set(changes) - set(editable.fields))
    if unknown:
        raise Invalid([f"{subject}: {k}: cannot be edited here" for k in unknown])
    checked = checks.fields(editable.record, subject,
                            {editable.fields[k]: v for k, v in changes.items()})
    values = {col: checked[editable.fields[col]] for col in changes}
    checks.lengths(editable.model, subject, values)
    return values


def _flush(session: Session, row: Any) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Conflict(f"{row.id!r} was changed by someone else meanwhile", {}) from None


def update(session: Session, actor: Actor, kind: str, record_id: str, version: int,
           changes: dict[str, Any]) -> dict[str, Any]:
    """Change some fields of a record; returns the row as written."""
    row = _row(session, kind, record_id)
    if row.deleted_at is not None:
        raise NotFound(f"{kind} {record_id!r} is deleted (restore it first)")
    _check(actor, f"{kind}.update", row, version)
    values = _validate(kind, record_id, changes)
    before = snapshot(row)
    for column, value in values.items():
        setattr(row, column, value)
    row.origin = Origin.WORKSPACE  # the loader will not overwrite it now (``dataset.origins``)
    _flush(session, row)
    _audit(session, actor, f"{kind}.update", kind, row, before)
    return snapshot(row)


def soft_delete(session: Session, actor: Actor, kind: str, record_id: str,
                version: int) -> dict[str, Any]:
    row = _row(session, kind, record_id)
    if row.deleted_at is not None:
        raise NotFound(f"{kind} {record_id!r} is deleted already")
    _check(actor, f"{kind}.delete", row, version)
    before = snapshot(row)
    row.deleted_at, row.deleted_by = dt.datetime.now(dt.UTC), actor.name
    row.origin = Origin.WORKSPACE
    _flush(session, row)
    _audit(session, actor, f"{kind}.delete", kind, row, before)
    return snapshot(row)


def restore(session: Session, actor: Actor, kind: str, record_id: str,
            version: int) -> dict[str, Any]:
    row = _row(session, kind, record_id)
    if row.deleted_at is None:
        raise NotFound(f"{kind} {record_id!r} is not deleted")
    _check(actor, f"{kind}.restore", row, version)
    before = snapshot(row)
    row.deleted_at = row.deleted_by = None
    _flush(session, row)
    _audit(session, actor, f"{kind}.restore", kind, row, before)
    return snapshot(row)
