"""Who takes part and in what: dialogues, parties, participations, bodies."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cajd.model.base import Base, Names, Period, StableId, ref, vocab
from cajd.model.workspace import Tracked
from cajd.vocab import BodyKind, BodyStatus, PartyKind, Rank, Role


class Party(StableId, Tracked, Names, Base):
    """A state (id = ISO 3166-1 alpha-2) or an organisation."""

    __tablename__ = "party"
    kind: Mapped[PartyKind] = mapped_column(vocab(PartyKind))


class Dialogue(StableId, Tracked, Names, Base):
    """A standing format: a region's states plus a partner (``caj``; other C5+X for comparison)."""

    __tablename__ = "dialogue"
    partner_id: Mapped[str | None] = ref("party.id")
    founded_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    founded_precision: Mapped[str | None] = mapped_column(sa.String(5))
    founded_city: Mapped[str | None] = mapped_column(sa.String(120))
    founded_country: Mapped[str | None] = mapped_column(sa.String(2))
    description: Mapped[str | None] = mapped_column(sa.Text)

    participations: Mapped[list[Participation]] = relationship(back_populates="dialogue")
    bodies: Mapped[list[Body]] = relationship(back_populates="dialogue")


class Participation(StableId, Tracked, Period, Base):
    """A party's role in a dialogue over a period."""

    __tablename__ = "participation"
    dialogue_id: Mapped[str] = ref("dialogue.id", nullable=False)  # type: ignore[assignment]
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    role: Mapped[Role] = mapped_column(vocab(Role))
    note: Mapped[str | None] = mapped_column(sa.Text)

    dialogue: Mapped[Dialogue] = relationship(back_populates="participations")
    party: Mapped[Party] = relationship()


class Body(StableId, Tracked, Names, Base):
    """A structural element of a dialogue that meets (FMM, SOM, TID …) or was proposed to."""

    __tablename__ = "body"
    dialogue_id: Mapped[str] = ref("dialogue.id", nullable=False)  # type: ignore[assignment]
    code: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[BodyKind] = mapped_column(vocab(BodyKind))
    status: Mapped[BodyStatus] = mapped_column(vocab(BodyStatus))
    reports_to_id: Mapped[str | None] = ref("body.id")
    proposed_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    proposed_precision: Mapped[str | None] = mapped_column(sa.String(5))
    established_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    established_precision: Mapped[str | None] = mapped_column(sa.String(5))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # The rank a head of delegation is expected to hold at this body's meetings (minister for
    # the FMM…): the yardstick of the paper's "participation criterion".
    nominal_rank: Mapped[Rank | None] = mapped_column(vocab(Rank))
    nominal_rank_convention: Mapped[str | None] = mapped_column(sa.Text)

    dialogue: Mapped[Dialogue] = relationship(back_populates="bodies")


class StatedCount(StableId, Tracked, Base):
    """A count of a body's meetings that a source states at a date ("by Dec 2022: 15 SOMs")."""

    __tablename__ = "stated_count"
    body_id: Mapped[str] = ref("body.id", nullable=False)  # type: ignore[assignment]
    count: Mapped[int] = mapped_column(sa.Integer)
    as_of_date: Mapped[dt.date] = mapped_column(sa.Date)
    as_of_precision: Mapped[str] = mapped_column(sa.String(5))
    note: Mapped[str | None] = mapped_column(sa.Text)


class DeclaredGap(StableId, Tracked, Base):
    """A number in a body's sequence whose meeting the record lacks, declared with the searches
    made for it, so that a hole in the numbering is never silent."""

    __tablename__ = "declared_gap"
    __table_args__ = (sa.UniqueConstraint("body_id", "number"),)
    body_id: Mapped[str] = ref("body.id", nullable=False)  # type: ignore[assignment]
    number: Mapped[int] = mapped_column(sa.Integer)
    note: Mapped[str] = mapped_column(sa.Text)
    # The queries and places already tried: a list of strings (JSON on both engines).
    searched: Mapped[list[str]] = mapped_column(sa.JSON)
