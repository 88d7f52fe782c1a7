"""National reporting rounds (issue 11): each a write of the one write path (permission by
``rules.can``, the dataset's records and messages, one transaction given by the caller, one
audit entry, versions checked).

The secretariat opens a round on a dialogue with a deadline and its items (commitments of the
record, whose description is the item's text, and/or actions in its own words) and closes it.
Each member party's focal point writes its party's report: a draft it may save as often as it
likes, then submits; a submitted version is frozen, and an amendment is the next version, a draft
again, starting from the entries of the one it amends. Ids are the dataset's
(``dataset.monitoring``), so ``cajd data dump`` writes the round back and it reloads unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from cajd.dataset import monitoring_records as m
from cajd.dataset.build import slug
from cajd.dataset.monitoring import entry_id, evidence_id, item_id, report_id
from cajd.model import (
    Commitment,
    Dialogue,
    Document,
    Evidence,
    Participation,
    Party,
    ReportingRound,
    RoundEntry,
    RoundItem,
    RoundReport,
)
from cajd.vocab import ItemStatus, Origin, ReportState, Role, RoundStatus
from cajd.workflow import checks
from cajd.workflow import evidence as ev
from cajd.workflow.errors import Conflict, Invalid, NotFound
from cajd.workflow.meetings import _allowed, _current, live
from cajd.workflow.rules import Actor
from cajd.workflow.service import _audit, _flush, snapshot

# An entry as a caller gives it: (status, narrative, the narrative's language).
Entry = tuple[str, str | None, str | None]
# An item in the secretariat's words: English text, or {"en": …, "ja": …, "ru": …}.
ItemText = str | Mapping[str, str | None]

FROZEN = "submitted reports are amended as a new version"


@dataclass(frozen=True)
class ForParty:
    """What a rule sees of an act on a party's report: the party it is for."""

    party_id: str
    id: str


def _blank(value: str | None) -> str | None:
    return None if value is None or not value.strip() else value


def round_view(session: Session, row: ReportingRound) -> dict[str, Any]:
    items = session.scalars(sa.select(RoundItem).where(
        RoundItem.round_id == row.id, RoundItem.deleted_at.is_(None))
        .order_by(RoundItem.position))
    return snapshot(row) | {"items": [snapshot(i) for i in items]}


def report_view(session: Session, row: RoundReport) -> dict[str, Any]:
    entries = session.scalars(sa.select(RoundEntry).where(
        RoundEntry.report_id == row.id, RoundEntry.deleted_at.is_(None))
        .order_by(RoundEntry.id))
    shown = [snapshot(e) | {"evidence": [snapshot(x) for x in ev.of(session, "round_entry", e.id)]}
             for e in entries]
    return snapshot(row) | {"entries": sorted(shown,
                                              key=lambda e: int(e["id"].rsplit(".", 1)[1]))}


# --- rounds ------------------------------------------------------------------------------------


def _round_id(session: Session, dialogue: str, year: int) -> str:
    base = f"{slug(dialogue)}-round-{year}"
    taken = set(session.scalars(sa.select(ReportingRound.id).where(
        ReportingRound.id.like(f"{base}%"))))
    n = 1
    while (candidate := base if n == 1 else f"{base}-{n}") in taken:
        n += 1
    return candidate


