"""Every list page's rows as CSV (issue 13, point 7): ``/{lang}/meetings.csv`` and the same for
delegations, people, documents, commitments and sources, with the page's own filters.

Raw values, not the page's wording: ids, dates as far as they are known (``2004-12``) with their
precision, numbers as numbers, names in all three languages as columns. Rows come from the same
``cajd.read`` functions the pages and the API call.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from cajd.read import queries as q
from cajd.read import sources as read_sources
from cajd.read.views import Localized
from cajd.vocab import EventFormat
from cajd.web import pages

router = APIRouter(include_in_schema=False)
Rows = list[dict[str, Any]]


def flatten(view: BaseModel) -> dict[str, Any]:
    """One row of raw values: a name as three columns, a party or person as its id, lists left
    out (they have their own tables)."""
    row: dict[str, Any] = {}
    for name, value in view:
        if isinstance(value, Localized):
            row |= {f"{name}_en": value.en, f"{name}_ja": value.ja, f"{name}_ru": value.ru}
        elif isinstance(value, BaseModel):
            row[name] = getattr(value, "id", None)
        elif isinstance(value, list | dict):
            continue
        else:
            row[name] = value
    return row


def csv_response(name: str, rows: Rows, columns: Sequence[str] = ()) -> Response:
    out = io.StringIO()
    fields = list(columns) or (list(rows[0]) if rows else [])
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}.csv"'})


def _rows(views: Iterable[BaseModel]) -> Rows:
    return [flatten(v) for v in views]


@router.get("/{lang}/meetings.csv")
def meetings_csv(lang: pages.Lang, db: pages.Db, body: str | None = None,
                 year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
                 host: str | None = None, format: EventFormat | None = None) -> Response:
    filters = q.EventFilter(body=body or None, year_from=year, year_to=year,
                            host=host or None, format=format)
    pages.known(db, filters)
    return csv_response("meetings", _rows(q.events(db, filters, sort="-start", limit=None).items))


@router.get("/{lang}/delegations.csv")
def delegations_csv(lang: pages.Lang, db: pages.Db, body: str | None = None,
                    party: str | None = None) -> Response:
    pages.known(db, q.EventFilter(body=body or None, party=party or None))
    cells = q.rank_cells(db, body=body or None, party=party or None)
    rows = [{"meeting": c.event, "start": c.event_start, "body": c.body, "party": c.party,
             "rank": c.rank, "rank_level": c.rank_level, "head": c.head} for c in cells]
    return csv_response("delegations", rows, ["meeting", "start", "body", "party", "rank",
                                              "rank_level", "head"])


@router.get("/{lang}/people.csv")
def people_csv(lang: pages.Lang, db: pages.Db) -> Response:
    return csv_response("people", _rows(q.people(db).items))


@router.get("/{lang}/documents.csv")
def documents_csv(lang: pages.Lang, db: pages.Db,
                  q_: Annotated[str, Query(alias="q", max_length=200)] = "") -> Response:
    return csv_response("documents", _rows(q.find_documents(db, q_).items))


@router.get("/{lang}/commitments.csv")
def commitments_csv(lang: pages.Lang, db: pages.Db) -> Response:
    return csv_response("commitments", _rows(q.commitments(db).items))


@router.get("/{lang}/sources.csv")
def sources_csv(lang: pages.Lang, db: pages.Db, filters: pages.SourceQuery) -> Response:
    return csv_response("sources", _rows(read_sources.sources(db, filters).items))
