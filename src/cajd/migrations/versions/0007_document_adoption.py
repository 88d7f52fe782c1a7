"""document adoption: a document's status and adopted version, its versions, endorsements and
comments

The two document columns are added with plain ``ALTER TABLE`` (inline CHECK included), as 0004
to 0006 do, so that no SQLite batch copy drops the search triggers on ``document``. Every document
already in the store came from the bundled record, which holds adopted documents only: the
status column's server default says so.

Revision ID: 0007_document_adoption
Revises: 0006_meeting_workflow
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007_document_adoption"
down_revision = "0006_meeting_workflow"
branch_labels = None
depends_on = None

STATUSES = ("draft", "circulated", "adopted", "withdrawn")


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


def upgrade() -> None:
    listed = ", ".join(f"'{s}'" for s in STATUSES)
    op.execute("ALTER TABLE document ADD COLUMN status VARCHAR(32) DEFAULT 'adopted' NOT NULL "
               f"CONSTRAINT ck_document_documentstatus CHECK (status IN ({listed}))")
    op.add_column("document", sa.Column("adopted_version", sa.Integer(), nullable=True))
    op.create_table(
        "document_version",
        sa.Column("document_id", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=500), nullable=False),
        sa.Column("title_ja", sa.String(length=500), nullable=True),
        sa.Column("title_ru", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=120), nullable=False),
        *_tracked(),
        *_keys("document_version", ("document_id", "document")),
        sa.UniqueConstraint("document_id", "number", name="uq_document_version_document_id"),
    )
    op.create_table(
        "endorsement",
        sa.Column("document_id", sa.String(length=120), nullable=False),
        sa.Column("text_version", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.String(length=120), nullable=False),
        sa.Column("reservation", sa.Text(), nullable=True),
        sa.Column("endorsed_by", sa.String(length=80), nullable=True),
        sa.Column("endorsed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=120), nullable=False),
        *_tracked(),
        *_keys("endorsement", ("document_id", "document"), ("party_id", "party")),
        sa.UniqueConstraint("document_id", "text_version", "party_id",
                            name="uq_endorsement_document_id"),
    )
    op.create_table(
        "document_comment",
        sa.Column("document_id", sa.String(length=120), nullable=False),
        sa.Column("text_version", sa.Integer(), nullable=False),
        sa.Column("kind", _vocab("remarkkind", "comment", "objection"), nullable=False),
        sa.Column("party_id", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=120), nullable=False),
        *_tracked(),
        *_keys("document_comment", ("document_id", "document"), ("party_id", "party")),
    )
    for table, columns in (("document_version", ("document_id",)),
                           ("endorsement", ("document_id", "party_id")),
                           ("document_comment", ("document_id", "party_id"))):
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, columns in (("document_comment", ("document_id", "party_id")),
                           ("endorsement", ("document_id", "party_id")),
                           ("document_version", ("document_id",))):
        for column in columns:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
    op.drop_column("document", "adopted_version")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE document DROP CONSTRAINT ck_document_documentstatus")
    op.execute("ALTER TABLE document DROP COLUMN status")
