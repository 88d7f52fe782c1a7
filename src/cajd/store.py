"""The store: engines for SQLite and PostgreSQL, migrations, and the embedded default.

With no ``CAJD_DATABASE_URL`` set, an SQLite file is created on first use, migrated and filled with
the bundled record, so a new user has data at once.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event

from cajd.settings import Settings, get_settings


class StoreNotReady(RuntimeError):
    """The database is not at the current schema (run ``cajd db upgrade``)."""


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys unchecked unless asked, per connection; PostgreSQL always checks.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("cajd") / "migrations"))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def require_current(engine: Engine) -> None:
    if current_revision(engine) != head_revision(engine):
        raise StoreNotReady(
            f"the database at {engine.url.render_as_string()} is not at the "
            "current schema: run `cajd db upgrade` (then `cajd data load`)"
        )


def last_load(engine: Engine) -> tuple[str, str] | None:
    """The dataset path and digest of the most recent load run, if any."""
    query = sa.text("SELECT dataset, digest FROM load_run ORDER BY id DESC LIMIT 1")
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return (row[0], row[1]) if row else None


def open_store(settings: Settings | None = None) -> Engine:
    """An engine ready to use. The embedded default migrates and loads itself on first use."""
    settings = settings or get_settings()
    url = settings.resolved_database_url()
    if settings.is_default_database:
        Path(settings.data_home).mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    if settings.is_default_database:
        if current_revision(engine) != head_revision(engine):
            upgrade(engine)
        _load_bundled_if_stale(engine)
    else:
        require_current(engine)
    return engine


def _load_bundled_if_stale(engine: Engine) -> None:
    """Load the bundled record into the embedded store if it was never loaded, or if cajd now
    ships a different record than the one last loaded (a load of another folder is left alone)."""
    from cajd.dataset import pipeline

    last = last_load(engine)
    bundled = pipeline.bundled_dataset()
    if last is None or (last[0] == str(bundled) and last[1] != pipeline.digest(bundled)):
        pipeline.load(engine)
