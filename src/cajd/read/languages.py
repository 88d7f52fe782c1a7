"""The record in the reader's language: places by their gazetteer names, and cajd's own text in
cajd's translation. Both are joined into the statement that already reads the meeting or body
(correlated subqueries, outer joins), so they cost no extra round trip."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from cajd import model
from cajd.read import views as v
from cajd.read.sql import DELEGATION, EVENT, POSITION, localized

PLACE, TRANSLATION = model.Place.__table__, model.Translation.__table__
CITY, VENUE = PLACE.alias("city_place"), PLACE.alias("venue_place")


def translated(kind: str, subject: sa.ColumnElement[Any], field: str, lang: str) -> sa.Label[Any]:
    """cajd's ``lang`` translation of ``field`` of the ``kind`` row whose id is ``subject``."""
    t = TRANSLATION.c
    return (
        sa.select(t.text)
        .where(t.subject_kind == kind, t.subject_id == subject, t.field == field, t.lang == lang,
               t.deleted_at.is_(None))
        .scalar_subquery().label(f"{field}_{lang}")
    )


def _place(alias: sa.FromClause, kind: str, name: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    return sa.and_(alias.c.kind == kind, alias.c.name_en == name,
                   alias.c.country == EVENT.c.country, alias.c.deleted_at.is_(None))


def with_places(joined: Any) -> Any:
    """``joined`` (a FROM holding the event table) with the event's city and venue from the
    gazetteer, matched by English name and country (each place once, so no row doubles)."""
    return (joined.outerjoin(CITY, _place(CITY, "city", EVENT.c.city))
            .outerjoin(VENUE, _place(VENUE, "venue", EVENT.c.venue)))


PLACE_COLUMNS = (CITY.c.name_ja.label("city_ja"), CITY.c.name_ru.label("city_ru"),
                 VENUE.c.name_ja.label("venue_ja"), VENUE.c.name_ru.label("venue_ru"))


def place_names(r: Any) -> dict[str, v.Localized | None]:
    """The city's and venue's names in three languages (English only where the gazetteer lacks
    the place: the page then falls back visibly)."""
    return {
        "city_name": localized(r.city, r.city_ja, r.city_ru) if r.city else None,
        "venue_name": localized(r.venue, r.venue_ja, r.venue_ru) if r.venue else None,
    }


def cajd_text(en: str | None, ja: str | None, ru: str | None) -> v.CajdText | None:
    """Text cajd wrote, with cajd's translations (marked as such by the view's type)."""
    return v.CajdText(en=en, ja=ja, ru=ru) if en else None


def title_form(lang: str) -> sa.Label[Any]:
    """A delegation head's title in ``lang``, derived once from the positions of the record
    (each of whose Japanese and Russian forms is cited for its language): the head's own position
    of that English title first, else any position titled so. (Correlated in WHERE only: SQLite
    cannot see the outer row from a subquery's ORDER BY.)"""
    p, form = POSITION.c, POSITION.c[f"title_{lang}"]
    titled = sa.select(form).where(p.title_en == DELEGATION.c.head_title, form.is_not(None),
                                   p.deleted_at.is_(None))
    own = titled.where(p.person_id == DELEGATION.c.head_id).order_by(p.id).limit(1)
    any_ = titled.order_by(p.id).limit(1)
    return sa.func.coalesce(own.scalar_subquery(), any_.scalar_subquery()).label(
        f"head_title_{lang}")


def head_title(r: Any) -> v.Localized | None:
    return localized(r.head_title, r.head_title_ja, r.head_title_ru) if r.head_title else None
