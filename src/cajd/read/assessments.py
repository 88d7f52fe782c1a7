"""A commitment's compliance assessments, every revision, as the public sees them: the score,
its rationale, the review's verdict and note, and the evidence, but not which account scored or
reviewed (``read.record.PRIVATE_COLUMNS``, as in the bulk downloads)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.model import Assessment, Commitment, Evidence
from cajd.read.record import columns
from cajd.read.sql import NotFound, asc, rows

_ASSESSMENT: sa.Table = Assessment.__table__  # type: ignore[assignment]
_EVIDENCE: sa.Table = Evidence.__table__  # type: ignore[assignment]


def history(session: Session, commitment_id: str) -> list[dict[str, Any]]:
    """Every revision of every score of ``commitment_id``, by party, period, stage and
    revision; ``latest`` marks the revision that counts (a superseded one stays, as history)."""
    found = session.get(Commitment, commitment_id)
    if found is None or found.deleted_at is not None:
        raise NotFound("commitment", commitment_id)
    a = _ASSESSMENT.c
    query = sa.select(*columns(_ASSESSMENT)).where(
        a.commitment_id == commitment_id, a.deleted_at.is_(None)
    ).order_by(asc(a.party_id), asc(a.period), asc(a.stage), a.revision)
    revisions = [dict(r._mapping) for r in rows(session, query)]
    ids = [r["id"] for r in revisions]
    e = _EVIDENCE.c
    evidence: dict[str, list[dict[str, Any]]] = {}
    if ids:
        for found_row in rows(session, sa.select(*columns(_EVIDENCE)).where(
                e.subject_kind == "assessment", e.subject_id.in_(ids), e.deleted_at.is_(None))):
            evidence.setdefault(found_row.subject_id, []).append(dict(found_row._mapping))
    last: dict[tuple[Any, ...], int] = {}
    for r in revisions:
        cell = (r["party_id"], r["period"], r["stage"])
        last[cell] = max(last.get(cell, 0), r["revision"])
    return [r | {"latest": r["revision"] == last[(r["party_id"], r["period"], r["stage"])],
                 "evidence": sorted(evidence.get(r["id"], []),
                                    key=lambda x: int(x["id"].rsplit(".", 1)[1]))}
            for r in revisions]
