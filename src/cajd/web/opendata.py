"""Open data over HTTP: ``/downloads/`` (every bulk download, stamped with the record's
version), ``/calendar.ics`` (and one per body), ``/feed.atom``, and the pages that explain them:
``/{lang}/downloads`` and ``/{lang}/about`` (what the record is, its method, its licence and
how to cite it)."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd import __version__, licence
from cajd.export.downloads import BY_FILENAME, DOWNLOADS, Download
from cajd.read import queries as q
from cajd.read.record import stamp
from cajd.vocab import Rank
from cajd.web.pages import Db, Lang, page

router = APIRouter(include_in_schema=False)

#: Downloads a browser should save rather than show.
_ATTACHMENTS = frozenset({"application/zip", "application/vnd.sqlite3"})


def _respond(download: Download, data: bytes, db: Session, filename: str | None = None
             ) -> Response:
    at = stamp(db)
    headers = {"Link": f'<{licence.DATA.url}>; rel="license"',
               "X-Record-Version": at.version}
    if download.media_type in _ATTACHMENTS:
        headers["Content-Disposition"] = (
            f'attachment; filename="{filename or download.filename}"')
    media = download.media_type + ("; charset=utf-8" if download.media_type.startswith(
        "text/") or download.media_type.endswith(("json", "xml")) else "")
    return Response(data, media_type=media, headers=headers)


def _base(request: Request) -> str:
    return str(request.base_url)


@router.get("/downloads/")
def downloads_index(request: Request) -> RedirectResponse:
    from cajd.web.app import preferred_language

    return RedirectResponse(f"/{preferred_language(request)}/downloads", status_code=302)


@cache
def known_gaps() -> bytes:
    """The coverage report of the bundled record (docs/known-gaps.md): it changes only with
    cajd's own files, so it is built once per process."""
    from cajd.analysis import coverage_report
    from cajd.analysis.coverage import coverage

    # Unlike the other downloads it is not built from the live record, so it is stamped with
    # cajd's version (the bundled record's) and says where the live record's gaps are.
    trailer = (f"\n---\n\nComputed from the record bundled with cajd {__version__}; the live "
               f"record's gaps are on its coverage page (`/en/coverage`). {licence.DATA.name} "
               f"({licence.DATA.spdx}, {licence.DATA.url}).\n")
    return (coverage_report.markdown(coverage()) + trailer).encode()


@router.get("/downloads/known-gaps.md")
def known_gaps_file() -> Response:
    return Response(known_gaps(), media_type="text/markdown; charset=utf-8",
                    headers={"Link": f'<{licence.DATA.url}>; rel="license"'})


@router.get("/downloads/{filename}")
def download(request: Request, db: Db, filename: str) -> Response:
    found = BY_FILENAME.get(filename)
    if found is None:
        raise HTTPException(404, f"no download named {filename!r}")
    return _respond(found, found.build(db, _base(request)), db)


@router.get("/calendar.ics")
def calendar_all(request: Request, db: Db) -> Response:
    return _respond(DOWNLOADS["calendar"], DOWNLOADS["calendar"].build(db, _base(request)), db)


@router.get("/calendar/{body_id}.ics")
def calendar_of_body(request: Request, db: Db, body_id: str) -> Response:
    from cajd.export import calendar

    data = calendar.calendar_bytes(db, body_id, _base(request))  # NotFound: 404
    return _respond(DOWNLOADS["calendar"], data, db)


@router.get("/feed.atom")
def feed(request: Request, db: Db) -> Response:
    return _respond(DOWNLOADS["atom"], DOWNLOADS["atom"].build(db, _base(request)), db)


@router.get("/{lang}/downloads", response_class=HTMLResponse)
def downloads_page(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    at = stamp(db)
    return page(request, lang, "downloads.html", None, downloads=list(DOWNLOADS.values()),
                bodies=q.bodies(db).items, stamp=at, licence=licence)


@router.get("/{lang}/about", response_class=HTMLResponse)
def about(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    at = stamp(db)
    return page(request, lang, "about.html", None, stamp=at, licence=licence,
                citation=licence.citation(at.version, at.date), software=__version__,
                ranks=list(Rank), totals=q.totals(db))
