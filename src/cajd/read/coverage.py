"""What the record holds and lacks, per body, from the database (issue 13, point 5): the page
behind every "not recorded", so that a missing count is never read as zero.

``cajd data coverage`` reports the same from the dataset files (no database); this is the live
record the portal shows, workspace rows included. One statement for every meeting's counts, plus
the bodies view (with its stated counts).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import meetings
from cajd.read import views as v
from cajd.read.queries import bodies
from cajd.read.sql import DELEGATION, DOCUMENT, EVENT, asc, fuzzy, localized, rows
from cajd.vocab import EventStatus

_LIVE_DELEGATION = (DELEGATION.c.event_id == EVENT.c.id, meetings.PUBLIC_DELEGATION,
                    DELEGATION.c.deleted_at.is_(None))
_MEETINGS = (
    sa.select(
        EVENT.c.id, EVENT.c.body_id, EVENT.c.name_en, EVENT.c.name_ja, EVENT.c.name_ru,
        EVENT.c.start_date, EVENT.c.start_precision, EVENT.c.status, EVENT.c.city,
        sa.select(sa.func.count()).where(*_LIVE_DELEGATION).scalar_subquery()
        .label("delegations"),
        sa.select(sa.func.count()).where(*_LIVE_DELEGATION, DELEGATION.c.rank.is_(None))
        .scalar_subquery().label("unranked"),
        sa.select(sa.func.count()).where(DOCUMENT.c.event_id == EVENT.c.id)
        .scalar_subquery().label("documents"),
    )
    .where(EVENT.c.deleted_at.is_(None))
    .order_by(asc(EVENT.c.start_date), asc(EVENT.c.id))
)


class MeetingRef(v.View):
    id: str
    name: v.Localized
    start: str


class BodyCoverage(v.View):
    body: v.BodyView
    recorded: int  # every meeting of the body in the record, whatever its status
    held: int
    not_held: int  # planned, postponed or cancelled
    without_delegations: list[MeetingRef]  # held, yet no delegation recorded
    unranked: int  # delegations to held meetings whose head's rank is not recorded
    without_documents: list[MeetingRef]
    without_city: list[MeetingRef]


def coverage(session: Session, dialogue: str = "caj") -> list[BodyCoverage]:
    found = bodies(session, dialogue).items
    per_body: dict[str, list[sa.Row]] = defaultdict(list)  # type: ignore[type-arg]
    for r in rows(session, _MEETINGS):
        per_body[r.body_id].append(r)
    result = []
    for body in found:
        events = per_body.get(body.id, [])
        held = [e for e in events if e.status == EventStatus.HELD]

        def ref(e: sa.Row) -> MeetingRef:  # type: ignore[type-arg]
            return MeetingRef(id=e.id, name=localized(e.name_en, e.name_ja, e.name_ru),
                              start=fuzzy(e.start_date, e.start_precision) or "")

        result.append(BodyCoverage(
            body=body, recorded=len(events), held=len(held), not_held=len(events) - len(held),
            without_delegations=[ref(e) for e in held if not e.delegations],
            unranked=sum(e.unranked for e in held),
            without_documents=[ref(e) for e in held if not e.documents],
            without_city=[ref(e) for e in held if not e.city]))
    return result
