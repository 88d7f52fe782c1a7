"""The public record as one SQLite file, made for Datasette and sqlite-utils: the tables of
the data package with their keys, a ``name`` or ``title`` label column that Datasette shows in
place of an id, full-text search (FTS5, ``content=`` the table, as sqlite-utils' ``enable_fts``
builds it) on what people search, views of meetings and delegations, and the record's version
and licence in ``cajd_record``."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd import licence
from cajd.export.tables import TABLE_DESCRIPTIONS, cell, field_type
from cajd.read.record import columns, record, stamp
from cajd.vocab import Rank

_SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "date": "TEXT", "datetime": "TEXT",
              "array": "TEXT", "string": "TEXT"}

#: Tables with full-text search, and the columns it covers.
SEARCHED = {
    "event": ["name_en", "name_ja", "name_ru", "city", "venue", "description"],
    "document": ["title_en", "title_ja", "title_ru", "description", "text"],
    "person": ["name_en", "name_ja", "name_ru"],
    "source": ["title", "author", "publisher", "note"],
    "commitment": ["description"],
}

_RANK_LEVEL = " ".join(f"WHEN '{r.value}' THEN {r.level}" for r in Rank)
VIEWS = {
    "meetings": """
        SELECT e.id, e.body_id, b.name_en AS body, e.number, e.name, e.start_date,
               e.start_precision, e.end_date, e.end_precision, e.city, e.country, e.venue,
               e.host_id, h.name_en AS host, e.format, e.status,
               (SELECT count(*) FROM delegation d WHERE d.event_id = e.id) AS delegations
        FROM event e JOIN body b ON b.id = e.body_id LEFT JOIN party h ON h.id = e.host_id""",
    "delegations": f"""
        SELECT d.id, d.event_id, e.name AS event, e.start_date, e.start_precision,
               d.party_id, p.name_en AS party, d.role, d.head_id,
               coalesce(hd.name_en, d.head_name) AS head, d.head_title, d.rank,
               CASE d.rank {_RANK_LEVEL} END AS rank_level
        FROM delegation d JOIN event e ON e.id = d.event_id JOIN party p ON p.id = d.party_id
        LEFT JOIN person hd ON hd.id = d.head_id""",
}


def _label(table: sa.Table) -> str | None:
    """The English name or title, copied into a ``name``/``title`` column Datasette labels with."""
    for label in ("name", "title"):
        if f"{label}_en" in table.c and label not in table.c:
            return label
    return None


def _create(table: sa.Table) -> str:
    parts = []
    for column in columns(table):
        kind = _SQL_TYPES[field_type(column)]
        parts.append(f'"{column.name}" {kind}' + (" NOT NULL" if not column.nullable else ""))
    if (label := _label(table)) is not None:
        parts.append(f'"{label}" TEXT')
    keys = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    parts.append(f"PRIMARY KEY ({keys})")
    for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
        parts.append(f'FOREIGN KEY ("{fk.parent.name}") REFERENCES '
                     f'"{fk.column.table.name}" ("{fk.column.name}")')
    return f'CREATE TABLE "{table.name}" (\n  ' + ",\n  ".join(parts) + "\n)"


def _value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return int(value) if isinstance(value, bool) else value
    return cell(value)


def write(session: Session, path: Path) -> None:
    """Write the file at ``path`` (replacing it)."""
    found, at = record(session), stamp(session)
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("CREATE TABLE cajd_record (key TEXT PRIMARY KEY, value TEXT)")
            connection.executemany("INSERT INTO cajd_record VALUES (?, ?)", [
                ("title", licence.TITLE), ("version", at.version),
                ("date", at.date.isoformat() if at.date else ""), ("digest", at.digest or ""),
                ("licence", licence.DATA.spdx), ("licence_url", licence.DATA.url),
                ("citation", licence.citation(at.version, at.date))])
            connection.execute("CREATE TABLE cajd_table (name TEXT PRIMARY KEY, description TEXT)")
            for table, table_rows in found:
                connection.execute(_create(table))
                connection.execute("INSERT INTO cajd_table VALUES (?, ?)",
                                   (table.name, TABLE_DESCRIPTIONS.get(table.name, "")))
                names = [c.name for c in columns(table)]
                label = _label(table)
                all_names = [*names, label] if label else names
                marks = ", ".join("?" for _ in all_names)
                quoted = ", ".join(f'"{n}"' for n in all_names)
                connection.executemany(
                    f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})',
                    [[_value(r[n]) for n in names] + ([r[f"{label}_en"]] if label else [])
                     for r in table_rows])
            for table_name, searched in SEARCHED.items():
                listed = ", ".join(searched)
                connection.execute(
                    f'CREATE VIRTUAL TABLE "{table_name}_fts" USING fts5({listed}, '
                    f'content="{table_name}")')
                connection.execute(f'INSERT INTO "{table_name}_fts" (rowid, {listed}) '
                                   f'SELECT rowid, {listed} FROM "{table_name}"')
            for view, query in VIEWS.items():
                connection.execute(f'CREATE VIEW "{view}" AS {query}')
        connection.execute("VACUUM")
    finally:
        connection.close()


def database_bytes(session: Session) -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "cajd.sqlite3"
        write(session, path)
        return path.read_bytes()
