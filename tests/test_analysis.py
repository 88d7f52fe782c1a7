"""The analyses: the seed paper's empirical statements recomputed from the record (both
databases), and the pure functions on hand-made rows where the rules have edge cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.analysis import paper, runner
from cajd.analysis.cadence import cadence
from cajd.analysis.commitments import Commitments, commitments
from cajd.analysis.participation import participation
from cajd.analysis.rates import Rate, RateSource, RateTable, bundled
from cajd.read.analysis import (
    BodyRow,
    CommitmentRow,
    DelegationRow,
    EventRow,
    ParticipationRow,
)
from cajd.read.queries import NotFound

D = dt.date


def _all(engine: Engine) -> dict[str, Any]:
    with Session(engine) as db:
        return {name: runner.run(db, name) for name in runner.ANALYSES}


def test_the_papers_statements_recomputed_from_the_record(loaded_engine: Engine) -> None:
    r = _all(loaded_engine)
    part, cad, docs = r["participation"], r["cadence"], r["documents"]
    # the first FMM with every member (observer Turkmenistan included) at minister rank
    assert part.first_all_at_nominal_rank == "caj-fmm-5"
    # Turkmenistan below minister or absent: the paper's three, and two after it (2019, 2022)
    tm = part.parties["TM"]
    assert tm.absent == ["caj-fmm-2"]
    assert tm.below_nominal == ["caj-fmm-1", "caj-fmm-3", "caj-fmm-7", "caj-fmm-8"]
    assert tm.longest_run_below_nominal.model_dump() == {
        "from": "caj-fmm-1", "to": "caj-fmm-3", "meetings": 3}
    # held only in Japan or Central Asia -- or, since 2020, online
    where = {h.event: h.where for h in cad.hosting}
    assert set(where.values()) == {"japan", "central_asia", "online"}
    assert [e for e, w in where.items() if w == "online"] == [
        "caj-fmm-2020-extraordinary", "caj-fmm-8"]
    # guests: Afghanistan at the 2nd, and again at the 7th (2019), after the paper
    assert {m.event: m.guests for m in part.meetings if m.guests} == {
        "caj-fmm-2": ["AF"], "caj-fmm-7": ["AF"]}
    # the long gap after 2006 is still the longest interval between FMMs
    assert cad.longest_gap.model_dump() == {"from": "caj-fmm-2", "to": "caj-fmm-3", "days": 1524}
    assert not {"2007", "2008", "2009"} & set(cad.per_year)
    # the first roadmap
    assert docs.first["roadmap"].event == "caj-fmm-5"
    verdicts = {f.id: (f.verdict, f.later is not None)
                for name in ("participation", "cadence", "documents")
                for f in paper.findings(r[name])}
    assert verdicts == {
        "first-all-at-minister-rank": ("confirms", False),
        "turkmenistan-below-minister": ("confirms", True),
        "guests": ("confirms", True),
        "held-in-japan-or-central-asia": ("confirms", True),
        "gap-after-2006": ("confirms", True),
        "first-roadmap": ("confirms", False),
        # the record holds no outcome document of the 4th FMM: it cannot settle the claim
        "more-documents-after-4th-fmm": ("cannot decide", False),
    }
    pledges = {c.id: c for c in r["commitments"].commitments}
    rate = bundled().lookup("JPY", 2017)
    assert rate is not None
    assert pledges["jp-2017-transport-logistics-jpy-24bn"].usd == round(24e9 / rate.per_usd)
    assert pledges["jp-2025-business-projects-jpy-3tn"].usd_basis == "stated by source"
    assert r["agenda"].meetings and not r["agenda"].untagged


def test_an_unknown_body_is_not_found(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as db, pytest.raises(NotFound):
        runner.run(db, "participation", runner.Params(body="caj-nope"))


BODY = BodyRow("b", "d", "FMM", "B", "minister", None)


def _event(i: str, day: D, status: str = "held", **kw: Any) -> EventRow:
    base = {"number": None, "extraordinary": False, "name": i, "precision": "day",
            "format": "in_person", "city": None, "country": "JP", "host": "JP"}
    return EventRow(id=i, body="b", start=day, status=status, **(base | kw))


def test_participation_rules_on_hand_made_rows() -> None:
    events = [_event("e1", D(2001, 1, 1)), _event("e2", D(2002, 1, 1)),
              _event("e3", D(2003, 1, 1)), _event("e4", D(2004, 1, 1), status="planned")]
    members = [ParticipationRow("JP", "member", D(2000, 1, 1), None),
               ParticipationRow("KZ", "member", D(2000, 1, 1), None),
               ParticipationRow("TM", "observer", D(2002, 6, 1), None)]
    delegations = [
        DelegationRow("e1", "JP", "member", "minister"),
        DelegationRow("e1", "KZ", "member", "head_of_state"),  # above nominal counts
        DelegationRow("e1", "AF", "guest", "minister"),
        DelegationRow("e2", "JP", "member", "minister"),  # KZ absent
        DelegationRow("e3", "JP", "member", "minister"), DelegationRow("e3", "KZ", "member", None),
        DelegationRow("e3", "TM", "observer", "ambassador"),  # an observer counts, from 2002-06
    ]
    r = participation(BODY, events, delegations, members)
    assert [m.event for m in r.meetings] == ["e1", "e2", "e3"]  # planned meetings left out
    e1, e2, e3 = r.meetings
    assert (e1.all_members_present, e1.all_at_nominal_rank, e1.guests) == (True, True, ["AF"])
    assert (e2.absent, e2.all_at_nominal_rank) == (["KZ"], False)
    assert (e3.unknown_rank, e3.below_nominal, e3.all_at_nominal_rank) == (["KZ"], ["TM"], False)
    assert r.first_all_at_nominal_rank == "e1"
    assert "TM" not in e1.ranks and "AF" not in r.parties
    assert r.parties["KZ"].absent == ["e2"]
    assert r.parties["TM"].longest_run_below_nominal.meetings == 1  # type: ignore[union-attr]


def test_cadence_quartile_window_and_least_hosted_rule() -> None:
    events = [_event("e1", D(2000, 1, 1), country="KZ", host="KZ"),
              _event("e2", D(2000, 1, 11)), _event("e3", D(2000, 1, 31), country="UZ", host="UZ"),
              _event("e4", D(2000, 3, 1), format="video", country=None)]
    members = [ParticipationRow(p, "member", None, None) for p in ("JP", "KZ", "UZ", "KG")]
    c = cadence(BODY, events, members, "JP", D(2000, 3, 11))
    assert [g.days for g in c.intervals] == [10, 20, 30]
    assert c.longest_gap is not None and c.longest_gap.to == "e4"
    assert (c.median_days, c.since_last_days) == (20, 10)
    assert c.share == {"japan": 0.25, "central_asia": 0.5, "online": 0.25, "elsewhere": 0.0}
    assert c.never_hosted == ["KG"] and c.next.host == "KG"
    assert (c.next.earliest, c.next.latest) == ("2000-03-16", "2000-03-26")  # +15, +25 days


def test_commitments_use_the_years_rate_then_the_sources_own_figure() -> None:
    table = RateTable(sources={"s": RateSource(title="t", url="u")},
                      rates=[Rate(currency="JPY", year=2001, per_usd=100.0, source="s", at="x")])
    def pledge(i: str, amount: int, currency: str, usd: int | None = None) -> CommitmentRow:
        return CommitmentRow(i, "JP", "funding", i, "e1", amount, currency, usd, None, None,
                             None, None, None)
    rows = [pledge("a", 1000, "JPY"), pledge("b", 5, "USD"), pledge("c", 7, "EUR"),
            pledge("d", 9, "EUR", usd=3)]
    r = commitments("d", rows, [_event("e1", D(2001, 5, 5))], [], [], table)
    usd = {c.id: (c.usd, c.usd_basis) for c in r.commitments}
    assert usd == {"a": (10, "rate"), "b": (5, "same currency"), "c": (None, None),
                   "d": (3, "stated by source")}
    assert r.unconverted == ["c"]
    # what the table lacks is listed, whether the pledge was left out or counted at its
    # source's own figure
    assert r.missing_rates == {"EUR 2001": ["c", "d"]}
    assert r.by_party["JP"].usd == 18 and r.by_party["JP"].by_currency["EUR"] == 16


def test_the_records_pledges_without_a_sourced_rate_are_listed(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as db:
        r = runner.run(db, "commitments")
    assert isinstance(r, Commitments)
    table = bundled()
    expected: dict[str, list[str]] = {}
    for c in r.commitments:
        if c.amount and c.currency not in (None, "USD") and c.year is not None \
                and table.lookup(c.currency or "", c.year) is None:
            expected.setdefault(f"{c.currency} {c.year}", []).append(c.id)
    assert r.missing_rates == expected
    for ids in r.missing_rates.values():
        for c in (c for c in r.commitments if c.id in ids):
            assert c.usd_basis == "stated by source" or c.id in r.unconverted


def test_the_bundled_rate_table_cites_a_source_for_every_rate() -> None:
    table = bundled()
    assert table.rates and all(r.source in table.sources for r in table.rates)
    with pytest.raises(ValueError, match="not in sources"):
        RateTable(sources={}, rates=[Rate(currency="JPY", year=2001, per_usd=1.0, source="x",
                                          at="y")])
