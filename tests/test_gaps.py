"""Declared gaps: their YAML shape, the checks on numbering, and their rows in both stores."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset import pipeline
from cajd.dataset.checks import spans
from cajd.dataset.problems import DatasetInvalid
from cajd.model import DeclaredGap
from tests.gapfixture import fixture_copy


def problems(root: Path) -> list[str]:
    with pytest.raises(DatasetInvalid) as caught:
        pipeline.check(root, "data")
    return [str(p) for p in caught.value.problems]


GAP = """gaps:
  - numbers: [3]
    note: The third meeting is named in a later communiqué but never dated.
    searched: ["third test ministers' meeting", "テスト 第3回"]
"""


def set_gaps(root: Path, text: str) -> None:
    body = root / "bodies" / "tst-fmm.yaml"
    content = body.read_text(encoding="utf-8")
    assert GAP in content
    body.write_text(content.replace(GAP, text), encoding="utf-8")


def test_the_fixture_is_valid_and_builds_one_gap_row(tmp_path: Path) -> None:
    rows = pipeline.check(fixture_copy(tmp_path)).rows
    assert rows["declared_gap"] == {
        "tst-fmm.gap.3": {
            "id": "tst-fmm.gap.3",
            "body_id": "tst-fmm",
            "number": 3,
            "note": "The third meeting is named in a later communiqué but never dated.",
            "searched": ["third test ministers' meeting", "テスト 第3回"],
        }
    }


def test_an_undeclared_hole_is_an_error_with_its_place(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    set_gaps(root, "")
    assert problems(root) == [
        "data/bodies/tst-fmm.yaml:1: gaps: tst-fmm has no meeting numbered 3 (it has up to 5): "
        "record the meetings, or declare the numbers under gaps with what was searched"
    ]


def test_holes_are_listed_as_runs(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    # Meeting 9 leaves 6-8 undeclared; 3 stays declared.
    (root / "events" / "tst-fmm" / "09.yaml").write_text(
        (root / "events" / "tst-fmm" / "04.yaml")
        .read_text(encoding="utf-8")
        .replace("tst-fmm-4", "tst-fmm-9")
        .replace("number: 4", "number: 9")
        .replace("2012-11-10", "2020-11-10"),
        encoding="utf-8",
    )
    assert problems(root) == [
        "data/bodies/tst-fmm.yaml:14: gaps: tst-fmm has no meeting numbered 6–8 (it has up to 9): "
        "record the meetings, or declare the numbers under gaps with what was searched"
    ]


def test_a_declared_gap_the_record_holds_is_an_error(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    set_gaps(root, GAP.replace("[3]", "[2, 3]"))
    assert problems(root) == [
        "data/bodies/tst-fmm.yaml:15: gaps[0].numbers[0]: tst-fmm number 2 is recorded "
        "(tst-fmm-2); a meeting the record holds is not a gap"
    ]


def test_extraordinary_meetings_are_numbered_apart(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    extra = root / "events" / "tst-fmm" / "2010-extraordinary.yaml"
    extra.write_text(
        extra.read_text(encoding="utf-8").replace(
            "extraordinary: true", "extraordinary: true\nnumber: 8"
        ),
        encoding="utf-8",
    )
    # An extraordinary 8 neither makes 6-7 holes nor fills a regular 8.
    assert pipeline.check(root).count("event") == 5


def test_gaps_beyond_the_last_recorded_meeting_may_be_declared(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    set_gaps(root, GAP.replace("[3]", "[3, 6, 7]"))
    assert set(pipeline.check(root).rows["declared_gap"]) == {
        "tst-fmm.gap.3",
        "tst-fmm.gap.6",
        "tst-fmm.gap.7",
    }


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        (
            GAP.replace(
                'searched: ["third test ministers\' meeting", "テスト 第3回"]', "searched: []"
            ),
            "data/bodies/tst-fmm.yaml:17: gaps[0].searched: "
            "List should have at least 1 item after validation, not 0",
        ),
        (
            GAP.replace("[3]", "[0, 3]"),
            "data/bodies/tst-fmm.yaml:15: gaps[0].numbers[0]: "
            "Input should be greater than or equal to 1",
        ),
        (
            GAP.replace("[3]", "[3, 3]"),
            "data/bodies/tst-fmm.yaml:15: gaps[0].numbers: number(s) 3 listed twice",
        ),
        (
            GAP + GAP.replace("gaps:\n", ""),
            "data/bodies/tst-fmm.yaml:14: gaps: number(s) 3 declared in two gaps",
        ),
        (
            GAP.replace("    searched:", "    searched_for:"),
            "data/bodies/tst-fmm.yaml:15: gaps[0].searched: is required",
        ),
    ],
    ids=["nothing-searched", "number-zero", "number-twice", "two-entries", "no-searched"],
)
def test_a_malformed_gap_is_refused_with_its_place(
    tmp_path: Path, gaps: str, expected: str
) -> None:
    root = fixture_copy(tmp_path)
    set_gaps(root, gaps)
    assert expected in problems(root)


def test_spans_join_runs_of_three_or_more() -> None:
    assert spans([9, 1, 2, 3, 5, 7, 8, 3]) == "1–3, 5, 7–9"
    assert spans([1, 2, 4]) == "1, 2, 4"
    assert spans([7, 8]) == "7, 8"
    assert spans([]) == ""


def test_gaps_load_into_the_store_and_reload_unchanged(engine: Engine, tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    first = pipeline.load(engine, root)
    assert first.report.counts["declared_gap"].inserted == 1
    with Session(engine) as session:
        gap = session.execute(sa.select(DeclaredGap)).scalar_one()
        # JSON on both engines: the list comes back as a list, not as text.
        assert (gap.body_id, gap.number) == ("tst-fmm", 3)
        assert gap.searched == ["third test ministers' meeting", "テスト 第3回"]
    again = pipeline.load(engine, root)
    assert again.report.counts["declared_gap"].unchanged == 1
    assert not again.report.changed
    # The meeting is found: the gap goes, and the run keeps what it said.
    set_gaps(root, "")
    (root / "events" / "tst-fmm" / "03.yaml").write_text(
        (root / "events" / "tst-fmm" / "04.yaml")
        .read_text(encoding="utf-8")
        .replace("tst-fmm-4", "tst-fmm-3")
        .replace("number: 4", "number: 3")
        .replace("2012-11-10", "2010-11-10"),
        encoding="utf-8",
    )
    found = pipeline.load(engine, root)
    assert found.report.counts["declared_gap"].deleted == 1
    assert found.report.deleted["declared_gap"][0]["number"] == 3


def test_one_number_per_body_in_the_store(engine: Engine, tmp_path: Path) -> None:
    pipeline.load(engine, fixture_copy(tmp_path))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO declared_gap (id, body_id, number, note, searched) "
                "VALUES ('other', 'tst-fmm', 3, 'again', '[\"q\"]')"
            )
        )
