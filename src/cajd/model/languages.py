"""The record in three languages: a gazetteer of places, and cajd's own text translated by cajd.

A place (a city or a venue) is written once, with its names in three languages and their sources,
so that "Tokyo" is not typed into sixty meetings; an event names its city as before and the read
side finds the place by its English name and country. A translation is cajd's own rendering of
text cajd wrote (a description), kept apart from the names sources give so that the portal can
say whose words a reader sees.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cajd.model.base import Base, Names, StableId, ref, vocab
from cajd.model.workspace import Tracked
from cajd.vocab import PlaceKind


class Place(StableId, Tracked, Names, Base):
    """A city or a venue of the gazetteer (``tokyo``, ``iikura-house``)."""

    __tablename__ = "place"
    __table_args__ = (sa.UniqueConstraint("kind", "country", "name_en"),)
    kind: Mapped[PlaceKind] = mapped_column(vocab(PlaceKind))
    country: Mapped[str] = mapped_column(sa.String(2))
    city_id: Mapped[str | None] = ref("place.id")  # a venue's city


class Translation(StableId, Tracked, Base):
    """One field of one record in one language, as cajd translated it (never a source's words)."""

    __tablename__ = "translation"
    __table_args__ = (
        sa.Index("ix_translation_subject", "subject_kind", "subject_id"),
        sa.UniqueConstraint("subject_kind", "subject_id", "field", "lang"),
    )
    subject_kind: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[str] = mapped_column(sa.String(120))
    field: Mapped[str] = mapped_column(sa.String(60))
    lang: Mapped[str] = mapped_column(sa.String(2))
    text: Mapped[str] = mapped_column(sa.Text)
