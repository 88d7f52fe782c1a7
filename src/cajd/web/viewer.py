"""Who is asking, from the session cookie: below both the pages (which show the header's
"Log in" / "Log out") and the login routes, so that neither imports the other."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from cajd.auth import sessions

SESSION_COOKIE = "cajd_session"


def current(request: Request) -> sessions.Current | None:
    """The live session the request's cookie names, or None (no cookie costs no query)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with Session(request.app.state.engine, expire_on_commit=False) as db:
        return sessions.resolve(db, token)
