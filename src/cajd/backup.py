"""``cajd db backup FILE`` and ``cajd db restore FILE``: the whole database — the record, the
workspace, accounts, the audit log, load runs — in a file, and back.

On SQLite a backup is SQLite's own online backup (a consistent copy while the server runs: the
file is itself a SQLite database). On PostgreSQL it is a portable file: gzip-compressed JSON
lines, one header with the schema revision and then one line per row, read in one repeatable-read
transaction. Either restores into either database: the target is emptied, migrated to the file's
schema revision, filled row by row in one transaction, then migrated to the current schema. A
file from a newer schema than this cajd knows is refused, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from cajd import store

FORMAT = "cajd-backup"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(ValueError):
    """A backup that cannot be restored here (said before anything changes)."""


def _virtual(connection: Connection) -> list[str]:
    """SQLite's full-text indexes (virtual tables): the database keeps them from their tables
    by triggers, so they are neither backed up nor restored, but rebuilt."""
    if connection.dialect.name != "sqlite":
        return []
    return list(connection.execute(sa.text(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
    )).scalars())


def _tables(connection: Connection) -> list[sa.Table]:
    virtual = _virtual(connection)
    metadata = sa.MetaData()
    metadata.reflect(bind=connection)
    return [t for t in metadata.sorted_tables if t.name != "alembic_version" and not any(
        t.name == v or t.name.startswith(f"{v}_") for v in virtual)]


def _revision(connection: Connection) -> str | None:
    try:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DatabaseError:
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def backup(engine: Engine, path: Path) -> str:
    """Write the backup of ``engine`` to ``path``; returns the format written."""
    if engine.dialect.name == "sqlite":
        source = engine.raw_connection()
        try:
            target = sqlite3.connect(path)
            try:
                source.driver_connection.backup(target)  # type: ignore[union-attr]
            finally:
                target.close()
        finally:
            source.close()
        return "sqlite"
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, \
            gzip.open(path, "wt", encoding="utf-8") as out:
        tables = _tables(connection)
        header = {"format": FORMAT, "revision": _revision(connection),
                  "tables": [t.name for t in tables]}
        out.write(json.dumps(header) + "\n")
        for table in tables:
            order = [c for c in table.primary_key.columns] or list(table.c)
            for row in connection.execute(sa.select(table).order_by(*order)).mappings():
                out.write(json.dumps({"t": table.name,
                                      "r": {k: _plain(v) for k, v in row.items()}},
                                     ensure_ascii=False) + "\n")
    return "portable"


def _known(engine: Engine, revision: str | None) -> None:
    if revision is None:
        raise BackupError("the file holds no schema revision: it is not a cajd backup")
    scripts = ScriptDirectory.from_config(store.alembic_config(engine))
    if revision not in {s.revision for s in scripts.walk_revisions()}:
        raise BackupError(f"the file is from a newer schema (revision {revision}) than this "
                          f"cajd knows (head {scripts.get_current_head()}): upgrade cajd first")


def _rows_from(path: Path) -> tuple[str | None, Iterator[tuple[str, dict[str, Any]]]]:
    """The file's schema revision, and its rows as (table, row)."""
    with path.open("rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    if magic == SQLITE_MAGIC:
        source = sa.create_engine(f"sqlite:///{path}")
        with source.connect() as connection:
            revision = _revision(connection)

        def sqlite_rows() -> Iterator[tuple[str, dict[str, Any]]]:
            with source.connect() as connection:
                for table in _tables(connection):
                    for row in connection.execute(sa.select(table)).mappings():
                        yield table.name, dict(row)
            source.dispose()

        return revision, sqlite_rows()
    if magic[:2] != b"\x1f\x8b":
        raise BackupError("the file is neither a SQLite backup nor a portable cajd backup")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(lines.readline())
    if header.get("format") != FORMAT:
        raise BackupError("the file is not a cajd backup")

    def portable_rows() -> Iterator[tuple[str, dict[str, Any]]]:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            next(lines)  # the header
            for line in lines:
                item = json.loads(line)
                yield item["t"], item["r"]

    return header.get("revision"), portable_rows()


def _typed(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    typed = {}
    for key, value in row.items():
        kind = table.c[key].type
        if isinstance(value, str) and isinstance(kind, sa.DateTime):
            value = dt.datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(kind, sa.Date):
            value = dt.date.fromisoformat(value)
        typed[key] = value
    return typed


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        for name in _virtual(connection):
            connection.execute(sa.text(f'DROP TABLE "{name}"'))
        metadata = sa.MetaData()
        metadata.reflect(bind=connection)
        metadata.drop_all(bind=connection)


def restore(engine: Engine, path: Path) -> int:
    """Replace ``engine``'s database with the backup at ``path``; returns the rows restored."""
    revision, found = _rows_from(path)
    _known(engine, revision)
    _empty(engine)
    store.upgrade(engine, revision or "head")
    count = 0
    with engine.begin() as connection:
        tables = {t.name: t for t in _tables(connection)}
        pending: dict[str, list[dict[str, Any]]] = {}
        for name, row in found:
            pending.setdefault(name, []).append(_typed(tables[name], row))
        for name, table in tables.items():  # parents first
            rows = pending.get(name, [])
            if not rows:
                continue
            own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
            # A row may point at a row of its own table inserted after it: those columns
            # are filled in once every row is in.
            connection.execute(table.insert(), [{**r, **dict.fromkeys(own)} for r in rows])
            key = [c.name for c in table.primary_key.columns]
            for column in own:
                for r in rows:
                    if r[column] is not None:
                        connection.execute(table.update().where(*(
                            table.c[k] == r[k] for k in key)).values({column: r[column]}))
            count += len(rows)
        if engine.dialect.name == "postgresql":
            for table in tables.values():
                for serial in table.primary_key.columns:
                    if isinstance(serial.type, sa.Integer) and serial.autoincrement:
                        connection.execute(sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                            f"'{serial.name}'), coalesce(max({serial.name}), 1), "
                            f"max({serial.name}) IS NOT NULL) FROM {table.name}"))
    store.upgrade(engine, "head")
    return count
