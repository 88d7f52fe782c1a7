"""The seed paper's empirical statements (seed-002, Dissyukov 2019, covering 2004-2018), each
set against what the record now says. The paper's claims are paraphrased and cited; the record's
answer is computed from the analyses, never written in.

``verdict`` judges the claim for the paper's own period (to the end of 2018): ``confirms``,
``revises`` or ``cannot decide`` (the record lacks what would settle it); ``later`` says what the
record adds after the paper, where that changes the picture.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from cajd.analysis.cadence import Cadence
from cajd.analysis.documents import Documents
from cajd.analysis.participation import Participation

PAPER_END = "2018-12-31"
Verdict = Literal["confirms", "revises", "cannot decide"]


class Finding(BaseModel):
    id: str
    analysis: str
    paper: str
    cited: str
    record: str
    verdict: Verdict
    later: str | None = None


def _in_period(start: str | None) -> bool:
    return start is not None and start <= PAPER_END


def participation_findings(p: Participation) -> list[Finding]:
    in_period = [m for m in p.meetings if _in_period(m.start)]
    first = next((m.event for m in in_period if m.all_at_nominal_rank), None)
    tm = p.parties.get("TM")
    tm_low = sorted(set(tm.below_nominal + tm.absent)) if tm else []
    tm_paper = [e for e in tm_low if _in_period(next(m.start for m in p.meetings if m.event == e))]
    tm_later = [e for e in tm_low if e not in tm_paper]
    guests = {m.event: m.guests for m in p.meetings if m.guests}
    guests_paper = {e: g for e, g in guests.items()
                    if _in_period(next(m.start for m in p.meetings if m.event == e))}
    return [
        Finding(
            id="first-all-at-minister-rank", analysis="participation",
            paper="The 5th FMM (2014) was the first at which every member was represented at "
                  "ministerial level.",
            cited="seed-002 §3(5)",
            record=f"First held meeting with every participating party present and headed at or "
                   f"above {p.nominal_rank}: {first or 'none'}.",
            verdict="confirms" if first == "caj-fmm-5" else "revises"),
        Finding(
            id="turkmenistan-below-minister", analysis="participation",
            paper="Turkmenistan sent an ambassador to the 1st and 3rd FMMs and took full part "
                  "only from the 4th (2012).",
            cited="seed-002 §2, §3(3), §3(4)",
            record="Turkmenistan below minister rank or absent at: "
                   f"{', '.join(tm_paper) or 'none'} (to 2018).",
            verdict="confirms" if tm_paper == ["caj-fmm-1", "caj-fmm-2", "caj-fmm-3"]
            else "revises",
            later=f"After 2018 also at: {', '.join(tm_later)}." if tm_later else None),
        Finding(
            id="guests", analysis="participation",
            paper="Only one outside state, Afghanistan, ever took part in an FMM as a guest, "
                  "at the 2nd (2006).",
            cited="seed-002 §4(1)1",
            record="Guests by meeting to 2018: " + ("; ".join(
                f"{e}: {', '.join(g)}" for e, g in guests_paper.items()) or "none") + ".",
            verdict="confirms" if guests_paper == {"caj-fmm-2": ["AF"]} else "revises",
            later="After 2018: " + "; ".join(f"{e}: {', '.join(g)}" for e, g in guests.items()
                                            if e not in guests_paper) + "."
            if len(guests) > len(guests_paper) else None),
    ]


def cadence_findings(c: Cadence) -> list[Finding]:
    in_period = [h for h in c.hosting if _in_period(h.start)]
    places = sorted({h.where for h in in_period})
    later = sorted({h.where for h in c.hosting} - set(places))
    online = [h.event for h in c.hosting if h.where == "online"]
    gap = next((g for g in c.intervals if g.from_ == "caj-fmm-2"), None)
    gap_years = {str(y) for y in range(2007, 2010)} & set(c.per_year)
    return [
        Finding(
            id="held-in-japan-or-central-asia", analysis="cadence",
            paper="FMMs are held in Japan or in Central Asia, never on the margins of other "
                  "international forums.",
            cited="seed-002 §4(1)1",
            record=f"Places of the held meetings to 2018: {', '.join(places)}.",
            verdict="confirms" if set(places) <= {"japan", "central_asia"} else "revises",
            later=f"Since then also online: {', '.join(online)}." if "online" in later else None),
        Finding(
            id="gap-after-2006", analysis="cadence",
            paper="No ministerial meeting was held from 2007 to 2009; the SOMs kept the "
                  "Dialogue going until the 3rd FMM of 2010.",
            cited="seed-002 §4(1)2, §3(3)",
            record=(f"{gap.from_} to {gap.to}: {gap.days} days, no FMM in 2007-2009"
                    if gap else "no interval after the 2nd FMM")
                   + (f"; the longest interval in the record is {c.longest_gap.from_} to "
                      f"{c.longest_gap.to} ({c.longest_gap.days} days)." if c.longest_gap else "."),
            verdict="confirms" if gap and not gap_years and c.longest_gap
            and c.longest_gap.from_ == "caj-fmm-2" else "revises",
            later=f"{c.since_last_days} days have passed since the last held meeting."
            if c.since_last_days else None),
    ]


def documents_findings(d: Documents) -> list[Finding]:
    window = [m for m in d.per_meeting if _in_period(m.start) and m.number is not None]
    before = [len(m.documents) for m in window if (m.number or 0) < d.growth.pivot]
    after = [len(m.documents) for m in window if (m.number or 0) >= d.growth.pivot]
    missing = [m.event for m in window if not m.documents]
    roadmap = d.first.get("roadmap")
    grew = bool(before and after) and sum(after) / len(after) > sum(before) / len(before)
    return [
        Finding(
            id="first-roadmap", analysis="documents",
            paper="The 5th FMM (2014) adopted the Dialogue's first roadmap, on agriculture.",
            cited="seed-002 §3(5)",
            record=(f"First roadmap: {roadmap.document} ({roadmap.event}, {roadmap.date})."
                    if roadmap else "No roadmap in the record."),
            verdict="confirms" if roadmap and roadmap.event == "caj-fmm-5" else "revises"),
        Finding(
            id="more-documents-after-4th-fmm", analysis="documents",
            paper="From the 4th FMM on, each FMM adopted more outcome documents.",
            cited="seed-002 §4(2), point 1",
            record=f"Documents per FMM before the 4th: {before}; from the 4th to 2018: {after}"
                   + (f"; no document recorded for {', '.join(missing)}." if missing else "."),
            verdict="cannot decide" if missing else ("confirms" if grew else "revises")),
    ]


def findings(result: BaseModel) -> list[Finding]:
    """The paper's statements this result answers: they are about the FMM, so only for it."""
    if getattr(result, "body", None) != "caj-fmm":
        return []
    if isinstance(result, Participation):
        return participation_findings(result)
    if isinstance(result, Cadence):
        return cadence_findings(result)
    if isinstance(result, Documents):
        return documents_findings(result)
    return []
