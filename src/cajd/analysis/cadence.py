"""How regularly a body meets, and where: intervals, gaps, hosting rotation, the next meeting.

Rules:
- only held meetings with a known start date count; an interval runs from one start date to the
  next, in days (a meeting known only to the month or year is placed on its first day and flagged);
- a meeting is "in Japan" when held in the dialogue partner's country, "in Central Asia" when held
  in another participating state, "online" when its format is video (or it has no country);
- the next meeting's window is the last held meeting's date plus the lower and upper quartile of
  the intervals so far; its host is the participating state that has hosted least, the longest ago
  breaking ties; a planned meeting in the record is reported as such.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from cajd.read.analysis import BodyRow, EventRow, ParticipationRow
from cajd.vocab import EventFormat, EventStatus


class Gap(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    from_: str = Field(alias="from")
    to: str
    days: int


class Hosting(BaseModel):
    event: str
    start: str
    host: str | None
    country: str | None
    where: str  # japan, central_asia, online, elsewhere
    approximate: bool


class NextMeeting(BaseModel):
    earliest: str | None
    latest: str | None
    host: str | None
    planned: list[str]
    rule: str


class Cadence(BaseModel):
    body: str
    meetings: int
    intervals: list[Gap]
    median_days: float | None
    mean_days: float | None
    stdev_days: float | None
    min_days: int | None
    max_days: int | None
    longest_gap: Gap | None
    since_last_days: int | None
    per_year: dict[str, int]
    hosting: list[Hosting]
    hosts: dict[str, int]
    never_hosted: list[str]
    share: dict[str, float]
    next: NextMeeting


NEXT_RULE = ("window: the last held meeting plus the lower and upper quartile of the intervals "
             "so far; host: the participating state that has hosted least, the longest ago "
             "breaking ties")


def _where(event: EventRow, partner: str | None, states: set[str]) -> str:
    if event.format == EventFormat.VIDEO.value or event.country is None:
        return "online"
    if event.country == partner:
        return "japan"
    return "central_asia" if event.country in states else "elsewhere"


def cadence(body: BodyRow, events: Sequence[EventRow], participations: Sequence[ParticipationRow],
            partner: str | None, today: dt.date) -> Cadence:
    held = [e for e in events
            if e.body == body.id and e.status == EventStatus.HELD.value and e.start is not None]
    held.sort(key=lambda e: (e.start or dt.date.min, e.id))
    states = {p.party for p in participations if p.role in ("member", "observer")}
    intervals = [Gap(from_=a.id, to=b.id, days=((b.start or dt.date.min) -
                                                 (a.start or dt.date.min)).days)
                 for a, b in itertools.pairwise(held)]
    days = [g.days for g in intervals]
    hosting = [Hosting(event=e.id, start=(e.start or dt.date.min).isoformat(), host=e.host,
                       country=e.country, where=_where(e, partner, states),
                       approximate=e.precision not in (None, "day"))
               for e in held]
    hosts = Counter(h.host for h in hosting if h.host and h.where != "online")
    places = Counter(h.where for h in hosting)
    last_hosted = {h.host: h.start for h in hosting if h.host and h.where != "online"}
    planned = [e.id for e in events if e.body == body.id and e.status == EventStatus.PLANNED.value]
    earliest = latest = None
    if held and len(days) >= 2:
        q1, _median, q3 = statistics.quantiles(days, n=4, method="inclusive")
        last = held[-1].start or dt.date.min
        earliest = (last + dt.timedelta(days=round(q1))).isoformat()
        latest = (last + dt.timedelta(days=round(q3))).isoformat()
    candidates = sorted(states, key=lambda s: (hosts.get(s, 0), last_hosted.get(s, ""), s))
    return Cadence(
        body=body.id, meetings=len(held), intervals=intervals,
        median_days=statistics.median(days) if days else None,
        mean_days=round(statistics.fmean(days), 1) if days else None,
        stdev_days=round(statistics.stdev(days), 1) if len(days) > 1 else None,
        min_days=min(days, default=None), max_days=max(days, default=None),
        longest_gap=max(intervals, key=lambda g: g.days) if intervals else None,
        since_last_days=(today - (held[-1].start or today)).days if held else None,
        per_year=dict(sorted(Counter(str((e.start or dt.date.min).year) for e in held).items())),
        hosting=hosting, hosts=dict(sorted(hosts.items())),
        never_hosted=sorted(states - set(hosts)),
        share={k: round(places.get(k, 0) / len(held), 3) if held else 0.0
               for k in ("japan", "central_asia", "online", "elsewhere")},
        next=NextMeeting(earliest=earliest, latest=latest,
                         host=candidates[0] if candidates else None, planned=planned,
                         rule=NEXT_RULE),
    )
