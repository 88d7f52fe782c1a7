"""Where facts come from: sources, citations of them, conflicts between them, load runs."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cajd.model.base import Base, StableId, ref, vocab
from cajd.model.workspace import Tracked
from cajd.vocab import SourceKind


class Source(StableId, Tracked, Base):
    __tablename__ = "source"
    kind: Mapped[SourceKind] = mapped_column(vocab(SourceKind))
    title: Mapped[str] = mapped_column(sa.String(500))
    author: Mapped[str | None] = mapped_column(sa.String(300))
    publisher: Mapped[str | None] = mapped_column(sa.String(300))
    published: Mapped[str | None] = mapped_column(sa.String(10))
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    accessed: Mapped[dt.date | None] = mapped_column(sa.Date)
    file: Mapped[str | None] = mapped_column(sa.String(200))
    official: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    note: Mapped[str | None] = mapped_column(sa.Text)


class Citation(StableId, Tracked, Base):
    """A source supporting a fact: a whole record, or one field of it."""

    __tablename__ = "citation"
    subject_kind: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[str] = mapped_column(sa.String(120), index=True)
    source_id: Mapped[str] = ref("source.id", nullable=False)  # type: ignore[assignment]
    locator: Mapped[str | None] = mapped_column(sa.String(200))


class Conflict(StableId, Tracked, Base):
    """Sources disagree on one field of one record; each claim is kept with its sources."""

    __tablename__ = "conflict"
    subject_kind: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[str] = mapped_column(sa.String(120), index=True)
    field: Mapped[str] = mapped_column(sa.String(80))
    note: Mapped[str | None] = mapped_column(sa.Text)
    resolved: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class ConflictClaim(StableId, Tracked, Base):
    __tablename__ = "conflict_claim"
    conflict_id: Mapped[str] = ref("conflict.id", nullable=False)  # type: ignore[assignment]
    value: Mapped[str] = mapped_column(sa.Text)
    preferred: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(sa.Text)


class LoadRun(Base):
    """One run of the dataset pipeline and what it did (counts per kind, as JSON)."""

    __tablename__ = "load_run"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    dataset: Mapped[str] = mapped_column(sa.String(1000))
    digest: Mapped[str] = mapped_column(sa.String(64))
    report: Mapped[str] = mapped_column(sa.Text)
