"""Benchmark: `cajd data load` of the bundled record on SQLite and PostgreSQL.

Prints, per engine, the median of several runs of a first load into an empty (migrated) database
and of a reload that changes nothing. Run: .venv/bin/python bench/load.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from cajd import store
from cajd.dataset import pipeline

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def sqlite_database() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        store.upgrade(engine)
        yield engine
        engine.dispose()


@contextmanager
def postgres_database() -> Iterator[Engine]:
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cajd_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = store.make_engine(sa.make_url(POSTGRES_ADMIN_URL).set(database=name))
    try:
        store.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    check = statistics.median(timed(pipeline.check) for _ in range(runs))
    print(f"check only (read + validate + resolve), no database: {check * 1000:.0f} ms")
    for name, database in (("sqlite", sqlite_database), ("postgresql", postgres_database)):
        first, again = [], []
        for _ in range(runs):
            with database() as engine:
                first.append(timed(lambda e=engine: pipeline.load(e)))
                again.append(timed(lambda e=engine: pipeline.load(e)))
        print(
            f"{name:>10}: first load {statistics.median(first) * 1000:.0f} ms, "
            f"reload (all unchanged) {statistics.median(again) * 1000:.0f} ms "
            f"(median of {runs})"
        )


if __name__ == "__main__":
    main()
