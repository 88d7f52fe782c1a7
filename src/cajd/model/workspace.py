"""What the write side adds to every record row, and the audit log of every change.

Every row the dataset builds can also be created or changed in the app (the workspace). Each row
therefore says where it came from (``origin``), carries a version for optimistic concurrency, and is
deleted softly so that a deletion can be undone and is never a loss.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from cajd.model.base import ID_LENGTH, Base, vocab
from cajd.vocab import Origin

ACTOR_LENGTH = 80
# The columns ``Tracked`` adds: bookkeeping of the write side, not facts the dataset states.
TRACKED_COLUMNS = frozenset({"origin", "version", "deleted_at", "deleted_by"})


class Tracked:
    """Origin, version and soft deletion, shared by every table the dataset builds."""

    # The server default lets a migration add the column to existing rows, which all came from
    # the dataset; the loader still writes it explicitly.
    origin: Mapped[Origin] = mapped_column(
        vocab(Origin), default=Origin.DATASET, server_default=Origin.DATASET.value
    )
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    deleted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deleted_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # The ORM then refuses (StaleDataError) an UPDATE whose row changed since it was read.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def is_record_table(table: sa.Table) -> bool:
    """A table the dataset builds (and the workspace may also write)."""
    return "origin" in table.c


class AuditEntry(Base):
    """One committed change: who, when, what, and the row before and after (JSON)."""

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_subject", "kind", "record_id"),)
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(sa.String(ACTOR_LENGTH))
    action: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[str] = mapped_column(sa.String(ID_LENGTH))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
