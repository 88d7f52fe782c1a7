"""Delegations to a meeting: a focal point registers its own party's, the secretariat confirms,
and guests come through the secretariat alone (Indico.UN's rule: each organisation's focal point
manages its delegates, the secretariat approves).

A delegation's id is the dataset's (``caj-fmm-10.KZ``); its members are numbered in their order
(``caj-fmm-10.KZ#2``), as the builder numbers them, so that a dump reloads them unchanged. Amending
a registration sends it back for confirmation; a member dropped by an amendment is soft-deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cajd.dataset import records as r
from cajd.fuzzydate import FuzzyDate
from cajd.model import Body, Delegation, DelegationMember, Event, Participation, Party, Person
from cajd.vocab import EventStatus, Origin, Registration, Role
from cajd.workflow import checks
from cajd.workflow.errors import Conflict, Invalid
from cajd.workflow.meetings import _allowed, _current, _open_event, live
from cajd.workflow.rules import Actor
from cajd.workflow.service import _audit, _flush, snapshot


@dataclass(frozen=True)
class Registering:
    """What the rule for a new registration looks at: whose delegation, in what role."""

    party_id: str
    role: Role
    id: str


def role_at(session: Session, event: Event, party_id: str) -> Role | None:
    """The party's role in the body's dialogue on the meeting's first day (None: it takes no
    part then)."""
    dialogue = session.scalar(sa.select(Body.dialogue_id).where(Body.id == event.body_id))
    day = event.start_date or dt.date.today()
    found = session.scalars(
        sa.select(Participation).where(
            Participation.dialogue_id == dialogue, Participation.party_id == party_id,
            Participation.deleted_at.is_(None),
        )
    ).all()
    covering = [p for p in found if (p.start_date is None or p.start_date <= day)
                and (p.end_date is None or p.end_date >= day)]
    # Member outranks observer outranks guest where periods overlap.
    order = [Role.MEMBER, Role.OBSERVER, Role.GUEST]
    roles = sorted((Role(p.role) for p in covering), key=order.index)
    return roles[0] if roles else None


def members(session: Session, delegation_id: str) -> list[DelegationMember]:
    return list(session.scalars(
        sa.select(DelegationMember)
        .where(DelegationMember.delegation_id == delegation_id,
               DelegationMember.deleted_at.is_(None))
        .order_by(DelegationMember.position)
    ))


def view(session: Session, row: Delegation) -> dict[str, Any]:
    """The delegation as written, with its members (what the audit entry and the API return)."""
    return snapshot(row) | {"members": [snapshot(m) for m in members(session, row.id)]}


def _set_members(session: Session, delegation_id: str, wanted: list[r.MemberRecord]) -> None:
    """Member ``n`` is row ``delegation#n``: update in place, add, or soft-delete the rest."""
    rows = {m.id: m for m in session.scalars(
        sa.select(DelegationMember).where(DelegationMember.delegation_id == delegation_id))}
    keep = set()
    for n, member in enumerate(wanted, start=1):
        member_id = f"{delegation_id}#{n}"
        keep.add(member_id)
        values = {"position": n, "person_id": member.person, "name": member.name,
                  "title": member.title, "rank": member.rank}
        row = rows.get(member_id)
        if row is None:
            session.add(DelegationMember(id=member_id, delegation_id=delegation_id,
                                         origin=Origin.WORKSPACE, **values))
            continue
        if row.deleted_at is not None or any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.deleted_at = row.deleted_by = None
            row.origin = Origin.WORKSPACE
    now = dt.datetime.now(dt.UTC)
    for member_id, row in rows.items():
        if member_id not in keep and row.deleted_at is None:
            row.deleted_at, row.deleted_by, row.origin = now, "registration", Origin.WORKSPACE


