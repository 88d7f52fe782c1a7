"""Managing accounts: the library behind ``cajd users``.

Passwords are hashed with argon2 (argon2-cffi's defaults, which follow RFC 9106). API tokens are
32 random bytes, shown once and stored as their SHA-256: a token that long needs no slow hash,
and a stolen table does not yield a usable token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from cajd.model import ApiToken, Party, ReaderParty, User, UserSession
from cajd.model.accounts import EMAIL_LENGTH
from cajd.vocab import UserRole

HASHER = PasswordHasher()
MIN_PASSWORD = 12
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,79}$"


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")
    return HASHER.hash(password)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_user(session: Session, name: str) -> User:
    user = session.scalar(sa.select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"no user {name!r}")
    return user


def _check_party(session: Session, role: UserRole, party: str | None) -> None:
    if role is UserRole.FOCAL_POINT and not party:
        raise AccountError("--party: a focal point acts for one party; name it")
    if role is not UserRole.FOCAL_POINT and role is not UserRole.READER and party:
        raise AccountError(f"--party: only a focal point or a reader has a party, not a {role}")
    if party and session.get(Party, party) is None:
        raise AccountError(f"--party: no party {party!r}")


def _set_role(session: Session, user: User, role: UserRole, party: str | None) -> None:
    _check_party(session, role, party)
    user.role = role
    # A focal point's party is the one it acts for; a reader's is one whose drafts it may see.
    user.party_id = party if role is UserRole.FOCAL_POINT else None
    user.reader_parties = (
        [ReaderParty(party_id=party)] if role is UserRole.READER and party else []
    )


def checked_email(email: str | None) -> str | None:
    """A plain address (``name@example.org``) as it will be stored, None for none; anything the
    standard library's parser refuses, a quoted or non-ASCII local part, a domain without a dot,
    or a header-breaking character is refused naming ``--email``."""
    if email is None or not email.strip():
        return None
    value = email.strip()
    why = None
    if len(value) > EMAIL_LENGTH:
        why = f"at most {EMAIL_LENGTH} characters"
    elif any(c in value for c in '",;<>\\') or any(ord(c) < 33 or ord(c) == 127 for c in value):
        why = "a plain address, without spaces, quotes, commas or angle brackets"
    elif not value.isascii():  # SMTP without SMTPUTF8 carries ASCII addresses only
        why = "ASCII only (write an international domain in its xn-- form)"
    else:
        try:
            parsed = Address(addr_spec=value)
        except (ValueError, IndexError, HeaderParseError):  # what the parser raises on junk
            parsed = None
        if parsed is None or parsed.addr_spec != value or "." not in parsed.domain.strip("."):
            why = "not an e-mail address like name@example.org"
    if why:
        raise AccountError(f"--email: {value!r}: {why}")
    return value


def set_email(session: Session, name: str, email: str | None) -> User:
    """Give an account its address (None or empty: remove it)."""
    user = get_user(session, name)
    user.email = checked_email(email)
    return user


def add_user(
    session: Session, name: str, role: UserRole, party: str | None, password: str | None,
    email: str | None = None,
) -> User:
    if not re.match(NAME_PATTERN, name):
        raise AccountError(
            f"NAME: {name!r} must be 2-80 lowercase letters, digits, '.', '_' or '-'"
        )
    if session.scalar(sa.select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"NAME: a user {name!r} exists already")
    user = User(
        name=name,
        disabled=False,
        password_hash=hash_password(password) if password else None,
        email=checked_email(email),
        created_at=now(),
    )
    _set_role(session, user, role, party)
    session.add(user)
    session.flush()
    return user


def set_role(session: Session, name: str, role: UserRole, party: str | None) -> User:
    user = get_user(session, name)
    _set_role(session, user, role, party)
    end_sessions(session, user)  # what the browser was allowed to do has changed
    return user


def set_disabled(session: Session, name: str, disabled: bool = True) -> User:
    """Disabling ends every session and revokes every token of the user at once."""
    user = get_user(session, name)
    user.disabled = disabled
    if disabled:
        end_sessions(session, user)
        session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now())
        )
    return user


def end_sessions(session: Session, user: User) -> None:
    session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now())
    )


def new_token(session: Session, name: str) -> str:
    """A new API token for the user; the caller shows it once, only its digest is kept."""
    user = get_user(session, name)
    if user.disabled:
        raise AccountError(f"{name!r} is disabled")
    token = f"cajd_{secrets.token_urlsafe(32)}"
    session.add(ApiToken(user_id=user.id, token_hash=digest(token), created_at=now()))
    return token


def revoke_tokens(session: Session, name: str) -> int:
    user = get_user(session, name)
    done = session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now())
    )
    return done.rowcount  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True)
class UserLine:
    name: str
    role: str
    party: str | None
    disabled: bool
    tokens: int
    email: str | None = None


def list_users(session: Session) -> list[UserLine]:
    live = (
        sa.select(sa.func.count())
        .where(ApiToken.user_id == User.id, ApiToken.revoked_at.is_(None))
        .scalar_subquery()
    )
    out = []
    for user, tokens in session.execute(sa.select(User, live).order_by(User.name)):
        parties = [user.party_id] if user.party_id else [r.party_id for r in user.reader_parties]
        out.append(
            UserLine(user.name, user.role.value, ",".join(parties) or None, user.disabled, tokens,
                     user.email)
        )
    return out


def token_user(session: Session, token: str) -> User | None:
    """The live user a bearer token belongs to, if the token is known and not revoked."""
    return session.scalar(
        sa.select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == digest(token),
            ApiToken.revoked_at.is_(None),
            User.disabled.is_(False),
        )
    )
