"""The ``cajd`` command as a user meets it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from cajd import store
from cajd.cli import app
from cajd.dataset import pipeline


def test_embedded_default_creates_and_loads_itself_on_first_use(
    runner: CliRunner, tmp_path: Path
) -> None:
    env = {"CAJD_DATABASE_URL": None, "CAJD_DATA_HOME": str(tmp_path / "home")}
    result = runner.invoke(app, ["stats", "--json"], env=env)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert (tmp_path / "home" / "cajd.sqlite3").is_file()
    fmm = next(b for b in stats["per_body"] if b["body"] == "caj-fmm")
    assert fmm["events"] >= 8
    assert stats["per_kind"]["delegation"] > 30


def test_stats_table_on_a_loaded_store(
    loaded_engine: Engine, runner: CliRunner, cli_env: dict[str, str]
) -> None:
    result = runner.invoke(app, ["stats"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "caj-fmm" in result.output and "Meetings per body" in result.output


def test_data_load_reports_counts_and_is_idempotent(
    engine: Engine, runner: CliRunner, cli_env: dict[str, str]
) -> None:
    first = json.loads(runner.invoke(app, ["data", "load", "--json"], env=cli_env).output)
    second = json.loads(runner.invoke(app, ["data", "load", "--json"], env=cli_env).output)
    assert first["counts"]["event"]["inserted"] >= 16
    assert second["counts"]["event"] == {
        "inserted": 0,
        "updated": 0,
        "unchanged": first["counts"]["event"]["inserted"],
        "deleted": 0,
    }


def test_data_check_on_the_bundled_record(runner: CliRunner) -> None:
    result = runner.invoke(app, ["data", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:")


def test_db_upgrade_reports_the_revision(runner: CliRunner, cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["db", "upgrade"], env=cli_env)
    assert result.exit_code == 0, result.output
    head = store.head_revision(store.make_engine(cli_env["CAJD_DATABASE_URL"]))
    assert f"is at revision {head}" in result.output


def test_an_unmigrated_database_gets_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "CAJD_DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "cajd", "stats"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "run `cajd db upgrade`" in done.stderr
    assert "Traceback" not in done.stderr


def test_embedded_default_reloads_when_the_bundled_record_changes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"CAJD_DATABASE_URL": None, "CAJD_DATA_HOME": str(tmp_path / "home")}
    assert runner.invoke(app, ["stats"], env=env).exit_code == 0  # type: ignore[arg-type]
    records = len(list((pipeline.bundled_dataset() / "implementation").glob("*.yaml")))
    shipped = tmp_path / "shipped"
    shutil.copytree(pipeline.bundled_dataset(), shipped)
    (shipped / "implementation" / "jbic-2005-water-electricity-survey.yaml").unlink()
    monkeypatch.setattr(pipeline, "bundled_dataset", lambda: shipped)
    # The store was loaded from another folder than `shipped`: a user's own load is left alone.
    result = runner.invoke(app, ["stats", "--json"], env=env)  # type: ignore[arg-type]
    assert json.loads(result.output)["per_kind"]["implementation_record"] == records
    # Once loaded from `shipped`, a changed `shipped` (a new cajd release) is reloaded.
    assert runner.invoke(app, ["data", "load", str(shipped)], env=env).exit_code == 0  # type: ignore[arg-type]
    (shipped / "implementation" / "jica-water-power-study.yaml").unlink()
    result = runner.invoke(app, ["stats", "--json"], env=env)  # type: ignore[arg-type]
    assert json.loads(result.output)["per_kind"]["implementation_record"] == records - 2


def test_first_load_into_a_fresh_embedded_store_counts_every_row(
    runner: CliRunner, tmp_path: Path
) -> None:
    # The store must not load the bundled record behind the user's back just before their load.
    env = {"CAJD_DATABASE_URL": None, "CAJD_DATA_HOME": str(tmp_path / "home")}
    result = runner.invoke(app, ["data", "load", "--json"], env=env)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["run"] == 1
    assert report["counts"]["event"]["inserted"] == pipeline.check().count("event")


def _cajd(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAJD_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "cajd", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_malformed_database_url_gets_a_clear_error() -> None:
    for args in (["stats"], ["db", "upgrade"], ["data", "load"]):
        done = _cajd(*args, url="not a url")
        assert done.returncode == 2, args
        assert "'not a url' is not a usable database URL" in done.stderr
        assert "Traceback" not in done.stderr
    done = _cajd("stats", url="postgres-ish://user:secret@host")
    assert "'postgres-ish://user:***@host' is not a usable database URL" in done.stderr


def test_an_unreachable_database_gets_a_clear_error() -> None:
    done = _cajd("stats", url="postgresql+psycopg://cajd:secret@127.0.0.1:1/nowhere")
    assert done.returncode == 2
    assert "cannot connect to postgresql+psycopg://cajd:***@127.0.0.1:1/nowhere" in done.stderr
    assert "secret" not in done.stderr and "Traceback" not in done.stderr


def test_version_is_printed(runner: CliRunner) -> None:
    from cajd import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"cajd {__version__}\n"


def test_cli_counts_take_their_plural() -> None:
    from cajd.plural import plural

    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert plural(1, "problem") == "1 problem" and plural(3, "entry") == "3 entries"
