"""Serving an evidence file: only what is public (evidence of an implementation record or a
score; of a report's entry once the report is submitted), with the type cajd read from the
file's bytes, never the uploader's; ``nosniff`` and a sandboxing CSP, and anything but a PDF or
an image as a download, so an uploaded file can never run as a page of the site."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from cajd.model import Evidence, RoundEntry, RoundReport
from cajd.read.queries import NotFound
from cajd.vocab import ReportState
from cajd.workflow.evidence import INLINE, stored_path

router = APIRouter(include_in_schema=False)


def _public(db: Session, row: Evidence) -> bool:
    if row.deleted_at is not None or row.sha256 is None:
        return False
    if row.subject_kind != "round_entry":
        return True
    entry = db.get(RoundEntry, row.subject_id)
    report = db.get(RoundReport, entry.report_id) if entry else None
    return report is not None and report.state is ReportState.SUBMITTED


@router.get("/evidence/{evidence_id}", name="evidence_file")
def evidence_file(request: Request,
                  evidence_id: Annotated[str, Path(max_length=200)]) -> FileResponse:
    with Session(request.app.state.engine) as db:
        row = db.get(Evidence, evidence_id)
        if row is None or not _public(db, row):
            raise NotFound("evidence", evidence_id)
        path, kind, name = stored_path(row.sha256 or ""), row.content_type, row.file_name
    if not path.is_file():
        raise NotFound("evidence file", evidence_id)
    disposition = "inline" if kind in INLINE else "attachment"
    return FileResponse(path, media_type=kind, filename=name, content_disposition_type=disposition,
                        headers={"X-Content-Type-Options": "nosniff",
                                 "Content-Security-Policy": "sandbox; default-src 'none'",
                                 "Cache-Control": "public, max-age=3600"})
