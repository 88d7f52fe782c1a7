"""The bulk downloads, one table of them for ``cajd export NAME``, ``/downloads/`` and the static
site: each built from the public record through the read layer and stamped with its version."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cajd import licence
from cajd.read.record import stamp


@dataclass(frozen=True)
class Download:
    name: str  # as in `cajd export NAME`
    filename: str  # under /downloads/
    media_type: str
    build: Callable[[Session, str | None], bytes]  # (session, base URL) -> content
    title: str  # English; the portal translates it


def popolo_bytes(session: Session, base_url: str | None = None) -> bytes:
    """The Popolo bundle with the record's version, licence and citation under ``meta`` (a key
    Popolo does not define, so that its schemas still validate each array); raises ValueError
    with the schema errors if the bundle does not validate."""
    from cajd.export import popolo

    bundle = popolo.popolo_bundle(session)
    errors = popolo.validate_bundle(bundle)
    if errors:
        raise ValueError("\n".join(errors))
    at = stamp(session)
    meta = {"title": licence.TITLE, "version": at.version,
            "date": at.date.isoformat() if at.date else None,
            "license": {"name": licence.DATA.spdx, "url": licence.DATA.url},
            "citation": licence.citation(at.version, at.date)}
    return (json.dumps({"meta": meta, **bundle}, ensure_ascii=False, indent=2) + "\n").encode()


def _datapackage(session: Session, base_url: str | None) -> bytes:
    from cajd.export import datapackage

    return datapackage.zip_bytes(session)


def _sqlite(session: Session, base_url: str | None) -> bytes:
    from cajd.export import sqlitedb

    return sqlitedb.database_bytes(session)


def _calendar(session: Session, base_url: str | None) -> bytes:
    from cajd.export import calendar

    return calendar.calendar_bytes(session, None, base_url)


def _atom(session: Session, base_url: str | None) -> bytes:
    from cajd.export import atom

    return atom.feed_bytes(session, base_url)


DOWNLOADS = {d.name: d for d in (
    Download("popolo", "cajd-popolo.json", "application/json", popolo_bytes,
             "Popolo JSON bundle"),
    Download("datapackage", "cajd-datapackage.zip", "application/zip", _datapackage,
             "Frictionless data package (CSV tables with their schemas)"),
    Download("sqlite", "cajd.sqlite3", "application/vnd.sqlite3", _sqlite,
             "SQLite database (for Datasette and sqlite-utils)"),
    Download("calendar", "cajd-meetings.ics", "text/calendar", _calendar,
             "Calendar of meetings (iCalendar)"),
    Download("atom", "cajd-changes.atom", "application/atom+xml", _atom,
             "Feed of changes (Atom)"),
)}
BY_FILENAME = {d.filename: d for d in DOWNLOADS.values()}
