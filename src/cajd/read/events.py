"""Meetings: the filtered, paginated list, one meeting with everything it shows, and the rank cells
of the heatmap. One statement per collection; provenance of all kinds batched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import languages, meetings, outcomes
from cajd.read import views as v
from cajd.read.adoption import PUBLIC
from cajd.read.provenance import cites, conflicts
from cajd.read.sql import (
    BODY,
    DELEGATION,
    DOCUMENT,
    EVENT,
    PARTY,
    PERSON,
    NotFound,
    Page,
    asc,
    desc,
    fuzzy,
    ids_param,
    localized,
    page,
    rows,
    scalar,
)
from cajd.vocab import Rank

HOST, CHAIR, HEAD = PARTY.alias("host"), PERSON.alias("chair"), PERSON.alias("head")
_DELEGATIONS = (
    sa.select(sa.func.count()).where(DELEGATION.c.event_id == EVENT.c.id,
                                     meetings.PUBLIC_DELEGATION,
                                     DELEGATION.c.deleted_at.is_(None))
    .scalar_subquery().label("delegations")
)
_SUMMARY = (
    EVENT.c.id, EVENT.c.body_id, BODY.c.code, EVENT.c.number, EVENT.c.extraordinary,
    EVENT.c.name_en, EVENT.c.name_ja, EVENT.c.name_ru, EVENT.c.start_date,
    EVENT.c.start_precision, EVENT.c.end_date, EVENT.c.end_precision, EVENT.c.city,
    EVENT.c.country, EVENT.c.venue, EVENT.c.host_id, HOST.c.name_en.label("host_en"),
    HOST.c.name_ja.label("host_ja"), HOST.c.name_ru.label("host_ru"), EVENT.c.format,
    EVENT.c.status, _DELEGATIONS, *languages.PLACE_COLUMNS,
)
_FROM = languages.with_places(EVENT.join(BODY, BODY.c.id == EVENT.c.body_id).outerjoin(
    HOST, HOST.c.id == EVENT.c.host_id))

_ONE = (
    sa.select(*_SUMMARY, EVENT.c.description, EVENT.c.cancellation_reason, EVENT.c.chair_id,
              languages.translated("event", EVENT.c.id, "description", "ja"),
              languages.translated("event", EVENT.c.id, "description", "ru"),
              CHAIR.c.name_en.label("chair_en"), CHAIR.c.name_ja.label("chair_ja"),
              CHAIR.c.name_ru.label("chair_ru"))
    .select_from(_FROM.outerjoin(CHAIR, CHAIR.c.id == EVENT.c.chair_id))
    .where(EVENT.c.id == sa.bindparam("id"), EVENT.c.deleted_at.is_(None))
)
_DELEGATION_LIST = (
    sa.select(DELEGATION.c.id, DELEGATION.c.party_id, PARTY.c.name_en, PARTY.c.name_ja,
              PARTY.c.name_ru, DELEGATION.c.role, DELEGATION.c.head_id,
              HEAD.c.name_en.label("head_en"), HEAD.c.name_ja.label("head_ja"),
              HEAD.c.name_ru.label("head_ru"), DELEGATION.c.head_title, DELEGATION.c.rank,
              DELEGATION.c.note, DELEGATION.c.head_name, DELEGATION.c.registration,
              languages.title_form("ja"), languages.title_form("ru"))
    .join(PARTY, PARTY.c.id == DELEGATION.c.party_id)
    .outerjoin(HEAD, HEAD.c.id == DELEGATION.c.head_id)
    .where(DELEGATION.c.event_id == sa.bindparam("id"), meetings.PUBLIC_DELEGATION,
           DELEGATION.c.deleted_at.is_(None))
    .order_by(asc(DELEGATION.c.role), asc(PARTY.c.id))
)
_DOCUMENTS = (
    sa.select(*outcomes.DOCUMENT_SUMMARY).where(DOCUMENT.c.event_id == sa.bindparam("id"), PUBLIC)
    .order_by(asc(DOCUMENT.c.date), asc(DOCUMENT.c.id))
)


@dataclass(frozen=True)
class EventFilter:
    """The event list's filters; every field narrows the list, None means any."""

    body: str | None = None
    dialogue: str | None = "caj"
    party: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    country: str | None = None
    host: str | None = None
    rank: Rank | None = None
    format: str | None = None
    status: str | None = None
    until: dt.date | None = None  # started on or before this day

    def where(self) -> list[sa.ColumnElement[bool]]:
        e = EVENT.c
        # A soft-deleted meeting is gone from every list until it is restored.
        clauses: list[sa.ColumnElement[bool]] = [e.deleted_at.is_(None)]
        if self.body:
            clauses.append(e.body_id == self.body)
        if self.dialogue:
            clauses.append(BODY.c.dialogue_id == self.dialogue)
        if self.year_from is not None:
            clauses.append(e.start_date >= dt.date(self.year_from, 1, 1))
        if self.year_to is not None:
            clauses.append(e.start_date <= dt.date(self.year_to, 12, 31))
        if self.until is not None:
            clauses.append(e.start_date <= self.until)
        for column, value in ((e.country, self.country), (e.host_id, self.host),
                              (e.format, self.format), (e.status, self.status)):
            if value:
                clauses.append(column == value)
        if self.party or self.rank:
            attended = sa.select(DELEGATION.c.id).where(DELEGATION.c.event_id == e.id,
                                                         DELEGATION.c.deleted_at.is_(None))
            if self.party:
                attended = attended.where(DELEGATION.c.party_id == self.party)
            if self.rank:
                attended = attended.where(DELEGATION.c.rank == self.rank)
            clauses.append(attended.exists())
        return clauses


