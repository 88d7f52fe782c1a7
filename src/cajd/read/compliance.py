"""Compliance with the Dialogue's commitments, scored by the G7 Research Group's method: each
cell (commitment × party × period × stage) holds −1, 0 or +1, or is "not assessed", and the
cell's score is its latest revision (earlier ones are the history of a "living document").

Averages are taken by party, by commitment, by area and by year over the cells scored; a cell
not assessed is counted apart and never enters the mean as 0. Every figure comes with its n
and the formula that made it (``FORMULA``), so a reader can check it by hand.

The one place the dashboard, its JSON, its CSV exports and the static site read compliance from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy.orm import Session

from cajd.model import Area, AreaTag, Assessment, Commitment, Party
from cajd.read.sql import localized
from cajd.read.views import Localized, View
from cajd.vocab import AssessmentStage

# Which stage a view shows: each report on its own, or each cell's latest word (its final
# score where one is given, else its interim one).
StageView = Literal["latest", "interim", "final"]
STAGE_VIEWS: tuple[StageView, ...] = ("latest", "interim", "final")
Grouping = Literal["party", "commitment", "area", "year"]
GROUPINGS: tuple[Grouping, ...] = ("party", "commitment", "area", "year")

FORMULA = ("average = (sum of the scores −1, 0 and +1) ÷ n, where n counts the cells scored; "
           "a cell not assessed is left out of n (it is not 0)")
# The percentage is the average on the −1…+1 scale printed as a percent, as the G7 Research
# Group's early reports printed it (so it can be negative); cajd states it beside each figure.
PERCENT_FORMULA = "percent = average × 100"


@dataclass(frozen=True)
class Cell:
    """One commitment × party × period × stage, at its latest revision."""

    id: str
    commitment_id: str
    party_id: str
    period: str
    stage: AssessmentStage
    revision: int
    score: int | None  # None: not assessed
    rationale: str
    assessed_at: dt.datetime | None
    review_verdict: str | None
    areas: tuple[str, ...]

    @property
    def year(self) -> int:
        """The year a period starts in (``2025-2026`` → 2025): the year of the meeting whose
        commitments it scores, as the G7 reports are named by summit year."""
        return int(self.period[:4])


class Average(View):
    """One group's average, with everything needed to check it: n, the cells not assessed, the
    sum and the count at each score."""

    key: str
    n: int = Field(description="cells scored (not-assessed cells are not counted)")
    not_assessed: int
    sum: int
    full: int = Field(description="cells scored +1")
    partial: int = Field(description="cells scored 0")
    none: int = Field(description="cells scored −1")
    mean: float | None = Field(description="sum ÷ n, on the −1…+1 scale; null when n is 0")
    percent: float | None = Field(description="mean × 100")


def _average(key: str, scores: list[int], not_assessed: int) -> Average:
    mean = sum(scores) / len(scores) if scores else None
    return Average(key=key, n=len(scores), not_assessed=not_assessed, sum=sum(scores),
                   full=scores.count(1), partial=scores.count(0), none=scores.count(-1),
                   mean=mean, percent=None if mean is None else round(mean * 100, 1))


@dataclass(frozen=True)
class Change:
    """A cell scored at both stages: how the interim score became the final one."""

    commitment_id: str
    party_id: str
    period: str
    interim: int | None
    final: int | None

    @property
    def delta(self) -> int | None:
        if self.interim is None or self.final is None:
            return None
        return self.final - self.interim


def cells(session: Session, view: StageView = "latest") -> list[Cell]:
    """Every cell at its latest revision, of live commitments, in a stable order."""
    return in_view(every_cell(session), view)


def in_view(found: list[Cell], view: StageView) -> list[Cell]:
    """The cells of one stage, or each cell's latest word (``latest``), from ``every_cell``."""
    if view == "latest":
        return _latest_stage(found)
    return [c for c in found if c.stage is AssessmentStage(view)]


def every_cell(session: Session) -> list[Cell]:
    """Every cell of both stages at its latest revision: one query, which every view, the
    changes and the exports take their cells from."""
    a = Assessment
    latest = (sa.select(a.commitment_id, a.party_id, a.period, a.stage,
                        sa.func.max(a.revision).label("revision"))
              .where(a.deleted_at.is_(None))
              .group_by(a.commitment_id, a.party_id, a.period, a.stage).subquery())
    statement = (
        sa.select(a.id, a.commitment_id, a.party_id, a.period, a.stage, a.revision, a.score,
                  a.rationale, a.assessed_at, a.review_verdict)
        .join(latest, sa.and_(a.commitment_id == latest.c.commitment_id,
                              a.party_id == latest.c.party_id, a.period == latest.c.period,
                              a.stage == latest.c.stage, a.revision == latest.c.revision))
        .join(Commitment, Commitment.id == a.commitment_id)
        .where(a.deleted_at.is_(None), Commitment.deleted_at.is_(None))
        .order_by(a.commitment_id, a.party_id, a.period, a.stage))
    areas = areas_by_commitment(session)
    return [Cell(row.id, row.commitment_id, row.party_id, row.period, row.stage, row.revision,
                  row.score, row.rationale, row.assessed_at,
                  row.review_verdict.value if row.review_verdict else None,
                  areas.get(row.commitment_id, ()))
             for row in session.execute(statement)]


