"""Convening a meeting, its status, and its agenda: each a write of the one write path (permission
by ``rules.can``, the dataset's records and messages, one audit entry, versions checked).

A convened meeting is a planned ``Event`` numbered after the body's highest numbered meeting,
with the id the dataset gives such meetings (``caj-fmm-10``). Agenda items are numbered
once (``caj-fmm-10.agenda.3``) and keep that number when the agenda is reordered; the order is
their ``position``. Withdrawing an item keeps it, marked withdrawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cajd.dataset import records as r
from cajd.model import AgendaItem, Area, AreaTag, Body, Event, Party
from cajd.vocab import AgendaStatus, EventStatus, Origin
from cajd.workflow import checks
from cajd.workflow.errors import Conflict, Forbidden, Invalid, NotFound
from cajd.workflow.rules import Actor, can
from cajd.workflow.service import _audit, _flush, snapshot


def _allowed(actor: Actor, action: str, target: Any, what: str) -> None:
    if not can(actor, action, target):
        raise Forbidden(f"{actor.name} ({actor.role}) may not {action} {what}")


def _current(row: Any, version: int) -> None:
    if row.version != version:
        raise Conflict(
            f"{row.id!r} changed since version {version} (now {row.version}); nothing was written",
            snapshot(row),
        )


def live(session: Session, model: type[Any], kind: str, record_id: str) -> Any:
    row = session.get(model, record_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(f"no {kind} {record_id!r}")
    return row


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def suggest_number(session: Session, body_id: str) -> int:
    """The next number of a body's meetings: one after its highest numbered meeting, held,
    planned, or cancelled too (the dataset gives no two meetings of a body one number, so a
    cancelled meeting keeps its own); extraordinary meetings are numbered apart."""
    highest = session.scalar(
        sa.select(sa.func.max(Event.number)).where(
            Event.body_id == body_id, Event.deleted_at.is_(None), Event.extraordinary.is_(False))
    )
    return (highest or 0) + 1


def convene(session: Session, actor: Actor, body_id: str, *, start: str,
            number: int | None = None, end: str | None = None,
            name: dict[str, str | None] | None = None, city: str | None = None,
            country: str | None = None, venue: str | None = None, host: str | None = None,
            format: str = "in_person", description: str | None = None) -> dict[str, Any]:
    """A new planned meeting of the body; returns it as written."""
    body = live(session, Body, "body", body_id)
    _allowed(actor, "event.convene", body, f"a meeting of {body_id!r}")
    if number is None:
        number = suggest_number(session, body_id)
    number = checks.fields(r.EventRecord, f"event of {body_id}", {"number": number})["number"]
    event_id = f"{body_id}-{number}"
    subject = f"event {event_id}"
    refs = checks.source_refs(actor, "convened")
    names = {k: v for k, v in (name or {}).items() if v} or {
        "en": f"{ordinal(number)} {body.name_en}"
    }
    rec = checks.record(r.EventRecord, subject, {
        "id": event_id, "body": body_id, "number": number, "name": names, "start": start,
        "end": end or None, "city": city or None, "country": country or None,
        "venue": venue or None, "host": host or None, "format": format,
        "status": EventStatus.PLANNED.value, "description": description or None,
        "sources": refs,
    })
    checks.exists(session, Party, "party", rec.host, subject, "host")
    taken = session.scalar(sa.select(Event.id).where(
        Event.body_id == body_id, Event.number == rec.number, Event.deleted_at.is_(None),
        Event.extraordinary.is_(False)))
    if taken:
        raise Invalid([f"{subject}: number: {body_id} already has meeting {taken}"])
    if session.get(Event, event_id) is not None:
        raise Invalid([f"{subject}: number: {event_id} was deleted; restore it, or choose "
                       "another number"])
    if rec.end and rec.end.date < rec.start.date:
        raise Invalid([f"{subject}: end: {rec.end} is before the start {rec.start}"])
    row = Event(
        id=event_id, body_id=body_id, number=rec.number, extraordinary=False,
        name_en=rec.name.en, name_ja=rec.name.ja, name_ru=rec.name.ru,
        start_date=rec.start.date, start_precision=rec.start.precision.value,
        end_date=rec.end.date if rec.end else None,
        end_precision=rec.end.precision.value if rec.end else None,
        city=rec.city, country=rec.country, venue=rec.venue, host_id=rec.host,
        format=rec.format, status=rec.status, description=rec.description,
        origin=Origin.WORKSPACE,
    )
    checks.lengths(Event, subject, {c: getattr(row, c) for c in
                                    ("name_en", "name_ja", "name_ru", "city", "country", "venue",
                                     "description")})
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another secretary convened the same number meanwhile
        session.rollback()
        raise Conflict(f"{event_id!r} was convened by someone else meanwhile", {}) from None
    checks.cite(session, "event", event_id, refs)
    _audit(session, actor, "event.convene", "event", row, None)
    return snapshot(row)


def set_status(session: Session, actor: Actor, event_id: str, version: int, status: str,
               reason: str | None = None) -> dict[str, Any]:
    """Mark a meeting held, cancelled (with a reason), postponed or planned again."""
    row = live(session, Event, "event", event_id)
    _allowed(actor, "event.set_status", row, repr(event_id))
    _current(row, version)
    subject = f"event {event_id}"
    reason = (reason or "").strip() or None
    checked = checks.fields(r.EventRecord, subject,
                            {"status": status, "cancellation_reason": reason})
    new = EventStatus(checked["status"])
    if new is row.status:
        raise Invalid([f"{subject}: status: the meeting is {new.value} already"])
    if new is EventStatus.CANCELLED and not reason:
        raise Invalid([f"{subject}: cancellation_reason: a cancelled meeting needs a reason"])
    if new is not EventStatus.CANCELLED and reason:
        raise Invalid([f"{subject}: cancellation_reason: belongs to a cancelled meeting"])
    if new is EventStatus.HELD and row.start_date and row.start_date > dt.date.today():
        raise Invalid([f"{subject}: status: a meeting cannot be held before it starts "
                       f"({row.start_date.isoformat()})"])
    checks.lengths(Event, subject, {"cancellation_reason": reason})
    before = snapshot(row)
    row.status, row.cancellation_reason, row.origin = new, reason, Origin.WORKSPACE
    _flush(session, row)
    _audit(session, actor, "event.set_status", "event", row, before)
    return snapshot(row)


# --- the agenda ---------------------------------------------------------------------------------


def _open_event(session: Session, event_id: str) -> Event:
    row: Event = live(session, Event, "event", event_id)
    if row.status is EventStatus.CANCELLED:
        raise Invalid([f"event {event_id}: status: the meeting is cancelled"])
    return row


def items(session: Session, event_id: str) -> list[AgendaItem]:
    """The meeting's agenda in its order (withdrawn items included)."""
    return list(session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.event_id == event_id, AgendaItem.deleted_at.is_(None))
        .order_by(AgendaItem.position, AgendaItem.id)
    ))


