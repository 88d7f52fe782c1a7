"""Monitoring what the Dialogue promised: national reporting rounds (their items and the
reminders sent), compliance assessments by the G7 Research Group's method, and the evidence
that supports an implementation record, a report's entry or a score.

The historical reports the record found (``outcomes.NationalReport``) are sourced facts with
no versions; a round's report is written in the app, one row per party and version, and keeps
every submitted version frozen.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cajd.model.base import Base, StableId, ref, vocab
from cajd.model.workspace import ACTOR_LENGTH, Tracked
from cajd.vocab import (
    AssessmentStage,
    Delivery,
    ItemStatus,
    ReportState,
    ReviewVerdict,
    RoundStatus,
)

# A period is a year or a span of years: ``2025`` or ``2025-2026``.
PERIOD_LENGTH = 9


class ReportingRound(StableId, Tracked, Base):
    """A call to the parties to report, item by item, by a deadline (``caj-round-2026``)."""

    __tablename__ = "reporting_round"
    dialogue_id: Mapped[str] = ref("dialogue.id", nullable=False)  # type: ignore[assignment]
    # The action plan or roadmap reported on, if the round is about one document.
    document_id: Mapped[str | None] = ref("document.id")
    title_en: Mapped[str] = mapped_column(sa.String(500))
    title_ja: Mapped[str | None] = mapped_column(sa.String(500))
    title_ru: Mapped[str | None] = mapped_column(sa.String(500))
    deadline: Mapped[dt.date] = mapped_column(sa.Date)
    status: Mapped[RoundStatus] = mapped_column(vocab(RoundStatus))
    opened_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    opened_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class RoundItem(StableId, Tracked, Base):
    """One item the parties report on (``caj-round-2026.item.3``): a commitment of the record,
    or an action of the plan in the secretariat's words."""

    __tablename__ = "round_item"
    __table_args__ = (sa.UniqueConstraint("round_id", "position"),)
    round_id: Mapped[str] = ref("reporting_round.id", nullable=False)  # type: ignore[assignment]
    position: Mapped[int] = mapped_column(sa.Integer)
    commitment_id: Mapped[str | None] = ref("commitment.id")
    text_en: Mapped[str] = mapped_column(sa.String(1000))
    text_ja: Mapped[str | None] = mapped_column(sa.String(1000))
    text_ru: Mapped[str | None] = mapped_column(sa.String(1000))


class RoundReport(StableId, Tracked, Base):
    """One version of a party's report in a round (``caj-round-2026.KZ.v2``): a draft, private
    to the party's focal points, or submitted and frozen (an amendment is the next version)."""

    __tablename__ = "round_report"
    __table_args__ = (sa.UniqueConstraint("round_id", "party_id", "number"),)
    round_id: Mapped[str] = ref("reporting_round.id", nullable=False)  # type: ignore[assignment]
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    number: Mapped[int] = mapped_column(sa.Integer)
    state: Mapped[ReportState] = mapped_column(vocab(ReportState))
    note: Mapped[str | None] = mapped_column(sa.Text)  # what an amendment changes, and why
    created_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    created_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class RoundEntry(StableId, Tracked, Base):
    """What a report says of one item (``caj-round-2026.KZ.v2.3``): its status on the fixed
    scale, and a narrative in the language the focal point wrote it in."""

    __tablename__ = "round_entry"
    __table_args__ = (sa.UniqueConstraint("report_id", "item_id"),)
    report_id: Mapped[str] = ref("round_report.id", nullable=False)  # type: ignore[assignment]
    item_id: Mapped[str] = ref("round_item.id", nullable=False)  # type: ignore[assignment]
    status: Mapped[ItemStatus] = mapped_column(vocab(ItemStatus))
    narrative: Mapped[str | None] = mapped_column(sa.Text)
    narrative_lang: Mapped[str | None] = mapped_column(sa.String(2))


class Reminder(StableId, Tracked, Base):
    """A reminder to a party's focal points that its report is due or overdue. One per party and
    deadline: the unique constraint is what makes "never twice for one deadline" hold even when
    two reminder runs race."""

    __tablename__ = "reminder"
    __table_args__ = (sa.UniqueConstraint("round_id", "party_id", "deadline"),)
    round_id: Mapped[str] = ref("reporting_round.id", nullable=False)  # type: ignore[assignment]
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    deadline: Mapped[dt.date] = mapped_column(sa.Date)
    recipients: Mapped[str | None] = mapped_column(sa.Text)  # comma-separated addresses
    delivery: Mapped[Delivery] = mapped_column(vocab(Delivery))
    detail: Mapped[str | None] = mapped_column(sa.Text)  # the server's answer, or why not sent
    sent_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    sent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Assessment(StableId, Tracked, Base):
    """One score of one party's compliance with one commitment over a period, at a stage.

    ``score`` is −1 (no compliance or action against it), 0 (partial, or work in progress) or
    +1 (full compliance); NULL is "not assessed", which is not 0 and is left out of every
    average. A changed score is a new revision: earlier ones stay (the G7 Research Group's
    reports are "living documents"); the latest revision is the score.
    """

    __tablename__ = "assessment"
    __table_args__ = (
        sa.UniqueConstraint("commitment_id", "party_id", "period", "stage", "revision"),
        sa.CheckConstraint("score IN (-1, 0, 1)", name="score_scale"),
    )
    commitment_id: Mapped[str] = ref("commitment.id", nullable=False)  # type: ignore[assignment]
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    period: Mapped[str] = mapped_column(sa.String(PERIOD_LENGTH))
    stage: Mapped[AssessmentStage] = mapped_column(vocab(AssessmentStage))
    revision: Mapped[int] = mapped_column(sa.Integer)
    score: Mapped[int | None] = mapped_column(sa.Integer)
    rationale: Mapped[str] = mapped_column(sa.Text)
    assessed_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    assessed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    review_verdict: Mapped[ReviewVerdict | None] = mapped_column(vocab(ReviewVerdict))
    review_note: Mapped[str | None] = mapped_column(sa.Text)


class Evidence(StableId, Tracked, Base):
    """A link, or a file kept in the evidence folder (named by its SHA-256, so a file is stored
    once and cannot be overwritten by another of the same name), supporting a row."""

    __tablename__ = "evidence"
    __table_args__ = (sa.Index("ix_evidence_subject", "subject_kind", "subject_id"),)
    subject_kind: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str | None] = mapped_column(sa.String(300))
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None] = mapped_column(sa.Integer)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    date_precision: Mapped[str | None] = mapped_column(sa.String(5))
    added_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    added_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
