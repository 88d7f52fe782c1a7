"""National reporting rounds for readers (issue 11): the list of rounds (``/{lang}/rounds``), a
round's summary, one row per party and one cell per item (``/{lang}/rounds/{id}``), and its CSV
(``/{lang}/rounds/{id}/summary.csv``) and PDF (``…/summary.pdf``, WeasyPrint, the page's
table in a print layout); and the pages' JSON twins (``/api/v1/rounds``, ``/api/v1/rounds/{id}``,
which the static copy of the site carries too). Thin over ``cajd.read.rounds``.

The page shows a draft's content only to the party's own focal points; the CSV, the PDF and the
JSON are the public view always (submitted entries), whoever asks, so nothing passed on or kept
in a cache leaks a draft.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cajd.export.compliance import csv_text
from cajd.read import rounds
from cajd.web.actor import page_actor
from cajd.web.api import DEFAULT_LIMIT, Limit, Offset, _html, _json, _meta
from cajd.web.envelope import ERROR_RESPONSES, Envelope, Meta
from cajd.web.pages import Db, Lang, page
from cajd.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["monitoring"])


@api_router.get("/rounds", operation_id="listRounds",
                summary="National reporting rounds, latest deadline first, with how many member "
                        "parties have submitted",
                response_model=Envelope[list[rounds.RoundBrief]])
def list_rounds(db: Db, request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                ) -> Response:
    found = rounds.round_list(db, limit=limit, offset=offset)
    return _json(Envelope(data=found.items, meta=_meta(request, found, _html("rounds"))))


@api_router.get("/rounds/{round_id}", operation_id="getRound",
                summary="One round: its items, and per party its standing (late or not) and "
                        "what its latest submitted report says of each item (drafts never)",
                response_model=Envelope[rounds.RoundSummary])
def get_round(db: Db, round_id: str) -> Response:
    return _json(Envelope(data=rounds.summary(db, round_id, None),
                          meta=Meta(html=_html(f"rounds/{round_id}"))))


@router.get("/{lang}/rounds", response_class=HTMLResponse)
def round_list(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    return page(request, lang, "rounds.html", "/api/v1/rounds",
                rounds=rounds.round_list(db).items)


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
    response = page(request, lang, "round.html", f"/api/v1/rounds/{round_id}", r=found)
    if viewer is not None:  # a focal point's page may hold its draft: kept by no cache
        response.headers["cache-control"] = "no-store"
    return response
