"""The portal's interface text in Japanese and Russian: complete, current and rendered.

The catalogs are checked against a fresh extraction (babel.cfg), so a template string added without
running ``make messages`` and translating it fails here; the pages are checked for English chrome.
Record data (names, descriptions, source titles) may stay English where the record lacks ja/ru: it
shows inside ``<span class="fallback">`` or in data cells, which the page checks leave out.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from fastapi.testclient import TestClient

from cajd import store
from cajd.dataset import pipeline
from cajd.web.app import create_app
from cajd.web.i18n import LOCALE_DIR

ROOT = Path(__file__).parent.parent
POT = LOCALE_DIR / "messages.pot"
TARGETS = ("ja", "ru")
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def po(lang: str) -> Catalog:
    return read(LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po", lang)


def key(message: Message) -> tuple[str | None, str]:
    return message.context, forms(message.id)[0]


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {key(m) for m in catalog if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


# --- the catalogs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages in the code now, extracted with babel.cfg to a fresh template catalog."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")  # type: ignore[no-untyped-call]
    fresh = Catalog(project="cajd")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map,
        directory_filter=lambda d: not Path(d).name.startswith((".", "_", "node_modules")),
    ):
        fresh.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    path = tmp_path_factory.mktemp("messages") / "messages.pot"
    with path.open("wb") as handle:
        write_po(handle, fresh)
    return read(path)


def test_extraction_finds_the_interface_text(extracted: Catalog) -> None:
    found = keys(extracted)
    assert len(found) > 100
    for msgid in ("Skip to content", "Timeline", "Meetings recorded", "%(num)d meeting",
                  "Not yet recorded in this language; shown in English"):
        assert (None, msgid) in found
    assert ("post held", "Title") in found


def test_template_catalog_is_current(extracted: Catalog) -> None:
    assert keys(read(POT)) == keys(extracted), "run `make messages`"


@pytest.mark.parametrize("lang", TARGETS)
def test_catalog_has_every_message_and_no_stale_one(lang: str, extracted: Catalog) -> None:
    have, want = keys(po(lang)), keys(extracted)
    assert sorted(want - have, key=str) == [], "untranslated: run `make messages`, translate"
    assert sorted(have - want, key=str) == [], "obsolete: run `make messages`"


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """A message's id or string as a list (one item, or one per plural form)."""
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def untranslated(catalog: Catalog) -> list[tuple[str, str]]:
    """Fuzzy and empty entries, and plural entries without the language's number of forms."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        msgid, strings = forms(message.id)[0], forms(message.string)
        if message.fuzzy:
            problems.append(("fuzzy", msgid))
        if message.pluralizable and len(strings) != catalog.num_plurals:
            problems.append((f"{len(strings)} plural forms, not {catalog.num_plurals}", msgid))
        if not all(s.strip() for s in strings):
            problems.append(("empty", msgid))
    return problems


def wrong_placeholders(catalog: Catalog) -> list[tuple[str, str]]:
    """Forms whose placeholders differ from the msgid's, or that do not format (Jinja's newstyle
    gettext always applies ``%``, so a stray ``%`` would break the page)."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = forms(message.id)
        wanted = placeholders(ids[-1])
        assert all(placeholders(i) == wanted for i in ids), message.id
        values = {name: 1 for name in re.findall(r"%\((\w+)\)", ids[-1])}
        for string in forms(message.string):
            if placeholders(string) != wanted:
                problems.append((ids[0], string))
            try:
                string % values
            except (TypeError, ValueError, KeyError) as exc:
                problems.append((ids[0], f"{string!r}: {exc!r}"))
    return problems


@pytest.mark.parametrize("lang", TARGETS)
def test_every_message_is_translated_and_not_fuzzy(lang: str) -> None:
    catalog = po(lang)
    assert not catalog.fuzzy
    assert catalog.num_plurals == {"ja": 1, "ru": 3}[lang]
    assert untranslated(catalog) == []


@pytest.mark.parametrize("lang", TARGETS)
def test_placeholders_match(lang: str) -> None:
    assert wrong_placeholders(po(lang)) == []


