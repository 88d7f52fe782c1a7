"""Each analysis result as flat rows: the CSV form, the tables of the pages and the report, and
the data behind the figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from cajd.analysis.agenda import Agenda
from cajd.analysis.cadence import Cadence
from cajd.analysis.commitments import Commitments
from cajd.analysis.documents import Documents
from cajd.analysis.participation import Participation

Rows = list[dict[str, Any]]


def participation_rows(r: Participation) -> Rows:
    rows: Rows = []
    for m in r.meetings:
        for party, rank in m.ranks.items():
            rows.append({"event": m.event, "start": m.start, "party": party, "role": "taking part",
                         "rank": rank or "", "below_nominal": party in m.below_nominal,
                         "absent": False})
        for party in m.absent:
            rows.append({"event": m.event, "start": m.start, "party": party, "role": "taking part",
                         "rank": "", "below_nominal": False, "absent": True})
        for party, rank in m.guest_ranks.items():
            rows.append({"event": m.event, "start": m.start, "party": party, "role": "guest",
                         "rank": rank or "", "below_nominal": False, "absent": False})
    return rows


def cadence_rows(r: Cadence) -> Rows:
    gaps = {g.to: g.days for g in r.intervals}
    return [{"event": h.event, "start": h.start, "host": h.host or "", "country": h.country or "",
             "where": h.where, "days_since_previous": gaps.get(h.event, ""),
             "approximate_date": h.approximate} for h in r.hosting]


def documents_rows(r: Documents) -> Rows:
    return [{"event": m.event, "number": m.number if m.number is not None else "",
             "start": m.start, "documents": len(m.documents),
             "kinds": "; ".join(f"{k} {n}" for k, n in sorted(m.kinds.items()))}
            for m in r.per_meeting]


def commitments_rows(r: Commitments) -> Rows:
    return [{"id": c.id, "party": c.party, "kind": c.kind, "event": c.event or "",
             "year": c.year or "", "amount": c.amount if c.amount is not None else "",
             "currency": c.currency or "", "usd": c.usd if c.usd is not None else "",
             "usd_basis": c.usd_basis or "", "rate": c.rate or "",
             "target": f"{c.target_quantity} {c.target_unit}" if c.target_quantity else "",
             "due": c.due or "", "areas": "; ".join(c.areas),
             "implementation_records": len(c.implementation)} for c in r.commitments]


def agenda_rows(r: Agenda) -> Rows:
    return [{"event": m.event, "start": m.start, "area": area,
             "pillar": r.area_pillar.get(area, area)}
            for m in r.meetings for area in m.areas]


TABLES: dict[type[BaseModel], Callable[[Any], Rows]] = {
    Participation: participation_rows, Cadence: cadence_rows, Documents: documents_rows,
    Commitments: commitments_rows, Agenda: agenda_rows,
}


def rows(result: BaseModel) -> Rows:
    return TABLES[type(result)](result)
