"""The sources list reads only its page's rows (``cajd.read.sources``); the page is exactly the
slice of the whole list, with the whole list's total, for every filter and sort, on both
databases."""

from __future__ import annotations

import itertools
from typing import get_args

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.read.sources import SourceFilter, SourceSort, sources
from cajd.read.sql import SOURCE


def test_a_page_is_the_slice_of_the_whole_list_for_every_filter_and_sort(
        loaded_engine: Engine) -> None:
    with Session(loaded_engine) as db:
        publisher = db.execute(SOURCE.select().where(SOURCE.c.publisher.is_not(None))
                               ).first().publisher  # type: ignore[union-attr]
        checked = 0
        for sort, language, official, by in itertools.product(
                get_args(SourceSort), (None, "en", "ja", "ru"), (None, True, False),
                (None, publisher)):
            filters = SourceFilter(official=official, publisher=by, language=language,
                                   sort=sort)
            whole = sources(db, filters)
            for limit, offset in ((7, 0), (7, 7), (50, 3), (5, whole.total + 5)):
                part = sources(db, filters, limit, offset)
                assert part.total == whole.total, filters
                assert part.items == whole.items[offset:offset + limit], (filters, offset)
            checked += bool(whole.items)
        assert checked > 50  # most combinations list something on the bundled record
        first = sources(db, SourceFilter(sort="-facts"), 3).items
        assert [s.facts for s in first] == sorted((s.facts for s in first), reverse=True)
        assert first[0].facts > 1
