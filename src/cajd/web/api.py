"""The JSON API under /api/v1: the same views the pages show, in one envelope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from cajd.read import queries as q
from cajd.read import views as v
from cajd.read.search import search_documents
from cajd.vocab import EventFormat, EventStatus, Rank
from cajd.web.envelope import ERROR_RESPONSES, Envelope, Meta

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


async def session(request: Request) -> AsyncIterator[Session]:
    # An async dependency runs on the event loop: a sync one would cost each request two more
    # hand-offs to the thread pool. Creating a Session does no I/O; it connects on first query.
    with Session(request.app.state.engine) as db:
        yield db


Db = Annotated[Session, Depends(session)]


def _html(path: str) -> str:
    return f"/en/{path}"


@router.get("/parties", tags=["registry"], summary="Parties and their participation over time")
def list_parties(db: Db) -> Envelope[list[v.PartyView]]:
    found = q.parties(db)
    return Envelope(data=found, meta=Meta(total=len(found), html=_html("parties")))


@router.get("/parties/{party_id}", tags=["registry"], summary="One party")
def get_party(db: Db, party_id: str) -> Envelope[v.PartyView]:
    return Envelope(data=q.party(db, party_id), meta=Meta(html=_html(f"parties/{party_id}")))


@router.get("/participations", tags=["registry"], summary="Who takes part in a dialogue, and how")
def list_participations(db: Db, dialogue: str = "caj") -> Envelope[list[v.ParticipationView]]:
    found = q.participations(db, dialogue)
    return Envelope(data=found, meta=Meta(total=len(found)))


@router.get("/bodies", tags=["registry"], summary="The Dialogue's bodies and their status")
def list_bodies(db: Db, dialogue: str = "caj") -> Envelope[list[v.BodyView]]:
    found = q.bodies(db, dialogue)
    return Envelope(data=found, meta=Meta(total=len(found), html=_html("structure")))


@router.get("/bodies/{body_id}", tags=["registry"], summary="One body")
def get_body(db: Db, body_id: str) -> Envelope[v.BodyView]:
    return Envelope(data=q.body(db, body_id), meta=Meta(html=_html("structure")))


EventSort = Literal["start", "-start", "body", "number"]


@router.get("/events", tags=["meetings"], summary="Meetings, filtered, sorted and paginated")
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
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Envelope[list[v.EventSummary]]:
    filters = q.EventFilter(body=body, dialogue=dialogue, party=party, year_from=year_from,
                            year_to=year_to, country=country, host=host, rank=rank,
                            format=format, status=status)
    page = q.events(db, filters, sort, limit, offset)
    following = None
    if offset + limit < page.total:
        following = str(request.url.include_query_params(offset=offset + limit)).removeprefix(
            f"{request.url.scheme}://{request.url.netloc}")  # relative: the Host is not ours
    return Envelope(data=page.items, meta=Meta(total=page.total, limit=limit, offset=offset,
                                                next=following, html=_html("meetings")))


@router.get("/events/{event_id}", tags=["meetings"],
            summary="One meeting with its delegations, documents, commitments and sources")
def get_event(db: Db, event_id: str) -> Envelope[v.EventView]:
    return Envelope(data=q.event(db, event_id), meta=Meta(html=_html(f"meetings/{event_id}")))


@router.get("/people", tags=["meetings"], summary="Heads of delegation and chairs, with positions")
def list_people(db: Db) -> Envelope[list[v.PersonView]]:
    found = q.people(db)
    return Envelope(data=found, meta=Meta(total=len(found), html=_html("people")))


@router.get("/people/{person_id}", tags=["meetings"], summary="One person")
def get_person(db: Db, person_id: str) -> Envelope[v.PersonView]:
    return Envelope(data=q.person(db, person_id), meta=Meta(html=_html(f"people/{person_id}")))


@router.get("/documents", tags=["outcomes"],
            summary="Outcome documents; `q` searches their titles and stored text")
def list_documents(
    db: Db, q_: Annotated[str | None, Query(alias="q", max_length=200)] = None
) -> Envelope[list[v.DocumentView]]:
    ranked = search_documents(db, q_) if q_ else None
    found = q.documents(db, ranked)
    if ranked is not None:  # best match first, as the search ranked them
        order = {doc_id: i for i, doc_id in enumerate(ranked)}
        found.sort(key=lambda d: order[d.id])
    return Envelope(data=found, meta=Meta(total=len(found), html=_html("documents")))


@router.get("/documents/{document_id}", tags=["outcomes"], summary="One document")
def get_document(db: Db, document_id: str) -> Envelope[v.DocumentView]:
    return Envelope(data=q.document(db, document_id),
                    meta=Meta(html=_html(f"documents/{document_id}")))


@router.get("/commitments", tags=["outcomes"], summary="Pledges and what became of them")
def list_commitments(db: Db) -> Envelope[list[v.CommitmentView]]:
    found = q.commitments(db)
    return Envelope(data=found, meta=Meta(total=len(found), html=_html("commitments")))


@router.get("/commitments/{commitment_id}", tags=["outcomes"], summary="One commitment")
def get_commitment(db: Db, commitment_id: str) -> Envelope[v.CommitmentView]:
    return Envelope(data=q.commitment(db, commitment_id),
                    meta=Meta(html=_html(f"commitments/{commitment_id}")))


@router.get("/sources", tags=["provenance"], summary="Every source the record cites")
def list_sources(db: Db) -> Envelope[list[v.SourceView]]:
    found = q.sources(db)
    return Envelope(data=found, meta=Meta(total=len(found), html=_html("sources")))


@router.get("/sources/{source_id}", tags=["provenance"],
            summary="One source, the facts it supports and the conflicts it takes part in")
def get_source(db: Db, source_id: str) -> Envelope[v.SourceView]:
    return Envelope(data=q.source(db, source_id), meta=Meta(html=_html(f"sources/{source_id}")))


@router.get("/conflicts", tags=["provenance"], summary="Where sources disagree")
def list_conflicts(db: Db) -> Envelope[list[v.ConflictView]]:
    found = q.all_conflicts(db)
    return Envelope(data=found, meta=Meta(total=len(found), html=_html("sources")))
