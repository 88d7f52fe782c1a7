"""workspace: origin, version and soft deletion on every record row; accounts, sessions, API
tokens, login attempts and the audit log

The record tables gain their columns through plain ``ALTER TABLE … ADD COLUMN`` (valid on both
engines, inline CHECK included) rather than SQLite's batch copy, which would drop the document
table's full-text triggers. Existing rows all came from the dataset: the defaults say so.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Every table the dataset builds, as of this revision (a migration does not import the models).
RECORD_TABLES = (
    "source",
    "party",
    "dialogue",
    "participation",
    "area",
    "area_tag",
    "body",
    "stated_count",
    "declared_gap",
    "person",
    "position",
    "event",
    "delegation",
    "document",
    "commitment",
    "implementation_record",
    "national_report",
    "national_report_item",
    "citation",
    "conflict",
    "conflict_claim",
)
TIMESTAMP = {"sqlite": "DATETIME", "postgresql": "TIMESTAMP WITH TIME ZONE"}


def _record_columns(table: str, timestamp: str) -> list[str]:
    return [
        f"ADD COLUMN origin VARCHAR(32) DEFAULT 'dataset' NOT NULL "
        f"CONSTRAINT ck_{table}_origin CHECK (origin IN ('dataset', 'workspace'))",
        "ADD COLUMN version INTEGER DEFAULT '1' NOT NULL",
        f"ADD COLUMN deleted_at {timestamp}",
        "ADD COLUMN deleted_by VARCHAR(80)",
    ]


def _user_role() -> sa.Enum:
    return sa.Enum(
        "secretariat",
        "focal_point",
        "assessor",
        "reader",
        name="userrole",
        native_enum=False,
        create_constraint=True,
        length=32,
    )


def upgrade() -> None:
    timestamp = TIMESTAMP[op.get_bind().dialect.name]
    for table in RECORD_TABLES:
        for clause in _record_columns(table, timestamp):
            op.execute(f"ALTER TABLE {table} {clause}")
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("role", _user_role(), nullable=False),
        sa.Column("party_id", sa.String(length=120), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name="fk_app_user_party_id_party"),
        sa.PrimaryKeyConstraint("id", name="pk_app_user"),
        sa.UniqueConstraint("name", name="uq_app_user_name"),
    )
    op.create_index("ix_app_user_party_id", "app_user", ["party_id"])
    op.create_table(
        "reader_party",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name="fk_reader_party_user_id_app_user"
        ),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name="fk_reader_party_party_id_party"),
        sa.PrimaryKeyConstraint("user_id", "party_id", name="pk_reader_party"),
    )
    op.create_table(
        "user_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name="fk_user_session_user_id_app_user"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_user_session"),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name="fk_api_token_user_id_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_api_token"),
        sa.UniqueConstraint("token_hash", name="uq_api_token_token_hash"),
    )
    op.create_index("ix_api_token_user_id", "api_token", ["user_id"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account", sa.String(length=80), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempt"),
    )
    for column in ("at", "account", "address"):
        op.create_index(f"ix_login_attempt_{column}", "login_attempt", [column])
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=120), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entry"),
    )
    op.create_index("ix_audit_entry_subject", "audit_entry", ["kind", "record_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_audit_entry_subject", "audit_entry"),
        ("ix_login_attempt_at", "login_attempt"),
        ("ix_login_attempt_account", "login_attempt"),
        ("ix_login_attempt_address", "login_attempt"),
        ("ix_api_token_user_id", "api_token"),
        ("ix_user_session_user_id", "user_session"),
        ("ix_app_user_party_id", "app_user"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("audit_entry", "login_attempt", "api_token", "user_session", "reader_party"):
        op.drop_table(table)
    op.drop_table("app_user")
    for table in RECORD_TABLES:
        for column in ("deleted_by", "deleted_at", "version", "origin"):
            if op.get_bind().dialect.name == "postgresql" and column == "origin":
                op.execute(f"ALTER TABLE {table} DROP CONSTRAINT ck_{table}_origin")
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
