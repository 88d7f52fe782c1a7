"""The text analysis form in Chromium, with and without JavaScript, and the analyses' wide tables
on a 360 px screen: they scroll in their own box, the page never does."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cajd.analysis.runner import ANALYSES
from cajd.web.i18n import LANGUAGES
from tests.browser.support import BLOCKING, axe_violations, describe, shoot

pytestmark = pytest.mark.browser

SAMPLE = {
    "en": "The Central Asia plus Japan Dialogue.\nJapan welcomed the Kyrgyz Republic and JICA.",
    "ja": "「中央アジア＋日本」対話。\n日本はキルギス共和国とJICAを歓迎した。",
    "ru": "Диалог «Центральная Азия + Япония».\nЯпония приветствовала Кыргызскую Республику.",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_text_form_answers(page: Page, lang: str) -> None:
    response = page.goto(f"/{lang}/analysis/text")
    assert response is not None and response.status == 200
    page.fill("#text-input", SAMPLE[lang])
    page.select_option("#text-lang", "auto")
    page.locator("form.text-analysis button[type=submit]").click()
    result = page.locator("#text-result")
    expect(result).to_be_visible()
    counts = result.locator("table.counts tbody tr")
    actors = {counts.nth(i).locator("td").first.inner_text() for i in range(counts.count())}
    assert {"caj", "JP", "KG"} <= actors, actors
    # the Dialogue's name is caj only: Japan is counted once, in the second line
    row = result.locator("table.counts tbody tr", has=page.locator("code", has_text="JP"))
    assert row.locator("td").nth(1).inner_text() == "1"
    expect(result.locator("table.kwic tbody tr").first).to_contain_text("1")
    expect(page.locator("#text-input")).to_have_value(SAMPLE[lang].replace("\r", ""))
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, "axe-core found:\n" + describe(blocking)
    shoot(page, f"analysis-text-{lang}")


def test_the_text_form_works_without_javascript(page_without_js: Page) -> None:
    page_without_js.goto("/ru/analysis/text")
    page_without_js.fill("#text-input", "")
    page_without_js.locator("#text-input").evaluate("e => e.removeAttribute('required')")
    page_without_js.locator("form.text-analysis button[type=submit]").click()
    error = page_without_js.locator("#err-text")
    expect(error).to_have_text("Вставьте текст для анализа.")
    page_without_js.fill("#text-input", SAMPLE["ru"])
    page_without_js.locator("form.text-analysis button[type=submit]").click()
    expect(page_without_js.locator("#text-result table.counts")).to_be_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(ANALYSES))
def test_wide_tables_scroll_in_their_box_at_360(page: Page, name: str, lang: str) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"/{lang}/analysis/{name}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width} px"
    box = page.locator("div.scroll:has(table.data)")
    expect(box).to_be_visible()
    scrolls = box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert scrolls, "a data table this wide should scroll inside its box at 360 px"
    if name in ("participation", "agenda"):
        shoot(page, f"analysis-{name}-{lang}", widths=(360,), full_page=False)
