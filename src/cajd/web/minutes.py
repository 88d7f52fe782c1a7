"""A meeting's minutes as a page (``/{lang}/meetings/{id}/minutes``), as PDF (WeasyPrint, the
same template in a print layout) and as JSON (``/api/v1/events/{id}/minutes``): one read
(``cajd.read.minutes``), three forms."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from cajd.read.minutes import Minutes, minutes
from cajd.read.queries import body
from cajd.web.actor import read_actor
from cajd.web.api import Db, _json
from cajd.web.envelope import ERROR_RESPONSES, Envelope, Meta
from cajd.web.pages import Lang, page
from cajd.web.templating import render

router = APIRouter(include_in_schema=False)  # pages, not API operations
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES,
                       dependencies=[Depends(read_actor)])


@router.get("/{lang}/meetings/{event_id}/minutes", response_class=HTMLResponse)
def minutes_page(request: Request, lang: Lang, db: Db, event_id: str) -> HTMLResponse:
    found = minutes(db, event_id)
    return page(request, lang, "minutes.html", f"/api/v1/events/{event_id}/minutes",
                m=found, body=body(db, found.meeting.body))


@router.get("/{lang}/meetings/{event_id}/minutes.pdf", response_class=Response)
def minutes_pdf(lang: Lang, db: Db, event_id: str) -> Response:
    from weasyprint import HTML  # loaded on first use: it is slow to import

    found = minutes(db, event_id)
    html = render(lang, "minutes_print.html", request_path="", api=None, m=found,
                  body=body(db, found.meeting.body))
    pdf = HTML(string=html).write_pdf()
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{event_id}-minutes-{lang}.pdf"'})


@api_router.get("/events/{event_id}/minutes", tags=["meetings"], operation_id="getMinutes",
                name="get_minutes", response_model=Envelope[Minutes],
                summary="A meeting's minutes, generated from the record: delegations and ranks, "
                        "agenda, documents adopted (with reservations) and pledges made")
def get_minutes(db: Db, event_id: str) -> Response:
    return _json(Envelope(data=minutes(db, event_id),
                          meta=Meta(html=f"/en/meetings/{event_id}/minutes")))
