"""The sources list, filtered and sorted (issue 13, point 8): official or not, publisher, the
language of its title, sorted by title, publisher, publication date or the number of facts it
supports. The page, its CSV and the API share it.

A source records no language of its own; the language of its title is read from its script
(kana or kanji: Japanese, Cyrillic: Russian, else English), which is what a reader filtering by
language wants to know: what they will be able to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import views as v
from cajd.read.sql import CITATION, SOURCE, Page, asc, desc, ids_param, page, rows

SourceSort = Literal["official", "title", "publisher", "published", "-published", "-facts"]
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def title_language(title: str) -> str:
    if _JAPANESE.search(title):
        return "ja"
    if _CYRILLIC.search(title):
        return "ru"
    return "en"


@dataclass(frozen=True)
class SourceFilter:
    official: bool | None = None
    publisher: str | None = None
    language: str | None = None
    sort: SourceSort = "official"


_FACTS = (sa.select(sa.func.count()).where(CITATION.c.source_id == SOURCE.c.id)
          .scalar_subquery().label("facts"))
_ORDER = {
    "official": (desc(SOURCE.c.official), asc(SOURCE.c.id)),
    "title": (asc(SOURCE.c.title), asc(SOURCE.c.id)),
    "publisher": (asc(SOURCE.c.publisher), asc(SOURCE.c.title), asc(SOURCE.c.id)),
    "published": (asc(SOURCE.c.published), asc(SOURCE.c.id)),
    "-published": (desc(SOURCE.c.published), asc(SOURCE.c.id)),
    "-facts": (desc(_FACTS), asc(SOURCE.c.id)),
}


class SourceRow(v.SourceView):
    """A source in the list: what it is, the language of its title, how many facts rest on it
    (the facts themselves are on its own page)."""

    language: str
    facts: int


def sources(session: Session, filters: SourceFilter = SourceFilter(), limit: int | None = None,
            offset: int = 0) -> Page[SourceRow]:
    """The page of sources, with the true total: the page is chosen on ids and titles alone, and
    only its own rows are read whole, with their facts counted (at 100x the record, building all
    16,600 rows to show 50 took a second)."""
    wheres: list[sa.ColumnElement[bool]] = []
    if filters.official is not None:
        wheres.append(SOURCE.c.official.is_(filters.official))
    if filters.publisher:
        wheres.append(SOURCE.c.publisher == filters.publisher)
    order = _ORDER[filters.sort]
    if limit is None:  # all of them (the CSV download): one statement
        found = [_row(s) for s in rows(session, sa.select(SOURCE, _FACTS).where(*wheres)
                                       .order_by(*order))]
        if filters.language:
            found = [s for s in found if s.language == filters.language]
        return Page(found[offset:], len(found), limit, offset)
    listed = sa.select(SOURCE.c.id, SOURCE.c.title).where(*wheres).order_by(*order)
    if filters.language:  # read from the title, so filtered here
        ids = [r.id for r in rows(session, listed) if title_language(r.title) == filters.language]
        total = len(ids)
        ids = ids[offset:offset + limit]
    else:
        paged, total = page(session, listed, limit, offset)
        ids = [r.id for r in paged]
    whole = {s.id: s for s in rows(session, sa.select(SOURCE, _FACTS).where(
        SOURCE.c.id.in_(ids_param("ids"))), ids=ids)} if ids else {}
    return Page([_row(whole[i]) for i in ids], total, limit, offset)


def _row(s: sa.Row[Any]) -> SourceRow:
    return SourceRow(id=s.id, kind=s.kind, title=s.title, language=title_language(s.title),
                     author=s.author, publisher=s.publisher, published=s.published, url=s.url,
                     accessed=s.accessed.isoformat() if s.accessed else None, file=s.file,
                     official=s.official, note=s.note, facts=s.facts, supports=[], conflicts=[])


def publishers(session: Session) -> list[str]:
    return sorted({r[0] for r in rows(session, sa.select(SOURCE.c.publisher).where(
        SOURCE.c.publisher.is_not(None)).distinct())})