def _latest_stage(found: list[Cell]) -> list[Cell]:
    by_cell: dict[tuple[str, str, str], Cell] = {}
    for cell in found:  # a final score, where given, is the cell's word on the period
        key = (cell.commitment_id, cell.party_id, cell.period)
        if key not in by_cell or cell.stage is AssessmentStage.FINAL:
            by_cell[key] = cell
    return list(by_cell.values())


def areas_by_commitment(session: Session) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for subject, area in session.execute(
            sa.select(AreaTag.subject_id, AreaTag.area_id)
            .where(AreaTag.subject_kind == "commitment", AreaTag.deleted_at.is_(None))
            .order_by(AreaTag.subject_id, AreaTag.area_id)):
        found[subject].append(area)
    return {k: tuple(v) for k, v in found.items()}


def _keys(grouping: Grouping) -> Callable[[Cell], Iterable[str]]:
    if grouping == "party":
        return lambda c: (c.party_id,)
    if grouping == "commitment":
        return lambda c: (c.commitment_id,)
    if grouping == "year":
        return lambda c: (str(c.year),)
    return lambda c: c.areas  # a commitment of two areas counts in each


def averages(found: Iterable[Cell], grouping: Grouping) -> list[Average]:
    """The averages by ``grouping``, ranked: the highest mean first (ties by larger n, then by
    key); groups with nothing scored come last."""
    keys = _keys(grouping)
    totals: dict[str, list[int]] = defaultdict(list)
    missing: dict[str, int] = defaultdict(int)
    for cell in found:
        for key in keys(cell):
            if cell.score is None:
                missing[key] += 1
                totals.setdefault(key, [])
            else:
                totals[key].append(cell.score)
    result = [_average(key, scores, missing[key]) for key, scores in totals.items()]
    return sorted(result, key=lambda a: (a.mean is None, -(a.mean or 0), -a.n, a.key))


def overall(found: Iterable[Cell]) -> Average:
    listed = list(found)
    scores = [c.score for c in listed if c.score is not None]
    return _average("all", scores, len(listed) - len(scores))


def changes(session: Session) -> list[Change]:
    """Cells scored at both stages, with the interim and the final score."""
    return changes_of(every_cell(session))


def changes_of(found: list[Cell]) -> list[Change]:
    by_cell: dict[tuple[str, str, str], dict[AssessmentStage, Cell]] = defaultdict(dict)
    for cell in found:
        by_cell[(cell.commitment_id, cell.party_id, cell.period)][cell.stage] = cell
    return [Change(*key, stages[AssessmentStage.INTERIM].score, stages[AssessmentStage.FINAL].score)
            for key, stages in sorted(by_cell.items()) if len(stages) == 2]


@dataclass(frozen=True)
class Names:
    """The names a dashboard shows for the keys of its averages."""

    parties: dict[str, Localized]
    areas: dict[str, Localized]
    commitments: dict[str, str]  # id -> description (cajd's words, in English)


def names(session: Session) -> Names:
    def named(model: type[Party] | type[Area]) -> dict[str, Localized]:
        return {row.id: localized(row.name_en, row.name_ja, row.name_ru)
                for row in session.execute(sa.select(model.id, model.name_en, model.name_ja,
                                                     model.name_ru))}

    described = {k: d for k, d in session.execute(
        sa.select(Commitment.id, Commitment.description))}
    return Names(named(Party), named(Area), described)


class CellView(View):
    id: str = Field(description="the revision's id: <commitment>.<party>.<period>.<stage>.rN")
    commitment: str
    party: str
    period: str = Field(description="a year or a span of years: 2025 or 2025-2026")
    year: int = Field(description="the year the period starts in")
    stage: AssessmentStage
    revision: int = Field(description="the latest revision; earlier ones are its history")
    score: int | None = Field(description="−1, 0 or +1; null when not assessed (not 0)")
    rationale: str
    review_verdict: str | None
    areas: list[str]


class ChangeView(View):
    commitment: str
    party: str
    period: str
    interim: int | None
    final: int | None
    delta: int | None = Field(description="final − interim; null when either is not assessed")


class ComplianceView(View):
    view: StageView = Field(description="latest: each cell's final score where given, else interim")
    formula: str = FORMULA
    percent_formula: str = PERCENT_FORMULA
    commitments: int = Field(description="commitments in the record")
    commitments_scored: int = Field(description="commitments with at least one cell scored")
    overall: Average
    by_party: list[Average]
    by_commitment: list[Average]
    by_area: list[Average]
    by_year: list[Average]
    changes: list[ChangeView]
    cells: list[CellView]


def dashboard(session: Session, view: StageView = "latest") -> ComplianceView:
    every = every_cell(session)
    found = in_view(every, view)
    live = session.scalar(sa.select(sa.func.count()).select_from(Commitment)
                          .where(Commitment.deleted_at.is_(None))) or 0
    return ComplianceView(
        view=view, commitments=live,
        commitments_scored=len({c.commitment_id for c in found if c.score is not None}),
        overall=overall(found),
        by_party=averages(found, "party"), by_commitment=averages(found, "commitment"),
        by_area=averages(found, "area"), by_year=averages(found, "year"),
        changes=[ChangeView(commitment=c.commitment_id, party=c.party_id, period=c.period,
                            interim=c.interim, final=c.final, delta=c.delta)
                 for c in changes_of(every)],
        cells=[CellView(id=c.id, commitment=c.commitment_id, party=c.party_id, period=c.period,
                        year=c.year, stage=c.stage, revision=c.revision, score=c.score,
                        rationale=c.rationale, review_verdict=c.review_verdict,
                        areas=list(c.areas)) for c in found])
