"""The YAML records and the domain model describe the same things: every column is fed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cajd.dataset import pipeline
from cajd.dataset.kinds import KINDS
from cajd.dataset.writer import data_tables
from cajd.model.workspace import TRACKED_COLUMNS

REPORT = """\
id: kg-2010-action-plan
party: KG
document: caj-fmm-2-action-plan
date: 2010
title: National report on the Action Plan (test fixture, not a fact)
sources: [seed-002]
items:
  - item: Water and energy
    area: water
    status: in_progress
    narrative: A line of narrative.
"""


GAP_BODY = """\
id: caj-test-gaps
dialogue: caj
code: TEST
name:
  en: A body with a declared gap (test fixture, not a fact)
kind: conference
status: active
sources: [seed-002]
gaps:
  - numbers: [1]
    note: Test fixture.
    searched: ["test"]
"""

# Nor a meeting convened in the workspace: its agenda, a registered delegation and its members.
PLANNED_EVENT = """\
id: caj-fmm-10
body: caj-fmm
number: 10
name:
  en: A planned meeting (test fixture, not a fact)
start: 2031-05
status: planned
sources: [seed-002]
agenda:
  - item: 2
    title:
      en: Second item first
    areas: [water]
  - item: 1
    title:
      en: First item, withdrawn
    status: withdrawn
delegations:
  - party: KZ
    head_name: A head the record has no person for
    title: Minister of Foreign Affairs
    rank: minister
    registration: confirmed
    registered_by: kz-focal
    registered_at: 2031-04-01T09:00:00+00:00
    confirmed_by: sec
    confirmed_at: 2031-04-02T09:00:00+00:00
    members:
      - name: A member
        title: Ambassador
        rank: ambassador
    sources: [seed-002]
"""

# Nor a document adopted in the workspace: its versions, endorsements and comments.
ADOPTED_DOCUMENT = """\
id: caj-fmm-10-joint-statement
dialogue: caj
kind: joint_statement
title:
  en: A joint statement (test fixture, not a fact)
adopted_at: caj-fmm-10
text: The adopted text.
status: adopted
adopted_version: 1
versions:
  - version: 1
    title:
      en: A joint statement (test fixture, not a fact)
    text: The adopted text.
    note: First draft.
    by: sec
    at: 2031-04-01T09:00:00+00:00
endorsements:
  - party: KZ
    version: 1
    reservation: A reservation.
    by: kz-focal
    at: 2031-04-02T09:00:00+00:00
comments:
  - kind: objection
    version: 1
    party: TM
    text: An objection.
    by: tm-focal
    at: 2031-04-02T10:00:00+00:00
sources: [seed-002]
"""

# Nor a reporting round, an assessment or evidence: one of each, every field filled.
ROUND = """\
id: caj-round-2031
dialogue: caj
title:
  en: A reporting round (test fixture, not a fact)
document: caj-fmm-2-action-plan
deadline: 2031-03-31
status: closed
opened_by: sec
opened_at: 2031-01-10T09:00:00+00:00
closed_at: 2031-04-10T09:00:00+00:00
items:
  - commitment: jp-2017-trainees-2000
    text:
      en: Training opportunities
  - text:
      en: An action of the plan
      ja: 計画の行動
      ru: Действие плана
reports:
  - party: KZ
    version: 1
    state: submitted
    note: First report.
    by: kz-focal
    at: 2031-02-01T09:00:00+00:00
    submitted_by: kz-focal
    submitted_at: 2031-02-02T09:00:00+00:00
    entries:
      - item: 2
        status: in_progress
        narrative: Работа идёт.
        lang: ru
        evidence:
          - title: A report
            url: https://example.org/report
            date: 2031-01
            by: kz-focal
            at: 2031-02-01T09:00:00+00:00
reminders:
  - party: UZ
    deadline: 2031-03-31
    recipients: [uz@example.org]
    delivery: sent
    detail: 250 OK
    by: sec
    at: 2031-04-01T09:00:00+00:00
sources: [seed-002]
"""

ASSESSMENT = """\
id: jp-2017-trainees-2000.JP.2022.final
commitment: jp-2017-trainees-2000
party: JP
period: "2022"
stage: final
revisions:
  - score: 0
    rationale: A rationale (test fixture, not a fact).
    by: assessor-1
    at: 2031-05-01T09:00:00+00:00
    review:
      by: assessor-2
      at: 2031-05-02T09:00:00+00:00
      verdict: agrees
      note: A note.
    evidence:
      - file: scan.pdf
        type: application/pdf
        size: 1234
        sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        by: assessor-1
        at: 2031-05-01T09:00:00+00:00
  - rationale: Not assessed after all (test fixture).
"""


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, object]]]:
    # The bundled record holds no national report yet; add one so every table is exercised.
    root = tmp_path_factory.mktemp("record") / "data"
    shutil.copytree(pipeline.bundled_dataset(), root)
    (root / "reports" / "kg-2010-action-plan.yaml").write_text(REPORT, encoding="utf-8")
    # Nor, maybe, any declared gap: add a body that declares one.
    (root / "bodies" / "caj-test-gaps.yaml").write_text(GAP_BODY, encoding="utf-8")
    (root / "events" / "caj-fmm" / "10.yaml").write_text(PLANNED_EVENT, encoding="utf-8")
    (root / "documents" / "caj-fmm-10-joint-statement.yaml").write_text(ADOPTED_DOCUMENT,
                                                                          encoding="utf-8")
    (root / "rounds" / "caj-round-2031.yaml").write_text(ROUND, encoding="utf-8")
    (root / "assessments" / "jp-2017-trainees-2000.JP.2022.final.yaml").write_text(
        ASSESSMENT, encoding="utf-8")
    return pipeline.check(Path(root)).rows


@pytest.mark.parametrize("table", [t for t in data_tables()], ids=lambda t: t.name)
def test_each_table_is_fed_column_for_column(rows, table) -> None:  # type: ignore[no-untyped-def]
    assert rows[table.name], f"no record kind produces {table.name} rows"
    for row in rows[table.name].values():
        # The write side's bookkeeping (origin, version, soft deletion) is not a dataset field.
        assert set(row) == set(table.columns.keys()) - TRACKED_COLUMNS


def test_every_record_kind_has_a_folder() -> None:
    from cajd.dataset.reader import REFERENCE_FOLDERS

    folders = {p.name for p in pipeline.bundled_dataset().iterdir() if p.is_dir()}
    assert set(KINDS) == folders - REFERENCE_FOLDERS
