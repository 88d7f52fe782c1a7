"""Counting actor references with one Aho–Corasick automaton (``pyahocorasick``).

Rules, in order:
- text and aliases are normalised alike: NFKC (full- and half-width forms are one: ＋ is +),
  lower case, ё read as е; runs of whitespace become one space in English and Russian, and
  whitespace is dropped altogether in Japanese (which has no spaces between words);
- an alias in capitals (an abbreviation: UN, EU, США) matches only in capitals;
- an alias containing Latin or Cyrillic letters matches only as whole words: not preceded or
  followed by a letter or digit (Japanese aliases match on characters, anywhere);
- of the matches that pass, the leftmost-longest win and none overlap: "Japan International
  Cooperation Agency" is JICA, not JP; "Central Asia plus Japan" is caj, neither JP nor
  central-asia.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from dataclasses import dataclass
from typing import Any, NamedTuple

import ahocorasick


class Match(NamedTuple):
    # a tuple, not a frozen dataclass: one is built per reference, and a frozen dataclass's
    # __init__ (object.__setattr__ per field) was a tenth of the matcher's time
    actor: str
    start: int  # offsets into the original text
    end: int


@dataclass(frozen=True)
class Normalised:
    text: str  # lower-cased form the automaton runs over
    exact: str  # same length, case kept: for abbreviations
    origin: list[int] | None  # original offset of each character (slow path), or
    segments: list[tuple[int, int]]  # (normalised offset, original offset) where a run starts

    def orig(self, i: int) -> int:
        if self.origin is not None:
            return self.origin[i]
        k = bisect.bisect_right(self.segments, (i, sys.maxsize)) - 1
        at, source = self.segments[k]
        return source + (i - at)


_YO = str.maketrans({"ё": "е", "Ё": "Е"})
_SPACE = re.compile(r"\s+")


def _char_forms(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).translate(_YO)


def normalise(text: str, drop_spaces: bool) -> Normalised:
    """The text as the automaton reads it, with a map back to the original offsets."""
    if unicodedata.is_normalized("NFKC", text):  # the common case, done in C
        exact = text.translate(_YO) if "ё" in text or "Ё" in text else text
        low = exact.lower()
        if len(low) == len(exact):
            return _squeeze(low, exact, drop_spaces)
    return _normalise_per_char(text, drop_spaces)


_OTHER_SPACE = re.compile("[\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029]")


def _squeeze(low: str, exact: str, drop_spaces: bool) -> Normalised:
    """Whitespace runs become one space (or nothing), keeping a piecewise offset map."""
    if not drop_spaces and "  " not in low and _OTHER_SPACE.search(low) is None:
        # single spaces only (most lines): nothing to squeeze, offsets unchanged
        return Normalised(low, exact, None, [(0, 0)])
    segments = [(0, 0)]
    low_parts: list[str] = []
    exact_parts: list[str] = []
    at = reached = 0
    filler = "" if drop_spaces else " "
    for space in _SPACE.finditer(low):
        low_parts += [low[at:space.start()], filler]
        exact_parts += [exact[at:space.start()], filler]
        reached += space.start() - at + len(filler)
        at = space.end()
        segments.append((reached, at))
    low_parts.append(low[at:])
    exact_parts.append(exact[at:])
    return Normalised("".join(low_parts), "".join(exact_parts), None, segments)


def _normalise_per_char(text: str, drop_spaces: bool) -> Normalised:
    low: list[str] = []
    exact: list[str] = []
    origin: list[int] = []
    space = False
    for i, raw in enumerate(text):
        for ch in _char_forms(raw):
            if ch.isspace():
                if drop_spaces or space:
                    continue
                ch, space = " ", True
            else:
                space = False
            lowered = ch.lower()
            low.append(lowered if len(lowered) == 1 else ch)
            exact.append(ch)
            origin.append(i)
    origin.append(len(text))
    return Normalised("".join(low), "".join(exact), origin, [])


def _wordy(alias: str) -> bool:
    return any(ch.isalpha() and ("LATIN" in unicodedata.name(ch, "")
                                 or "CYRILLIC" in unicodedata.name(ch, "")) for ch in alias)


def _is_abbreviation(alias: str) -> bool:
    letters = [ch for ch in alias if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


class Matcher:
    """Two automata per whitespace policy: abbreviations over the case-kept text (so "under"
    never yields a candidate "UN"), every other alias over the lower-cased text."""

    def __init__(self, actors: dict[str, list[str]]) -> None:
        self.automata = {drop: (self._build(actors, drop, True), self._build(actors, drop, False))
                         for drop in (False, True)}

    @staticmethod
    def _build(actors: dict[str, list[str]], drop_spaces: bool, abbreviations: bool) -> Any:
        automaton = ahocorasick.Automaton()
        for actor, aliases in actors.items():
            for alias in aliases:
                if _is_abbreviation(alias) != abbreviations:
                    continue
                norm = normalise(alias, drop_spaces)
                key = norm.exact if abbreviations else norm.text
                # an alias spelt twice (by two actors) keeps the first: the data check forbids it
                if key and key not in automaton:
                    automaton.add_word(key, (actor, len(key), _wordy(alias)))
        if len(automaton) == 0:
            automaton.add_word("\x00", ("", 1, False))  # an empty automaton cannot be searched
        automaton.make_automaton()
        return automaton

    def find(self, text: str, drop_spaces: bool = False) -> list[Match]:
        norm = normalise(text, drop_spaces)
        low = norm.text
        abbreviations, others = self.automata[drop_spaces]
        candidates: list[tuple[int, int, str]] = []
        append = candidates.append
        last = len(low) - 1
        # The loop below runs once per candidate: it is the matcher's hot path, so the
        # whole-word test is written out inline (a function call per side cost a quarter of it).
        # Latin and Cyrillic letters and digits lie below U+3000; Japanese characters next to a
        # Latin abbreviation ("JICAと") are not part of its word.
        for automaton, haystack in ((abbreviations, norm.exact), (others, low)):
            for end, (actor, length, wordy) in automaton.iter(haystack):
                start = end - length + 1
                if wordy:
                    if start:
                        before = low[start - 1]
                        if before < "\u3000" and before.isalnum():
                            continue
                    if end < last:
                        after = low[end + 1]
                        if after < "\u3000" and after.isalnum():
                            continue
                append((start, -length, actor))
        if not candidates:
            return []
        candidates.sort()
        chosen: list[Match] = []
        keep = chosen.append
        reached = 0
        if norm.origin is None and len(norm.segments) == 1:  # offsets are the text's own
            for start, negative, actor in candidates:
                if start >= reached and actor:
                    reached = start - negative
                    keep(Match(actor, start, reached))
            return chosen
        orig = norm.orig
        for start, negative, actor in candidates:
            if start >= reached and actor:
                reached = start - negative
                keep(Match(actor, orig(start), orig(reached - 1) + 1))
        return chosen