def _item_texts(session: Session, subject: str, commitments: Sequence[str],
                items: Sequence[ItemText], dialogue: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    problems = []
    for i, cid in enumerate(commitments):
        row = session.get(Commitment, cid)
        if row is None or row.deleted_at is not None:
            problems.append(f"{subject}: commitments.{i}: no commitment {cid!r} "
                            "(looked in commitments/)")
        elif row.dialogue_id != dialogue:
            problems.append(f"{subject}: commitments.{i}: {cid!r} is a commitment of "
                            f"{row.dialogue_id!r}, not of {dialogue!r}")
        else:
            out.append({"commitment": cid, "text": {"en": row.description}})
    for text in items:
        given = {"en": text} if isinstance(text, str) else dict(text)
        out.append({"text": {k: v for k, v in given.items() if _blank(v) is not None}})
    if problems:
        raise Invalid(problems)
    return out


def open_round(session: Session, actor: Actor, *, dialogue: str, title_en: str,
               title_ja: str | None = None, title_ru: str | None = None,
               deadline: str | dt.date, document: str | None = None,
               commitments: Sequence[str] = (), items: Sequence[ItemText] = ()
               ) -> dict[str, Any]:
    """A new open round on ``dialogue`` with its items: the given commitments first, in order,
    then the given texts."""
    _allowed(actor, "round.open", None, f"a round of {dialogue!r}")
    dia = session.get(Dialogue, dialogue)
    if dia is None or dia.deleted_at is not None:
        raise NotFound(f"no dialogue {dialogue!r}")
    refs = checks.source_refs(actor, "opened")
    title = {k: v for k, v in {"en": title_en, "ja": title_ja, "ru": title_ru}.items()
             if _blank(v) is not None}
    # The deadline is checked before the id is derived from its year (the loader's message).
    probe = f"round of {dialogue}"
    day = checks.fields(m.RoundRecord, probe, {"deadline": deadline})["deadline"]
    round_id = _round_id(session, dialogue, day.year)
    subject = f"round {round_id}"
    item_data = _item_texts(session, subject, commitments, items, dialogue)
    now = dt.datetime.now(dt.UTC)
    rec = checks.record(m.RoundRecord, subject, {
        "id": round_id, "dialogue": dialogue, "title": title, "document": document,
        "deadline": day, "status": RoundStatus.OPEN.value, "opened_by": actor.name,
        "opened_at": now, "items": item_data, "sources": refs})
    if rec.document is not None:
        doc = session.get(Document, rec.document)
        if doc is None or doc.deleted_at is not None:
            raise Invalid([f"{subject}: document: no document {rec.document!r} "
                           "(looked in documents/)"])
        if doc.dialogue_id != dialogue:
            raise Invalid([f"{subject}: document: {rec.document!r} is a document of "
                           f"{doc.dialogue_id!r}, not of {dialogue!r}"])
    row = ReportingRound(
        id=round_id, dialogue_id=dialogue, document_id=rec.document, title_en=rec.title.en,
        title_ja=rec.title.ja, title_ru=rec.title.ru, deadline=rec.deadline,
        status=RoundStatus.OPEN, opened_by=actor.name, opened_at=now, origin=Origin.WORKSPACE)
    checks.lengths(ReportingRound, subject, {c: getattr(row, c) for c in
                                             ("title_en", "title_ja", "title_ru")})
    new_items = []
    for i, item in enumerate(rec.items):
        new_items.append(RoundItem(
            id=item_id(round_id, i + 1), round_id=round_id, position=i + 1,
            commitment_id=item.commitment, text_en=item.text.en, text_ja=item.text.ja,
            text_ru=item.text.ru, origin=Origin.WORKSPACE))
        checks.lengths(RoundItem, subject, {c: getattr(new_items[-1], c) for c in
                                            ("text_en", "text_ja", "text_ru")},
                       prefix=f"items.{i}.")
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another secretary opened the same id meanwhile
        session.rollback()
        raise Conflict(f"{round_id!r} was opened by someone else meanwhile", {}) from None
    session.add_all(new_items)
    checks.cite(session, "reporting_round", round_id, refs)
    session.flush()
    after = round_view(session, row)
    _audit(session, actor, "round.open", "reporting_round", row, None, after)
    return after


def close_round(session: Session, actor: Actor, round_id: str, version: int) -> dict[str, Any]:
    row: ReportingRound = live(session, ReportingRound, "round", round_id)
    _allowed(actor, "round.close", row, f"round {round_id!r}")
    _current(row, version)
    if row.status is not RoundStatus.OPEN:
        raise Invalid([f"round {round_id}: status: the round is closed already"])
    before = round_view(session, row)
    row.status, row.closed_at = RoundStatus.CLOSED, dt.datetime.now(dt.UTC)
    _flush(session, row)
    after = round_view(session, row)
    _audit(session, actor, "round.close", "reporting_round", row, before, after)
    return after


# --- reports -----------------------------------------------------------------------------------


def _open(session: Session, round_id: str) -> ReportingRound:
    row: ReportingRound = live(session, ReportingRound, "round", round_id)
    if row.status is not RoundStatus.OPEN:
        raise Invalid([f"round {round_id}: status: the round is closed; reports can no "
                       "longer be saved, submitted or amended"])
    return row


def _member(session: Session, rnd: ReportingRound, party: str) -> None:
    """Only a member party of the round's dialogue reports (not an observer or a guest)."""
    found = session.get(Party, party)
    subject = f"report of {party} in {rnd.id}"
    if found is None or found.deleted_at is not None:
        raise Invalid([f"{subject}: party: no party {party!r} (looked in parties/)"])
    member = session.scalar(sa.select(Participation.id).where(
        Participation.dialogue_id == rnd.dialogue_id, Participation.party_id == party,
        Participation.role == Role.MEMBER, Participation.deleted_at.is_(None)).limit(1))
    if member is None:
        raise Invalid([f"{subject}: party: {party!r} is not a member of {rnd.dialogue_id!r}"])


def latest(session: Session, round_id: str, party: str) -> RoundReport | None:
    return session.scalar(sa.select(RoundReport).where(
        RoundReport.round_id == round_id, RoundReport.party_id == party,
        RoundReport.deleted_at.is_(None)).order_by(RoundReport.number.desc()).limit(1))


def _entries(session: Session, rnd: ReportingRound, report: RoundReport,
             entries: Mapping[str, Entry]) -> None:
    subject = f"report {report.id}"
    positions = dict(session.execute(sa.select(RoundItem.id, RoundItem.position).where(
        RoundItem.round_id == rnd.id, RoundItem.deleted_at.is_(None))).all())
    problems: list[str] = []
    checked: list[tuple[str, m.EntryRecord]] = []
    for iid, (status, narrative, lang) in entries.items():
        where = f"entries.{iid}"
        if iid not in positions:
            problems.append(f"{subject}: {where}: no item {iid!r} in round {rnd.id}")
            continue
        narrative = _blank(narrative)
        if narrative is not None and _blank(lang) is None:
            problems.append(f"{subject}: {where}.lang: give the narrative's language "
                            "(en, ja or ru)")
            continue
        try:
            rec = checks.record(m.EntryRecord, f"{subject}: {where}", {
                "item": positions[iid], "status": status, "narrative": narrative,
                "lang": _blank(lang) if narrative is not None else None})
            checks.lengths(RoundEntry, f"{subject}: {where}", {"narrative": rec.narrative})
        except Invalid as exc:
            problems.extend(exc.problems)
            continue
        checked.append((iid, rec))
    if problems:
        raise Invalid(problems)
    for iid, rec in checked:
        eid = entry_id(report.id, rec.item)
        row = session.get(RoundEntry, eid)
        if row is None:
            session.add(RoundEntry(id=eid, report_id=report.id, item_id=iid, status=rec.status,
                                   narrative=rec.narrative, narrative_lang=rec.lang,
                                   origin=Origin.WORKSPACE))
        else:
            row.status, row.narrative, row.narrative_lang = rec.status, rec.narrative, rec.lang
            row.deleted_at = row.deleted_by = None


def save_report(session: Session, actor: Actor, round_id: str, party: str,
                entries: Mapping[str, Entry], version: int | None = None) -> dict[str, Any]:
    """Create the party's draft (version 1), or change its current draft (``version`` is the
    draft's row version); entries not given are kept as they were."""
    rnd: ReportingRound = live(session, ReportingRound, "round", round_id)
    _allowed(actor, "report.save", ForParty(party, round_id), f"the report of {party!r}")
    rnd = _open(session, round_id)
    _member(session, rnd, party)
    report = latest(session, round_id, party)
    if report is not None and report.state is ReportState.SUBMITTED:
        raise Conflict(f"{report.id!r} is submitted: {FROZEN}", report_view(session, report))
    if report is None:
        before = None
        report = RoundReport(id=report_id(round_id, party, 1), round_id=round_id,
                             party_id=party, number=1, state=ReportState.DRAFT,
                             created_by=actor.name, created_at=dt.datetime.now(dt.UTC),
                             origin=Origin.WORKSPACE)
        session.add(report)
        try:
            session.flush()
        except IntegrityError:  # the party's other focal point started it meanwhile
            session.rollback()
            raise Conflict(f"{report.id!r} was started by someone else meanwhile", {}) from None
    else:
        if version is None:
            raise Conflict(f"{report.id!r} exists (version {report.version}): send the version "
                           "your change is based on", report_view(session, report))
        _current(report, version)
        before = report_view(session, report)
        flag_modified(report, "state")  # moves the report's version: its entries are its text
    _entries(session, rnd, report, entries)
    _flush(session, report)
    after = report_view(session, report)
    _audit(session, actor, "report.save", "round_report", report, before, after)
    return after


def _current_report(session: Session, round_id: str, party: str) -> RoundReport:
    report = latest(session, round_id, party)
    if report is None:
        raise Invalid([f"report of {party} in {round_id}: {party} has no report yet "
                       "(save a draft first)"])
    return report


def submit_report(session: Session, actor: Actor, round_id: str, party: str,
                  version: int) -> dict[str, Any]:
    """The party's current draft, submitted: public, frozen, its author and time kept."""
    live(session, ReportingRound, "round", round_id)
    _allowed(actor, "report.submit", ForParty(party, round_id), f"the report of {party!r}")
    _open(session, round_id)
    report = _current_report(session, round_id, party)
    _current(report, version)
    if report.state is ReportState.SUBMITTED:
        raise Conflict(f"{report.id!r} is submitted already: {FROZEN}",
                       report_view(session, report))
    before = report_view(session, report)
    if not before["entries"]:
        raise Invalid([f"report {report.id}: entries: a report says something of at least "
                       "one item"])
    report.state = ReportState.SUBMITTED
    report.submitted_by, report.submitted_at = actor.name, dt.datetime.now(dt.UTC)
    _flush(session, report)
    after = report_view(session, report)
    _audit(session, actor, "report.submit", "round_report", report, before, after)
    return after


def amend_report(session: Session, actor: Actor, round_id: str, party: str, version: int,
                 note: str) -> dict[str, Any]:
    """A new draft version after the submitted one, with its entries copied and ``note``
    saying what the amendment changes; the submitted version stays as it was."""
    live(session, ReportingRound, "round", round_id)
    _allowed(actor, "report.amend", ForParty(party, round_id), f"the report of {party!r}")
    _open(session, round_id)
    submitted = _current_report(session, round_id, party)
    _current(submitted, version)
    new_id = report_id(round_id, party, submitted.number + 1)
    subject = f"report {new_id}"
    if submitted.state is not ReportState.SUBMITTED:
        raise Invalid([f"{subject}: {submitted.id} is a draft still: change it, or submit it "
                       "before amending"])
    if _blank(note) is None:
        raise Invalid([f"{subject}: note: say what the amendment changes, and why"])
    checks.lengths(RoundReport, subject, {"note": note})
    report = RoundReport(id=new_id, round_id=round_id, party_id=party,
                         number=submitted.number + 1, state=ReportState.DRAFT,
                         note=note.strip(), created_by=actor.name,
                         created_at=dt.datetime.now(dt.UTC), origin=Origin.WORKSPACE)
    session.add(report)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{new_id!r} was started by someone else meanwhile", {}) from None
    for e in report_view(session, submitted)["entries"]:
        position = int(e["id"].rsplit(".", 1)[1])
        session.add(RoundEntry(id=entry_id(new_id, position), report_id=new_id,
                               item_id=e["item_id"], status=ItemStatus(e["status"]),
                               narrative=e["narrative"], narrative_lang=e["narrative_lang"],
                               origin=Origin.WORKSPACE))
        # The evidence goes with the entry (the same stored file, a row of the new entry's).
        for n, x in enumerate(e["evidence"], start=1):
            session.add(Evidence(
                id=evidence_id(entry_id(new_id, position), n), subject_kind="round_entry",
                subject_id=entry_id(new_id, position), title=x["title"], url=x["url"],
                file_name=x["file_name"], content_type=x["content_type"], size=x["size"],
                sha256=x["sha256"], date=_date(x["date"]), date_precision=x["date_precision"],
                added_by=x["added_by"], added_at=_moment(x["added_at"]),
                origin=Origin.WORKSPACE))
    session.flush()
    after = report_view(session, report)
    _audit(session, actor, "report.amend", "round_report", report,
           report_view(session, submitted), after)
    return after


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def add_entry_evidence(session: Session, actor: Actor, round_id: str, party: str,
                       item: str, version: int, *, url: str | None = None,
                       upload: ev.Upload | None = None, title: str | None = None,
                       date: str | None = None) -> dict[str, Any]:
    """Evidence (a link or a file) for the draft's entry on ``item``: part of the draft, so
    saved by the party's focal point alone, private until submitted, frozen after."""
    live(session, ReportingRound, "round", round_id)
    _allowed(actor, "report.save", ForParty(party, round_id), f"the report of {party!r}")
    _open(session, round_id)
    report = _current_report(session, round_id, party)
    _current(report, version)
    if report.state is ReportState.SUBMITTED:
        raise Conflict(f"{report.id!r} is submitted: {FROZEN}", report_view(session, report))
    entry = session.scalar(sa.select(RoundEntry).where(
        RoundEntry.report_id == report.id, RoundEntry.item_id == item,
        RoundEntry.deleted_at.is_(None)))
    if entry is None:
        raise Invalid([f"report {report.id}: item: the report says nothing of {item!r} yet "
                       "(save its status first)"])
    if not (url or upload):
        raise Invalid([f"report {report.id}: evidence: give a url or a file"])
    before = report_view(session, report)
    ev.attach(session, actor, "round_entry", entry.id, url=url, upload=upload, title=title,
              date=date)
    flag_modified(report, "state")  # moves the report's version: evidence is part of it
    _flush(session, report)
    after = report_view(session, report)
    _audit(session, actor, "report.save", "round_report", report, before, after)
    return after
