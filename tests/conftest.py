"""Fixtures: every store-touching test runs on real SQLite and on the machine's real PostgreSQL.

PostgreSQL is required, never skipped: if it cannot be reached the tests fail and say how to start
it. Each test gets its own database, cloned from a migrated template (fast, and isolated).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from typer.testing import CliRunner

from cajd import store
from cajd.dataset import pipeline

# Starlette's TestClient sends `Host: testserver`; real servers keep their own default list.
os.environ.setdefault("CAJD_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1,::1,[::1]")
POSTGRES_ADMIN_URL = os.environ.get(
    "CAJD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# One template per run, so that two test runs on the same server do not collide.
TEMPLATE = f"cajd_test_template_{os.getpid()}"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]


def _admin() -> Engine:
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({exc.orig}). Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set "
            "CAJD_TEST_POSTGRES_URL. The PostgreSQL half of the suite is never skipped.",
            pytrace=False,
        )
    return engine


def _url_for(database: str) -> str:
    return (
        sa.make_url(POSTGRES_ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    )


def _drop(admin: Engine, database: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[Engine]:
    admin = _admin()
    _drop(admin, TEMPLATE)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{TEMPLATE}"'))
    migrated = store.make_engine(_url_for(TEMPLATE))
    store.upgrade(migrated)
    migrated.dispose()
    yield admin
    _drop(admin, TEMPLATE)
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = store.make_engine(f"sqlite:///{path}")
    store.upgrade(engine)
    engine.dispose()
    return path


def new_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database URL on ``backend``; dropped afterwards."""
    if backend == "sqlite":
        path = tmp_path / "cajd.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin: Engine = request.getfixturevalue("postgres_template")
    name = f"cajd_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"'))
    try:
        yield _url_for(name)
    finally:
        _drop(admin, name)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from new_database(request.param, request, tmp_path)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = store.make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def loaded_engine(engine: Engine) -> Engine:
    """A database holding the bundled record."""
    pipeline.load(engine)
    return engine


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for running the CLI against this test's database."""
    return {"CAJD_DATABASE_URL": database_url, "CAJD_DATA_HOME": str(tmp_path / "home")}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- proof that both halves ran ---------------------------------------------------------------

_outcomes: dict[str, dict[str, int]] = {}


def _backend_of(report: pytest.TestReport) -> str:
    if "[postgresql" in report.nodeid or "-postgresql" in report.nodeid:
        return "postgresql"
    if "[sqlite" in report.nodeid or "-sqlite" in report.nodeid:
        return "sqlite"
    return "no database"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        counts = _outcomes.setdefault(_backend_of(report), {})
        counts[report.outcome] = counts.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for backend, counts in sorted(_outcomes.items()):
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        terminalreporter.write_line(f"cajd tests on {backend}: {summary}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With CAJD_REQUIRE_POSTGRES=1 (CI), a run where PostgreSQL tests did not all pass fails."""
    if os.environ.get("CAJD_REQUIRE_POSTGRES") != "1" or exitstatus != 0:
        return
    postgres = _outcomes.get("postgresql", {})
    if not postgres.get("passed") or postgres.get("skipped"):
        session.exitstatus = 1
