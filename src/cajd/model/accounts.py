"""Accounts: users and their roles, server-side sessions, API tokens and login attempts.

Sessions, tokens and attempts live in the database rather than in process memory so that several
app instances on one PostgreSQL share them: disabling a user ends their sessions everywhere at
once, and a login rate limit holds across instances. Secrets are stored only as hashes.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cajd.model.base import Base, ref, vocab
from cajd.model.workspace import ACTOR_LENGTH
from cajd.vocab import UserRole

HASH_LENGTH = 64  # a SHA-256 hex digest
EMAIL_LENGTH = 254


class User(Base):
    __tablename__ = "app_user"  # "user" is reserved on PostgreSQL
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(ACTOR_LENGTH), unique=True)
    role: Mapped[UserRole] = mapped_column(vocab(UserRole))
    # The party a focal point acts for (only a focal point has one).
    party_id: Mapped[str | None] = ref("party.id")
    disabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # An argon2 hash (argon2-cffi's encoded form); empty until a password is set.
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    # Where reminders go (a focal point's); 254 is the longest address SMTP carries (RFC 5321).
    email: Mapped[str | None] = mapped_column(sa.String(EMAIL_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))

    # Loaded with the user (selectin): an ``Actor`` is built from it after the session closes.
    reader_parties: Mapped[list[ReaderParty]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )


class ReaderParty(Base):
    """A party whose drafts a reader may see."""

    __tablename__ = "reader_party"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), primary_key=True)
    party_id: Mapped[str] = mapped_column(sa.ForeignKey("party.id"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="reader_parties")


class UserSession(Base):
    """A logged-in browser. The cookie holds a random token; the table only its hash."""

    __tablename__ = "user_session"
    token_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(sa.String(HASH_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ApiToken(Base):
    """A bearer token for the JSON API, shown once, stored hashed, revocable."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class LoginAttempt(Base):
    """A login attempt, counted per account and per address for the rate limit."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    account: Mapped[str] = mapped_column(sa.String(ACTOR_LENGTH), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(sa.Boolean)
