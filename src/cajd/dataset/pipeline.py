"""The pipeline: read → validate everything → resolve references → write in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset.build import Builder, Rows
from cajd.dataset.checks import run_checks
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
    result = read_dataset(root, display)
    builder = Builder(
        result.loaded,
        invalid_ids=result.invalid_ids,
        broken_event_folders=result.broken_event_folders,
    )
    rows = builder.build()
    run_checks(builder)
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
    dataset = check(root, display)
    with Session(engine) as session, session.begin():
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
                },
                sort_keys=True,
            ),
        )
        session.add(run)
        session.flush()
        run_id = run.id
    return LoadResult(run_id, report)
