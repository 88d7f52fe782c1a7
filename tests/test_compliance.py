"""The compliance averages against a hand-worked example, and the dashboard, its JSON and its two
CSV tables over the bundled record's own scores (both databases).

The bundled record scores two of Japan's commitments (``data/assessments``): the thousand
trainees of 2004, +1 (final, 2004-2006), and the Trans-Caspian route support of 2025, 0
(interim, 2025-2026). The example adds, for the 2017 pledge of about 2,000 trainees (period
2017-2019), an interim −1 re-scored to 0 (revision 2) and a final +1; and for the 2017 visa
pledge a final "not assessed". Worked by hand, the latest word on each cell is then:

| commitment           | area              | year | latest score        |
|----------------------|-------------------|------|---------------------|
| jp-2004-trainees-1000| cultural-exchange | 2004 | +1 (final)          |
| jp-2025-trans-caspian| transport-logist. | 2025 | 0 (interim)         |
| jp-2017-trainees-2000| cultural-exchange | 2017 | +1 (final)          |
| jp-2017-visa-fac.    | cultural-exchange | 2017 | not assessed        |

so Japan: (1 + 0 + 1) ÷ 3 = 0.667 with n = 3 and 1 not assessed; cultural exchange (1 + 1) ÷ 2 =
1.0 with n = 2 and 1 not assessed; the interim reports alone: (0 + 0) ÷ 2 = 0; the finals alone:
(1 + 1) ÷ 2 = 1.0 with 1 not assessed; and one cell moved from interim 0 to final +1.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.model import Assessment
from cajd.read import compliance as c
from cajd.vocab import AssessmentStage
from cajd.web.app import create_app

TRAINEES = "jp-2017-trainees-2000"
VISA = "jp-2017-visa-facilitation"


def _score(db: Session, commitment: str, stage: str, revision: int, score: int | None) -> None:
    file_id = f"{commitment}.JP.2017-2019.{stage}"
    db.add(Assessment(id=f"{file_id}.r{revision}", commitment_id=commitment, party_id="JP",
                      period="2017-2019", stage=AssessmentStage(stage), revision=revision,
                      score=score, rationale="A hand-worked example (test fixture, not a fact)."))


def _hand_worked(engine: Engine) -> None:
    with Session(engine) as db, db.begin():
        _score(db, TRAINEES, "interim", 1, -1)
        _score(db, TRAINEES, "interim", 2, 0)  # re-scored: revision 1 stays as history
        _score(db, TRAINEES, "final", 1, 1)
        _score(db, VISA, "final", 1, None)  # not assessed: not 0


def _one(found: list[c.Average], key: str) -> c.Average:
    [average] = [a for a in found if a.key == key]
    return average


def test_averages_match_the_hand_worked_example(loaded_engine: Engine) -> None:
    _hand_worked(loaded_engine)
    with Session(loaded_engine) as db:
        latest = c.cells(db)
        assert {(x.commitment_id, x.stage.value, x.revision, x.score) for x in latest} == {
            ("jp-2004-trainees-1000", "final", 1, 1),
            ("jp-2025-trans-caspian-logistics", "interim", 1, 0),
            (TRAINEES, "final", 1, 1), (VISA, "final", 1, None)}
        japan = _one(c.averages(latest, "party"), "JP")
        assert (japan.n, japan.not_assessed, japan.sum) == (3, 1, 2)
        assert japan.mean == pytest.approx(2 / 3) and japan.percent == 66.7
        culture = _one(c.averages(latest, "area"), "cultural-exchange")
        assert (culture.mean, culture.n, culture.not_assessed) == (1.0, 2, 1)
        assert [(a.key, a.mean, a.n) for a in c.averages(latest, "year")] == [
            ("2004", 1.0, 1), ("2017", 1.0, 1), ("2025", 0.0, 1)]  # ranked; ties by key
        by_commitment = c.averages(latest, "commitment")
        assert by_commitment[-1].key == VISA and by_commitment[-1].mean is None
        interim = _one(c.averages(c.cells(db, "interim"), "party"), "JP")
        assert (interim.mean, interim.n, interim.not_assessed) == (0.0, 2, 0)
        final = _one(c.averages(c.cells(db, "final"), "party"), "JP")
        assert (final.mean, final.n, final.not_assessed) == (1.0, 2, 1)
        [change] = c.changes(db)
        assert (change.commitment_id, change.interim, change.final, change.delta) == (
            TRAINEES, 0, 1, 1)

    client = TestClient(create_app(loaded_engine), base_url="http://localhost")
    body = client.get("/api/v1/compliance").json()["data"]
    assert body["formula"] == c.FORMULA
    assert (body["overall"]["n"], body["overall"]["not_assessed"]) == (3, 1)
    assert body["commitments_scored"] == 3
    tidy = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/compliance/assessments.csv").text)))
    assert len(tidy) == 6  # every revision, the superseded interim −1 included
    superseded = [r for r in tidy if r["assessment"] == f"{TRAINEES}.JP.2017-2019.interim.r1"]
    assert superseded[0]["latest"] == "False" and superseded[0]["score"] == "-1"
    visa = next(r for r in tidy if r["commitment"] == VISA)
    assert (visa["score"], visa["assessed"]) == ("", "False")  # blank, never 0
    wide = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/compliance/by-member.csv?stage=final").text)))
    assert [(r["id"], r["JP"], r["KZ"], r["n"]) for r in wide] == [
        ("jp-2004-trainees-1000", "1", "", "1"), (TRAINEES, "1", "", "1"), (VISA, "", "", "0")]


def test_the_dashboard_shows_the_bundled_scores_with_n_and_formula(loaded_engine: Engine) -> None:
    client = TestClient(create_app(loaded_engine), base_url="http://localhost")
    for lang, word in (("en", "Compliance"), ("ja", "遵守"), ("ru", "Выполнение")):
        html = client.get(f"/{lang}/compliance").text
        assert word in html and "n = 2" in html  # the figure's label for Japan's two cells
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title and word in title.group(1) and len(title.group(1)) < 120
        assert "+0.50" in html and "50 %" in html.replace("\xa0", " ")
        assert "jp-2004-trainees-1000.JP.2004-2006.final.r1" in html
    assert client.get("/en/compliance?stage=interim").status_code == 200
    assert client.get("/en/compliance?stage=sometime").status_code == 422
    header = client.get("/api/v1/compliance/by-member.csv").text.splitlines()[0]
    assert header == "area,id,year,period,stage,text,average,n,JP,KG,KZ,TJ,TM,UZ"
