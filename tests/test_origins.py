"""Two ways into one record (both databases): the loader never destroys workspace work, and
``cajd data dump`` writes the whole store back as a dataset that loads back unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cajd import store
from cajd.cli import app
from cajd.dataset import pipeline
from cajd.dataset.build import digest_id
from cajd.dataset.dump import dump
from cajd.dataset.origins import WorkspaceConflict
from cajd.dataset.writer import data_tables
from cajd.model import Citation, Delegation, Event
from cajd.model.workspace import TRACKED_COLUMNS
from cajd.vocab import EventFormat, EventStatus, Origin, Role
from tests.conftest import new_database

HOSTILE = (
    "<script>alert('x')</script> ' OR 1=1; -- \"quoted\" NEAR(a b) title:* AND/OR "
    "\u202eRTL override\u202c zero\u200bwidth \u05e9\u05dc\u05d5\u05dd " + "10kB " * 2048 + "end"
)
WORKSPACE_EVENT = "caj-fmm-10"


def snapshot(engine: Engine, *, tracked: bool = True) -> dict[str, dict[str, dict[str, Any]]]:
    """Every row of every record table (optionally without the write side's bookkeeping)."""
    out = {}
    with engine.connect() as connection:
        for table in data_tables():
            columns = [c for c in table.c if tracked or c.name not in TRACKED_COLUMNS]
            rows = connection.execute(sa.select(*columns)).mappings()
            out[table.name] = {row["id"]: dict(row) for row in rows}
    return out


@pytest.fixture
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A second empty database on the same backend as ``engine``."""
    backend = "postgresql" if "postgresql" in request.node.callspec.id else "sqlite"
    (tmp_path / "fresh").mkdir()
    urls = new_database(backend, request, tmp_path / "fresh")
    engine = store.make_engine(next(urls))
    yield engine
    engine.dispose()
    next(urls, None)


def do_workspace_work(engine: Engine) -> None:
    """What the app does (until ``cajd.workflow`` writes it): a new meeting with a delegation,
    and a changed dataset meeting; every row marked as the workspace's."""
    with Session(engine) as session, session.begin():
        session.add(
            Event(
                id=WORKSPACE_EVENT,
                body_id="caj-fmm",
                number=10,
                name_en="10th Foreign Ministers' Meeting",
                start_date=dt.date(2031, 5, 1),
                start_precision="month",
                format=EventFormat.IN_PERSON,
                status=EventStatus.PLANNED,
                description=HOSTILE,
                host_id="UZ",
                origin=Origin.WORKSPACE,
            )
        )
        session.add(
            Delegation(
                id=f"{WORKSPACE_EVENT}.UZ",
                event_id=WORKSPACE_EVENT,
                party_id="UZ",
                role=Role.MEMBER,
                head_title=HOSTILE[:200],
                origin=Origin.WORKSPACE,
            )
        )
        for kind, subject in (("event", WORKSPACE_EVENT), ("delegation", f"{WORKSPACE_EVENT}.UZ")):
            session.add(
                Citation(
                    id=digest_id("c-", kind, subject, None, "seed-000", None),
                    subject_kind=kind,
                    subject_id=subject,
                    source_id="seed-000",
                    origin=Origin.WORKSPACE,
                )
            )
        changed = session.get(Event, "caj-fmm-1")
        assert changed is not None
        changed.venue, changed.origin = "Changed in the app", Origin.WORKSPACE


def test_dump_of_the_bundled_record_loads_back_with_every_row_unchanged(
    loaded_engine: Engine, fresh_engine: Engine, tmp_path: Path
) -> None:
    with loaded_engine.connect() as connection:
        files = dump(connection, tmp_path / "dump")
    assert files > 100
    assert [str(p) for p in pipeline.build(tmp_path / "dump").problems] == []
    pipeline.load(fresh_engine, tmp_path / "dump")
    assert snapshot(fresh_engine) == snapshot(loaded_engine)


def test_dump_keeps_workspace_work_verbatim(
    loaded_engine: Engine, fresh_engine: Engine, tmp_path: Path
) -> None:
    do_workspace_work(loaded_engine)
    with loaded_engine.connect() as connection:
        dump(connection, tmp_path / "dump")
    assert [str(p) for p in pipeline.build(tmp_path / "dump").problems] == []
    pipeline.load(fresh_engine, tmp_path / "dump")
    # Reviewed into git, the workspace's rows become dataset rows; every fact is unchanged.
    assert snapshot(fresh_engine, tracked=False) == snapshot(loaded_engine, tracked=False)
    with Session(fresh_engine) as session:
        event = session.get(Event, WORKSPACE_EVENT)
        assert event is not None and event.description == HOSTILE
    # And loading the dump back into the store it came from changes no fact.
    before = snapshot(loaded_engine, tracked=False)
    result = pipeline.load(loaded_engine, tmp_path / "dump")
    assert not result.report.changed
    assert snapshot(loaded_engine, tracked=False) == before


def test_load_lists_workspace_changes_and_writes_nothing(loaded_engine: Engine) -> None:
    do_workspace_work(loaded_engine)
    with Session(loaded_engine) as session, session.begin():
        deleted = session.get(Event, "caj-fmm-2")
        assert deleted is not None
        deleted.deleted_at, deleted.deleted_by = dt.datetime.now(dt.UTC), "secretariat"
        deleted.origin = Origin.WORKSPACE
    before = snapshot(loaded_engine)
    with pytest.raises(WorkspaceConflict) as caught:
        pipeline.load(loaded_engine)
    listed = {(c.table, c.id): c.fields for c in caught.value.clashes}
    # Only rows both sides hold, and differently; the app's own new meeting is no clash.
    assert listed == {
        ("event", "caj-fmm-1"): ["venue"],
        ("event", "caj-fmm-2"): ["deleted_at", "deleted_by"],
    }
    assert snapshot(loaded_engine) == before
    with loaded_engine.connect() as connection:
        runs = connection.execute(sa.text("SELECT count(*) FROM load_run")).scalar_one()
    assert runs == 1


def test_prefer_workspace_keeps_and_prefer_dataset_restores(loaded_engine: Engine) -> None:
    do_workspace_work(loaded_engine)
    kept = pipeline.load(loaded_engine, prefer="workspace")
    assert kept.report.kept["event"] == 2 and not kept.report.changed
    with Session(loaded_engine) as session:
        event = session.get(Event, "caj-fmm-1")
        assert event is not None and event.venue == "Changed in the app"
        version = event.version
    won = pipeline.load(loaded_engine, prefer="dataset")
    assert won.report.overwritten == ["event 'caj-fmm-1': venue"]
    assert won.report.counts["event"].updated == 1
    with Session(loaded_engine) as session:
        event = session.get(Event, "caj-fmm-1")
        assert event is not None
        assert (event.venue, event.origin, event.version) == (None, Origin.DATASET, version + 1)
        # A row only the workspace holds is never deleted, whichever side is preferred.
        assert session.get(Event, WORKSPACE_EVENT) is not None
        assert session.get(Delegation, f"{WORKSPACE_EVENT}.UZ") is not None


def test_cli_load_stops_on_a_clash_and_dump_writes_a_valid_dataset(
    loaded_engine: Engine, cli_env: dict[str, str], runner: CliRunner, tmp_path: Path
) -> None:
    do_workspace_work(loaded_engine)
    stopped = runner.invoke(app, ["data", "load"], env=cli_env)
    assert stopped.exit_code == 1
    assert "event 'caj-fmm-1': venue" in stopped.stderr
    assert "--prefer dataset|workspace" in stopped.stderr
    dumped = runner.invoke(app, ["data", "dump", str(tmp_path / "out")], env=cli_env)
    assert dumped.exit_code == 0, dumped.output
    assert (tmp_path / "out" / "events" / "caj-fmm" / f"{WORKSPACE_EVENT}.yaml").is_file()
    checked = runner.invoke(app, ["data", "check", str(tmp_path / "out")], env=cli_env)
    assert checked.exit_code == 0, checked.output
    again = runner.invoke(app, ["data", "dump", str(tmp_path / "out")], env=cli_env)
    assert again.exit_code == 1 and "not empty" in again.stderr