def _validated(session: Session, subject: str, data: dict[str, Any]) -> r.DelegationRecord:
    rec = checks.record(r.DelegationRecord, subject, data)
    checks.exists(session, Person, "person", rec.head, subject, "head")
    checks.lengths(Delegation, subject, {"head_title": rec.title, "head_name": rec.head_name,
                                                "note": rec.note})
    for n, member in enumerate(rec.members):
        here = f"members[{n}]"
        checks.exists(session, Person, "person", member.person, subject, f"{here}.person")
        checks.lengths(DelegationMember, subject, {"name": member.name, "title": member.title},
                       prefix=f"{here}.")
    return rec


def register(session: Session, actor: Actor, event_id: str, party_id: str, *,
             head: str | None = None, head_name: str | None = None, title: str | None = None,
             rank: str | None = None, note: str | None = None,
             member_list: list[dict[str, Any]] | None = None,
             version: int | None = None) -> dict[str, Any]:
    """Register (or, with the current ``version``, amend) a party's delegation to a planned
    meeting; it then awaits the secretariat's confirmation."""
    event = _open_event(session, event_id)
    party = live(session, Party, "party", party_id)
    delegation_id = f"{event_id}.{party.id}"
    row = session.get(Delegation, delegation_id)
    row = row if row is not None and row.deleted_at is None else None
    role = Role(row.role) if row is not None else role_at(session, event, party.id)
    subject = f"delegation {delegation_id}"
    # A party taking no part is a would-be guest: only the secretariat gets as far as being told.
    target = row or Registering(party.id, role or Role.GUEST, delegation_id)
    _allowed(actor, "delegation.register", target,
             f"the delegation of {party.id} to {event_id!r}")
    if role is None:
        raise Invalid([f"{subject}: party: {party.id} takes no part in this dialogue at "
                       "the meeting's date; invite it as a guest first"])
    if row is not None and version is None:
        raise Conflict(f"{delegation_id!r} is registered already (version {row.version}); send "
                       "its version to amend it", view(session, row))
    if row is not None and version is not None:
        _current(row, version)
    if event.status is not EventStatus.PLANNED:
        raise Invalid([f"{subject}: status: registration is open while the meeting is planned "
                       f"(it is {event.status.value})"])
    refs = checks.source_refs(actor, "registered")
    now = dt.datetime.now(dt.UTC)
    rec = _validated(session, subject, {
        "party": party.id, "role": role.value, "head": head or None,
        "head_name": head_name or None, "title": title or None, "rank": rank or None,
        "note": note or None, "members": member_list or [],
        "registration": Registration.REGISTERED.value, "registered_by": actor.name,
        "registered_at": now, "sources": refs,
    })
    before = view(session, row) if row is not None else None
    if row is None:
        row = Delegation(id=delegation_id, event_id=event_id, party_id=party.id, role=role)
        session.add(row)
    row.head_id, row.head_name, row.head_title = rec.head, rec.head_name, rec.title
    row.rank, row.note = rec.rank, rec.note
    row.registration, row.registered_by, row.registered_at = rec.registration, actor.name, now
    row.confirmed_by = row.confirmed_at = None
    row.origin = Origin.WORKSPACE
    try:
        _flush(session, row)
    except IntegrityError:  # the same delegation registered twice at once
        session.rollback()
        raise Conflict(f"{delegation_id!r} was registered by someone else meanwhile", {}) from None
    _set_members(session, delegation_id, rec.members)
    _flush(session, row)
    if before is None:
        checks.cite(session, "delegation", delegation_id, refs)
    action = "delegation.register"
    _audit(session, actor, action, "delegation", row, before, view(session, row))
    return view(session, row)


def confirm(session: Session, actor: Actor, delegation_id: str, version: int) -> dict[str, Any]:
    row: Delegation = live(session, Delegation, "delegation", delegation_id)
    _open_event(session, row.event_id)
    _allowed(actor, "delegation.confirm", row, repr(delegation_id))
    _current(row, version)
    subject = f"delegation {delegation_id}"
    if row.registration is None:
        raise Invalid([f"{subject}: registration: the delegation was never registered here"])
    if row.registration is Registration.CONFIRMED:
        raise Invalid([f"{subject}: registration: the delegation is confirmed already"])
    before = view(session, row)
    row.registration, row.confirmed_by = Registration.CONFIRMED, actor.name
    row.confirmed_at, row.origin = dt.datetime.now(dt.UTC), Origin.WORKSPACE
    _flush(session, row)
    _audit(session, actor, "delegation.confirm", "delegation", row, before, view(session, row))
    return view(session, row)