SORTS = {
    "start": (asc(EVENT.c.start_date), asc(EVENT.c.id)),
    "-start": (desc(EVENT.c.start_date), desc(EVENT.c.id)),
    "body": (asc(EVENT.c.body_id), asc(EVENT.c.start_date), asc(EVENT.c.id)),
    "number": (asc(EVENT.c.body_id), asc(EVENT.c.number), asc(EVENT.c.start_date),
               asc(EVENT.c.id)),
}


def _summary(r: sa.Row[Any]) -> v.EventSummary:
    host = (v.PartyBrief(id=r.host_id, name=localized(r.host_en, r.host_ja, r.host_ru))
            if r.host_id else None)
    return v.EventSummary(
        id=r.id, body=r.body_id, body_code=r.code, number=r.number,
        extraordinary=r.extraordinary, name=localized(r.name_en, r.name_ja, r.name_ru),
        start=fuzzy(r.start_date, r.start_precision) or "",
        start_precision=r.start_precision or "day",
        end=fuzzy(r.end_date, r.end_precision),
        end_precision=(r.end_precision or "day") if r.end_date else None, city=r.city,
        country=r.country, venue=r.venue,
        host=host, format=r.format, status=r.status, delegations=r.delegations,
        **languages.place_names(r),
    )


def events(session: Session, filters: EventFilter = EventFilter(), sort: str = "start",
           limit: int | None = 50, offset: int = 0) -> Page[v.EventSummary]:
    query = sa.select(*_SUMMARY).select_from(_FROM).where(*filters.where())
    found, total = page(session, query.order_by(*SORTS[sort]), limit, offset, key=EVENT.c.id)
    return Page([_summary(r) for r in found], total, limit, offset)


def event_count(session: Session, filters: EventFilter = EventFilter()) -> int:
    query = sa.select(sa.func.count()).select_from(EVENT.join(BODY, BODY.c.id == EVENT.c.body_id))
    return int(scalar(session, query.where(*filters.where())))


def events_by_year(session: Session, filters: EventFilter = EventFilter()
                   ) -> list[tuple[int, int]]:
    """(year, meetings) of the meetings ``filters`` selects, counted in SQL."""
    year = sa.extract("year", EVENT.c.start_date)
    query = (sa.select(year.label("year"), sa.func.count().label("n"))
             .select_from(EVENT.join(BODY, BODY.c.id == EVENT.c.body_id))
             .where(*filters.where(), EVENT.c.start_date.is_not(None))
             .group_by(year).order_by(year))
    return [(int(r.year), int(r.n)) for r in rows(session, query)]


def event_facets(session: Session, filters: EventFilter = EventFilter()
                 ) -> tuple[list[int], list[v.PartyBrief]]:
    """The years (newest first) and the hosts of the meetings ``filters`` selects."""
    base = EVENT.join(BODY, BODY.c.id == EVENT.c.body_id)
    years = rows(session, sa.select(EVENT.c.start_date).select_from(base)
                 .where(*filters.where(), EVENT.c.start_date.is_not(None)).distinct())
    hosts = rows(session, sa.select(PARTY.c.id, PARTY.c.name_en, PARTY.c.name_ja,
                                    PARTY.c.name_ru)
                 .where(PARTY.c.id.in_(sa.select(EVENT.c.host_id).select_from(base)
                                       .where(*filters.where())))
                 .order_by(asc(PARTY.c.id)))
    return (sorted({r.start_date.year for r in years}, reverse=True),
            [v.PartyBrief(id=h.id, name=localized(h.name_en, h.name_ja, h.name_ru))
             for h in hosts])


def event_names(session: Session, ids: Collection[str]) -> dict[str, v.Localized]:
    """The names of the meetings ``ids`` (to name the meeting a document or pledge came from)."""
    if not ids:
        return {}
    found = rows(session, sa.select(EVENT.c.id, EVENT.c.name_en, EVENT.c.name_ja, EVENT.c.name_ru)
                 .where(EVENT.c.id.in_(ids_param("ids"))), ids=sorted(set(ids)))
    return {r.id: localized(r.name_en, r.name_ja, r.name_ru) for r in found}


