"""declared gaps: numbers missing from a body's sequence, stated with what was searched

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 06:27:17.846662
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declared_gap",
        sa.Column("body_id", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        # JSON is TEXT on SQLite and json on PostgreSQL: one migration serves both.
        sa.Column("searched", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["body.id"], name=op.f("fk_declared_gap_body_id_body")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declared_gap")),
        sa.UniqueConstraint("body_id", "number", name=op.f("uq_declared_gap_body_id")),
    )
    with op.batch_alter_table("declared_gap", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_declared_gap_body_id"), ["body_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("declared_gap", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declared_gap_body_id"))
    op.drop_table("declared_gap")
