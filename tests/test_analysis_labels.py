"""The analyses in Japanese and Russian, on SQLite and PostgreSQL: every table heading and every
vocabulary cell translated, the paper's findings rendered from their templates with the record's
values, and the English rendering the same sentences as the JSON."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.analysis import paper, runner, tables
from cajd.vocab import Rank
from cajd.web import analysis_labels
from cajd.web.i18n import translations
from tests.webfixture import web_engine  # noqa: F401  (a fixture)

FINDING_ANALYSES = ("participation", "cadence", "documents")
LATIN_WORD = re.compile(r"\b[a-z]{4,}\b")  # an English word left in a translated sentence
CODES = re.compile(r"caj-[a-z0-9-]+|seed-\d+")  # record ids stay as they are


@pytest.fixture(scope="module")
def results(web_engine: Engine) -> dict[str, object]:  # noqa: F811
    with Session(web_engine) as db:
        return {name: runner.run(db, name) for name in runner.ANALYSES}


@pytest.mark.parametrize("lang", ["ja", "ru"])
@pytest.mark.parametrize("name", list(runner.ANALYSES))
def test_every_heading_is_translated(results: dict[str, object], name: str, lang: str) -> None:
    result = results[name]
    shown = analysis_labels.table(result, lang)  # type: ignore[arg-type]
    english = analysis_labels.table(result, "en")  # type: ignore[arg-type]
    assert shown.keys == list(tables.rows(result)[0])  # type: ignore[arg-type]
    for key, heading, en in zip(shown.keys, shown.headings, english.headings, strict=True):
        assert heading != key and heading != en, (key, heading)
        assert translations(lang).gettext(en) == heading


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_vocabulary_cells_are_translated(results: dict[str, object], lang: str) -> None:
    shown = analysis_labels.table(results["participation"], lang)  # type: ignore[arg-type]
    column = {k: [row[i] for row in shown.rows] for i, k in enumerate(shown.keys)}
    labels = {Rank(r).label(lang) for r in Rank.values()}
    assert set(column["rank"]) - {""} <= labels and set(column["rank"]) & labels
    gettext = translations(lang).gettext
    assert set(column["role"]) <= {gettext("taking part"), gettext("guest")}
    assert set(column["absent"]) == {gettext("yes"), gettext("no")}
    agenda = analysis_labels.table(results["agenda"], lang)  # type: ignore[arg-type]
    pillars = {row[agenda.keys.index("pillar")] for row in agenda.rows}
    names = results["agenda"].area_names  # type: ignore[attr-defined]
    # the record's own names in the language, English only where it has none
    assert pillars == {names[p].get(lang) or names[p]["en"]
                       for p in results["agenda"].per_pillar}  # type: ignore[attr-defined]
    if lang == "ja":
        assert all(re.search(r"[\u3040-\u9fff]", p) for p in pillars), pillars


def _findings(results: dict[str, object]) -> list[paper.Finding]:
    return [f for name in FINDING_ANALYSES
            for f in paper.findings(results[name])]  # type: ignore[arg-type]


def test_english_findings_are_the_jsons_sentences(results: dict[str, object]) -> None:
    found = _findings(results)
    assert len(found) == 7
    for f in found:
        shown = analysis_labels.finding(f, "en")
        assert shown.paper == f.paper
        if f.id != "held-in-japan-or-central-asia":  # places by name on the page, codes in JSON
            # ranks by their label ("Minister"), numbers grouped ("1,524")
            assert shown.record.replace(",", "").lower() == f.record.replace(",", "").lower()
        assert (shown.later is None) == (f.later is None)


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_findings_are_translated_with_the_records_values(results: dict[str, object],
                                                         lang: str) -> None:
    for f in _findings(results):
        shown = analysis_labels.finding(f, lang)
        for part in ("paper", "record", "later"):
            text, english = getattr(shown, part), getattr(f, part)
            if english is None:
                assert text is None
                continue
            assert text != english
            # the record's ids (meetings, documents) appear as they are in the English
            assert set(CODES.findall(text)) == set(CODES.findall(english)), (f.id, part)
            leftover = LATIN_WORD.findall(CODES.sub("", text))
            assert not leftover, (f.id, part, text)
