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
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import views as v
from cajd.read.sql import CITATION, SOURCE, Page, asc, desc, rows

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
    query = sa.select(SOURCE, _FACTS).order_by(*_ORDER[filters.sort])
    if filters.official is not None:
        query = query.where(SOURCE.c.official.is_(filters.official))
    if filters.publisher:
        query = query.where(SOURCE.c.publisher == filters.publisher)
    found = [SourceRow(id=s.id, kind=s.kind, title=s.title, language=title_language(s.title),
                       author=s.author, publisher=s.publisher, published=s.published,
                       url=s.url, accessed=s.accessed.isoformat() if s.accessed else None,
                       file=s.file, official=s.official, note=s.note, facts=s.facts,
                       supports=[], conflicts=[])
             for s in rows(session, query)]
    if filters.language:  # read from the title, so filtered here
        found = [s for s in found if s.language == filters.language]
    end = None if limit is None else offset + limit
    return Page(found[offset:end], len(found), limit, offset)


def publishers(session: Session) -> list[str]:
    return sorted({r[0] for r in rows(session, sa.select(SOURCE.c.publisher).where(
        SOURCE.c.publisher.is_not(None)).distinct())})
