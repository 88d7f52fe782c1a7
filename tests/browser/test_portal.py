"""The portal in a real browser: Chromium driven by Playwright against a real ``cajd serve``.

The server runs as a subprocess on a free port with its own data home, so it builds and loads its
own embedded SQLite store exactly as a first-time user's would. Every main page, in English,
Japanese and Russian, is checked with axe-core and saved as a full-page screenshot under
test-artifacts/screenshots/ for a human to look at.

Nothing here is skipped: without Chromium these tests fail and say how to install it.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from cajd.web.i18n import LANGUAGES, translations
from tests.browser.support import BLOCKING, SCREENSHOTS, axe_violations, describe

pytestmark = pytest.mark.browser


# The portal's main pages; {meeting}, {party} and {source} are filled in from the running server.
PAGES = {
    "home": "", "timeline": "timeline", "structure": "structure", "meetings": "meetings",
    "meeting": "meetings/{meeting}", "parties": "parties", "party": "parties/{party}",
    "people": "people", "documents": "documents", "commitments": "commitments",
    "sources": "sources", "source": "sources/{source}",
}
FIGURE_PAGES = ["timeline", "structure", "parties", "commitments"]


# --- the record the pages are filled from ----------------------------------------------------


@pytest.fixture(scope="package")
def record(server: str) -> dict[str, str]:
    """Ids of one meeting (with delegations and cited sources), one party and one source."""
    def get(path: str) -> Any:
        response = httpx.get(server + path, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()["data"]

    meetings = get("/api/v1/events?body=caj-fmm&limit=500")
    meeting = next(
        e for e in (get(f"/api/v1/events/{m['id']}") for m in meetings)
        if e["delegation_list"] and e["sources"] and e["documents"]
    )
    party = next(p for p in get("/api/v1/parties") if p["participations"])
    return {"meeting": meeting["id"], "party": party["id"],
            "source": meeting["sources"][0]["source"]}


def path_of(name: str, lang: str, record: dict[str, str]) -> str:
    return f"/{lang}/" + PAGES[name].format(**record)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def screenshot(page: Page, lang: str, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-{name}.png"), full_page=True)


# --- a visitor's journey -----------------------------------------------------------------------


def test_journey_home_timeline_meeting_source_and_languages(
    page: Page, record: dict[str, str]
) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Central Asia plus Japan Dialogue")

    page.locator("nav.main").get_by_role("link", name="Timeline", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/timeline$"))
    expect(page.locator("h1")).to_have_text("Timeline")
    meeting_link = page.locator(f'table.list a[href="/en/meetings/{record["meeting"]}"]')
    expect(meeting_link).to_have_count(1)
    meeting_name = meeting_link.inner_text()
    meeting_link.click()

    expect(page).to_have_url(re.compile(f"/en/meetings/{record['meeting']}$"))
    expect(page.locator("h1")).to_have_text(meeting_name)
    expect(page.locator("nav.main a[aria-current=page]")).to_have_text("Meetings")
    # a citation's number opens the original (where the source has a URL); its entry in the
    # page's Sources list, under the same number, opens the source's page
    citation = page.locator("table.list a.cite").first
    number = citation.get_attribute("data-n")
    source_title = citation.get_attribute("title") or ""
    entry = page.locator(f"ol.source-list li#source-{number} a").first
    source_href = entry.get_attribute("href")
    assert source_href and source_href.startswith("/en/sources/")
    assert source_href == f"/en/sources/{citation.get_attribute('data-source')}"
    entry.click()

    expect(page).to_have_url(re.compile(re.escape(source_href) + "$"))
    title = page.locator("h1").inner_text()
    assert title and title in source_title, (title, source_title)

    for lang in ("ja", "ru"):
        page.locator("nav.languages").locator(f'a[lang="{lang}"]').click()
        expect(page).to_have_url(re.compile(re.escape(source_href.replace("/en/", f"/{lang}/"))
                                            + "$"))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("nav.languages a[aria-current=true]")).to_have_attribute("lang", lang)
        nav = page.locator("nav.main a")
        expect(nav.nth(1)).to_have_text(gettext(lang, "Timeline"))
        expect(nav.nth(4)).to_have_text(gettext(lang, "Parties"))
        expect(page.locator("a.skip")).to_have_text(gettext(lang, "Skip to content"))
        assert page.locator("h1").inner_text() == title, "a source's title is not translated"


def test_search_a_document(page: Page, server: str) -> None:
    documents = httpx.get(f"{server}/api/v1/documents").json()["data"]
    word, expected = "", []
    for doc in documents:
        for candidate in re.findall(r"[A-Za-z]{6,}", doc["title"]["en"]):
            found = httpx.get(f"{server}/api/v1/documents", params={"q": candidate}).json()
            if 0 < len(found["data"]) < len(documents):
                word, expected = candidate, [d["id"] for d in found["data"]]
                break
        if word:
            break
    assert word, "a title word that picks out some documents"

    page.goto("/en/documents")
    expect(page.locator("table.list tbody tr")).to_have_count(len(documents))
    page.get_by_label("Search titles and descriptions").fill(word)
    page.locator("form.filters").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/en/documents\?q=" + word + "$"))
    rows = page.locator("table.list tbody tr a")
    expect(rows).to_have_count(len(expected))
    assert [h.removeprefix("/en/documents/")
            for h in rows.evaluate_all("links => links.map(a => a.getAttribute('href'))")
            ] == expected
    expect(page.locator("p.count")).to_contain_text(word)
    expect(page.get_by_label("Search titles and descriptions")).to_have_value(word)


def test_search_in_japanese(page: Page, server: str) -> None:
    documents = httpx.get(f"{server}/api/v1/documents").json()["data"]
    doc = next(d for d in documents if d["title"]["ja"] and len(d["title"]["ja"]) >= 4)
    term = re.findall(r"[\u4e00-\u9fff]{3,}", doc["title"]["ja"])[0]
    page.goto("/ja/documents")
    page.locator("input#q").fill(term)
    page.locator("input#q").press("Enter")
    expect(page).to_have_url(re.compile(r"/ja/documents\?q="))
    expect(page.locator(f'table.list a[href="/ja/documents/{doc["id"]}"]')).to_have_count(1)


# --- keyboard ----------------------------------------------------------------------------------


def focused(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate("""() => {
        const el = document.activeElement;
        const box = el.getBoundingClientRect();
        return {tag: el.tagName, id: el.id, cls: el.className, text: el.textContent.trim(),
                inMainNav: !!el.closest('nav.main'), inLanguages: !!el.closest('nav.languages'),
                visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0};
    }""")
    return result


def test_tab_reaches_the_skip_link_first_then_the_main_navigation(page: Page) -> None:
    page.goto("/en/meetings")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip" and first["text"] == "Skip to content", first
    assert first["visible"], "the skip link shows itself when focused"
    path = [first]
    for _ in range(10):  # skip, brand, three languages, the search box and button, log in
        page.keyboard.press("Tab")
        path.append(focused(page))
        if path[-1]["inMainNav"]:
            break
    assert path[-1]["inMainNav"] and path[-1]["text"] == "Home", [p["text"] for p in path]
    assert any(p["inLanguages"] for p in path), "the language switcher comes before the sections"
    assert all(p["visible"] for p in path)
    # the skip link itself takes focus to the content
    page.keyboard.press("Shift+Tab")
    page.goto("/en/meetings")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    after = focused(page)
    assert not after["inMainNav"] and not after["inLanguages"], after


# --- figures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_figures_become_interactive_with_javascript(
    page: Page, record: dict[str, str], name: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path_of(name, "en", record))
    figure = page.locator("figure.chart").first
    expect(figure).to_have_class(re.compile(r"\binteractive\b"), timeout=20_000)
    expect(figure.locator(".vega-target svg").first).to_be_visible()
    expect(figure.locator("div.svg")).to_have_count(0)  # the server's SVG gave way
    # the page's own text alternative, not vega-embed's English "Vega visualization"
    target = figure.locator(".vega-target")
    expect(target).to_have_attribute("role", "img")
    caption = figure.locator("figcaption").inner_text()
    label = target.get_attribute("aria-label") or ""
    assert label and label != "Vega visualization" and label in caption, (label, caption)
    box = figure.locator(".vega-target").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50, box
    assert errors == []


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_figures_are_server_svg_without_javascript(
    page_without_js: Page, record: dict[str, str], name: str
) -> None:
    page_without_js.goto(path_of(name, "en", record))
    figure = page_without_js.locator("figure.chart").first
    expect(figure.locator("div.svg[role=img] svg")).to_be_visible()
    expect(figure).not_to_have_class(re.compile(r"\binteractive\b"))
    assert (figure.locator("div.svg").get_attribute("aria-label") or "").strip()
    box = figure.locator("div.svg svg").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50, box
    for link in figure.locator("figcaption a").all():  # its data and spec are downloadable
        href = link.get_attribute("href")
        assert href
        response = page_without_js.request.get(href)
        assert response.status == 200, href


# --- accessibility and screenshots -------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation(
    page: Page, record: dict[str, str], name: str, lang: str
) -> None:
    response = page.goto(path_of(name, lang, record))
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    if page.locator("figure.chart").count():  # checked as a visitor sees it: the drawn figure
        expect(page.locator("figure.chart").first).to_have_class(
            re.compile(r"\binteractive\b"), timeout=20_000)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    screenshot(page, lang, name)
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    if violations:
        print(describe(violations))
    assert not blocking, "axe-core found:\n" + describe(blocking)


def test_axe_really_checks_the_page(page: Page) -> None:
    """The check above could fail: a page given an unlabelled image and field is caught."""
    page.goto("/en/people")
    page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend',
            '<img src="/static/favicon.svg"><input type="text">');
    }""")
    found = {v["id"]: v["impact"] for v in axe_violations(page)}
    assert found.get("image-alt") == "critical" and "label" in found, found


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_server_drawn_figures_have_no_serious_accessibility_violation(
    page: Page, record: dict[str, str], name: str, lang: str
) -> None:
    """As a visitor sees the page when the vendored Vega libraries do not load: the server SVG."""
    page.route("**/static/vendor/vega*", lambda route: route.abort())
    page.goto(path_of(name, lang, record))
    page.wait_for_load_state("networkidle")
    expect(page.locator("figure.chart div.svg[role=img] svg").first).to_be_visible()
    expect(page.locator("figure.chart.interactive")).to_have_count(0)
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, "axe-core found:\n" + describe(blocking)
