"""Running a meeting in a real browser (Chromium, Playwright) against a real ``cajd serve``:
the secretariat convenes → two focal points register their delegations → the secretariat
confirms them → the agenda is built → the meeting is marked held → the public page shows it.

Each actor has a browser context of its own (its own session cookie). The steps are a list, so
the outcome documents' step (draft → circulate → adopt) can be inserted before "held".
Screenshots at 1280 and 360 px go to test-artifacts/screenshots/meeting-cycle-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import add_users, serving
from tests.browser.support import shoot as shoot_widths

pytestmark = pytest.mark.browser

PASSWORD = "cycle password 2026"
USERS = {"sec": ("secretariat", None), "kz-focal": ("focal_point", "KZ"),
         "uz-focal": ("focal_point", "UZ")}
MEETING = "caj-fmm-10"
HOSTILE = "<b>Bold?</b> <script>window.hacked=1</script>"


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh data home with three accounts (``cajd users add``), then ``cajd serve`` on it."""
    home = tmp_path_factory.mktemp("cycle-home")
    add_users(home, USERS, PASSWORD)
    with serving(home, "--workers", "1") as base:
        yield base


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[str, BrowserContext]]:
    made = {name: browser.new_context(viewport={"width": 1280, "height": 900})
            for name in (*USERS, "public")}
    yield made
    for context in made.values():
        context.close()


def log_in(context: BrowserContext, base: str, name: str, lang: str) -> Page:
    page = context.new_page()
    page.goto(f"{base}/{lang}/login")
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/{lang}/")
    return page


def shoot(page: Page, name: str) -> None:
    shoot_widths(page, f"meeting-cycle-{name}")


def test_convene_register_confirm_agenda_held_public(
    accounts: str, contexts: dict[str, BrowserContext]
) -> None:
    base = accounts
    today = dt.date.today().isoformat()
    sec = log_in(contexts["sec"], base, "sec", "en")
    kz = log_in(contexts["kz-focal"], base, "kz-focal", "ru")
    uz = log_in(contexts["uz-focal"], base, "uz-focal", "ja")
    public = contexts["public"].new_page()
    workspace = f"{base}/en/workspace/meetings/{MEETING}"

    def convene() -> None:
        sec.goto(f"{base}/en/workspace")
        sec.click("a[href='/en/workspace/bodies/caj-fmm/convene']")
        expect(sec.locator("#number")).to_have_value("10")  # suggested from the record
        sec.fill("#start", "2031-13")
        sec.click("#convene button[type=submit]")
        # The loader's own message, next to the field; nothing was written.
        expect(sec.locator("#err-start")).to_contain_text("is not a real date")
        shoot(sec, "convene-error")
        sec.fill("#start", today)
        sec.select_option("#host", "UZ")
        sec.fill("#city", "Tashkent")
        sec.fill("#venue", "Palace of International Forums")
        sec.click("#convene button[type=submit]")
        sec.wait_for_url(f"{workspace}#status")
        expect(sec.locator("#meeting-status")).to_have_text("Planned")

    def register() -> None:
        for page, lang, head, rank in ((kz, "ru", "Head of the KZ delegation", "minister"),
                                       (uz, "ja", HOSTILE, "deputy_minister")):
            page.goto(f"{base}/{lang}/workspace/meetings/{MEETING}")
            page.fill("#reg-head_name", head)
            page.fill("#reg-title", "Minister of Foreign Affairs")
            page.select_option("#reg-rank", rank)
            page.fill("#reg-member_1_name", "A member")
            page.click("#register-form button[type=submit]")
            page.wait_for_url(f"{base}/{lang}/workspace/meetings/{MEETING}#register")
        expect(kz.locator("#delegation-KZ")).to_contain_text("Зарегистрирована")
        # A focal point's form names its own party only: there is no party to choose.
        expect(kz.locator("#reg-party")).to_have_count(0)
        shoot(uz, "registered-ja")
        public.goto(f"{base}/en/meetings/{MEETING}")
        expect(public.locator("main")).to_contain_text("Planned")
        # Registered but not yet confirmed: not on the public page.
        expect(public.locator("main")).to_contain_text("No delegation is recorded")

    def confirm() -> None:
        sec.goto(workspace)
        for party in ("KZ", "UZ"):
            sec.click(f"#confirm-{party}")
            sec.wait_for_url(f"{workspace}#delegations")
            expect(sec.locator(f"#delegation-{party}")).to_contain_text("Confirmed")

    def agenda() -> None:
        for title, area in (("Water and energy", "water"), ("Transport and logistics",
                                                            "transport-logistics"),
                            ("Dropped item", None)):
            sec.fill("#item-title_en", title)
            if area:
                sec.check(f"input[name='area:{area}']")
            sec.click("#agenda-form button[type=submit]")
            sec.wait_for_url(f"{workspace}#agenda")
        sec.click(f"#item-{MEETING}-agenda-3 button")  # withdraw the third
        sec.wait_for_url(f"{workspace}#agenda")
        sec.fill(f"input[name='pos:{MEETING}.agenda.1']", "2")
        sec.fill(f"input[name='pos:{MEETING}.agenda.2']", "1")
        sec.click("button[form=order-form]")
        sec.wait_for_url(f"{workspace}#agenda")
        items = sec.locator("ol.agenda > li")
        expect(items.nth(0)).to_contain_text("Transport and logistics")
        expect(items.nth(1)).to_contain_text("Water and energy")
        expect(items.nth(2)).to_contain_text("Dropped item")

    def held() -> None:
        sec.select_option("#status-status", "held")
        sec.click("#status button[type=submit]")
        sec.wait_for_url(f"{workspace}#status")
        expect(sec.locator("#meeting-status")).to_have_text("Held")
        shoot(sec, "workspace")

    steps: list[Callable[[], None]] = [convene, register, confirm, agenda]
    # The outcome documents' step (draft → circulate → adopt, tests of branch `documents`)
    # goes here, before the meeting is marked held.
    steps.append(held)
    for step in steps:
        step()

    public.goto(f"{base}/en/meetings/{MEETING}")
    main = public.locator("main")
    expect(main).to_contain_text("10th Foreign Ministers' Meeting")
    expect(main).to_contain_text("Held")
    expect(main).to_contain_text("Head of the KZ delegation")
    expect(main.locator("ol.agenda > li").nth(0)).to_contain_text("Transport and logistics")
    expect(main.locator("ol.agenda del")).to_have_text("Dropped item")
    # A hostile head's name is shown as text, never run as markup.
    expect(main).to_contain_text(HOSTILE)
    assert public.evaluate("window.hacked === undefined")
    assert public.locator("main b").count() == 0
    shoot(public, "public")
    public.goto(f"{base}/ja/meetings/{MEETING}")
    expect(public.locator("main")).to_contain_text("開催済み")
    shoot(public, "public-ja")
