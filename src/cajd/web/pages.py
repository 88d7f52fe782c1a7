"""The portal's pages: server-rendered, complete without JavaScript, one route per page, each
linked to its JSON twin under /api/v1."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from cajd.read import queries as q
from cajd.read.search import search_documents
from cajd.read.views import EventSummary, PartyBrief
from cajd.vocab import BodyStatus, EventFormat, EventStatus
from cajd.web import figures
from cajd.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from cajd.web.templating import render

router = APIRouter(include_in_schema=False)


def language(lang: Annotated[str, Path()]) -> str:
    if lang not in LANGUAGES:
        raise HTTPException(404, f"no page at /{lang}/")
    return lang


async def session(request: Request) -> AsyncIterator[Session]:
    # An async dependency runs on the event loop: a sync one would cost each request two more
    # hand-offs to the thread pool. Creating a Session does no I/O; it connects on first query.
    with Session(request.app.state.engine) as db:
        yield db


Lang = Annotated[str, Depends(language)]
Db = Annotated[Session, Depends(session)]


def page(request: Request, lang: str, template: str, api: str | None, **context: Any
         ) -> HTMLResponse:
    path = request.url.path.removeprefix(f"/{lang}/")
    query = f"?{request.url.query}" if request.url.query else ""
    html = render(lang, template, request_path=path + query, api=api, **context)
    return HTMLResponse(html)


def error_page(request: Request, status: int, message: str) -> Response:
    lang = request.url.path.strip("/").split("/")[0]
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    html = render(lang, "error.html", request_path="", api=None, status=status, message=message)
    return HTMLResponse(html, status_code=status)


@router.get("/{lang}/", response_class=HTMLResponse)
def home(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    everything = q.events(db, limit=500).items
    today = dt.date.today().isoformat()
    held = [e for e in everything if e.status == EventStatus.HELD and e.start <= today]
    coming = [e for e in everything if e.status == EventStatus.PLANNED]
    bodies = q.bodies(db)
    return page(
        request, lang, "home.html", "/api/v1/events?sort=-start",
        latest=held[-3:][::-1], upcoming=coming[:3], bodies=bodies,
        figures={
            "meetings": len(held),
            "bodies": sum(b.status == BodyStatus.ACTIVE for b in bodies),
            "documents": len(q.documents(db)),
            "commitments": len(q.commitments(db)),
            "sources": len(q.sources(db)),
        },
        participations=q.participations(db),
    )


@router.get("/{lang}/timeline", response_class=HTMLResponse)
def timeline(request: Request, lang: Lang, db: Db, body: str | None = None,
             party: str | None = None) -> HTMLResponse:
    filters = q.EventFilter(body=body or None, party=party or None)
    found = q.events(db, filters, limit=500).items
    params = {"body": body or "", "party": party or ""}
    return page(request, lang, "timeline.html", _api("/api/v1/events", params | {"limit": 500}),
                events=found, bodies=q.bodies(db), parties=_member_parties(db), chosen=params,
                figure=figures.embed(db, lang, "timeline", params))


@router.get("/{lang}/structure", response_class=HTMLResponse)
def structure(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    bodies = q.bodies(db)
    return page(request, lang, "structure.html", "/api/v1/bodies", bodies=bodies,
                by_id={b.id: b for b in bodies}, figure=figures.embed(db, lang, "structure", {}))


@router.get("/{lang}/meetings", response_class=HTMLResponse)
def meetings(
    request: Request, lang: Lang, db: Db,
    body: str | None = None, year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    host: str | None = None, format: EventFormat | None = None,
) -> HTMLResponse:
    filters = q.EventFilter(body=body or None, year_from=year, year_to=year, host=host or None,
                            format=format)
    found = q.events(db, filters, sort="-start", limit=500).items
    everything = q.events(db, limit=500).items
    chosen = {"body": body or "", "year": year or "", "host": host or "",
              "format": format or ""}
    api_params = {"body": body or "", "year_from": year or "", "year_to": year or "",
                  "host": host or "", "format": format or "", "sort": "-start", "limit": 500}
    return page(
        request, lang, "meetings.html", _api("/api/v1/events", api_params),
        events=found, chosen=chosen, bodies=q.bodies(db),
        years=sorted({int(e.start[:4]) for e in everything}, reverse=True),
        hosts=sorted({e.host.id for e in everything if e.host}), formats=list(EventFormat),
        hostnames={e.host.id: e.host for e in everything if e.host},
    )


@router.get("/{lang}/meetings/{event_id}", response_class=HTMLResponse)
def meeting(request: Request, lang: Lang, db: Db, event_id: str) -> HTMLResponse:
    found = q.event(db, event_id)
    return page(request, lang, "meeting.html", f"/api/v1/events/{event_id}", event=found,
                body=q.body(db, found.body))


@router.get("/{lang}/parties", response_class=HTMLResponse)
def parties(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    return page(request, lang, "parties.html", "/api/v1/parties", parties=q.parties(db),
                figure=figures.embed(db, lang, "ranks", {}))


@router.get("/{lang}/parties/{party_id}", response_class=HTMLResponse)
def party(request: Request, lang: Lang, db: Db, party_id: str) -> HTMLResponse:
    found = q.party(db, party_id)
    attended = q.events(db, q.EventFilter(party=party_id, dialogue=None), limit=500).items
    cells = {c.event: c for c in q.rank_cells(db, party=party_id)}
    return page(request, lang, "party.html", f"/api/v1/parties/{party_id}", party=found,
                events=attended, cells=cells,
                figure=figures.embed(db, lang, "ranks", {"party": party_id}) if cells else None)


@router.get("/{lang}/people", response_class=HTMLResponse)
def people(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    return page(request, lang, "people.html", "/api/v1/people", people=q.people(db))


@router.get("/{lang}/people/{person_id}", response_class=HTMLResponse)
def person(request: Request, lang: Lang, db: Db, person_id: str) -> HTMLResponse:
    return page(request, lang, "person.html", f"/api/v1/people/{person_id}",
                person=q.person(db, person_id))


@router.get("/{lang}/documents", response_class=HTMLResponse)
def documents(request: Request, lang: Lang, db: Db,
              q_: Annotated[str, Query(alias="q", max_length=200)] = "") -> HTMLResponse:
    if q_.strip():
        ranked = search_documents(db, q_)
        order = {doc_id: i for i, doc_id in enumerate(ranked)}
        found = sorted(q.documents(db, ranked), key=lambda d: order[d.id])
    else:
        found = q.documents(db)
    return page(request, lang, "documents.html", _api("/api/v1/documents", {"q": q_}),
                documents=found, query=q_)


@router.get("/{lang}/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, lang: Lang, db: Db, document_id: str) -> HTMLResponse:
    return page(request, lang, "document.html", f"/api/v1/documents/{document_id}",
                document=q.document(db, document_id), events=_events_by_id(db))


@router.get("/{lang}/commitments", response_class=HTMLResponse)
def commitments(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    return page(request, lang, "commitments.html", "/api/v1/commitments",
                commitments=q.commitments(db), events=_events_by_id(db),
                figure=figures.embed(db, lang, "commitments", {}))


@router.get("/{lang}/commitments/{commitment_id}", response_class=HTMLResponse)
def commitment(request: Request, lang: Lang, db: Db, commitment_id: str) -> HTMLResponse:
    return page(request, lang, "commitment.html", f"/api/v1/commitments/{commitment_id}",
                commitment=q.commitment(db, commitment_id), events=_events_by_id(db))


@router.get("/{lang}/sources", response_class=HTMLResponse)
def sources(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    return page(request, lang, "sources.html", "/api/v1/sources", sources=q.sources(db),
                conflicts=q.all_conflicts(db))


@router.get("/{lang}/sources/{source_id}", response_class=HTMLResponse)
def source(request: Request, lang: Lang, db: Db, source_id: str) -> HTMLResponse:
    return page(request, lang, "source.html", f"/api/v1/sources/{source_id}",
                source=q.source(db, source_id))


@router.get("/{lang}/figures/{filename}")
def figure(lang: Lang, db: Db, filename: str, body: str | None = None,
           party: str | None = None) -> Response:
    name, _, ext = filename.partition(".")  # timeline.svg, timeline.csv, timeline.vl.json
    params = {"body": body or "", "party": party or ""}
    return figures.respond(db, lang, name, ext, params)


def _events_by_id(db: Session) -> dict[str, EventSummary]:
    """Every meeting by id, to name the meeting a document or pledge came from."""
    return {e.id: e for e in q.events(db, q.EventFilter(dialogue=None), limit=500).items}


def _member_parties(db: Session) -> list[PartyBrief]:
    return [p.party for p in q.participations(db)]


def _api(path: str, params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    kept = {k: v for k, v in params.items() if v not in ("", None)}
    return f"{path}?{urlencode(kept)}" if kept else path

