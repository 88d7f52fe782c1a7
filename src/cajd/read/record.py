"""The whole public record, table by table, for the bulk downloads (data package, SQLite,
static site) and the record's version stamp.

Only what the portal shows goes out: a soft-deleted row is gone, a delegation appears once it
is confirmed (``PUBLIC_DELEGATION``), and a row that points at a row that is not public (a
delegation of a deleted meeting) goes with it. Workspace bookkeeping (origin, version, who
registered or confirmed what, and when) stays in the store; accounts, sessions, tokens, the
audit log and load runs are not part of the record at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd import model
from cajd.model.workspace import is_record_table
from cajd.read.adoption import published
from cajd.read.meetings import PUBLIC_DELEGATION
from cajd.read.sql import asc, rows

#: Columns of the store that are bookkeeping, not record.
PRIVATE_COLUMNS = frozenset({
    "origin", "version", "deleted_at", "deleted_by",
    "registered_by", "registered_at", "confirmed_by", "confirmed_at",
    "created_by", "created_at", "endorsed_by", "endorsed_at",
    # monitoring: which account opened, submitted, scored, reviewed or added what
    "opened_by", "submitted_by", "assessed_by", "reviewed_by", "added_by", "added_at",
})
#: Tables of the drafting process, shown only to those who may see drafts: a document's
#: versions (the adopted text is the document row's own) and the remarks made on them.
#: Reminders name the focal points' e-mail addresses: the secretariat's business only.
PRIVATE_TABLES = frozenset({"document_version", "document_comment", "reminder"})

#: The record's tables, parents before children (foreign keys point backwards).
TABLES: list[sa.Table] = [t for t in model.Base.metadata.sorted_tables
                          if is_record_table(t) and t.name not in PRIVATE_TABLES]

_ENDORSEMENT, _DOCUMENT = model.Endorsement.__table__, model.Document.__table__
_REPORT, _ENTRY = model.RoundReport.__table__, model.RoundEntry.__table__
_EVIDENCE = model.Evidence.__table__
#: A round report is its party's own until submitted: a draft, its entries and their evidence
#: stay out.
_SUBMITTED = _REPORT.c.state == "submitted"
_SUBMITTED_ENTRY = _ENTRY.c.report_id.in_(sa.select(_REPORT.c.id).where(_SUBMITTED))
#: What, beyond not being soft-deleted, makes a row of a table public: a delegation once
#: confirmed, a document once published (``cajd.read.adoption``), and the endorsements (with
#: their reservations) of the text a published document adopted.
_PUBLIC: dict[str, sa.ColumnElement[bool]] = {
    "delegation": PUBLIC_DELEGATION,
    "document": published(_DOCUMENT.c),
    "endorsement": _ENDORSEMENT.c.document_id.in_(
        sa.select(_DOCUMENT.c.id).where(
            published(_DOCUMENT.c), _DOCUMENT.c.adopted_version == _ENDORSEMENT.c.text_version)),
    "round_report": _SUBMITTED,
    "round_entry": _SUBMITTED_ENTRY,
    "evidence": sa.or_(_EVIDENCE.c.subject_kind != "round_entry", _EVIDENCE.c.subject_id.in_(
        sa.select(_ENTRY.c.id).where(_SUBMITTED_ENTRY))),
}


def columns(table: sa.Table) -> list[sa.Column[Any]]:
    return [c for c in table.c if c.name not in PRIVATE_COLUMNS]


def public_rows(session: Session, table: sa.Table) -> list[dict[str, Any]]:
    """The public rows of ``table`` (before dropping those that point at a non-public row)."""
    query = sa.select(*columns(table)).where(table.c.deleted_at.is_(None))
    if table.name in _PUBLIC:
        query = query.where(_PUBLIC[table.name])
    order = [asc(c) for c in table.primary_key.columns]
    return [dict(r._mapping) for r in rows(session, query.order_by(*order))]


@dataclass(frozen=True)
class Record:
    """Every public row, by table name, in the order of ``TABLES``."""

    tables: dict[str, list[dict[str, Any]]]

    def __iter__(self) -> Iterator[tuple[sa.Table, list[dict[str, Any]]]]:
        for table in TABLES:
            yield table, self.tables[table.name]


def record(session: Session) -> Record:
    """The whole public record: one statement per table, then the rows whose foreign keys point
    at a row that is not public are dropped, parents first, so that every reference resolves."""
    tables: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, set[Any]] = {}
    for table in TABLES:
        found = public_rows(session, table)
        references = [(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys]
        if references:
            own = {r["id"] for r in found} if "id" in table.c else set()
            known = {**kept, table.name: own}
            found = [r for r in found if all(
                r[column] is None or r[column] in known.get(target, ())
                for column, target in references)]
        tables[table.name] = found
        if "id" in table.c:
            kept[table.name] = {r["id"] for r in found}
    # Citations, conflicts and area tags name their subject by kind (its table) and id.
    for name, found in tables.items():
        if "subject_kind" in model.Base.metadata.tables[name].c:
            tables[name] = [r for r in found if r["subject_kind"] not in PRIVATE_TABLES and (
                r["subject_kind"] not in kept or r["subject_id"] in kept[r["subject_kind"]])]
    return Record(tables)


@dataclass(frozen=True)
class Stamp:
    """Which state of the record an export holds: ``version`` changes with every load run and
    every committed workspace write (as the response cache's key does); ``date`` is when."""

    version: str
    date: dt.date | None
    digest: str | None  # the SHA-256 of the dataset last loaded


def stamp(session: Session) -> Stamp:
    load, audit = model.LoadRun.__table__, model.AuditEntry.__table__
    last_load = rows(session, sa.select(load.c.id, load.c.finished_at, load.c.started_at,
                                        load.c.digest).order_by(load.c.id.desc()).limit(1))
    last_audit = rows(session, sa.select(audit.c.id, audit.c.at)
                      .order_by(audit.c.id.desc()).limit(1))
    load_id = last_load[0].id if last_load else 0
    audit_id = last_audit[0].id if last_audit else 0
    moments = [m for m in (
        (last_load[0].finished_at or last_load[0].started_at) if last_load else None,
        last_audit[0].at if last_audit else None) if m is not None]
    date = max(_aware(m) for m in moments).date() if moments else None
    return Stamp(version=f"{load_id}.{audit_id}", date=date,
                 digest=last_load[0].digest if last_load else None)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for the UTC moments it was given.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
