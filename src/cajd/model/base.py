"""Declarative base and the column helpers every table shares."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from cajd.vocab import Vocabulary

ID_LENGTH = 120

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def vocab(enum: type[Vocabulary]) -> sa.Enum:
    """A vocabulary stored as its string value, checked by the database on both engines."""
    return sa.Enum(
        enum,
        name=enum.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def ref(target: str, *, nullable: bool = True) -> Mapped[str | None]:
    """A foreign key to another table's stable string id."""
    return mapped_column(sa.String(ID_LENGTH), sa.ForeignKey(target), nullable=nullable, index=True)


class StableId:
    """Rows are keyed by readable, stable ids (``KZ``, ``caj-fmm``, ``caj-fmm-4``)."""

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)


class Names:
    """A name in English, and in Japanese and Russian where a source gives it."""

    name_en: Mapped[str] = mapped_column(sa.String(300))
    name_ja: Mapped[str | None] = mapped_column(sa.String(300))
    name_ru: Mapped[str | None] = mapped_column(sa.String(300))

    def name(self, lang: str = "en") -> str:
        return getattr(self, f"name_{lang}", None) or self.name_en


class Period:
    """A fuzzy start and end (date plus precision)."""

    start_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    start_precision: Mapped[str | None] = mapped_column(sa.String(5))
    end_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    end_precision: Mapped[str | None] = mapped_column(sa.String(5))
