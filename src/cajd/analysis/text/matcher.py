"""Counting actor references with Aho–Corasick automata (``ahocorasick-rs``).

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
import operator
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import ahocorasick_rs


class Match(NamedTuple):
    # a tuple, not a frozen dataclass: one is built per reference, and a frozen dataclass's
    # __init__ (object.__setattr__ per field) was a tenth of the matcher's time
    actor: str
    start: int  # offsets into the original text
    end: int


class Normalised(NamedTuple):
    # a tuple, not a frozen dataclass: one is built per call (a line, in the benchmark)
    text: str  # lower-cased form the automaton runs over
    exact: str  # same length, case kept: for abbreviations
    origin: list[int] | None  # original offset of each character (slow path), or
    # (normalised offset, original offset) where a run starts
    segments: Sequence[tuple[int, int]]

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
    if text.isascii() or unicodedata.is_normalized("NFKC", text):  # the common case, in C
        exact = text.translate(_YO) if "ё" in text or "Ё" in text else text
        low = exact.lower()
        if len(low) == len(exact):
            if not drop_spaces and "  " not in low and low.isprintable():
                # single spaces only (a line, mostly): nothing to squeeze, offsets unchanged.
                # isprintable() is false for every whitespace character but the space.
                return _new(Normalised, (low, exact, None, _SAME))
            return _squeeze(low, exact, drop_spaces)
    return _normalise_per_char(text, drop_spaces)


_new = tuple.__new__  # a tuple without the Python-level __new__ that NamedTuple gives it
_SAME = ((0, 0),)  # segments of a text whose offsets are its own


_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace other than the space
_SPACES = re.compile(" {2,}")


def _squeeze(low: str, exact: str, drop_spaces: bool) -> Normalised:
    """Whitespace runs become one space (or nothing), keeping a piecewise offset map."""
    if not drop_spaces:
        # One whitespace character becomes one space, offsets unchanged (a line break, in a
        # whole document, is most of them); only longer runs need the offset map.
        if not low.isprintable() and _OTHER_SPACE.search(low) is not None:
            low, exact = _OTHER_SPACE.sub(" ", low), _OTHER_SPACE.sub(" ", exact)
        if "  " not in low:
            return Normalised(low, exact, None, _SAME)
    segments = [(0, 0)]
    low_parts: list[str] = []
    exact_parts: list[str] = []
    at = reached = 0
    filler = "" if drop_spaces else " "
    for space in (_SPACE if drop_spaces else _SPACES).finditer(low):
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


class _Automata:
    """The aliases of one whitespace policy, in two families: abbreviations over the case-kept
    text (so "under" never yields a candidate "UN"), every other alias over the lower-cased
    text. Each family twice: leftmost-longest (the fast path) and all overlapping candidates
    (the exact path)."""

    def __init__(self, actors: dict[str, list[str]], drop_spaces: bool) -> None:
        keys: dict[bool, dict[str, tuple[str, bool]]] = {True: {}, False: {}}
        for actor, aliases in actors.items():
            for alias in aliases:
                abbreviation = _is_abbreviation(alias)
                norm = normalise(alias, drop_spaces)
                key = norm.exact if abbreviation else norm.text
                # an alias spelt twice (by two actors) keeps the first: the data check forbids it
                if key and key not in keys[abbreviation]:
                    keys[abbreviation][key] = (actor, _wordy(alias))
        self.families = [_Family(keys[False]), _Family(keys[True])]  # words, abbreviations


class _Family:
    def __init__(self, keys: dict[str, tuple[str, bool]]) -> None:
        self.actors = [actor for actor, _ in keys.values()]
        self.wordy = [wordy for _, wordy in keys.values()]
        # the contiguous NFA scanned the benchmark's corpus quickest (the DFA was slower)
        self.longest = ahocorasick_rs.AhoCorasick(
            list(keys), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA)
        self.every = ahocorasick_rs.AhoCorasick(list(keys))


# Latin and Cyrillic letters and digits lie below U+3000: Japanese characters next to a Latin
# word ("JICAと") are not part of it. A set, not isalnum(): one look-up per side of a match.
_WORD = frozenset(ch for ch in map(chr, range(0x3000)) if ch.isalnum())


def _bounded(low: str, start: int, end: int) -> bool:
    """Not preceded or followed by a letter or digit."""
    return not ((start and low[start - 1] in _WORD) or (end < len(low) and low[end] in _WORD))


Candidate = tuple[int, int, str]  # start, -length, actor: sorts leftmost-longest first


def _greedy(candidates: list[Candidate]) -> list[tuple[int, int, str]]:
    """Leftmost-longest without overlaps: (start, end, actor)."""
    candidates.sort()
    chosen: list[tuple[int, int, str]] = []
    reached = 0
    for start, negative, actor in candidates:
        if start >= reached:
            reached = start - negative
            chosen.append((start, reached, actor))
    return chosen


class Matcher:
    """Finds the references in a text. The common case is one leftmost-longest pass in Rust
    (``ahocorasick-rs``) per family, whose picks are the answer as they stand when each is a
    whole word and no abbreviation overlaps a word; otherwise the text takes the exact path:
    every overlapping candidate, the whole-word test on each, then leftmost-longest. Both give
    the same matches (see ``_fast`` for why; tests/test_text_paths.py checks it on random
    texts)."""

    def __init__(self, actors: dict[str, list[str]]) -> None:
        self.automata = {drop: _Automata(actors, drop) for drop in (False, True)}

    def find(self, text: str, drop_spaces: bool = False) -> list[Match]:
        norm = normalise(text, drop_spaces)
        words, capitals = self.automata[drop_spaces].families
        found = self._fast(words, capitals, norm.text, norm.exact)
        if found is None:
            found = self.exact(words, capitals, norm.text, norm.exact)
        if norm.origin is None and len(norm.segments) == 1:  # offsets are the text's own
            return found
        orig = norm.orig
        return [Match(actor, orig(start), orig(end - 1) + 1) for actor, start, end in found]

    @staticmethod
    def _fast(words: _Family, capitals: _Family, low: str,
              exact: str) -> list[Match] | None:
        """The leftmost-longest picks of each family, or None where the exact path is needed.

        If every pick of a family is a whole word, its picks are the exact path's choice within
        the family: from where the last pick ended, the leftmost start of any candidate is then
        also the leftmost of those that pass, and its longest candidate passes. If besides no
        pick of one family overlaps a pick of the other, neither can displace the other (a
        candidate a family passed over overlaps one of its own picks, which is kept), and the
        answer is both."""
        last = len(low) - 1
        found: list[Match] = []
        keep = found.append
        new = tuple.__new__  # a Match without the Python-level __new__ namedtuple gives it
        for family, haystack in ((words, low), (capitals, exact)):
            wordy, actors, word = family.wordy, family.actors, _WORD
            for i, start, end in family.longest.find_matches_as_indexes(haystack):
                # written out, not _bounded(): this loop runs once per reference
                if wordy[i] and ((start and low[start - 1] in word) or
                                 (end <= last and low[end] in word)):
                    return None
                keep(new(Match, (actors[i], start, end)))
            if family is words:
                n_words = len(found)
        if n_words == len(found):
            return found
        starts = [start for _, start, _ in found[:n_words]]
        for _, start, end in found[n_words:]:
            k = bisect.bisect_right(starts, start)  # found[k - 1] starts at or before it
            if (k and found[k - 1][2] > start) or (k < n_words and starts[k] < end):
                return None  # an abbreviation overlaps a word
        found.sort(key=_START)
        return found

    @staticmethod
    def exact(words: _Family, capitals: _Family, low: str,
              exact: str) -> list[Match]:
        """Every candidate, the whole-word test on each, then leftmost-longest."""
        candidates: list[Candidate] = []
        for family, haystack in ((words, low), (capitals, exact)):
            wordy, actors = family.wordy, family.actors
            candidates += [(s, s - e, actors[i])
                           for i, s, e in family.every.find_matches_as_indexes(
                               haystack, overlapping=True)
                           if not wordy[i] or _bounded(low, s, e)]
        return [Match(actor, start, end) for start, end, actor in _greedy(candidates)]


_START = operator.itemgetter(1)
