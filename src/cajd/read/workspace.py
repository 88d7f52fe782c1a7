"""What a logged-in user's workspace lists: the meetings being prepared and their own recent
changes (other areas add their own sections in ``cajd.web.workspace``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.model import AuditEntry
from cajd.read import queries as q
from cajd.read.views import EventSummary
from cajd.vocab import EventStatus


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    action: str
    kind: str
    record_id: str


def planned_events(session: Session, limit: int = 50) -> list[EventSummary]:
    return q.events(session, q.EventFilter(status=EventStatus.PLANNED), limit=limit).items


def recent_changes(session: Session, actor: str, limit: int = 20) -> list[Change]:
    """The actor's latest writes, newest first, from the audit log."""
    rows = session.execute(
        sa.select(AuditEntry.at, AuditEntry.action, AuditEntry.kind, AuditEntry.record_id)
        .where(AuditEntry.actor == actor).order_by(AuditEntry.id.desc()).limit(limit))
    return [Change(*row) for row in rows]
