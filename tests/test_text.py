"""Text analysis: short documents written for the tests, with counts worked out by hand (the
traps: longest alias wins, the Dialogue's own name, capitals, Russian cases, ё = е, full-width
Japanese, abbreviations only in capitals), and properties that hold for any text."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cajd.analysis.text.actors import bundled, expand, read_actors
from cajd.analysis.text.documents import analyse_text, count_words, detect, read_text
from cajd.analysis.text.matcher import Matcher

TEXTS = Path(__file__).parent / "texts"
MATCHER = Matcher(bundled())

# Counted by hand, line by line (see the files).
EXPECTED = {
    "en.txt": {"caj": 2, "JP": 2, "KZ": 3, "KG": 1, "TJ": 1, "TM": 1, "UZ": 1, "JICA": 2,
               "UNDP": 1, "UN": 1, "central-asia": 2, "EU": 1, "ADB": 1, "CAREC": 1},
    "ja.txt": {"caj": 2, "JP": 2, "KZ": 1, "KG": 1, "TJ": 1, "TM": 1, "UZ": 1, "JICA": 2,
               "UNDP": 1, "central-asia": 1},
    "ru.txt": {"caj": 2, "JP": 4, "KZ": 1, "KG": 2, "TJ": 1, "TM": 1, "UZ": 1, "UN": 1, "EU": 1,
               "central-asia": 1, "US": 2},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hand_counted_documents(name: str) -> None:
    doc = analyse_text(read_text(TEXTS / name), name, "auto", MATCHER)
    assert doc.lang == name[:2]  # detected
    assert doc.counts == EXPECTED[name]
    assert doc.per_1000 == {a: round(n * 1000 / doc.words, 2) for a, n in doc.counts.items()}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Japan International Cooperation Agency", "en", {"JICA": 1}),  # longest wins, not JP
    ("the Central Asia plus Japan Dialogue", "en", {"caj": 1}),  # neither JP nor the region
    ("Tashkent, Astana, Bishkek, Dushanbe, Ashgabat, Tokyo", "en", {}),  # capitals do not count
    ("let us meet; the eu; the US and the EU", "en", {"US": 1, "EU": 1}),  # capitals only
    ("Kazakhstani Kazakhs", "en", {"KZ": 2}),
    ("UNDP and UN-Habitat", "en", {"UNDP": 1, "UN": 1}),
    ("Japanese", "en", {"JP": 1}),
    ("「中央アジア＋日本」と「中央アジア+日本」", "ja", {"caj": 2}),  # full and half width alike
    ("ＪＩＣＡとJICA", "ja", {"JICA": 2}),
    ("Япония, Японии, Японию, Японией, японский, японская, японскому", "ru", {"JP": 7}),
    ("Кыргызская Республика, Кыргызской Республики, Кыргызскую Республику", "ru", {"KG": 3}),
    ("Соединённые Штаты", "ru", {"US": 1}),  # ё = е
    ("«Центральная Азия + Япония»", "ru", {"caj": 1}),
    ("в Ташкенте и Астане", "ru", {}),
])
def test_the_rules(text: str, lang: str, expected: dict[str, int]) -> None:
    assert analyse_text(text, "t", lang, MATCHER).counts == expected


def test_kwic_gives_file_and_line() -> None:
    doc = analyse_text("first line\nsecond: Japan\n\nfourth Uzbekistan", "f.txt", "en", MATCHER)
    assert [(k.actor, k.line) for k in doc.kwic] == [("JP", 2), ("UZ", 4)]
    assert "second: Japan" in doc.kwic[0].text


def test_words_and_language_detection() -> None:
    assert count_words("Japan and Kazakhstan, 2024.", "en") == 4
    assert count_words("日本 と", "ja") == 3  # a character is a word
    assert detect("Япония и Казахстан") == "ru" and detect("日本とカザフスタン") == "ja"


def test_html_keeps_line_numbers(tmp_path: Path) -> None:
    page = tmp_path / "s.html"
    page.write_text("<html><head><style>p {}\n</style></head>\n<body><p\nclass='x'>Japan"
                    "&nbsp;&amp; Turkmenistan</p></body></html>", encoding="utf-8")
    doc = analyse_text(read_text(page), str(page), "en", MATCHER)
    assert doc.counts == {"JP": 1, "TM": 1} and doc.kwic[0].line == 4


def test_paradigms_expand_and_bad_actor_files_are_refused(tmp_path: Path) -> None:
    assert expand("Япони{noun-ia}", {"noun-ia": ["я", "и"]}) == ["Япония", "Японии"]
    assert expand("a[b|c]", {}) == ["ab", "ac"]
    (tmp_path / "x.yaml").write_text("actors:\n  - id: JP\n    aliases: {ru: ['x{nope}']}\n",
                                     encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.yaml: JP: .*no paradigm named 'nope'"):
        read_actors(tmp_path)


def test_cli_text_json_and_a_bad_lang(tmp_path: Path) -> None:
    from cajd.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["analyze", "text", str(TEXTS / "en.txt"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)["documents"][0]
    assert doc["counts"] == EXPECTED["en.txt"] and doc["kwic"][0]["line"] == 1
    bad = runner.invoke(app, ["analyze", "text", str(TEXTS / "en.txt"), "--lang", "fr"])
    assert bad.exit_code == 2 and "--lang" in bad.output


# --- properties --------------------------------------------------------------------------------

ALIASES = ["Japan", "Kazakhstan", "Kyrgyz Republic", "Central Asia plus Japan", "Central Asia",
           "JICA", "Japan International Cooperation Agency", "Японии", "Кыргызской Республики",
           "«Центральная Азия + Япония»", "the", "and", "of", "и", "в", "Tashkent", "UN", "us"]
JA_ALIASES = ["日本", "中央アジア", "「中央アジア＋日本」", "国際協力機構", "カザフスタン",
              "と", "の", "東京", "ＪＩＣＡ"]
SPACES = st.sampled_from([" ", "  ", "\n", "\t", " \n "])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ALIASES), min_size=1, max_size=25), st.data())
def test_en_ru_counts_ignore_extra_whitespace_between_words(words: list[str],
                                                            data: st.DataObject) -> None:
    plain = " ".join(words)
    spaced = "".join(w + data.draw(SPACES) for w in words)
    for lang in ("en", "ru"):
        matches = MATCHER.find(plain)
        assert analyse_text(spaced, "p", lang, MATCHER).counts == \
            analyse_text(plain, "p", lang, MATCHER).counts
        spans = sorted((m.start, m.end) for m in matches)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # no overlaps


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(JA_ALIASES), min_size=1, max_size=25), st.data())
def test_ja_counts_ignore_whitespace_anywhere(words: list[str], data: st.DataObject) -> None:
    plain = "".join(words)
    chars = list(plain)
    spaced = "".join(ch + (data.draw(SPACES) if data.draw(st.booleans()) else "")
                     for ch in chars)
    assert analyse_text(spaced, "p", "ja", MATCHER).counts == \
        analyse_text(plain, "p", "ja", MATCHER).counts
    spans = sorted((m.start, m.end) for m in MATCHER.find(spaced, drop_spaces=True))
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
