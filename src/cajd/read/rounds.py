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

from cajd.model import Participation, Party, ReportingRound, RoundEntry, RoundItem, RoundReport
from cajd.read.sql import NotFound, Page
from cajd.read.views import Localized
from cajd.vocab import ReportState, Role, RoundStatus
from cajd.workflow.rules import Actor, may_see_report_draft


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


# --- the round summary (page, CSV) ---------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """What a party's report says of one item, as the viewer may see it: the latest submitted
    version's entry; or, for the party's own focal points, its draft in progress."""

    item: str
    position: int
    status: str | None
    narrative: str | None
    lang: str | None
    version: int | None
    state: str | None  # submitted, draft (the viewer's own), or None (nothing to show)
    submitted_at: dt.datetime | None


@dataclass(frozen=True)
class PartyRow:
    party: str
    name: Localized
    standing: PartyStanding
    own_draft: bool  # the viewer sees this party's draft (its own focal point)
    cells: list[Cell]


@dataclass(frozen=True)
class RoundItemText:
    id: str
    position: int  # 1 = the first item of the round
    text: Localized


@dataclass(frozen=True)
class RoundSummary:
    id: str
    dialogue: str
    title: Localized
    deadline: dt.date
    status: RoundStatus
    overdue: bool  # the deadline is past
    items: list[RoundItemText]
    parties: list[PartyRow]


@dataclass(frozen=True)
class RoundBrief:
    id: str
    title: Localized
    deadline: dt.date
    status: RoundStatus
    submitted: int
    members: int


def _names(session: Session, ids: set[str]) -> dict[str, Localized]:
    rows = session.scalars(sa.select(Party).where(Party.id.in_(ids))).all()
    return {p.id: Localized(en=p.name_en, ja=p.name_ja, ru=p.name_ru) for p in rows}


def _live_round(session: Session, round_id: str) -> ReportingRound:
    row = session.get(ReportingRound, round_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("round", round_id)
    return row


def round_list(session: Session, today: dt.date | None = None, limit: int | None = None,
               offset: int = 0) -> Page[RoundBrief]:
    """The live rounds, latest deadline first, a page of them with the true total."""
    live = ReportingRound.deleted_at.is_(None)
    total = session.scalar(sa.select(sa.func.count()).select_from(ReportingRound).where(live))
    rounds = session.scalars(sa.select(ReportingRound).where(live).order_by(
        ReportingRound.deadline.desc(), ReportingRound.id).limit(limit).offset(offset)).all()
    out = []
    for rnd in rounds:
        parties = standings(session, rnd, today)
        out.append(RoundBrief(
            id=rnd.id, title=Localized(en=rnd.title_en, ja=rnd.title_ja, ru=rnd.title_ru),
            deadline=rnd.deadline, status=rnd.status,
            submitted=sum(1 for p in parties if p.submitted_version is not None),
            members=len(members(session, rnd.dialogue_id, rnd.deadline))))
    return Page(out, int(total or 0), limit, offset)


def summary(session: Session, round_id: str, viewer: Actor | None,
            today: dt.date | None = None) -> RoundSummary:
    """One row per party, one cell per item. A draft's content only reaches the party's own
    focal points (``may_see_report_draft``); everyone else sees that a draft is in progress
    (``PartyStanding.draft``), never what it says."""
    rnd = _live_round(session, round_id)
    today = today or dt.datetime.now(dt.UTC).date()
    items = session.scalars(sa.select(RoundItem).where(
        RoundItem.round_id == rnd.id, RoundItem.deleted_at.is_(None))
        .order_by(RoundItem.position)).all()
    reports = session.scalars(sa.select(RoundReport).where(
        RoundReport.round_id == rnd.id, RoundReport.deleted_at.is_(None))).all()
    by_id = {r.id: r for r in reports}
    entries: dict[str, dict[str, RoundEntry]] = {}
    for entry in session.scalars(sa.select(RoundEntry).where(
            RoundEntry.report_id.in_(list(by_id)), RoundEntry.deleted_at.is_(None))):
        entries.setdefault(entry.report_id, {})[entry.item_id] = entry
    standing = standings(session, rnd, today)
    names = _names(session, {s.party for s in standing})
    rows = []
    for s in standing:
        own = [r for r in reports if r.party_id == s.party]
        latest = max(own, key=lambda r: r.number, default=None)
        draft_visible = bool(latest is not None and latest.state is ReportState.DRAFT
                             and may_see_report_draft(viewer, s.party))
        shown = latest if draft_visible else max(
            (r for r in own if r.state is ReportState.SUBMITTED), key=lambda r: r.number,
            default=None)
        said = entries.get(shown.id, {}) if shown is not None else {}
        cells = []
        for item in items:
            e = said.get(item.id)
            cells.append(Cell(
                item=item.id, position=item.position,
                status=e.status.value if e else None, narrative=e.narrative if e else None,
                lang=e.narrative_lang if e else None,
                version=shown.number if shown is not None and e else None,
                state=shown.state.value if shown is not None and e else None,
                submitted_at=shown.submitted_at if shown is not None and e else None))
        rows.append(PartyRow(party=s.party, name=names.get(s.party, Localized(en=s.party)),
                             standing=s, own_draft=draft_visible, cells=cells))
    return RoundSummary(
        id=rnd.id, dialogue=rnd.dialogue_id,
        title=Localized(en=rnd.title_en, ja=rnd.title_ja, ru=rnd.title_ru),
        deadline=rnd.deadline, status=rnd.status, overdue=today > rnd.deadline,
        items=[RoundItemText(id=i.id, position=i.position,
                             text=Localized(en=i.text_en, ja=i.text_ja, ru=i.text_ru))
               for i in items],
        parties=rows)


CSV_COLUMNS = ("party", "item", "position", "status", "version", "submitted_at", "late")


def csv_rows(found: RoundSummary) -> list[dict[str, str]]:
    """The summary's public cells as CSV rows: submitted entries only (a draft shows as
    nothing); ``late`` is the party's flag, repeated on each of its rows."""
    out = []
    for row in found.parties:
        for cell in row.cells:
            public = cell.state == ReportState.SUBMITTED.value
            out.append({
                "party": row.party, "item": cell.item, "position": str(cell.position),
                "status": (cell.status or "") if public else "",
                "version": str(cell.version) if public and cell.version else "",
                "submitted_at": cell.submitted_at.isoformat()
                if public and cell.submitted_at else "",
                "late": "true" if row.standing.late else "false"})
    return out
