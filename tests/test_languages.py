"""Names in Japanese and Russian: every form in the record is cited for its own language, a
citation may name one language of a field (``field: name.ja``), and the coverage report counts
and lists what lacks a sourced form."""

from __future__ import annotations

from pathlib import Path

import pytest

from cajd.analysis import coverage_report
from cajd.analysis.coverage import coverage
from cajd.analysis.languages import languages
from cajd.dataset import pipeline
from cajd.dataset.problems import DatasetInvalid
from tests.gapfixture import edit, fixture_copy

JAPANESE_PAGE = """\
id: ja-page
kind: web_page
title: 架空の外務省のページ (test fixture)
url: https://example.org/ja
accessed: 2026-01-01
official: true
"""

RUSSIAN_PAGE = """\
id: ru-page
kind: web_page
title: Вымышленная страница (test fixture)
url: https://example.org/ru
accessed: 2026-01-01
"""


def with_pages(tmp_path: Path) -> Path:
    root = fixture_copy(tmp_path)
    (root / "sources" / "ja-page.yaml").write_text(JAPANESE_PAGE, encoding="utf-8")
    (root / "sources" / "ru-page.yaml").write_text(RUSSIAN_PAGE, encoding="utf-8")
    return root


def name_kz(root: Path, forms: str, sources: str) -> None:
    edit(
        root,
        "parties/KZ.yaml",
        "  en: Kazakhstan\nsources: [paper]\n",
        f"  en: Kazakhstan\n{forms}sources:\n  - paper\n{sources}",
    )


def kz(root: Path) -> tuple[bool, bool, bool, bool]:
    langs = languages(root)
    row = next(f for f in langs.fields if (f.kind, f.field) == ("parties", "name"))
    return (
        "KZ" not in row.lacking_ja,
        "KZ" not in row.lacking_ru,
        "KZ (ja)" in row.uncited,
        "KZ (ru)" in row.uncited,
    )


def test_every_japanese_and_russian_name_in_the_record_is_cited() -> None:
    """The record's own rule: a name's Japanese or Russian form cites, at field level, a source
    for that form (fails, naming each form, when one is added without its citation)."""
    uncited = languages(pipeline.bundled_dataset()).uncited
    assert uncited == [], f"forms without a field-level citation: {uncited}"


def test_a_citation_of_name_ja_supports_the_japanese_form_only(tmp_path: Path) -> None:
    root = with_pages(tmp_path)
    name_kz(
        root,
        "  ja: カザフスタン\n  ru: Казахстан\n",
        "  - source: ru-page\n    at: para 1\n    field: name.ja\n",
    )
    pipeline.check(root)  # `name.ja` is a field the checker accepts
    # Japanese sourced; Russian present but cited by nothing that names its language.
    assert kz(root) == (True, False, False, True)


def test_a_whole_name_citation_counts_for_the_language_of_the_source(tmp_path: Path) -> None:
    root = with_pages(tmp_path)
    name_kz(
        root,
        "  ja: カザフスタン\n  ru: Казахстан\n",
        "  - source: ja-page\n    field: name\n",
    )
    assert kz(root) == (True, False, False, True)
    edit(root, "parties/KZ.yaml", "source: ja-page", "source: ru-page")
    assert kz(root) == (False, True, True, False)
    # An English-titled source vouches for neither form.
    edit(root, "parties/KZ.yaml", "source: ru-page", "source: paper")
    assert kz(root) == (False, False, True, True)


def test_a_record_wide_citation_does_not_source_a_form(tmp_path: Path) -> None:
    root = with_pages(tmp_path)
    name_kz(root, "  ja: カザフスタン\n", "  - source: ja-page\n")
    assert kz(root) == (False, False, True, False)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name.xx", "'name.xx' is not a field of this record"),
        ("kind.ja", "'kind.ja' is not a field of this record"),  # not a localized field
        ("nam.ja", "'nam.ja' is not a field of this record"),
    ],
)
def test_a_language_of_a_field_that_has_none_is_refused(
    tmp_path: Path, field: str, message: str
) -> None:
    root = with_pages(tmp_path)
    name_kz(root, "", f"  - source: ja-page\n    field: {field}\n")
    with pytest.raises(DatasetInvalid) as caught:
        pipeline.check(root, "data")
    assert [str(p) for p in caught.value.problems] == [
        f"data/parties/KZ.yaml:8: sources[1].field: {message}"
    ]


def test_conflicting_forms_of_one_language_are_kept(tmp_path: Path) -> None:
    root = with_pages(tmp_path)
    name_kz(
        root,
        "  ja: カザフスタン\n",
        "  - source: ja-page\n    field: name.ja\n"
        "conflicts:\n  - field: name.ja\n    claims:\n"
        "      - value: カザフスタン\n        sources: [ja-page]\n"
        "      - value: カザフスタン共和国\n        sources: [paper]\n",
    )
    rows = pipeline.check(root).rows
    (conflict,) = [c for c in rows["conflict"].values() if c["subject_id"] == "KZ"]
    assert conflict["field"] == "name.ja"
    claims = rows["conflict_claim"].values()
    assert sorted(c["value"] for c in claims if c["conflict_id"] == conflict["id"]) == [
        "カザフスタン",
        "カザフスタン共和国",
    ]


def test_the_coverage_report_has_a_languages_section(tmp_path: Path) -> None:
    root = with_pages(tmp_path)
    name_kz(root, "  ja: カザフスタン\n", "  - source: ja-page\n    field: name.ja\n")
    cov = coverage(root, "data")
    assert cov.languages is not None
    parties = next(f for f in cov.languages.fields if (f.kind, f.field) == ("parties", "name"))
    assert (parties.total, parties.ja_sourced, parties.ru_sourced) == (3, 1, 0)
    assert parties.lacking_ja == ["AF", "JP"]
    text = coverage_report.markdown(cov)
    assert "## Languages of names" in text
    assert "| parties.name | 1/3 (33%) | 0/3 (0%) |" in text
    assert "- **parties.name**: AF, JP" in text
    assert '"languages"' in cov.model_dump_json()
