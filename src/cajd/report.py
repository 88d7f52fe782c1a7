"""``cajd report``: every analysis in one self-contained, dated document -- HTML with its figures
as inline SVG, or PDF through WeasyPrint -- in English, Japanese or Russian."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy.orm import Session

from cajd.analysis import paper, runner
from cajd.model import Event, LoadRun, Source


@dataclass(frozen=True)
class Section:
    name: str
    figure: dict[str, Any]
    result: BaseModel
    table: Any  # analysis_labels.Table
    findings: list[Any]  # analysis_labels.ShownFinding


def sections(db: Session, lang: str, step: Callable[[str], None] = lambda _name: None
             ) -> list[Section]:
    from cajd.web import analysis_figures, analysis_labels, figures

    built = []
    for name in runner.ANALYSES:
        step(name)
        result = runner.run(db, name)
        figure = analysis_figures.figure(result, lang)
        shown = {"title": figure.title, "description": figure.description,
                 "svg": Markup(figures.svg(figure))}
        built.append(Section(name, shown, result, analysis_labels.table(result, lang),
                             analysis_labels.findings(paper.findings(result), lang)))
    return built


def render_html(db: Session, lang: str, step: Callable[[str], None] = lambda _name: None) -> str:
    from cajd.web.templating import render

    parts = sections(db, lang, step)
    step("page")
    record = {
        "meetings": db.scalar(sa.select(sa.func.count()).select_from(Event)),
        "sources": db.scalar(sa.select(sa.func.count()).select_from(Source)),
        "run": db.scalar(sa.select(sa.func.max(LoadRun.id))),
    }
    return render(lang, "report.html", request_path="", api=None, sections=parts,
                  findings=[f for s in parts for f in s.findings], record=record,
                  today=dt.date.today().isoformat())


def write(db: Session, output: Path, lang: str,
          step: Callable[[str], None] = lambda _name: None) -> None:
    """Write the report; the format follows the file's suffix (.html or .pdf)."""
    html = render_html(db, lang, step)
    if output.suffix.lower() == ".pdf":
        step("pdf")
        from weasyprint import HTML

        HTML(string=html).write_pdf(output)
    else:
        output.write_text(html, encoding="utf-8")
