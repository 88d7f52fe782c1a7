"""A world to write in: the bundled record on a real database (both backends), the six users of
the security matrix with passwords and API tokens, and ways to call the app as each of them.

Users: ``secretariat``; ``focal_jp``, ``focal_kz``, ``focal_uz`` (focal points of JP, KZ, UZ);
``assessor``; ``reader`` (given KZ). Calls go through a real ``create_app`` on the database, by
bearer token, by a logged-in session (cookie + CSRF token), or anonymously.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd import store
from cajd.auth import accounts
from cajd.dataset import pipeline
from cajd.model import AuditEntry, Base
from cajd.vocab import UserRole
from cajd.web.app import create_app
from cajd.workflow import Actor
from tests.conftest import BACKENDS, new_database

PASSWORD = "matrix password 2026"
USERS: dict[str, tuple[UserRole, str | None]] = {
    "secretariat": (UserRole.SECRETARIAT, None),
    "focal_jp": (UserRole.FOCAL_POINT, "JP"),
    "focal_kz": (UserRole.FOCAL_POINT, "KZ"),
    "focal_uz": (UserRole.FOCAL_POINT, "UZ"),
    "assessor": (UserRole.ASSESSOR, None),
    "reader": (UserRole.READER, "KZ"),
}
# Login and logout write these themselves; nothing else may change when a write is refused.
UNTRACKED_TABLES = frozenset({"user_session", "login_attempt"})
BASE_URL = "https://testserver"  # the cookie jar sends Secure cookies only over https


def account_name(user: str) -> str:
    return user.replace("_", "-")  # account names are lowercase with '-', '.', '_'


@dataclass
class LoggedIn:
    client: TestClient
    csrf: str


@dataclass
class World:
    engine: Engine
    app: FastAPI
    tokens: dict[str, str]
    anonymous: TestClient
    _sessions: dict[str, LoggedIn] = field(default_factory=dict)
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    # --- who ------------------------------------------------------------------------------
    def actor(self, user: str) -> Actor:
        """The ``Actor`` of a World user, for ``prepare`` functions calling ``cajd.workflow``."""
        with Session(self.engine) as db:
            return Actor.of(accounts.get_user(db, account_name(user)))

    def bearer(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def logged_in(self, user: str) -> LoggedIn:
        """A client holding ``user``'s session cookie (logged in through the real form)."""
        if user not in self._sessions:
            client = self._stack.enter_context(
                TestClient(self.app, base_url=BASE_URL, raise_server_exceptions=False))
            form = client.get("/en/login")
            found = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert found, form.text
            done = client.post("/en/login", follow_redirects=False, data={
                "name": account_name(user), "password": PASSWORD, "csrf": found.group(1)})
            assert done.status_code == 303, done.text
            with Session(self.engine) as db:
                from cajd.auth import sessions
                current = sessions.resolve(db, client.cookies["cajd_session"])
                assert current is not None
                self._sessions[user] = LoggedIn(client, current.csrf)
        return self._sessions[user]

    # --- calling the app ------------------------------------------------------------------
    def call_json(self, user: str | None, method: str, path: str, body: dict[str, Any] | None,
                  how: str = "token",
                  files: dict[str, tuple[str, bytes, str]] | None = None) -> httpx.Response:
        """A JSON call as ``user``: ``how`` is ``token`` (bearer), ``session`` (cookie and its
        X-CSRF-Token header) or ``cookie-only`` (the cookie without the header: CSRF). With
        ``files``, the body's fields and the files go as multipart instead."""
        content = None if body is None or method == "DELETE" else body
        sent: dict[str, Any] = {"json": content}
        if files is not None:
            sent = {"data": {k: str(v) for k, v in (content or {}).items() if v is not None},
                    "files": files}
        if user is None:
            return self.anonymous.request(method, path, **sent)
        if how == "token":
            return self.anonymous.request(method, path, headers=self.bearer(user), **sent)
        session = self.logged_in(user)
        headers = {"X-CSRF-Token": session.csrf} if how == "session" else {}
        return session.client.request(method, path, headers=headers, **sent)

    def call_form(self, user: str | None, method: str, path: str, fields: dict[str, Any],
                  csrf: str | None = "valid",
                  files: dict[str, tuple[str, bytes, str]] | None = None) -> httpx.Response:
        """A form post as ``user`` (a logged-in session); ``csrf`` is ``valid`` (the session's
        token), None (left out) or a literal wrong value. With ``files``, multipart, as a
        browser sends a form with a file input."""
        data = {k: str(v) for k, v in fields.items()}
        sent: dict[str, Any] = {"files": files} if files else {}
        if user is None:
            return self.anonymous.request(method, path, data=data | {"csrf": "x"},
                                          follow_redirects=False, **sent)
        session = self.logged_in(user)
        if csrf is not None:
            data["csrf"] = session.csrf if csrf == "valid" else csrf
        return session.client.request(method, path, data=data, follow_redirects=False, **sent)

    # --- what the database holds -----------------------------------------------------------
    def state(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table but the login bookkeeping, in a stable order."""
        with self.engine.connect() as connection:
            return {
                table.name: sorted(map(tuple, connection.execute(sa.select(table))), key=repr)
                for table in Base.metadata.sorted_tables if table.name not in UNTRACKED_TABLES
            }

    def audit_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()

    def audits_after(self, count: int) -> list[AuditEntry]:
        """The audit entries written after the first ``count``."""
        with Session(self.engine) as db:
            return list(db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id).offset(count)))


def make_world(engine: Engine) -> Iterator[World]:
    pipeline.load(engine)
    tokens = {}
    with Session(engine) as db, db.begin():
        for user, (role, party) in USERS.items():
            accounts.add_user(db, account_name(user), role, party, PASSWORD)
            tokens[user] = accounts.new_token(db, account_name(user))
    app = create_app(engine)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as anonymous:
        world = World(engine, app, tokens, anonymous)
        with world._stack:
            yield world


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    """The World on each backend, shared by a test module (loading the record is the slow part;
    every example's ``prepare`` makes the state it needs)."""
    urls = new_database(request.param, request, tmp_path_factory.mktemp("world"))
    engine = store.make_engine(next(urls), pool_size=10, pool_timeout=3)
    try:
        yield from make_world(engine)
    finally:
        engine.dispose()
        next(urls, None)  # drops the PostgreSQL database
