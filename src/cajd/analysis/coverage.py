"""How complete the record is: per body, its numbering and declared gaps, the meetings lacking
delegations, ranks, documents or a city, the facts resting on one non-official source, the open
conflicts, and the stated counts of meetings reconciled against the record.

Computed from the rows the dataset builds (``Builder``), not from the store: the report is about the
reviewed YAML, so it runs on any folder before it is loaded, needs no database, and is the same
wherever it runs (``docs/known-gaps.md`` is generated from it and checked by a test). The rows carry
the store's own column names, so the same functions could be fed from the store later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from cajd.analysis.languages import Languages, languages
from cajd.dataset import pipeline
from cajd.dataset.build import Row, Rows
from cajd.dataset.checks import spans
from cajd.fuzzydate import FuzzyDate

Verdict = Literal["agree", "record has fewer", "record has more"]


class Sequence(BaseModel):
    """A body's regular numbering: what is recorded, what is declared missing, what is silent."""

    recorded: list[int]
    declared: list[int]
    silent: list[int]
    extraordinary: list[str]
    unnumbered: list[str]

    @property
    def summary(self) -> str:
        parts = [spans(self.recorded)] if self.recorded else ["no numbered meeting"]
        gaps = [f"{spans(self.declared)} (declared)"] if self.declared else []
        gaps += [f"{spans(self.silent)} (silent)"] if self.silent else []
        text = parts[0] + (f"; gaps: {'; '.join(gaps)}" if gaps else "")
        others = len(self.extraordinary) + len(self.unnumbered)
        if self.extraordinary:
            text += f"; {len(self.extraordinary)} extraordinary"
        if self.unnumbered:
            text += f"; {len(self.unnumbered)} unnumbered"
        return text if self.recorded or gaps or others else "no meeting recorded"


class Gap(BaseModel):
    """One declared gap entry as the body file states it (its rows regrouped by note)."""

    numbers: list[int]
    note: str
    searched: list[str]


class Reconciliation(BaseModel):
    """A stated count of meetings set against the meetings the record holds by its date."""

    count: int
    as_of: str
    sources: list[str]
    note: str | None
    held_by_then: int
    extraordinary_by_then: int
    declared_gaps: list[int]
    verdict: Verdict
    explained: bool
    explanation: str


class Conflict(BaseModel):
    subject_kind: str
    subject_id: str
    field: str
    claims: list[str]


class Lacking(BaseModel):
    """Held meetings lacking each kind of detail (planned ones cannot have them yet)."""

    delegations: list[str]
    ranks: list[str]  # "event (party, party)": delegations whose head's rank is unknown
    documents: list[str]
    city: list[str]


class BodyCoverage(BaseModel):
    id: str
    code: str
    name: str
    status: str
    held: int
    planned: int
    sequence: Sequence
    sequence_summary: str
    gaps: list[Gap]
    lacking: Lacking
    facts: int
    single_source: list[str]  # "kind:id" of facts citing exactly one source, not an official one
    open_conflicts: list[Conflict]
    stated_counts: list[Reconciliation]


class Coverage(BaseModel):
    dataset: str
    problems: int  # what `cajd data check` would report; the report is made regardless
    bodies: list[BodyCoverage]
    facts: int
    single_source: int
    # Facts outside any body (parties, participations, persons, pledges…): per kind.
    other_single_source: dict[str, list[str]]
    other_open_conflicts: list[Conflict]
    # The names' Japanese and Russian forms (computed from the records, not the rows).
    languages: Languages | None = None

    @property
    def silent_holes(self) -> dict[str, list[int]]:
        return {b.id: b.sequence.silent for b in self.bodies if b.sequence.silent}


# --- computing it -----------------------------------------------------------------------------


def _start(event: Row) -> FuzzyDate:
    start = FuzzyDate.from_columns(event["start_date"], event["start_precision"])
    assert start is not None  # an event's start is required by its record
    return start


