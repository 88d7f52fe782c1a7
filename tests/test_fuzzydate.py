"""Fuzzy dates: the three short forms, clear refusals, and 'certainly before'."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cajd.fuzzydate import FuzzyDate
from cajd.vocab import Precision


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        (2012, dt.date(2012, 1, 1), Precision.YEAR),
        ("2012-11", dt.date(2012, 11, 1), Precision.MONTH),
        ("2012-11-10", dt.date(2012, 11, 10), Precision.DAY),
        (dt.date(2004, 8, 28), dt.date(2004, 8, 28), Precision.DAY),
    ],
)
def test_parses_the_short_forms(text: object, date: dt.date, precision: Precision) -> None:
    parsed = FuzzyDate.parse(text)
    assert (parsed.date, parsed.precision) == (date, precision)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2012-13", "is not a real date"),
        ("2012-02-30", "is not a real date"),
        ("12-11-2012", "is not a date"),
        (True, "is not a date"),
        (dt.datetime(2012, 1, 1, 10), "has a time of day"),
    ],
)
def test_refuses_what_is_not_a_date(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FuzzyDate.parse(value)


def test_certainly_before_respects_precision() -> None:
    year, day = FuzzyDate.parse(2014), FuzzyDate.parse("2014-09-01")
    assert not year.certainly_before(day)  # "2014" may be December
    assert not day.certainly_before(year)
    assert FuzzyDate.parse("2014-08").certainly_before(day)
    assert FuzzyDate.parse("2013").certainly_before(year)


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(list(Precision)))
def test_text_form_round_trips(date: dt.date, precision: Precision) -> None:
    value = FuzzyDate.parse(str(FuzzyDate(date, precision)))
    assert str(value) == str(FuzzyDate(date, precision))
    assert value.date <= date <= value.latest or precision is Precision.DAY
