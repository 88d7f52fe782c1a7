"""The portal's pages: server-rendered, complete without JavaScript, one route per page, each
linked to its JSON twin under /api/v1."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from cajd.read import filters as known_filters
from cajd.read import queries as q
from cajd.read import sources as read_sources
from cajd.read.subjects import subjects
from cajd.read.views import Localized, PartyBrief
from cajd.vocab import EventFormat, EventStatus
from cajd.web import figures, jsonld
from cajd.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from cajd.web.templating import render
from cajd.web.viewer import current

router = APIRouter(include_in_schema=False)


def language(lang: Annotated[str, Path()]) -> str:
    if lang not in LANGUAGES:
        raise HTTPException(404, f"no page at /{lang}/")
    return lang


async def session(request: Request) -> AsyncIterator[Session]:
    # An async dependency runs on the event loop: a sync one would cost each request two more
    # hand-offs to the thread pool. Creating a Session does no I/O; it connects on first query.
    with Session(request.app.state.reading_engine) as db:
        yield db


Lang = Annotated[str, Depends(language)]
Db = Annotated[Session, Depends(session)]


def page(request: Request, lang: str, template: str, api: str | None, **context: Any
         ) -> HTMLResponse:
    path = request.url.path.removeprefix(f"/{lang}/")
    query = f"?{request.url.query}" if request.url.query else ""
    # The header says who is logged in (and holds the logout form with the session's token);
    # without a session cookie this costs nothing, and the response cache keeps only those pages.
    viewer = current(request)
    html = render(lang, template, request_path=path + query, api=api, viewer=viewer,
                  static_copy=getattr(request.app.state, "static_copy", False), **context)
    response = HTMLResponse(html)
    if viewer is not None:
        response.headers["cache-control"] = "no-store"  # one visitor's page: kept by no one
    return response


def _language_of(request: Request) -> str:
    lang = request.url.path.strip("/").split("/")[0]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def error_page(request: Request, status: int, message: str) -> Response:
    html = render(_language_of(request), "error.html", request_path="", api=None, status=status,
                  message=message)
    return HTMLResponse(html, status_code=status)


def filter_page(request: Request, status: int, wrong: list[tuple[str, str]]) -> Response:
    """A page asked with a filter value it cannot use (``?body=nonesuch``, ``?year=abc``):
    which parameter, which value, and the page without them."""
    html = render(_language_of(request), "error.html", request_path="", api=None, status=status,
                  message="", wrong_filters=wrong, unfiltered=request.url.path)
    return HTMLResponse(html, status_code=status)


def refusal_page(request: Request, status: int, problems: list[str]) -> Response:
    """A write the service refused (403, 404, 409, 422), explained in the page's language with
    the service's own messages; the viewer stays logged in, so the header shows them."""
    html = render(_language_of(request), "error.html", request_path="", api=None, status=status,
                  message="", problems=problems, viewer=current(request))
    response = HTMLResponse(html, status_code=status)
    response.headers["cache-control"] = "no-store"
    return response


def known(db: Session, filters: q.EventFilter) -> None:
    """404 naming the parameter when a filter names nothing in the record (issue 13)."""
    known_filters.check(db, body=filters.body, party=filters.party, host=filters.host)


PAGE_SIZE = 100  # rows per page of a long list; every list says its true total
PageNumber = Annotated[int, Query(alias="page", ge=1, le=1_000_000)]


@dataclass(frozen=True)
class Pager:
    """Where a page sits in its list, and the links to the pages around it."""

    total: int
    first: int  # 1-based position of the page's first row (0 when the list is empty)
    last: int
    previous: str | None
    next: str | None


def pager(request: Request, found: q.Page[Any]) -> Pager:
    def link(number: int) -> str:
        return "?" + str(request.url.include_query_params(page=number).query)

    size = found.limit or max(found.total, 1)
    number = found.offset // size + 1
    return Pager(total=found.total, first=found.offset + 1 if found.items else 0,
                 last=found.offset + len(found.items),
                 previous=link(number - 1) if number > 1 else None,
                 next=link(number + 1) if found.offset + size < found.total else None)


def offset(number: int) -> int:
    return (number - 1) * PAGE_SIZE


