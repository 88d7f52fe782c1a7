"""What running a meeting adds to its page: the agenda in its order and each delegation's members.

A delegation registered in the workspace is public once the secretariat has confirmed it (those of
the historical record have no registration and are public as they are): ``PUBLIC_DELEGATION``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd import model
from cajd.read import views as v
from cajd.read.outcomes import areas_of
from cajd.read.provenance import Key
from cajd.read.sql import (
    DELEGATION,
    PERSON,
    NotFound,
    asc,
    fuzzy,
    ids_param,
    localized,
    rows,
)
from cajd.vocab import Registration

AGENDA = model.AgendaItem.__table__
MEMBER = model.DelegationMember.__table__
PUBLIC_DELEGATION = sa.or_(DELEGATION.c.registration.is_(None),
                           DELEGATION.c.registration == Registration.CONFIRMED.value)

_AGENDA = (
    sa.select(AGENDA.c.id, AGENDA.c.position, AGENDA.c.title_en, AGENDA.c.title_ja,
              AGENDA.c.title_ru, AGENDA.c.status)
    .where(AGENDA.c.event_id == sa.bindparam("id"), AGENDA.c.deleted_at.is_(None))
    .order_by(AGENDA.c.position, asc(AGENDA.c.id))
)
_MEMBERS = (
    sa.select(MEMBER.c.delegation_id, MEMBER.c.person_id, PERSON.c.name_en, PERSON.c.name_ja,
              PERSON.c.name_ru, MEMBER.c.name, MEMBER.c.title, MEMBER.c.rank)
    .outerjoin(PERSON, PERSON.c.id == MEMBER.c.person_id)
    .where(MEMBER.c.delegation_id.in_(ids_param("ids")), MEMBER.c.deleted_at.is_(None))
    .order_by(MEMBER.c.position)
)


def agenda_rows(session: Session, event_id: str) -> Sequence[sa.Row[Any]]:
    return rows(session, _AGENDA, id=event_id)


def agenda_views(found: Sequence[sa.Row[Any]], tags: dict[Key, list[v.AreaBrief]]
                 ) -> list[v.AgendaItemView]:
    """The agenda's items, their areas from the meeting's one ``areas_of`` call."""
    return [
        v.AgendaItemView(id=r.id, position=r.position,
                         title=localized(r.title_en, r.title_ja, r.title_ru), status=r.status,
                         areas=tags.get(("agenda_item", r.id), []))
        for r in found
    ]


def members(session: Session, delegations: Collection[str]) -> dict[str, list[v.MemberView]]:
    out: dict[str, list[v.MemberView]] = defaultdict(list)
    if not delegations:
        return out
    for r in rows(session, _MEMBERS, ids=sorted(delegations)):
        person = (v.PersonBrief(id=r.person_id, name=localized(r.name_en, r.name_ja, r.name_ru))
                  if r.person_id else None)
        out[r.delegation_id].append(
            v.MemberView(person=person, name=r.name, title=r.title, rank=r.rank))
    return out


# --- the workspace's view of a meeting being run ------------------------------------------------
# The secretariat and the focal points see every registration (awaiting confirmation or not) and
# the versions their next write is based on.

EVENT, PARTY = model.Event.__table__, model.Party.__table__
AREA = model.Area.__table__


class Registered(v.View):
    id: str
    party: v.PartyBrief
    role: str
    head: str | None = None
    head_name: str | None = None
    head_title: str | None = None
    rank: str | None = None
    note: str | None = None
    registration: str | None = None
    registered_by: str | None = None
    confirmed_by: str | None = None
    version: int
    members: list[v.MemberView]


class WorkItem(v.View):
    id: str
    position: int
    title: v.Localized
    status: str
    areas: list[str]
    version: int


class Workspace(v.View):
    id: str
    body: str
    name: v.Localized
    number: int | None = None
    start: str
    status: str
    cancellation_reason: str | None = None
    version: int
    delegations: list[Registered]
    agenda: list[WorkItem]


def workspace(session: Session, event_id: str) -> Workspace:
    found = rows(session, sa.select(EVENT).where(EVENT.c.id == event_id,
                                                 EVENT.c.deleted_at.is_(None)))
    if not found:
        raise NotFound("event", event_id)
    e = found[0]
    dels = rows(session, sa.select(DELEGATION, PARTY.c.name_en.label("p_en"),
                                   PARTY.c.name_ja.label("p_ja"), PARTY.c.name_ru.label("p_ru"))
                .join(PARTY, PARTY.c.id == DELEGATION.c.party_id)
                .where(DELEGATION.c.event_id == event_id, DELEGATION.c.deleted_at.is_(None))
                .order_by(asc(DELEGATION.c.role), asc(DELEGATION.c.party_id)))
    crew = members(session, [d.id for d in dels])
    items = rows(session, sa.select(AGENDA).where(AGENDA.c.event_id == event_id,
                                                  AGENDA.c.deleted_at.is_(None))
                 .order_by(AGENDA.c.position, asc(AGENDA.c.id)))
    tags = areas_of(session, {"agenda_item": [i.id for i in items]})
    return Workspace(
        id=e.id, body=e.body_id, name=localized(e.name_en, e.name_ja, e.name_ru),
        number=e.number, start=fuzzy(e.start_date, e.start_precision) or "", status=e.status,
        cancellation_reason=e.cancellation_reason, version=e.version,
        delegations=[
            Registered(id=d.id, party=v.PartyBrief(id=d.party_id,
                                                   name=localized(d.p_en, d.p_ja, d.p_ru)),
                       role=d.role, head=d.head_id, head_name=d.head_name,
                       head_title=d.head_title, rank=d.rank, note=d.note,
                       registration=d.registration, registered_by=d.registered_by,
                       confirmed_by=d.confirmed_by, version=d.version,
                       members=crew.get(d.id, []))
            for d in dels
        ],
        agenda=[
            WorkItem(id=i.id, position=i.position,
                     title=localized(i.title_en, i.title_ja, i.title_ru), status=i.status,
                     areas=[a.id for a in tags.get(("agenda_item", i.id), [])],
                     version=i.version)
            for i in items
        ],
    )


def areas(session: Session) -> list[v.AreaBrief]:
    """Every area (pillars first), to tag agenda items with."""
    found = rows(session, sa.select(AREA.c.id, AREA.c.name_en, AREA.c.name_ja, AREA.c.name_ru)
                 .where(AREA.c.deleted_at.is_(None))
                 .order_by(AREA.c.parent_id.is_not(None), asc(AREA.c.id)))
    return [v.AreaBrief(id=a.id, name=localized(a.name_en, a.name_ja, a.name_ru)) for a in found]


def planned(session: Session) -> list[sa.Row[Any]]:
    """The meetings being run: planned ones, soonest first."""
    return list(rows(session, sa.select(EVENT.c.id, EVENT.c.name_en, EVENT.c.name_ja,
                                        EVENT.c.name_ru, EVENT.c.start_date, EVENT.c.body_id)
                     .where(EVENT.c.status == "planned", EVENT.c.deleted_at.is_(None))
                     .order_by(EVENT.c.start_date, asc(EVENT.c.id))))
