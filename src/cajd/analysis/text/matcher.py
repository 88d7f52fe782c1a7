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

import unicodedata
from dataclasses import dataclass
from typing import Any

import ahocorasick


@dataclass(frozen=True)
class Match:
    actor: str
    start: int  # offsets into the original text
    end: int


@dataclass(frozen=True)
class Normalised:
    text: str  # lower-cased form the automaton runs over
    exact: str  # same length, case kept: for abbreviations
    origin: list[int]  # original offset of each normalised character


def _char_forms(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).replace("ё", "е").replace("Ё", "Е")


def normalise(text: str, drop_spaces: bool) -> Normalised:
    low: list[str] = []
    exact: list[str] = []
    origin: list[int] = []
    space = False
    for i, raw in enumerate(text):
        for ch in _char_forms(raw):
            if ch.isspace():
                if drop_spaces or space or not low:
                    continue
                ch, space = " ", True
            else:
                space = False
            lowered = ch.lower()
            low.append(lowered if len(lowered) == 1 else ch)
            exact.append(ch)
            origin.append(i)
    origin.append(len(text))
    return Normalised("".join(low), "".join(exact), origin)


def _wordy(alias: str) -> bool:
    return any(ch.isalpha() and ("LATIN" in unicodedata.name(ch, "")
                                 or "CYRILLIC" in unicodedata.name(ch, "")) for ch in alias)


def _is_abbreviation(alias: str) -> bool:
    letters = [ch for ch in alias if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


class Matcher:
    """One automaton per whitespace policy over every alias of every actor."""

    def __init__(self, actors: dict[str, list[str]]) -> None:
        self.automata = {drop: self._build(actors, drop) for drop in (False, True)}

    @staticmethod
    def _build(actors: dict[str, list[str]], drop_spaces: bool) -> Any:
        automaton = ahocorasick.Automaton()
        for actor, aliases in actors.items():
            for alias in aliases:
                key = normalise(alias, drop_spaces)
                if not key.text:
                    continue
                # an alias spelt twice (by two actors) keeps the first: the data check forbids it
                if key.text not in automaton:
                    automaton.add_word(key.text, (actor, len(key.text), key.exact,
                                                  _is_abbreviation(alias), _wordy(alias)))
        automaton.make_automaton()
        return automaton

    def find(self, text: str, drop_spaces: bool = False) -> list[Match]:
        norm = normalise(text, drop_spaces)
        automaton = self.automata[drop_spaces]
        candidates = []
        for end, (actor, length, exact, abbreviation, wordy) in automaton.iter(norm.text):
            start = end - length + 1
            if abbreviation and norm.exact[start:end + 1] != exact:
                continue
            if wordy and not _bounded(norm.text, start, end + 1):
                continue
            candidates.append((start, end + 1, actor))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        chosen: list[Match] = []
        reached = 0
        for start, end, actor in candidates:
            if start >= reached:
                chosen.append(Match(actor, norm.origin[start], norm.origin[end - 1] + 1))
                reached = end
        return chosen


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and _letterlike(before)) and not (
        after.isalnum() and _letterlike(after))


def _letterlike(ch: str) -> bool:
    # Japanese characters next to a Latin abbreviation ("JICAと") are not part of its word
    return ch.isdigit() or "LATIN" in unicodedata.name(ch, "") or "CYRILLIC" in unicodedata.name(
        ch, "")
