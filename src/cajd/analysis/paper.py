"""The seed paper's empirical statements (seed-002, Dissyukov 2019, covering 2004-2018), each
set against what the record now says. The paper's claims are paraphrased and cited; the record's
answer is computed from the analyses, never written in.

``verdict`` judges the claim for the paper's own period (to the end of 2018): ``confirms``,
``revises`` or ``cannot decide`` (the record lacks what would settle it); ``later`` says what the
record adds after the paper, where that changes the picture.

Each sentence is a ``Phrase``: an English template (marked ``N_`` for the catalogs, so that the
portal and the report show it in Japanese and Russian) and the values computed from the record.
``paper``, ``record`` and ``later`` hold the English rendering (the JSON and the CLI).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from cajd.analysis.cadence import Cadence
from cajd.analysis.documents import Documents
from cajd.analysis.participation import Participation

PAPER_END = "2018-12-31"
Verdict = Literal["confirms", "revises", "cannot decide"]
Value = str | int | list[str] | list[int]


def N_(message: str) -> str:
    """Marks a template for the catalogs; it is translated where it is shown."""
    return message


class Phrase(BaseModel):
    """A sentence: its English template with ``%(name)s`` slots, and the slots' values. A
    value named ``rank`` is a rank code, a list is joined, a ``Phrase`` value is nested."""

    template: str
    values: dict[str, Value | Phrase] = {}

    def render(self, gettext: Callable[[str], str] = lambda s: s,
               value: Callable[[str, Value], str] | None = None) -> str:
        show = value or _english_value
        return gettext(self.template) % {
            k: v.render(gettext, value) if isinstance(v, Phrase) else show(k, v)
            for k, v in self.values.items()}


def _english_value(name: str, value: Value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class Finding(BaseModel):
    id: str
    analysis: str
    paper: str
    cited: str
    record: str
    verdict: Verdict
    later: str | None = None
    # the same sentences as templates and values, for the translated pages (not in the JSON)
    phrases: dict[str, Phrase] = Field(default_factory=dict, exclude=True)


def _finding(id: str, analysis: str, cited: str, verdict: Verdict, paper: Phrase,
             record: Phrase, later: Phrase | None = None) -> Finding:
    phrases = {"paper": paper, "record": record, **({"later": later} if later else {})}
    return Finding(id=id, analysis=analysis, paper=paper.render(), cited=cited,
                   record=record.render(), verdict=verdict,
                   later=later.render() if later else None, phrases=phrases)


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

    def by_meeting(found: dict[str, list[str]]) -> Phrase:
        return Phrase(template="; ".join(f"%(e{i})s: %(g{i})s" for i in range(len(found))),
                      values={**{f"e{i}": e for i, e in enumerate(found)},
                              **{f"g{i}": g for i, g in enumerate(found.values())}})

    later_guests = {e: g for e, g in guests.items() if e not in guests_paper}
    return [
        _finding(
            "first-all-at-minister-rank", "participation", "seed-002 §3(5)",
            "confirms" if first == "caj-fmm-5" else "revises",
            Phrase(template=N_("The 5th FMM (2014) was the first at which every member was "
                               "represented at ministerial level.")),
            Phrase(template=N_("First held meeting with every participating party present and "
                               "headed at or above %(rank)s: %(first)s."),
                   values={"rank": p.nominal_rank or "", "first": first})
            if first else
            Phrase(template=N_("No held meeting had every participating party present and "
                               "headed at or above %(rank)s."),
                   values={"rank": p.nominal_rank or ""})),
        _finding(
            "turkmenistan-below-minister", "participation", "seed-002 §2, §3(3), §3(4)",
            "confirms" if tm_paper == ["caj-fmm-1", "caj-fmm-2", "caj-fmm-3"] else "revises",
            Phrase(template=N_("Turkmenistan sent an ambassador to the 1st and 3rd FMMs and "
                               "took full part only from the 4th (2012).")),
            Phrase(template=N_("Turkmenistan below minister rank or absent at: %(events)s "
                               "(to 2018)."), values={"events": tm_paper})
            if tm_paper else
            Phrase(template=N_("Turkmenistan was at minister rank at every FMM to 2018.")),
            Phrase(template=N_("After 2018 also at: %(events)s."), values={"events": tm_later})
            if tm_later else None),
        _finding(
            "guests", "participation", "seed-002 §4(1)1",
            "confirms" if guests_paper == {"caj-fmm-2": ["AF"]} else "revises",
            Phrase(template=N_("Only one outside state, Afghanistan, ever took part in an FMM "
                               "as a guest, at the 2nd (2006).")),
            Phrase(template=N_("Guests by meeting to 2018: %(guests)s."),
                   values={"guests": by_meeting(guests_paper)})
            if guests_paper else Phrase(template=N_("No guest at any FMM to 2018.")),
            Phrase(template=N_("After 2018: %(guests)s."),
                   values={"guests": by_meeting(later_guests)}) if later_guests else None),
    ]


def cadence_findings(c: Cadence) -> list[Finding]:
    in_period = [h for h in c.hosting if _in_period(h.start)]
    places = sorted({h.where for h in in_period})
    later = sorted({h.where for h in c.hosting} - set(places))
    online = [h.event for h in c.hosting if h.where == "online"]
    gap = next((g for g in c.intervals if g.from_ == "caj-fmm-2"), None)
    gap_years = {str(y) for y in range(2007, 2010)} & set(c.per_year)
    longest = c.longest_gap
    gap_phrase = (Phrase(template=N_("%(from)s to %(to)s: %(days)s days, no FMM in 2007-2009"),
                         values={"from": gap.from_, "to": gap.to, "days": gap.days})
                  if gap else Phrase(template=N_("no interval after the 2nd FMM")))
    return [
        _finding(
            "held-in-japan-or-central-asia", "cadence", "seed-002 §4(1)1",
            "confirms" if set(places) <= {"japan", "central_asia"} else "revises",
            Phrase(template=N_("FMMs are held in Japan or in Central Asia, never on the margins "
                               "of other international forums.")),
            Phrase(template=N_("Places of the held meetings to 2018: %(places)s."),
                   values={"places": places}),
            Phrase(template=N_("Since then also online: %(events)s."),
                   values={"events": online}) if "online" in later else None),
        _finding(
            "gap-after-2006", "cadence", "seed-002 §4(1)2, §3(3)",
            "confirms" if gap and not gap_years and longest
            and longest.from_ == "caj-fmm-2" else "revises",
            Phrase(template=N_("No ministerial meeting was held from 2007 to 2009; the SOMs "
                               "kept the Dialogue going until the 3rd FMM of 2010.")),
            Phrase(template=N_("%(gap)s; the longest interval in the record is %(from)s to "
                               "%(to)s (%(days)s days)."),
                   values={"gap": gap_phrase, "from": longest.from_, "to": longest.to,
                           "days": longest.days})
            if longest else Phrase(template="%(gap)s.", values={"gap": gap_phrase}),
            Phrase(template=N_("%(days)s days have passed since the last held meeting."),
                   values={"days": c.since_last_days}) if c.since_last_days else None),
    ]


def documents_findings(d: Documents) -> list[Finding]:
    window = [m for m in d.per_meeting if _in_period(m.start) and m.number is not None]
    before = [len(m.documents) for m in window if (m.number or 0) < d.growth.pivot]
    after = [len(m.documents) for m in window if (m.number or 0) >= d.growth.pivot]
    missing = [m.event for m in window if not m.documents]
    roadmap = d.first.get("roadmap")
    grew = bool(before and after) and sum(after) / len(after) > sum(before) / len(before)
    counts = {"before": f"[{', '.join(map(str, before))}]",
              "after": f"[{', '.join(map(str, after))}]"}
    return [
        _finding(
            "first-roadmap", "documents", "seed-002 §3(5)",
            "confirms" if roadmap and roadmap.event == "caj-fmm-5" else "revises",
            Phrase(template=N_("The 5th FMM (2014) adopted the Dialogue's first roadmap, on "
                               "agriculture.")),
            Phrase(template=N_("First roadmap: %(document)s (%(event)s, %(date)s)."),
                   values={"document": roadmap.document, "event": roadmap.event,
                           "date": str(roadmap.date)})
            if roadmap else Phrase(template=N_("No roadmap in the record."))),
        _finding(
            "more-documents-after-4th-fmm", "documents", "seed-002 §4(2), point 1",
            "cannot decide" if missing else ("confirms" if grew else "revises"),
            Phrase(template=N_("From the 4th FMM on, each FMM adopted more outcome documents.")),
            Phrase(template=N_("Documents per FMM before the 4th: %(before)s; from the 4th to "
                               "2018: %(after)s; no document recorded for %(missing)s."),
                   values={**counts, "missing": missing})
            if missing else
            Phrase(template=N_("Documents per FMM before the 4th: %(before)s; from the 4th to "
                               "2018: %(after)s."), values=counts)),
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
