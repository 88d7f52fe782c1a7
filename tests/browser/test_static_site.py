"""The static site in a real browser: `cajd site build` writes it, a plain static file server
(Python's http.server) serves it, and Chromium crawls it — every page and everything it loads
answers 200, every page has its language, nothing is fetched from another host — then opens it
from the disk, where the links and the interactive figure still work."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page

from cajd.site import broken_links
from tests.browser.support import CAJD, free_port, home_env, shoot

pytestmark = pytest.mark.browser
CRAWL_LIMIT = 90  # pages the browser opens (the link check below covers every page)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("site-home")
    out = home / "site"
    done = subprocess.run([str(CAJD), "site", "build", str(out)], env=home_env(home),
                          capture_output=True, text=True, timeout=600, cwd=home)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def static_server(site: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                                "127.0.0.1", "--directory", str(site)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/index.html", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _watch(page: Page, base: str) -> tuple[list[str], list[str]]:
    """Requests to other hosts, and requests that failed or answered 400 or more."""
    foreign: list[str] = []
    failed: list[str] = []
    host = urlsplit(base).netloc

    def on_request(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).netloc != host:
            foreign.append(url)

    page.on("request", on_request)
    page.on("requestfailed", lambda r: failed.append(f"{r.url} failed"))
    page.on("response", lambda r: failed.append(f"{r.url} {r.status}") if r.status >= 400
            else None)
    return foreign, failed


def test_every_link_of_the_copy_names_a_file_in_it(site: Path) -> None:
    assert broken_links(site) == []
    pages = list(site.rglob("*.html"))
    assert len(pages) > 500
    for lang in ("en", "ja", "ru"):
        assert (site / lang / "about.html").is_file() and (site / lang / "meetings.html").is_file()
    assert (site / "api" / "v1" / "events--sort_-start.json").is_file()  # the home's JSON twin
    for name in ("cajd.sqlite3", "cajd-datapackage.zip", "cajd-popolo.json", "cajd-meetings.ics"):
        assert (site / "downloads" / name).stat().st_size > 1000, name


def test_a_browser_crawls_the_served_copy(browser: Browser, static_server: str) -> None:
    context = browser.new_context(base_url=static_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    foreign, failed = _watch(page, static_server)
    queue, seen, visited = deque(["/en/index.html", "/ja/index.html", "/ru/index.html"]), set(), 0
    seen.update(queue)
    while queue and visited < CRAWL_LIMIT:
        path = queue.popleft()
        answer = page.goto(path)
        assert answer is not None and answer.status == 200, path
        visited += 1
        lang = path.strip("/").split("/")[0]
        if lang in ("en", "ja", "ru"):
            assert page.get_attribute("html", "lang") == lang, path
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for link in links:
            parts = urlsplit(link)
            ours = parts.netloc == urlsplit(static_server).netloc
            if ours and parts.path.endswith(".html") and parts.path not in seen:
                seen.add(parts.path)
                queue.append(parts.path)
    assert visited == CRAWL_LIMIT
    assert foreign == [] and failed == []
    page.goto("/en/about.html")
    assert "How to cite" in page.inner_text("main")
    assert page.locator(".static-note").count() == 1
    assert page.locator("header .account").count() == 0  # no accounts in a copy
    shoot(page, "static-about")
    page.goto("/ja/index.html")
    shoot(page, "static-home-ja")
    context.close()


def test_the_copy_works_opened_from_the_disk(browser: Browser, site: Path) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(
        ("file://", "data:", "blob:", "about:")) else None)
    page.goto((site / "index.html").as_uri())
    page.wait_for_url("**/en/index.html")
    page.click("nav.main a[href$='timeline.html']")
    assert page.url.endswith("/en/timeline.html")
    # The spec is inlined in the page, so vega-embed redraws the figure without a fetch.
    page.wait_for_selector("figure.chart.interactive", timeout=20_000)
    shoot(page, "static-timeline-file", widths=(360, 1280))
    page.click("a[hreflang='ru']")
    assert page.url.endswith("/ru/timeline.html") and page.get_attribute("html", "lang") == "ru"
    assert foreign == []
    context.close()
