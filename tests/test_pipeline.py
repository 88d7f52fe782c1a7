"""The dataset pipeline against real SQLite and PostgreSQL: counts, idempotency, transactions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from cajd.dataset import pipeline, writer
from cajd.dataset.writer import data_tables


def copy_of_record(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(pipeline.bundled_dataset(), root)
    return root


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in data_tables()
        }


def test_first_load_inserts_every_row(engine: Engine) -> None:
    dataset = pipeline.check()
    result = pipeline.load(engine)
    for table, counts in result.report.counts.items():
        assert counts.inserted == dataset.count(table), table
        assert counts.updated == counts.unchanged == counts.deleted == 0
    assert table_counts(engine) == {t.name: dataset.count(t.name) for t in data_tables()}
    assert table_counts(engine)["event"] >= 16


def test_loading_twice_changes_nothing(engine: Engine) -> None:
    pipeline.load(engine)
    before = table_counts(engine)
    again = pipeline.load(engine)
    assert not again.report.changed
    assert all(c.unchanged == before[t] for t, c in again.report.counts.items())
    assert table_counts(engine) == before
    with engine.connect() as connection:
        runs = connection.execute(sa.text("SELECT count(*) FROM load_run")).scalar_one()
    assert runs == 2  # each run is a row, even one that changed nothing


def test_a_corrected_fact_is_one_update(engine: Engine, tmp_path: Path) -> None:
    pipeline.load(engine)
    root = copy_of_record(tmp_path)
    event_file = root / "events" / "caj-fmm" / "04.yaml"
    text = event_file.read_text().replace("city: Tokyo", "city: Tokyo\nvenue: Iikura Guest House")
    event_file.write_text(text, encoding="utf-8")
    result = pipeline.load(engine, root)
    assert result.report.counts["event"].updated == 1
    assert sum(c.updated for c in result.report.counts.values()) == 1
    with engine.connect() as connection:
        venue = connection.execute(
            sa.text("SELECT venue FROM event WHERE id = 'caj-fmm-4'")
        ).scalar_one()
    assert venue == "Iikura Guest House"


def test_an_update_keeps_the_before_and_after_of_what_changed(
    engine: Engine, tmp_path: Path
) -> None:
    pipeline.load(engine)
    root = copy_of_record(tmp_path)
    event_file = root / "events" / "caj-fmm" / "04.yaml"
    text = event_file.read_text().replace("city: Tokyo", "city: Kyoto\nvenue: Iikura Guest House")
    event_file.write_text(text, encoding="utf-8")
    result = pipeline.load(engine, root)
    with engine.connect() as connection:
        report = json.loads(
            connection.execute(
                sa.text("SELECT report FROM load_run WHERE id = :id"), {"id": result.run_id}
            ).scalar_one()
        )
    assert report["updated"] == {
        "event": [
            {
                "id": "caj-fmm-4",
                "before": {"city": "Tokyo", "venue": None},
                "after": {"city": "Kyoto", "venue": "Iikura Guest House"},
            }
        ]
    }
    # Loading the same again changes nothing, and says so.
    again = pipeline.load(engine, root)
    with engine.connect() as connection:
        report = json.loads(
            connection.execute(
                sa.text("SELECT report FROM load_run WHERE id = :id"), {"id": again.run_id}
            ).scalar_one()
        )
    assert report["updated"] == {}


def test_a_removed_record_is_deleted_and_the_deletion_recorded(
    engine: Engine, tmp_path: Path
) -> None:
    pipeline.load(engine)
    root = copy_of_record(tmp_path)
    (root / "implementation" / "jbic-2005-water-electricity-survey.yaml").unlink()
    result = pipeline.load(engine, root)
    assert result.report.counts["implementation_record"].deleted == 1
    assert result.report.counts["citation"].deleted == 1
    with engine.connect() as connection:
        report = json.loads(
            connection.execute(
                sa.text("SELECT report FROM load_run WHERE id = :id"), {"id": result.run_id}
            ).scalar_one()
        )
    deleted = report["deleted"]["implementation_record"]
    assert [row["id"] for row in deleted] == ["jbic-2005-water-electricity-survey"]
    assert deleted[0]["implementer"] == "JBIC"  # the last values are kept, not just the id


def test_a_parent_and_its_self_reference_can_both_change(engine: Engine, tmp_path: Path) -> None:
    # Bodies point at bodies (reports_to): inserting and deleting them must respect the key.
    pipeline.load(engine)
    root = copy_of_record(tmp_path)
    (root / "bodies" / "caj-wgm.yaml").write_text(
        (root / "bodies" / "caj-wgm.yaml")
        .read_text()
        .replace("reports_to: caj-som", "reports_to: caj-expert"),
        encoding="utf-8",
    )
    result = pipeline.load(engine, root)
    assert result.report.counts["body"].updated == 1


def test_a_failure_while_writing_rolls_everything_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_update = writer._update
    calls = {"n": 0}

    def failing_update(session, table, rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if table.name == "event":
            raise RuntimeError("disk full")
        return real_update(session, table, rows)

    monkeypatch.setattr(writer, "_update", failing_update)
    with pytest.raises(RuntimeError, match="disk full"):
        pipeline.load(engine)
    assert calls["n"] > 1  # earlier tables were written inside the transaction first
    assert set(table_counts(engine).values()) == {0}
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM load_run")).scalar_one() == 0


def test_the_load_fingerprint_matches_the_quick_one() -> None:
    # The embedded store compares a quick digest of the bundled folder with the one a load
    # recorded; both must fingerprint the same bytes the same way.
    from cajd.dataset.reader import digest

    assert pipeline.check().digest == digest(pipeline.bundled_dataset())
