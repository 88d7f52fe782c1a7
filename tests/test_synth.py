"""The synthetic dataset generator (bench/synth.py) writes a valid record at N times the bundled
one, the same bytes every time."""

from __future__ import annotations

from pathlib import Path

from bench.synth import write_synthetic

from cajd.dataset import pipeline


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_synthetic_dataset_is_valid_and_scaled(tmp_path: Path) -> None:
    bundled = pipeline.check()
    counts = write_synthetic(tmp_path / "a", scale=3)
    synthetic = pipeline.check(tmp_path / "a")
    for table in ("event", "delegation", "body", "person", "source"):
        assert synthetic.count(table) == 3 * bundled.count(table), table
    assert counts.events == synthetic.count("event")
    assert counts.delegations == synthetic.count("delegation")
    # Copies keep every record's first source and some of the rest.
    assert bundled.count("citation") < synthetic.count("citation") < 3 * bundled.count("citation")
    assert counts.files == len(_tree(tmp_path / "a"))


def test_synthetic_dataset_is_deterministic(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", scale=2)
    write_synthetic(tmp_path / "b", scale=2)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