def _by(rows: Iterable[Row], key: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _owners(rows: Rows) -> dict[tuple[str, str], str]:
    """The body each body-bound fact belongs to: (subject kind, id) → body id."""
    owner: dict[tuple[str, str], str] = {}
    for body_id in rows.get("body", {}):
        owner[("body", body_id)] = body_id
    for count in rows.get("stated_count", {}).values():
        owner[("stated_count", count["id"])] = count["body_id"]
    for event in rows.get("event", {}).values():
        owner[("event", event["id"])] = event["body_id"]
    events = rows.get("event", {})
    for dlg in rows.get("delegation", {}).values():
        if dlg["event_id"] in events:
            owner[("delegation", dlg["id"])] = events[dlg["event_id"]]["body_id"]
    for doc in rows.get("document", {}).values():
        if doc["event_id"] in events:
            owner[("document", doc["id"])] = events[doc["event_id"]]["body_id"]
    return owner


def _single_source(rows: Rows) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Every cited fact, and those resting on exactly one source that is not official.

    A conflict's claims are left out: each claim is one side of a disagreement by design.
    """
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cite in rows.get("citation", {}).values():
        if cite["subject_kind"] != "conflict_claim":
            sources[(cite["subject_kind"], cite["subject_id"])].add(cite["source_id"])
    official = {s["id"] for s in rows.get("source", {}).values() if s["official"]}
    weak = {fact for fact, cited in sources.items() if len(cited) == 1 and not cited & official}
    return set(sources), weak


def _conflicts(rows: Rows) -> list[tuple[tuple[str, str], Conflict]]:
    claims = _by(rows.get("conflict_claim", {}).values(), "conflict_id")
    return [
        (
            (c["subject_kind"], c["subject_id"]),
            Conflict(
                subject_kind=c["subject_kind"],
                subject_id=c["subject_id"],
                field=c["field"],
                claims=[claim["value"] for claim in claims.get(c["id"], [])],
            ),
        )
        for c in sorted(rows.get("conflict", {}).values(), key=lambda c: c["id"])
        if not c["resolved"]
    ]


def reconcile(
    count: Row, sources: list[str], events: list[Row], declared: list[int]
) -> Reconciliation:
    """Set "N meetings by D" against the meetings the record knows were held by D.

    Known for certain: the held, numbered, regular meetings whose start is not certainly after D,
    plus the declared gaps numbered below the highest of them (a 4th meeting by D means a 3rd,
    recorded or not). Whether a source also counts extraordinary or unnumbered meetings is rarely
    said, so a count between the certain figure and everything recorded agrees.

    Fewer in the record is explained only when declared gaps numbered up to N make up the
    difference: a missing meeting is declared, not argued away in a note. More in the record
    (a count below the certain figure) needs the stated count's note to say why.
    """
    as_of = FuzzyDate.from_columns(count["as_of_date"], count["as_of_precision"])
    assert as_of is not None
    by_then = [e for e in events if e["status"] == "held" and not as_of.certainly_before(_start(e))]
    regular = {e["number"] for e in by_then if e["number"] is not None and not e["extraordinary"]}
    extra = sum(1 for e in by_then if e["extraordinary"])
    unnumbered = sum(1 for e in by_then if e["number"] is None and not e["extraordinary"])
    top = max(regular, default=0)
    below = sorted(n for n in declared if n < top and n not in regular)
    certain = len(regular) + len(below)
    everything = certain + extra + unnumbered
    stated = count["count"]
    parts = [f"{certain} numbered" + (f" (gaps {spans(below)} declared)" if below else "")]
    parts = parts if certain or everything == 0 else []
    parts += [f"{extra} extraordinary"] if extra else []
    parts += [f"{unnumbered} unnumbered"] if unnumbered else []
    in_words = f"by {as_of}: {', '.join(parts)}"
    verdict: Verdict
    relevant = below
    if certain <= stated <= everything:
        verdict, explained = "agree", True
        explanation = in_words
        if stated != certain:
            explanation += f"; the source counts {stated - certain} of the non-numbered"
    elif stated > everything:
        verdict = "record has fewer"
        later = sorted(n for n in declared if top < n <= stated)
        relevant = below + later
        explained = everything + len(later) >= stated
        if explained:
            explanation = f"{in_words}; declared gap(s) {spans(later)} account for the rest"
        else:
            missing = stated - everything - len(later)
            explanation = f"{in_words}; {missing} meeting(s) neither recorded nor declared" + (
                f" (declared: {spans(later)})" if later else ""
            )
    else:
        verdict = "record has more"
        explained = bool(count["note"])
        explanation = in_words + (
            "; the count's note says why the source counts fewer"
            if explained
            else "; unexplained: the stated count needs a note saying why the source counts fewer"
        )
    return Reconciliation(
        count=stated,
        as_of=str(as_of),
        sources=sources,
        note=count["note"],
        held_by_then=len(by_then),
        extraordinary_by_then=extra,
        declared_gaps=relevant,
        verdict=verdict,
        explained=explained,
        explanation=explanation,
    )


def _sequence(events: list[Row], declared: list[int]) -> Sequence:
    regular = {e["number"] for e in events if e["number"] is not None and not e["extraordinary"]}
    top = max(regular, default=0)
    return Sequence(
        recorded=sorted(regular),
        declared=sorted(declared),
        silent=sorted(set(range(1, top + 1)) - regular - set(declared)),
        extraordinary=sorted(e["id"] for e in events if e["extraordinary"]),
        unnumbered=sorted(
            e["id"] for e in events if e["number"] is None and not e["extraordinary"]
        ),
    )


def _lacking(events: list[Row], rows: Rows) -> Lacking:
    held = sorted((e for e in events if e["status"] == "held"), key=lambda e: (_start(e), e["id"]))
    delegations = _by(rows.get("delegation", {}).values(), "event_id")
    documents = _by((d for d in rows.get("document", {}).values() if d["event_id"]), "event_id")
    unranked = []
    for e in held:
        parties = sorted(d["party_id"] for d in delegations.get(e["id"], []) if not d["rank"])
        if parties:
            unranked.append(f"{e['id']} ({', '.join(parties)})")
    return Lacking(
        delegations=[e["id"] for e in held if not delegations.get(e["id"])],
        ranks=unranked,
        documents=[e["id"] for e in held if not documents.get(e["id"])],
        city=[e["id"] for e in held if not e["city"]],
    )


def _gaps(rows: list[Row]) -> list[Gap]:
    grouped: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for row in rows:
        grouped[(row["note"], tuple(row["searched"]))].append(row["number"])
    gaps = [Gap(numbers=sorted(n), note=note, searched=list(q)) for (note, q), n in grouped.items()]
    return sorted(gaps, key=lambda g: g.numbers)


def coverage_of(rows: Rows, dataset: str = "data", problems: int = 0) -> Coverage:
    events = _by(rows.get("event", {}).values(), "body_id")
    counts = _by(rows.get("stated_count", {}).values(), "body_id")
    gaps = _by(rows.get("declared_gap", {}).values(), "body_id")
    cited_by: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cite in rows.get("citation", {}).values():
        cited_by[(cite["subject_kind"], cite["subject_id"])].append(cite["source_id"])
    owner = _owners(rows)
    facts, weak = _single_source(rows)
    conflicts = _conflicts(rows)
    bodies = []
    for body in sorted(rows.get("body", {}).values(), key=lambda b: b["id"]):
        mine = events.get(body["id"], [])
        declared = [g["number"] for g in gaps.get(body["id"], [])]
        sequence = _sequence(mine, declared)
        reconciled = [
            reconcile(c, sorted(set(cited_by[("stated_count", c["id"])])), mine, declared)
            for c in sorted(counts.get(body["id"], []), key=lambda c: (c["as_of_date"], c["id"]))
        ]
        bodies.append(
            BodyCoverage(
                id=body["id"],
                code=body["code"],
                name=body["name_en"],
                status=str(body["status"]),
                held=sum(1 for e in mine if e["status"] == "held"),
                planned=sum(1 for e in mine if e["status"] == "planned"),
                sequence=sequence,
                sequence_summary=sequence.summary,
                gaps=_gaps(gaps.get(body["id"], [])),
                lacking=_lacking(mine, rows),
                facts=sum(1 for fact in facts if owner.get(fact) == body["id"]),
                single_source=sorted(
                    f"{kind}:{fact_id}"
                    for kind, fact_id in weak
                    if owner.get((kind, fact_id)) == body["id"]
                ),
                open_conflicts=[c for subject, c in conflicts if owner.get(subject) == body["id"]],
                stated_counts=reconciled,
            )
        )
    other: dict[str, list[str]] = defaultdict(list)
    for kind, fact_id in sorted(weak):
        if (kind, fact_id) not in owner:
            other[kind].append(fact_id)
    return Coverage(
        dataset=dataset,
        problems=problems,
        bodies=bodies,
        facts=len(facts),
        single_source=len(weak),
        other_single_source=dict(other),
        other_open_conflicts=[c for subject, c in conflicts if subject not in owner],
    )


def coverage(root: Path | None = None, display: str | None = None) -> Coverage:
    """The coverage of a dataset folder (default: the bundled record), even one with problems:
    knowing what is missing matters most while the record is incomplete."""
    built = pipeline.build(root, display)
    report = coverage_of(built.rows, built.display, len(built.problems))
    return report.model_copy(update={"languages": languages(built.root)})
