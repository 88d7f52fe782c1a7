"""Meetings and who came: events, delegations, people and their positions."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cajd.model.base import Base, Names, Period, StableId, ref, vocab
from cajd.model.registry import Body, Party
from cajd.model.workspace import ACTOR_LENGTH, Tracked
from cajd.vocab import AgendaStatus, EventFormat, EventStatus, Rank, Registration, Role


class Person(StableId, Tracked, Names, Base):
    __tablename__ = "person"
    positions: Mapped[list[Position]] = relationship(back_populates="person")


class Position(StableId, Tracked, Period, Base):
    """A post a person held for a party over a period (e.g. Minister for Foreign Affairs)."""

    __tablename__ = "position"
    person_id: Mapped[str] = ref("person.id", nullable=False)  # type: ignore[assignment]
    party_id: Mapped[str | None] = ref("party.id")
    title_en: Mapped[str] = mapped_column(sa.String(300))
    title_ja: Mapped[str | None] = mapped_column(sa.String(300))
    title_ru: Mapped[str | None] = mapped_column(sa.String(300))

    person: Mapped[Person] = relationship(back_populates="positions")


class Event(StableId, Tracked, Names, Period, Base):
    """One meeting of a body."""

    __tablename__ = "event"
    body_id: Mapped[str] = ref("body.id", nullable=False)  # type: ignore[assignment]
    number: Mapped[int | None] = mapped_column(sa.Integer)
    extraordinary: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    city: Mapped[str | None] = mapped_column(sa.String(120))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    host_id: Mapped[str | None] = ref("party.id")
    chair_id: Mapped[str | None] = ref("person.id")
    format: Mapped[EventFormat] = mapped_column(vocab(EventFormat))
    status: Mapped[EventStatus] = mapped_column(vocab(EventStatus))
    description: Mapped[str | None] = mapped_column(sa.Text)
    cancellation_reason: Mapped[str | None] = mapped_column(sa.Text)

    body: Mapped[Body] = relationship()
    delegations: Mapped[list[Delegation]] = relationship(back_populates="event")


class Delegation(StableId, Tracked, Base):
    """A party's delegation to an event; the head's rank is the 'participation criterion'."""

    __tablename__ = "delegation"
    __table_args__ = (sa.UniqueConstraint("event_id", "party_id"),)
    event_id: Mapped[str] = ref("event.id", nullable=False)  # type: ignore[assignment]
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    role: Mapped[Role] = mapped_column(vocab(Role))
    head_id: Mapped[str | None] = ref("person.id")
    head_title: Mapped[str | None] = mapped_column(sa.String(300))
    rank: Mapped[Rank | None] = mapped_column(vocab(Rank))
    note: Mapped[str | None] = mapped_column(sa.Text)
    # A head the record has no person for yet (a focal point names its head as it registers).
    head_name: Mapped[str | None] = mapped_column(sa.String(300))
    # Registration in the workspace; None for delegations of the historical record.
    registration: Mapped[Registration | None] = mapped_column(vocab(Registration))
    registered_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    registered_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    confirmed_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    event: Mapped[Event] = relationship(back_populates="delegations")
    party: Mapped[Party] = relationship()
    head: Mapped[Person | None] = relationship()


class DelegationMember(StableId, Tracked, Base):
    """A member of a delegation besides its head: a person of the record, or a name."""

    __tablename__ = "delegation_member"
    delegation_id: Mapped[str] = ref("delegation.id", nullable=False)  # type: ignore[assignment]
    position: Mapped[int] = mapped_column(sa.Integer)
    person_id: Mapped[str | None] = ref("person.id")
    name: Mapped[str | None] = mapped_column(sa.String(300))
    title: Mapped[str | None] = mapped_column(sa.String(300))
    rank: Mapped[Rank | None] = mapped_column(vocab(Rank))


class AgendaItem(StableId, Tracked, Base):
    """One item of a meeting's agenda, in its order; areas are tagged (``AreaTag``) on it.

    A withdrawn item is kept (withdrawing is not deleting): the agenda shows what was dropped."""

    __tablename__ = "agenda_item"
    event_id: Mapped[str] = ref("event.id", nullable=False)  # type: ignore[assignment]
    position: Mapped[int] = mapped_column(sa.Integer)
    title_en: Mapped[str] = mapped_column(sa.String(500))
    title_ja: Mapped[str | None] = mapped_column(sa.String(500))
    title_ru: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[AgendaStatus] = mapped_column(vocab(AgendaStatus))
