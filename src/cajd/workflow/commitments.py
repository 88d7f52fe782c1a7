"""Commitments and what became of them: each a write of the one write path (permission by
``rules.can``, the dataset's records and messages, one transaction, one audit entry).

The secretariat registers a commitment from an adopted document, pointing at its paragraph,
and edits any commitment the same way, the bundled record's included (an edit marks the row
the workspace's, so a load leaves it as edited). An implementation record, with evidence (a
link or a stored file, ``workflow.evidence``), comes from the secretariat or the focal point
of the party that committed.
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
from cajd.dataset.build import slug
from cajd.dataset.checks import _currency
from cajd.fuzzydate import FuzzyDate
from cajd.model import Area, AreaTag, Commitment, Document, ImplementationRecord, Party
from cajd.vocab import DocumentStatus, Origin
from cajd.workflow import checks
from cajd.workflow import evidence as ev
from cajd.workflow.errors import Conflict, Invalid
from cajd.workflow.meetings import _allowed, _current, live
from cajd.workflow.rules import Actor
from cajd.workflow.service import _audit, _flush, snapshot

GUIDELINE_LEVELS = ("full", "partial", "none")
# The text columns a value must be storable in (no NUL, no lone surrogate, within length).
TEXT_COLUMNS = ("description", "paragraph", "currency", "target_unit",
                *(f"guideline_{level}" for level in GUIDELINE_LEVELS))
# The fields an edit may change (a commitment's party, dialogue and document stay what they were).
EDITABLE = ("kind", "description", "paragraph", "amount", "currency", "target_quantity",
            "target_unit", "due", "areas", "guideline")


@dataclass(frozen=True)
class Terms:
    """What a commitment says, as a form or an API call gives it."""

    kind: str
    description: str
    paragraph: str | None = None
    amount: int | None = None
    currency: str | None = None
    target_quantity: int | None = None
    target_unit: str | None = None
    due: str | None = None
    areas: tuple[str, ...] = ()
    guideline: dict[str, str | None] | None = None


def view(session: Session, row: Commitment) -> dict[str, Any]:
    return snapshot(row) | {"areas": areas_of(session, "commitment", row.id)}


def areas_of(session: Session, kind: str, subject_id: str) -> list[str]:
    return sorted(session.scalars(sa.select(AreaTag.area_id).where(
        AreaTag.subject_kind == kind, AreaTag.subject_id == subject_id,
        AreaTag.deleted_at.is_(None))))


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _guideline(terms: Terms) -> dict[str, str] | None:
    given = {k: v.strip() for k, v in (terms.guideline or {}).items() if v and v.strip()}
    return given or None


def _record_data(terms: Terms, base: dict[str, Any]) -> dict[str, Any]:
    return base | {k: v for k, v in {
        "kind": terms.kind, "description": _blank(terms.description),
        "paragraph": _blank(terms.paragraph), "amount": terms.amount,
        "currency": (_blank(terms.currency) or None) and str(terms.currency).strip().upper(),
        "target_quantity": terms.target_quantity, "target_unit": _blank(terms.target_unit),
        "due": _blank(terms.due), "areas": list(terms.areas), "guideline": _guideline(terms),
    }.items() if v is not None}


def _validate(session: Session, subject: str, data: dict[str, Any]) -> r.CommitmentRecord:
    rec = checks.record(r.CommitmentRecord, subject, data)
    problems = []
    if not _currency(rec.currency):
        problems.append(f"{subject}: currency: {rec.currency!r} is not an ISO 4217 code")
    for i, area in enumerate(rec.areas):
        found = session.get(Area, area)
        if found is None or found.deleted_at is not None:
            problems.append(f"{subject}: areas.{i}: no area {area!r} (looked in areas/)")
    if problems:
        raise Invalid(problems)
    return rec


def _columns(rec: r.CommitmentRecord) -> dict[str, Any]:
    due = rec.due
    return {
        "kind": rec.kind, "description": rec.description, "paragraph": rec.paragraph,
        "amount": rec.amount, "currency": rec.currency, "target_quantity": rec.target_quantity,
        "target_unit": rec.target_unit, "due_date": due.date if due else None,
        "due_precision": due.precision.value if due else None,
        **{f"guideline_{level}": getattr(rec.guideline, level) if rec.guideline else None
           for level in GUIDELINE_LEVELS},
    }


def _set_areas(session: Session, commitment_id: str, areas: list[str]) -> None:
    current = {t.area_id: t for t in session.scalars(sa.select(AreaTag).where(
        AreaTag.subject_kind == "commitment", AreaTag.subject_id == commitment_id))}
    for area, tag in current.items():
        live_now = area in areas
        if live_now and tag.deleted_at is not None:
            tag.deleted_at = tag.deleted_by = None
        elif not live_now and tag.deleted_at is None:
            tag.deleted_at, tag.deleted_by = dt.datetime.now(dt.UTC), "workspace"
        tag.origin = Origin.WORKSPACE
    for area in areas:
        if area not in current:
            session.add(AreaTag(id=f"commitment:{commitment_id}:{area}", area_id=area,
                                subject_kind="commitment", subject_id=commitment_id,
                                origin=Origin.WORKSPACE))


def _new_id(session: Session, party: str, year: int | None, description: str) -> str:
    words = "-".join(slug(description).split("-")[:5]) or "commitment"
    base = f"{party.lower()}-{year or 'undated'}-{words}"[:60].rstrip("-")
    taken = set(session.scalars(sa.select(Commitment.id).where(Commitment.id.like(f"{base}%"))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def register(session: Session, actor: Actor, document_id: str, party: str,
             terms: Terms) -> dict[str, Any]:
    """A commitment written in an adopted document (``terms.paragraph`` says where)."""
    doc: Document = live(session, Document, "document", document_id)
    _allowed(actor, "commitment.register", doc, f"a commitment of {document_id!r}")
    subject = f"commitment of {document_id}"
    if doc.status is not DocumentStatus.ADOPTED:
        raise Invalid([f"{subject}: document: only an adopted document's commitments are "
                       f"registered (it is {doc.status.value})"])
    if not _blank(terms.paragraph):
        raise Invalid([f"{subject}: paragraph: say where in the document it is written"])
    party_row = session.get(Party, party) if party else None
    if party_row is None or party_row.deleted_at is not None:
        raise Invalid([f"{subject}: party: no party {party!r} (looked in parties/)"])
    refs = checks.source_refs(actor, "registered")
    year = doc.date.year if doc.date else None
    commitment_id = _new_id(session, party, year, terms.description or "")
    subject = f"commitment {commitment_id}"
    rec = _validate(session, subject, _record_data(terms, {
        "id": commitment_id, "dialogue": doc.dialogue_id, "party": party,
        "made_at": doc.event_id, "document": document_id, "sources": refs}))
    row = Commitment(id=commitment_id, dialogue_id=doc.dialogue_id, party_id=party,
                     event_id=doc.event_id, document_id=document_id, origin=Origin.WORKSPACE,
                     **_columns(rec))
    checks.lengths(Commitment, subject, {k: getattr(row, k) for k in TEXT_COLUMNS})
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{commitment_id!r} was registered by someone else meanwhile", {}) from None
    _set_areas(session, commitment_id, list(rec.areas))
    checks.cite(session, "commitment", commitment_id, refs)
    session.flush()
    after = view(session, row)
    _audit(session, actor, "commitment.register", "commitment", row, None, after)
    return after


def update(session: Session, actor: Actor, commitment_id: str, version: int,
           changes: dict[str, Any]) -> dict[str, Any]:
    """Change some of a commitment's terms (``EDITABLE``); the rest stays as it was."""
    row: Commitment = live(session, Commitment, "commitment", commitment_id)
    _allowed(actor, "commitment.update", row, repr(commitment_id))
    _current(row, version)
    subject = f"commitment {commitment_id}"
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise Invalid([f"{subject}: {k}: cannot be edited here" for k in unknown])
    before = view(session, row)
    due = FuzzyDate.from_columns(row.due_date, row.due_precision)
    guideline = {level: getattr(row, f"guideline_{level}") for level in GUIDELINE_LEVELS}
    now = Terms(kind=row.kind, description=row.description, paragraph=row.paragraph,
                amount=row.amount, currency=row.currency, target_quantity=row.target_quantity,
                target_unit=row.target_unit, due=str(due) if due else None,
                areas=tuple(before["areas"]),
                guideline=guideline if any(guideline.values()) else None)
    merged = Terms(**(now.__dict__ | {k: (tuple(v) if k == "areas" else v)
                                      for k, v in changes.items()}))
    rec = _validate(session, subject, _record_data(merged, {
        "id": commitment_id, "dialogue": row.dialogue_id, "party": row.party_id,
        "sources": [{"source": checks.WORKSPACE_SOURCE}],
        "amount_usd": row.amount_usd, "usd_rate_source": row.usd_rate_source_id}))
    values = _columns(rec)
    checks.lengths(Commitment, subject, {k: values[k] for k in TEXT_COLUMNS})
    for column, value in values.items():
        setattr(row, column, value)
    if "areas" in changes:
        _set_areas(session, commitment_id, list(rec.areas))
    row.origin = Origin.WORKSPACE  # the loader will not overwrite it now
    _flush(session, row)
    after = view(session, row)
    _audit(session, actor, "commitment.update", "commitment", row, before, after)
    return after


