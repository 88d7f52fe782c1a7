"""Rules that span records: impossible dates, numbering and its gaps, who may send a delegation,
codes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TypeVar

import pycountry

from cajd.dataset import records as r
from cajd.dataset.build import Builder, Loc
from cajd.dataset.reader import Loaded
from cajd.fuzzydate import FuzzyDate
from cajd.vocab import BodyStatus, EventStatus, Role

NEVER_SET_UP = {BodyStatus.PROPOSED, BodyStatus.DECLINED}

Finding = tuple[Loaded, Loc, str]
R = TypeVar("R", bound=r.Record)


def _of(builder: Builder, kind: str, cls: type[R]) -> Iterator[tuple[Loaded, R]]:
    for one in builder.index[kind].values():
        if isinstance(one.record, cls):
            yield one, one.record


def _period(start: FuzzyDate | None, end: FuzzyDate | None) -> str | None:
    if start and end and end.certainly_before(start):
        return f"ends ({end}) before it starts ({start})"
    return None


def _covers(start: FuzzyDate | None, end: FuzzyDate | None, day: FuzzyDate) -> bool:
    return not (start and day.certainly_before(start)) and not (end and end.certainly_before(day))


def check_periods(b: Builder) -> Iterator[Finding]:
    for one, dialogue in _of(b, "dialogues", r.DialogueRecord):
        for i, part in enumerate(dialogue.participations):
            if problem := _period(part.start, part.end):
                yield one, ("participations", i, "end"), problem
    for one, person in _of(b, "persons", r.PersonRecord):
        for i, pos in enumerate(person.positions):
            if problem := _period(pos.start, pos.end):
                yield one, ("positions", i, "end"), problem
    for one, event in _of(b, "events", r.EventRecord):
        if problem := _period(event.start, event.end):
            yield one, ("end",), problem


def check_event_in_body_life(b: Builder) -> Iterator[Finding]:
    for one, event in _of(b, "events", r.EventRecord):
        body_file = b.index["bodies"].get(event.body)
        body = body_file.record if body_file else None
        established = body.established if isinstance(body, r.BodyRecord) else None
        # A meeting that was planned and then called off may predate the body's first meeting
        # (the summit planned for 2024); only a meeting that took place must fall in its life.
        if event.status is EventStatus.CANCELLED:
            continue
        if established and event.start.certainly_before(established):
            yield (
                one,
                ("start",),
                (f"{event.start} is before {event.body} existed (established {established})"),
            )
        # Bodies have no end date; one that was never set up cannot have met.
        if (
            isinstance(body, r.BodyRecord)
            and body.status in NEVER_SET_UP
            and event.status == EventStatus.HELD
        ):
            yield (
                one,
                ("status",),
                f"{event.body} was never set up (status {body.status}): it held no meeting",
            )


def check_numbering(b: Builder) -> Iterator[Finding]:
    seen: dict[tuple[str, int, bool], str] = {}
    for one, event in _of(b, "events", r.EventRecord):
        if event.number is None:
            continue
        key = (event.body, event.number, event.extraordinary)
        if key in seen:
            yield one, ("number",), f"{event.body} number {event.number} is also {seen[key]}"
        else:
            seen[key] = event.id


def spans(numbers: Iterable[int]) -> str:
    """``[1, 2, 3, 5, 7, 8]`` as ``1–3, 5, 7, 8``: runs of three or more are joined."""
    ordered = sorted(set(numbers))
    out: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{ordered[i]}–{ordered[j]}")
        else:
            out.extend(str(n) for n in ordered[i : j + 1])
        i = j + 1
    return ", ".join(out)


def missing_runs(present: set[int], top: int) -> list[tuple[int, int]]:
    """The runs ``(first, last)`` of numbers from 1 to ``top`` not in ``present``, computed from
    the numbers present, never by listing every number up to ``top`` (which may be huge)."""
    runs: list[tuple[int, int]] = []
    expected = 1
    for number in sorted(n for n in present if 1 <= n <= top):
        if number > expected:
            runs.append((expected, number - 1))
        expected = max(expected, number + 1)
    if expected <= top:
        runs.append((expected, top))
    return runs


def runs_text(runs: list[tuple[int, int]]) -> str:
    """Runs as ``spans`` writes them: ``1–3, 5, 7, 8``."""
    out: list[str] = []
    for first, last in runs:
        if last - first >= 2:
            out.append(f"{first}–{last}")
        else:
            out.extend(str(n) for n in range(first, last + 1))
    return ", ".join(out)


def numbered_events(b: Builder) -> tuple[dict[str, dict[int, str]], set[str]]:
    """Per body, its regular meetings by number (extraordinary ones are numbered apart), and the
    bodies where two meetings share a number."""
    found: dict[str, dict[int, str]] = defaultdict(dict)
    doubled: set[str] = set()
    for _, event in _of(b, "events", r.EventRecord):
        if event.number is not None and not event.extraordinary:
            if event.number in found[event.body]:
                doubled.add(event.body)
            found[event.body].setdefault(event.number, event.id)
    return found, doubled


def check_gaps(b: Builder) -> Iterator[Finding]:
    """Numbering without silent gaps: up to the highest number recorded, every number is a
    meeting or a declared gap; and a declared gap is not a meeting the record holds."""
    numbered, doubled = numbered_events(b)
    for one, body in _of(b, "bodies", r.BodyRecord):
        events = numbered.get(body.id, {})
        for i, gap in enumerate(body.gaps):
            for j, number in enumerate(gap.numbers):
                if number in events:
                    yield (
                        one,
                        ("gaps", i, "numbers", j),
                        (
                            f"{body.id} number {number} is recorded ({events[number]}); "
                            "a meeting the record holds is not a gap"
                        ),
                    )
        # A misnumbered meeting (check_numbering) or an event file that failed validation leaves
        # a hole that is the same mistake, not a second one.
        if not events or body.id in doubled or body.id in b.broken_event_folders:
            continue
        silent = missing_runs(set(events) | set(body.declared_gaps()), max(events))
        if silent:
            yield (
                one,
                ("gaps",),
                (
                    f"{body.id} has no meeting numbered {runs_text(silent)} (it has up to "
                    f"{max(events)}): record the meetings, or declare the numbers under gaps "
                    "with what was searched"
                ),
            )


def check_delegations(b: Builder) -> Iterator[Finding]:
    taking_part: dict[tuple[str, str], list[r.ParticipationRecord]] = defaultdict(list)
    for _, dialogue in _of(b, "dialogues", r.DialogueRecord):
        for part in dialogue.participations:
            taking_part[(dialogue.id, b.ref_quiet("party", part.party))].append(part)
    for one, event in _of(b, "events", r.EventRecord):
        body_file = b.index["bodies"].get(event.body)
        dialogue_id = body_file.record.dialogue if body_file else None  # type: ignore[attr-defined]
        heads: dict[str, int] = {}
        for i, dlg in enumerate(event.delegations):
            party = b.ref_quiet("party", dlg.party)
            if dlg.head:
                head = b.ref_quiet("person", dlg.head)
                if head in heads:
                    yield (
                        one,
                        ("delegations", i, "head"),
                        (f"{head!r} already heads delegations[{heads[head]}] of this meeting"),
                    )
                heads.setdefault(head, i)
            parts = taking_part.get((str(dialogue_id), party), [])
            if dlg.role != Role.GUEST and not any(
                _covers(p.start, p.end, event.start) for p in parts
            ):
                yield (
                    one,
                    ("delegations", i, "party"),
                    (
                        f"{party} takes no part in {dialogue_id} on {event.start}; "
                        "a delegation from outside the dialogue has role: guest"
                    ),
                )


def _country(code: str | None) -> bool:
    return code is None or pycountry.countries.get(alpha_2=code) is not None


def _currency(code: str | None) -> bool:
    return code is None or pycountry.currencies.get(alpha_3=code) is not None


def check_codes(b: Builder) -> Iterator[Finding]:
    for one, event in _of(b, "events", r.EventRecord):
        if not _country(event.country):
            yield one, ("country",), f"{event.country!r} is not an ISO 3166-1 alpha-2 code"
    for one, dialogue in _of(b, "dialogues", r.DialogueRecord):
        if not _country(dialogue.founded_country):
            yield (
                one,
                ("founded_country",),
                (f"{dialogue.founded_country!r} is not an ISO 3166-1 alpha-2 code"),
            )
    for one, party in _of(b, "parties", r.PartyRecord):
        if party.kind == "state" and not _country(party.id):
            yield one, ("id",), f"a state's id is its ISO 3166-1 alpha-2 code, not {party.id!r}"
    for kind, cls in (
        ("commitments", r.CommitmentRecord),
        ("implementation", r.ImplementationRecordIn),
    ):
        for one, rec in _of(b, kind, cls):
            if not _currency(getattr(rec, "currency", None)):
                yield one, ("currency",), f"{rec.currency!r} is not an ISO 4217 code"  # type: ignore[attr-defined]


ALL_CHECKS = (
    check_periods,
    check_event_in_body_life,
    check_numbering,
    check_gaps,
    check_delegations,
    check_codes,
)


def run_checks(builder: Builder) -> None:
    for check in ALL_CHECKS:
        for one, loc, message in check(builder):
            builder.problem(one, loc, message)