@router.get("/{lang}/", response_class=HTMLResponse)
def home(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    # Counted in SQL, so the figures are true at any size of the record.
    held = q.EventFilter(status=EventStatus.HELD, until=dt.date.today())
    latest = q.events(db, held, sort="-start", limit=3)
    return page(
        request, lang, "home.html", "/api/v1/events?sort=-start",
        latest=latest.items,
        upcoming=q.events(db, q.EventFilter(status=EventStatus.PLANNED), limit=3).items,
        figures={"meetings": latest.total, **q.totals(db)},
        participations=q.participations(db).items,
    )


@router.get("/{lang}/timeline", response_class=HTMLResponse)
def timeline(request: Request, lang: Lang, db: Db, body: str | None = None,
             party: str | None = None, page_: PageNumber = 1) -> HTMLResponse:
    filters = q.EventFilter(body=body or None, party=party or None)
    known(db, filters)
    found = q.events(db, filters, limit=PAGE_SIZE, offset=offset(page_))
    params = {"body": body or "", "party": party or ""}
    return page(request, lang, "timeline.html",
                _api("/api/v1/events", params | {"limit": PAGE_SIZE, "offset": found.offset}),
                events=found.items, pager=pager(request, found), bodies=q.body_outlines(db),
                parties=_member_parties(db), chosen=params,
                figure=figures.embed(db, lang, "timeline", params))


@router.get("/{lang}/structure", response_class=HTMLResponse)
def structure(request: Request, lang: Lang, db: Db, page_: PageNumber = 1) -> HTMLResponse:
    # A page of bodies with their sources; every body's name (one light statement) for the
    # "reports to" column, whose body may be on another page.
    found = q.bodies(db, limit=PAGE_SIZE, offset=offset(page_))
    outlines = q.body_outlines(db)  # in the order of the pages
    return page(request, lang, "structure.html",
                _api("/api/v1/bodies", {"limit": PAGE_SIZE, "offset": found.offset}),
                bodies=found.items, pager=pager(request, found),
                by_id={b.id: b for b in outlines}, current_page=page_,
                page_of={b.id: i // PAGE_SIZE + 1 for i, b in enumerate(outlines)},
                figure=figures.embed(db, lang, "structure", {}))


@router.get("/{lang}/meetings", response_class=HTMLResponse)
def meetings(
    request: Request, lang: Lang, db: Db,
    body: str | None = None, year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    host: str | None = None, format: EventFormat | None = None,
    page_: PageNumber = 1,
) -> HTMLResponse:
    filters = q.EventFilter(body=body or None, year_from=year, year_to=year, host=host or None,
                            format=format)
    known(db, filters)
    found = q.events(db, filters, sort="-start", limit=PAGE_SIZE, offset=offset(page_))
    years, hosts = q.event_facets(db)
    chosen = {"body": body or "", "year": year or "", "host": host or "",
              "format": format or ""}
    api_params = {"body": body or "", "year_from": year or "", "year_to": year or "",
                  "host": host or "", "format": format or "", "sort": "-start",
                  "limit": PAGE_SIZE, "offset": found.offset}
    return page(
        request, lang, "meetings.html", _api("/api/v1/events", api_params),
        events=found.items, pager=pager(request, found), chosen=chosen,
        bodies=q.body_outlines(db), years=years, hosts=[h.id for h in hosts],
        formats=list(EventFormat), hostnames={h.id: h for h in hosts},
    )


@router.get("/{lang}/meetings/{event_id}", response_class=HTMLResponse)
def meeting(request: Request, lang: Lang, db: Db, event_id: str) -> HTMLResponse:
    found = q.event(db, event_id)
    return page(request, lang, "meeting.html", f"/api/v1/events/{event_id}", event=found,
                body=q.body_outline(db, found.body), jsonld=jsonld.block(jsonld.event(
                    found, request.url.path)))


@router.get("/{lang}/parties", response_class=HTMLResponse)
def parties(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    return page(request, lang, "parties.html", "/api/v1/parties", parties=q.parties(db).items,
                figure=figures.embed(db, lang, "ranks", {}))


@router.get("/{lang}/parties/{party_id}", response_class=HTMLResponse)
def party(request: Request, lang: Lang, db: Db, party_id: str, page_: PageNumber = 1
          ) -> HTMLResponse:
    found = q.party(db, party_id)
    attended = q.events(db, q.EventFilter(party=party_id, dialogue=None), limit=PAGE_SIZE,
                        offset=offset(page_))
    cells = {c.event: c for c in q.rank_cells(db, party=party_id,
                                               event_ids=[e.id for e in attended.items])}
    ranked = q.rank_meetings(db, party=party_id) > 0
    return page(request, lang, "party.html", f"/api/v1/parties/{party_id}", party=found,
                jsonld=jsonld.block(jsonld.party(found, request.url.path)),
                events=attended.items, cells=cells, pager=pager(request, attended),
                figure=figures.embed(db, lang, "ranks", {"party": party_id}) if ranked else None)


@router.get("/{lang}/people", response_class=HTMLResponse)
def people(request: Request, lang: Lang, db: Db, page_: PageNumber = 1
           ) -> HTMLResponse:
    found = q.people(db, PAGE_SIZE, offset(page_))
    return page(request, lang, "people.html",
                _api("/api/v1/people", {"limit": PAGE_SIZE, "offset": found.offset}),
                people=found.items, pager=pager(request, found))


@router.get("/{lang}/people/{person_id}", response_class=HTMLResponse)
def person(request: Request, lang: Lang, db: Db, person_id: str) -> HTMLResponse:
    found = q.person(db, person_id)
    return page(request, lang, "person.html", f"/api/v1/people/{person_id}", person=found,
                jsonld=jsonld.block(jsonld.person(found, request.url.path)))


@router.get("/{lang}/documents", response_class=HTMLResponse)
def documents(request: Request, lang: Lang, db: Db,
              q_: Annotated[str, Query(alias="q", max_length=200)] = "",
              page_: PageNumber = 1) -> HTMLResponse:
    found = q.find_documents(db, q_, PAGE_SIZE, offset(page_))
    params = {"q": q_, "limit": PAGE_SIZE, "offset": found.offset}
    return page(request, lang, "documents.html", _api("/api/v1/documents", params),
                documents=found.items, total=found.total, pager=pager(request, found),
                query=q_)


@router.get("/{lang}/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, lang: Lang, db: Db, document_id: str) -> HTMLResponse:
    found = q.document(db, document_id)
    return page(request, lang, "document.html", f"/api/v1/documents/{document_id}",
                document=found, events=_named(db, [found.event]),
                jsonld=jsonld.block(jsonld.document(found, request.url.path)))


@router.get("/{lang}/commitments", response_class=HTMLResponse)
def commitments(request: Request, lang: Lang, db: Db, page_: PageNumber = 1
                ) -> HTMLResponse:
    found = q.commitments(db, limit=PAGE_SIZE, offset=offset(page_))
    return page(request, lang, "commitments.html",
                _api("/api/v1/commitments", {"limit": PAGE_SIZE, "offset": found.offset}),
                commitments=found.items, pager=pager(request, found),
                events=_named(db, [c.event for c in found.items]),
                figure=figures.embed(db, lang, "commitments", {}))


@router.get("/{lang}/commitments/{commitment_id}", response_class=HTMLResponse)
def commitment(request: Request, lang: Lang, db: Db, commitment_id: str) -> HTMLResponse:
    # The forms' modules import this one, so they are imported here, when first needed.
    from cajd.web.assessments_forms import scoring
    from cajd.web.commitments_forms import editing

    return commitment_page(request, lang, db, commitment_id,
                           {**scoring(request, db, commitment_id, lang),
                            **editing(request, db, commitment_id)})


def commitment_page(request: Request, lang: str, db: Session, commitment_id: str,
                    extra: dict[str, Any]) -> HTMLResponse:
    found = q.commitment(db, commitment_id)
    return page(request, lang, "commitment.html", f"/api/v1/commitments/{commitment_id}",
                commitment=found, events=_named(db, [found.event]), **extra)


def source_filter(official: bool | None = None, publisher: str | None = None,
                  language: Annotated[str | None, Query(pattern="^(en|ja|ru)$")] = None,
                  sort: read_sources.SourceSort = "official") -> read_sources.SourceFilter:
    return read_sources.SourceFilter(official=official, publisher=publisher or None,
                                     language=language or None, sort=sort)


SourceQuery = Annotated[read_sources.SourceFilter, Depends(source_filter)]


@router.get("/{lang}/sources", response_class=HTMLResponse)
def sources(request: Request, lang: Lang, db: Db, filters: SourceQuery, page_: PageNumber = 1
            ) -> HTMLResponse:
    found = read_sources.sources(db, filters, PAGE_SIZE, offset(page_))
    chosen = {"official": "" if filters.official is None else str(filters.official).lower(),
              "publisher": filters.publisher or "", "language": filters.language or "",
              "sort": filters.sort}
    return page(request, lang, "sources.html",
                _api("/api/v1/sources", chosen | {"limit": PAGE_SIZE, "offset": found.offset}),
                sources=found.items, pager=pager(request, found), chosen=chosen,
                publishers=read_sources.publishers(db), sorts=list(read_sources._ORDER),
                query=str(request.url.query))


@router.get("/{lang}/sources/{source_id}", response_class=HTMLResponse)
def source(request: Request, lang: Lang, db: Db, source_id: str) -> HTMLResponse:
    found = q.source(db, source_id)
    return page(request, lang, "source.html", f"/api/v1/sources/{source_id}", source=found,
                subjects=subjects(db, [(f.kind, f.id) for f in found.supports]))


@router.get("/{lang}/figures/{filename}")
def figure(lang: Lang, db: Db, filename: str, body: str | None = None,
           party: str | None = None) -> Response:
    name, _, ext = filename.partition(".")  # timeline.svg, timeline.csv, timeline.vl.json
    params = {"body": body or "", "party": party or ""}
    return figures.respond(db, lang, name, ext, params)


class _Named:
    """What a template needs of a meeting to name it: its names."""

    def __init__(self, name: Localized) -> None:
        self.name = name


def _named(db: Session, ids: list[str | None]) -> dict[str, _Named]:
    """The meetings ``ids`` by id, to name the meeting a document or pledge came from."""
    return {i: _Named(name) for i, name in q.event_names(db, [i for i in ids if i]).items()}


def _member_parties(db: Session) -> list[PartyBrief]:
    return [p.party for p in q.participations(db).items]


def _api(path: str, params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    kept = {k: v for k, v in params.items() if v not in ("", None)}
    return f"{path}?{urlencode(kept)}" if kept else path

