"""The record in the reader's language: the gazetteer names a meeting's city and venue, cajd's own
text shows in cajd's translation with a badge saying so, and where either is missing the page
falls back to English visibly. On both databases, through the one read layer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd import model
from cajd.dataset import pipeline
from cajd.dataset.problems import DatasetInvalid
from cajd.web.app import create_app
from tests.gapfixture import edit, fixture_copy
from tests.webfixture import web_engine  # noqa: F401  (the module's loaded database)

BADGE = {"ja": "cajdによる翻訳", "ru": "перевод cajd"}


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(web_engine)) as test_client:
        yield test_client


def lead(html: str) -> str:
    found = re.search(r'<p class="lead">(.*?)</p>', html, re.S)
    assert found, "the meeting page has no description"
    return found.group(1)


@pytest.mark.parametrize(("lang", "city", "venue", "start"), [
    ("ja", "東京", "飯倉公館", "外交関係樹立30周年"),
    ("ru", "Токио", "Iikura House", "Проведена в 30-й год"),
])
def test_a_meeting_page_shows_its_place_and_cajds_text_in_the_pages_language(
    client: TestClient, lang: str, city: str, venue: str, start: str
) -> None:
    html = client.get(f"/{lang}/meetings/caj-fmm-9").text
    assert city in html and venue in html
    text = lead(html)
    # cajd's translation, badged as cajd's, not the English and not presented as a source's.
    assert start in text
    assert BADGE[lang] in text and 'class="badge translated-by"' in text
    assert "Held in the 30th year" not in text
    if lang == "ru":
        # The gazetteer has no Russian name for Iikura House: English, visibly a fallback.
        # (Looked for in the page's main text: the JSON-LD in the head names it too.)
        shown = html[html.index("<main"):]
        assert '<span lang="en" class="fallback"' in shown.split("Iikura House")[0][-200:]


def test_a_heads_title_is_given_in_the_form_the_records_positions_cite(
    client: TestClient,
) -> None:
    event = client.get("/api/v1/events/caj-fmm-9").json()["data"]
    titles = {d["party"]["id"]: d["head_title_name"] for d in event["delegation_list"]}
    # Japan's minister: 外務大臣 and Министр иностранных дел, both cited on a person's position.
    assert titles["JP"]["en"] == "Minister for Foreign Affairs"
    assert (titles["JP"]["ja"], titles["JP"]["ru"]) == ("外務大臣", "Министр иностранных дел")
    assert "外務大臣" in client.get("/ja/meetings/caj-fmm-9").text


def test_the_english_page_shows_the_english_and_no_badge(client: TestClient) -> None:
    html = client.get("/en/meetings/caj-fmm-9").text
    assert "Held in the 30th year" in lead(html)
    assert "translated-by" not in html
    assert "Tokyo" in html and "Iikura House" in html


def test_a_city_the_gazetteer_lacks_falls_back_visibly(client: TestClient) -> None:
    html = client.get("/ja/meetings/ca-kr-forum-1").text
    assert '<span lang="en" class="fallback"' in html and "Seoul" in html


def test_the_api_gives_the_names_and_marks_the_translation_as_cajds(client: TestClient) -> None:
    event = client.get("/api/v1/events/caj-fmm-9").json()["data"]
    assert event["city_name"] == {"en": "Tokyo", "ja": "東京", "ru": "Токио"}
    assert event["venue_name"]["ja"] == "飯倉公館" and event["venue_name"]["ru"] is None
    text = event["description_text"]
    assert text["translated_by"] == "cajd" and text["en"] == event["description"]
    assert text["ja"].startswith("外交関係樹立30周年") and text["ru"].startswith("Проведена")
    listed = client.get("/api/v1/events", params={"body": "caj-fmm", "limit": 50}).json()["data"]
    assert {e["city_name"]["ru"] for e in listed if e["city"] == "Dushanbe"} == {"Душанбе"}


def test_a_soft_deleted_place_or_translation_leaves_the_page(loaded_engine: Engine) -> None:
    with loaded_engine.begin() as connection:
        for table, row in ((model.Place.__table__, "tokyo"),
                           (model.Translation.__table__, "event.caj-fmm-9.description.ja")):
            connection.execute(sa.update(table).where(table.c.id == row)
                               .values(deleted_at=sa.func.now(), deleted_by="test"))
    with TestClient(create_app(loaded_engine)) as client:
        html = client.get("/ja/meetings/caj-fmm-9").text
    assert "東京" not in html and '<span lang="en" class="fallback"' in html
    assert "Held in the 30th year" in lead(html) and BADGE["ja"] not in lead(html)


PLACE = """\
id: tokyo
kind: city
name:
  en: Tokyo
  ja: 東京
country: JP
sources:
  - source: paper
    field: name.ja
"""


def test_translations_are_of_cajds_own_text_and_of_a_field_the_record_has(
    tmp_path: Path,
) -> None:
    root = fixture_copy(tmp_path)
    (root / "places").mkdir()
    (root / "places" / "tokyo.yaml").write_text(PLACE, encoding="utf-8")
    pipeline.check(root)  # a cited place is a valid record
    body = next((root / "bodies").glob("*.yaml"))
    rel = f"bodies/{body.name}"
    edit(root, rel, "\nsources:", "\ntranslations:\n  name:\n    ja: 名前\nsources:")
    with pytest.raises(DatasetInvalid) as caught:
        pipeline.check(root, "data")
    assert "translations: 'name' is not text cajd writes (only description)" in str(
        caught.value.problems[0])
    edit(root, rel, "  name:\n    ja: 名前", "  description:\n    ja: 説明")
    text = body.read_text(encoding="utf-8")
    if "\ndescription:" in text:
        pipeline.check(root)
    else:
        with pytest.raises(DatasetInvalid) as caught:
            pipeline.check(root, "data")
        assert "translates a field the record lacks" in str(caught.value.problems[0])


def test_a_city_field_belongs_to_a_venue(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    (root / "places").mkdir()
    (root / "places" / "tokyo.yaml").write_text(PLACE + "city: tokyo\n", encoding="utf-8")
    with pytest.raises(DatasetInvalid) as caught:
        pipeline.check(root, "data")
    assert "city belongs to a venue" in str(caught.value.problems[0])
