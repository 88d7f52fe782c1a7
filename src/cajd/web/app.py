"""The ASGI app: JSON API, pages, static files, one error shape, caching and read-only CORS,
behind admission control, a request guard, host checking and security headers."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import sqlalchemy as sa
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import Scope

from cajd import __version__, licence
from cajd.changes import ChangeListener
from cajd.read.filters import UnknownFilter
from cajd.read.queries import NotFound
from cajd.read.sql import reading_engine
from cajd.settings import InsecureSecret, Settings, get_settings
from cajd.web import (
    analysis_api,
    analysis_pages,
    analysis_text,
    api,
    assessments_api,
    assessments_forms,
    auth,
    commitments_api,
    commitments_forms,
    compliance,
    conventions,
    docs,
    documents_api,
    documents_forms,
    evidence,
    meetings_api,
    meetings_forms,
    minutes,
    opendata,
    pages,
    reader_pages,
    reminders_api,
    rounds_api,
    rounds_forms,
    rounds_pages,
    sitesearch,
    tables,
    workspace,
    write_api,
)
from cajd.web.actor import read_actor
from cajd.web.cache import RecordVersion, ResponseCache, ResponseStore
from cajd.web.envelope import error_body
from cajd.web.hits import ServeHits
from cajd.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, negotiate
from cajd.web.limits import RETRY_AFTER_SECONDS, ConcurrencyLimit, Sizing, size_thread_pool
from cajd.web.requestlog import RequestLog
from cajd.web.routemap import RouteMap
from cajd.web.security import RequestGuard, SecurityHeaders
from cajd.web.warmup import prepare_routes, warm_up
from cajd.workflow import Conflict, Invalid, WorkflowError

STATIC = Path(__file__).parent / "static"
HEALTH_TIMEOUT = 2.0  # seconds /healthz waits for the database before saying 503


def record_version(engine: Engine) -> str:
    """Changes whenever a load run or a committed workspace write (each leaves an audit entry in
    its own transaction) changes the store: the response cache's key, on every instance."""
    query = "SELECT (SELECT max(id) FROM load_run), (SELECT max(id) FROM audit_entry)"
    with engine.connect() as connection:
        load, audit = connection.execute(sa.text(query)).one()
    return f"{load}.{audit}"


def sizing_from(settings: Settings) -> Sizing:
    return Sizing(concurrency=settings.concurrency, queue_wait=settings.queue_wait,
                  queue_length=settings.queue_length)


def _secret(settings: Settings) -> str:
    try:
        return settings.resolved_secret()
    except InsecureSecret:
        # ``cajd serve`` has refused to start by now; an app built directly (tests, embedding)
        # signs its login forms with a secret of its own, which no one can guess.
        return secrets.token_urlsafe(32)


