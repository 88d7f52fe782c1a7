"""What is public of a document, and its adoption for those who may see drafts.

The public record (portal, API, analyses, exports, Popolo) holds only **published** documents:
adopted ones, and those adopted once whose amendment is under way (the public sees the text as
adopted; ``model.adoption``). ``published`` is the one clause every list, detail and count
applies. Drafts, circulated texts, their versions, endorsements and comments are shown only to
those ``cajd.workflow.rules.may_see_drafts`` lets see them: the secretariat and the parties
concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd import model
from cajd.read import views as v
from cajd.read.drafts import parties_concerned
from cajd.read.sql import DOCUMENT, PARTY, NotFound, asc, ids_param, localized, rows
from cajd.vocab import DocumentStatus
from cajd.workflow.rules import Actor, may_see_drafts

VERSION = model.DocumentVersion.__table__
ENDORSEMENT = model.Endorsement.__table__
COMMENT = model.DocumentComment.__table__


def published(document: Any) -> sa.ColumnElement[bool]:
    """Whether a document is public: ``document`` is the table's columns (``DOCUMENT.c``) or the
    ORM class (``model.Document``)."""
    return sa.and_(document.deleted_at.is_(None), sa.or_(
        document.status == DocumentStatus.ADOPTED.value, document.adopted_version.is_not(None)))


PUBLIC = published(DOCUMENT.c)


class Reservation(v.View):
    party: v.PartyBrief
    text: str


class VersionView(v.View):
    number: int
    title: v.Localized
    text: str | None = None
    note: str | None = None
    by: str | None = None
    at: str | None = None


class EndorsementView(v.View):
    party: v.PartyBrief
    version: int
    reservation: str | None = None
    by: str | None = None
    at: str | None = None


class CommentView(v.View):
    id: str
    kind: str
    version: int
    party: v.PartyBrief | None = None
    text: str
    by: str | None = None
    at: str | None = None


class DraftSummary(v.DocumentSummary):
    status: str


class AdoptionView(v.View):
    """A document as its drafters see it: where it stands, every version, who endorsed which
    (with reservations), the comments and objections, and which member parties still have to
    endorse the version under discussion."""

    id: str
    kind: str
    event: str | None = None
    status: str
    adopted_version: int | None = None
    version: int  # the row's optimistic version, for the next write
    title: v.Localized
    versions: list[VersionView]
    endorsements: list[EndorsementView]
    comments: list[CommentView]
    missing: list[str]


_RESERVATIONS = (
    sa.select(ENDORSEMENT.c.document_id, ENDORSEMENT.c.reservation, PARTY.c.id, PARTY.c.name_en,
              PARTY.c.name_ja, PARTY.c.name_ru)
    .join(PARTY, PARTY.c.id == ENDORSEMENT.c.party_id)
    .join(DOCUMENT, DOCUMENT.c.id == ENDORSEMENT.c.document_id)
    .where(ENDORSEMENT.c.document_id.in_(ids_param("ids")),
           ENDORSEMENT.c.text_version == DOCUMENT.c.adopted_version,
           ENDORSEMENT.c.reservation.is_not(None), ENDORSEMENT.c.deleted_at.is_(None))
    .order_by(asc(ENDORSEMENT.c.party_id))
)


def reservations(session: Session, adopted: Collection[str]) -> dict[str, list[Reservation]]:
    """The reservations recorded with each adopted version, by document; ``adopted`` names the
    documents adopted in the workspace (the bundled record's have none: no query then)."""
    found: dict[str, list[Reservation]] = defaultdict(list)
    if not adopted:
        return found
    for r in rows(session, _RESERVATIONS, ids=sorted(adopted)):
        found[r.document_id].append(Reservation(
            party=v.PartyBrief(id=r.id, name=localized(r.name_en, r.name_ja, r.name_ru)),
            text=r.reservation))
    return found


def _stamp(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _party(names: dict[str, sa.Row[Any]], party_id: str | None) -> v.PartyBrief | None:
    if party_id is None:
        return None
    p = names.get(party_id)
    name = localized(p.name_en, p.name_ja, p.name_ru) if p else v.Localized(en=party_id)
    return v.PartyBrief(id=party_id, name=name)


def adoption(session: Session, actor: Actor | None, document_id: str) -> AdoptionView:
    """The document's adoption, for an actor who may see it: anyone for a published document,
    else the secretariat and the parties concerned (others get ``NotFound``, as if it did not
    exist: a draft's existence is not public either)."""
    from cajd.workflow.documents import member_parties  # the rule of adoption lives there

    doc = session.get(model.Document, document_id)
    if doc is None or doc.deleted_at is not None:
        raise NotFound("document", document_id)
    is_public = doc.status is DocumentStatus.ADOPTED or doc.adopted_version is not None
    if not is_public and not (doc.event_id and may_see_drafts(
            actor, parties_concerned(session, doc.event_id))):
        raise NotFound("document", document_id)
    versions = rows(session, sa.select(VERSION).where(
        VERSION.c.document_id == document_id, VERSION.c.deleted_at.is_(None))
        .order_by(VERSION.c.number))
    endorsed = rows(session, sa.select(ENDORSEMENT).where(
        ENDORSEMENT.c.document_id == document_id, ENDORSEMENT.c.deleted_at.is_(None))
        .order_by(ENDORSEMENT.c.text_version, asc(ENDORSEMENT.c.party_id)))
    remarks = sorted(rows(session, sa.select(COMMENT).where(
        COMMENT.c.document_id == document_id, COMMENT.c.deleted_at.is_(None))),
        key=lambda c: int(c.id.rsplit(".", 1)[1]))
    names = {p.id: p for p in rows(session, sa.select(PARTY.c.id, PARTY.c.name_en,
                                                      PARTY.c.name_ja, PARTY.c.name_ru))}
    latest = versions[-1].number if versions else 0
    missing: list[str] = []
    if doc.status in (DocumentStatus.DRAFT, DocumentStatus.CIRCULATED) and doc.event_id:
        event = session.get(model.Event, doc.event_id)
        done = {e.party_id for e in endorsed if e.text_version == latest}
        missing = [p for p in member_parties(session, event) if p not in done] if event else []
    return AdoptionView(
        id=doc.id, kind=doc.kind.value, event=doc.event_id, status=doc.status.value,
        adopted_version=doc.adopted_version, version=doc.version,
        title=localized(doc.title_en, doc.title_ja, doc.title_ru),
        versions=[VersionView(number=x.number, title=localized(x.title_en, x.title_ja,
                                                                x.title_ru),
                              text=x.text, note=x.note, by=x.created_by,
                              at=_stamp(x.created_at)) for x in versions],
        endorsements=[EndorsementView(party=_party(names, e.party_id),
                                      version=e.text_version, reservation=e.reservation,
                                      by=e.endorsed_by, at=_stamp(e.endorsed_at))
                      for e in endorsed],
        comments=[CommentView(id=c.id, kind=c.kind, version=c.text_version,
                              party=_party(names, c.party_id), text=c.text, by=c.author,
                              at=_stamp(c.at)) for c in remarks],
        missing=missing,
    )


def meeting_documents(session: Session, actor: Actor | None, event_id: str
                      ) -> list[DraftSummary]:
    """A meeting's documents as ``actor`` may see them: the published ones, and the drafts and
    circulated texts too for the secretariat and the parties concerned."""
    from cajd.read.outcomes import DOCUMENT_SUMMARY, document_summary

    found = rows(session, sa.select(*DOCUMENT_SUMMARY, DOCUMENT.c.status,
                                    PUBLIC.label("public"))
                 .where(DOCUMENT.c.event_id == event_id, DOCUMENT.c.deleted_at.is_(None))
                 .order_by(asc(DOCUMENT.c.id)))
    drafts_seen = any(not d.public for d in found) and may_see_drafts(
        actor, parties_concerned(session, event_id))
    return [DraftSummary(**document_summary(d).model_dump(), status=d.status)
            for d in found if d.public or drafts_seen]
