"""Reminders to the parties that have not submitted their report in an open round: one e-mail per
party and deadline, to the party's focal points, never two (issue 11).

"Never twice" rests on the reminder table's UNIQUE(round, party, deadline): the row is inserted
(in a savepoint) BEFORE the message is sent, so of two runs racing, the second's insert fails
and it skips the party instead of sending again. The price is the other way round: if the
caller's transaction fails after a message went out, the row is gone and a later run sends
again; a reminder sent twice then beats one never sent.

With no ``CAJD_SMTP_URL``, or a party whose focal points have no address, the reminder is kept
as ``logged`` (shown in the app, written to the log); a failed delivery is kept as ``failed``
with the error. Either way nothing is lost, and the next run skips the party for that deadline:
a new deadline (the round extended) is a new reminder.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cajd import mailer
from cajd.dataset.monitoring import reminder_id
from cajd.model import (
    Party,
    Reminder,
    ReportingRound,
    RoundItem,
    RoundReport,
    User,
)
from cajd.read.rounds import members
from cajd.settings import Settings, get_settings
from cajd.vocab import Delivery, Origin, ReportState, RoundStatus, UserRole
from cajd.workflow.errors import Invalid
from cajd.workflow.meetings import _allowed, live
from cajd.workflow.reminder_text import Missing, message
from cajd.workflow.rules import Actor
from cajd.workflow.service import _audit, snapshot

log = logging.getLogger("cajd.reminders")


@dataclass(frozen=True)
class Outcome:
    """What a run did for one party: ``reminded`` now (with its delivery), or ``already``
    reminded for this deadline (by an earlier or a racing run)."""

    party: str
    done: str
    reminder: str
    delivery: str | None = None
    recipients: list[str] = field(default_factory=list)
    detail: str | None = None


def addresses(session: Session, party: str) -> list[str]:
    """The addresses of the party's focal points that are not disabled and have one."""
    return sorted(set(session.scalars(sa.select(User.email).where(
        User.role == UserRole.FOCAL_POINT, User.party_id == party,
        User.disabled.is_(False), User.email.is_not(None)))))


def _missing(session: Session, round_id: str) -> tuple[set[str], dict[str, int]]:
    """The parties that submitted (any version), and the latest draft number of the others."""
    reports = session.execute(sa.select(RoundReport.party_id, RoundReport.number,
                                        RoundReport.state).where(
        RoundReport.round_id == round_id, RoundReport.deleted_at.is_(None))).all()
    submitted = {p for p, _, state in reports if state is ReportState.SUBMITTED}
    drafts: dict[str, int] = {}
    for party, number, state in reports:
        if state is ReportState.DRAFT and party not in submitted:
            drafts[party] = max(number, drafts.get(party, 0))
    return submitted, drafts


def remind(session: Session, actor: Actor, round_id: str, today: dt.date | None = None,
           settings: Settings | None = None) -> dict[str, Any]:
    """Remind every member party of the round's dialogue (at its deadline) that has no submitted
    report, once per deadline; returns the round's deadline, whether it is past, and what was
    done per party."""
    row: ReportingRound = live(session, ReportingRound, "round", round_id)
    _allowed(actor, "round.remind", row, f"round {round_id!r}")
    if row.status is not RoundStatus.OPEN:
        raise Invalid([f"round {round_id}: status: the round is {row.status.value}; only an "
                       "open round's parties are reminded"])
    settings = settings or get_settings()
    today = today or dt.date.today()
    submitted, drafts = _missing(session, round_id)
    items = session.scalar(sa.select(sa.func.count()).select_from(RoundItem).where(
        RoundItem.round_id == round_id, RoundItem.deleted_at.is_(None))) or 0
    outcomes = []
    # The parties that owe a report: the members at the deadline, as the round's standings
    # count them (``cajd.read.rounds``).
    for party_id in members(session, row.dialogue_id, row.deadline):
        if party_id in submitted:
            continue
        party = session.get(Party, party_id)
        assert party is not None  # a participation's foreign key
        outcomes.append(_one(session, actor, row, party, Missing(drafts.get(party_id), items),
                             today, settings))
    result = {
        "round": round_id, "deadline": row.deadline.isoformat(),
        "overdue": today > row.deadline, "submitted": sorted(submitted),
        "parties": [o.__dict__ for o in outcomes],
    }
    _audit(session, actor, "round.remind", "reporting_round", row, None,
           snapshot(row) | {"reminders": result["parties"]})
    return result


def listing(session: Session, actor: Actor, round_id: str,
            today: dt.date | None = None) -> dict[str, Any]:
    """For the secretariat: each member party's report (``submitted``, ``draft`` or None) and
    whether it is overdue (not submitted, the deadline past), and every reminder of the round,
    oldest first. Reading only: no audit entry."""
    row: ReportingRound = live(session, ReportingRound, "round", round_id)
    _allowed(actor, "round.reminders", row, f"the reminders of round {round_id!r}")
    today = today or dt.date.today()
    submitted, drafts = _missing(session, round_id)
    late = today > row.deadline and row.status is RoundStatus.OPEN
    parties = [{"party": p,
                "report": "submitted" if p in submitted else "draft" if p in drafts else None,
                "overdue": late and p not in submitted}
               for p in members(session, row.dialogue_id, row.deadline)]
    sent = session.scalars(sa.select(Reminder).where(
        Reminder.round_id == round_id, Reminder.deleted_at.is_(None))
        .order_by(Reminder.sent_at, Reminder.party_id))
    return {"round": round_id, "deadline": row.deadline.isoformat(), "status": row.status.value,
            "overdue": late, "parties": parties, "reminders": [snapshot(r) for r in sent]}


def _one(session: Session, actor: Actor, row: ReportingRound, party: Party, missing: Missing,
         today: dt.date, settings: Settings) -> Outcome:
    rid = reminder_id(row.id, party.id, row.deadline)
    if session.get(Reminder, rid) is not None:
        return Outcome(party.id, "already", rid)
    recipients = addresses(session, party.id)
    reminder = Reminder(id=rid, round_id=row.id, party_id=party.id, deadline=row.deadline,
                        recipients=",".join(recipients) or None, delivery=Delivery.LOGGED,
                        detail="being sent", sent_by=actor.name,
                        sent_at=dt.datetime.now(dt.UTC), origin=Origin.WORKSPACE)
    try:
        with session.begin_nested():  # a racing run's row: only this savepoint is undone
            session.add(reminder)
            session.flush()
    except IntegrityError:
        return Outcome(party.id, "already", rid)
    if not settings.smtp_url.strip():
        delivery, detail = Delivery.LOGGED, "no CAJD_SMTP_URL: kept in the app and the log"
    elif not recipients:
        delivery, detail = Delivery.LOGGED, "no focal point of the party has an e-mail address"
    else:
        try:
            mail = message(row, party, missing, today, settings.smtp_from, recipients)
            delivery, detail = Delivery.SENT, mailer.send(settings.smtp_url, mail, recipients)
        except mailer.MailError as exc:
            delivery, detail = Delivery.FAILED, str(exc)
        except ValueError as exc:  # a header the email package refuses (CAJD_SMTP_FROM's)
            delivery, detail = Delivery.FAILED, f"the message could not be written: {exc}"
    reminder.delivery, reminder.detail = delivery, detail
    session.flush()
    level = logging.WARNING if delivery is Delivery.FAILED else logging.INFO
    log.log(level, "reminder %s: %s to %s (%s)", rid, delivery.value,
            ",".join(recipients) or "nobody", detail)
    return Outcome(party.id, "reminded", rid, delivery.value, recipients, detail)
