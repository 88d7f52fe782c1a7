"""The portal as its readers meet it (issue 13), in Chromium against a real ``cajd serve``:
citation numbers that match the Sources list, colours fixed per vocabulary value, every page at
360 px, partial dates, the site search. Screenshots of every main page at 1280 and 360 px go to
test-artifacts/screenshots/readers-*.png."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from cajd.vocab import BodyStatus, EventStatus, Rank
from cajd.web import palette
from cajd.web.i18n import LANGUAGES, translations
from tests.browser.support import shoot

pytestmark = pytest.mark.browser

MAIN_PAGES = {
    "home": "", "timeline": "timeline", "structure": "structure", "meetings": "meetings",
    "meeting": "meetings/caj-fmm-4", "parties": "parties", "party": "parties/TM",
    "people": "people", "documents": "documents", "commitments": "commitments",
    "sources": "sources", "source": "sources/seed-000", "search": "search?q=Tokyo",
    "analysis": "analysis",
}
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e =>
      e.getBoundingClientRect().right > width + 1 && !e.closest('table.list, figure.chart'))
    .slice(0, 5).map(e => e.tagName + '.' + (e.getAttribute('class') || ''));
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


def _api(server: str, path: str) -> Any:
    response = httpx.get(server + path, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["data"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_main_page_fits_360_px(page: Page, lang: str) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    for name, path in MAIN_PAGES.items():
        page.goto(f"/{lang}/{path}")
        page.wait_for_load_state("networkidle")
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], (lang, name, found)
        shoot(page, f"readers-{lang}-{name}")


def test_citation_numbers_match_the_sources_list_on_every_meeting_page(
        page: Page, server: str) -> None:
    meetings = _api(server, "/api/v1/events?limit=500")
    checked = 0
    for meeting in meetings:
        page.goto(f"/en/meetings/{meeting['id']}")
        listed = dict(page.locator("ol.source-list li").evaluate_all(
            "items => items.map(li => [li.value, li.dataset.source])"))
        cites = page.locator("a.cite").evaluate_all(
            "links => links.map(a => [Number(a.dataset.n), a.dataset.source, a.textContent,"
            " a.getAttribute('href')])")
        for number, source, text, _href in cites:
            assert text.startswith(f"[{number}]")
            assert listed.get(number) == source, (meeting["id"], number, source, listed)
        assert sorted(listed) == list(range(1, len(listed) + 1))
        checked += bool(cites)
    assert checked > 10


def test_a_citation_opens_the_original_and_the_list_the_source_page(
        page: Page, server: str) -> None:
    event = _api(server, "/api/v1/events/caj-fmm-4")
    with_url = next(c for c in event["sources"] if c["url"])
    page.goto("/en/meetings/caj-fmm-4")
    cite = page.locator(f'a.cite[data-source="{with_url["source"]}"]').first
    assert cite.get_attribute("href") == with_url["url"]
    for label in ("Date", "Place", "Host"):  # the facts above the delegations cite too
        expect(page.locator(f'dl.facts dt:text-is("{label}") + dd a.cite').first).to_be_visible()
    number = cite.get_attribute("data-n")
    entry = page.locator(f"ol.source-list li#source-{number}")
    expect(entry.locator("a.original")).to_have_attribute("href", with_url["url"])
    entry.locator("a").first.click()
    expect(page).to_have_url(f"{server}/en/sources/{with_url['source']}")


LEGEND = """svg => [...svg.querySelectorAll('.role-legend-symbol path')].map(p =>
  [p.parentElement.nextElementSibling.textContent, p.getAttribute('fill').toUpperCase()])"""


def _legend(page: Page, path: str, figure: str) -> dict[str, str]:
    page.goto(path)
    svg = page.locator(f"#figure-{figure} svg").first
    return dict(svg.evaluate(LEGEND))


@pytest.mark.parametrize("js", [False, True], ids=["server-svg", "interactive"])
def test_colours_are_one_function_of_the_value(page: Page, page_without_js: Page,
                                               js: bool) -> None:
    viewer = page if js else page_without_js
    wanted = [("parties", "ranks", Rank), ("parties/TM", "ranks", Rank),
              ("structure", "structure", BodyStatus), ("timeline", "timeline", EventStatus)]
    for path, figure, vocabulary in wanted:
        for lang in LANGUAGES:
            if js:
                viewer.goto(f"/{lang}/{path}")
                expect(viewer.locator(f"#figure-{figure}.interactive")).to_have_count(1)
                legend = dict(viewer.locator(f"#figure-{figure} svg").first.evaluate(LEGEND))
            else:
                legend = _legend(viewer, f"/{lang}/{path}", figure)
            for value in vocabulary.values():
                label = vocabulary(value).label(lang)
                assert legend[label] == palette.colour(vocabulary, value).upper(), (
                    path, lang, value)
            if vocabulary is Rank:
                missing = translations(lang).gettext("not recorded")
                assert legend[missing] == palette.NOT_RECORDED


def test_search_finds_a_meeting_by_its_japanese_and_its_russian_name(
        page: Page, server: str) -> None:
    events = [_api(server, f"/api/v1/events/{e['id']}")
              for e in _api(server, "/api/v1/events?dialogue=&limit=500")]
    meeting = next(e for e in events if e["name"]["ja"] and e["name"]["ru"])
    for lang, words in (("ja", meeting["name"]["ja"][:8]),
                        ("ru", " ".join(meeting["name"]["ru"].split()[:3]).upper())):
        page.goto(f"/{lang}/")
        page.locator("#site-search-q").fill(words)
        page.locator("#site-search-q").press("Enter")
        expect(page.locator(f'#hits-meeting a[href="/{lang}/meetings/{meeting["id"]}"]')
               ).to_have_count(1)
        api = _api(server, f"/api/v1/search?q={words}")
        hits = next(k for k in api["kinds"] if k["kind"] == "meeting")["hits"]
        assert meeting["id"] in [h["id"] for h in hits]
    shoot(page, "readers-search-results")
