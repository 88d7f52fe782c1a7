"""The store: engines for SQLite and PostgreSQL, migrations, and the embedded default.

With no ``CAJD_DATABASE_URL`` set, an SQLite file is created on first use, migrated and filled with
the bundled record, so a new user has data at once.
"""

from __future__ import annotations

import fcntl
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event

from cajd import changes  # noqa: F401  (every write in this process notifies other instances)
from cajd.settings import Settings, get_settings


class StoreError(RuntimeError):
    """The database cannot be used as configured; the message says why and what to do."""


class StoreNotReady(StoreError):
    """The database is not at the current schema (run ``cajd db upgrade``)."""


class StoreUnreachable(StoreError):
    """The database URL is malformed, or the database cannot be connected to."""


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys unchecked unless asked, per connection; PostgreSQL always checks.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLite's own lower() folds ASCII only; the site search (cajd.read.sitesearch) matches
    # Russian (and any script) case-insensitively, as PostgreSQL's lower() does.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def pool_arguments(url: str | sa.URL, size: int | None, timeout: float | None) -> dict[str, Any]:
    """A fixed-size pool (no overflow) with a short checkout timeout, for a server whose
    concurrency limit is sized to it; in-memory SQLite keeps its single shared connection."""
    if size is None:
        return {}
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return {}  # create_engine reports the malformed URL
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        return {}
    return {"pool_size": size, "max_overflow": 0, "pool_timeout": timeout or 30.0}


def make_engine(url: str | sa.URL, *, pool_size: int | None = None,
                pool_timeout: float | None = None) -> Engine:
    try:
        engine = sa.create_engine(url, **pool_arguments(url, pool_size, pool_timeout))
    except (sa.exc.ArgumentError, ImportError) as exc:
        shown = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(url))  # never print a password
        raise StoreUnreachable(f"{shown!r} is not a usable database URL ({exc})") from None
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


# Alembic runs migrations through module-level proxies (``alembic.op``, ``alembic.context``):
# two upgrades at once in one process, even of different databases, would trip over each other.
_ALEMBIC = threading.Lock()
FIRST_USE_WAIT_SECONDS = 300.0


def upgrade(engine: Engine, revision: str = "head") -> None:
    with _ALEMBIC:
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


def configured_engine(settings: Settings | None = None, *, pool_size: int | None = None) -> Engine:
    """The engine ``CAJD_DATABASE_URL`` names (or the embedded SQLite file), checked to connect."""
    settings = settings or get_settings()
    if settings.is_default_database:
        Path(settings.data_home).mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url(), pool_size=pool_size,
                         pool_timeout=settings.pool_timeout)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        where = engine.url.render_as_string()  # the password stays hidden
        raise StoreUnreachable(f"cannot connect to {where}: {exc.orig}") from None
    return engine


def open_store(settings: Settings | None = None, *, load_bundled: bool = True,
               pool_size: int | None = None) -> Engine:
    """An engine ready to use. The embedded default migrates itself and, unless the caller is
    about to load a dataset itself (``load_bundled=False``), loads the bundled record."""
    settings = settings or get_settings()
    engine = configured_engine(settings, pool_size=pool_size)
    if settings.is_default_database:
        # Two first uses at once (two commands, or a server's workers) would both migrate and
        # both load; one at a time, the second finds the store ready.
        with _first_use_lock(Path(settings.data_home) / "cajd.sqlite3.lock"):
            if current_revision(engine) != head_revision(engine):
                upgrade(engine)
            if load_bundled:
                _load_bundled_if_stale(engine)
    else:
        require_current(engine)
    return engine


@contextmanager
def _first_use_lock(path: Path, wait: float = FIRST_USE_WAIT_SECONDS) -> Iterator[None]:
    """An exclusive lock on a file next to the embedded store, between processes and threads
    alike (each ``open`` is its own lock holder), waiting ``wait`` seconds at most."""
    deadline = time.monotonic() + wait
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"another cajd process held {path} for more than {wait:g} s while "
                        "setting up the embedded store; try again when it has finished"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_bundled_if_stale(engine: Engine) -> None:
    """Load the bundled record into the embedded store if it was never loaded, or if cajd now
    ships a different record than the one last loaded (a load of another folder is left alone)."""
    from cajd.dataset import pipeline
    from cajd.dataset.reader import digest

    last = last_load(engine)
    bundled = pipeline.bundled_dataset()
    if last is None or (last[0] == str(bundled) and last[1] != digest(bundled)):
        pipeline.load(engine)
