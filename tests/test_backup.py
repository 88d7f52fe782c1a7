"""`cajd db backup FILE` / `cajd db restore FILE` on both databases: every row of every table
comes back equal (the record, the workspace's writes, accounts, audit entries, load runs), into
either database; a file from a newer schema is refused and changes nothing."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cajd import backup, store
from cajd.cli import app
from cajd.read.search import search_documents
from cajd.vocab import UserRole
from cajd.workflow import Actor, soft_delete
from cajd.workflow import meetings as m
from tests.conftest import new_database

SEC = Actor("sec", UserRole.SECRETARIAT)


def everything(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic's too), sorted, with datetimes made comparable."""
    def plain(value: Any) -> Any:
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):
            return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(
                None).replace(tzinfo=None)
        return value

    found = {}
    with engine.connect() as connection:
        metadata = sa.MetaData()
        metadata.reflect(bind=connection)
        # SQLite's full-text index is the database's own (kept by triggers): compared through
        # a search below, not by its internal pages.
        derived = backup._virtual(connection)
        for table in metadata.sorted_tables:
            if any(table.name == v or table.name.startswith(f"{v}_") for v in derived):
                continue
            rows = connection.execute(sa.select(table)).all()
            found[table.name] = sorted((tuple(plain(v) for v in r) for r in rows), key=repr)
    return found


@pytest.fixture
def worked(loaded_engine: Engine) -> Engine:
    """The bundled record plus a workspace's writes and an account."""
    from cajd.auth import accounts

    with Session(loaded_engine) as session, session.begin():
        m.convene(session, SEC, "caj-fmm", number=10, start="2030-01-15", city="Tokyo",
                  country="JP", host="JP")
    with Session(loaded_engine) as session, session.begin():
        soft_delete(session, SEC, "event", "caj-fmm-9", 1)
    with Session(loaded_engine) as session, session.begin():
        accounts.add_user(session, "kz-focal", UserRole.FOCAL_POINT, "KZ", "a long password 1")
    return loaded_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def other(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of either kind, to restore into."""
    (tmp_path / "other").mkdir()
    urls = new_database(request.param, request, tmp_path / "other")
    engine = store.make_engine(next(urls))
    yield engine
    engine.dispose()
    next(urls, None)


def test_a_backup_restores_every_row(worked: Engine, other: Engine, tmp_path: Path) -> None:
    before = everything(worked)
    assert before["audit_entry"] and before["app_user"] and before["load_run"]
    path = tmp_path / "backup"
    kind = backup.backup(worked, path)
    assert kind == ("sqlite" if worked.dialect.name == "sqlite" else "portable")
    restored = backup.restore(other, path)
    assert restored == sum(len(rows) for name, rows in before.items()
                           if name != "alembic_version")
    assert everything(other) == before
    with Session(worked) as one, Session(other) as two:
        assert search_documents(one, "Tokyo") == search_documents(two, "Tokyo") != []
    # and a write after a restore gets a fresh id (PostgreSQL's sequences were moved on)
    with Session(other) as session, session.begin():
        m.set_status(session, SEC, "caj-fmm-10", 1, "cancelled", reason="Rescheduled")
    with other.connect() as connection:
        ids = connection.execute(sa.text("SELECT id FROM audit_entry ORDER BY id")).scalars()
        assert len(set(ids)) == len(before["audit_entry"]) + 1


def test_a_file_from_a_newer_schema_is_refused(worked: Engine, tmp_path: Path) -> None:
    path = tmp_path / "newer.jsonl.gz"
    with gzip.open(path, "wt") as out:
        out.write(json.dumps({"format": backup.FORMAT, "revision": "ffffffffffff",
                              "tables": []}) + "\n")
    before = everything(worked)
    with pytest.raises(backup.BackupError, match="newer schema"):
        backup.restore(worked, path)
    assert everything(worked) == before
    (tmp_path / "junk").write_bytes(b"not a backup")
    with pytest.raises(backup.BackupError, match="neither"):
        backup.restore(worked, tmp_path / "junk")


def test_the_cli_backs_up_and_restores(worked: Engine, cli_env: dict[str, str],
                                       runner: CliRunner, tmp_path: Path) -> None:
    before = everything(worked)
    path = tmp_path / "cajd.backup"
    made = runner.invoke(app, ["db", "backup", str(path)], env=cli_env)
    assert made.exit_code == 0, made.output
    with Session(worked) as session, session.begin():
        m.set_status(session, SEC, "caj-fmm-10", 1, "cancelled", reason="Rescheduled")
    assert everything(worked) != before
    back = runner.invoke(app, ["db", "restore", str(path)], env=cli_env)
    assert back.exit_code == 0, back.output
    assert everything(worked) == before
    refused = runner.invoke(app, ["db", "restore", str(tmp_path / "missing")], env=cli_env)
    assert refused.exit_code != 0
