"""Telling every app instance that the record changed, the moment a write commits.

Every committed change leaves a row the record version counts (an ``AuditEntry`` for a workspace
write, a ``LoadRun`` for a load). On PostgreSQL the same transaction sends ``NOTIFY cajd_record``,
which the server delivers to every listener when (and only if) the transaction commits; each app
instance listens on its own connection and drops its response cache. So a page another instance
had cached is re-rendered on the next request after a write, not after the version check's TTL.
SQLite has no notifications: there the record version, re-read at most once a second per
instance, does the same a little later; within one instance a write clears the cache at once
(``cajd.web.cache``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from cajd.model import AuditEntry, LoadRun

CHANNEL = "cajd_record"
RECONNECT_SECONDS = 1.0
log = logging.getLogger("cajd.changes")


@event.listens_for(Session, "after_flush")
def _notify(session: Session, _context: Any) -> None:
    """Queue the notification in the writing transaction: sent on commit, dropped on rollback."""
    if not any(isinstance(row, AuditEntry | LoadRun) for row in session.new):
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


class ChangeListener:
    """A daemon thread holding one PostgreSQL connection that LISTENs on ``CHANNEL`` and calls
    ``on_change`` for each notification (and once after every (re)connection, for anything missed
    while it was away)."""

    def __init__(self, url: sa.URL, on_change: Callable[[], None]) -> None:
        self.conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.on_change = on_change
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cajd-changes", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg  # only PostgreSQL stores listen

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.on_change()
                    self.listening.set()
                    while not self._stop.is_set():
                        for _ in connection.notifies(timeout=0.5):
                            self.on_change()
            except psycopg.Error as exc:
                self.listening.clear()
                log.warning("change listener lost its connection (%s); retrying", exc)
                self._stop.wait(RECONNECT_SECONDS)
