"""One load at a time: the transaction a load writes in holds the store's load lock from its start.

PostgreSQL: a transaction-level advisory lock, taken as the transaction's first statement and
released by its commit or rollback. SQLite: the database's write lock, taken at the start
(``BEGIN IMMEDIATE``) rather than at the first write, so the load's reads (the diff against the
store) already happen under it. Either way a second load waits, for ``LOCK_WAIT_SECONDS`` at most,
and then fails with ``LoadBusy`` (a clear message, nothing written) — never mixing the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine, event

from cajd.store import StoreError

LOCK_WAIT_SECONDS = 60.0
# The advisory lock's key: any fixed 64-bit number, the same for every cajd process ("cajdload").
ADVISORY_KEY = 0x63616A646C6F6164


class LoadBusy(StoreError):
    """Another load held the store for longer than we wait; nothing was written."""


def _busy(engine: Engine, wait: float) -> LoadBusy:
    return LoadBusy(
        f"another load into {engine.url.render_as_string()} held the store for more than "
        f"{wait:g} s; nothing was written: try again when it has finished"
    )


@contextmanager
def load_transaction(engine: Engine, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Connection]:
    """A connection in a transaction that holds the load lock; committed on success."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            with _sqlite_immediate(connection, wait):
                try:
                    transaction = connection.begin()
                except sa.exc.OperationalError as exc:
                    if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                        raise _busy(engine, wait) from None
                    raise
                with transaction:
                    yield connection
            return
        with connection.begin():
            _advisory_lock(engine, connection, wait)
            yield connection


def _advisory_lock(engine: Engine, connection: Connection, wait: float) -> None:
    connection.execute(sa.text(f"SET LOCAL lock_timeout = '{int(wait * 1000)}ms'"))
    try:
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(ADVISORY_KEY)))
    except sa.exc.OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
            raise _busy(engine, wait) from None
        raise
    connection.execute(sa.text("SET LOCAL lock_timeout = 0"))


@contextmanager
def _sqlite_immediate(connection: Connection, wait: float) -> Iterator[None]:
    """On this connection only: the driver leaves transactions to us (its own deferred BEGIN
    would take the write lock only at the first write), and ours begins IMMEDIATE."""
    raw: Any = connection.connection.driver_connection
    previous = raw.isolation_level
    raw.isolation_level = None
    # On the driver's connection: through SQLAlchemy the pragma would begin a transaction.
    raw.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")

    def begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(connection, "begin", begin)
    try:
        yield
    finally:
        event.remove(connection, "begin", begin)
        raw.isolation_level = previous
        # Back to the driver's default busy timeout for whoever uses the pooled connection next.
        raw.execute("PRAGMA busy_timeout = 5000")
