"""A corpus of broken inputs: each case overlays files on a copy of the bundled record.

``tests/broken/<case>/`` holds the files that replace (or join) those of ``data/`` and
``expected.txt``, the exact problems ``cajd data check`` must report, one per line.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from typer.testing import CliRunner

from cajd.cli import app
from cajd.dataset import pipeline
from cajd.dataset.problems import DatasetInvalid

CORPUS = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def broken_copy(case: str, tmp_path: Path) -> Path:
    """The bundled record with the case's files laid over it, in a folder named ``data``."""
    root = tmp_path / "data"
    shutil.copytree(pipeline.bundled_dataset(), root)
    for path in (CORPUS / case).rglob("*"):
        target = root / path.relative_to(CORPUS / case)
        if path.is_symlink():  # a link (maybe a loop, or out of the folder) is laid as a link
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.symlink_to(os.readlink(path))
        elif path.is_file() and path.name != "expected.txt":
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return root


def expected(case: str) -> list[str]:
    return (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exactly_the_expected_problems(case: str, tmp_path: Path) -> None:
    root = broken_copy(case, tmp_path)
    with pytest.raises(DatasetInvalid) as caught:
        pipeline.check(root, "data")
    assert [str(p) for p in caught.value.problems] == expected(case)


def test_cli_check_exits_1_with_the_place(runner: CliRunner, tmp_path: Path) -> None:
    root = broken_copy("misspelt-rank", tmp_path)
    result = runner.invoke(app, ["data", "check", str(root)])
    assert result.exit_code == 1
    line = expected("misspelt-rank")[0].replace("data/", f"{root}/", 1)
    assert line in result.output
    assert "nothing was written" in result.output


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one()
            for name in ("event", "delegation", "citation", "load_run")
        }


@pytest.mark.parametrize("case", ["misspelt-rank", "unsourced-document", "dangling-reference"])
def test_a_broken_load_changes_nothing(
    case: str, loaded_engine: Engine, cli_env: dict[str, str], runner: CliRunner, tmp_path: Path
) -> None:
    before = _row_counts(loaded_engine)
    root = broken_copy(case, tmp_path)
    result = runner.invoke(app, ["data", "load", str(root)], env=cli_env)
    assert result.exit_code == 1, result.output
    assert expected(case)[0].split(": ", 1)[1] in result.output
    assert _row_counts(loaded_engine) == before
