"""A whole monitoring cycle in a real browser (Chromium, Playwright) against a real ``cajd serve``:
the secretariat opens a reporting round on the Trans-Caspian route commitment and records what
was done for it, with a link as evidence → Kazakhstan's
focal point drafts and submits its report on time → the deadline passes → Uzbekistan is flagged
late and reminded (no SMTP server is set, so the reminder is kept in the app and logged) →
Uzbekistan reports late and is shown so → an assessor scores Japan's commitment for 2026, interim
then final, and a second assessor reviews it → the public dashboard shows the averages with n
and the interim → final change.

Time passes in one step: the round's deadline and Kazakhstan's submission are moved two days
back in the server's store, as if the report had come in before a deadline that has now passed.
Screenshots at 1280 and 360 px go to test-artifacts/screenshots/round-cycle-*.png.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import add_users, serving, shoot
from tests.writes.commitments import PDF

pytestmark = pytest.mark.browser

PASSWORD = "round password 2026"
USERS = {"sec": ("secretariat", None), "kz-focal": ("focal_point", "KZ"),
         "uz-focal": ("focal_point", "UZ"), "scorer": ("assessor", None),
         "reviewer": ("assessor", None)}
COMMITMENT = "jp-2025-trans-caspian-logistics"
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("round-home")


@pytest.fixture(scope="module")
def base(home: Path) -> Iterator[str]:
    add_users(home, USERS, PASSWORD)
    with serving(home, "--workers", "1") as url:
        yield url


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[str, BrowserContext]]:
    made = {name: browser.new_context(viewport={"width": 1280, "height": 900})
            for name in (*USERS, "public")}
    yield made
    for context in made.values():
        context.close()


def log_in(context: BrowserContext, base: str, name: str, lang: str = "en") -> Page:
    page = context.new_page()
    page.goto(f"{base}/{lang}/login")
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/{lang}/")
    return page


def report(page: Page, base: str, round_id: str, narrative: str, lang: str) -> None:
    """A focal point fills item 1, saves the draft, then submits it."""
    page.goto(f"{base}/{lang}/workspace/rounds/{round_id}")
    page.select_option("#status_1", "in_progress")
    page.fill("#narrative_1", narrative)
    page.select_option("#lang_1", lang)
    page.click("#report-form button[type=submit]")
    expect(page.locator("#submit-form")).to_be_visible()
    # a scan as evidence, chosen in the browser's file input (multipart form)
    page.set_input_files("#evidence_file_1", files=[
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#evidence-1 button[type=submit]")
    expect(page.locator("#evidence-1")).to_contain_text("scan.pdf")
    page.click("#submit-form button[type=submit]")
    expect(page.locator("#amend-form")).to_be_visible()  # frozen: only an amendment now


def time_passes(home: Path, round_id: str) -> None:
    with sqlite3.connect(home / "cajd.sqlite3") as db:
        db.execute("UPDATE reporting_round SET deadline = ? WHERE id = ?",
                   ((TODAY - dt.timedelta(days=1)).isoformat(), round_id))
        db.execute("UPDATE round_report SET submitted_at = ? "
                   "WHERE round_id = ? AND party_id = 'KZ'",
                   ((dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).strftime(
                       "%Y-%m-%d %H:%M:%S.%f"), round_id))


def score(page: Page, base: str, stage: str, value: str, rationale: str) -> None:
    page.goto(f"{base}/en/commitments/{COMMITMENT}")
    form = page.locator("form#score-form")
    form.locator("[name=period]").fill("2026")
    form.locator("[name=stage]").select_option(stage)
    form.locator("[name=score]").select_option(value)
    form.locator("[name=rationale]").fill(rationale)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_whole_round_from_opening_to_the_public_dashboard(
        base: str, home: Path, contexts: dict[str, BrowserContext]) -> None:
    sec = log_in(contexts["sec"], base, "sec")
    sec.goto(f"{base}/en/workspace")
    sec.click("a[href='/en/workspace/rounds/new']")
    sec.fill("#title_en", "Tokyo Initiative review 2026")
    sec.fill("#title_ru", "Обзор Токийской инициативы 2026")
    sec.fill("#deadline", TODAY.isoformat())
    sec.check(f"input[name=commitment_{COMMITMENT}]")
    sec.fill("#items", "Customs officers trained.")
    sec.click("#open-round button[type=submit]")
    sec.wait_for_url(f"{base}/en/workspace/rounds/**")
    round_id = sec.url.split("/rounds/")[1].split("#")[0]
    # What was done, recorded by the secretariat on the commitment's page with its evidence.
    sec.goto(f"{base}/en/commitments/{COMMITMENT}")
    sec.fill("#impl-description", "Customs officers trained at the border (browser test).")
    sec.fill("#impl-date", f"{TODAY.year}")
    sec.fill("#impl-evidence_url", "https://example.org/training")
    sec.click("#implementation-form button[type=submit]")
    expect(sec.locator("main")).to_contain_text("Customs officers trained at the border")
    sec.goto(f"{base}/en/workspace/rounds/{round_id}")
    expect(sec.locator("#standing-KZ")).to_contain_text("none yet")

    kz = log_in(contexts["kz-focal"], base, "kz-focal", "ru")
    kz.goto(f"{base}/ru/workspace")
    expect(kz.locator(f"a[href='/ru/workspace/rounds/{round_id}']")).to_be_visible()
    report(kz, base, round_id, "Пункт пропуска оснащён сканером.", "ru")
    shoot(kz, "round-cycle-kz-report")
    # A draft is its party's own: before UZ submits, the public sees nothing of it.
    uz = log_in(contexts["uz-focal"], base, "uz-focal")
    uz.goto(f"{base}/en/workspace/rounds/{round_id}")
    uz.select_option("#status_1", "not_started")
    uz.fill("#narrative_1", "Private draft text.")
    uz.click("#report-form button[type=submit]")
    kz.goto(f"{base}/ru/workspace/rounds/{round_id}")
    expect(kz.locator("main")).not_to_contain_text("Private draft text.")

    time_passes(home, round_id)
    sec.goto(f"{base}/en/workspace/rounds/{round_id}")
    expect(sec.locator("#standing-UZ")).to_contain_text("late")
    expect(sec.locator("#standing-KZ")).to_contain_text("on time")
    sec.click("form[action$='/remind'] button")
    expect(sec.locator("#reminders")).to_be_visible()
    reminders = sec.locator("#reminders + ul")
    expect(reminders).to_contain_text("Uzbekistan")
    expect(reminders).not_to_contain_text("Kazakhstan")
    expect(reminders).to_contain_text("Shown in the app")
    shoot(sec, "round-cycle-standings")

    uz.goto(f"{base}/en/workspace/rounds/{round_id}")
    uz.click("#submit-form button[type=submit]")
    sec.goto(f"{base}/en/workspace/rounds/{round_id}")
    expect(sec.locator("#standing-UZ")).to_contain_text("version 1")
    expect(sec.locator("#standing-UZ")).to_contain_text("late")

    scorer = log_in(contexts["scorer"], base, "scorer")
    score(scorer, base, "interim", "0", "Two of four lines under way (browser test).")
    score(scorer, base, "final", "1", "Every line carried out (browser test).")
    reviewer = log_in(contexts["reviewer"], base, "reviewer")
    reviewer.goto(f"{base}/en/commitments/{COMMITMENT}")
    final = reviewer.locator(f"#{COMMITMENT}-JP-2026-final-r1")
    expect(final).to_contain_text("Every line carried out (browser test).")
    final.locator("select[name=verdict]").select_option("agrees")
    final.locator("button[type=submit]").click()
    expect(reviewer.locator(f"#{COMMITMENT}-JP-2026-final-r1")).to_contain_text("Agrees")
    shoot(reviewer, "round-cycle-reviewed")

    public = contexts["public"].new_page()
    for lang in ("en", "ja", "ru"):
        public.goto(f"{base}/{lang}/compliance")
        # Japan: +1 (2004-2006 final), 0 (2025-2026 interim), +1 (2026 final): 2/3 with n = 3.
        expect(public.locator("#figure-compliance")).to_contain_text("n = 3")
        expect(public.locator("main")).to_contain_text("+0.67")
    public.goto(f"{base}/en/compliance")
    changes = public.locator("h2:has-text('From interim to final') + table")
    expect(changes).to_contain_text("+1")
    shoot(public, "round-cycle-dashboard")
