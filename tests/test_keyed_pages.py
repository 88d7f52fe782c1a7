"""The meetings and bodies lists page on keys first (``cajd.read.sql.page`` with ``key``): each
page is exactly the slice of the whole list, with its total, for every sort and filter, on both
databases; and a soft-deleted meeting is gone from the analyses as from the lists."""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd import model
from cajd.read import analysis as rows
from cajd.read.events import SORTS, EventFilter, events
from cajd.read.queries import bodies


def test_a_page_is_the_slice_of_the_whole_list_for_every_sort_and_filter(
        loaded_engine: Engine) -> None:
    filters = (EventFilter(), EventFilter(body="caj-fmm"), EventFilter(party="JP"),
               EventFilter(dialogue=None), EventFilter(year_from=2010, year_to=2019),
               EventFilter(body="no-such-body"))
    with Session(loaded_engine) as db:
        listed = 0
        for sort, chosen in itertools.product(SORTS, filters):
            whole = events(db, chosen, sort, limit=None)
            for limit, offset in ((7, 0), (7, 7), (50, 3), (5, whole.total + 5)):
                part = events(db, chosen, sort, limit, offset)
                assert part.total == whole.total, (sort, chosen)
                assert part.items == whole.items[offset:offset + limit], (sort, chosen, offset)
            listed += whole.total
        assert listed > 500


def test_a_page_of_bodies_is_the_slice_of_the_whole_list(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as db:
        for dialogue in ("caj", None, "no-such-dialogue"):
            whole = bodies(db, dialogue)
            for limit, offset in ((7, 0), (7, 7), (50, 3), (5, whole.total + 5)):
                part = bodies(db, dialogue, limit, offset)
                assert part.total == whole.total, dialogue
                assert part.items == whole.items[offset:offset + limit], (dialogue, offset)
        assert bodies(db, None).total > bodies(db, "caj").total > 10


def test_a_soft_deleted_meeting_is_left_out_of_the_analyses(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as db:
        before = [e.id for e in rows.events(db, body_id="caj-fmm")]
        assert "caj-fmm-4" in before
        db.execute(sa.update(model.Event).where(model.Event.id == "caj-fmm-4")
                   .values(deleted_at=dt.datetime(2026, 12, 4, tzinfo=dt.UTC)))
        after = [e.id for e in rows.events(db, body_id="caj-fmm")]
        assert after == [i for i in before if i != "caj-fmm-4"]
        assert "caj-fmm-4" not in {e.id for e in rows.events(db, dialogue_id="caj")}
        db.rollback()