def item_areas(session: Session, item_id: str) -> list[str]:
    return list(session.scalars(
        sa.select(AreaTag.area_id)
        .where(AreaTag.subject_kind == "agenda_item", AreaTag.subject_id == item_id,
               AreaTag.deleted_at.is_(None))
        .order_by(AreaTag.id)
    ))


def _item_view(session: Session, item: AgendaItem) -> dict[str, Any]:
    return snapshot(item) | {"areas": item_areas(session, item.id)}


def add_item(session: Session, actor: Actor, event_id: str, title: dict[str, str | None],
             areas: list[str] | None = None, position: int | None = None) -> dict[str, Any]:
    """A new item at ``position`` (1 = first; default: the end); later items move down."""
    event = _open_event(session, event_id)
    _allowed(actor, "agenda_item.add", event, f"the agenda of {event_id!r}")
    numbers = session.scalars(sa.select(AgendaItem.id).where(AgendaItem.event_id == event_id))
    number = max((int(i.rsplit(".", 1)[1]) for i in numbers), default=0) + 1
    item_id = f"{event_id}.agenda.{number}"
    subject = f"agenda_item {item_id}"
    rec = checks.record(r.AgendaItemRecord, subject, {
        "item": number, "title": {k: v for k, v in title.items() if v}, "areas": areas or [],
    })
    for i, area in enumerate(rec.areas):
        checks.exists(session, Area, "area", area, subject, f"areas[{i}]")
        if area in rec.areas[:i]:
            raise Invalid([f"{subject}: areas[{i}]: {area!r} is listed twice"])
    agenda = items(session, event_id)
    if position is not None and not 1 <= position <= len(agenda) + 1:
        raise Invalid([f"{subject}: position: between 1 and {len(agenda) + 1}"])
    at = len(agenda) + 1 if position is None else position
    item = AgendaItem(id=item_id, event_id=event_id, position=at, title_en=rec.title.en,
                      title_ja=rec.title.ja, title_ru=rec.title.ru, status=rec.status,
                      origin=Origin.WORKSPACE)
    checks.lengths(AgendaItem, subject, {c: getattr(item, c)
                                         for c in ("title_en", "title_ja", "title_ru")})
    for later in agenda[at - 1:]:
        later.position += 1
        later.origin = Origin.WORKSPACE
    session.add(item)
    for area in rec.areas:
        session.add(AreaTag(id=f"agenda_item:{item_id}:{area}", area_id=area,
                            subject_kind="agenda_item", subject_id=item_id,
                            origin=Origin.WORKSPACE))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"the agenda of {event_id!r} changed meanwhile", {}) from None
    after = _item_view(session, item)
    _audit(session, actor, "agenda_item.add", "agenda_item", item, None, after)
    return after