def test_the_dialogue_is_named_as_the_foreign_ministries_write_it() -> None:
    name = "Central Asia plus Japan Dialogue"
    assert po("ja")[name].string == "「中央アジア＋日本」対話"
    assert po("ru")[name].string == "Диалог «Центральная Азия + Япония»"


def test_a_broken_catalog_would_be_caught(tmp_path: Path) -> None:
    """The checks can fail: empty, fuzzy, short-of-forms and wrong-placeholder entries are seen."""
    catalog = Catalog(locale="ru")
    catalog.add("Timeline", "")
    catalog.add("Meetings", "Встречи", flags=["fuzzy"])
    catalog.add("All years", "Все годы 100%")
    catalog.add(("%(num)d meeting", "%(num)d meetings"), ("%(n)d встреча", "%(num)d встречи"))
    path = tmp_path / "messages.po"
    with path.open("wb") as handle:
        write_po(handle, catalog)
    broken = read(path, "ru")
    # (babel pads the missing third form with an empty string when it reads the file)
    assert sorted(untranslated(broken)) == [
        ("empty", "%(num)d meeting"), ("empty", "Timeline"), ("fuzzy", "Meetings")]
    assert {msgid for msgid, _string in wrong_placeholders(broken)} == {
        "All years", "%(num)d meeting"}
    assert ("%(num)d meeting", "%(num)d встречи") not in wrong_placeholders(broken)


# --- the pages ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The portal on a SQLite store holding the bundled record (rendering is the same on both
    backends; the store's own tests run on PostgreSQL too)."""
    path = tmp_path_factory.mktemp("i18n") / "cajd.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = store.make_engine(f"sqlite:///{path}")
    pipeline.load(engine)
    with TestClient(create_app(engine)) as client:
        yield client
    engine.dispose()


SEARCHED = "Tokyo"
LISTS = ["", "timeline", "structure", "meetings", "parties", "people", "documents",
         f"documents?q={SEARCHED}", "commitments", "sources", "rounds"]
DETAILS = ["meetings", "parties", "people", "documents", "commitments", "sources"]

ENGLISH_CHROME = ["Skip to content", "Timeline", "Meetings", "Sources", "This page as JSON",
                  "API documentation", "Key figures", "Latest meetings", "Head of delegation",
                  "Date", "Delegations", "Language", "Data (CSV)", "Where sources disagree"]
TRANSLATED = {
    "ja": ["「中央アジア＋日本」対話", "本文へ移動", "年表", "会合", "出典", "このページのJSON形式",
           "代表団", "日付"],
    "ru": ["Диалог «Центральная Азия + Япония»", "Перейти к содержанию", "Хронология", "Встречи",
           "Источники", "Эта страница в формате JSON", "Делегации", "Дата"],
}
# Where the interface speaks (not the record): headings, table and list headers, form labels,
# buttons, navigation, the footer, figure captions, badges, and aria-labels. (A detail page's
# <title> is its record's name; only its suffix, the site's name, is chrome: checked apart.)
CHROME_TAGS = {"nav", "footer", "h2", "th", "dt", "label", "button", "option", "figcaption",
               "strong"}
CHROME_CLASSES = {"skip", "badge", "count", "crumbs", "unsourced", "missing", "twin"}
DATA_TAGS = {"a", "td", "dd", "code", "time", "svg", "script", "style", "p", "li"}
# "cajd" is the project's name (its badge on a translation it made: "cajdによる翻訳").
ALLOWED = {"JSON", "API", "CSV", "Vega-Lite", "URL", "USD", "cajd"}
VOID = {"meta", "link", "br", "input", "img", "hr", "source", "wbr"}


