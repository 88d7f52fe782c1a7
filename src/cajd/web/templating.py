"""Jinja2 environments, one per interface language, with the helpers every template uses."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from cajd import vocab
from cajd.read.views import CajdText, Localized
from cajd.web import citations
from cajd.web.i18n import LANGUAGES, format_fuzzy, format_number, language_name, translations

TEMPLATES = Path(__file__).parent / "templates"
VOCABULARIES = {cls.__name__: cls for cls in vocab.ALL_VOCABULARIES}


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    _ = translations(lang).gettext
    fallback_title = _("Not yet recorded in this language; shown in English")

    def loc(value: Localized | None) -> Markup:
        """The value in the page's language, or its English marked as a visible fallback."""
        if value is None:
            return Markup("")
        own = value.get(lang)
        if own:
            return escape(own)
        return Markup('<span lang="en" class="fallback" title="{}">{}</span>').format(
            fallback_title, value.en
        )

    badge = _("translated by cajd")
    badge_title = _("cajd's own translation of text cajd wrote in English, not a source's words")

    def cajd_text(value: CajdText | None) -> Markup:
        """Text cajd wrote: in the page's language as cajd translated it, badged so; else the
        English, marked as a visible fallback."""
        if value is None:
            return Markup("")
        own = value.get(lang) if lang != "en" else None
        if own:
            return Markup('<span class="translated">{}</span> '
                          '<span class="badge translated-by" title="{}">{}</span>').format(
                own, badge_title, badge)
        return loc(value)

    def label(vocabulary: str, value: str | None) -> str:
        if not value:
            return ""
        return VOCABULARIES[vocabulary](value).label(lang)

    env.globals.update(
        lang=lang,
        languages=[(code, language_name(code)) for code in LANGUAGES],
        loc=loc,
        cajd_text=cajd_text,
        label=label,
        date=lambda value: format_fuzzy(value, lang),
        number=lambda value: format_number(value, lang),
        url=lambda path="": f"/{lang}/{path}",
        place_of=citations.place_of,
        for_fields=citations.for_fields,
    )
    return env


def render(lang: str, template: str, **context: Any) -> str:
    # one numbering of sources per rendered page (issue 13: numbers match the Sources list)
    context.setdefault("numbering", citations.Numbering())
    return environment(lang).get_template(template).render(**context)
