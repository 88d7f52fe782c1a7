"""The dataset's monitoring records: reporting rounds (``rounds/``, with their items, the
parties' reports in every version, and the reminders sent) and compliance assessments
(``assessments/``, one file per commitment, party, period and stage, with every revision).

What a focal point or an assessor writes in the app is dumped in this format and loads back
unchanged; ids inside a file are derived (``round.item.3``, ``round.KZ.v2``, ``….r2``), never
written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from cajd.dataset.records import (
    Date,
    EvidenceRecord,
    Id,
    Localized,
    Record,
    Ref,
    Sourced,
    Text,
)
from cajd.vocab import (
    AssessmentStage,
    Delivery,
    ItemStatus,
    Lang,
    ReportState,
    ReviewVerdict,
    RoundStatus,
)

Position = Annotated[int, Field(ge=1, le=10_000)]


def _forward(period: str) -> str:
    first, _, last = period.partition("-")
    if last and int(last) <= int(first):
        raise ValueError(f"a span's second year comes after its first (2025-2026), not {period!r}")
    return period


def _not_a_boolean(value: object) -> object:
    # JSON's true would pass as 1 (True == 1), and YAML's yes as well: a score is a number.
    if isinstance(value, bool):
        raise ValueError("a score is -1, 0 or 1 (or null: not assessed), not true or false")
    return value


Period = Annotated[str, Field(pattern=r"^\d{4}(-\d{4})?$", description="2025, or 2025-2026"),
                   AfterValidator(_forward)]
Score = Annotated[Literal[-1, 0, 1] | None, BeforeValidator(_not_a_boolean)]


class RoundItemRecord(Record):
    """An item the parties report on: a commitment of the record, or an action in the
    secretariat's words (``text``); a commitment's item may carry its own text too."""

    commitment: Ref | None = None
    text: Localized


class EntryRecord(Record):
    """What a report says of item number ``item``."""

    item: Position
    status: ItemStatus
    narrative: str | None = None
    lang: Lang | None = Field(default=None, description="the narrative's language")
    evidence: list[EvidenceRecord] = Field(default_factory=list)


class RoundReportRecord(Record):
    party: Ref
    version: Position
    state: ReportState
    note: str | None = None
    by: str | None = None
    at: dt.datetime | None = None
    submitted_by: str | None = None
    submitted_at: dt.datetime | None = None
    entries: list[EntryRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def _submitted_has_when(self) -> RoundReportRecord:
        if (self.state is ReportState.SUBMITTED) != (self.submitted_at is not None):
            raise ValueError("a submitted report has submitted_at, and only a submitted one")
        return self


class ReminderRecord(Record):
    party: Ref
    deadline: dt.date
    recipients: list[str] = Field(default_factory=list)
    delivery: Delivery
    detail: str | None = None
    by: str | None = None
    at: dt.datetime | None = None


class RoundRecord(Sourced):
    """A national reporting round (``rounds/caj-round-2026.yaml``)."""

    id: Id
    dialogue: Ref
    title: Localized
    document: Ref | None = None
    deadline: dt.date
    status: RoundStatus = RoundStatus.OPEN
    opened_by: str | None = None
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    items: Annotated[list[RoundItemRecord], Field(min_length=1)]
    reports: list[RoundReportRecord] = Field(default_factory=list)
    reminders: list[ReminderRecord] = Field(default_factory=list)


class ReviewRecord(Record):
    by: str
    at: dt.datetime | None = None
    verdict: ReviewVerdict
    note: str | None = None


class RevisionRecord(Record):
    """One revision of a score: −1, 0 or +1, or none ("not assessed", which is not 0)."""

    score: Score = None
    rationale: Text
    by: str | None = None
    at: dt.datetime | None = None
    review: ReviewRecord | None = None
    evidence: list[EvidenceRecord] = Field(default_factory=list)


class AssessmentRecord(Record):
    """The scores of one party's compliance with one commitment over a period, at a stage
    (``assessments/<commitment>.<party>.<period>.<stage>.yaml``); the last revision counts."""

    id: Id
    commitment: Ref
    party: Ref
    period: Period
    stage: AssessmentStage
    date: Date | None = None
    revisions: Annotated[list[RevisionRecord], Field(min_length=1)]

    @model_validator(mode="after")
    def _id_names_what_it_scores(self) -> AssessmentRecord:
        expected = assessment_file_id(self.commitment, self.party, self.period, self.stage)
        if self.id != expected:
            raise ValueError(f"id: an assessment's id is {expected!r}")
        return self


def assessment_file_id(commitment: str, party: str, period: str, stage: str) -> str:
    return f"{commitment}.{party}.{period}.{stage}"


MONITORING_KINDS: dict[str, type[Record]] = {
    "rounds": RoundRecord,
    "assessments": AssessmentRecord,
}
