"""Counts of what the store holds, per kind and per body."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.dataset.writer import data_tables
from cajd.model import Body, Event


@dataclass(frozen=True)
class BodyCount:
    body: str
    code: str
    name: str
    status: str
    events: int
    held: int


@dataclass(frozen=True)
class Stats:
    per_kind: dict[str, int]
    per_body: list[BodyCount]


def stats(session: Session) -> Stats:
    per_kind = {
        t.name: session.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        for t in sorted(data_tables(), key=lambda table: table.name)
    }
    held = sa.func.sum(sa.case((Event.status == "held", 1), else_=0))
    query = (
        sa.select(Body.id, Body.code, Body.name_en, Body.status, sa.func.count(Event.id), held)
        .outerjoin(Event, Event.body_id == Body.id)
        .group_by(Body.id, Body.code, Body.name_en, Body.status)
        .order_by(Body.id)
    )
    per_body = [
        BodyCount(b, c, n, str(s), int(e), int(h or 0))
        for b, c, n, s, e, h in session.execute(query)
    ]
    return Stats(per_kind, per_body)