class ChromeText(HTMLParser):
    """The page's interface text: text inside chrome elements, minus record data in them."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # tag, chrome, data
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        # marked as English on purpose: a record's fallback, or "English" in the language menu
        fallback = "fallback" in classes or attributes.get("lang") == "en"
        in_figure = tag == "svg" or any(t == "svg" for t, _c, _d in self.stack)
        if "aria-label" in attributes and tag != "div" and not in_figure:
            self.texts.append(attributes["aria-label"] or "")  # (a figure's: its data, drawn)
        if tag in VOID:
            return
        chrome = tag in CHROME_TAGS or bool(classes & CHROME_CLASSES) or (
            tag == "a" and any(t in ("nav", "footer") for t, _c, _d in self.stack))
        chrome = chrome and not fallback
        data = fallback or tag in DATA_TAGS or (tag == "span" and not chrome)
        self.stack.append((tag, chrome, data))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        chrome = data_seen = False
        for _tag, is_chrome, is_data in reversed(self.stack):  # the nearest marked element wins
            if is_chrome:
                chrome = True
                break
            if is_data:
                data_seen = True
                break
        if chrome and not data_seen and data.strip():
            self.texts.append(data.strip())


def chrome_text(html: str) -> list[str]:
    parser = ChromeText()
    parser.feed(html)
    return parser.texts


def without_record_data(html: str) -> str:
    """The page minus what may hold English record data: fallback spans, the figures' SVG (its
    labels are record names), and the page title (a record's name)."""
    html = re.sub(r'<span lang="en" class="fallback"[^>]*>.*?</span>', "", html, flags=re.S)
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"<title>.*?</title>", "", html, flags=re.S)


def english_chrome_in(html: str) -> list[str]:
    """Known English chrome strings standing as an element's whole text or as an aria-label
    (record data that merely contains such a word, like a source's title, does not count)."""
    rest = without_record_data(html)
    return [s for s in ENGLISH_CHROME
            if re.search(rf'>\s*{re.escape(s)}\s*<|aria-label="{re.escape(s)}"', rest)]


def detail_paths(client: TestClient) -> list[str]:
    paths = []
    for section in DETAILS:
        html = client.get(f"/en/{section}").text
        found = re.findall(rf'href="/en/({section}/[^"#?]+)"', html)
        paths += list(dict.fromkeys(found))[:3]
    return paths


@pytest.mark.parametrize("lang", TARGETS)
def test_pages_have_no_english_chrome(client: TestClient, lang: str) -> None:
    paths = LISTS + detail_paths(client)
    site = po(lang)["Central Asia plus Japan Dialogue"].string
    assert len(paths) > len(LISTS) + 10
    english = []
    for path in paths:
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200, path
        html = response.text
        assert f'<html lang="{lang}">' in html
        assert f" · {site}</title>" in html, path
        for text in chrome_text(html):
            text = text.replace(SEARCHED, "")  # the user's own query, echoed
            words = set(re.findall(r"[A-Za-z][A-Za-z-]{2,}", text)) - ALLOWED
            if words:
                english.append((path, text))
        english += [(path, s) for s in english_chrome_in(html)]
    assert english == []


@pytest.mark.parametrize("lang", TARGETS)
def test_pages_show_the_translations(client: TestClient, lang: str) -> None:
    home, timeline = client.get(f"/{lang}/").text, client.get(f"/{lang}/timeline").text
    for text in TRANSLATED[lang]:
        assert text in home + timeline, text
    assert english_chrome_in(home) == english_chrome_in(timeline) == []


def test_english_pages_show_the_english_chrome(client: TestClient) -> None:
    """The control: the same checks do see English where it belongs."""
    html = client.get("/en/").text
    assert "Skip to content" in chrome_text(html)
    assert "Timeline" in chrome_text(html)
    assert set(english_chrome_in(html)) >= {
        "Skip to content", "Timeline", "Meetings", "Sources", "This page as JSON",
        "API documentation", "Key figures", "Latest meetings", "Date", "Delegations"}


def test_russian_counts_use_the_three_plural_forms(client: TestClient) -> None:
    html = client.get("/ru/meetings").text
    count = re.search(r'<p class="count" role="status">([^<]*)</p>', html)
    assert count is not None
    n = int(re.sub(r"\D", "", count.group(1)))
    form = 0 if n % 10 == 1 and n % 100 != 11 else 1 if 2 <= n % 10 <= 4 and not (
        12 <= n % 100 <= 14) else 2
    assert count.group(1).endswith(("встреча", "встречи", "встреч")[form])


@pytest.mark.parametrize("lang", TARGETS)
def test_error_page_is_translated(client: TestClient, lang: str) -> None:
    html = client.get(f"/{lang}/meetings/no-such-meeting").text
    heading = re.search(r"<h1>([^<]*)</h1>", html)
    assert heading is not None and heading.group(1) == po(lang)["Not found"].string
