"""``cajd site build DIR``: the whole portal as plain files that work from any static host or
opened from a disk — every page in en/ja/ru, its JSON twin, the figures (SVG in the page, the
interactive spec inlined), the downloads, calendars and feed — with relative links, no server
code and nothing fetched from elsewhere.

The app itself renders each page (in process, on the configured store), so the copy is the
portal byte for byte but for its links: every internal ``href``/``src``/``action``/``data-spec``
is rewritten to the relative path of the file that holds it (``/en/meetings/caj-fmm-1`` ->
``../meetings/caj-fmm-1.html``; a query becomes part of the name). A filter or search form has
no server behind it, so each page says so once, at the top.
"""

from __future__ import annotations

import html
import posixpath
import re
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine

from cajd.web.i18n import LANGUAGES

_EXTENSIONS = {"text/html": ".html", "application/json": ".json", "image/svg+xml": ".svg",
               "text/csv": ".csv", "text/calendar": ".ics", "application/atom+xml": ".atom",
               "text/markdown": ".md", "application/zip": ".zip",
               "application/vnd.sqlite3": ".sqlite3", "text/css": ".css",
               "text/javascript": ".js", "application/javascript": ".js",
               "text/plain": ".txt", "application/xml": ".xml"}
_LINK = re.compile(r'(?P<attr>\s(?:href|src|action|data-spec))="(?P<url>[/?][^"]*)"')
_SPEC = re.compile(r'(<figure class="chart"[^>]*data-spec="(?P<spec>[^"]+)"[^>]*>)')
#: Pages that exist only with a server behind them.
_SKIPPED = re.compile(r"^/(?:[a-z]{2}/)?(?:login|logout|workspace)(?:/|$)|^/healthz$")
SEEDS = ["/api/docs", "/api/openapi.json", "/calendar.ics", "/feed.atom", "/static/favicon.svg",
         "/static/print.css"]
#: Only with the site's real address: both must name absolute URLs.
ADDRESSED = ["/robots.txt", "/sitemap.xml"]
INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cajd</title>
<meta http-equiv="refresh" content="0; url=en/index.html"></head>
<body><p><a href="en/index.html" hreflang="en">English</a> · <a href="ja/index.html"
hreflang="ja" lang="ja">日本語</a> · <a href="ru/index.html" hreflang="ru" lang="ru">русский</a>
</p></body></html>
"""


@dataclass
class Built:
    files: dict[str, str] = field(default_factory=dict)  # URL -> file, relative to the root
    missing: list[tuple[str, int]] = field(default_factory=list)  # URL, status


def file_for(url: str, media_type: str) -> str:
    """Where the answer to ``url`` lives in the copy: ``/en/`` -> ``en/index.html``,
    ``/en/meetings?page=2`` -> ``en/meetings--page_2.html``, ``/static/cajd.css`` as it is."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.endswith("/"):
        path += "index"
    stem, ext = posixpath.splitext(path)
    wanted = _EXTENSIONS.get(media_type, "")
    if not ext or (wanted and ext != wanted and not path.startswith("/static/")
                   and not path.startswith("/downloads/")):
        stem, ext = path, wanted
    if parts.query:
        stem += "--" + re.sub(r"[^A-Za-z0-9_.-]", "_", unquote(parts.query))
    return (stem + ext).lstrip("/")


def _relative(from_file: str, to_file: str, fragment: str) -> str:
    target = posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")
    return target + (f"#{fragment}" if fragment else "")


def _key(url: str, here: str = "/") -> str:
    """The URL without its fragment (and without an empty query); a bare query (a pager's
    ``?page=2``) is the page ``here`` with that query."""
    url = html.unescape(url)
    if url.startswith("?"):
        url = urlsplit(here).path + url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def build(engine: Engine, out: Path, base_url: str | None = None,
          progress: Callable[[str], None] | None = None) -> Built:
    """Crawl the portal from the home pages and write each answer into ``out``; with
    ``base_url`` (where the copy will be served) also robots.txt and sitemap.xml."""
    with warnings.catch_warnings():  # Starlette's note on its httpx client: not the user's
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from cajd.web.app import create_app

    app = create_app(engine, allowed_hosts=["*"])
    app.state.static_copy = True
    client = TestClient(app, base_url=(base_url or "http://static.invalid").rstrip("/"))
    built = Built()
    bodies: dict[str, tuple[bytes, str]] = {}
    queue = deque([f"/{lang}/" for lang in LANGUAGES] + SEEDS + (ADDRESSED if base_url else []))
    seen = set(queue)
    while queue:
        url = queue.popleft()
        answer = client.get(url, follow_redirects=False)
        if answer.status_code != 200:
            built.missing.append((url, answer.status_code))
            continue
        media = answer.headers.get("content-type", "").split(";")[0].strip()
        built.files[url] = file_for(url, media)
        bodies[url] = (answer.content, media)
        if progress:
            progress(url)
        if media in ("text/html", "image/svg+xml"):
            for match in _LINK.finditer(answer.text):
                target = _key(match["url"], url)
                if target not in seen and not target.startswith("//") and not _SKIPPED.match(
                        urlsplit(target).path):
                    seen.add(target)
                    queue.append(target)
    for url, (content, media) in bodies.items():
        path = out / built.files[url]
        path.parent.mkdir(parents=True, exist_ok=True)
        if media == "text/html":
            content = _rewrite(content.decode(), url, built, bodies).encode()
        path.write_bytes(content)
    (out / "index.html").write_text(INDEX, encoding="utf-8")
    return built


def _rewrite(page: str, here: str, built: Built, bodies: dict[str, tuple[bytes, str]]) -> str:
    own = built.files[here]

    def link(match: re.Match[str]) -> str:
        raw = html.unescape(match["url"])
        target = built.files.get(_key(raw, here))
        if target is None:  # a page that needs the server (login): leave it, marked
            return f'{match["attr"]}="#" data-needs-server="{html.escape(raw)}"'
        fragment = urlsplit(raw).fragment
        return f'{match["attr"]}="{html.escape(_relative(own, target, fragment))}"'

    def inline_spec(match: re.Match[str]) -> str:
        # A page opened from a disk may not fetch its neighbours (file:// is no origin): the
        # interactive figure reads its spec from the page instead (cajd.js).
        found = bodies.get(_key(html.unescape(match["spec"])))
        if found is None:
            return match[0]
        text = found[0].decode().replace("</", "<\\/")
        return f'{match[0]}<script type="application/json" class="vl-spec">{text}</script>'

    return _LINK.sub(link, _SPEC.sub(inline_spec, page))


_ANY_LINK = re.compile(r'\s(?:href|src|action|data-spec)="([^"]*)"')


def broken_links(root: Path) -> list[tuple[str, str]]:
    """(page, link) for every link in the copy's pages that is absolute to the site's root (it
    would need a server) or names a file that is not there; empty for a good copy."""
    broken = []
    for page in sorted(root.rglob("*.html")):
        for found in _ANY_LINK.finditer(page.read_text(encoding="utf-8")):
            link = html.unescape(found[1])
            if not link or link.startswith(("http://", "https://", "mailto:", "#")):
                continue
            target = (page.parent / unquote(link.split("#")[0])).resolve()
            if link.startswith("/") or not target.is_file():
                broken.append((str(page.relative_to(root)), link))
    return broken
