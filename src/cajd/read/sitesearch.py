"""One search over the whole record (issue 13, point 6): meetings, bodies, parties, people,
documents and sources, by their names and titles in English, Japanese and Russian.

What is searched, per kind, is declared once in ``SEARCHED`` (the page and the API say it from
there). Every term must occur somewhere in a row's searched text, case-insensitively in every
script (SQLite's own ``lower()`` folds only ASCII: ``cajd.store`` gives SQLite a Unicode one).
Documents also go through their full-text index (``cajd.read.search``), which adds their stored
descriptions and texts. One statement per kind, each bounded by ``limit``; the total per kind is
counted in the same statement with a window function.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import views as v
from cajd.read.search import search_documents
from cajd.read.sql import BODY, DOCUMENT, EVENT, PARTY, PERSON, SOURCE, asc, fuzzy, localized

MAX_QUERY = 200
KINDS = ("meeting", "body", "party", "person", "document", "source")
# kind -> the columns searched, as the page and the API describe them
SEARCHED: dict[str, tuple[str, ...]] = {
    "meeting": ("name_en", "name_ja", "name_ru", "city", "venue"),
    "body": ("code", "name_en", "name_ja", "name_ru"),
    "party": ("id", "name_en", "name_ja", "name_ru"),
    "person": ("name_en", "name_ja", "name_ru"),
    "document": ("title_en", "title_ja", "title_ru", "description", "text"),
    "source": ("title", "author", "publisher"),
}
_TABLES = {"meeting": EVENT, "body": BODY, "party": PARTY, "person": PERSON,
           "document": DOCUMENT, "source": SOURCE}


class Hit(v.View):
    kind: str
    id: str
    name: v.Localized
    date: str | None = None


class KindHits(v.View):
    kind: str
    total: int
    hits: list[Hit]


@dataclass(frozen=True)
class Found:
    query: str
    kinds: list[KindHits]

    @property
    def total(self) -> int:
        return sum(k.total for k in self.kinds)


def terms(query: str) -> list[str]:
    return [t.lower() for t in query.split()][:10]


def _haystack(table: sa.FromClause, columns: tuple[str, ...]) -> sa.ColumnElement[str]:
    joined: sa.ColumnElement[str] = sa.func.coalesce(table.c[columns[0]], "")
    for column in columns[1:]:
        joined = joined + " " + sa.func.coalesce(table.c[column], "")
    return sa.func.lower(joined)


def _name_columns(kind: str, table: sa.FromClause) -> list[sa.ColumnElement[object]]:
    if kind == "document":
        return [table.c.title_en, table.c.title_ja, table.c.title_ru, table.c.date,
                table.c.date_precision]
    if kind == "source":
        return [table.c.title, sa.null(), sa.null(), sa.null(), sa.null()]
    if kind == "meeting":
        return [table.c.name_en, table.c.name_ja, table.c.name_ru, table.c.start_date,
                table.c.start_precision]
    return [table.c.name_en, table.c.name_ja, table.c.name_ru, sa.null(), sa.null()]


def _kind(session: Session, kind: str, words: list[str], limit: int,
          also: list[str]) -> KindHits:
    table = _TABLES[kind]
    haystack = _haystack(table, SEARCHED[kind])
    matched: sa.ColumnElement[bool] = sa.and_(
        *(haystack.contains(w, autoescape=True) for w in words))
    if also:  # the document index's own matches (stemmed, ranked) join the substring ones
        matched = sa.or_(matched, table.c.id.in_(also))
    where = [matched]
    if "deleted_at" in table.c:
        where.append(table.c.deleted_at.is_(None))
    order = [asc(table.c.start_date)] if kind == "meeting" else []
    query = (sa.select(table.c.id, *_name_columns(kind, table),
                       sa.func.count().over().label("total"))
             .where(*where).order_by(*order, asc(table.c.id)).limit(limit))
    found = list(session.connection().execute(query))
    hits = [Hit(kind=kind, id=r[0], name=localized(r[1], r[2], r[3]),
                date=fuzzy(r[4], r[5]) if r[4] is not None else None) for r in found]
    return KindHits(kind=kind, total=int(found[0].total) if found else 0, hits=hits)


def search(session: Session, query: str, kinds: tuple[str, ...] = KINDS,
           limit: int = 50) -> Found:
    """What matches every term of ``query``, per kind (at most ``limit`` hits each)."""
    words = terms(query[:MAX_QUERY])
    if not words:
        return Found(query, [])
    documents = search_documents(session, query[:MAX_QUERY]) if "document" in kinds else []
    return Found(query, [_kind(session, kind, words, limit, documents if kind == "document"
                               else []) for kind in kinds])
