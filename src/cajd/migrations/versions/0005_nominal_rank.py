"""nominal rank: the rank a body's meetings expect of a head of delegation

Revision ID: 0005
Revises: 0004
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
    # Plain ALTER TABLE with the CHECK inline (valid on both engines), as 0004 does: SQLite's
    # batch copy would turn 0004's inline origin CHECK into a table constraint that its own
    # downgrade could then not drop.
    allowed = ", ".join(f"'{r}'" for r in RANKS)
    op.execute("ALTER TABLE body ADD COLUMN nominal_rank VARCHAR(32) "
               f"CONSTRAINT ck_body_rank CHECK (nominal_rank IN ({allowed}))")
    op.add_column("body", sa.Column("nominal_rank_convention", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("body", "nominal_rank_convention")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE body DROP CONSTRAINT ck_body_rank")
    op.execute("ALTER TABLE body DROP COLUMN nominal_rank")
