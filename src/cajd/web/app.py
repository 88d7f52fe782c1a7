"""The ASGI app: JSON API, pages, static files, one error shape, caching and read-only CORS."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from cajd import __version__
from cajd.read.queries import NotFound
from cajd.settings import InsecureSecret, get_settings
from cajd.web import api, auth, pages
from cajd.web.cache import ResponseCache
from cajd.web.envelope import error_body
from cajd.web.i18n import DEFAULT_LANGUAGE, LANGUAGES

STATIC = Path(__file__).parent / "static"


def record_version(engine: Engine) -> str:
    """Changes whenever a load run or a committed workspace write (each leaves an audit entry in
    its own transaction) changes the store: the response cache's key, on every instance."""
    query = "SELECT (SELECT max(id) FROM load_run), (SELECT max(id) FROM audit_entry)"
    with engine.connect() as connection:
        load, audit = connection.execute(sa.text(query)).one()
    return f"{load}.{audit}"


def _secret() -> str:
    try:
        return get_settings().resolved_secret()
    except InsecureSecret:
        # ``cajd serve`` has refused to start by now; an app built directly (tests, embedding)
        # signs its login forms with a secret of its own, which no one can guess.
        return secrets.token_urlsafe(32)


def create_app(engine: Engine, secret: str | None = None) -> FastAPI:
    """The app on ``engine``; ``secret`` signs the login form (default: the settings' secret,
    which outside development must be a real one)."""
    app = FastAPI(
        title="cajd — the Central Asia plus Japan Dialogue record",
        version=__version__,
        description=(
            "The sourced record of the 'Central Asia plus Japan' Dialogue: parties, bodies, "
            "meetings and delegations, documents, commitments, and the source of every fact. "
            "Read-only. Every response is `{ok, data, meta}`; every error is "
            "`{ok: false, error, errors, status}`."
        ),
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.secret = secret or _secret()
    app.include_router(api.router)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _handle_errors(app)

    @app.get("/", include_in_schema=False)
    def root(request: Request) -> RedirectResponse:
        return RedirectResponse(f"/{preferred_language(request)}/", status_code=302)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(ResponseCache, version=lambda: record_version(engine))
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                       allow_headers=["If-None-Match"], expose_headers=["ETag"])
    return app


def app_from_settings() -> FastAPI:
    """The app on the configured store (for servers that import the app by name)."""
    from cajd import store

    return create_app(store.open_store())


def preferred_language(request: Request) -> str:
    """The first of en/ja/ru the browser asks for (English when it asks for none of them)."""
    for part in request.headers.get("accept-language", "").split(","):
        lang = part.split(";")[0].strip().lower()[:2]
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANGUAGE


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _handle_errors(app: FastAPI) -> None:
    def respond(request: Request, status: int, error: str,
                errors: list[dict[str, Any]] | None = None) -> Response:
        if _is_api(request):
            return JSONResponse(error_body(status, error, errors), status_code=status)
        return pages.error_page(request, status, error)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return respond(request, 404, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return respond(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [dict(e) for e in exc.errors()]
        return respond(request, 422, "a parameter is not valid", errors)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        return respond(request, 500, "internal error")
