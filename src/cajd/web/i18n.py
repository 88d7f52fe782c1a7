"""Interface languages: Babel catalogs for the chrome, Babel formats for dates and numbers.

Catalogs are read from the ``.po`` files at start-up (compiled in memory), so a translator edits
one file and no build step can leave a stale ``.mo`` behind.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    format_compact_decimal,
    format_decimal,
    get_currency_name,
    get_currency_symbol,
)
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


# Babel's formatting is pure but slow (a list page writes fifty dates): remember the answers.
@lru_cache(maxsize=16384)
def format_fuzzy(value: str | None, lang: str, genitive: bool = False) -> str:
    """A dataset date (``2012``, ``2012-11``, ``2012-11-10``) written the way ``lang`` writes it;
    ``genitive`` for a date after a preposition ("с августа 2004 г.": Russian months take the
    genitive there, and the month-and-year skeleton gives the nominative)."""
    if not value:
        return ""
    fuzzy = FuzzyDate.parse(value)
    if fuzzy.precision is Precision.YEAR:
        return format_skeleton("y", fuzzy.date, locale=lang)
    if fuzzy.precision is Precision.MONTH:
        if genitive and lang == "ru":
            return format_date(fuzzy.date, "MMMM y 'г.'", locale=lang)
        return format_skeleton("yMMMM", fuzzy.date, locale=lang)
    return format_date(fuzzy.date, format="long", locale=lang)


@lru_cache(maxsize=16384)
def format_number(value: int | float | None, lang: str) -> str:
    return "" if value is None else format_decimal(value, locale=lang)


@lru_cache(maxsize=4096)
def format_amount(amount: int, currency: str, lang: str) -> tuple[str, str]:
    """An amount as a reader reads it ("¥3 trillion", "3兆円", "3 трлн японских иен") and its
    exact figure in full (for the hover)."""
    exact = f"{format_decimal(amount, locale=lang)} {currency}"
    if abs(amount) < 1_000_000:
        return exact, exact
    if lang == "ja":
        unit = "円" if currency == "JPY" else get_currency_name(currency, locale=lang)
        return format_compact_decimal(amount, format_type="long", locale=lang,
                                      fraction_digits=1) + unit, exact
    if lang == "ru":  # "трлн", "млрд", "млн" take the genitive plural: the name for "many"
        number = format_compact_decimal(amount, format_type="short", locale=lang,
                                        fraction_digits=1)
        return f"{number} {get_currency_name(currency, count=5, locale=lang)}", exact
    symbol = "US$" if currency == "USD" else get_currency_symbol(currency, locale=lang)
    words = format_compact_decimal(amount, format_type="long", locale=lang, fraction_digits=1)
    return (f"{symbol}{words}" if symbol != currency else f"{words} {currency}"), exact


def negotiate(accept_language: str) -> str:
    """The interface language an ``Accept-Language`` header prefers, by its q-values (Babel's
    negotiation; English when it asks for none of ours)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    preferred = [tag for _q, _p, tag in sorted(weighted)]
    # each tag also as its bare language (ja-JP → ja), right after it
    expanded = [t for tag in preferred for t in (tag, tag.split("-")[0])]
    return negotiate_locale(expanded, list(LANGUAGES), sep="-") or DEFAULT_LANGUAGE


def language_name(lang: str) -> str:
    """A language's name in that language (English, 日本語, русский)."""
    return Locale.parse(lang).get_display_name(lang) or lang


def today() -> dt.date:
    return dt.date.today()
