"""Which parties a not-yet-public item concerns, for ``cajd.workflow.rules.may_see_drafts``."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.model import Body, Delegation, Event, Participation


def parties_concerned(session: Session, event_id: str) -> frozenset[str]:
    """The parties an event concerns: those with a delegation to it, and every party that takes
    part in the event's dialogue (member, observer or guest) at any time, since a meeting being
    prepared concerns each of them before anyone registers."""
    delegations = sa.select(Delegation.party_id).where(Delegation.event_id == event_id,
                                                        Delegation.deleted_at.is_(None))
    dialogue = (sa.select(Body.dialogue_id).join(Event, Event.body_id == Body.id)
                .where(Event.id == event_id).scalar_subquery())
    participants = sa.select(Participation.party_id).where(
        Participation.dialogue_id == dialogue, Participation.deleted_at.is_(None))
    return frozenset(session.scalars(sa.union(delegations, participants)))
