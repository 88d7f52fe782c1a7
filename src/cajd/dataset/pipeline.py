"""The pipeline: read → validate everything → resolve references → write in one transaction."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset.build import Builder, Rows
from cajd.dataset.checks import run_checks
from cajd.dataset.limits import check_limits
from cajd.dataset.locking import load_transaction
from cajd.dataset.origins import Prefer
from cajd.dataset.problems import DatasetInvalid, Problem
from cajd.dataset.reader import read_dataset
from cajd.dataset.writer import WriteReport, write
from cajd.model import LoadRun


def bundled_dataset() -> Path:
    """The record shipped inside the package."""
    return Path(str(resources.files("cajd") / "data"))


@dataclass(frozen=True)
class CheckedDataset:
    root: Path
    rows: Rows
    digest: str

    def count(self, table: str) -> int:
        return len(self.rows.get(table, {}))


@dataclass(frozen=True)
class BuiltDataset:
    """Every row the dataset builds, and every problem found on the way (maybe some)."""

    root: Path
    display: str
    rows: Rows
    digest: str
    problems: list[Problem]


def build(root: Path | None = None, display: str | None = None) -> BuiltDataset:
    """Read, validate and resolve the whole dataset without raising: reports (coverage) use it
    on a record that is still incomplete; ``check`` refuses one with problems."""
    root = root or bundled_dataset()
    if display is None and root == bundled_dataset():
        display = "data"
    with _no_cyclic_gc():
        return _build(root, display)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading builds millions of small objects and few cycles: the cyclic collector's passes
    over them cost a third of the time, and reference counting frees them all the same."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(root: Path, display: str | None) -> BuiltDataset:
    result = read_dataset(root, display)
    builder = Builder(
        result.loaded,
        invalid_ids=result.invalid_ids,
        broken_event_folders=result.broken_event_folders,
    )
    rows = builder.build()
    run_checks(builder)
    check_limits(builder)
    shown = display or root.as_posix().rstrip("/")
    return BuiltDataset(root, shown, rows, result.digest, result.problems + builder.problems)


def check(root: Path | None = None, display: str | None = None) -> CheckedDataset:
    """Validate the whole dataset; raise ``DatasetInvalid`` with every problem found."""
    built = build(root, display)
    if built.problems:
        raise DatasetInvalid(built.problems)
    return CheckedDataset(built.root, built.rows, built.digest)


@dataclass(frozen=True)
class LoadResult:
    run_id: int
    report: WriteReport


def load(
    engine: Engine,
    root: Path | None = None,
    display: str | None = None,
    prefer: Prefer | None = None,
) -> LoadResult:
    """Check, then write in one transaction: on any problem nothing is written, and nothing is
    written either if the dataset clashes with work done in the app and ``prefer`` is not given
    (``origins.WorkspaceConflict``)."""
    started = dt.datetime.now(dt.UTC)
    return load_checked(engine, check(root, display), started, prefer)


def load_checked(
    engine: Engine,
    dataset: CheckedDataset,
    started: dt.datetime | None = None,
    prefer: Prefer | None = None,
) -> LoadResult:
    """Write a checked dataset in one transaction, holding the load lock from its start: the
    diff against the store is computed under it, so two loads at once never mix."""
    started = started or dt.datetime.now(dt.UTC)
    with load_transaction(engine) as connection, Session(bind=connection) as session:
        report = write(session, dataset.rows, prefer)
        run = LoadRun(
            started_at=started,
            finished_at=dt.datetime.now(dt.UTC),
            dataset=str(dataset.root),
            digest=dataset.digest,
            report=json.dumps(
                {
                    "counts": {k: asdict(v) for k, v in report.counts.items()},
                    "deleted": report.deleted,
                    "kept": report.kept,
                    "overwritten": report.overwritten,
                    "updated": report.updated,
                },
                sort_keys=True,
            ),
        )
        session.add(run)
        session.flush()
        run_id = run.id
    return LoadResult(run_id, report)
