"""The JSON API under /api/v1: the same views the pages show, in one envelope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cajd.read import filters as known_filters
from cajd.read import queries as q
from cajd.read import sources as read_sources
from cajd.read import views as v
from cajd.vocab import EventFormat, EventStatus, Rank
from cajd.web.envelope import ERROR_RESPONSES, Envelope, Meta
from cajd.web.pages import SourceQuery

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


async def session(request: Request) -> AsyncIterator[Session]:
    # An async dependency runs on the event loop: a sync one would cost each request two more
    # hand-offs to the thread pool. Creating a Session does no I/O; it connects on first query.
    with Session(request.app.state.reading_engine) as db:
        yield db


Db = Annotated[Session, Depends(session)]


def _json(envelope: Envelope[Any]) -> Response:
    # Serialized once, by pydantic's core, from views built from trusted rows: returning the
    # model would make FastAPI validate it again (in one more thread-pool hop), then serialize.
    return Response(envelope.model_dump_json(), media_type="application/json")


def _html(path: str) -> str:
    return f"/en/{path}"


def _filtered(path: str, params: dict[str, Any]) -> str:
    """The page showing the same rows: its filters carried over (issue 13)."""
    from urllib.parse import urlencode

    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return _html(path) + (f"?{urlencode(kept)}" if kept else "")


# Every list is paginated: at most MAX_LIMIT items a page, with the true total and a relative
# link to the next page (the client's own host and scheme stay whatever it used).
Limit = Annotated[int, Query(ge=1, le=q.MAX_LIMIT, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="items to skip")]
DEFAULT_LIMIT = 100


def _meta(request: Request, page: q.Page[Any], html: str | None = None) -> Meta:
    following = None
    if page.limit is not None and page.offset + page.limit < page.total:
        url = request.url.include_query_params(offset=page.offset + page.limit)
        following = f"{url.path}?{url.query}"
    return Meta(total=page.total, limit=page.limit, offset=page.offset, next=following, html=html)


@router.get("/parties", operation_id="listParties", tags=["registry"],
            summary="Parties and their participation over time",
            response_model=Envelope[list[v.PartyView]])
def list_parties(db: Db, request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                 ) -> Response:
    found = q.parties(db, limit, offset)
    return _json(Envelope(data=found.items, meta=_meta(request, found, _html("parties"))))


@router.get("/parties/{party_id}", operation_id="getParty", tags=["registry"], summary="One party",
            response_model=Envelope[v.PartyView])
def get_party(db: Db, party_id: str) -> Response:
    return _json(Envelope(data=q.party(db, party_id),
                          meta=Meta(html=_html(f"parties/{party_id}"))))


@router.get("/participations", operation_id="listParticipations", tags=["registry"],
            summary="Who takes part in a dialogue, and how",
            response_model=Envelope[list[v.ParticipationView]])
def list_participations(db: Db, request: Request, dialogue: str = "caj",
                        limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                        ) -> Response:
    found = q.participations(db, dialogue, limit, offset)
    return _json(Envelope(data=found.items, meta=_meta(request, found)))


@router.get("/bodies", operation_id="listBodies", tags=["registry"],
            summary="The Dialogue's bodies and their status",
            response_model=Envelope[list[v.BodyView]])
def list_bodies(db: Db, request: Request, dialogue: str = "caj", limit: Limit = DEFAULT_LIMIT,
                offset: Offset = 0) -> Response:
    found = q.bodies(db, dialogue, limit, offset)
    return _json(Envelope(data=found.items, meta=_meta(request, found, _html("structure"))))


@router.get("/bodies/{body_id}", operation_id="getBody", tags=["registry"], summary="One body",
            response_model=Envelope[v.BodyView])
def get_body(db: Db, body_id: str) -> Response:
    return _json(Envelope(data=q.body(db, body_id), meta=Meta(html=_html("structure"))))


EventSort = Literal["start", "-start", "body", "number"]


@router.get("/events", operation_id="listEvents", tags=["meetings"],
            summary="Meetings, filtered, sorted and paginated",
            response_model=Envelope[list[v.EventSummary]])
def list_events(
    db: Db,
    request: Request,
    body: Annotated[str | None, Query(description="a body id, e.g. caj-fmm")] = None,
    dialogue: Annotated[str, Query(description="a dialogue id")] = "caj",
    party: Annotated[
        str | None, Query(description="meetings this party sent a delegation to")
    ] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    country: Annotated[str | None, Query(description="ISO code of the country met in")] = None,
    host: Annotated[str | None, Query(description="the host party's id")] = None,
    rank: Annotated[Rank | None, Query(description="a delegation was headed at this rank")] = None,
    format: EventFormat | None = None,
    status: EventStatus | None = None,
    sort: EventSort = "start",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    filters = q.EventFilter(body=body, dialogue=dialogue, party=party, year_from=year_from,
                            year_to=year_to, country=country, host=host, rank=rank,
                            format=format, status=status)
    known_filters.check(db, body=body, party=party, host=host,
                        dialogue=None if dialogue == "caj" else dialogue)
    page = q.events(db, filters, sort, limit, offset)
    # the meetings page filters by one year: link it when the range is one year
    year = year_from if year_from is not None and year_from == year_to else None
    html = _filtered("meetings", {"body": body, "year": year, "host": host, "format": format})
    return _json(Envelope(data=page.items, meta=_meta(request, page, html)))


@router.get("/events/{event_id}", operation_id="getEvent", tags=["meetings"],
            summary="One meeting with its delegations, documents, commitments and sources",
            response_model=Envelope[v.EventView])
def get_event(db: Db, event_id: str) -> Response:
    return _json(Envelope(data=q.event(db, event_id),
                          meta=Meta(html=_html(f"meetings/{event_id}"))))


@router.get("/people", operation_id="listPeople", tags=["meetings"],
            summary="Heads of delegation and chairs, with positions",
            response_model=Envelope[list[v.PersonView]])
def list_people(db: Db, request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                ) -> Response:
    found = q.people(db, limit, offset)
    return _json(Envelope(data=found.items, meta=_meta(request, found, _html("people"))))


@router.get("/people/{person_id}", operation_id="getPerson", tags=["meetings"],
            summary="One person",
            response_model=Envelope[v.PersonView])
def get_person(db: Db, person_id: str) -> Response:
    return _json(Envelope(data=q.person(db, person_id),
                          meta=Meta(html=_html(f"people/{person_id}"))))


@router.get("/documents", operation_id="listDocuments", tags=["outcomes"],
            summary="Outcome documents; `q` searches their titles and stored text",
            response_model=Envelope[list[v.DocumentView]])
def list_documents(
    db: Db, request: Request,
    q_: Annotated[str | None, Query(alias="q", max_length=200)] = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Response:
    found = q.find_documents(db, q_ or "", limit, offset)  # best match first, as ranked
    return _json(Envelope(data=found.items, meta=_meta(
        request, found, _filtered("documents", {"q": q_}))))


@router.get("/documents/{document_id}", operation_id="getDocument", tags=["outcomes"],
            summary="One document",
            response_model=Envelope[v.DocumentView])
def get_document(db: Db, document_id: str) -> Response:
    return _json(Envelope(data=q.document(db, document_id),
                    meta=Meta(html=_html(f"documents/{document_id}"))))


@router.get("/commitments", operation_id="listCommitments", tags=["outcomes"],
            summary="Pledges and what became of them",
            response_model=Envelope[list[v.CommitmentView]])
def list_commitments(db: Db, request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                     ) -> Response:
    found = q.commitments(db, limit=limit, offset=offset)
    return _json(Envelope(data=found.items,
                          meta=_meta(request, found, _html("commitments"))))


@router.get("/commitments/{commitment_id}", operation_id="getCommitment", tags=["outcomes"],
            summary="One commitment",
            response_model=Envelope[v.CommitmentView])
def get_commitment(db: Db, commitment_id: str) -> Response:
    return _json(Envelope(data=q.commitment(db, commitment_id),
                    meta=Meta(html=_html(f"commitments/{commitment_id}"))))


@router.get("/sources", operation_id="listSources", tags=["provenance"],
            summary="Every source the record cites",
            response_model=Envelope[list[read_sources.SourceRow]])
def list_sources(db: Db, request: Request, filters: SourceQuery, limit: Limit = DEFAULT_LIMIT,
                 offset: Offset = 0) -> Response:
    found = read_sources.sources(db, filters, limit, offset)
    html = _filtered("sources", {"official": None if filters.official is None else
                                 str(filters.official).lower(), "publisher": filters.publisher,
                                 "language": filters.language,
                                 "sort": None if filters.sort == "official" else filters.sort})
    return _json(Envelope(data=found.items, meta=_meta(request, found, html)))


@router.get("/sources/{source_id}", operation_id="getSource", tags=["provenance"],
            summary="One source, the facts it supports and the conflicts it takes part in",
            response_model=Envelope[v.SourceView])
def get_source(db: Db, source_id: str) -> Response:
    return _json(Envelope(data=q.source(db, source_id),
                          meta=Meta(html=_html(f"sources/{source_id}"))))


@router.get("/conflicts", operation_id="listConflicts", tags=["provenance"],
            summary="Where sources disagree",
            response_model=Envelope[list[v.ConflictView]])
def list_conflicts(db: Db, request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                   ) -> Response:
    found = q.all_conflicts(db, limit, offset)
    return _json(Envelope(data=found.items, meta=_meta(request, found, _html("sources"))))
