"""The analyses' pages: ``/{lang}/analysis`` (each analysis and the paper's findings against the
record) and ``/{lang}/analysis/NAME`` (its figure, the paper's statements it answers, its table),
each with its JSON twin under ``/api/v1/analysis``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy.orm import Session

from cajd.analysis import paper, runner
from cajd.web import analysis_figures, analysis_labels, figures
from cajd.web.pages import Db, Lang, page

router = APIRouter(include_in_schema=False)
BodyQuery = Annotated[str, Query(max_length=120)]
NAMES = list(runner.ANALYSES)


def _result(db: Session, name: str, body: str) -> BaseModel:
    if name not in runner.ANALYSES:
        raise HTTPException(404, f"no analysis named {name!r}")
    return runner.run(db, name, runner.Params(body=body))


def embed(result: BaseModel, lang: str, name: str, body: str) -> dict[str, Any]:
    """What a page (or the report) needs to show an analysis' figure."""
    figure = analysis_figures.figure(result, lang)
    query = f"?{urlencode({'body': body})}" if body != "caj-fmm" else ""
    link = f"/{lang}/analysis/{name}/figure.{{}}{query}"
    return {"name": name, "title": figure.title, "description": figure.description,
            "svg": Markup(figures.svg(figure).replace("<svg ", '<svg aria-hidden="true" ', 1)),
            "spec": link.format("vl.json"), "csv": link.format("csv"), "rows": len(figure.rows)}


@router.get("/{lang}/analysis", response_class=HTMLResponse)
def index(request: Request, lang: Lang, db: Db) -> HTMLResponse:
    found = [f for name in ("participation", "cadence", "documents")
             for f in paper.findings(runner.run(db, name))]
    return page(request, lang, "analysis_index.html", "/api/v1/analysis/findings",
                names=NAMES, findings=analysis_labels.findings(found, lang))


@router.get("/{lang}/analysis/{name}", response_class=HTMLResponse)
def analysis(request: Request, lang: Lang, db: Db, name: str,
             body: BodyQuery = "caj-fmm") -> HTMLResponse:
    result = _result(db, name, body)
    query = f"?{urlencode({'body': body})}" if body != "caj-fmm" else ""
    return page(request, lang, "analysis.html", f"/api/v1/analysis/{name}{query}",
                name=name, body=body, names=NAMES, result=result,
                table=analysis_labels.table(result, lang),
                findings=analysis_labels.findings(paper.findings(result), lang),
                figure=embed(result, lang, name, body))


@router.get("/{lang}/analysis/{name}/figure.{ext}")
def figure_file(lang: Lang, db: Db, name: str, ext: str,
                body: BodyQuery = "caj-fmm") -> Response:
    import json

    result = _result(db, name, body)
    built = analysis_figures.figure(result, lang)
    if ext == "csv":
        return Response(figures.csv_text(built.rows), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'inline; filename="{name}.csv"'})
    if ext == "vl.json":
        return Response(json.dumps(built.spec), media_type="application/json")
    if ext == "svg":
        return Response(figures.svg(built), media_type="image/svg+xml")
    raise HTTPException(404, f"no .{ext} form of a figure")
