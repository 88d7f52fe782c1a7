"""The web's conventions (robots.txt, sitemap.xml, canonical and hreflang links, a description,
schema.org JSON-LD, a print stylesheet) and the static copy built from both databases."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd import site
from cajd.web.app import create_app
from cajd.web.conventions import SITEMAP, XHTML
from tests.webfixture import web_engine

__all__ = ["web_engine"]


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> TestClient:
    return TestClient(create_app(web_engine))


def _jsonld(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD"
    data: dict[str, object] = json.loads(found[1])
    return data


def test_robots_and_sitemap(client: TestClient) -> None:
    robots = client.get("/robots.txt").text
    assert "Disallow: /en/workspace" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [u.findtext(f"{{{SITEMAP}}}loc") for u in root]
    assert "http://testserver/ja/meetings/caj-fmm-1" in locs
    assert "http://testserver/ru/about" in locs
    for section in ("coverage", "disagreements", "compliance", "rounds", "analysis/cadence"):
        assert f"http://testserver/en/{section}" in locs, section
        assert client.get(f"/en/{section}").status_code == 200, section
    first = root[0]
    assert {a.get("hreflang") for a in first.findall(f"{{{XHTML}}}link")} == {"en", "ja", "ru"}
    for loc in locs[:40]:
        assert client.get(str(loc).removeprefix("http://testserver")).status_code == 200, loc


def test_every_page_names_its_canonical_address_languages_and_description(
        client: TestClient) -> None:
    html = client.get("/ja/meetings/caj-fmm-4").text
    assert '<link rel="canonical" href="/ja/meetings/caj-fmm-4">' in html
    for lang in ("en", "ja", "ru", "x-default"):
        assert f'hreflang="{lang}"' in html
    descriptions = {client.get(p).text.split('name="description" content="')[1].split('"')[0]
                    for p in ("/en/meetings", "/en/parties", "/en/meetings/caj-fmm-4")}
    assert len(descriptions) == 3  # one per page, not one for the site
    assert 'href="/static/print.css" media="print"' in html
    assert client.get("/static/print.css").status_code == 200


def test_schema_org_json_ld_on_the_record_pages(client: TestClient) -> None:
    meeting = _jsonld(client.get("/en/meetings/caj-fmm-1").text)
    assert meeting["@type"] == "Event" and meeting["startDate"] == "2004-08-28"
    assert meeting["location"]["address"]["addressLocality"] == "Astana"  # type: ignore[index]
    month = _jsonld(client.get("/en/meetings/caj-tid-1").text)
    assert re.fullmatch(r"\d{4}-\d{2}", str(month["startDate"]))  # no made-up day
    assert _jsonld(client.get("/en/parties/KZ").text)["@type"] == "Country"
    person_page = client.get("/en/people").text
    person = re.search(r'href="/en/people/([^"]+)"', person_page)
    assert person and _jsonld(client.get(f"/en/people/{person[1]}").text)["@type"] == "Person"
    documents = client.get("/en/documents").text
    document = re.search(r'href="/en/documents/([^"?]+)"', documents)
    assert document and _jsonld(
        client.get(f"/en/documents/{document[1]}").text)["@type"] == "DigitalDocument"


def test_the_static_copy_has_no_broken_link(web_engine: Engine, tmp_path: Path) -> None:
    built = site.build(web_engine, tmp_path, "https://example.org")
    assert built.missing == []
    assert site.broken_links(tmp_path) == []
    assert "Sitemap: https://example.org/sitemap.xml" in (tmp_path / "robots.txt").read_text()
    home = (tmp_path / "ru" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in home and 'href="meetings.html"' in home
    assert 'class="vl-spec"' in (tmp_path / "en" / "timeline.html").read_text(encoding="utf-8")
    assert 'data-spec="openapi.json"' in (tmp_path / "api" / "docs.html").read_text()
