"""The analysis pages in Chromium against a real ``cajd serve``: each renders its figure with
JavaScript (vega-embed redraws it) and without (the server's SVG), in English, Japanese and
Russian, and none has a serious axe-core violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cajd.analysis.runner import ANALYSES
from cajd.web.i18n import LANGUAGES
from tests.browser.support import BLOCKING, axe_violations, describe
from tests.browser.test_portal import screenshot

pytestmark = pytest.mark.browser

NAMES = list(ANALYSES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_analysis_figure_becomes_interactive_with_javascript(page: Page, name: str,
                                                             lang: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(f"/{lang}/analysis/{name}")
    assert response is not None and response.status == 200
    figure = page.locator(f"figure#figure-{name}")
    expect(figure).to_have_class(re.compile(r"\binteractive\b"), timeout=20_000)
    expect(figure.locator(".vega-target svg").first).to_be_visible()
    label = figure.locator(".vega-target").get_attribute("aria-label") or ""
    assert label and label in figure.locator("figcaption").inner_text()
    box = figure.locator(".vega-target").bounding_box()
    assert box and box["width"] > 150 and box["height"] > 50, box
    assert errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_analysis_figure_is_server_svg_without_javascript(page_without_js: Page, name: str,
                                                          lang: str) -> None:
    page_without_js.goto(f"/{lang}/analysis/{name}")
    figure = page_without_js.locator(f"figure#figure-{name}")
    expect(figure.locator("div.svg[role=img] svg")).to_be_visible()
    expect(figure).not_to_have_class(re.compile(r"\binteractive\b"))
    box = figure.locator("div.svg svg").bounding_box()
    assert box and box["width"] > 150 and box["height"] > 50, box
    nav = page_without_js.locator("nav.main a[aria-current=page]")
    expect(nav).to_have_attribute("href", f"/{lang}/analysis")  # in the navigation, marked


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["analysis", "analysis/participation"])
def test_analysis_pages_have_no_serious_accessibility_violation(page: Page, path: str,
                                                                lang: str) -> None:
    page.goto(f"/{lang}/{path}")
    page.wait_for_load_state("networkidle")
    if page.locator("figure.chart").count():
        expect(page.locator("figure.chart").first).to_have_class(
            re.compile(r"\binteractive\b"), timeout=20_000)
    screenshot(page, lang, path.replace("/", "-"))
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, "axe-core found:\n" + describe(blocking)
