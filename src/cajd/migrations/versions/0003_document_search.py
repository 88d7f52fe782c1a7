"""document search: an FTS5 index on SQLite, a GIN full-text index on PostgreSQL

Both are maintained by the database itself (triggers on SQLite, an expression index on
PostgreSQL), so every write path keeps search in step with the ``document`` table.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from cajd.read.search import POSTGRES_VECTOR, SEARCHED_COLUMNS, SQLITE_TABLE

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TEXT = " || ' ' || ".join(f"coalesce(new.{c}, '')" for c in SEARCHED_COLUMNS)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(id UNINDEXED, body, "
            "tokenize='trigram')"
        )
        insert = f"INSERT INTO {SQLITE_TABLE} (id, body) VALUES (new.id, {_TEXT});"
        delete = f"DELETE FROM {SQLITE_TABLE} WHERE id = old.id;"
        op.execute(f"CREATE TRIGGER {SQLITE_TABLE}_ai AFTER INSERT ON document BEGIN {insert} END")
        op.execute(f"CREATE TRIGGER {SQLITE_TABLE}_ad AFTER DELETE ON document BEGIN {delete} END")
        op.execute(
            f"CREATE TRIGGER {SQLITE_TABLE}_au AFTER UPDATE ON document BEGIN {delete} {insert} END"
        )
        existing = _TEXT.replace("new.", "")
        op.execute(f"INSERT INTO {SQLITE_TABLE} (id, body) SELECT id, {existing} FROM document")
    else:
        op.execute(f"CREATE INDEX ix_document_search ON document USING gin ({POSTGRES_VECTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER {SQLITE_TABLE}_{suffix}")
        op.execute(f"DROP TABLE {SQLITE_TABLE}")
    else:
        op.execute("DROP INDEX ix_document_search")
