"""Write resolved rows into the store in one transaction, counting what changed.

The store mirrors the dataset: a row whose id the dataset no longer holds is deleted, and the
deletion is recorded (its id and its last values) in the run's report; an updated row keeps the
before and after of every column that changed in the same report, so nothing is lost silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.dataset.build import Row, Rows
from cajd.dataset.moments import same
from cajd.dataset.origins import Prefer, guard
from cajd.model import Base, is_record_table


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class WriteReport:
    counts: dict[str, TableCounts] = field(default_factory=dict)
    deleted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Workspace rows the load left as they are, per table (see ``origins``).
    kept: dict[str, int] = field(default_factory=dict)
    overwritten: list[str] = field(default_factory=list)  # clashes the dataset won (--prefer)
    # table -> [{"id", "before": {column: old}, "after": {column: new}}], changed columns only.
    updated: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.inserted or c.updated or c.deleted for c in self.counts.values())


def data_tables() -> list[sa.Table]:
    """Tables the dataset builds, parents before children."""
    return [t for t in Base.metadata.sorted_tables if is_record_table(t)]


def _self_refs(table: sa.Table) -> list[str]:
    return [c.name for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]


def _differs(old: sa.RowMapping, new: Row) -> bool:
    return any(not same(old[key], value) for key, value in new.items())


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def _jsonable(row: sa.RowMapping) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


def _change(old: sa.RowMapping, new: Row) -> dict[str, Any]:
    """The before and after of the columns an update changes."""
    keys = [key for key, value in new.items() if not same(old[key], value)]
    return {
        "id": new["id"],
        "before": {k: _plain(old[k]) for k in keys},
        "after": {k: _plain(new[k]) for k in keys},
    }


def write(session: Session, rows: Rows, prefer: Prefer | None = None) -> WriteReport:
    report = WriteReport()
    tables = data_tables()
    existing = {
        t.name: {row.id: row._mapping for row in session.execute(sa.select(t))} for t in tables
    }
    # Workspace rows are set aside (or the load stops) before anything is written.
    guarded = guard(existing, rows, prefer)
    rows, existing, report.kept = guarded.rows, guarded.existing, guarded.kept
    if prefer == "dataset":
        report.overwritten = [str(clash) for clash in guarded.clashes]
    # Children first for deletions; a row pointing at another of its own table is unhooked first.
    for table in reversed(tables):
        gone = [key for key in existing[table.name] if key not in rows.get(table.name, {})]
        report.counts[table.name] = TableCounts(deleted=len(gone))
        if not gone:
            continue
        report.deleted[table.name] = [_jsonable(existing[table.name][key]) for key in gone]
        if refs := _self_refs(table):
            session.execute(
                sa.update(table).where(table.c.id.in_(gone)).values(dict.fromkeys(refs))
            )
        session.execute(sa.delete(table).where(table.c.id.in_(gone)))
    # Parents first for inserts; self-references are filled in once every row of the table exists.
    for table in tables:
        wanted = rows.get(table.name, {})
        counts, old = report.counts[table.name], existing[table.name]
        refs = _self_refs(table)
        new = [row for key, row in wanted.items() if key not in old]
        changed = [row for key, row in wanted.items() if key in old and _differs(old[key], row)]
        counts.inserted, counts.updated = len(new), len(changed)
        counts.unchanged = len(wanted) - len(new) - len(changed)
        if changed:
            report.updated[table.name] = [_change(old[row["id"]], row) for row in changed]
        # A new version, so that a workspace edit based on the old one is refused as stale.
        changed = [{**row, "version": old[row["id"]]["version"] + 1} for row in changed]
        if new:
            session.execute(sa.insert(table), [{**row, **dict.fromkeys(refs)} for row in new])
        _update(session, table, changed + ([r for r in new if any(r[c] for c in refs)]))
    return report


def _update(session: Session, table: sa.Table, rows: Iterable[Row]) -> None:
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        session.execute(sa.update(table).where(table.c.id == row["id"]).values(values))
