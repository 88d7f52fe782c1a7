"""The matcher's two paths agree: wherever the fast path (leftmost-longest picks, taken as they
stand) answers, its matches are the exact path's (every candidate, the whole-word test, then
leftmost-longest), on random texts made of the bundled aliases and the traps between them
(letters glued to an alias, capitals, abbreviations inside longer ones, odd whitespace)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from cajd.analysis.text.actors import bundled
from cajd.analysis.text.matcher import Matcher, normalise

MATCHER = Matcher(bundled())
ALIASES = sorted({a for aliases in bundled().values() for a in aliases})
TRAPS = ["x", "s", "-", ".", " ", "  ", "\n", "\t", "ё", "Ё", "ＪＩＣＡ", "＋", "1", "と",
         "UNDP", "USAID", "us", "U.S.A", "«", "»", "Kazakhstanis", "UN-Habitat", " \n "]


def _both(text: str, drop_spaces: bool) -> tuple[object, object]:
    norm = normalise(text, drop_spaces)
    words, capitals = MATCHER.automata[drop_spaces].families
    return (MATCHER._fast(words, capitals, norm.text, norm.exact),
            MATCHER.exact(words, capitals, norm.text, norm.exact))


def _text(rng: random.Random) -> str:
    parts = [rng.choice(ALIASES) if rng.random() < 0.5 else rng.choice(TRAPS)
             for _ in range(rng.randint(1, 12))]
    text = rng.choice(["", " ", "-"]).join(parts)
    return text.upper() if rng.random() < 0.3 else text


def test_the_fast_path_gives_the_exact_paths_matches() -> None:
    rng = random.Random(42)
    taken = {"fast": 0, "exact": 0}
    for _ in range(3000):
        text = _text(rng)
        for drop_spaces in (False, True):
            fast, exact = _both(text, drop_spaces)
            taken["fast" if fast is not None else "exact"] += 1
            assert fast is None or fast == exact, (text, drop_spaces)
    # both paths were exercised, each often
    assert taken["fast"] > 1000 and taken["exact"] > 500, taken


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ALIASES + TRAPS), min_size=1, max_size=15),
       st.sampled_from(["", " ", "\n", "-"]), st.booleans(), st.booleans())
def test_the_paths_agree_on_any_mix(parts: list[str], sep: str, upper: bool,
                                    drop_spaces: bool) -> None:
    text = sep.join(parts)
    fast, exact = _both(text.upper() if upper else text, drop_spaces)
    assert fast is None or fast == exact


def test_a_whole_document_is_matched_as_its_lines_are() -> None:
    # one call over a document of many lines (the analysis's way, where line breaks are
    # whitespace to squeeze) finds what one call per line finds, at the line's offset: each line
    # ends in ";", which no alias contains, so none spans two lines
    rng = random.Random(7)
    lines = [" ".join(rng.choice([*ALIASES, "the", "and", "Tashkent"]) for _ in range(20)) + ";"
             for _ in range(200)]
    expected, at = [], 0
    for line in lines:
        expected += [(m.actor, m.start + at, m.end + at) for m in MATCHER.find(line)]
        at += len(line) + 1
    assert len(expected) > 1000
    assert [(m.actor, m.start, m.end) for m in MATCHER.find("\n".join(lines))] == expected
