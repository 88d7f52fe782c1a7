"""Interface languages: Babel catalogs for the chrome, Babel formats for dates and numbers.

Catalogs are read from the ``.po`` files at start-up (compiled in memory), so a translator edits
one file and no build step can leave a stale ``.mo`` behind.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from cajd.fuzzydate import FuzzyDate
from cajd.vocab import Precision

LANGUAGES = ("en", "ja", "ru")
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def translations(lang: str) -> NullTranslations:
    """The catalog for ``lang`` (English is the source language: no catalog)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT_LANGUAGE or not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def format_fuzzy(value: str | None, lang: str) -> str:
    """A dataset date (``2012``, ``2012-11``, ``2012-11-10``) written the way ``lang`` writes it."""
    if not value:
        return ""
    fuzzy = FuzzyDate.parse(value)
    if fuzzy.precision is Precision.YEAR:
        return format_skeleton("y", fuzzy.date, locale=lang)
    if fuzzy.precision is Precision.MONTH:
        return format_skeleton("yMMMM", fuzzy.date, locale=lang)
    return format_date(fuzzy.date, format="long", locale=lang)


def format_number(value: int | float | None, lang: str) -> str:
    return "" if value is None else format_decimal(value, locale=lang)


def language_name(lang: str) -> str:
    """A language's name in that language (English, 日本語, русский)."""
    return Locale.parse(lang).get_display_name(lang) or lang


def today() -> dt.date:
    return dt.date.today()
