"""Dates known to a year, a month or a day: a real date plus its precision.

Only the edges (YAML, API, Popolo) use the short forms ``2012``, ``2012-11``, ``2012-11-10``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from cajd.vocab import Precision

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class FuzzyDate:
    date: dt.date
    precision: Precision

    @classmethod
    def parse(cls, value: Any) -> FuzzyDate:
        """Read ``2012``, ``"2012-11"``, ``"2012-11-10"`` or a ``datetime.date``."""
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, dt.datetime):
            raise ValueError(f"{value!r} has a time of day; give a date")
        if isinstance(value, dt.date):
            return cls(value, Precision.DAY)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        match = _PATTERN.match(str(value).strip())
        if not match:
            raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = match.groups()
        try:
            date = dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date: {exc}") from None
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        return cls(date, precision)

    @classmethod
    def from_columns(cls, date: dt.date | None, precision: str | None) -> FuzzyDate | None:
        if date is None:
            return None
        return cls(date, Precision(precision or Precision.DAY))

    def __str__(self) -> str:
        if self.precision is Precision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    @property
    def latest(self) -> dt.date:
        """The last day this date could mean (for 'can B be before A?' checks)."""
        if self.precision is Precision.DAY:
            return self.date
        if self.precision is Precision.MONTH:
            next_month = (self.date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return next_month - dt.timedelta(days=1)
        return dt.date(self.date.year, 12, 31)

    def certainly_before(self, other: FuzzyDate) -> bool:
        """True only when every day this could mean is before every day ``other`` could mean."""
        return self.latest < other.date
