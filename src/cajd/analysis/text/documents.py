"""Reading the texts a user supplies (.txt, .html, .pdf) and counting the actors in each: per
document, per 1,000 words, with keyword-in-context lines giving file and line.

Words: in English and Russian a word is a run of letters or digits; Japanese has no spaces
between words, so there each non-space character counts as one word. ``auto`` takes Japanese
when kana and kanji are at least a fifth of the letters, else Russian when Cyrillic outnumbers
Latin, else English.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from cajd.analysis.text.matcher import Matcher

LANGS = ("en", "ja", "ru")
_WORD = re.compile(r"\w+")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_BREAK = re.compile("\n")


class Kwic(BaseModel):
    actor: str
    line: int
    text: str


class TextDocument(BaseModel):
    path: str
    lang: str
    words: int
    counts: dict[str, int]
    per_1000: dict[str, float]
    kwic: list[Kwic]


class TextAnalysis(BaseModel):
    documents: list[TextDocument]


class UnreadableText(ValueError):
    """A file that cannot be read as a text."""


def detect(text: str) -> str:
    scripts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts["ja" if any(s in name for s in ("CJK", "HIRAGANA", "KATAKANA"))
                    else "ru" if "CYRILLIC" in name else "en"] += 1
    letters = sum(scripts.values()) or 1
    if scripts["ja"] / letters >= 0.2:
        return "ja"
    return "ru" if scripts["ru"] > scripts["en"] else "en"


def count_words(text: str, lang: str) -> int:
    if lang == "ja":
        return sum(1 for ch in text if not ch.isspace())
    return len(_WORD.findall(text))


def _strip_html(source: str) -> str:
    # Tags are replaced by the line breaks they contained, so that lines keep their numbers.
    def keep_lines(m: re.Match[str]) -> str:
        return "\n" * m.group(0).count("\n")

    return html.unescape(_TAG.sub(keep_lines, _SCRIPT_OR_STYLE.sub(keep_lines, source)))


def read_text(path: Path) -> str:
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            from pypdf import PdfReader

            return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UnreadableText(f"{path}: cannot be read as text ({exc})") from exc
    return _strip_html(raw) if suffix in (".html", ".htm") else raw


def analyse_text(text: str, path: str, lang: str, matcher: Matcher,
                 context: int = 40) -> TextDocument:
    lang = detect(text) if lang == "auto" else lang
    matches = matcher.find(text, drop_spaces=lang == "ja")
    counts = Counter(m.actor for m in matches)
    words = count_words(text, lang)
    # a match's line: one more than the line breaks before it (found by the regex engine, not
    # a Python loop over every character)
    breaks = [b.start() for b in _BREAK.finditer(text)]
    kwic = [Kwic(actor=m.actor, line=bisect.bisect_left(breaks, m.start) + 1,
                 text=" ".join(text[max(0, m.start - context):m.end + context].split()))
            for m in matches]
    return TextDocument(
        path=path, lang=lang, words=words, counts=dict(sorted(counts.items())),
        per_1000={a: round(n * 1000 / words, 2) for a, n in sorted(counts.items())} if words
        else {},
        kwic=kwic,
    )


def analyse_files(paths: Iterable[Path], lang: str, matcher: Matcher) -> TextAnalysis:
    if lang not in (*LANGS, "auto"):
        raise ValueError(f"--lang: {lang!r} is not one of en, ja, ru, auto")
    return TextAnalysis(documents=[analyse_text(read_text(p), str(p), lang, matcher)
                                   for p in paths])
