"""The write side's schema: every record row has an origin, a version and soft deletion."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cajd.dataset.writer import data_tables
from cajd.model import Base, Event, is_record_table
from cajd.vocab import Origin

WRITE_SIDE_TABLES = {
    "app_user", "reader_party", "user_session", "api_token", "login_attempt", "audit_entry"
}


def test_every_record_table_is_tracked_and_the_accounts_tables_are_not() -> None:
    names = {t.name for t in data_tables()}
    # 21; delegation_member, agenda_item (0006); document_version, endorsement,
    # document_comment (0007); place, translation (0008); reporting_round, round_item,
    # round_report, round_entry, reminder, assessment, evidence (0009)
    assert len(names) == 35
    for table in data_tables():
        assert {"origin", "version", "deleted_at", "deleted_by"} <= set(table.c.keys())
        assert not table.c.version.nullable and not table.c.origin.nullable
    assert names.isdisjoint(WRITE_SIDE_TABLES | {"load_run"})
    assert set(Base.metadata.tables) >= WRITE_SIDE_TABLES
    assert not any(is_record_table(Base.metadata.tables[t]) for t in WRITE_SIDE_TABLES)


def test_loaded_rows_come_from_the_dataset_at_version_one(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as connection:
        for table in data_tables():
            found = connection.execute(
                sa.select(table.c.origin, table.c.version, table.c.deleted_at).distinct()
            ).all()
            assert found in ([], [(Origin.DATASET, 1, None)]), table.name


def test_the_database_refuses_an_unknown_origin(loaded_engine: Engine) -> None:
    with pytest.raises(sa.exc.IntegrityError), loaded_engine.begin() as connection:
        connection.execute(sa.text("UPDATE event SET origin = 'elsewhere'"))


def test_a_stale_orm_update_is_refused(loaded_engine: Engine) -> None:
    # Two editors read the same meeting; the second one's write is based on a gone version.
    with Session(loaded_engine) as first, Session(loaded_engine) as second:
        mine = first.get(Event, "caj-fmm-1")
        theirs = second.get(Event, "caj-fmm-1")
        assert mine is not None and theirs is not None
        mine.venue = "first"
        first.commit()
        assert mine.version == 2
        theirs.venue = "second"
        with pytest.raises(StaleDataError):
            second.commit()
    with Session(loaded_engine) as session:
        event = session.get(Event, "caj-fmm-1")
        assert event is not None and (event.venue, event.version) == ("first", 2)
