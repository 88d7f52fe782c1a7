"""monitoring: reporting rounds and their items, reminders, compliance assessments, evidence;
a commitment's paragraph and scoring guideline

A round's reports get tables of their own (``round_report``, ``round_entry``) rather than
columns on ``national_report``: the historical reports are sourced facts without versions, and
changing that table would need a SQLite table copy that later downgrades cannot undo.

Revision ID: 0009_monitoring
Revises: 0008_places
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009_monitoring"
down_revision = "0008_places"
branch_labels = None
depends_on = None


def _vocab(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _tracked() -> list[sa.Column[object]]:
    return [
        sa.Column("origin", _vocab("origin", "dataset", "workspace"),
                  server_default="dataset", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
    ]


def _keys(table: str, *refs: tuple[str, str]) -> list[Any]:
    return [
        *(sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                  name=f"fk_{table}_{column}_{target}") for column, target in refs),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.String(length=120), nullable=False)


def _ref(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.String(length=120), nullable=nullable)


INDEXED = {
    "reporting_round": ("dialogue_id", "document_id"),
    "round_item": ("round_id", "commitment_id"),
    "round_report": ("round_id", "party_id"),
    "round_entry": ("report_id", "item_id"),
    "reminder": ("round_id", "party_id"),
    "assessment": ("commitment_id", "party_id"),
}


def upgrade() -> None:
    op.create_table(
        "reporting_round",
        _ref("dialogue_id", nullable=False),
        _ref("document_id"),
        sa.Column("title_en", sa.String(length=500), nullable=False),
        sa.Column("title_ja", sa.String(length=500), nullable=True),
        sa.Column("title_ru", sa.String(length=500), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", _vocab("roundstatus", "open", "closed"), nullable=False),
        sa.Column("opened_by", sa.String(length=80), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        _id(), *_tracked(),
        *_keys("reporting_round", ("dialogue_id", "dialogue"), ("document_id", "document")),
    )
    op.create_table(
        "round_item",
        _ref("round_id", nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _ref("commitment_id"),
        sa.Column("text_en", sa.String(length=1000), nullable=False),
        sa.Column("text_ja", sa.String(length=1000), nullable=True),
        sa.Column("text_ru", sa.String(length=1000), nullable=True),
        _id(), *_tracked(),
        *_keys("round_item", ("round_id", "reporting_round"), ("commitment_id", "commitment")),
        sa.UniqueConstraint("round_id", "position", name="uq_round_item_round_id"),
    )
    op.create_table(
        "round_report",
        _ref("round_id", nullable=False),
        _ref("party_id", nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", _vocab("reportstate", "draft", "submitted"), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(length=80), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        _id(), *_tracked(),
        *_keys("round_report", ("round_id", "reporting_round"), ("party_id", "party")),
        sa.UniqueConstraint("round_id", "party_id", "number", name="uq_round_report_round_id"),
    )
    op.create_table(
        "round_entry",
        _ref("report_id", nullable=False),
        _ref("item_id", nullable=False),
        sa.Column("status", _vocab("itemstatus", "not_started", "in_progress", "completed",
                                   "not_applicable"), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("narrative_lang", sa.String(length=2), nullable=True),
        _id(), *_tracked(),
        *_keys("round_entry", ("report_id", "round_report"), ("item_id", "round_item")),
        sa.UniqueConstraint("report_id", "item_id", name="uq_round_entry_report_id"),
    )
    op.create_table(
        "reminder",
        _ref("round_id", nullable=False),
        _ref("party_id", nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=True),
        sa.Column("delivery", _vocab("delivery", "sent", "logged", "failed"), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("sent_by", sa.String(length=80), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        _id(), *_tracked(),
        *_keys("reminder", ("round_id", "reporting_round"), ("party_id", "party")),
        sa.UniqueConstraint("round_id", "party_id", "deadline", name="uq_reminder_round_id"),
    )
    op.create_table(
        "assessment",
        _ref("commitment_id", nullable=False),
        _ref("party_id", nullable=False),
        sa.Column("period", sa.String(length=9), nullable=False),
        sa.Column("stage", _vocab("assessmentstage", "interim", "final"), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.String(length=80), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_verdict", _vocab("reviewverdict", "agrees", "disagrees"),
                  nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        _id(), *_tracked(),
        *_keys("assessment", ("commitment_id", "commitment"), ("party_id", "party")),
        sa.UniqueConstraint("commitment_id", "party_id", "period", "stage", "revision",
                            name="uq_assessment_commitment_id"),
        sa.CheckConstraint("score IN (-1, 0, 1)", name="ck_assessment_score_scale"),
    )
    op.create_table(
        "evidence",
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=5), nullable=True),
        sa.Column("added_by", sa.String(length=80), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=True),
        _id(), *_tracked(), *_keys("evidence"),
    )
    op.create_index("ix_evidence_subject", "evidence", ["subject_kind", "subject_id"])
    for table, columns in INDEXED.items():
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])

    op.add_column("commitment", sa.Column("paragraph", sa.String(length=200), nullable=True))
    for level in ("full", "partial", "none"):
        op.add_column("commitment", sa.Column(f"guideline_{level}", sa.Text(), nullable=True))


def downgrade() -> None:
    for level in ("none", "partial", "full"):
        op.drop_column("commitment", f"guideline_{level}")
    op.drop_column("commitment", "paragraph")
    for table, columns in reversed(INDEXED.items()):
        for column in columns:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
    op.drop_index("ix_evidence_subject", table_name="evidence")
    for table in ("evidence", "assessment", "reminder", "round_entry", "round_report", "round_item",
                  "reporting_round"):
        op.drop_table(table)