def event(session: Session, event_id: str) -> v.EventView:
    found = rows(session, _ONE, id=event_id)
    if not found:
        raise NotFound("event", event_id)
    r = found[0]
    delegations = rows(session, _DELEGATION_LIST, id=event_id)
    members = meetings.members(session, [d.id for d in delegations])
    pledges = outcomes.commitment_rows(session, event_id=event_id)
    pledge_ids = [c.id for c in pledges]
    records = outcomes.implementation_rows(session, pledge_ids)
    sources = cites(session, {"event": [event_id], "delegation": [d.id for d in delegations],
                              "commitment": pledge_ids,
                              "implementation_record": [x.id for x in records]})
    disputes = conflicts(session, {"event": [event_id], "commitment": pledge_ids})
    items = meetings.agenda_rows(session, event_id)
    tags = outcomes.areas_of(session, {"event": [event_id], "commitment": pledge_ids,
                                       "agenda_item": [i.id for i in items]})
    chair = (v.PersonBrief(id=r.chair_id, name=localized(r.chair_en, r.chair_ja, r.chair_ru))
             if r.chair_id else None)
    return v.EventView(
        **dict(_summary(r)), description=r.description,
        description_text=languages.cajd_text(r.description, r.description_ja, r.description_ru),
        cancellation_reason=r.cancellation_reason, chair=chair,
        agenda=meetings.agenda_views(items, tags),
        delegation_list=[
            v.DelegationView(
                id=d.id, party=v.PartyBrief(id=d.party_id,
                                            name=localized(d.name_en, d.name_ja, d.name_ru)),
                role=d.role,
                head=(v.PersonBrief(id=d.head_id, name=localized(d.head_en, d.head_ja,
                                                                 d.head_ru))
                      if d.head_id else None),
                head_name=d.head_name, head_title=d.head_title,
                head_title_name=languages.head_title(d), rank=d.rank,
                rank_level=Rank(d.rank).level if d.rank else None, note=d.note,
                registration=d.registration, members=members.get(d.id, []),
                sources=sources.get(("delegation", d.id), []),
            )
            for d in delegations
        ],
        documents=[outcomes.document_summary(d) for d in rows(session, _DOCUMENTS, id=event_id)],
        commitments=outcomes.commitment_views(pledges, records, sources, disputes, tags),
        areas=tags.get(("event", event_id), []),
        sources=sources.get(("event", event_id), []),
        conflicts=disputes.get(("event", event_id), []),
    )


# --- delegations across meetings (the rank heatmap) --------------------------------------------


@dataclass(frozen=True)
class RankCell:
    event: str
    event_start: str
    body: str
    party: str
    rank: str | None
    rank_level: int | None
    head: str | None
    body_code: str = ""
    number: int | None = None


_LEVELS = {r.value: r.level for r in Rank}


def _rank_where(body: str | None, party: str | None) -> list[sa.ColumnElement[bool]]:
    clauses = [BODY.c.dialogue_id == "caj", meetings.PUBLIC_DELEGATION,
               EVENT.c.deleted_at.is_(None), DELEGATION.c.deleted_at.is_(None)]
    if body:
        clauses.append(EVENT.c.body_id == body)
    if party:
        clauses.append(DELEGATION.c.party_id == party)
    return clauses


_RANKED = DELEGATION.join(EVENT, EVENT.c.id == DELEGATION.c.event_id).join(
    BODY, BODY.c.id == EVENT.c.body_id)


def rank_meetings(session: Session, body: str | None = None, party: str | None = None) -> int:
    """How many meetings ``rank_cells`` has cells for (with no ``latest``)."""
    query = (sa.select(sa.func.count(sa.distinct(DELEGATION.c.event_id))).select_from(_RANKED)
             .where(*_rank_where(body, party)))
    return int(scalar(session, query) or 0)


def rank_cells(session: Session, body: str | None = None, party: str | None = None,
               latest: int | None = None, event_ids: Collection[str] | None = None
               ) -> list[RankCell]:
    """Every delegation's rank, by meeting; of the ``latest`` meetings only, or of the meetings
    ``event_ids``, if given."""
    where = _rank_where(body, party)
    if event_ids is not None:
        where.append(DELEGATION.c.event_id.in_(sorted(set(event_ids))))
    query = (
        sa.select(DELEGATION.c.event_id, EVENT.c.start_date, EVENT.c.start_precision,
                  EVENT.c.body_id, BODY.c.code, EVENT.c.number, DELEGATION.c.party_id,
                  DELEGATION.c.rank, HEAD.c.name_en.label("head"))
        .select_from(_RANKED.outerjoin(HEAD, HEAD.c.id == DELEGATION.c.head_id))
        .where(*where)
        .order_by(asc(EVENT.c.start_date), asc(DELEGATION.c.party_id), asc(EVENT.c.id))
    )
    if latest is not None:
        newest = (sa.select(EVENT.c.id).where(EVENT.c.id.in_(
            sa.select(DELEGATION.c.event_id).select_from(_RANKED).where(*where)))
            .order_by(desc(EVENT.c.start_date), desc(EVENT.c.id)).limit(latest))
        query = query.where(DELEGATION.c.event_id.in_(newest.scalar_subquery()))
    return [
        RankCell(event=r.event_id, event_start=fuzzy(r.start_date, r.start_precision) or "",
                 body=r.body_id, party=r.party_id, rank=r.rank,
                 rank_level=_LEVELS.get(r.rank) if r.rank else None, head=r.head,
                 body_code=r.code, number=r.number)
        for r in rows(session, query)
    ]
