"""Outcome documents, from draft to adoption: each a write of the one write path (permission by
``rules.can``, the dataset's records and messages, one audit entry, versions checked).

draft → circulated → adopted, or withdrawn. The secretariat drafts, revises (a new version while
the text is a draft or circulated) and circulates; each member party's focal point endorses the
circulated version, optionally with a reservation; any party's focal point may comment or object
(an objection is recorded and shown, and never blocks); the secretariat adopts once every member
party of the dialogue at the meeting's date has endorsed the current version, and is told which
have not. Adopted text is frozen: the document's title and text columns change only on adoption,
so a revision of an adopted document is a new version, a pending amendment, while the public
keeps seeing the text as adopted until the amendment is adopted in its turn.

The optimistic ``version`` of every action is the document row's (Tracked) version: a revision,
circulation, adoption or withdrawal moves it, so an endorsement of a text that changed meanwhile
is a 409, never an endorsement of the wrong text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from cajd.dataset import records as r
from cajd.dataset.adoption import comment_id, endorsement_id, version_id
from cajd.dataset.build import slug
from cajd.model import (
    Body,
    Document,
    DocumentComment,
    DocumentVersion,
    Endorsement,
    Event,
    Participation,
    Party,
)
from cajd.read.drafts import parties_concerned
from cajd.vocab import DocumentStatus, EventStatus, Origin, RemarkKind, Role, UserRole
from cajd.workflow import checks
from cajd.workflow.delegations import role_at
from cajd.workflow.errors import Conflict, Forbidden, Invalid
from cajd.workflow.meetings import _allowed, _current, live
from cajd.workflow.rules import Actor
from cajd.workflow.service import _audit, _flush, snapshot

OPEN = (DocumentStatus.DRAFT, DocumentStatus.CIRCULATED)


@dataclass(frozen=True)
class ForParty:
    """What a rule sees of an act a party makes on a document: the party it is made for."""

    party_id: str | None
    id: str


# --- reading what the services write -------------------------------------------------------------


def versions(session: Session, document_id: str) -> list[DocumentVersion]:
    return list(session.scalars(
        sa.select(DocumentVersion)
        .where(DocumentVersion.document_id == document_id, DocumentVersion.deleted_at.is_(None))
        .order_by(DocumentVersion.number)))


def endorsements(session: Session, document_id: str) -> list[Endorsement]:
    return list(session.scalars(
        sa.select(Endorsement)
        .where(Endorsement.document_id == document_id, Endorsement.deleted_at.is_(None))
        .order_by(Endorsement.text_version, Endorsement.party_id)))


def comments(session: Session, document_id: str) -> list[DocumentComment]:
    found = session.scalars(
        sa.select(DocumentComment)
        .where(DocumentComment.document_id == document_id, DocumentComment.deleted_at.is_(None)))
    return sorted(found, key=lambda c: int(c.id.rsplit(".", 1)[1]))


def view(session: Session, row: Document) -> dict[str, Any]:
    """The document as written, with its versions, endorsements and comments (what the audit
    entry and the API return)."""
    return snapshot(row) | {
        "versions": [snapshot(v) for v in versions(session, row.id)],
        "endorsements": [snapshot(e) for e in endorsements(session, row.id)],
        "comments": [snapshot(c) for c in comments(session, row.id)],
    }


def latest(session: Session, document_id: str) -> int:
    return max((v.number for v in versions(session, document_id)), default=0)


def member_parties(session: Session, event: Event) -> list[str]:
    """The member parties of the meeting's dialogue on its first day: those whose endorsement
    adoption needs."""
    dialogue = session.scalar(sa.select(Body.dialogue_id).where(Body.id == event.body_id))
    parties = session.scalars(sa.select(Participation.party_id).distinct().where(
        Participation.dialogue_id == dialogue, Participation.deleted_at.is_(None)))
    return sorted(p for p in parties if role_at(session, event, p) is Role.MEMBER)


# --- helpers -------------------------------------------------------------------------------------


def _document(session: Session, document_id: str) -> Document:
    row: Document = live(session, Document, "document", document_id)
    return row


def _event(session: Session, row: Document) -> Event:
    if row.event_id is None:
        raise Invalid([f"document {row.id}: adopted_at: the document belongs to no meeting"])
    event: Event = live(session, Event, "event", row.event_id)
    return event


def _stage(row: Document, allowed: tuple[DocumentStatus, ...], action: str) -> None:
    if row.status not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise Invalid([f"document {row.id}: status: only a {names} document can be {action} "
                       f"(it is {row.status.value})"])


def _title(title: dict[str, str | None]) -> dict[str, str]:
    return {k: v.strip() for k, v in title.items() if v and v.strip()}


def _version_row(session: Session, actor: Actor, doc: Document, number: int,
                 title: dict[str, str], text: str | None, note: str | None) -> DocumentVersion:
    subject = f"document {doc.id}"
    rec = checks.record(r.DocumentVersionRecord, subject, {
        "version": number, "title": title, "text": text or None, "note": note or None,
        "by": actor.name, "at": dt.datetime.now(dt.UTC)})
    row = DocumentVersion(
        id=version_id(doc.id, number), document_id=doc.id, number=number,
        title_en=rec.title.en, title_ja=rec.title.ja, title_ru=rec.title.ru, text=rec.text,
        note=rec.note, created_by=actor.name, created_at=rec.at, origin=Origin.WORKSPACE)
    checks.lengths(DocumentVersion, subject, {c: getattr(row, c) for c in
                                              ("title_en", "title_ja", "title_ru", "text", "note")})
    session.add(row)
    return row


def _touch(session: Session, doc: Document) -> None:
    """Move the document's version even when no column of its own changed (a new version of
    its text, say), so that an act based on the text before is a 409."""
    doc.origin = Origin.WORKSPACE
    flag_modified(doc, "status")
    _flush(session, doc)


def _document_id(session: Session, event_id: str, kind: str) -> str:
    base = f"{event_id}-{slug(kind.replace('_', ' '))}"
    taken = set(session.scalars(sa.select(Document.id).where(Document.id.like(f"{base}%"))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


# --- the actions ---------------------------------------------------------------------------------


def draft(session: Session, actor: Actor, event_id: str, kind: str,
          title: dict[str, str | None], text: str | None = None,
          description: str | None = None, note: str | None = None) -> dict[str, Any]:
    """A new draft outcome document of a meeting, its text as version 1."""
    event: Event = live(session, Event, "event", event_id)
    _allowed(actor, "document.draft", event, f"a document of {event_id!r}")
    if event.status is EventStatus.CANCELLED:
        raise Invalid([f"event {event_id}: status: the meeting is cancelled"])
    dialogue = session.scalar(sa.select(Body.dialogue_id).where(Body.id == event.body_id))
    document_id = _document_id(session, event_id, str(kind))
    subject = f"document {document_id}"
    refs = checks.source_refs(actor, "drafted")
    names = _title(title)
    now = dt.datetime.now(dt.UTC)
    rec = checks.record(r.DocumentRecord, subject, {
        "id": document_id, "dialogue": dialogue, "kind": kind, "title": names,
        "adopted_at": event_id, "description": description or None,
        "status": DocumentStatus.DRAFT.value, "sources": refs,
        "versions": [{"version": 1, "title": names, "text": text or None, "note": note or None,
                      "by": actor.name, "at": now}],
    })
    row = Document(
        id=document_id, dialogue_id=dialogue, kind=rec.kind, title_en=rec.title.en,
        title_ja=rec.title.ja, title_ru=rec.title.ru, title_is_official=False,
        event_id=event_id, date=event.start_date, date_precision=event.start_precision,
        description=rec.description, status=DocumentStatus.DRAFT, origin=Origin.WORKSPACE)
    checks.lengths(Document, subject, {c: getattr(row, c) for c in
                                       ("title_en", "title_ja", "title_ru", "description")})
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{document_id!r} was drafted by someone else meanwhile", {}) from None
    _version_row(session, actor, row, 1, names, text, note)
    session.flush()
    checks.cite(session, "document", document_id, refs)
    after = view(session, row)
    _audit(session, actor, "document.draft", "document", row, None, after)
    return after


def revise(session: Session, actor: Actor, document_id: str, version: int,
           title: dict[str, str | None], text: str | None = None,
           note: str | None = None) -> dict[str, Any]:
    """A new version of the text. Of a draft or circulated document it replaces the text under
    discussion (endorsements of the earlier version no longer count); of an adopted document it
    is an amendment, a draft again, while the adopted text stays as it was."""
    doc = _document(session, document_id)
    _allowed(actor, "document.revise", doc, repr(document_id))
    _current(doc, version)
    _stage(doc, (*OPEN, DocumentStatus.ADOPTED), "revised")
    before = view(session, doc)
    number = latest(session, document_id) + 1
    names = _title(title)
    if doc.status is DocumentStatus.ADOPTED and doc.adopted_version is None:
        # A document of the bundled record: its text as the record has it becomes version 1.
        _version_row(session, actor, doc, 1, _title({"en": doc.title_en, "ja": doc.title_ja,
                                                     "ru": doc.title_ru}), doc.text,
                     "the text as the record held it when it was first revised")
        doc.adopted_version, number = 1, 2
    _version_row(session, actor, doc, number, names, text, note)
    doc.status = DocumentStatus.DRAFT if doc.status is DocumentStatus.ADOPTED else doc.status
    _touch(session, doc)
    after = view(session, doc)
    _audit(session, actor, "document.revise", "document", doc, before, after)
    return after


def _set_status(session: Session, actor: Actor, doc: Document, new: DocumentStatus,
                action: str, before: dict[str, Any]) -> dict[str, Any]:
    doc.status = new
    _touch(session, doc)
    after = view(session, doc)
    _audit(session, actor, action, "document", doc, before, after)
    return after


def circulate(session: Session, actor: Actor, document_id: str, version: int) -> dict[str, Any]:
    """Send the draft to the parties for endorsement."""
    doc = _document(session, document_id)
    _allowed(actor, "document.circulate", doc, repr(document_id))
    _current(doc, version)
    _stage(doc, (DocumentStatus.DRAFT,), "circulated")
    return _set_status(session, actor, doc, DocumentStatus.CIRCULATED, "document.circulate",
                       view(session, doc))


def endorse(session: Session, actor: Actor, document_id: str, version: int, party_id: str,
            reservation: str | None = None) -> dict[str, Any]:
    """A member party's endorsement of the circulated version, by its focal point, with an
    optional reservation (kept and shown with the adopted text)."""
    doc = _document(session, document_id)
    _allowed(actor, "document.endorse", ForParty(party_id, document_id),
             f"{document_id!r} for {party_id}")
    _current(doc, version)
    event = _event(session, doc)
    _stage(doc, (DocumentStatus.CIRCULATED,), "endorsed")
    subject = f"document {document_id}"
    if party_id not in member_parties(session, event):
        raise Invalid([f"{subject}: party: {party_id} is not a member party at this meeting; "
                       "an observer or a guest comments or objects, and does not endorse"])
    number = latest(session, document_id)
    reservation = (reservation or "").strip() or None
    rec = checks.record(r.EndorsementRecord, subject, {
        "party": party_id, "version": number, "reservation": reservation, "by": actor.name,
        "at": dt.datetime.now(dt.UTC)})
    checks.lengths(Endorsement, subject, {"reservation": rec.reservation})
    row_id = endorsement_id(document_id, number, party_id)
    if session.get(Endorsement, row_id) is not None:
        raise Invalid([f"{subject}: party: {party_id} endorsed version {number} already"])
    before = view(session, doc)
    row = Endorsement(id=row_id, document_id=document_id, text_version=number, party_id=party_id,
                      reservation=rec.reservation, endorsed_by=actor.name, endorsed_at=rec.at,
                      origin=Origin.WORKSPACE)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{row_id!r} was endorsed meanwhile", {}) from None
    doc.origin = Origin.WORKSPACE
    after = view(session, doc)
    _audit(session, actor, "document.endorse", "endorsement", row, before, after)
    return after


def _remark(session: Session, actor: Actor, action: str, kind: RemarkKind, document_id: str,
            version: int, text: str, party_id: str | None) -> dict[str, Any]:
    doc = _document(session, document_id)
    if actor.role is UserRole.FOCAL_POINT and party_id is None:
        party_id = actor.party  # a focal point speaks for its party
    _allowed(actor, action, ForParty(party_id, document_id), repr(document_id))
    _current(doc, version)
    event = _event(session, doc)
    subject = f"document {document_id}"
    _stage(doc, OPEN, "commented on")
    if actor.role is UserRole.SECRETARIAT and party_id is not None:
        raise Invalid([f"{subject}: party: the secretariat comments in its own name"])
    if party_id is not None and party_id not in parties_concerned(session, event.id):
        raise Forbidden(f"{party_id} takes no part in {event.id!r}")
    checks.exists(session, Party, "party", party_id, subject, "party")
    number = latest(session, document_id)
    rec = checks.record(r.CommentRecord, subject, {
        "kind": kind.value, "version": number, "party": party_id, "text": text,
        "by": actor.name, "at": dt.datetime.now(dt.UTC)})
    checks.lengths(DocumentComment, subject, {"text": rec.text})
    n = len(session.scalars(sa.select(DocumentComment.id).where(
        DocumentComment.document_id == document_id)).all()) + 1
    before = view(session, doc)
    row = DocumentComment(id=comment_id(document_id, n), document_id=document_id,
                          text_version=number, kind=kind, party_id=party_id, text=rec.text,
                          author=actor.name, at=rec.at, origin=Origin.WORKSPACE)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{document_id!r} was commented on meanwhile", {}) from None
    doc.origin = Origin.WORKSPACE
    after = view(session, doc)
    _audit(session, actor, action, "document_comment", row, before, after)
    return after


def comment(session: Session, actor: Actor, document_id: str, version: int, text: str,
            party_id: str | None = None) -> dict[str, Any]:
    """A comment on the version under discussion (the secretariat's, or a party's)."""
    return _remark(session, actor, "document.comment", RemarkKind.COMMENT, document_id, version,
                   text, party_id)


def object_to(session: Session, actor: Actor, document_id: str, version: int, text: str,
              party_id: str | None = None) -> dict[str, Any]:
    """A party's objection: recorded and shown, it never blocks adoption (only a member party's
    missing endorsement does)."""
    return _remark(session, actor, "document.object", RemarkKind.OBJECTION, document_id,
                   version, text, party_id)


def missing_endorsements(session: Session, doc: Document) -> list[str]:
    """The member parties that have not endorsed the version under discussion."""
    number = latest(session, doc.id)
    endorsed = {e.party_id for e in endorsements(session, doc.id) if e.text_version == number}
    return [p for p in member_parties(session, _event(session, doc)) if p not in endorsed]


def adopt(session: Session, actor: Actor, document_id: str, version: int) -> dict[str, Any]:
    """Adopt the circulated version: refused, naming them, while a member party's endorsement
    of it is missing. Its title and text become the document's, frozen from now on."""
    doc = _document(session, document_id)
    _allowed(actor, "document.adopt", doc, repr(document_id))
    _current(doc, version)
    _stage(doc, (DocumentStatus.CIRCULATED,), "adopted")
    missing = missing_endorsements(session, doc)
    number = latest(session, document_id)
    if missing:
        raise Invalid([f"document {document_id}: endorsements: version {number} lacks the "
                       f"endorsement of the member parties {', '.join(missing)}"])
    before = view(session, doc)
    text = versions(session, document_id)[-1]
    doc.title_en, doc.title_ja, doc.title_ru = text.title_en, text.title_ja, text.title_ru
    doc.text, doc.adopted_version = text.text, number
    return _set_status(session, actor, doc, DocumentStatus.ADOPTED, "document.adopt", before)


def withdraw(session: Session, actor: Actor, document_id: str, version: int) -> dict[str, Any]:
    """Withdraw a draft or circulated text. A document never adopted is withdrawn; for one
    adopted before, it is the pending amendment that goes, and the adopted text stands."""
    doc = _document(session, document_id)
    _allowed(actor, "document.withdraw", doc, repr(document_id))
    _current(doc, version)
    _stage(doc, OPEN, "withdrawn")
    new = DocumentStatus.WITHDRAWN if doc.adopted_version is None else DocumentStatus.ADOPTED
    return _set_status(session, actor, doc, new, "document.withdraw", view(session, doc))
