"""The browser tests' fixtures, shared by every module here: one Playwright instance and one
Chromium for this package (two sync Playwright instances cannot be alive at once, so no module
may start its own), and the read-only portal server most modules look at.

Package-scoped, not session-scoped: the sync Playwright keeps an event loop running in the main
thread while it lives, and every later test that calls ``asyncio.run`` (Datasette's inspection
of the SQLite download, for one) would fail with "cannot be called from a running event loop"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.support import CHROMIUM, serving


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Chromium (and the CJK fonts "
                    "its screenshots need). The browser tests are never skipped.", pytrace=False)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
    yield launched
    launched.close()


@pytest.fixture(scope="package")
def server_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data home of ``server`` (its store is ``cajd.sqlite3`` there): tests read it directly."""
    return tmp_path_factory.mktemp("serve-home")


@pytest.fixture(scope="package")
def server(server_home: Path) -> Iterator[str]:
    """``cajd serve`` on a fresh data home, building its own embedded store as a first-time
    user's would."""
    home = server_home
    with serving(home) as base:
        assert (home / "cajd.sqlite3").is_file(), "it built its own embedded store"
        yield base


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def page_without_js(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    opened = context.new_page()
    yield opened
    context.close()
