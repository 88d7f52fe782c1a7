"""Pages that explain the record to its readers (issue 13): what it lacks (``coverage``), where
its sources disagree (``disagreements``). Thin over ``cajd.read``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from cajd.read import coverage as read_coverage
from cajd.read import queries as q
from cajd.read.subjects import subjects
from cajd.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/coverage", response_class=HTMLResponse)
def coverage(request: Request, lang: pages.Lang, db: pages.Db) -> HTMLResponse:
    return pages.page(request, lang, "coverage.html", "/api/v1/bodies",
                      bodies=read_coverage.coverage(db))


@router.get("/{lang}/disagreements", response_class=HTMLResponse)
def disagreements(request: Request, lang: pages.Lang, db: pages.Db) -> HTMLResponse:
    found = q.all_conflicts(db).items
    return pages.page(request, lang, "disagreements.html", "/api/v1/conflicts?limit=500",
                      conflicts=found,
                      subjects=subjects(db, [(c.subject_kind, c.subject_id) for c in found]))