def create_app(engine: Engine, settings: Settings | None = None,
               allowed_hosts: Sequence[str] | None = None, secret: str | None = None,
               version_ttl: float = 1.0, warm: bool = False) -> FastAPI:
    """The app on ``engine``; ``secret`` signs the login form (default: the settings' secret,
    which outside development must be a real one); ``version_ttl`` is how long the response
    cache trusts the record version it last read (on PostgreSQL a write elsewhere clears the
    cache at once anyway: ``cajd.changes``); ``warm``: do ``cajd.web.warmup`` before the first
    request (``cajd serve`` does)."""
    settings = settings or get_settings()
    sizing = sizing_from(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        size_thread_pool(sizing)
        if warm:
            await anyio.to_thread.run_sync(warm_up)
            await prepare_routes(app.router)
        listener = None
        if engine.dialect.name == "postgresql":
            listener = ChangeListener(engine.url, app.state.response_store.clear)
            listener.start()
        app.state.change_listener = listener
        try:
            yield
        finally:
            if listener is not None:
                listener.stop()

    app = FastAPI(
        title="cajd — the Central Asia plus Japan Dialogue record",
        version=__version__,
        description=(
            "The sourced record of the 'Central Asia plus Japan' Dialogue: parties, bodies, "
            "meetings and delegations, documents, commitments, and the source of every fact. "
            "Read-only. Every response is `{ok, data, meta}`; every error is "
            "`{ok: false, error, errors, status}`. The record is open data under CC BY 4.0 "
            "(cite it as /en/about says); bulk downloads are under /downloads/."
        ),
        docs_url=None,  # cajd.web.docs serves /api/docs without a CDN
        openapi_url="/api/openapi.json",
        redoc_url=None,
        license_info={"name": f"Data: {licence.DATA.spdx}; code: {licence.CODE.spdx}",
                      "url": licence.DATA.url},
        lifespan=lifespan,
        # FastAPI's built-in OpenTelemetry looked up the global providers on every request
        # (12 us each, a third of a cache hit's time); cajd exports no traces or metrics.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.engine = engine
    app.state.reading_engine = reading_engine(engine)  # the read routes' sessions
    app.state.secret = secret or _secret(settings)
    # Every read of the API honours a bearer token (or a session), for drafts (``read_actor``).
    reader = [Depends(read_actor)]
    app.include_router(api.router, dependencies=reader)
    app.include_router(compliance.api_router, dependencies=reader)
    app.include_router(analysis_text.api_router)
    app.include_router(analysis_api.router, dependencies=reader)
    app.include_router(write_api.router)
    app.include_router(meetings_api.router)
    app.include_router(documents_api.router)
    app.include_router(commitments_api.router)
    app.include_router(assessments_api.router)
    app.include_router(assessments_api.read_router, dependencies=reader)
    app.include_router(reminders_api.router)
    app.include_router(rounds_api.router)
    app.include_router(rounds_pages.api_router, dependencies=reader)
    app.include_router(evidence.router)
    app.include_router(documents_forms.router)
    app.include_router(assessments_forms.router)
    app.include_router(minutes.api_router)
    app.include_router(minutes.router)
    app.include_router(meetings_forms.router)
    app.include_router(rounds_forms.router)
    app.include_router(commitments_forms.router)
    app.include_router(auth.router)
    app.include_router(workspace.router)
    app.include_router(docs.router)
    app.include_router(opendata.router)  # before pages: /downloads/ is not a language
    app.include_router(conventions.router)
    app.include_router(sitesearch.api_router, dependencies=reader)
    app.include_router(sitesearch.page_router)
    app.include_router(reader_pages.router)
    app.include_router(rounds_pages.router)
    app.include_router(tables.router)
    app.include_router(compliance.page_router)
    app.include_router(pages.router)
    # before analysis_pages: its /{lang}/analysis/{name} would take /{lang}/analysis/text
    app.include_router(analysis_text.page_router)
    app.include_router(analysis_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _handle_errors(app)
    _document_request_limits(app)

    @app.get("/", include_in_schema=False)
    def root(request: Request) -> RedirectResponse:
        return RedirectResponse(f"/{preferred_language(request)}/", status_code=302)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # browsers ask for /favicon.ico whatever the page links; answer with the page's icon
        return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                        headers={"cache-control": "public, max-age=86400"})

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return await health(engine)

    routes = RouteMap(app.router.routes)
    app.state.response_store = ResponseStore(settings.cache_max_bytes,
                                             settings.cache_entry_max_bytes)
    version = RecordVersion(lambda: record_version(engine), app.state.response_store,
                            version_ttl)
    hosts = list(allowed_hosts or settings.host_list())
    uncached = ("/healthz",)
    # Starlette runs the last added outermost: hits, log, headers, host check, guard, CORS,
    # cache, then admission (so that cache hits never wait for a slot).
    app.add_middleware(ConcurrencyLimit, sizing=sizing, busy=busy_response)
    app.add_middleware(ResponseCache, version=version, routes=routes, exclude=uncached)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                       allow_headers=["If-None-Match"], expose_headers=["ETag"])
    app.add_middleware(RequestGuard, routes=routes, reject=error_response)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog)
    app.add_middleware(ServeHits, version=version, routes=routes, hosts=hosts, exclude=uncached)
    return app


async def health(engine: Engine) -> Response:
    """200 when the database answers ``SELECT 1`` within HEALTH_TIMEOUT, else 503."""
    def ping() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    no_store = {"Cache-Control": "no-store"}
    try:
        with anyio.fail_after(HEALTH_TIMEOUT):
            await anyio.to_thread.run_sync(ping, abandon_on_cancel=True)
    except TimeoutError:
        problem = f"the database did not answer within {HEALTH_TIMEOUT:g} s"
    except sa.exc.SQLAlchemyError as exc:
        problem = f"the database cannot be reached ({type(exc).__name__})"
    else:
        return JSONResponse({"ok": True}, headers=no_store)
    return JSONResponse(error_body(503, problem), status_code=503,
                        headers={**no_store, "Retry-After": str(RETRY_AFTER_SECONDS)})


def app_from_settings() -> FastAPI:
    """The app on the configured store (for servers that import the app by name: each worker
    process of `cajd serve --workers N` opens its own engine here)."""
    from cajd import store
    from cajd.web.requestlog import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    engine = store.open_store(settings, pool_size=sizing_from(settings).pool_size)
    return create_app(engine, settings, warm=True)


NO_NUL = "^[^\\x00]*$"  # RequestGuard refuses a NUL in any parameter: the schema says so
#: ResponseCache gives every GET an ETag and answers a matching If-None-Match with 304.
NOT_MODIFIED = {
    "description": "Not Modified: the If-None-Match header named the answer's current ETag; "
                   "keep the copy you have (no body).",
    "headers": {"ETag": {"description": "the answer's ETag", "schema": {"type": "string"}}}}


