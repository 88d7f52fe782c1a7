"""The agenda over time (the paper's Figure 3): the areas each meeting was tagged with, by pillar.

Rule: an area's pillar is its top-level ancestor (the five pillars have no parent); a meeting's
areas are those the record tags it with (meetings with none are listed as untagged).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel

from cajd.read.analysis import AreaRow, EventRow, TagRow
from cajd.vocab import EventStatus


class AgendaMeeting(BaseModel):
    event: str
    start: str | None
    areas: list[str]
    pillars: dict[str, int]


class Agenda(BaseModel):
    body: str
    pillars: dict[str, str]  # pillar id -> its English name
    area_pillar: dict[str, str]
    # each area's (and pillar's) name by language, where the record gives it: for the pages
    area_names: dict[str, dict[str, str]] = {}
    meetings: list[AgendaMeeting]
    per_pillar: dict[str, int]
    untagged: list[str]


def pillar_of(area: str, parents: dict[str, str | None]) -> str:
    seen = {area}
    while parents.get(area):
        area = parents[area] or area
        if area in seen:  # a cycle would be a record error; stop rather than loop
            break
        seen.add(area)
    return area


def agenda(body: str, events: Sequence[EventRow], areas: Sequence[AreaRow],
           tags: Sequence[TagRow]) -> Agenda:
    parents = {a.id: a.parent for a in areas}
    pillars = {a.id: a.name for a in areas if a.parent is None}
    area_pillar = {a.id: pillar_of(a.id, parents) for a in areas}
    tagged: dict[str, list[str]] = {}
    for tag in tags:
        tagged.setdefault(tag.subject, []).append(tag.area)
    held = [e for e in events if e.body == body and e.status == EventStatus.HELD.value]
    meetings = [
        AgendaMeeting(event=e.id, start=e.start.isoformat() if e.start else None,
                      areas=sorted(tagged.get(e.id, [])),
                      pillars=dict(sorted(Counter(area_pillar.get(a, a)
                                                  for a in tagged.get(e.id, [])).items())))
        for e in held
    ]
    total: Counter[str] = Counter()
    for m in meetings:
        total.update(m.pillars)
    names = {a.id: {lang: name for lang, name in (("en", a.name), ("ja", a.name_ja),
                                                  ("ru", a.name_ru)) if name}
             for a in areas}
    return Agenda(body=body, pillars=pillars, area_pillar=area_pillar, area_names=names,
                  meetings=meetings,
                  per_pillar=dict(sorted(total.items())),
                  untagged=[m.event for m in meetings if not m.areas])
