"""Jinja2 environments, one per interface language, with the helpers every template uses."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from cajd import vocab
from cajd.read.views import CajdText, Localized
from cajd.web import citations
from cajd.web.i18n import (
    LANGUAGES,
    format_amount,
    format_fuzzy,
    format_number,
    language_name,
    translations,
)

TEMPLATES = Path(__file__).parent / "templates"
VOCABULARIES = {cls.__name__: cls for cls in vocab.ALL_VOCABULARIES}


class CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates, shared by the three languages' environments (their options are the
    same; translations are looked up when a page renders, not compiled in), by every worker and
    from one start to the next (compiling all of them takes 0.6 s; loading them 0.03 s). Jinja
    keys each entry on the template's path and its source's checksum, in a folder of the user's
    own that it checks is private (one file per template)."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        # a full disk, the folder swept away: the page is served all the same
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> CompiledTemplates | None:
    try:
        return CompiledTemplates()
    except (OSError, RuntimeError):  # no private temporary folder: each process compiles
        return None


COMPILED = _compiled_templates()


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=COMPILED,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    _ = translations(lang).gettext
    env.globals["gettext"] = _remembered_gettext(_)
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

    def when(value: str | None, genitive: bool = False) -> Markup:
        """A date in running text, kept on one line (a Japanese date never wraps inside)."""
        if not value:
            return Markup("")
        return Markup('<span class="date">{}</span>').format(format_fuzzy(value, lang, genitive))

    def amount(value: int | None, currency: str | None) -> Markup:
        """"¥3 trillion" with the exact figure on hover (issue 13)."""
        if value is None or not currency:
            return Markup("")
        words, exact = format_amount(value, currency, lang)
        return Markup('<span class="amount" title="{}">{}</span>').format(exact, words)

    def by_name(items: list[Any], path: str = "name") -> list[Any]:
        """Sorted by their name as this page writes it (not by id): "Japan, Kazakhstan…" in
        English, "ウズベキスタン…" in Japanese, "Казахстан…" in Russian."""
        def key(item: Any) -> str:
            for part in path.split("."):
                item = getattr(item, part)
            return str(item.get(lang) or item.en).casefold()
        return sorted(items, key=key)

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

    cite_words = citations.CiteWords(source=_("source"), unsourced=_("unsourced"))

    @pass_context
    def cites(context: Context, sources: list[Any] | None) -> Markup:
        """A fact's citation numbers, on the page's one numbering (the render's ``numbering``)."""
        return citations.links(context["numbering"], sources, cite_words, lang)

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
        when=when,
        by_name=by_name,
        amount=amount,
        number=lambda value: format_number(value, lang),
        url=lambda path="": f"/{lang}/{path}",
        cites=cites,
        place_of=citations.place_of,
        for_fields=citations.for_fields,
        field_of=citations.field_of,
        capfirst=lambda text: Markup(text[:1].upper()) + text[1:] if text else text,
    )
    return env


MEMO_MESSAGES = 4096  # more than the interface has messages; a bound all the same


def _remembered_gettext(plain: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style ``_()``, each message looked up and formatted once per language.

    The same as ``jinja2.ext``'s: the translation, as Markup where the template autoescapes,
    %-formatted with the call's keywords (with none too, so ``%%`` reads ``%``). A page calls
    ``_()`` about a hundred times, and the catalog lookup, the Markup and the formatting were a
    tenth of its render time; a call with keywords is formatted afresh every time."""
    memo: dict[tuple[str, bool], str] = {}

    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        escaped = bool(context.eval_ctx.autoescape)
        if not variables:
            found = memo.get((message, escaped))
            if found is not None:
                return found
        text: str = Markup(plain(message)) if escaped else plain(message)
        formatted: str = text % variables
        if not variables and len(memo) < MEMO_MESSAGES:
            memo[message, escaped] = formatted
        return formatted

    return gettext


def render(lang: str, template: str, **context: Any) -> str:
    # one numbering of sources per rendered page (issue 13: numbers match the Sources list)
    context.setdefault("numbering", citations.Numbering())
    return environment(lang).get_template(template).render(**context)
