"""Moments (``created_at``, ``submitted_at`` …) as a dump writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any


def stamp(value: dt.datetime | None) -> str | None:
    """A moment as written in YAML, always in UTC with its offset: cajd stores every moment in
    UTC, SQLite hands it back without its zone and PostgreSQL in the session's zone, so the same
    store dumps the same text from either database."""
    return None if value is None else _utc(value).isoformat()


def _utc(value: dt.datetime) -> dt.datetime:
    return (value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def same(stored: Any, loaded: Any) -> bool:
    """Whether a stored value and the dataset's are the same; a moment read back from SQLite
    (no zone) is the same as the dataset's ``…+00:00``, so a load does not rewrite it each time."""
    if isinstance(stored, dt.datetime) and isinstance(loaded, dt.datetime):
        return _utc(stored) == _utc(loaded)
    return bool(stored == loaded)
