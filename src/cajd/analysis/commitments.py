"""What was promised, in the pledge's currency and in US dollars, and what evidence followed.

Rules: a pledge's year is that of the meeting it was made at; a US-dollar amount is the amount
itself for USD, else the amount divided by the sourced annual average rate of that year
(``data/rates/``); with no rate for that year, the US-dollar figure the record's own source states
is used and marked so; otherwise the pledge is left unconverted and listed. A commitment "has
evidence" when at least one implementation record is linked to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel

from cajd.analysis.rates import RateTable
from cajd.read.analysis import CommitmentRow, EventRow, ImplementationRow, TagRow


class Pledge(BaseModel):
    id: str
    party: str
    kind: str
    description: str
    event: str | None
    year: int | None
    amount: int | None
    currency: str | None
    usd: int | None
    usd_basis: str | None  # "same currency", "rate", "stated by source", or None
    rate: float | None
    rate_source: str | None
    target_quantity: int | None
    target_unit: str | None
    due: str | None
    areas: list[str]
    implementation: list[str]
    has_evidence: bool


class Totals(BaseModel):
    usd: int
    by_currency: dict[str, int]
    pledges: int


class Commitments(BaseModel):
    dialogue: str
    commitments: list[Pledge]
    by_party: dict[str, Totals]
    by_area: dict[str, Totals]
    by_kind: dict[str, Totals]
    by_year: dict[str, Totals]
    with_evidence: int
    share_with_evidence: float | None
    unconverted: list[str]
    # "JPY 2025" -> the pledges in that currency and year for which data/rates/ has no sourced
    # rate: each is either left out of the US-dollar totals (``unconverted``) or counted at the
    # figure its own source states (``usd_basis`` "stated by source")
    missing_rates: dict[str, list[str]] = {}
    due: list[dict[str, str]]
    rate_sources: dict[str, str]


def _convert(c: CommitmentRow, year: int | None, rates: RateTable
             ) -> tuple[int | None, str | None, float | None, str | None]:
    if c.amount is None or c.currency is None:
        return None, None, None, None
    if c.currency == "USD":
        return c.amount, "same currency", None, None
    rate = rates.lookup(c.currency, year) if year else None
    if rate is not None:
        return round(c.amount / rate.per_usd), "rate", rate.per_usd, rate.source
    if c.amount_usd is not None:
        return c.amount_usd, "stated by source", None, c.usd_rate_source
    return None, None, None, None


def _missing_rates(pledges: list[Pledge]) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = defaultdict(list)
    for p in pledges:
        if p.amount is not None and p.currency and p.currency != "USD" and p.rate is None:
            missing[f"{p.currency} {p.year or 'unknown'}"].append(p.id)
    return dict(sorted(missing.items()))


def _totals(pledges: list[Pledge]) -> Totals:
    by_currency: dict[str, int] = defaultdict(int)
    for p in pledges:
        if p.amount is not None and p.currency:
            by_currency[p.currency] += p.amount
    return Totals(usd=sum(p.usd or 0 for p in pledges), by_currency=dict(by_currency),
                  pledges=len(pledges))


def _group(pledges: list[Pledge], keys: dict[str, list[str]]) -> dict[str, Totals]:
    groups: dict[str, list[Pledge]] = defaultdict(list)
    for p in pledges:
        for key in keys[p.id]:
            groups[key].append(p)
    return {k: _totals(v) for k, v in sorted(groups.items())}


def commitments(dialogue: str, rows: Sequence[CommitmentRow], events: Sequence[EventRow],
                implementation: Sequence[ImplementationRow], tags: Sequence[TagRow],
                rates: RateTable) -> Commitments:
    starts = {e.id: e.start for e in events}
    evidence: dict[str, list[str]] = defaultdict(list)
    for record in implementation:
        if record.commitment:
            evidence[record.commitment].append(record.id)
    areas: dict[str, list[str]] = defaultdict(list)
    for tag in tags:
        areas[tag.subject].append(tag.area)
    pledges = []
    for c in rows:
        start = starts.get(c.event) if c.event else None
        year = start.year if start else None
        usd, basis, rate, source = _convert(c, year, rates)
        pledges.append(Pledge(
            id=c.id, party=c.party, kind=c.kind, description=c.description, event=c.event,
            year=year, amount=c.amount, currency=c.currency, usd=usd, usd_basis=basis, rate=rate,
            rate_source=source, target_quantity=c.target_quantity, target_unit=c.target_unit,
            due=c.due.isoformat()[: {"year": 4, "month": 7}.get(c.due_precision or "", 10)]
            if c.due else None,
            areas=sorted(areas.get(c.id, [])), implementation=evidence.get(c.id, []),
            has_evidence=bool(evidence.get(c.id)),
        ))
    with_evidence = sum(p.has_evidence for p in pledges)
    return Commitments(
        dialogue=dialogue, commitments=pledges,
        by_party=_group(pledges, {p.id: [p.party] for p in pledges}),
        by_area=_group(pledges, {p.id: p.areas or ["(none)"] for p in pledges}),
        by_kind=_group(pledges, {p.id: [p.kind] for p in pledges}),
        by_year=_group(pledges, {p.id: [str(p.year or "unknown")] for p in pledges}),
        with_evidence=with_evidence,
        share_with_evidence=round(with_evidence / len(pledges), 3) if pledges else None,
        unconverted=[p.id for p in pledges if p.amount is not None and p.usd is None],
        missing_rates=_missing_rates(pledges),
        due=[{"commitment": p.id, "due": p.due} for p in sorted(pledges, key=lambda p: p.due or "")
             if p.due],
        rate_sources={k: f"{v.title} <{v.url}>" for k, v in rates.sources.items()},
    )
