"""What meetings adopted: document kinds per meeting and year, first occurrences, and the growth
in outcome documents per meeting of a body that the paper notes after the 4th FMM.

Rules: a document counts for the meeting it was adopted at (``event``) and for the year of its
own date, else of that meeting's date; "first" is the earliest by that date; the growth compares
the mean number of documents per held meeting of the body before and from a pivot number
(default 4), meetings with no recorded document counting as zero.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel

from cajd.read.analysis import DocumentRow, EventRow
from cajd.vocab import EventStatus


class MeetingDocuments(BaseModel):
    event: str
    number: int | None
    start: str | None
    documents: list[str]
    kinds: dict[str, int]


class First(BaseModel):
    document: str
    title: str
    event: str | None
    date: str | None


class Growth(BaseModel):
    pivot: int
    before_mean: float | None
    from_mean: float | None
    before: dict[str, int]
    from_pivot: dict[str, int]


class Documents(BaseModel):
    body: str
    total: int
    per_kind: dict[str, int]
    per_year: dict[str, dict[str, int]]
    per_meeting: list[MeetingDocuments]
    first: dict[str, First]
    growth: Growth
    meetings_without_documents: list[str]


def documents(body: str, docs: Sequence[DocumentRow], events: Sequence[EventRow],
              pivot: int = 4) -> Documents:
    by_id = {e.id: e for e in events}

    def when(d: DocumentRow) -> str | None:
        day = d.date or (by_id[d.event].start if d.event in by_id else None)
        return day.isoformat() if day else None

    dated = sorted(docs, key=lambda d: (when(d) or "9999", d.id))
    per_year: dict[str, Counter[str]] = {}
    for d in dated:
        year = (when(d) or "unknown")[:4]
        per_year.setdefault(year, Counter())[d.kind] += 1
    first: dict[str, First] = {}
    for d in dated:
        if d.kind not in first:
            first[d.kind] = First(document=d.id, title=d.title, event=d.event, date=when(d))
    held = [e for e in events if e.body == body and e.status == EventStatus.HELD.value]
    adopted: dict[str, list[DocumentRow]] = {}
    for d in dated:
        if d.event:
            adopted.setdefault(d.event, []).append(d)
    per_meeting = [
        MeetingDocuments(event=e.id, number=e.number,
                         start=e.start.isoformat() if e.start else None,
                         documents=[d.id for d in adopted.get(e.id, [])],
                         kinds=dict(Counter(d.kind for d in adopted.get(e.id, []))))
        for e in held
    ]
    numbered = [m for m in per_meeting if m.number is not None]
    before = {m.event: len(m.documents) for m in numbered if (m.number or 0) < pivot}
    after = {m.event: len(m.documents) for m in numbered if (m.number or 0) >= pivot}
    mine = [d for d in dated if d.event in {e.id for e in held}]
    return Documents(
        body=body, total=len(mine), per_kind=dict(Counter(d.kind for d in mine)),
        per_year={y: dict(c) for y, c in sorted(per_year.items())},
        per_meeting=per_meeting, first=first,
        growth=Growth(pivot=pivot,
                      before_mean=round(statistics.fmean(before.values()), 2) if before else None,
                      from_mean=round(statistics.fmean(after.values()), 2) if after else None,
                      before=before, from_pivot=after),
        meetings_without_documents=[m.event for m in per_meeting if not m.documents],
    )
