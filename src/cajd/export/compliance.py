"""Compliance as tables researchers can reuse (documented in docs/compliance-data.md):

- ``tidy``: one row per assessment revision, every revision kept (``latest`` marks the score
  that counts), with the commitment's paragraph and guideline beside the score;
- ``wide``: one row per commitment × period × stage and one column per member of the Dialogue,
  in the shape G7 compliance datasets use (``area,id,year,text,average,<member…>``; a blank
  where a member was not assessed, never 0).

No assessor's name is exported, as in the other public downloads (``cajd.read.record``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.model import Assessment, Commitment, Dialogue, Evidence, Participation
from cajd.read import compliance
from cajd.vocab import Role

Rows = list[dict[str, Any]]
TIDY_COLUMNS = (
    "assessment", "commitment", "party", "period", "year", "stage", "revision", "latest",
    "score", "assessed", "commitment_kind", "areas", "document", "paragraph", "event",
    "guideline_full", "guideline_partial", "guideline_none", "rationale", "review_verdict",
    "review_note", "assessed_on", "evidence")


def members(session: Session, dialogue: str = "caj") -> list[str]:
    """The Dialogue's six countries, the partner (Japan) first: members and Turkmenistan, which
    some sources call an observer (its participation's note keeps that disagreement); guests
    of a single meeting are not columns."""
    partner = session.scalar(sa.select(Dialogue.partner_id).where(Dialogue.id == dialogue))
    found = sorted(set(session.scalars(sa.select(Participation.party_id).where(
        Participation.dialogue_id == dialogue, Participation.role.in_((Role.MEMBER, Role.OBSERVER)),
        Participation.deleted_at.is_(None)))))
    return sorted(found, key=lambda p: (p != partner, p))


def _evidence(session: Session) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for subject, url, name in session.execute(
            sa.select(Evidence.subject_id, Evidence.url, Evidence.file_name)
            .where(Evidence.subject_kind == "assessment", Evidence.deleted_at.is_(None))
            .order_by(Evidence.subject_id, Evidence.id)):
        found[subject].append(url or name or "")
    return found


def tidy(session: Session) -> Rows:
    latest = {c.id for c in compliance.every_cell(session)}
    areas = compliance.areas_by_commitment(session)
    evidence = _evidence(session)
    statement = (sa.select(Assessment, Commitment)
                 .join(Commitment, Commitment.id == Assessment.commitment_id)
                 .where(Assessment.deleted_at.is_(None), Commitment.deleted_at.is_(None))
                 .order_by(Assessment.commitment_id, Assessment.party_id, Assessment.period,
                           Assessment.stage, Assessment.revision))
    rows = []
    for a, c in session.execute(statement):
        rows.append({
            "assessment": a.id, "commitment": a.commitment_id, "party": a.party_id,
            "period": a.period, "year": int(a.period[:4]), "stage": a.stage.value,
            "revision": a.revision, "latest": a.id in latest,
            "score": "" if a.score is None else a.score, "assessed": a.score is not None,
            "commitment_kind": c.kind.value, "areas": ";".join(areas.get(c.id, ())),
            "document": c.document_id or "", "paragraph": c.paragraph or "",
            "event": c.event_id or "", "guideline_full": c.guideline_full or "",
            "guideline_partial": c.guideline_partial or "",
            "guideline_none": c.guideline_none or "", "rationale": a.rationale,
            "review_verdict": a.review_verdict.value if a.review_verdict else "",
            "review_note": a.review_note or "",
            "assessed_on": a.assessed_at.date().isoformat() if a.assessed_at else "",
            "evidence": " ".join(evidence.get(a.id, ())),
        })
    return rows


def wide(session: Session, view: compliance.StageView = "latest") -> Rows:
    parties = members(session)
    descriptions = {k: d for k, d in session.execute(
        sa.select(Commitment.id, Commitment.description))}
    grouped: dict[tuple[str, str, str], dict[str, int | None]] = defaultdict(dict)
    areas: dict[str, tuple[str, ...]] = {}
    for cell in compliance.cells(session, view):
        grouped[(cell.commitment_id, cell.period, cell.stage.value)][cell.party_id] = cell.score
        areas[cell.commitment_id] = cell.areas
    rows = []
    for (commitment, period, stage), scores in sorted(grouped.items()):
        scored = [s for s in scores.values() if s is not None]
        rows.append({
            "area": ";".join(areas[commitment]), "id": commitment, "year": int(period[:4]),
            "period": period, "stage": stage, "text": descriptions.get(commitment, ""),
            "average": round(sum(scored) / len(scored), 3) if scored else "",
            "n": len(scored),
            **{p: "" if scores.get(p) is None else scores[p] for p in parties},
        })
    return rows


def csv_text(rows: Rows, columns: tuple[str, ...] | list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def wide_columns(session: Session) -> list[str]:
    return ["area", "id", "year", "period", "stage", "text", "average", "n", *members(session)]
