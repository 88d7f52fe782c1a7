"""Citations and conflicts for every record a view shows, of whatever kinds, in one query for the
citations and two for the conflicts (their claims come with their citations)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read.sql import CITATION, CLAIM, CONFLICT, SOURCE, asc, desc, ids_param, rows
from cajd.read.views import Cite, Claim, ConflictView

Key = tuple[str, str]  # (subject kind, subject id)
Wanted = Mapping[str, Collection[str]]  # subject kind -> ids

_CITES = (
    sa.select(CITATION.c.subject_kind, CITATION.c.subject_id, CITATION.c.locator, SOURCE.c.id,
              SOURCE.c.title, SOURCE.c.url, SOURCE.c.official)
    .join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
    .where(CITATION.c.subject_kind.in_(ids_param("kinds")),
           CITATION.c.subject_id.in_(ids_param("ids")))
    .order_by(desc(SOURCE.c.official), asc(SOURCE.c.id), asc(CITATION.c.locator))
)
_CONFLICT_COLUMNS = (CONFLICT.c.id, CONFLICT.c.subject_kind, CONFLICT.c.subject_id,
                     CONFLICT.c.field, CONFLICT.c.note, CONFLICT.c.resolved)
_CONFLICT_ORDER = (asc(CONFLICT.c.subject_id), asc(CONFLICT.c.field), asc(CONFLICT.c.id))
_CONFLICTS_ON = (
    sa.select(*_CONFLICT_COLUMNS)
    .where(CONFLICT.c.subject_kind.in_(ids_param("kinds")),
           CONFLICT.c.subject_id.in_(ids_param("ids")))
    .order_by(*_CONFLICT_ORDER)
)
_ALL_CONFLICTS = sa.select(*_CONFLICT_COLUMNS).order_by(*_CONFLICT_ORDER)
_CLAIMS = (
    sa.select(CLAIM.c.id, CLAIM.c.conflict_id, CLAIM.c.value, CLAIM.c.preferred, CLAIM.c.reason,
              CITATION.c.locator, SOURCE.c.id.label("source"), SOURCE.c.title, SOURCE.c.url,
              SOURCE.c.official)
    .outerjoin(CITATION, sa.and_(CITATION.c.subject_kind == "conflict_claim",
                                 CITATION.c.subject_id == CLAIM.c.id))
    .outerjoin(SOURCE, SOURCE.c.id == CITATION.c.source_id)
    .where(CLAIM.c.conflict_id.in_(ids_param("ids")))
    .order_by(asc(CLAIM.c.id), desc(SOURCE.c.official), asc(SOURCE.c.id),
              asc(CITATION.c.locator))
)


def _flatten(wanted: Wanted) -> tuple[list[str], list[str], set[Key]]:
    keys = {(kind, i) for kind, ids in wanted.items() for i in ids}
    return sorted(wanted), sorted({i for _, i in keys}), keys


def cites(session: Session, wanted: Wanted) -> dict[Key, list[Cite]]:
    """Every citation of the records ``wanted`` (kind -> ids), official sources first."""
    kinds, ids, keys = _flatten(wanted)
    found: dict[Key, list[Cite]] = defaultdict(list)
    if not keys:
        return found
    for r in rows(session, _CITES, kinds=kinds, ids=ids):
        if (r.subject_kind, r.subject_id) in keys:  # not the same id under another kind asked
            found[r.subject_kind, r.subject_id].append(
                Cite(source=r.id, title=r.title, url=r.url, official=r.official, at=r.locator))
    return found


def conflicts(session: Session, wanted: Wanted) -> dict[Key, list[ConflictView]]:
    """Conflicts on the records ``wanted`` (kind -> ids)."""
    kinds, ids, keys = _flatten(wanted)
    result: dict[Key, list[ConflictView]] = defaultdict(list)
    if not keys:
        return result
    found = [r for r in rows(session, _CONFLICTS_ON, kinds=kinds, ids=ids)
             if (r.subject_kind, r.subject_id) in keys]
    for view in _views(session, found):
        result[view.subject_kind, view.subject_id].append(view)
    return result


def conflicts_where(session: Session, where: sa.ColumnElement[bool] | None = None
                    ) -> list[ConflictView]:
    """Every conflict, or those matching ``where``, by subject, field and id."""
    query = _ALL_CONFLICTS if where is None else _ALL_CONFLICTS.where(where)
    return _views(session, rows(session, query))


def _views(session: Session, found: Sequence[sa.Row[Any]]) -> list[ConflictView]:
    if not found:
        return []
    claims: dict[str, dict[str, tuple[sa.Row[Any], list[Cite]]]] = defaultdict(dict)
    for r in rows(session, _CLAIMS, ids=[c.id for c in found]):
        _, sources = claims[r.conflict_id].setdefault(r.id, (r, []))
        if r.source is not None:
            sources.append(Cite(source=r.source, title=r.title, url=r.url, official=r.official,
                                at=r.locator))
    return [
        ConflictView(
            id=c.id, subject_kind=c.subject_kind, subject_id=c.subject_id, field=c.field,
            note=c.note, resolved=c.resolved,
            claims=[Claim(value=claim.value, preferred=claim.preferred, reason=claim.reason,
                          sources=sources)
                    for claim, sources in claims.get(c.id, {}).values()],
        )
        for c in found
    ]
