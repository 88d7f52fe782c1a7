"""meeting workflow: a cancellation reason, a delegation's registration and members, agenda items

Columns are added with plain ``ALTER TABLE`` (inline CHECK included), as 0004 and 0005 do, so that
no SQLite batch copy drops the triggers or turns inline CHECKs into table constraints.

Revision ID: 0006_meeting_workflow
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_meeting_workflow"
down_revision = "0005"
branch_labels = None
depends_on = None

TIMESTAMP = {"sqlite": "DATETIME", "postgresql": "TIMESTAMP WITH TIME ZONE"}
RANKS = ("head_of_state", "head_of_government", "minister", "deputy_minister", "ambassador",
         "director", "embassy_staff")


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


def upgrade() -> None:
    timestamp = TIMESTAMP[op.get_bind().dialect.name]
    op.add_column("event", sa.Column("cancellation_reason", sa.Text(), nullable=True))
    op.add_column("delegation", sa.Column("head_name", sa.String(length=300), nullable=True))
    op.execute("ALTER TABLE delegation ADD COLUMN registration VARCHAR(32) "
               "CONSTRAINT ck_delegation_registration "
               "CHECK (registration IN ('invited', 'registered', 'confirmed'))")
    for who, when in (("registered_by", "registered_at"), ("confirmed_by", "confirmed_at")):
        op.add_column("delegation", sa.Column(who, sa.String(length=80), nullable=True))
        op.execute(f"ALTER TABLE delegation ADD COLUMN {when} {timestamp}")
    op.create_table(
        "delegation_member",
        sa.Column("delegation_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=120), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("rank", _vocab("rank", *RANKS), nullable=True),
        sa.Column("id", sa.String(length=120), nullable=False),
        *_tracked(),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegation.id"],
                                name="fk_delegation_member_delegation_id_delegation"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name="fk_delegation_member_person_id_person"),
        sa.PrimaryKeyConstraint("id", name="pk_delegation_member"),
    )
    for column in ("delegation_id", "person_id"):
        op.create_index(f"ix_delegation_member_{column}", "delegation_member", [column])
    op.create_table(
        "agenda_item",
        sa.Column("event_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=500), nullable=False),
        sa.Column("title_ja", sa.String(length=500), nullable=True),
        sa.Column("title_ru", sa.String(length=500), nullable=True),
        sa.Column("status", _vocab("agendastatus", "active", "withdrawn"), nullable=False),
        sa.Column("id", sa.String(length=120), nullable=False),
        *_tracked(),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name="fk_agenda_item_event_id_event"),
        sa.PrimaryKeyConstraint("id", name="pk_agenda_item"),
    )
    op.create_index("ix_agenda_item_event_id", "agenda_item", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_agenda_item_event_id", table_name="agenda_item")
    op.drop_table("agenda_item")
    for column in ("delegation_id", "person_id"):
        op.drop_index(f"ix_delegation_member_{column}", table_name="delegation_member")
    op.drop_table("delegation_member")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for column in ("confirmed_at", "confirmed_by", "registered_at", "registered_by"):
        op.drop_column("delegation", column)
    if postgresql:
        op.execute("ALTER TABLE delegation DROP CONSTRAINT ck_delegation_registration")
    op.execute("ALTER TABLE delegation DROP COLUMN registration")
    op.drop_column("delegation", "head_name")
    op.drop_column("event", "cancellation_reason")
