"""Evidence: a link, or a file kept in the evidence folder, attached to an implementation
record, a report's entry or a score.

A file is checked before anything is written: at most ``CAJD_EVIDENCE_MAX_BYTES``, and of a
type read from its first bytes (PDF, PNG, JPEG, or UTF-8 text and CSV), never from the name or
the type the browser claims; a claimed type that disagrees is refused. It is stored under its
SHA-256 (written to a temporary name, then renamed), so a file is kept once, an upload cannot
overwrite another, and the stored name says nothing the uploader chose. A file stored for a
write that then fails stays, unreferenced and harmless; the row is what makes it evidence.

The caller's service checks the permission (``rules.can``) for the row the evidence supports;
this module validates with the dataset's own record (``EvidenceRecord``) and writes the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.dataset import records as r
from cajd.dataset.monitoring import evidence_id
from cajd.model import Evidence
from cajd.settings import get_settings
from cajd.vocab import Origin
from cajd.workflow import checks
from cajd.workflow.errors import Invalid
from cajd.workflow.rules import Actor

# What a stored file may be, by its first bytes; text is anything that decodes as UTF-8.
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png",
              b"\xff\xd8\xff": "image/jpeg"}
TEXT_TYPES = ("text/plain", "text/csv")
ACCEPTED = (*SIGNATURES.values(), *TEXT_TYPES)
# Served inline (a browser shows them safely); anything else is a download.
INLINE = frozenset({"application/pdf", "image/png", "image/jpeg"})


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str | None
    data: bytes


def sniff(data: bytes, claimed: str | None) -> str | None:
    """The file's type from its bytes (the claim picks between plain text and CSV only)."""
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            return kind
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/csv" if (claimed or "").split(";")[0].strip() == "text/csv" else "text/plain"


def check_upload(upload: Upload, subject: str, field: str = "file") -> str:
    """The upload's type, or ``Invalid`` naming ``field``."""
    limit = get_settings().evidence_max_bytes
    if not upload.data:
        raise Invalid([f"{subject}: {field}: the file is empty"])
    if len(upload.data) > limit:
        raise Invalid([f"{subject}: {field}: at most {limit:,} bytes "
                       f"(this file has {len(upload.data):,})"])
    kind = sniff(upload.data, upload.content_type)
    if kind is None:
        raise Invalid([f"{subject}: {field}: not an accepted type "
                       f"(accepted: {', '.join(ACCEPTED)})"])
    claimed = (upload.content_type or "").split(";")[0].strip().lower()
    if claimed and claimed != "application/octet-stream" and claimed != kind and not (
            claimed in TEXT_TYPES and kind in TEXT_TYPES):
        raise Invalid([f"{subject}: {field}: the file is {kind}, not {claimed} as sent"])
    return kind


def stored_path(sha256: str) -> Path:
    return get_settings().evidence_folder() / sha256[:2] / sha256


def store(data: bytes) -> str:
    """Keep ``data`` in the evidence folder under its SHA-256; returns the digest."""
    digest = hashlib.sha256(data).hexdigest()
    target = stored_path(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def _next_number(session: Session, kind: str, subject_id: str) -> int:
    taken = session.scalars(sa.select(Evidence.id).where(
        Evidence.subject_kind == kind, Evidence.subject_id == subject_id))
    return 1 + max((int(i.rsplit(".", 1)[1]) for i in taken), default=0)


def attach(session: Session, actor: Actor, kind: str, subject_id: str, *,
           url: str | None = None, upload: Upload | None = None, title: str | None = None,
           date: str | None = None, prefix: str = "") -> Evidence:
    """Write one evidence row for ``kind``/``subject_id`` (its permission already checked);
    messages name the fields as ``prefix`` + ``url``, ``title``, ``file`` (the caller's form)."""
    subject = f"{kind} {subject_id}"
    url = (url or "").strip() or None
    if url is not None and not url.lower().startswith(("https://", "http://")):
        raise Invalid([f"{subject}: {prefix}url: an http(s) address, not {url[:40]!r}"])
    title = (title or "").strip() or None
    checks.lengths(Evidence, subject, {"title": title, "url": url}, prefix=prefix)
    stored: dict[str, Any] = {}
    if upload is not None:
        kind_of_file = check_upload(upload, subject, f"{prefix}file")
        name = Path(upload.name or "evidence").name[:200] or "evidence"
        stored = {"file": name, "type": kind_of_file, "size": len(upload.data),
                  "sha256": hashlib.sha256(upload.data).hexdigest()}
    now = dt.datetime.now(dt.UTC)
    rec = checks.record(r.EvidenceRecord, f"{subject}: evidence", {
        "title": title, "url": url, **stored,
        "date": (date or "").strip() or None, "by": actor.name, "at": now})
    row = Evidence(
        id=evidence_id(subject_id, _next_number(session, kind, subject_id)), subject_kind=kind,
        subject_id=subject_id, title=rec.title, url=rec.url, file_name=rec.file,
        content_type=rec.type, size=rec.size, sha256=rec.sha256,
        date=rec.date.date if rec.date else None,
        date_precision=rec.date.precision.value if rec.date else None,
        added_by=actor.name, added_at=now, origin=Origin.WORKSPACE)
    if upload is not None:
        store(upload.data)
    session.add(row)
    session.flush()
    return row


def of(session: Session, kind: str, subject_id: str) -> list[Evidence]:
    found = session.scalars(sa.select(Evidence).where(
        Evidence.subject_kind == kind, Evidence.subject_id == subject_id,
        Evidence.deleted_at.is_(None)))
    return sorted(found, key=lambda e: int(e.id.rsplit(".", 1)[1]))
