"""nominal rank: the rank a body's meetings expect of a head of delegation

Revision ID: 0005
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

RANKS = ("head_of_state", "head_of_government", "minister", "deputy_minister", "ambassador",
         "director", "embassy_staff")


def upgrade() -> None:
    # batch mode: SQLite cannot add a column with a CHECK constraint in place
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "nominal_rank",
            sa.Enum(*RANKS, name="rank", native_enum=False, create_constraint=True, length=32),
            nullable=True,
        ))
        batch_op.add_column(sa.Column("nominal_rank_convention", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("body", schema=None) as batch_op:
        # the CHECK names the column: drop it first, or SQLite's table copy still refers to it
        batch_op.drop_constraint(batch_op.f("ck_body_rank"), type_="check")
        batch_op.drop_column("nominal_rank_convention")
        batch_op.drop_column("nominal_rank")
