"""One numbering of the sources a page cites, so that every bracketed number matches the page's
Sources list: the same source has the same number wherever it is cited on the page.

A numbering lives for one render. Jinja renders top to bottom, so numbers are handed out in
reading order as the citations are drawn; the Sources list at the end adds the record's own
sources not yet cited and lists every numbered source once, with every place it was cited at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup, escape

from cajd.read.views import Cite


class Located(Protocol):
    """A citation, or a fact a source supports: where in the source (its locator)."""

    @property
    def at(self) -> str | None: ...

# A citation of one field stores its locator as "AT; field NAME" (cajd.dataset.build).
_FIELD = re.compile(r"^(?:(?P<at>.*); )?field (?P<field>\S+)$")


def field_of(cite: Located) -> str | None:
    """The field a citation supports (``start``, ``city``, ``name.ja``), None for the record."""
    match = _FIELD.match(cite.at or "")
    return match["field"] if match else None


def place_of(cite: Located) -> str | None:
    """Where in the source, without the field marker."""
    match = _FIELD.match(cite.at or "")
    return match["at"] if match else cite.at


def for_fields(cites: Iterable[Cite], *fields: str) -> list[Cite]:
    """The citations of any of ``fields``; where none supports them alone, the citations of the
    whole record (which support every field of it)."""
    cites = list(cites)
    own = [c for c in cites if (field_of(c) or "").partition(".")[0] in fields]
    return own or [c for c in cites if field_of(c) is None]


@dataclass
class Listed:
    number: int
    source: str
    title: str
    url: str | None
    official: bool
    places: list[str] = field(default_factory=list)


class Numbering:
    """The page's one list of sources, numbered in the order a reader meets them."""

    def __init__(self) -> None:
        self._by_source: dict[str, Listed] = {}

    def number(self, cite: Cite) -> int:
        listed = self._by_source.get(cite.source)
        if listed is None:
            listed = Listed(len(self._by_source) + 1, cite.source, cite.title, cite.url,
                            cite.official)
            self._by_source[cite.source] = listed
        place = place_of(cite)
        if place and place not in listed.places:
            listed.places.append(place)
        return listed.number

    def entries(self, also: Iterable[Cite] = ()) -> list[Listed]:
        """Every numbered source, after numbering ``also`` (the record's own sources)."""
        for cite in also:
            self.number(cite)
        return list(self._by_source.values())


@dataclass(frozen=True)
class CiteWords:
    """The two words the citation links need, in the page's language."""

    source: str  # "source", read out before each source's title
    unsourced: str  # shown where a fact has no source yet


def links(numbering: Numbering, sources: Iterable[Cite] | None, words: CiteWords, lang: str
          ) -> Markup:
    """The bracketed citation numbers of one fact, numbered on ``numbering``; "unsourced" where
    it has none. Written in Python rather than as a template macro: a meeting page draws some
    fifty of them, and the macro's per-call overhead was the largest part of the page's time."""
    parts: list[str] = []
    for c in sources or ():
        n = numbering.number(c)
        place = place_of(c)
        title = escape(c.title)
        parts.append(
            f'<a class="cite{" official" if c.official else ""}" data-source="{escape(c.source)}"'
            f' data-n="{n}" href="{escape(c.url or f"/{lang}/sources/{c.source}")}"\n'
            f'  title="{title}{f" — {escape(place)}" if place else ""}">[{n}]<span'
            f' class="visually-hidden"> {words.source}: {title}</span></a>')
    if not parts:
        return Markup(f'<span class="unsourced">{words.unsourced}</span>')
    return Markup('<span class="cites">\n' + "".join(parts) + "</span>\n")
