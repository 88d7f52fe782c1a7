"""Invariants of the bundled record: what the seeds state is in it, sourced."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from cajd.dataset import pipeline
from cajd.dataset.build import Rows
from cajd.fuzzydate import FuzzyDate
from cajd.vocab import Precision

# Every meeting the seed documents date: (id, start, precision, city or None). Later sources may
# refine a date (a year to a day) but never contradict it.
SEED_DATED_EVENTS = [
    ("caj-fmm-1", "2004-08-28", "day", "Astana"),
    ("caj-adhoc-2004-sofia", "2004-12-01", "month", "Sofia"),
    ("caj-som-1", "2005-03-04", "day", "Tashkent"),
    ("caj-fmm-2", "2006-06-05", "day", "Tokyo"),
    ("caj-tid-1", "2006-01-01", "year", "Tokyo"),
    ("caj-tid-2", "2007-01-01", "year", "Tokyo"),
    ("caj-tid-4", "2010-01-01", "year", None),
    ("caj-fmm-3", "2010-01-01", "year", None),
    ("caj-fmm-4", "2012-11-10", "day", "Tokyo"),
    ("caj-wgm-1", "2014-01-01", "year", None),
    ("caj-fmm-5", "2014-01-01", "year", None),
    ("caj-dm-2", "2014-09-01", "month", "Bishkek"),
    ("caj-fmm-6", "2017-05-01", "month", None),
    ("caj-fmm-2020-extraordinary", "2020-08-11", "day", None),
    ("caj-fmm-9", "2022-12-24", "day", "Tokyo"),
    ("caj-summit-1", "2025-12-20", "day", "Tokyo"),
]


@pytest.fixture(scope="module")
def rows() -> Rows:
    return pipeline.check().rows


@pytest.mark.parametrize(("event_id", "start", "precision", "city"), SEED_DATED_EVENTS)
def test_every_meeting_the_seeds_date_is_recorded(
    rows: Rows, event_id: str, start: str, precision: str, city: str | None
) -> None:
    event = rows["event"][event_id]
    seed = FuzzyDate(dt.date.fromisoformat(start), Precision(precision))
    recorded = FuzzyDate(event["start_date"], Precision(event["start_precision"]))
    assert seed.date <= recorded.date <= seed.latest, f"{recorded} is outside the seeds' {seed}"
    order = list(Precision)
    assert order.index(recorded.precision) >= order.index(seed.precision)
    if city is not None:
        assert event["city"] == city


def cited(rows: Rows, kind: str) -> set[str]:
    return {c["subject_id"] for c in rows["citation"].values() if c["subject_kind"] == kind}


@pytest.mark.parametrize(
    "kind",
    [
        "event",
        "delegation",
        "participation",
        "body",
        "person",
        "document",
        "commitment",
        "implementation_record",
        "party",
    ],
)
def test_every_fact_is_sourced(rows: Rows, kind: str) -> None:
    assert set(rows[kind]) <= cited(rows, kind)


def test_the_turkmenistan_conflict_is_kept_with_both_sides(rows: Rows) -> None:
    conflict = next(
        c for c in rows["conflict"].values() if c["subject_id"] == "caj.TM.observer.2004-08-28"
    )
    assert conflict["field"] == "role" and not conflict["resolved"]
    claims = [c for c in rows["conflict_claim"].values() if c["conflict_id"] == conflict["id"]]
    assert len(claims) >= 2
    sources = {
        c["source_id"]
        for c in rows["citation"].values()
        if c["subject_kind"] == "conflict_claim"
        and c["subject_id"] in {claim["id"] for claim in claims}
    }
    assert {"seed-000", "seed-001", "seed-002"} <= sources


def test_fourth_fmm_delegations_and_ranks(rows: Rows) -> None:
    ranks = {
        d["party_id"]: d["rank"]
        for d in rows["delegation"].values()
        if d["event_id"] == "caj-fmm-4"
    }
    assert ranks == {
        "JP": "minister",
        "KZ": "minister",
        "KG": "minister",
        "TJ": "minister",
        "TM": "minister",
        "UZ": "deputy_minister",
    }


def test_afghanistan_attended_only_as_a_guest(rows: Rows) -> None:
    af = [d for d in rows["delegation"].values() if d["party_id"] == "AF"]
    assert {d["role"] for d in af} == {"guest"}
    assert "caj-fmm-2" in {d["event_id"] for d in af}


def test_stated_counts_from_the_seeds(rows: Rows) -> None:
    counts = {
        (c["body_id"], c["as_of_date"].year, c["count"]) for c in rows["stated_count"].values()
    }
    assert counts >= {
        ("caj-fmm", 2022, 8),
        ("caj-som", 2022, 15),
        ("caj-tid", 2022, 11),
        ("caj-expert", 2022, 7),
        ("caj-bd", 2022, 2),
        ("caj-wgm", 2019, 4),
    }


def test_bodies_include_proposed_and_declined_ones(rows: Rows) -> None:
    statuses = Counter(b["status"] for b in rows["body"].values())
    assert statuses["declined"] == 2
    summit = rows["body"]["caj-summit"]
    assert summit["proposed_date"].year == 2006 and summit["established_date"].year == 2025


def test_pledges_and_what_became_of_them(rows: Rows) -> None:
    pledges = rows["commitment"]
    assert pledges["jp-2012-usd-700m"]["amount"] == 700_000_000
    assert pledges["jp-2017-transport-logistics-jpy-24bn"]["currency"] == "JPY"
    linked = {r["id"]: r["event_id"] for r in rows["implementation_record"].values()}
    assert linked["undp-2018-preventing-violent-extremism"] == "caj-fmm-6"
    assert any(c["subject_id"] == "jp-2012-usd-700m" for c in rows["conflict"].values())


def test_the_called_off_astana_summit_is_kept_as_cancelled(rows: Rows) -> None:
    """A meeting planned before its body first met is recorded when it was called off."""
    astana = rows["event"]["caj-summit-2024-astana"]
    assert (astana["status"], astana["number"], astana["city"]) == ("cancelled", None, "Astana")
    assert astana["start_date"] < rows["body"]["caj-summit"]["established_date"]
