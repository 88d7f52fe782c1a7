"""The invented dataset in ``tests/fixtures/gaps``, copied so that a test may edit it."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "gaps"


def fixture_copy(tmp_path: Path) -> Path:
    """A copy named ``data``, so that problems read ``data/…`` as they do for the record."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")
