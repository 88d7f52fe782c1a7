"""The paper's "participation criterion": who came to each meeting of a body, at what rank.

Rules (stated on the page and in the report):
- the parties counted are those *participating* at the meeting's date: members and observers
  (the paper counts Turkmenistan, an observer, among "all members"); guests are listed apart;
- a participating party with no delegation is absent;
- "at nominal rank" means a recorded rank at or above the body's nominal rank; a delegation
  whose rank the record lacks is not counted as at nominal rank (it is listed as unknown);
- only held meetings count; a run below nominal is a sequence of consecutive held meetings at
  which the party was below nominal or absent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from cajd.read.analysis import BodyRow, DelegationRow, EventRow, ParticipationRow
from cajd.vocab import EventStatus, Rank, Role

TAKING_PART = {Role.MEMBER.value, Role.OBSERVER.value}


class Meeting(BaseModel):
    event: str
    number: int | None
    name: str
    start: str | None
    ranks: dict[str, str | None]
    absent: list[str]
    below_nominal: list[str]
    unknown_rank: list[str]
    guests: list[str]
    guest_ranks: dict[str, str | None]
    all_members_present: bool
    all_at_nominal_rank: bool | None


class Run(BaseModel):
    """Consecutive held meetings (``from`` … ``to``) below nominal rank or absent."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    from_: str = Field(alias="from")
    to: str
    meetings: int


class PartyRecord(BaseModel):
    ranks: list[dict[str, str | None]]
    below_nominal: list[str]
    absent: list[str]
    longest_run_below_nominal: Run | None


class Participation(BaseModel):
    body: str
    nominal_rank: str | None
    nominal_rank_convention: str | None
    meetings: list[Meeting]
    first_all_at_nominal_rank: str | None
    first_all_members_present: str | None
    parties: dict[str, PartyRecord]


def taking_part(participations: Sequence[ParticipationRow], day: dt.date | None) -> set[str]:
    """Members and observers of the dialogue on ``day``."""
    return {p.party for p in participations
            if p.role in TAKING_PART and day is not None
            and (p.start is None or p.start <= day) and (p.end is None or day <= p.end)}


def at_or_above(rank: str | None, nominal: str | None) -> bool:
    return rank is not None and nominal is not None and Rank(rank).level >= Rank(nominal).level


def _meeting(event: EventRow, delegations: Sequence[DelegationRow],
             participating: set[str], nominal: str | None) -> Meeting:
    sent = {d.party: d for d in delegations if d.role != Role.GUEST.value}
    guests = {d.party: d.rank for d in delegations
              if d.role == Role.GUEST.value or d.party not in participating}
    ranks = {p: sent[p].rank for p in sorted(participating) if p in sent}
    absent = sorted(participating - set(sent))
    unknown = sorted(p for p, r in ranks.items() if r is None)
    below = sorted(p for p, r in ranks.items() if r is not None and nominal is not None
                   and not at_or_above(r, nominal))
    return Meeting(
        event=event.id, number=event.number, name=event.name,
        start=event.start.isoformat() if event.start else None,
        ranks=ranks, absent=absent, below_nominal=below, unknown_rank=unknown,
        guests=sorted(guests), guest_ranks=dict(sorted(guests.items())),
        all_members_present=not absent,
        all_at_nominal_rank=None if nominal is None else (
            not absent and all(at_or_above(r, nominal) for r in ranks.values())),
    )


def _longest_run(flags: list[tuple[str, bool]]) -> Run | None:
    best: Run | None = None
    start = 0
    for i, (_event, low) in enumerate([*flags, ("", False)]):
        if low:
            continue
        length = i - start
        if length and (best is None or length > best.meetings):
            best = Run(from_=flags[start][0], to=flags[i - 1][0], meetings=length)
        start = i + 1
    return best


def participation(body: BodyRow, events: Sequence[EventRow],
                  delegations: Sequence[DelegationRow],
                  participations: Sequence[ParticipationRow]) -> Participation:
    nominal = body.nominal_rank
    held = [e for e in events if e.status == EventStatus.HELD.value and e.body == body.id]
    by_event: dict[str, list[DelegationRow]] = {}
    for d in delegations:
        by_event.setdefault(d.event, []).append(d)
    meetings = [_meeting(e, by_event.get(e.id, []), taking_part(participations, e.start), nominal)
                for e in held]
    parties: dict[str, PartyRecord] = {}
    for party in sorted({p for m in meetings for p in [*m.ranks, *m.absent]}):
        mine = [m for m in meetings if party in m.ranks or party in m.absent]
        flags = [(m.event, party in m.absent or party in m.below_nominal) for m in mine]
        parties[party] = PartyRecord(
            ranks=[{"event": m.event, "start": m.start, "rank": m.ranks.get(party)}
                   for m in mine],
            below_nominal=[m.event for m in mine if party in m.below_nominal],
            absent=[m.event for m in mine if party in m.absent],
            longest_run_below_nominal=_longest_run(flags) if nominal else None,
        )
    return Participation(
        body=body.id, nominal_rank=nominal, nominal_rank_convention=body.nominal_rank_convention,
        meetings=meetings,
        first_all_at_nominal_rank=next((m.event for m in meetings if m.all_at_nominal_rank),
                                       None),
        first_all_members_present=next((m.event for m in meetings if m.all_members_present),
                                       None),
        parties=parties,
    )
