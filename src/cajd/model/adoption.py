"""How an outcome document is adopted: its versions, the member parties' endorsements (each
optionally with a reservation), and the remarks (comments and objections) made on it.

The document row itself (``outcomes.Document``) carries its ``status`` and the number of its
adopted version; its ``text`` and titles are the adopted text, which only adoption changes (a
revision after adoption is a new version, adopted in its turn). Endorsements name the version
they endorse: a revision needs endorsing again.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cajd.model.base import Base, StableId, ref, vocab
from cajd.model.workspace import ACTOR_LENGTH, Tracked
from cajd.vocab import RemarkKind


class DocumentVersion(StableId, Tracked, Base):
    """One version of a document's text (``doc.v2``); never changed once written."""

    __tablename__ = "document_version"
    __table_args__ = (sa.UniqueConstraint("document_id", "number"),)
    document_id: Mapped[str] = ref("document.id", nullable=False)  # type: ignore[assignment]
    number: Mapped[int] = mapped_column(sa.Integer)
    title_en: Mapped[str] = mapped_column(sa.String(500))
    title_ja: Mapped[str | None] = mapped_column(sa.String(500))
    title_ru: Mapped[str | None] = mapped_column(sa.String(500))
    text: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)  # what the revision changed, and why
    created_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    created_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Endorsement(StableId, Tracked, Base):
    """A member party's endorsement of one version (``doc.v2.KZ``), with its reservation."""

    __tablename__ = "endorsement"
    __table_args__ = (sa.UniqueConstraint("document_id", "text_version", "party_id"),)
    document_id: Mapped[str] = ref("document.id", nullable=False)  # type: ignore[assignment]
    text_version: Mapped[int] = mapped_column(sa.Integer)
    party_id: Mapped[str] = ref("party.id", nullable=False)  # type: ignore[assignment]
    reservation: Mapped[str | None] = mapped_column(sa.Text)
    endorsed_by: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    endorsed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class DocumentComment(StableId, Tracked, Base):
    """A comment or an objection on a version (``doc.comment.3``); an objection is recorded
    and shown, and never blocks adoption."""

    __tablename__ = "document_comment"
    document_id: Mapped[str] = ref("document.id", nullable=False)  # type: ignore[assignment]
    text_version: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[RemarkKind] = mapped_column(vocab(RemarkKind))
    party_id: Mapped[str | None] = ref("party.id")
    text: Mapped[str] = mapped_column(sa.Text)
    author: Mapped[str | None] = mapped_column(sa.String(ACTOR_LENGTH))
    at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
