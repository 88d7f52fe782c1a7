"""National reporting rounds for readers (issue 11): the list of rounds (``/{lang}/rounds``), a
round's summary, one row per party and one cell per item (``/{lang}/rounds/{id}``), and its CSV
(``/{lang}/rounds/{id}/summary.csv``) and PDF (``…/summary.pdf``, WeasyPrint, the page's
table in a print layout). Thin over ``cajd.read.rounds``.

The page shows a draft's content only to the party's own focal points; the CSV and the PDF are
the public view always (submitted entries), whoever downloads them, so a file passed on leaks no
draft.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cajd.export.compliance import csv_text
from cajd.read import rounds
from cajd.web.actor import page_actor
from cajd.web.pages import Db, Lang, page
from cajd.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/rounds", response_class=HTMLResponse)
def round_list(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    return page(request, lang, "rounds.html", None, rounds=rounds.round_list(db))


@router.get("/{lang}/rounds/{round_id}/summary.csv", response_class=Response)
def round_csv(lang: Lang, db: Db, round_id: str) -> Response:
    found = rounds.summary(db, round_id, None)
    return Response(csv_text(rounds.csv_rows(found), rounds.CSV_COLUMNS),
                    media_type="text/csv; charset=utf-8", headers={
                        "content-disposition": f'attachment; filename="{round_id}.csv"'})


@router.get("/{lang}/rounds/{round_id}/summary.pdf", response_class=Response)
def round_pdf(lang: Lang, db: Db, round_id: str) -> Response:
    from weasyprint import HTML  # loaded on first use: it is slow to import

    found = rounds.summary(db, round_id, None)  # the public view, as the CSV
    html = render(lang, "round_print.html", request_path="", api=None, r=found)
    return Response(HTML(string=html).write_pdf(), media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="{round_id}-{lang}.pdf"'})


@router.get("/{lang}/rounds/{round_id}", response_class=HTMLResponse)
def round_page(request: Request, lang: Lang, db: Db, round_id: str) -> HTMLResponse:
    viewer = page_actor(request)
    found = rounds.summary(db, round_id, viewer)
    response = page(request, lang, "round.html", None, r=found)
    if viewer is not None:  # a focal point's page may hold its draft: kept by no cache
        response.headers["cache-control"] = "no-store"
    return response