def reorder(session: Session, actor: Actor, event_id: str, order: list[str]
            ) -> list[dict[str, Any]]:
    """Put the active items in ``order`` (every active item once); withdrawn items follow.

    The order is its own optimistic check: if the agenda gained, lost or withdrew an item since
    the caller read it, the order names other items than the agenda holds, and that is a 409."""
    event = _open_event(session, event_id)
    _allowed(actor, "agenda_item.reorder", event, f"the agenda of {event_id!r}")
    agenda = items(session, event_id)
    by_id = {i.id: i for i in agenda}
    subject = f"event {event_id}"
    unknown = [f"{subject}: order[{n}]: no agenda item {i!r} on this meeting"
               for n, i in enumerate(order) if i not in by_id]
    twice = [f"{subject}: order[{n}]: {i!r} is listed twice"
             for n, i in enumerate(order) if i in order[:n]]
    if unknown or twice:
        raise Invalid(unknown + twice)
    active = [i.id for i in agenda if i.status is AgendaStatus.ACTIVE]
    current = {"order": active, "event": event_id}
    if sorted(order) != sorted(active):
        raise Conflict(f"the agenda of {event_id!r} holds other active items than the order "
                       "names; nothing was written", current)
    withdrawn = [i.id for i in agenda if i.status is not AgendaStatus.ACTIVE]
    before = {"order": [i.id for i in agenda]}
    for position, item_id in enumerate([*order, *withdrawn], start=1):
        item = by_id[item_id]
        if item.position != position:
            item.position, item.origin = position, Origin.WORKSPACE
    _flush(session, event)
    _audit(session, actor, "agenda_item.reorder", "event", event, before,
           {"order": [*order, *withdrawn]})
    return [_item_view(session, i) for i in items(session, event_id)]


def withdraw(session: Session, actor: Actor, item_id: str, version: int) -> dict[str, Any]:
    item: AgendaItem = live(session, AgendaItem, "agenda_item", item_id)
    _open_event(session, item.event_id)
    _allowed(actor, "agenda_item.withdraw", item, repr(item_id))
    _current(item, version)
    if item.status is AgendaStatus.WITHDRAWN:
        raise Invalid([f"agenda_item {item_id}: status: the item is withdrawn already"])
    before = _item_view(session, item)
    item.status, item.origin = AgendaStatus.WITHDRAWN, Origin.WORKSPACE
    _flush(session, item)
    after = _item_view(session, item)
    _audit(session, actor, "agenda_item.withdraw", "agenda_item", item, before, after)
    return after
