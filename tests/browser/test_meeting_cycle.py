"""Running a meeting in a real browser (Chromium, Playwright) against a real ``cajd serve``:
the secretariat convenes → two focal points register their delegations → the secretariat
confirms them → the agenda is built → a joint statement is drafted, revised, circulated, objected
to by an observer, endorsed by every member party's focal point (one with a reservation; adoption
refused while one is missing) and adopted → the meeting is marked held → the public page shows it,
the document with its reservation, and the minutes → ``cajd data dump`` writes the server's store
and a ``cajd data load`` of the dump changes nothing.

Each actor has a browser context of its own (its own session cookie). The steps are a list, so
the outcome documents' step (draft → circulate → adopt) can be inserted before "held".
Screenshots at 1280 and 360 px go to test-artifacts/screenshots/meeting-cycle-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import CAJD, add_users, home_env, serving
from tests.browser.support import shoot as shoot_widths

pytestmark = pytest.mark.browser

PASSWORD = "cycle password 2026"
USERS = {"sec": ("secretariat", None), "kz-focal": ("focal_point", "KZ"),
         "uz-focal": ("focal_point", "UZ"),
         # Adoption needs every member party's endorsement (JP, KG, KZ, TJ, UZ); Turkmenistan,
         # an observer, may object without blocking.
         "jp-focal": ("focal_point", "JP"), "kg-focal": ("focal_point", "KG"),
         "tj-focal": ("focal_point", "TJ"), "tm-focal": ("focal_point", "TM")}
MEETING = "caj-fmm-10"
DOCUMENT = f"{MEETING}-joint-statement"
RESERVATION = "Kazakhstan reserves its position on paragraph 2 <i>as drafted</i>."
HOSTILE = "<b>Bold?</b> <script>window.hacked=1</script>"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cycle-home")


@pytest.fixture(scope="module")
def accounts(home: Path) -> Iterator[str]:
    """A fresh data home with the accounts (``cajd users add``), then ``cajd serve`` on it."""
    add_users(home, USERS, PASSWORD)
    with serving(home, "--workers", "1") as base:
        yield base


def cli(home: Path, *args: str) -> str:
    done = subprocess.run([str(CAJD), *args], env=home_env(home), capture_output=True,
                          text=True, timeout=300, cwd=home)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


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


def test_convene_register_confirm_agenda_documents_held_public_dump(
    accounts: str, home: Path, contexts: dict[str, BrowserContext]
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

    document = f"{base}/en/workspace/documents/{DOCUMENT}"

    def documents() -> None:
        sec.goto(workspace)
        sec.click("#draft-document")
        sec.select_option("#kind", "joint_statement")
        sec.fill("#title_en", "Tashkent Joint Statement")
        sec.fill("#text", "The parties met in Tashkent.\nParagraph 2 as drafted.")
        sec.click("#draft-form button[type=submit]")
        sec.wait_for_url(f"{document}#text")
        expect(sec.locator("#document-status")).to_have_text("Draft")
        sec.fill("#revise-text", "The parties met in Tashkent.\nParagraph 2, <b>revised</b>.")
        sec.fill("#revise-note", "Paragraph 2 reworded")
        sec.click("#revise-form button[type=submit]")
        sec.wait_for_url(f"{document}#revise")
        expect(sec.locator("#diff .diff-removed")).to_contain_text("Paragraph 2 as drafted.")
        expect(sec.locator("#diff .diff-added")).to_contain_text("Paragraph 2, <b>revised</b>.")
        shoot(sec, "document-diff")
        sec.click("#circulate")
        sec.wait_for_url(f"{document}#circulate")
        expect(sec.locator("#document-status")).to_have_text("Circulated")
        # Not public while circulated.
        assert public.goto(f"{base}/en/documents/{DOCUMENT}").status == 404  # type: ignore[union-attr]
        tm = log_in(contexts["tm-focal"], base, "tm-focal", "en")
        tm.goto(document)
        expect(tm.locator("#endorse")).to_have_count(0)  # an observer does not endorse
        tm.select_option("#comment-kind", "objection")
        tm.fill("#comment-text", "Turkmenistan objects to paragraph 2.")
        tm.click("#comment-form button[type=submit]")
        tm.wait_for_url(f"{document}#comment")
        for name, lang in (("kz-focal", "ru"), ("uz-focal", "ja"), ("jp-focal", "ja"),
                           ("kg-focal", "ru")):
            page = kz if name == "kz-focal" else uz if name == "uz-focal" else log_in(
                contexts[name], base, name, lang)
            page.goto(f"{base}/{lang}/workspace/documents/{DOCUMENT}")
            if name == "kz-focal":
                page.fill("#endorse-reservation", RESERVATION)
                shoot(page, "endorse-ru")
            page.click("#endorse")
            page.wait_for_url(f"{base}/{lang}/workspace/documents/{DOCUMENT}#endorse")
        # Tajikistan has not endorsed: adoption is refused, naming it; the objection does not
        # count against it.
        sec.goto(document)
        sec.click("#adopt")
        expect(sec.locator("#step-errors")).to_contain_text("TJ")
        expect(sec.locator("#document-status")).to_have_text("Circulated")
        shoot(sec, "adopt-refused")
        tj = log_in(contexts["tj-focal"], base, "tj-focal", "en")
        tj.goto(document)
        tj.click("#endorse")
        tj.wait_for_url(f"{document}#endorse")
        sec.goto(document)
        sec.click("#adopt")
        sec.wait_for_url(f"{document}#adopt")
        expect(sec.locator("#document-status")).to_contain_text("Adopted")
        expect(sec.locator("#comment")).to_contain_text("Turkmenistan objects to paragraph 2.")
        shoot(sec, "document-adopted")
        sec.goto(workspace)  # back to the meeting, which is marked held next

    steps: list[Callable[[], None]] = [convene, register, confirm, agenda, documents, held]
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
    expect(main).to_contain_text("Tashkent Joint Statement")
    shoot(public, "public")
    public.goto(f"{base}/ja/meetings/{MEETING}")
    expect(public.locator("main")).to_contain_text("開催済み")
    shoot(public, "public-ja")
    # The adopted text with its reservation, shown as text.
    public.goto(f"{base}/en/documents/{DOCUMENT}")
    expect(public.locator("main")).to_contain_text("Paragraph 2, <b>revised</b>.")
    expect(public.locator(".reservations")).to_contain_text(RESERVATION)
    assert public.locator("main i, main b").count() == 0
    shoot(public, "document-public")
    public.goto(f"{base}/en/meetings/{MEETING}/minutes")
    minutes = public.locator("main")
    expect(minutes.locator("#minutes-documents ~ div")).to_contain_text(RESERVATION)
    expect(minutes).to_contain_text("Head of the KZ delegation")
    shoot(public, "minutes")

    # The server's store dumps as a dataset that loads back without changing anything.
    before = public.request.get(f"{base}/api/v1/documents/{DOCUMENT}").json()["data"]
    assert before["reservations"][0]["text"] == RESERVATION
    dumped = home / "dump"
    cli(home, "data", "dump", str(dumped))
    written = (dumped / "documents" / f"{DOCUMENT}.yaml").read_text(encoding="utf-8")
    assert "reservation: Kazakhstan reserves" in written and "objection" in written
    cli(home, "data", "check", str(dumped))
    counts = json.loads(cli(home, "data", "load", str(dumped), "--json"))["counts"]
    changed = {kind: c for kind, c in counts.items()
               if c["inserted"] or c["updated"] or c.get("deleted")}
    assert not changed, changed
    # The workspace's rows are the load's to leave alone: the document reads as before.
    after = public.request.get(f"{base}/api/v1/documents/{DOCUMENT}").json()["data"]
    assert after == before
