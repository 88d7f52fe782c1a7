"""What running a meeting adds to its page: the agenda in its order and each delegation's members.

A delegation registered in the workspace is public once the secretariat has confirmed it (those of
the historical record have no registration and are public as they are): ``PUBLIC_DELEGATION``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd import model
from cajd.read import views as v
from cajd.read.outcomes import areas_of
from cajd.read.sql import DELEGATION, PERSON, asc, ids_param, localized, rows
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


def agenda(session: Session, event_id: str) -> list[v.AgendaItemView]:
    found = rows(session, _AGENDA, id=event_id)
    tags = areas_of(session, {"agenda_item": [r.id for r in found]})
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
