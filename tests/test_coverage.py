"""`cajd data coverage`: what the record lacks, on an invented fixture and on the bundled record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cajd.analysis import coverage_report
from cajd.analysis.coverage import BodyCoverage, coverage
from cajd.cli import app
from tests.gapfixture import edit, fixture_copy

ROOT = Path(__file__).parent.parent
KNOWN_GAPS = ROOT / "docs" / "known-gaps.md"
COUNT = "  - count: 4\n    as_of: 2012-12\n"


def body(root: Path) -> BodyCoverage:
    return next(b for b in coverage(root, "data").bodies if b.id == "tst-fmm")


def test_numbering_lacks_and_sourcing_of_the_fixture(tmp_path: Path) -> None:
    b = body(fixture_copy(tmp_path))
    assert b.sequence_summary == "1, 2, 4, 5; gaps: 3 (declared); 1 extraordinary"
    assert (b.held, b.planned) == (4, 1)
    assert [g.numbers for g in b.gaps] == [[3]]
    # Held meetings only, oldest first: the planned 5th is not "lacking" anything yet.
    assert b.lacking.delegations == ["tst-fmm-2010-extraordinary", "tst-fmm-4"]
    assert b.lacking.ranks == ["tst-fmm-2 (AF, JP)"]
    assert b.lacking.documents == ["tst-fmm-2", "tst-fmm-2010-extraordinary", "tst-fmm-4"]
    assert b.lacking.city == ["tst-fmm-2"]
    # Facts citing one non-official source; an official one, or two sources, is enough.
    assert b.single_source == [
        "delegation:tst-fmm-1.JP",
        "delegation:tst-fmm-2.AF",
        "delegation:tst-fmm-2.JP",
        "event:tst-fmm-2",
        "event:tst-fmm-2010-extraordinary",
        "event:tst-fmm-5",
        "stated_count:tst-fmm.count.2012-12.paper",
    ]


def test_open_conflicts_are_those_without_a_preferred_claim(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    cov = coverage(root, "data")
    assert [(c.subject_id, c.field, c.claims) for c in cov.other_open_conflicts] == [
        ("tst.KZ.member.2004-08-28", "role", ["member", "observer"])
    ]
    edit(
        root,
        "dialogues/tst.yaml",
        "- value: observer\n",
        "- value: observer\n            preferred: true\n            reason: official\n",
    )
    assert coverage(root, "data").other_open_conflicts == []


@pytest.mark.parametrize(
    ("count", "note", "verdict", "explained", "explanation"),
    [
        (4, None, "agree", True, "by 2012-12: 4 numbered (gaps 3 declared), 1 extraordinary"),
        (5, None, "agree", True, "; the source counts 1 of the non-numbered"),
        (7, None, "record has fewer", False, "; 2 meeting(s) neither recorded nor declared"),
        (2, None, "record has more", False, "unexplained: the stated count needs a note"),
        (2, "Counted before the 4th.", "record has more", True, "the count's note says why"),
    ],
)
def test_stated_counts_are_reconciled(
    tmp_path: Path,
    count: int,
    note: str | None,
    verdict: str,
    explained: bool,
    explanation: str,
) -> None:
    root = fixture_copy(tmp_path)
    new = f"  - count: {count}\n    as_of: 2012-12\n" + (f"    note: {note}\n" if note else "")
    edit(root, "bodies/tst-fmm.yaml", COUNT, new)
    (r,) = body(root).stated_counts
    assert (r.verdict, r.explained) == (verdict, explained)
    assert explanation in r.explanation


def test_declared_gaps_after_the_last_meeting_explain_a_higher_count(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    edit(root, "bodies/tst-fmm.yaml", COUNT, COUNT.replace("4", "6"))
    edit(root, "bodies/tst-fmm.yaml", "numbers: [3]", "numbers: [3, 5, 6]")
    # 5 is planned in the fixture; drop it so that 5 and 6 can be declared.
    (root / "events" / "tst-fmm" / "05.yaml").unlink()
    (r,) = body(root).stated_counts
    assert (r.verdict, r.explained, r.declared_gaps) == ("record has fewer", True, [3, 5, 6])
    assert r.explanation.endswith("declared gap(s) 5, 6 account for the rest")


def test_only_meetings_held_by_the_date_count(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    # The 2nd FMM is dated 2006-06: not certainly after "2006", so it is counted.
    edit(root, "bodies/tst-fmm.yaml", COUNT, "  - count: 2\n    as_of: 2006\n")
    (r,) = body(root).stated_counts
    assert (r.verdict, r.held_by_then) == ("agree", 2)


def test_cli_json_is_the_report_and_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    result = runner.invoke(app, ["data", "coverage", str(root), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["problems"] == 0
    (tst,) = report["bodies"]
    assert tst["sequence"]["declared"] == [3] and tst["sequence"]["silent"] == []


def test_cli_reports_even_a_record_with_problems(runner: CliRunner, tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    edit(root, "bodies/tst-fmm.yaml", "numbers: [3]", "numbers: [7]")
    result = runner.invoke(app, ["data", "coverage", str(root)])
    assert result.exit_code == 0, result.output
    assert "(silent)" in result.output and "(declared)" in result.output
    assert f"1 problem in {root}" in result.output
    assert "stated count" in result.output


def test_cli_piped_prints_plain_text_with_whole_rows(runner: CliRunner, tmp_path: Path
                                                    ) -> None:
    # CliRunner's stdout is no terminal, as a pipe is not: the report comes as Markdown text,
    # one table row a line (no box drawing, no cell wrapped across lines)
    root = fixture_copy(tmp_path)
    result = runner.invoke(app, ["data", "coverage", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stdout == coverage_report.markdown(coverage(root, str(root)))
    assert not any(ch in result.stdout for ch in "┃━│")


def test_cli_markdown_is_the_generator(runner: CliRunner, tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    result = runner.invoke(app, ["data", "coverage", str(root), "--markdown"])
    assert result.exit_code == 0, result.output
    assert result.output == coverage_report.markdown(coverage(root, str(root)))
    assert "- **tst-fmm 3**: The third meeting is named" in result.output


def test_known_gaps_page_is_what_the_generator_makes_of_the_bundled_record() -> None:
    assert KNOWN_GAPS.read_text(encoding="utf-8") == coverage_report.markdown(coverage()), (
        f"docs/known-gaps.md is stale: regenerate it with `{coverage_report.REGENERATE}`"
    )


def test_the_readme_links_the_known_gaps_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/known-gaps.md)" in readme
