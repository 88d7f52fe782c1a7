"""Who is acting on a write route: FastAPI dependencies that turn a request into an ``Actor``.

What the actor may do is not decided here (``cajd.workflow.rules.can`` does that); this only
establishes who it is, and refuses a request that proves nothing:

- JSON API: ``Authorization: Bearer <token>`` (``cajd users token``), or the browser's session
  cookie **together with** ``X-CSRF-Token`` equal to the session's CSRF token. The cookie alone is
  never enough: a browser sends it with any request another site makes it send (CSRF).
- HTML forms: the session cookie and the form's ``csrf`` field (``web.auth.check_csrf``).
- Pages: the session cookie, to show drafts to those who may see them.
"""

from __future__ import annotations

import hmac
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.formparsers import MultiPartException

from cajd.auth.accounts import token_user
from cajd.settings import get_settings
from cajd.web.auth import check_csrf, form_data
from cajd.web.viewer import current
from cajd.workflow import Actor
from cajd.workflow.evidence import Upload

CSRF_HEADER = "X-CSRF-Token"
# Declares the bearer scheme in the OpenAPI document; the header is read below either way, so
# that a malformed one is a 401 that says so, not the scheme's own 403.
bearer_scheme = HTTPBearer(
    auto_error=False,
    description="An API token from `cajd users token NAME`. A logged-in browser may instead "
    "send its session cookie with the session's CSRF token in `X-CSRF-Token`.",
)


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def api_actor(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
) -> Actor:
    """The actor of a JSON write: a live bearer token, else a session cookie plus its CSRF
    header; anything else is 401 (with ``WWW-Authenticate: Bearer``)."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("Authorization: expected 'Bearer <token>'")
        with Session(request.app.state.engine, expire_on_commit=False) as db:
            user = token_user(db, token.strip())
            if user is None:
                raise _unauthorized("the API token is unknown or revoked, or its account disabled")
            return Actor.of(user)
    who = current(request)
    if who is None:
        raise _unauthorized("log in, or send an API token (Authorization: Bearer <token>)")
    if not hmac.compare_digest(request.headers.get(CSRF_HEADER, ""), who.csrf):
        # Logged in, but the request does not prove it comes from cajd's own pages.
        raise HTTPException(403, f"a session cookie needs the session's {CSRF_HEADER} header")
    return Actor.of(who.user)


async def read_actor(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
) -> Actor | None:
    """Who is reading the API (None for the public), kept in ``request.state.actor`` for routes
    that show drafts to those who may see them. A token that is sent must be good (401 if not:
    a client should learn that its token is revoked rather than silently see the public view);
    a session cookie needs no CSRF token here, since a read changes nothing. Without either
    header or cookie this costs no query and no thread: async, so that the public's reads (all
    but a few) are not handed to the thread pool once more than their route needs."""
    actor: Actor | None = None
    if request.headers.get("authorization") is not None or request.cookies:
        # the token or the session is looked up in the database: off the event loop
        actor = await anyio.to_thread.run_sync(_reader, request)
    request.state.actor = actor
    return actor


def _reader(request: Request) -> Actor | None:
    return api_actor(request) if "authorization" in request.headers else page_actor(request)


def page_actor(request: Request) -> Actor | None:
    """Who is viewing a page (None for the public), for pages that show drafts to the
    secretariat and the parties concerned (``cajd.workflow.rules.may_see_drafts``)."""
    who = current(request)
    return Actor.of(who.user) if who is not None else None


async def form_actor(request: Request) -> tuple[Actor, dict[str, str]]:
    """The actor of an HTML form post and the form's fields, its CSRF token checked: 401 when
    not logged in, 403 when the token is missing or not the session's."""
    fields = await form_data(request)
    # The session lookup is a database query: off the event loop.
    who = await anyio.to_thread.run_sync(check_csrf, request, fields)
    return Actor.of(who.user), fields


# A form that may carry files: its fields and, by field name, the files chosen (read at most one
# byte past the evidence limit, so the service names the limit; an empty file input is none).
Files = dict[str, Upload]
MAX_FORM_FILES = 4


async def upload_form_actor(request: Request) -> tuple[Actor, dict[str, str], Files]:
    """``form_actor`` for a form with a file input (``multipart/form-data``); a urlencoded post
    of the same form carries no files."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        actor, plain = await form_actor(request)
        return actor, plain, {}
    limit = get_settings().evidence_max_bytes
    try:
        form = await request.form(max_files=MAX_FORM_FILES, max_fields=200)
    except (MultiPartException, ValueError) as exc:
        raise HTTPException(400, f"the form could not be read: {exc}") from None
    fields: dict[str, str] = {}
    files: Files = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, value)
        elif value.filename:
            files.setdefault(name, Upload(value.filename, value.content_type,
                                          await value.read(limit + 1)))
    who = await anyio.to_thread.run_sync(check_csrf, request, fields)
    return Actor.of(who.user), fields, files


ApiActor = Annotated[Actor, Depends(api_actor)]
ReadActor = Annotated[Actor | None, Depends(read_actor)]
PageActor = Annotated[Actor | None, Depends(page_actor)]
FormActor = Annotated[tuple[Actor, dict[str, str]], Depends(form_actor)]
UploadFormActor = Annotated[tuple[Actor, dict[str, str], Files], Depends(upload_form_actor)]
