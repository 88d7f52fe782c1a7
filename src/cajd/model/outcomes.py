"""What meetings produce and what became of it: areas, documents, commitments, reports."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cajd.model.base import Base, Names, StableId, ref, vocab
from cajd.model.workspace import Tracked
from cajd.vocab import CommitmentKind, DocumentKind, DocumentStatus, ItemStatus


class Area(StableId, Tracked, Names, Base):
    """An area of cooperation; the five pillars have no parent, the areas under them do."""

    __tablename__ = "area"
    parent_id: Mapped[str | None] = ref("area.id")


class AreaTag(StableId, Tracked, Base):
    """Tags an event, document or commitment with an area."""

    __tablename__ = "area_tag"
    area_id: Mapped[str] = ref("area.id", nullable=False)  # type: ignore[assignment]
    subject_kind: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[str] = mapped_column(sa.String(120), index=True)


class Document(StableId, Tracked, Base):
    """An outcome document. Its text is stored only where its licence allows."""

    __tablename__ = "document"
    dialogue_id: Mapped[str] = ref("dialogue.id", nullable=False)  # type: ignore[assignment]
    kind: Mapped[DocumentKind] = mapped_column(vocab(DocumentKind))
    title_en: Mapped[str] = mapped_column(sa.String(500))
    title_ja: Mapped[str | None] = mapped_column(sa.String(500))
    title_ru: Mapped[str | None] = mapped_column(sa.String(500))
    title_is_official: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    event_id: Mapped[str | None] = ref("event.id")
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    date_precision: Mapped[str | None] = mapped_column(sa.String(5))
    languages: Mapped[str | None] = mapped_column(sa.String(40))
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    text: Mapped[str | None] = mapped_column(sa.Text)
    licence: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # Where it stands (``model.adoption``): the bundled record's documents are all adopted;
    # ``adopted_version`` is the version whose text the title and text columns hold.
    status: Mapped[DocumentStatus] = mapped_column(
        vocab(DocumentStatus), default=DocumentStatus.ADOPTED,
        server_default=DocumentStatus.ADOPTED.value)
    adopted_version: Mapped[int | None] = mapped_column(sa.Integer)


class Commitment(StableId, Tracked, Base):
    """A pledge: who, what, how much or how many, made where, due when.

    Amounts are in whole units of ``currency`` (no pledge in the record has fractions).
    """

    __tablename__ = "commitment"
    dialogue_id: Mapped[str] = ref("dialogue.id", nullable=False)  # type: ignore[assignment]
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    kind: Mapped[CommitmentKind] = mapped_column(vocab(CommitmentKind))
    description: Mapped[str] = mapped_column(sa.Text)
    event_id: Mapped[str | None] = ref("event.id")
    document_id: Mapped[str | None] = ref("document.id")
    amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    amount_usd: Mapped[int | None] = mapped_column(sa.BigInteger)
    usd_rate_source_id: Mapped[str | None] = ref("source.id")
    target_quantity: Mapped[int | None] = mapped_column(sa.Integer)
    target_unit: Mapped[str | None] = mapped_column(sa.String(80))
    due_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    due_precision: Mapped[str | None] = mapped_column(sa.String(5))
    # Where in ``document_id`` it is written (a paragraph or section, as the document numbers it).
    paragraph: Mapped[str | None] = mapped_column(sa.String(200))
    # The scoring guideline assessors apply (the G7 Research Group's method): what counts as
    # full (+1), partial (0) and no (−1) compliance with this commitment.
    guideline_full: Mapped[str | None] = mapped_column(sa.Text)
    guideline_partial: Mapped[str | None] = mapped_column(sa.Text)
    guideline_none: Mapped[str | None] = mapped_column(sa.Text)


class ImplementationRecord(StableId, Tracked, Base):
    """Evidence that a commitment, or a meeting's decisions, advanced."""

    __tablename__ = "implementation_record"
    dialogue_id: Mapped[str] = ref("dialogue.id", nullable=False)  # type: ignore[assignment]
    commitment_id: Mapped[str | None] = ref("commitment.id")
    event_id: Mapped[str | None] = ref("event.id")
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    date_precision: Mapped[str | None] = mapped_column(sa.String(5))
    description: Mapped[str] = mapped_column(sa.Text)
    implementer: Mapped[str | None] = mapped_column(sa.String(300))
    beneficiaries: Mapped[str | None] = mapped_column(sa.String(200))
    amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    quantity: Mapped[int | None] = mapped_column(sa.Integer)
    unit: Mapped[str | None] = mapped_column(sa.String(80))


class NationalReport(StableId, Tracked, Base):
    """One party's report on implementing a document (e.g. the Action Plan)."""

    __tablename__ = "national_report"
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    document_id: Mapped[str] = ref("document.id", nullable=False)  # type: ignore[assignment]
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    date_precision: Mapped[str | None] = mapped_column(sa.String(5))
    title: Mapped[str | None] = mapped_column(sa.String(500))


class NationalReportItem(StableId, Tracked, Base):
    """Per action item: its status and what was done."""

    __tablename__ = "national_report_item"
    report_id: Mapped[str] = ref("national_report.id", nullable=False)  # type: ignore[assignment]
    item: Mapped[str] = mapped_column(sa.String(200))
    area_id: Mapped[str | None] = ref("area.id")
    status: Mapped[ItemStatus] = mapped_column(vocab(ItemStatus))
    narrative: Mapped[str | None] = mapped_column(sa.Text)