# --- implementation records ----------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """What an implementation record says."""

    description: str
    date: str | None = None
    implementer: str | None = None
    amount: int | None = None
    currency: str | None = None
    quantity: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ForCommitment:
    """What a rule sees of an act on a commitment: the party that committed."""

    party_id: str
    id: str


def implementation_view(session: Session, row: ImplementationRecord) -> dict[str, Any]:
    return snapshot(row) | {"evidence": [snapshot(e) for e in
                                         ev.of(session, "implementation_record", row.id)]}


def _implementation_id(session: Session, commitment_id: str) -> str:
    base = f"{commitment_id}.progress"
    taken = session.scalars(sa.select(ImplementationRecord.id).where(
        ImplementationRecord.id.like(f"{base}.%")))
    n = 1 + max((int(i.rsplit(".", 1)[1]) for i in taken
                 if i.rsplit(".", 1)[1].isdigit()), default=0)
    return f"{base}.{n}"


def record_implementation(session: Session, actor: Actor, commitment_id: str,
                          progress: Progress, *, url: str | None = None,
                          upload: ev.Upload | None = None,
                          evidence_title: str | None = None) -> dict[str, Any]:
    """An implementation record of a commitment, with its evidence (a link, a file, or both)."""
    commitment: Commitment = live(session, Commitment, "commitment", commitment_id)
    _allowed(actor, "implementation.record", ForCommitment(commitment.party_id, commitment_id),
             f"an implementation record of {commitment_id!r}")
    record_id = _implementation_id(session, commitment_id)
    subject = f"implementation {record_id}"
    refs = checks.source_refs(actor, "recorded")
    rec = checks.record(r.ImplementationRecordIn, subject, {k: v for k, v in {
        "id": record_id, "dialogue": commitment.dialogue_id, "commitment": commitment_id,
        "date": _blank(progress.date), "description": _blank(progress.description),
        "implementer": _blank(progress.implementer), "amount": progress.amount,
        "currency": (_blank(progress.currency) or None) and str(progress.currency).upper(),
        "quantity": progress.quantity, "unit": _blank(progress.unit), "sources": refs,
    }.items() if v is not None})
    if not _currency(rec.currency):
        raise Invalid([f"{subject}: currency: {rec.currency!r} is not an ISO 4217 code"])
    row = ImplementationRecord(
        id=record_id, dialogue_id=commitment.dialogue_id, commitment_id=commitment_id,
        date=rec.date.date if rec.date else None,
        date_precision=rec.date.precision.value if rec.date else None,
        description=rec.description, implementer=rec.implementer, amount=rec.amount,
        currency=rec.currency, quantity=rec.quantity, unit=rec.unit, origin=Origin.WORKSPACE)
    checks.lengths(ImplementationRecord, subject, {
        k: getattr(row, k) for k in ("description", "implementer", "unit", "currency")})
    session.add(row)
    session.flush()
    # A link and a file are two pieces of evidence (each row is one or the other).
    if url:
        ev.attach(session, actor, "implementation_record", record_id, url=url,
                  title=evidence_title, date=progress.date, prefix="evidence_")
    if upload is not None:
        ev.attach(session, actor, "implementation_record", record_id, upload=upload,
                  title=evidence_title, date=progress.date, prefix="evidence_")
    checks.cite(session, "implementation_record", record_id, refs)
    session.flush()
    after = implementation_view(session, row)
    _audit(session, actor, "implementation.record", "implementation_record", row, None, after)
    return after


def add_evidence(session: Session, actor: Actor, record_id: str, version: int, *,
                 url: str | None = None, upload: ev.Upload | None = None,
                 title: str | None = None, date: str | None = None) -> dict[str, Any]:
    """More evidence for an implementation record (a link or a file)."""
    row: ImplementationRecord = live(session, ImplementationRecord, "implementation record",
                                     record_id)
    party = session.scalar(sa.select(Commitment.party_id).where(
        Commitment.id == row.commitment_id)) if row.commitment_id else None
    _allowed(actor, "evidence.add", ForCommitment(party or "", record_id),
             f"evidence for {record_id!r}")
    _current(row, version)
    if not (url or upload):
        raise Invalid([f"implementation {record_id}: evidence: give a url or a file"])
    before = implementation_view(session, row)
    ev.attach(session, actor, "implementation_record", record_id, url=url, upload=upload,
              title=title, date=date)
    row.origin = Origin.WORKSPACE
    flag_modified(row, "description")  # moves the record's version: evidence is a change of it
    _flush(session, row)
    after = implementation_view(session, row)
    _audit(session, actor, "evidence.add", "implementation_record", row, before, after)
    return after
