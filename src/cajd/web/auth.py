"""Logging in and out of the portal, and who is asking (the session cookie).

The session cookie is Secure, HttpOnly and SameSite=Strict and holds only a random token; the
session itself lives in the database (``cajd.auth.sessions``). Every form carries a CSRF token:
a logged-in form the session's own token, the login form (before any session exists) a signed
double-submit token: a random nonce in a cookie and, in the form, the nonce with its HMAC under
``CAJD_SECRET_KEY``, so a form another site posts cannot carry a valid pair.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd.auth import sessions
from cajd.web.pages import Lang, page
from cajd.web.viewer import SESSION_COOKIE, current

router = APIRouter(include_in_schema=False)
__all__ = ["SESSION_COOKIE", "check_csrf", "current", "form_data", "router"]
LOGIN_COOKIE = "cajd_login_csrf"
MAX_FORM_BYTES = 64 * 1024


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()


def _cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=True, httponly=True,
                        samesite="strict")


async def form_data(request: Request) -> dict[str, str]:
    """A urlencoded form, first value of each field; an oversized body is refused (413)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(413, "the form is too large")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise HTTPException(400, "the form is not UTF-8 text") from None
    return {k: v[0] for k, v in fields.items()}


def _no_store(response: Response) -> Response:
    # Per visitor: never kept by the response cache, a proxy or the browser's history.
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/{lang}/login", response_class=HTMLResponse)
def login_form(request: Request, lang: Lang, error: str | None = None) -> Response:
    nonce = secrets.token_urlsafe(24)
    csrf = f"{nonce}.{_sign(request.app.state.secret, nonce)}"
    response = page(request, lang, "login.html", None, csrf=csrf, error=error)
    response.status_code = 401 if error else 200
    _cookie(response, LOGIN_COOKIE, nonce, 3600)
    return _no_store(response)


@router.post("/{lang}/login", response_class=HTMLResponse)
async def login(request: Request, lang: Lang) -> Response:
    fields = await form_data(request)
    nonce, _, signature = fields.get("csrf", "").partition(".")
    expected = _sign(request.app.state.secret, nonce)
    if not nonce or nonce != request.cookies.get(LOGIN_COOKIE) or not hmac.compare_digest(
        signature, expected
    ):
        raise HTTPException(403, "the form's CSRF token is missing or not valid; reload the form")
    address = request.client.host if request.client else "unknown"
    with Session(request.app.state.engine) as db:
        try:
            opened = sessions.login(db, fields.get("name", ""), fields.get("password", ""), address)
        except sessions.RateLimited:
            db.commit()  # the attempt counts
            return login_form(request, lang, error="limited")
        except sessions.LoginRefused:
            db.commit()
            return login_form(request, lang, error="refused")
        db.commit()
    response = RedirectResponse(f"/{lang}/", status_code=303)
    _cookie(response, SESSION_COOKIE, opened.token, int(sessions.SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(LOGIN_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return _no_store(response)


def check_csrf(request: Request, fields: dict[str, str]) -> sessions.Current:
    """The logged-in user of a form post, whose CSRF token must match the session's."""
    who = current(request)
    if who is None:
        raise HTTPException(401, "log in first")
    if not hmac.compare_digest(fields.get("csrf", ""), who.csrf):
        raise HTTPException(403, "the form's CSRF token is missing or not valid; reload the form")
    return who


@router.post("/{lang}/logout")
async def logout(request: Request, lang: Lang) -> Response:
    fields = await form_data(request)
    check_csrf(request, fields)
    with Session(request.app.state.engine) as db, db.begin():
        sessions.logout(db, request.cookies[SESSION_COOKIE])
    response = RedirectResponse(f"/{lang}/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return _no_store(response)
