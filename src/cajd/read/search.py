"""Full-text search over documents: one interface, each engine's own index.

SQLite uses the FTS5 table ``document_search`` (trigram tokenizer, so Japanese and Russian match
inside words too); PostgreSQL matches ``to_tsvector('simple', …)`` behind a GIN index, falling back
to a substring match for terms its word splitter cannot see (Japanese has no spaces). Both are
created by migration 0003 and kept in step with the ``document`` table by the database itself.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.model import Document

SQLITE_TABLE = "document_search"
SEARCHED_COLUMNS = ("title_en", "title_ja", "title_ru", "description", "text")
# The exact expression of the GIN index in migration 0003: PostgreSQL uses the index only for a
# query that repeats it, and concat_ws is not immutable, so plain concatenation it is.
POSTGRES_VECTOR = "to_tsvector('simple'::regconfig, " + " || ' ' || ".join(
    f"coalesce(document.{c}, '')" for c in SEARCHED_COLUMNS
) + ")"


def not_search_index(obj: object, name: str | None, type_: str, reflected: bool,
                     compare_to: object) -> bool:
    """For Alembic's model comparison: the search index is the migrations' own, not a model's."""
    if type_ == "table" and name and name.startswith(SQLITE_TABLE):
        return False
    return not (type_ == "index" and name == "ix_document_search")


def _terms(query: str) -> list[str]:
    return [t.replace('"', "") for t in query.split() if t.replace('"', "")]


def search_documents(session: Session, query: str) -> list[str]:
    """Ids of the documents that contain every term of ``query``, best match first."""
    terms = _terms(query)
    if not terms:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite(session, terms)
    return _postgresql(session, terms)


def _substring(terms: list[str]) -> sa.Select[str]:
    # ``||`` of coalesced columns, not concat_ws: SQLite has concat_ws only since 3.44
    joined: sa.ColumnElement[str] = sa.func.coalesce(getattr(Document, SEARCHED_COLUMNS[0]), "")
    for column in SEARCHED_COLUMNS[1:]:
        joined = joined + " " + sa.func.coalesce(getattr(Document, column), "")
    haystack = sa.func.lower(joined)
    return sa.select(Document.id).where(
        *(haystack.contains(t.lower(), autoescape=True) for t in terms)
    ).order_by(Document.date, Document.id)


def _sqlite(session: Session, terms: list[str]) -> list[str]:
    if any(len(t) < 3 for t in terms):  # a trigram index cannot look up one or two characters
        return list(session.scalars(_substring(terms)))
    match = " ".join(f'"{t}"' for t in terms)
    rows = session.execute(
        sa.text(f"SELECT id FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH :match ORDER BY rank"),
        {"match": match},
    )
    return [row[0] for row in rows]


def _postgresql(session: Session, terms: list[str]) -> list[str]:
    vector: sa.ColumnElement[Any] = sa.literal_column(POSTGRES_VECTOR)
    tsquery = sa.func.plainto_tsquery(sa.literal_column("'simple'::regconfig"), " ".join(terms))
    ranked = list(
        session.scalars(
            sa.select(Document.id).where(vector.op("@@")(tsquery))
            .order_by(sa.func.ts_rank(vector, tsquery).desc(), Document.id)
        )
    )
    seen = set(ranked)
    return ranked + [d for d in session.scalars(_substring(terms)) if d not in seen]
