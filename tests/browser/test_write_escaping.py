"""Hostile text written by the secretariat comes back escaped, in a real browser (Chromium).

The secretariat logs in through the portal's form, and from the logged-in page the browser sends
a JSON write (the session cookie plus the session's CSRF token, which the page's logout form
holds) setting a meeting's venue to a script tag and right-to-left text. The public page then
shows that text literally: no script runs, no element is injected. Screenshots at 1280 and 360 px
are saved under test-artifacts/screenshots/ (secure-*.png).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import SCREENSHOTS, add_users, serving

pytestmark = pytest.mark.browser

PASSWORD = "browser test password"
MEETING = "caj-fmm-6"
HOSTILE_VENUE = "<script>alert(1)</script><img src=x onerror=alert(2)> \u202eRTL\u202c مؤتمر טקסט"


@pytest.fixture(scope="module")
def write_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``cajd serve`` on its own embedded store with a secretariat account (made by the CLI)."""
    home = tmp_path_factory.mktemp("write-home")
    add_users(home, {"sec": ("secretariat", None)}, PASSWORD)
    with serving(home, "--workers", "1") as base:
        yield base


def shoot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"secure-{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def test_the_secretariats_hostile_venue_is_shown_escaped(browser: Browser,
                                                        write_server: str) -> None:
    # Log in through the form, as a person would.
    context = browser.new_context(base_url=write_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/en/login")
    page.fill("#login-name", "sec")
    page.fill("#login-password", PASSWORD)
    page.click("form.login button[type=submit]")
    expect(page.locator("header .account .who")).to_have_text("sec")
    shoot(page, "logged-in-1280")

    # The write, from the logged-in page: cookie + the session's CSRF token from the page.
    answer = page.evaluate(
        """async ([id, venue]) => {
            const csrf = document.querySelector('form.logout input[name=csrf]').value;
            const now = await (await fetch(`/api/v1/events/${id}`)).json();
            const done = await fetch(`/api/v1/events/${id}`, {
                method: 'PATCH',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                body: JSON.stringify({version: now.data.version ?? 1, venue})});
            const without = await fetch(`/api/v1/events/${id}`, {
                method: 'PATCH', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({version: 1, venue: 'no token'})});
            return {status: done.status, body: await done.json(), without: without.status};
        }""",
        [MEETING, HOSTILE_VENUE],
    )
    assert answer["without"] == 403, answer  # the cookie alone is not enough
    assert answer["status"] == 200 and answer["body"]["data"]["venue"] == HOSTILE_VENUE, answer
    context.close()

    # The public page, in a fresh browser: the text shown literally, nothing executed.
    for width in (1280, 360):
        public = browser.new_context(base_url=write_server,
                                     viewport={"width": width, "height": 900})
        shown = public.new_page()
        shown.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        shown.goto(f"/en/meetings/{MEETING}")
        place = shown.locator("dd", has_text="<script>alert(1)</script>")
        expect(place).to_have_count(1)
        assert HOSTILE_VENUE in place.inner_text()
        assert shown.locator("main script").count() == 0
        assert shown.locator("main img[src=x]").count() == 0
        expect(shown.locator("header .account a")).to_have_text("Log in")
        place.scroll_into_view_if_needed()
        shoot(shown, f"hostile-venue-{width}")
        public.close()
    assert dialogs == [], f"a script ran: {dialogs}"
