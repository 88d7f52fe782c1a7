"""Documents and commitments (with what became of them), and the areas records are tagged with."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import views as v
from cajd.read.adoption import PUBLIC, reservations
from cajd.read.provenance import Key, cites, conflicts
from cajd.read.sql import (
    AREA,
    AREA_TAG,
    COMMITMENT,
    DOCUMENT,
    IMPLEMENTATION,
    PARTY,
    NotFound,
    Page,
    asc,
    fuzzy,
    ids_param,
    localized,
    page,
    rows,
)

_AREAS = (
    sa.select(AREA_TAG.c.subject_kind, AREA_TAG.c.subject_id, AREA.c.id, AREA.c.name_en,
              AREA.c.name_ja, AREA.c.name_ru)
    .join(AREA, AREA.c.id == AREA_TAG.c.area_id)
    .where(AREA_TAG.c.subject_kind.in_(ids_param("kinds")),
           AREA_TAG.c.subject_id.in_(ids_param("ids")))
    .order_by(asc(AREA.c.id))
)


def areas_of(session: Session, wanted: Mapping[str, Collection[str]]
             ) -> dict[Key, list[v.AreaBrief]]:
    """The areas each record ``wanted`` (kind -> ids) is tagged with, by area id."""
    keys = {(kind, i) for kind, ids in wanted.items() for i in ids}
    found: dict[Key, list[v.AreaBrief]] = defaultdict(list)
    if not keys:
        return found
    for r in rows(session, _AREAS, kinds=sorted(wanted), ids=sorted({i for _, i in keys})):
        if (r.subject_kind, r.subject_id) in keys:
            found[r.subject_kind, r.subject_id].append(
                v.AreaBrief(id=r.id, name=localized(r.name_en, r.name_ja, r.name_ru)))
    return found


# --- documents ---------------------------------------------------------------------------------

DOCUMENT_SUMMARY = (
    DOCUMENT.c.id, DOCUMENT.c.kind, DOCUMENT.c.title_en, DOCUMENT.c.title_ja, DOCUMENT.c.title_ru,
    DOCUMENT.c.title_is_official, DOCUMENT.c.event_id, DOCUMENT.c.date, DOCUMENT.c.date_precision,
    DOCUMENT.c.url,
)
_DOCUMENTS = (
    sa.select(*DOCUMENT_SUMMARY, DOCUMENT.c.dialogue_id, DOCUMENT.c.languages,
              DOCUMENT.c.description, DOCUMENT.c.text, DOCUMENT.c.licence,
              DOCUMENT.c.adopted_version)
    .where(PUBLIC)  # drafts and circulated texts are not public (``read.adoption``)
    .order_by(asc(DOCUMENT.c.date), asc(DOCUMENT.c.id))
)


def _summary_fields(d: sa.Row[Any]) -> dict[str, Any]:
    return {"id": d.id, "kind": d.kind, "title": localized(d.title_en, d.title_ja, d.title_ru),
            "title_official": d.title_is_official, "event": d.event_id,
            "date": fuzzy(d.date, d.date_precision), "url": d.url}


def document_summary(d: sa.Row[Any]) -> v.DocumentSummary:
    return v.DocumentSummary(**_summary_fields(d))


def documents(session: Session, ids: Collection[str] | None = None, limit: int | None = None,
              offset: int = 0) -> Page[v.DocumentView]:
    query = _DOCUMENTS if ids is None else _DOCUMENTS.where(DOCUMENT.c.id.in_(list(ids)))
    found, total = page(session, query, limit, offset)
    keys = [d.id for d in found]
    sources, disputes = cites(session, {"document": keys}), conflicts(session, {"document": keys})
    tags = areas_of(session, {"document": keys})
    reserved = reservations(session, [d.id for d in found if d.adopted_version is not None])
    return Page([
        v.DocumentView(
            **_summary_fields(d), dialogue=d.dialogue_id,
            languages=[x for x in (d.languages or "").split(",") if x],
            description=d.description, text=d.text, licence=d.licence,
            areas=tags.get(("document", d.id), []), sources=sources.get(("document", d.id), []),
            conflicts=disputes.get(("document", d.id), []),
            reservations=[v.ReservationView(party=x.party, text=x.text)
                          for x in reserved.get(d.id, [])],
        )
        for d in found
    ], total, limit, offset)


def document(session: Session, document_id: str) -> v.DocumentView:
    found = documents(session, [document_id]).items
    if not found:
        raise NotFound("document", document_id)
    return found[0]


# --- commitments -------------------------------------------------------------------------------

_COMMITMENTS = (
    sa.select(COMMITMENT, PARTY.c.name_en, PARTY.c.name_ja, PARTY.c.name_ru)
    .join(PARTY, PARTY.c.id == COMMITMENT.c.party_id)
    .order_by(asc(COMMITMENT.c.due_date), asc(COMMITMENT.c.id))
)
_IMPLEMENTATION = (
    sa.select(IMPLEMENTATION).where(IMPLEMENTATION.c.commitment_id.in_(ids_param("ids")))
    .order_by(asc(IMPLEMENTATION.c.date), asc(IMPLEMENTATION.c.id))
)


def commitment_rows(session: Session, event_id: str | None = None,
                    ids: Collection[str] | None = None, limit: int | None = None,
                    offset: int = 0) -> Sequence[sa.Row[Any]]:
    return _commitment_page(session, event_id, ids, limit, offset)[0]


def _commitment_page(session: Session, event_id: str | None, ids: Collection[str] | None,
                     limit: int | None, offset: int) -> tuple[Sequence[sa.Row[Any]], int]:
    query = _COMMITMENTS
    if event_id is not None:
        query = query.where(COMMITMENT.c.event_id == event_id)
    if ids is not None:
        query = query.where(COMMITMENT.c.id.in_(list(ids)))
    return page(session, query, limit, offset)


def implementation_rows(session: Session, commitment_ids: Sequence[str]
                        ) -> Sequence[sa.Row[Any]]:
    return rows(session, _IMPLEMENTATION, ids=list(commitment_ids)) if commitment_ids else []


def commitment_views(
    found: Sequence[sa.Row[Any]], records: Sequence[sa.Row[Any]],
    sources: Mapping[Key, list[v.Cite]], disputes: Mapping[Key, list[v.ConflictView]],
    tags: Mapping[Key, list[v.AreaBrief]],
) -> list[v.CommitmentView]:
    """Commitments from their rows and their implementation records' rows, with provenance the
    caller fetched (batched with whatever else its view shows)."""
    done: dict[str, list[v.ImplementationView]] = defaultdict(list)
    for rec in records:
        done[rec.commitment_id].append(v.ImplementationView(
            id=rec.id, date=fuzzy(rec.date, rec.date_precision), description=rec.description,
            implementer=rec.implementer, amount=rec.amount, currency=rec.currency,
            quantity=rec.quantity, unit=rec.unit,
            sources=sources.get(("implementation_record", rec.id), []),
        ))
    return [
        v.CommitmentView(
            id=c.id, dialogue=c.dialogue_id,
            party=v.PartyBrief(id=c.party_id, name=localized(c.name_en, c.name_ja, c.name_ru)),
            kind=c.kind, description=c.description, event=c.event_id, document=c.document_id,
            amount=c.amount, currency=c.currency, amount_usd=c.amount_usd,
            target_quantity=c.target_quantity, target_unit=c.target_unit,
            due=fuzzy(c.due_date, c.due_precision), areas=tags.get(("commitment", c.id), []),
            implementation=done.get(c.id, []), sources=sources.get(("commitment", c.id), []),
            conflicts=disputes.get(("commitment", c.id), []),
        )
        for c in found
    ]


def commitments(session: Session, ids: Collection[str] | None = None, limit: int | None = None,
                offset: int = 0) -> Page[v.CommitmentView]:
    found, total = _commitment_page(session, None, ids, limit, offset)
    keys = [c.id for c in found]
    records = implementation_rows(session, keys)
    sources = cites(session, {"commitment": keys,
                              "implementation_record": [r.id for r in records]})
    disputes = conflicts(session, {"commitment": keys})
    tags = areas_of(session, {"commitment": keys})
    return Page(commitment_views(found, records, sources, disputes, tags), total, limit, offset)


def commitment(session: Session, commitment_id: str) -> v.CommitmentView:
    found = commitments(session, [commitment_id]).items
    if not found:
        raise NotFound("commitment", commitment_id)
    return found[0]
