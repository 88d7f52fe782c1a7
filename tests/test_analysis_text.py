"""The text analysis for a reader, on SQLite and PostgreSQL: ``POST /api/v1/analysis/text`` gives
the JSON of ``cajd analyze text --json``, the ``/{lang}/analysis/text`` form answers in three
languages, bad or oversized input is a 4xx naming the field, and neither writes anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from cajd.cli import app
from cajd.model import Base
from cajd.web.analysis_text import MAX_BODY_BYTES, MAX_TEXT_CHARS
from cajd.web.app import create_app
from tests.webfixture import web_engine  # noqa: F401  (a fixture)

TEXTS = Path(__file__).parent / "texts"


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> TestClient:  # noqa: F811
    return TestClient(create_app(web_engine), base_url="http://localhost")


def _rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t.name: c.scalar(sa.select(sa.func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables}


@pytest.mark.parametrize("name", ["en.txt", "ja.txt", "ru.txt"])
def test_the_api_gives_the_cli_json(client: TestClient, name: str, tmp_path: Path) -> None:
    text = (TEXTS / name).read_text("utf-8")
    response = client.post("/api/v1/analysis/text",
                           json={"text": text, "lang": "auto", "name": str(TEXTS / name)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True and body["meta"]["html"] == "/en/analysis/text"
    cli = CliRunner().invoke(app, ["analyze", "text", str(TEXTS / name), "--json"],
                             env={"CAJD_DATA_HOME": str(tmp_path)})
    assert cli.exit_code == 0, cli.output
    assert body["data"] == json.loads(cli.output)


def test_the_dialogues_name_is_neither_japan_nor_the_region(client: TestClient) -> None:
    data = client.post("/api/v1/analysis/text", json={
        "text": "«Центральная Азия + Япония»: Япония, Японии.", "lang": "ru"}).json()["data"]
    assert data["documents"][0]["counts"] == {"JP": 2, "caj": 1}


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"text": ""}, 422, ["body", "text"]),
    ({"lang": "en"}, 422, ["body", "text"]),
    ({"text": "Japan", "lang": "de"}, 422, ["body", "lang"]),
    ({"text": "Japan", "extra": 1}, 422, ["body", "extra"]),
    ({"text": "x" * (MAX_TEXT_CHARS + 1)}, 422, ["body", "text"]),
    ([1, 2], 422, ["body"]),
])
def test_bad_input_is_422_naming_the_field(client: TestClient, body: object, status: int,
                                           field: list[str]) -> None:
    response = client.post("/api/v1/analysis/text", json=body)
    assert response.status_code == status
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [field]


def test_a_body_that_is_not_json_is_400(client: TestClient) -> None:
    for raw in (b"{not json", b"\xff\xfe"):
        response = client.post("/api/v1/analysis/text", content=raw,
                               headers={"content-type": "application/json"})
        assert response.status_code == 400
        assert response.json()["error"] == "the body is not JSON"


def test_an_oversized_body_is_413_before_it_is_read(client: TestClient) -> None:
    big = b'{"text": "' + b"a" * MAX_BODY_BYTES + b'"}'
    for path in ("/api/v1/analysis/text", "/en/analysis/text"):
        response = client.post(path, content=big)
        assert response.status_code == 413, path
    # streamed without a declared length: counted as it arrives
    response = client.post("/api/v1/analysis/text",
                           content=iter([b"a" * 1024 * 1024] * 3))
    assert response.status_code == 413


def test_the_largest_accepted_text_answers(client: TestClient) -> None:
    text = ("Japan and Kazakhstan. " * (MAX_TEXT_CHARS // 22))[:MAX_TEXT_CHARS]
    response = client.post("/api/v1/analysis/text", json={"text": text, "lang": "en"})
    assert response.status_code == 200
    counts = response.json()["data"]["documents"][0]["counts"]
    assert counts["JP"] == text.count("Japan") and counts["KZ"] == text.count("Kazakhstan")


def test_nothing_is_written(client: TestClient, web_engine: Engine) -> None:  # noqa: F811
    before = _rows(web_engine)
    client.post("/api/v1/analysis/text", json={"text": "Japan"})
    client.post("/en/analysis/text", data={"text": "Japan", "lang": "en"})
    client.post("/en/analysis/text", data={"text": "", "lang": "en"})
    assert _rows(web_engine) == before


@pytest.mark.parametrize(("lang", "button", "references"), [
    ("en", "Count references", "References to actors"),
    ("ja", "言及を数える", "アクターへの言及"),
    ("ru", "Подсчитать упоминания", "Упоминания акторов"),
])
def test_the_form_answers_in_each_language(client: TestClient, lang: str, button: str,
                                           references: str) -> None:
    form = client.get(f"/{lang}/analysis/text")
    assert form.status_code == 200 and button in form.text and references not in form.text
    answer = client.post(f"/{lang}/analysis/text",
                         data={"text": "JICA の支援。日本と「中央アジア＋日本」", "lang": "auto"})
    assert answer.status_code == 200 and references in answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert "<code>JICA</code>" in answer.text and "<code>caj</code>" in answer.text
    assert "<code>JP</code>" in answer.text


def test_the_form_names_the_field_in_the_pages_language(client: TestClient) -> None:
    answer = client.post("/ru/analysis/text", data={"text": "", "lang": "xx"})
    assert answer.status_code == 422
    assert 'id="err-text"' in answer.text and 'id="err-lang"' in answer.text
    assert "Вставьте текст" in answer.text


def test_the_text_form_escapes_what_it_echoes(client: TestClient) -> None:
    answer = client.post("/en/analysis/text",
                         data={"text": "<script>alert(1)</script> Japan", "lang": "en"})
    assert answer.status_code == 200
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Japan" in answer.text
