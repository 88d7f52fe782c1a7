"""user email: the address reminders are sent to (focal points), optional for every account

Revision ID: 0010_user_email
Revises: 0009_monitoring
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_user_email"
down_revision = "0009_monitoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: existing accounts have none, and an account without one is still usable (its
    # reminders are then shown in the app and logged instead).
    op.add_column("app_user", sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    # In place, as 0009 drops its columns (SQLite >= 3.35): a batch copy of ``app_user`` would
    # have to recreate the foreign keys every session and token points at.
    op.drop_column("app_user", "email")