def invite_guest(session: Session, actor: Actor, event_id: str, party_id: str, *,
                 new_party: dict[str, Any] | None = None) -> dict[str, Any]:
    """Invite a guest: a party that has (or is given) a guest participation, or a new party
    (``new_party``: its ``kind`` and ``name``). The secretariat alone may."""
    event = _open_event(session, event_id)
    delegation_id = f"{event_id}.{party_id}"
    subject = f"delegation {delegation_id}"
    _allowed(actor, "delegation.invite", Registering(party_id, Role.GUEST, delegation_id),
             f"a guest to {event_id!r}")
    if event.status is not EventStatus.PLANNED:
        raise Invalid([f"{subject}: status: guests are invited while the meeting is planned"])
    refs = checks.source_refs(actor, "invited")
    existing = session.get(Party, party_id)
    new_row: dict[str, Any] | None = None  # the new party, in the one audit entry too
    if new_party is not None:
        if existing is not None:
            raise Invalid([f"party {party_id}: id: the party exists already; invite it by id"])
        party = checks.record(r.PartyRecord, f"party {party_id}",
                              {"id": party_id, **new_party, "sources": refs})
        checks.lengths(Party, f"party {party_id}", {"name_en": party.name.en,
                                                    "name_ja": party.name.ja,
                                                    "name_ru": party.name.ru})
        created = Party(id=party.id, kind=party.kind, name_en=party.name.en,
                        name_ja=party.name.ja, name_ru=party.name.ru, origin=Origin.WORKSPACE)
        session.add(created)
        session.flush()
        new_row = snapshot(created)
        checks.cite(session, "party", party.id, refs)
    elif existing is None or existing.deleted_at is not None:
        raise Invalid([f"{subject}: party: no party {party_id!r} (looked in parties/); "
                       "give the new party's kind and name to invite it"])
    role = role_at(session, event, party_id)
    if role in (Role.MEMBER, Role.OBSERVER):
        raise Invalid([f"{subject}: party: {party_id} takes part as {role.value}; its focal "
                       "point registers its delegation"])
    if session.get(Delegation, delegation_id) is not None:
        raise Conflict(f"{delegation_id!r} exists already", snapshot(
            session.get(Delegation, delegation_id)))  # type: ignore[arg-type]
    if role is None:
        _guest_participation(session, event, party_id, refs)
    row = Delegation(id=delegation_id, event_id=event_id, party_id=party_id, role=Role.GUEST,
                     registration=Registration.INVITED, registered_by=actor.name,
                     registered_at=dt.datetime.now(dt.UTC), origin=Origin.WORKSPACE)
    session.add(row)
    _flush(session, row)
    checks.cite(session, "delegation", delegation_id, refs)
    after = view(session, row) | ({"new_party": new_row} if new_row else {})
    _audit(session, actor, "delegation.invite", "delegation", row, None, after)
    return after


def _guest_participation(session: Session, event: Event, party_id: str,
                         refs: list[dict[str, str]]) -> None:
    """The guest's participation, for the meeting's days, with the builder's id."""
    dialogue = session.scalar(sa.select(Body.dialogue_id).where(Body.id == event.body_id))
    start = FuzzyDate.from_columns(event.start_date, event.start_precision)
    end = FuzzyDate.from_columns(event.end_date, event.end_precision) or start
    participation_id = f"{dialogue}.{party_id}.guest.{start or 'open'}"
    session.add(Participation(
        id=participation_id, dialogue_id=dialogue, party_id=party_id, role=Role.GUEST,
        start_date=start.date if start else None,
        start_precision=start.precision.value if start else None,
        end_date=end.date if end else None, end_precision=end.precision.value if end else None,
        note=f"Guest at {event.id}.", origin=Origin.WORKSPACE,
    ))
    session.flush()
    checks.cite(session, "participation", participation_id, refs)
