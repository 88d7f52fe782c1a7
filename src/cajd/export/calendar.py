"""The meetings as an iCalendar feed (RFC 5545, built and checked with the ``icalendar``
package), for the Dialogue or for one body.

Dates are only as precise as the record: a meeting known to the day is an all-day event on its
days; one known only to the month spans that month, marked free time (TRANSP:TRANSPARENT),
with "known to the month only" in its description and ``X-CAJD-DATE-PRECISION:month``; one
known only to the year is left out (a year-long event would say nothing true), and the
calendar's description says how many were.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from cajd import licence
from cajd.fuzzydate import FuzzyDate
from cajd.read import queries as q
from cajd.read.record import stamp
from cajd.read.views import EventSummary
from cajd.vocab import EventStatus, Precision

PRODID = "-//cajd//Central Asia plus Japan Dialogue record//EN"
_STATUS = {EventStatus.HELD.value: "CONFIRMED", EventStatus.PLANNED.value: "TENTATIVE",
           EventStatus.CANCELLED.value: "CANCELLED"}


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _span(start: FuzzyDate, end: FuzzyDate | None) -> tuple[dt.date, dt.date] | None:
    """First day and the day after the last (DTEND of an all-day event is exclusive)."""
    if start.precision is Precision.YEAR:
        return None
    if start.precision is Precision.MONTH:
        return start.date, _next_month(start.date)
    last = end.date if end is not None and end.precision is Precision.DAY else start.date
    return start.date, max(last, start.date) + dt.timedelta(days=1)


def _event(found: EventSummary, base_url: str | None, stamped: dt.datetime) -> Event | None:
    start = FuzzyDate.parse(found.start)
    span = _span(start, FuzzyDate.parse(found.end) if found.end else None)
    if span is None:
        return None
    entry = Event()
    entry.add("uid", f"{found.id}@cajd")
    entry.add("dtstamp", stamped)
    entry.add("summary", found.name.en)
    entry.add("dtstart", span[0])
    entry.add("dtend", span[1])
    place = ", ".join(p for p in (found.venue, found.city, found.country) if p)
    if place:
        entry.add("location", place)
    entry.add("categories", [found.body_code])
    if found.status in _STATUS:
        entry.add("status", _STATUS[found.status])
    notes = [f"{found.body_code} · {found.status} · {found.format}"]
    if start.precision is Precision.MONTH:
        entry.add("transp", "TRANSPARENT")
        entry.add("x-cajd-date-precision", "month")
        notes.append(f"Date known to the month only ({found.start}).")
    else:
        entry.add("x-cajd-date-precision", "day")
    if base_url:
        link = f"{base_url.rstrip('/')}/en/meetings/{found.id}"
        entry.add("url", link)
        notes.append(link)
    entry.add("description", "\n".join(notes))
    return entry


def calendar(session: Session, body: str | None = None, base_url: str | None = None
             ) -> Calendar:
    """The Dialogue's meetings (or those of ``body``), oldest first; raises NotFound for an
    unknown body."""
    if body is not None:
        q.body(session, body)
    filters = q.EventFilter(body=body, dialogue=None if body else "caj")
    meetings = q.events(session, filters, sort="start", limit=None).items
    at = stamp(session)
    stamped = dt.datetime.combine(at.date or dt.date(2004, 8, 28), dt.time(), dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{licence.TITLE}" + (f": {body}" if body else ""))
    left_out = 0
    for found in meetings:
        entry = _event(found, base_url, stamped)
        if entry is None:
            left_out += 1
        else:
            cal.add_component(entry)
    cal.add("x-wr-caldesc", (
        f"Record version {at.version}. {licence.DATA.spdx} ({licence.DATA.url}). "
        + (f"{left_out} meeting(s) known only to the year are left out." if left_out else "")
    ).strip())
    return cal


def calendar_bytes(session: Session, body: str | None = None, base_url: str | None = None
                   ) -> bytes:
    data: bytes = calendar(session, body, base_url).to_ical()
    return data
