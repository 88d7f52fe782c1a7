"""`cajd report`: a self-contained HTML report on both databases, and a PDF that opens and whose
pages render (pdftoppm)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import Engine
from typer.testing import CliRunner

from cajd.analysis.runner import ANALYSES
from cajd.cli import app


def test_html_report_is_self_contained(loaded_engine: Engine, cli_env: dict[str, str],
                                       runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "-o", str(out)], env=cli_env)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") >= len(ANALYSES)
    for name in ANALYSES:
        assert f'<h2 id="{name}">' in html
    assert 'id="finding-first-all-at-minister-rank"' in html
    # nothing fetched from elsewhere: no scripts, stylesheets or remote images
    assert not re.search(r"<script|<link|<img|src=\"https?:", html)


def test_report_in_russian_and_bad_options(loaded_engine: Engine, cli_env: dict[str, str],
                                           runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", "-o", str(out), "--lang", "ru"],
                         env=cli_env).exit_code == 0
    assert "Диалог «Центральная Азия + Япония» по данным записи" in out.read_text("utf-8")
    assert runner.invoke(app, ["report", "-o", str(out), "--lang", "fr"],
                         env=cli_env).exit_code == 2
    assert runner.invoke(app, ["report", "-o", str(tmp_path / "r.txt")],
                         env=cli_env).exit_code == 2


def test_pdf_report_opens_and_its_pages_render(runner: CliRunner, tmp_path: Path) -> None:
    env = {"CAJD_DATABASE_URL": "", "CAJD_DATA_HOME": str(tmp_path / "home")}  # embedded store
    pdf = tmp_path / "r.pdf"
    result = runner.invoke(app, ["report", "-o", str(pdf), "--lang", "ja"], env=env)
    assert result.exit_code == 0, result.output
    pages = PdfReader(pdf).pages
    assert len(pages) >= len(ANALYSES) + 1
    assert "記録から見る" in pages[0].extract_text()  # the Japanese title, as text, not boxes
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(pdf),
                    str(tmp_path / "page")], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == 3 and all(p.stat().st_size > 2000 for p in rendered)


def test_report_tables_and_findings_are_in_its_language(loaded_engine: Engine,
                                                         cli_env: dict[str, str],
                                                         runner: CliRunner,
                                                         tmp_path: Path) -> None:
    from cajd.web.i18n import translations

    for lang in ("ja", "ru"):
        out = tmp_path / f"r-{lang}.html"
        assert runner.invoke(app, ["report", "-o", str(out), "--lang", lang],
                             env=cli_env).exit_code == 0
        html = out.read_text("utf-8")
        _ = translations(lang).gettext
        for heading in ("Below nominal rank", "Days since the previous meeting", "Pillar"):
            assert f"<th scope=\"col\">{_(heading)}</th>" in html, (lang, heading)
        assert "below_nominal" not in html and "days_since_previous" not in html
        assert _("The 5th FMM (2014) adopted the Dialogue's first roadmap, on "
                 "agriculture.") in html
        assert "The 5th FMM (2014)" not in html  # no English finding left
