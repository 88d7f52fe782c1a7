"""Queries behind every page and API endpoint: one function per view, filters in SQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from cajd.fuzzydate import FuzzyDate
from cajd.model import (
    Area,
    AreaTag,
    Body,
    Citation,
    Commitment,
    Delegation,
    Dialogue,
    Document,
    Event,
    ImplementationRecord,
    Participation,
    Party,
    Person,
    Position,
    Source,
    StatedCount,
)
from cajd.read import views as v
from cajd.read.provenance import cites, conflicts
from cajd.vocab import BodyKind, Rank

T = TypeVar("T")


def fuzzy(date: dt.date | None, precision: str | None) -> str | None:
    value = FuzzyDate.from_columns(date, precision)
    return str(value) if value else None


def names(row: Party | Person | Event | Body | Area | Dialogue) -> v.Localized:
    return v.Localized(en=row.name_en, ja=row.name_ja, ru=row.name_ru)


def party_brief(row: Party) -> v.PartyBrief:
    return v.PartyBrief(id=row.id, name=names(row))


def person_brief(row: Person | None) -> v.PersonBrief | None:
    return v.PersonBrief(id=row.id, name=names(row)) if row else None


class NotFound(LookupError):
    """No record of that kind has that id."""

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"no {kind} with id {record_id!r}")


# --- parties -----------------------------------------------------------------------------------


def _participations(session: Session, where: sa.ColumnElement[bool]) -> list[v.ParticipationView]:
    rows = session.execute(
        sa.select(Participation, Party, Dialogue)
        .join(Party, Party.id == Participation.party_id)
        .join(Dialogue, Dialogue.id == Participation.dialogue_id)
        .where(where)
        .order_by(Participation.dialogue_id != "caj", Participation.dialogue_id, Party.id,
                  Participation.start_date)
    ).all()
    ids = [p.id for p, _, _ in rows]
    sources, disputes = cites(session, "participation", ids), conflicts(
        session, "participation", ids
    )
    return [
        v.ParticipationView(
            dialogue=p.dialogue_id, dialogue_name=names(dialogue), party=party_brief(party),
            role=p.role,
            start=fuzzy(p.start_date, p.start_precision), end=fuzzy(p.end_date, p.end_precision),
            note=p.note, sources=sources.get(p.id, []), conflicts=disputes.get(p.id, []),
        )
        for p, party, dialogue in rows
    ]


def participations(session: Session, dialogue: str = "caj") -> list[v.ParticipationView]:
    return _participations(session, Participation.dialogue_id == dialogue)


def parties(session: Session) -> list[v.PartyView]:
    rows = session.scalars(sa.select(Party).order_by(Party.id)).all()
    by_party: dict[str, list[v.ParticipationView]] = defaultdict(list)
    for part in _participations(session, sa.true()):
        by_party[part.party.id].append(part)
    sources = cites(session, "party", [p.id for p in rows])
    return [
        v.PartyView(id=p.id, kind=p.kind, name=names(p), participations=by_party.get(p.id, []),
                    sources=sources.get(p.id, []))
        for p in rows
    ]


def party(session: Session, party_id: str) -> v.PartyView:
    row = session.get(Party, party_id)
    if row is None:
        raise NotFound("party", party_id)
    return v.PartyView(
        id=row.id, kind=row.kind, name=names(row),
        participations=_participations(session, Participation.party_id == party_id),
        sources=cites(session, "party", [row.id]).get(row.id, []),
    )


# --- bodies ------------------------------------------------------------------------------------


def bodies(session: Session, dialogue: str | None = "caj") -> list[v.BodyView]:
    query = sa.select(Body).order_by(Body.dialogue_id, Body.id)
    if dialogue:
        query = query.where(Body.dialogue_id == dialogue)
    rows = session.scalars(query).all()
    ids = [b.id for b in rows]
    counts = dict(
        session.execute(
            sa.select(Event.body_id, sa.func.count()).where(Event.body_id.in_(ids))
            .group_by(Event.body_id)
        ).all()
    )
    stated = session.scalars(
        sa.select(StatedCount).where(StatedCount.body_id.in_(ids))
        .order_by(StatedCount.as_of_date)
    ).all()
    stated_sources = cites(session, "stated_count", [s.id for s in stated])
    by_body: dict[str, list[v.StatedCountView]] = defaultdict(list)
    for s in stated:
        by_body[s.body_id].append(
            v.StatedCountView(count=s.count, as_of=fuzzy(s.as_of_date, s.as_of_precision) or "",
                              note=s.note, sources=stated_sources.get(s.id, []))
        )
    sources = cites(session, "body", ids)
    kinds = list(BodyKind)
    rows = sorted(rows, key=lambda b: (b.dialogue_id, kinds.index(BodyKind(b.kind)), b.id))
    return [
        v.BodyView(
            id=b.id, dialogue=b.dialogue_id, code=b.code, name=names(b), kind=b.kind,
            status=b.status, reports_to=b.reports_to_id,
            proposed=fuzzy(b.proposed_date, b.proposed_precision),
            established=fuzzy(b.established_date, b.established_precision),
            description=b.description, events=counts.get(b.id, 0),
            stated_counts=by_body.get(b.id, []), sources=sources.get(b.id, []),
        )
        for b in rows
    ]


def body(session: Session, body_id: str) -> v.BodyView:
    for found in bodies(session, dialogue=None):
        if found.id == body_id:
            return found
    raise NotFound("body", body_id)


# --- events ------------------------------------------------------------------------------------


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

    def where(self) -> list[sa.ColumnElement[bool]]:
        clauses: list[sa.ColumnElement[bool]] = []
        if self.body:
            clauses.append(Event.body_id == self.body)
        if self.dialogue:
            clauses.append(Body.dialogue_id == self.dialogue)
        if self.year_from is not None:
            clauses.append(Event.start_date >= dt.date(self.year_from, 1, 1))
        if self.year_to is not None:
            clauses.append(Event.start_date <= dt.date(self.year_to, 12, 31))
        if self.country:
            clauses.append(Event.country == self.country)
        if self.host:
            clauses.append(Event.host_id == self.host)
        if self.format:
            clauses.append(Event.format == self.format)
        if self.status:
            clauses.append(Event.status == self.status)
        if self.party or self.rank:
            attended = sa.select(Delegation.id).where(Delegation.event_id == Event.id)
            if self.party:
                attended = attended.where(Delegation.party_id == self.party)
            if self.rank:
                attended = attended.where(Delegation.rank == self.rank)
            clauses.append(attended.exists())
        return clauses


SORTS = {
    "start": (Event.start_date, Event.id),
    "-start": (Event.start_date.desc(), Event.id.desc()),
    "body": (Event.body_id, Event.start_date, Event.id),
    "number": (Event.body_id, Event.number, Event.start_date, Event.id),
}


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def _summaries(session: Session, query: sa.Select[Event, Body, Party]
               ) -> list[v.EventSummary]:
    rows = session.execute(query).all()
    ids = [e.id for e, _, _ in rows]
    counts = dict(
        session.execute(
            sa.select(Delegation.event_id, sa.func.count()).where(Delegation.event_id.in_(ids))
            .group_by(Delegation.event_id)
        ).all()
    ) if ids else {}
    return [
        v.EventSummary(
            id=e.id, body=e.body_id, body_code=b.code, number=e.number,
            extraordinary=e.extraordinary, name=names(e),
            start=fuzzy(e.start_date, e.start_precision) or "",
            end=fuzzy(e.end_date, e.end_precision), city=e.city, country=e.country,
            venue=e.venue, host=party_brief(h) if h else None, format=e.format,
            status=e.status, delegations=counts.get(e.id, 0),
        )
        for e, b, h in rows
    ]


def _event_select() -> sa.Select[Event, Body, Party]:
    host = aliased(Party)
    return (
        sa.select(Event, Body, host)
        .join(Body, Body.id == Event.body_id)
        .outerjoin(host, host.id == Event.host_id)
    )


def events(session: Session, filters: EventFilter = EventFilter(), sort: str = "start",
           limit: int = 50, offset: int = 0) -> Page[v.EventSummary]:
    where = filters.where()
    total = session.execute(
        sa.select(sa.func.count()).select_from(Event).join(Body, Body.id == Event.body_id)
        .where(*where)
    ).scalar_one()
    query = _event_select().where(*where).order_by(*SORTS[sort]).limit(limit).offset(offset)
    return Page(_summaries(session, query), total, limit, offset)


def event(session: Session, event_id: str) -> v.EventView:
    found = _summaries(session, _event_select().where(Event.id == event_id))
    if not found:
        raise NotFound("event", event_id)
    summary = found[0]
    row = session.get(Event, event_id)
    assert row is not None
    delegations = session.execute(
        sa.select(Delegation, Party, Person)
        .join(Party, Party.id == Delegation.party_id)
        .outerjoin(Person, Person.id == Delegation.head_id)
        .where(Delegation.event_id == event_id)
        .order_by(Delegation.role, Party.id)
    ).all()
    delegation_sources = cites(session, "delegation", [d.id for d, _, _ in delegations])
    document_rows = session.scalars(
        sa.select(Document)
        .where(Document.event_id == event_id)
        .order_by(Document.date, Document.id)
    ).all()
    commitment_ids = session.scalars(
        sa.select(Commitment.id).where(Commitment.event_id == event_id).order_by(Commitment.id)
    ).all()
    return v.EventView(
        **summary.model_dump(exclude={"host"}), host=summary.host,
        description=row.description,
        chair=person_brief(session.get(Person, row.chair_id) if row.chair_id else None),
        delegation_list=[
            v.DelegationView(
                id=d.id, party=party_brief(p), role=d.role, head=person_brief(h),
                head_title=d.head_title, rank=d.rank,
                rank_level=Rank(d.rank).level if d.rank else None, note=d.note,
                sources=delegation_sources.get(d.id, []),
            )
            for d, p, h in delegations
        ],
        documents=[_document_summary(d) for d in document_rows],
        commitments=commitments(session, ids=commitment_ids) if commitment_ids else [],
        areas=areas_of(session, "event", [event_id]).get(event_id, []),
        sources=cites(session, "event", [event_id]).get(event_id, []),
        conflicts=conflicts(session, "event", [event_id]).get(event_id, []),
    )


def areas_of(session: Session, kind: str, ids: Collection[str]) -> dict[str, list[v.AreaBrief]]:
    found: dict[str, list[v.AreaBrief]] = defaultdict(list)
    query = (
        sa.select(AreaTag.subject_id, Area)
        .join(Area, Area.id == AreaTag.area_id)
        .where(AreaTag.subject_kind == kind, AreaTag.subject_id.in_(list(ids)))
        .order_by(AreaTag.subject_id, Area.id)
    )
    for subject, area in session.execute(query):
        found[subject].append(v.AreaBrief(id=area.id, name=names(area)))
    return found


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


def rank_cells(session: Session, body: str | None = None, party: str | None = None
               ) -> list[RankCell]:
    query = (
        sa.select(Delegation, Event, Person)
        .join(Event, Event.id == Delegation.event_id)
        .join(Body, Body.id == Event.body_id)
        .outerjoin(Person, Person.id == Delegation.head_id)
        .where(Body.dialogue_id == "caj")
        .order_by(Event.start_date, Delegation.party_id)
    )
    if body:
        query = query.where(Event.body_id == body)
    if party:
        query = query.where(Delegation.party_id == party)
    return [
        RankCell(event=e.id, event_start=fuzzy(e.start_date, e.start_precision) or "",
                 body=e.body_id, party=d.party_id, rank=d.rank,
                 rank_level=Rank(d.rank).level if d.rank else None,
                 head=h.name_en if h else None)
        for d, e, h in session.execute(query)
    ]


# --- people ------------------------------------------------------------------------------------


def people(session: Session) -> list[v.PersonView]:
    rows = session.scalars(sa.select(Person).order_by(Person.name_en)).all()
    return _people(session, rows)


def person(session: Session, person_id: str) -> v.PersonView:
    row = session.get(Person, person_id)
    if row is None:
        raise NotFound("person", person_id)
    return _people(session, [row])[0]


def _people(session: Session, rows: Sequence[Person]) -> list[v.PersonView]:
    ids = [p.id for p in rows]
    positions: dict[str, list[v.PositionView]] = defaultdict(list)
    for pos, party_row in session.execute(
        sa.select(Position, Party).outerjoin(Party, Party.id == Position.party_id)
        .where(Position.person_id.in_(ids)).order_by(Position.start_date, Position.id)
    ):
        positions[pos.person_id].append(
            v.PositionView(
                title=v.Localized(en=pos.title_en, ja=pos.title_ja, ru=pos.title_ru),
                party=party_brief(party_row) if party_row else None,
                start=fuzzy(pos.start_date, pos.start_precision),
                end=fuzzy(pos.end_date, pos.end_precision),
            )
        )
    headed: dict[str, list[v.Attendance]] = defaultdict(list)
    for d, e in session.execute(
        sa.select(Delegation, Event).join(Event, Event.id == Delegation.event_id)
        .where(Delegation.head_id.in_(ids)).order_by(Event.start_date)
    ):
        assert d.head_id is not None
        headed[d.head_id].append(
            v.Attendance(event=e.id, event_name=names(e),
                         start=fuzzy(e.start_date, e.start_precision) or "",
                         party=d.party_id, rank=d.rank, head_title=d.head_title)
        )
    sources = cites(session, "person", ids)
    return [
        v.PersonView(id=p.id, name=names(p), positions=positions.get(p.id, []),
                     headed=headed.get(p.id, []), sources=sources.get(p.id, []))
        for p in rows
    ]


# --- documents and commitments -----------------------------------------------------------------


def _document_summary(d: Document) -> v.DocumentSummary:
    return v.DocumentSummary(
        id=d.id, kind=d.kind, title=v.Localized(en=d.title_en, ja=d.title_ja, ru=d.title_ru),
        title_official=d.title_is_official, event=d.event_id,
        date=fuzzy(d.date, d.date_precision), url=d.url,
    )


def documents(session: Session, ids: Collection[str] | None = None) -> list[v.DocumentView]:
    query = sa.select(Document).order_by(Document.date, Document.id)
    if ids is not None:
        query = query.where(Document.id.in_(list(ids)))
    rows = session.scalars(query).all()
    keys = [d.id for d in rows]
    sources, disputes = cites(session, "document", keys), conflicts(session, "document", keys)
    tags = areas_of(session, "document", keys)
    return [
        v.DocumentView(
            **_document_summary(d).model_dump(), dialogue=d.dialogue_id,
            languages=[x for x in (d.languages or "").split(",") if x],
            description=d.description, text=d.text, licence=d.licence,
            areas=tags.get(d.id, []), sources=sources.get(d.id, []),
            conflicts=disputes.get(d.id, []),
        )
        for d in rows
    ]


def document(session: Session, document_id: str) -> v.DocumentView:
    found = documents(session, [document_id])
    if not found:
        raise NotFound("document", document_id)
    return found[0]


def commitments(session: Session, ids: Collection[str] | None = None) -> list[v.CommitmentView]:
    query = (
        sa.select(Commitment, Party).join(Party, Party.id == Commitment.party_id)
        .order_by(Commitment.due_date, Commitment.id)
    )
    if ids is not None:
        query = query.where(Commitment.id.in_(list(ids)))
    rows = session.execute(query).all()
    keys = [c.id for c, _ in rows]
    done: dict[str, list[v.ImplementationView]] = defaultdict(list)
    records = session.scalars(
        sa.select(ImplementationRecord).where(ImplementationRecord.commitment_id.in_(keys))
        .order_by(ImplementationRecord.date, ImplementationRecord.id)
    ).all()
    record_sources = cites(session, "implementation_record", [r.id for r in records])
    for rec in records:
        assert rec.commitment_id is not None
        done[rec.commitment_id].append(
            v.ImplementationView(
                id=rec.id, date=fuzzy(rec.date, rec.date_precision), description=rec.description,
                implementer=rec.implementer, amount=rec.amount, currency=rec.currency,
                quantity=rec.quantity, unit=rec.unit, sources=record_sources.get(rec.id, []),
            )
        )
    sources, disputes = cites(session, "commitment", keys), conflicts(session, "commitment", keys)
    tags = areas_of(session, "commitment", keys)
    return [
        v.CommitmentView(
            id=c.id, dialogue=c.dialogue_id, party=party_brief(p), kind=c.kind,
            description=c.description, event=c.event_id, document=c.document_id,
            amount=c.amount, currency=c.currency, amount_usd=c.amount_usd,
            target_quantity=c.target_quantity, target_unit=c.target_unit,
            due=fuzzy(c.due_date, c.due_precision), areas=tags.get(c.id, []),
            implementation=done.get(c.id, []), sources=sources.get(c.id, []),
            conflicts=disputes.get(c.id, []),
        )
        for c, p in rows
    ]


def commitment(session: Session, commitment_id: str) -> v.CommitmentView:
    found = commitments(session, [commitment_id])
    if not found:
        raise NotFound("commitment", commitment_id)
    return found[0]


# --- sources -----------------------------------------------------------------------------------


def _source_view(s: Source, supports: list[v.Supported],
                 disputes: list[v.ConflictView]) -> v.SourceView:
    return v.SourceView(
        id=s.id, kind=s.kind, title=s.title, author=s.author, publisher=s.publisher,
        published=s.published, url=s.url, accessed=s.accessed.isoformat() if s.accessed else None,
        file=s.file, official=s.official, note=s.note, supports=supports, conflicts=disputes,
    )


def sources(session: Session) -> list[v.SourceView]:
    rows = session.scalars(sa.select(Source).order_by(Source.official.desc(), Source.id)).all()
    return [_source_view(s, [], []) for s in rows]


def source(session: Session, source_id: str) -> v.SourceView:
    row = session.get(Source, source_id)
    if row is None:
        raise NotFound("source", source_id)
    cited = session.execute(
        sa.select(Citation.subject_kind, Citation.subject_id, Citation.locator)
        .where(Citation.source_id == source_id)
        .order_by(Citation.subject_kind, Citation.subject_id)
    ).all()
    supports = [v.Supported(kind=k, id=i, at=at) for k, i, at in cited]
    claim_ids = {i for k, i, _ in cited if k == "conflict_claim"}
    disputes = [
        c for found in conflicts(session, None).values() for c in found
        if any(claim_id.startswith(c.id + "#") for claim_id in claim_ids)
    ]
    return _source_view(row, supports, disputes)


def all_conflicts(session: Session) -> list[v.ConflictView]:
    return [c for found in conflicts(session, None).values() for c in found]
