"""Who reported in a round, and who is late: one function the summary page, the API and the
export share (issue 11).

A party is late when its first submission came after the deadline, or when it has submitted
nothing and the deadline is past. Lateness follows the FIRST submitted version: an amendment
made after the deadline corrects a report that was on time, it does not make it late. The
version shown is the latest submitted one (what the party now says).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.model import Participation, ReportingRound, RoundReport
from cajd.vocab import ReportState, Role


@dataclass(frozen=True)
class PartyStanding:
    party: str
    submitted_version: int | None  # the latest submitted version's number
    submitted_at: dt.datetime | None  # when that version was submitted
    first_submitted_at: dt.datetime | None
    draft: bool  # a draft (a first report, or an amendment) is in progress
    late: bool


def members(session: Session, dialogue_id: str, day: dt.date) -> list[str]:
    """The member parties of the dialogue on ``day`` (observers and guests do not report)."""
    rows = session.scalars(sa.select(Participation).where(
        Participation.dialogue_id == dialogue_id, Participation.deleted_at.is_(None),
        Participation.role == Role.MEMBER))
    return sorted({p.party_id for p in rows
                   if (p.start_date is None or p.start_date <= day)
                   and (p.end_date is None or p.end_date >= day)})


def _day(at: dt.datetime) -> dt.date:
    # SQLite gives back naive datetimes; every stored time is UTC.
    return (at if at.tzinfo is None else at.astimezone(dt.UTC)).date()


def standings(session: Session, rnd: ReportingRound,
              today: dt.date | None = None) -> list[PartyStanding]:
    """Per member party of the round's dialogue (at the deadline), and any other party that
    reported: its latest submitted version, when, whether a draft is in progress, and whether
    it is late."""
    today = today or dt.datetime.now(dt.UTC).date()
    reports = session.scalars(sa.select(RoundReport).where(
        RoundReport.round_id == rnd.id, RoundReport.deleted_at.is_(None))
        .order_by(RoundReport.party_id, RoundReport.number)).all()
    parties = sorted(set(members(session, rnd.dialogue_id, rnd.deadline))
                     | {r.party_id for r in reports})
    out = []
    for party in parties:
        own = [r for r in reports if r.party_id == party]
        submitted = [r for r in own if r.state is ReportState.SUBMITTED
                     and r.submitted_at is not None]
        first = submitted[0].submitted_at if submitted else None
        last = submitted[-1] if submitted else None
        late = (_day(first) > rnd.deadline) if first is not None else today > rnd.deadline
        out.append(PartyStanding(
            party=party, submitted_version=last.number if last else None,
            submitted_at=last.submitted_at if last else None, first_submitted_at=first,
            draft=bool(own) and own[-1].state is ReportState.DRAFT, late=late))
    return out
