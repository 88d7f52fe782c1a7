"""Invariants of a complete, sourced record, held over the bundled record.

Each invariant is a dataset check (``cajd data check`` enforces it) or the coverage report's
reconciliation; the tests run that same code over the bundled record, and over the invented
fixture broken on purpose, to prove the check fires and is not vacuously silent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cajd.analysis.coverage import coverage
from cajd.dataset import checks
from cajd.dataset.build import Builder
from cajd.dataset.pipeline import bundled_dataset
from cajd.dataset.reader import read_dataset
from tests.gapfixture import edit, fixture_copy

Check = Callable[[Builder], Iterator[checks.Finding]]


def findings(check: Check, root: Path) -> list[str]:
    """What one check says of a dataset (each as ``file:line: field: message``)."""
    read = read_dataset(root, "data")
    builder = Builder(
        read.loaded,
        invalid_ids=read.invalid_ids,
        broken_event_folders=read.broken_event_folders,
    )
    builder.build()
    builder.problems.clear()  # only this check's findings
    for one, loc, message in check(builder):
        builder.problem(one, loc, message)
    return [str(p) for p in builder.problems]


INVARIANTS: dict[str, Check] = {
    "numbering without silent gaps": checks.check_gaps,
    "one meeting per number": checks.check_numbering,
    "meetings inside their body's life": checks.check_event_in_body_life,
    "delegations from parties taking part, one head each": checks.check_delegations,
    "periods end after they start": checks.check_periods,
}


@pytest.mark.parametrize("check", INVARIANTS.values(), ids=list(INVARIANTS))
def test_the_bundled_record_keeps_the_invariant(check: Check) -> None:
    assert findings(check, bundled_dataset()) == []


NEW_EVENT = """id: tst-fmm-9
body: tst-fmm
number: 9
name:
  en: 9th Test Ministers' Meeting
start: 2020
sources: [paper]
"""


def _hole(root: Path) -> None:
    (root / "events" / "tst-fmm" / "09.yaml").write_text(NEW_EVENT, encoding="utf-8")


def _before_body(root: Path) -> None:
    edit(root, "events/tst-fmm/01.yaml", "start: 2004-08-28", "start: 2003-05")


def _never_set_up(root: Path) -> None:
    edit(root, "bodies/tst-fmm.yaml", "status: active", "status: declined")


def _outsider(root: Path) -> None:
    edit(root, "events/tst-fmm/02.yaml", "    role: guest\n", "")


def _two_heads(root: Path) -> None:
    edit(root, "events/tst-fmm/01.yaml", "head: boris-elm", "head: aino-tanaka")


BROKEN = [
    (
        checks.check_gaps,
        _hole,
        "data/bodies/tst-fmm.yaml:14: gaps: tst-fmm has no meeting numbered 6–8",
    ),
    (
        checks.check_event_in_body_life,
        _before_body,
        "data/events/tst-fmm/01.yaml:6: start: 2003-05 is before tst-fmm existed",
    ),
    (
        checks.check_event_in_body_life,
        _never_set_up,
        "data/events/tst-fmm/01.yaml:1: status: tst-fmm was never set up (status declined)",
    ),
    (
        checks.check_delegations,
        _outsider,
        "data/events/tst-fmm/02.yaml:12: delegations[1].party: AF takes no part in tst",
    ),
    (
        checks.check_delegations,
        _two_heads,
        "data/events/tst-fmm/01.yaml:16: delegations[1].head: 'aino-tanaka' already heads",
    ),
]


@pytest.mark.parametrize(
    ("check", "breaks", "expected"), BROKEN, ids=[b[1].__name__.strip("_") for b in BROKEN]
)
def test_the_invariant_fires_on_a_broken_fixture(
    tmp_path: Path, check: Check, breaks: Callable[[Path], None], expected: str
) -> None:
    root = fixture_copy(tmp_path)
    assert findings(check, root) == []
    breaks(root)
    found = findings(check, root)
    assert len(found) >= 1 and found[0].startswith(expected), found


def test_every_stated_count_is_matched_or_explained() -> None:
    # Fewer meetings than stated must be made up by declared gaps; more, by the count's note.
    unexplained = [
        f"{b.id}: stated {r.count}; {r.explanation}"
        for b in coverage().bodies
        for r in b.stated_counts
        if not r.explained
    ]
    assert unexplained == []


def test_an_unsourced_event_or_delegation_is_refused(tmp_path: Path) -> None:
    # The record type refuses it (``Sources`` has min_length 1); the bundled record's citations
    # are checked kind by kind in test_record.test_every_fact_is_sourced.
    root = fixture_copy(tmp_path)
    edit(root, "events/tst-fmm/04.yaml", "sources: [ministry]\n", "")
    edit(
        root,
        "events/tst-fmm/02.yaml",
        "    role: guest\n    sources: [paper]\n",
        "    role: guest\n",
    )
    read = read_dataset(root, "data")
    assert sorted(str(p) for p in read.problems) == [
        "data/events/tst-fmm/02.yaml:12: delegations[1].sources: a fact needs at least one source",
        "data/events/tst-fmm/04.yaml:1: sources: a fact needs at least one source",
    ]
