"""Migrations: from an empty database to head on both engines, with no drift from the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from cajd import store
from cajd.model import Base
from cajd.read.search import not_search_index
from tests.conftest import BACKENDS, _url_for


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no tables at all."""
    if request.param == "sqlite":
        engine = store.make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield engine
        engine.dispose()
        return
    admin: Engine = request.getfixturevalue("postgres_template")
    name = f"cajd_empty_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = store.make_engine(_url_for(name))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def test_upgrade_from_empty_reaches_head_with_no_drift(empty_engine: Engine) -> None:
    assert store.current_revision(empty_engine) is None
    store.upgrade(empty_engine)
    assert store.current_revision(empty_engine) == store.head_revision(empty_engine)
    with empty_engine.connect() as connection:
        options = {"compare_type": True, "include_object": not_search_index}
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_removes_every_table(empty_engine: Engine) -> None:
    store.upgrade(empty_engine)
    store.upgrade(empty_engine, "head")  # a second upgrade is a no-op
    from alembic import command

    command.downgrade(store.alembic_config(empty_engine), "base")
    tables = set(sa.inspect(empty_engine).get_table_names())
    assert tables <= {"alembic_version"}


def test_vocabulary_columns_are_checked_by_the_database(engine: Engine) -> None:
    # The CHECK constraints come from the vocabularies: a bad rank cannot reach the store.
    from cajd.dataset import pipeline

    pipeline.load(engine)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sa.text("UPDATE delegation SET rank = 'minster' WHERE rank IS NOT NULL"))
