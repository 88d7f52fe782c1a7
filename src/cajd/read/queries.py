"""The read layer's one entry point: a function per view, for the API, the pages and the figures.

Every list takes ``limit``/``offset`` and returns a ``Page`` with the true total; each view runs a
few set-based Core statements (one per collection, provenance of all kinds batched), whatever the
size of the record. Meetings live in ``cajd.read.events``, documents and commitments in
``cajd.read.outcomes``; the registry, people and sources here.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import languages
from cajd.read import views as v
from cajd.read.adoption import PUBLIC
from cajd.read.events import (
    SORTS,
    EventFilter,
    RankCell,
    event,
    event_count,
    event_facets,
    event_names,
    events,
    events_by_year,
    rank_cells,
    rank_meetings,
)
from cajd.read.outcomes import commitment, commitments, document, documents
from cajd.read.provenance import Key, cites, conflicts, conflicts_where
from cajd.read.search import search_documents
from cajd.read.sql import (
    BODY,
    CITATION,
    CLAIM,
    COMMITMENT,
    CONFLICT,
    DELEGATION,
    DIALOGUE,
    DOCUMENT,
    EVENT,
    MAX_LIMIT,
    PARTICIPATION,
    PARTY,
    PERSON,
    POSITION,
    SOURCE,
    STATED,
    NotFound,
    Page,
    asc,
    desc,
    fuzzy,
    ids_param,
    localized,
    page,
    rows,
)
from cajd.vocab import BodyKind

__all__ = [
    "MAX_LIMIT", "SORTS", "EventFilter", "NotFound", "Page", "RankCell", "all_conflicts",
    "bodies", "body", "body_outline", "body_outlines", "commitment", "commitments", "document",
    "documents", "event", "event_count", "event_facets", "event_names", "events", "events_by_year",
    "find_documents",
    "participations", "parties", "party", "people", "person", "rank_cells", "rank_meetings",
    "source", "sources", "totals",
]


def _name(r: Any) -> v.Localized:
    return localized(r.name_en, r.name_ja, r.name_ru)


# --- parties -----------------------------------------------------------------------------------

_PARTICIPATIONS = (
    sa.select(PARTICIPATION, PARTY.c.name_en, PARTY.c.name_ja, PARTY.c.name_ru,
              DIALOGUE.c.name_en.label("dialogue_en"), DIALOGUE.c.name_ja.label("dialogue_ja"),
              DIALOGUE.c.name_ru.label("dialogue_ru"))
    .join(PARTY, PARTY.c.id == PARTICIPATION.c.party_id)
    .join(DIALOGUE, DIALOGUE.c.id == PARTICIPATION.c.dialogue_id)
    .order_by(PARTICIPATION.c.dialogue_id != "caj", asc(PARTICIPATION.c.dialogue_id),
              asc(PARTY.c.id), asc(PARTICIPATION.c.start_date), asc(PARTICIPATION.c.id))
)
_PARTIES = sa.select(PARTY).order_by(asc(PARTY.c.id))


def _participation_views(found: Any, sources: dict[Key, list[v.Cite]],
                         disputes: dict[Key, list[v.ConflictView]]) -> list[v.ParticipationView]:
    return [
        v.ParticipationView(
            dialogue=p.dialogue_id,
            dialogue_name=localized(p.dialogue_en, p.dialogue_ja, p.dialogue_ru),
            party=v.PartyBrief(id=p.party_id, name=_name(p)), role=p.role,
            start=fuzzy(p.start_date, p.start_precision), end=fuzzy(p.end_date, p.end_precision),
            note=p.note, sources=sources.get(("participation", p.id), []),
            conflicts=disputes.get(("participation", p.id), []),
        )
        for p in found
    ]


def participations(session: Session, dialogue: str = "caj", limit: int | None = None,
                   offset: int = 0) -> Page[v.ParticipationView]:
    query = _PARTICIPATIONS.where(PARTICIPATION.c.dialogue_id == dialogue)
    found, total = page(session, query, limit, offset)
    ids = [p.id for p in found]
    views = _participation_views(found, cites(session, {"participation": ids}),
                                 conflicts(session, {"participation": ids}))
    return Page(views, total, limit, offset)


def parties(session: Session, limit: int | None = None, offset: int = 0) -> Page[v.PartyView]:
    found, total = page(session, _PARTIES, limit, offset)
    return Page(_parties(session, found), total, limit, offset)


def party_names(session: Session) -> dict[str, v.Localized]:
    """Every party's name, by id: what a figure or a table needs, without a party's whole view."""
    return {r.id: localized(r.name_en, r.name_ja, r.name_ru) for r in rows(session, _PARTY_NAMES)}


_PARTY_NAMES = sa.select(PARTY.c.id, PARTY.c.name_en, PARTY.c.name_ja, PARTY.c.name_ru)


def party(session: Session, party_id: str) -> v.PartyView:
    found = rows(session, _PARTIES.where(PARTY.c.id == party_id))
    if not found:
        raise NotFound("party", party_id)
    return _parties(session, found)[0]


def _parties(session: Session, found: Any) -> list[v.PartyView]:
    ids = [p.id for p in found]
    parts = rows(session, _PARTICIPATIONS.where(PARTICIPATION.c.party_id.in_(ids_param("ids"))),
                 ids=ids)
    part_ids = [p.id for p in parts]
    sources = cites(session, {"party": ids, "participation": part_ids})
    by_party: dict[str, list[v.ParticipationView]] = defaultdict(list)
    for part in _participation_views(parts, sources,
                                     conflicts(session, {"participation": part_ids})):
        by_party[part.party.id].append(part)
    return [v.PartyView(id=p.id, kind=p.kind, name=_name(p),
                        participations=by_party.get(p.id, []),
                        sources=sources.get(("party", p.id), []))
            for p in found]


# --- bodies ------------------------------------------------------------------------------------

_EVENTS_OF_BODY = (
    sa.select(sa.func.count()).where(EVENT.c.body_id == BODY.c.id).scalar_subquery()
    .label("events")
)
_BODIES = sa.select(
    BODY, _EVENTS_OF_BODY, languages.translated("body", BODY.c.id, "description", "ja"),
    languages.translated("body", BODY.c.id, "description", "ru"),
).order_by(asc(BODY.c.dialogue_id), asc(BODY.c.id))
_STATED = (sa.select(STATED).where(STATED.c.body_id.in_(ids_param("ids")))
           .order_by(asc(STATED.c.as_of_date), asc(STATED.c.id)))
_KINDS = list(BodyKind)


def bodies(session: Session, dialogue: str | None = "caj", limit: int | None = None,
           offset: int = 0) -> Page[v.BodyView]:
    # Ordered by dialogue, then by kind as the vocabulary lists them (not alphabetically).
    kind_order = sa.case({k.value: i for i, k in enumerate(_KINDS)}, value=BODY.c.kind)
    query = _BODIES.order_by(None).order_by(asc(BODY.c.dialogue_id), kind_order, asc(BODY.c.id))
    if dialogue:
        query = query.where(BODY.c.dialogue_id == dialogue)
    found, total = page(session, query, limit, offset, key=BODY.c.id)
    return Page(_bodies(session, found), total, limit, offset)


_OUTLINES = sa.select(BODY.c.id, BODY.c.code, BODY.c.name_en, BODY.c.name_ja, BODY.c.name_ru,
                      BODY.c.kind, BODY.c.status, BODY.c.reports_to_id, _EVENTS_OF_BODY)


def body_outlines(session: Session, dialogue: str = "caj") -> list[v.BodyOutline]:
    """Every body of ``dialogue`` in the order of ``bodies``, in one statement: what a filter's
    choices and the structure figure need (not each body's sources, which ``bodies`` adds)."""
    kind_order = sa.case({k.value: i for i, k in enumerate(_KINDS)}, value=BODY.c.kind)
    query = _OUTLINES.where(BODY.c.dialogue_id == dialogue).order_by(kind_order, asc(BODY.c.id))
    return [v.BodyOutline(id=b.id, code=b.code, name=_name(b), kind=b.kind, status=b.status,
                          reports_to=b.reports_to_id, events=b.events)
            for b in rows(session, query)]


_OUTLINE = _OUTLINES.where(BODY.c.id == sa.bindparam("id"))


def body_outline(session: Session, body_id: str) -> v.BodyOutline:
    """One body's outline, in one statement (what a meeting page names its body with; not the
    body's sources and stated counts, which ``body`` adds in two more)."""
    found = rows(session, _OUTLINE, id=body_id)
    if not found:
        raise NotFound("body", body_id)
    b = found[0]
    return v.BodyOutline(id=b.id, code=b.code, name=_name(b), kind=b.kind, status=b.status,
                         reports_to=b.reports_to_id, events=b.events)


def body(session: Session, body_id: str) -> v.BodyView:
    found = rows(session, _BODIES.where(BODY.c.id == body_id))
    if not found:
        raise NotFound("body", body_id)
    return _bodies(session, found)[0]


def _bodies(session: Session, found: Any) -> list[v.BodyView]:
    ids = [b.id for b in found]
    stated = rows(session, _STATED, ids=ids) if ids else []
    sources = cites(session, {"body": ids, "stated_count": [s.id for s in stated]})
    by_body: dict[str, list[v.StatedCountView]] = defaultdict(list)
    for s in stated:
        by_body[s.body_id].append(v.StatedCountView(
            count=s.count, as_of=fuzzy(s.as_of_date, s.as_of_precision) or "", note=s.note,
            sources=sources.get(("stated_count", s.id), [])))
    return [
        v.BodyView(
            id=b.id, dialogue=b.dialogue_id, code=b.code, name=_name(b), kind=b.kind,
            status=b.status, reports_to=b.reports_to_id,
            proposed=fuzzy(b.proposed_date, b.proposed_precision),
            established=fuzzy(b.established_date, b.established_precision),
            description=b.description,
            description_text=languages.cajd_text(b.description, b.description_ja,
                                                 b.description_ru),
            events=b.events, stated_counts=by_body.get(b.id, []),
            sources=sources.get(("body", b.id), []),
        )
        for b in found
    ]


# --- people ------------------------------------------------------------------------------------

_PEOPLE = sa.select(PERSON).order_by(asc(PERSON.c.name_en), asc(PERSON.c.id))
_POSITIONS = (
    sa.select(POSITION, PARTY.c.name_en, PARTY.c.name_ja, PARTY.c.name_ru)
    .outerjoin(PARTY, PARTY.c.id == POSITION.c.party_id)
    .where(POSITION.c.person_id.in_(ids_param("ids")))
    .order_by(asc(POSITION.c.start_date), asc(POSITION.c.id))
)
_HEADED = (
    sa.select(DELEGATION.c.head_id, DELEGATION.c.party_id, DELEGATION.c.rank,
              DELEGATION.c.head_title, EVENT.c.id, EVENT.c.name_en, EVENT.c.name_ja,
              EVENT.c.name_ru, EVENT.c.start_date, EVENT.c.start_precision)
    .join(EVENT, EVENT.c.id == DELEGATION.c.event_id)
    .where(DELEGATION.c.head_id.in_(ids_param("ids")))
    .order_by(asc(EVENT.c.start_date), asc(EVENT.c.id))
)


def people(session: Session, limit: int | None = None, offset: int = 0) -> Page[v.PersonView]:
    found, total = page(session, _PEOPLE, limit, offset)
    return Page(_people(session, found), total, limit, offset)


def person(session: Session, person_id: str) -> v.PersonView:
    found = rows(session, _PEOPLE.where(PERSON.c.id == person_id))
    if not found:
        raise NotFound("person", person_id)
    return _people(session, found)[0]


def _people(session: Session, found: Any) -> list[v.PersonView]:
    ids = [p.id for p in found]
    if not ids:
        return []
    positions: dict[str, list[v.PositionView]] = defaultdict(list)
    for pos in rows(session, _POSITIONS, ids=ids):
        positions[pos.person_id].append(v.PositionView(
            title=localized(pos.title_en, pos.title_ja, pos.title_ru),
            party=v.PartyBrief(id=pos.party_id, name=_name(pos)) if pos.party_id else None,
            start=fuzzy(pos.start_date, pos.start_precision),
            end=fuzzy(pos.end_date, pos.end_precision),
        ))
    headed: dict[str, list[v.Attendance]] = defaultdict(list)
    for d in rows(session, _HEADED, ids=ids):
        headed[d.head_id].append(v.Attendance(
            event=d.id, event_name=_name(d), start=fuzzy(d.start_date, d.start_precision) or "",
            party=d.party_id, rank=d.rank, head_title=d.head_title))
    sources = cites(session, {"person": ids})
    return [v.PersonView(id=p.id, name=_name(p), positions=positions.get(p.id, []),
                         headed=headed.get(p.id, []), sources=sources.get(("person", p.id), []))
            for p in found]


# --- sources -----------------------------------------------------------------------------------

_SOURCES = sa.select(SOURCE).order_by(desc(SOURCE.c.official), asc(SOURCE.c.id))
_SUPPORTS = (
    sa.select(CITATION.c.subject_kind, CITATION.c.subject_id, CITATION.c.locator)
    .where(CITATION.c.source_id == sa.bindparam("id"))
    .order_by(asc(CITATION.c.subject_kind), asc(CITATION.c.subject_id), asc(CITATION.c.locator),
              asc(CITATION.c.id))
)


def _source_view(s: Any, supports: list[v.Supported],
                 disputes: list[v.ConflictView]) -> v.SourceView:
    return v.SourceView(
        id=s.id, kind=s.kind, title=s.title, author=s.author, publisher=s.publisher,
        published=s.published, url=s.url, accessed=s.accessed.isoformat() if s.accessed else None,
        file=s.file, official=s.official, note=s.note, supports=supports, conflicts=disputes,
    )


def sources(session: Session, limit: int | None = None, offset: int = 0) -> Page[v.SourceView]:
    found, total = page(session, _SOURCES, limit, offset)
    return Page([_source_view(s, [], []) for s in found], total, limit, offset)


def source(session: Session, source_id: str) -> v.SourceView:
    found = rows(session, _SOURCES.where(SOURCE.c.id == source_id))
    if not found:
        raise NotFound("source", source_id)
    supports = [v.Supported(kind=r.subject_kind, id=r.subject_id, at=r.locator)
                for r in rows(session, _SUPPORTS, id=source_id)]
    # The conflicts in which one of the claims rests on this source.
    claimed = sa.select(CLAIM.c.conflict_id).where(CLAIM.c.id.in_(
        sa.select(CITATION.c.subject_id).where(CITATION.c.source_id == source_id,
                                               CITATION.c.subject_kind == "conflict_claim")))
    return _source_view(found[0], supports, conflicts_where(session, CONFLICT.c.id.in_(claimed)))


def find_documents(session: Session, query: str, limit: int | None = None, offset: int = 0
                   ) -> Page[v.DocumentView]:
    """Documents, or those matching ``query`` best first (the ranking paginated): the page, its
    CSV and the API alike."""
    if not query.strip():
        return documents(session, limit=limit, offset=offset)
    ranked = search_documents(session, query)
    chosen = ranked[offset:None if limit is None else offset + limit]
    order = {doc_id: i for i, doc_id in enumerate(chosen)}
    items = sorted(documents(session, chosen).items, key=lambda d: order[d.id])
    return Page(items, len(ranked), limit, offset)


def totals(session: Session) -> dict[str, int]:
    """How many documents, commitments and sources the record holds, and how many of the
    Dialogue's bodies are active, in one statement."""
    active = [BODY.c.dialogue_id == "caj", BODY.c.status == "active"]
    counted = {name: sa.select(sa.func.count()).select_from(table).where(*where)
               .scalar_subquery()
               for name, table, where in (("documents", DOCUMENT, [PUBLIC]),
                                          ("commitments", COMMITMENT, []),
                                          ("sources", SOURCE, []),
                                          ("bodies", BODY, active))}
    found = rows(session, sa.select(*(c.label(n) for n, c in counted.items())))[0]
    return {name: int(found._mapping[name]) for name in counted}


def all_conflicts(session: Session, limit: int | None = None, offset: int = 0
                  ) -> Page[v.ConflictView]:
    if limit is None and not offset:
        found = conflicts_where(session)
        return Page(found, len(found), limit, offset)
    total = int(session.connection().execute(
        sa.select(sa.func.count()).select_from(CONFLICT)).scalar_one())
    ids = sa.select(CONFLICT.c.id).order_by(asc(CONFLICT.c.subject_id), asc(CONFLICT.c.field),
                                            asc(CONFLICT.c.id)).limit(limit).offset(offset)
    return Page(conflicts_where(session, CONFLICT.c.id.in_(ids.scalar_subquery())), total,
                limit, offset)
