"""Logging in: server-side sessions in the database, and a login rate limit counted there too.

The browser's cookie holds a random token; the database holds its SHA-256, the user, a CSRF token
for the session's forms, and when it expires or ended. Because all of it is in the database, every
app instance sees a login, a logout or a disabled account at once, and the rate limit (failed
attempts per account and per address in a window) holds however many instances there are.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from cajd.auth.accounts import digest, now, verify_password
from cajd.model import LoginAttempt, User, UserSession

SESSION_LIFETIME = dt.timedelta(hours=12)
WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


class LoginRefused(Exception):
    """Wrong name or password (which one is not said), or a disabled account."""


class RateLimited(LoginRefused):
    """Too many failed attempts for this account or from this address; try again later."""


@dataclass(frozen=True)
class Opened:
    token: str  # for the cookie, never stored
    csrf: str


def _failures(session: Session, column: InstrumentedAttribute[str], value: str) -> int:
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at > now() - WINDOW)
    ) or 0


def login(session: Session, name: str, password: str, address: str) -> Opened:
    """Open a session, or raise ``LoginRefused``; every attempt is recorded (and committed by the
    caller even when refused, so that failures count)."""
    name = name.strip()[:80]
    limited = (
        _failures(session, LoginAttempt.account, name) >= MAX_FAILURES_PER_ACCOUNT
        or _failures(session, LoginAttempt.address, address) >= MAX_FAILURES_PER_ADDRESS
    )
    user = None if limited else session.scalar(sa.select(User).where(User.name == name))
    # The password is checked only when not limited: a limited guess learns nothing.
    ok = user is not None and not user.disabled and verify_password(user, password)
    session.add(LoginAttempt(at=now(), account=name, address=address[:64], succeeded=ok))
    if limited:
        raise RateLimited("too many failed attempts; wait 15 minutes")
    if not ok or user is None:
        raise LoginRefused("wrong name or password")
    opened = Opened(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
    started = now()
    session.add(
        UserSession(
            token_hash=digest(opened.token),
            user_id=user.id,
            csrf_token=opened.csrf,
            created_at=started,
            expires_at=started + SESSION_LIFETIME,
        )
    )
    return opened


@dataclass(frozen=True)
class Current:
    user: User
    csrf: str


def resolve(session: Session, token: str) -> Current | None:
    """The live session a cookie names: not ended, not expired, its user not disabled."""
    found = session.execute(
        sa.select(User, UserSession.csrf_token)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == digest(token),
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now(),
            User.disabled.is_(False),
        )
    ).first()
    return Current(found[0], found[1]) if found else None


def logout(session: Session, token: str) -> None:
    session.execute(
        sa.update(UserSession)
        .where(UserSession.token_hash == digest(token), UserSession.ended_at.is_(None))
        .values(ended_at=now())
    )
