"""The public compliance dashboard (``/{lang}/compliance``), its JSON twin and the two tables
researchers take away (``/api/v1/compliance/assessments.csv``, ``…/by-member.csv``).

Everything comes from ``cajd.read.compliance`` and ``cajd.export.compliance``: the page shows
the same averages, n and formula as the JSON, and its figure's data is one of the CSVs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from cajd.export import compliance as tables
from cajd.read import compliance
from cajd.web import figures
from cajd.web.api import Db, _html, _json
from cajd.web.envelope import ERROR_RESPONSES, Envelope, Meta
from cajd.web.pages import Lang, page

api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["monitoring"])
page_router = APIRouter(include_in_schema=False)

StageQuery = Annotated[compliance.StageView, Query(
    description="latest (each cell's final score where given, else its interim one), interim "
                "or final")]
CSV = {"content": {"text/csv": {"schema": {"type": "string"}}}}


def _query(stage: compliance.StageView) -> str:
    return "" if stage == "latest" else f"?stage={stage}"


@api_router.get("/compliance", operation_id="getCompliance",
                summary="Compliance averages by party, commitment, area and year, with n and the "
                        "formula, the interim → final changes and every scored cell",
                response_model=Envelope[compliance.ComplianceView])
def get_compliance(db: Db, stage: StageQuery = "latest") -> Response:
    return _json(Envelope(data=compliance.dashboard(db, stage),
                          meta=Meta(html=_html("compliance") + _query(stage))))


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@api_router.get("/compliance/assessments.csv", operation_id="downloadComplianceAssessments",
                summary="Every assessment revision, one row each (tidy CSV)",
                response_class=Response, responses={200: CSV})
def assessments_csv(db: Db) -> Response:
    return _csv(tables.csv_text(tables.tidy(db), tables.TIDY_COLUMNS),
                "cajd-compliance-assessments.csv")


@api_router.get("/compliance/by-member.csv", operation_id="downloadComplianceByMember",
                summary="One row per commitment, period and stage, one column per member "
                        "(the wide shape of G7 compliance datasets)",
                response_class=Response, responses={200: CSV})
def by_member_csv(db: Db, stage: StageQuery = "latest") -> Response:
    return _csv(tables.csv_text(tables.wide(db, stage), tables.wide_columns(db)),
                f"cajd-compliance-by-member-{stage}.csv")


@page_router.get("/{lang}/compliance", response_class=HTMLResponse)
def dashboard(request: Request, lang: Lang, db: Db,
              stage: StageQuery = "latest") -> HTMLResponse:
    return page(request, lang, "compliance.html", "/api/v1/compliance" + _query(stage),
                result=compliance.dashboard(db, stage), names=compliance.names(db),
                stage=stage, stages=compliance.STAGE_VIEWS, query=_query(stage),
                figure=figures.embed(db, lang, "compliance", {"stage": stage}))
