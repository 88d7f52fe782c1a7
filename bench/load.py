"""Benchmark: `cajd data check` and `cajd data load` on SQLite and PostgreSQL.

Times a check (read + validate + resolve + limits, no database), a first load into an empty
(migrated) database and a reload that changes nothing, median of several runs, wall clock and the
process's CPU time (on a shared machine the CPU time is the steadier figure). The dataset is the
bundled record, a folder (``--dataset``) or a synthetic one N times the record (``--scale 100``,
written by bench/synth.py). Run: .venv/bin/python bench/load.py [--scale 100] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import write_synthetic

from cajd import store
from cajd.dataset import pipeline

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGETS = {"check": 4.0, "first load": 6.0}  # seconds at 100x (issue 9)


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


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def row(name: str, samples: list[tuple[float, float]]) -> str:
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    return f"| {name:<24} | {wall:8.2f} | {cpu:8.2f} |"


def run(root: Path | None, runs: int) -> None:
    print(f"dataset: {root or 'the bundled record'}; load average {os.getloadavg()[0]:.2f}")
    print(f"| {'step':<24} | {'wall s':>8} | {'cpu s':>8} |")
    print(f"|{'-' * 26}|{'-' * 10}|{'-' * 10}|")
    print(row("check", [timed(lambda: pipeline.check(root)) for _ in range(runs)]))
    for name, database in (("sqlite", sqlite_database), ("postgresql", postgres_database)):
        first, again = [], []
        for _ in range(runs):
            with database() as engine:
                first.append(timed(lambda e=engine: pipeline.load(e, root)))
                again.append(timed(lambda e=engine: pipeline.load(e, root)))
        print(row(f"{name} first load", first))
        print(row(f"{name} reload (no change)", again))
    print(f"load average after: {os.getloadavg()[0]:.2f} (median of {runs} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dataset", type=Path, help="a dataset folder (default: bundled)")
    parser.add_argument("--scale", type=int, help="a synthetic dataset N times the record")
    args = parser.parse_args()
    if args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "data"
            write_synthetic(root, args.scale)
            run(root, args.runs)
        return
    run(args.dataset, args.runs)


if __name__ == "__main__":
    main()