def _document_request_limits(app: FastAPI) -> None:
    """Say in the OpenAPI document what ``RequestGuard`` enforces, so that a client (or a fuzzer)
    reading it knows a string parameter may not hold a NUL character; and that reads take a
    token but need none."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        for path in schema.get("paths", {}).values():
            for method, operation in path.items():
                if method == "get":
                    operation["responses"].setdefault("304", NOT_MODIFIED)
                if method == "get" and operation.get("security") and {} not in operation[
                        "security"]:
                    # Reads take a token (for drafts) but need none: the empty requirement
                    # says authentication is optional.
                    operation["security"] = [{}, *operation["security"]]
        for operation in (op for path in schema.get("paths", {}).values() for op in path.values()):
            for parameter in operation.get("parameters", []):
                spec = parameter.get("schema", {})
                for alternative in (spec, *spec.get("anyOf", [])):
                    if alternative.get("type") == "string" and not (
                            {"pattern", "enum", "const", "format"} & alternative.keys()):
                        alternative["pattern"] = NO_NUL
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def preferred_language(request: Request) -> str:
    """The language the browser prefers among en/ja/ru, by its q-values (issue 13)."""
    return negotiate(request.headers.get("accept-language", ""))


def _is_api(path: str) -> bool:
    return path.startswith("/api/")


def error_response(scope: Scope, status: int, error: str,
                   errors: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """The one error shape for the API, the friendly error page for everything else."""
    request = Request(scope)
    if _is_api(scope["path"]):
        return JSONResponse(error_body(status, error, errors), status_code=status,
                            headers=headers)
    response = pages.error_page(request, status, error)
    response.headers.update(headers or {})
    return response


_busy_pages: dict[tuple[str, int, str], bytes] = {}


def busy_response(scope: Scope, status: int, error: str, headers: dict[str, str]) -> Response:
    """The 503 of a saturated server: rendered once per language, since a busy server may have to
    send hundreds a second from its event loop."""
    if _is_api(scope["path"]):
        return error_response(scope, status, error, None, headers)
    lang = scope["path"].strip("/").split("/")[0]
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    key = (lang, status, error)
    if key not in _busy_pages:
        _busy_pages[key] = bytes(error_response({**scope, "path": f"/{lang}/"}, status,
                                                error).body)
    return Response(_busy_pages[key], status_code=status, headers=headers,
                    media_type="text/html")


def problem_location(problem: str) -> list[str | int]:
    """``["body", field]`` of a service problem (``"event caj-fmm-1: venue: at most 300
    characters"``, the loader's ``place: field: message`` shape), so that a client can point at
    the field; the message itself names it too."""
    parts = problem.split(": ")
    return ["body", *parts[1].split(".")] if len(parts) >= 3 else ["body"]


def _handle_errors(app: FastAPI) -> None:
    def respond(request: Request, status: int, error: str,
                errors: list[dict[str, Any]] | None = None,
                headers: dict[str, str] | None = None) -> Response:
        return error_response(request.scope, status, error, errors, headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if isinstance(exc, UnknownFilter):  # ?body=nonesuch: the error names the parameter
            if not _is_api(request.url.path):
                return pages.filter_page(request, 404, [(exc.parameter, exc.value)])
            return respond(request, 404, str(exc),
                           [{"loc": ["query", exc.parameter], "msg": str(exc),
                             "input": exc.value}])
        return respond(request, 404, str(exc))

    @app.exception_handler(WorkflowError)
    async def refused(request: Request, exc: WorkflowError) -> Response:
        # Routes call the service and let its refusal propagate: the transaction has rolled
        # back, and the status says why (403, 404, 409, 422).
        if not _is_api(request.url.path):
            return pages.refusal_page(request, exc.status, exc.problems if isinstance(
                exc, Invalid) else [str(exc)])
        errors = [{"loc": problem_location(p), "msg": p}
                  for p in (exc.problems if isinstance(exc, Invalid) else [])]
        body = error_body(exc.status, str(exc), errors)
        if isinstance(exc, Conflict):
            body["current"] = exc.current
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        # keeps the exception's headers: Allow on a 405, for one
        return respond(request, exc.status_code, str(exc.detail),
                       headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [dict(e) for e in exc.errors()]
        query = [e for e in errors if e.get("loc", ())[:1] == ("query",)]
        if not _is_api(request.url.path) and request.method == "GET" and query:
            # a page's filter the reader (or a link) got wrong: say which, in their language
            return pages.filter_page(request, 422, [(str(e["loc"][-1]), str(e.get("input", "")))
                                                    for e in query])
        return respond(request, 422, "a parameter is not valid", errors)

    @app.exception_handler(sa.exc.TimeoutError)
    async def pool_exhausted(request: Request, exc: sa.exc.TimeoutError) -> Response:
        # Admission control should make this unreachable; if it is reached, say "busy", not 500.
        return respond(request, 503, "the server is busy: retry in a moment",
                       headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(sa.exc.OperationalError)
    async def database_away(request: Request, exc: sa.exc.OperationalError) -> Response:
        # The database cannot answer now (down, restarting, locked): a retry may succeed.
        return respond(request, 503, "the database is not available: retry in a moment",
                       headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        return respond(request, 500, "internal error")
