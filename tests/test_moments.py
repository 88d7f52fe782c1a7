"""Moments dump as the same text from either database: UTC, with the offset written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from cajd.dataset.dump import dump
from cajd.dataset.moments import stamp

BUNDLED = "assessments/jp-2004-trainees-1000.JP.2004-2006.final.yaml"


def test_a_moment_is_written_in_utc_with_its_offset() -> None:
    naive = dt.datetime(2026, 12, 3, 10, 30)  # as SQLite hands a stored UTC moment back
    tokyo = dt.datetime(2026, 12, 3, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert stamp(naive) == stamp(tokyo) == "2026-12-03T10:30:00+00:00"
    assert stamp(None) is None


def test_the_bundled_assessment_dumps_with_its_zone(loaded_engine: Engine, tmp_path: Path
                                                    ) -> None:
    with loaded_engine.connect() as connection:
        dump(connection, tmp_path / "dump")
    assert "at: '2026-12-03T10:30:00+00:00'" in (tmp_path / "dump" / BUNDLED).read_text("utf-8")

