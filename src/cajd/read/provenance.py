"""Citations and conflicts for a batch of records, fetched in two queries rather than per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.model import Citation, Conflict, ConflictClaim, Source
from cajd.read.views import Cite, Claim, ConflictView


def cites(session: Session, kind: str, ids: Collection[str]) -> dict[str, list[Cite]]:
    """Every citation of the ``kind`` records ``ids``, official sources first."""
    found: dict[str, list[Cite]] = defaultdict(list)
    if not ids:
        return found
    query = (
        sa.select(Citation.subject_id, Citation.locator, Source.id, Source.title, Source.url,
                  Source.official)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.subject_kind == kind, Citation.subject_id.in_(list(ids)))
        .order_by(Citation.subject_id, Source.official.desc(), Source.id, Citation.locator)
    )
    for subject, at, source, title, url, official in session.execute(query):
        found[subject].append(Cite(source=source, title=title, url=url, official=official, at=at))
    return found


def conflicts(session: Session, kind: str | None, ids: Collection[str] | None = None
              ) -> dict[str, list[ConflictView]]:
    """Conflicts on the ``kind`` records ``ids`` (every conflict when ``kind`` is None)."""
    query = sa.select(Conflict).order_by(Conflict.subject_id, Conflict.field)
    if kind is not None:
        if not ids:
            return {}
        query = query.where(Conflict.subject_kind == kind, Conflict.subject_id.in_(list(ids)))
    rows = session.scalars(query).all()
    if not rows:
        return {}
    claims = session.scalars(
        sa.select(ConflictClaim)
        .where(ConflictClaim.conflict_id.in_([c.id for c in rows]))
        .order_by(ConflictClaim.id)
    ).all()
    claim_cites = cites(session, "conflict_claim", [c.id for c in claims])
    by_conflict: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_conflict[claim.conflict_id].append(
            Claim(value=claim.value, preferred=claim.preferred, reason=claim.reason,
                  sources=claim_cites.get(claim.id, []))
        )
    found: dict[str, list[ConflictView]] = defaultdict(list)
    for c in rows:
        found[c.subject_id].append(
            ConflictView(id=c.id, subject_kind=c.subject_kind, subject_id=c.subject_id,
                         field=c.field, note=c.note, resolved=c.resolved,
                         claims=by_conflict.get(c.id, []))
        )
    return found
