"""What every read query shares: the tables as SQLAlchemy Core, one sort order on both databases,
pages with a true total, and the small row-to-view helpers.

Reads select columns with Core and run them on the session's connection: no ORM objects are built
on the read side (building them cost most of a request's CPU). Statements that do not depend on a
request's filters are built once, at import, with bound parameters, so SQLAlchemy's compiled cache
serves them without rebuilding the statement each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from cajd import model
from cajd.fuzzydate import FuzzyDate
from cajd.read import views as v

T = TypeVar("T")

AREA, AREA_TAG, BODY = model.Area.__table__, model.AreaTag.__table__, model.Body.__table__
CITATION, COMMITMENT = model.Citation.__table__, model.Commitment.__table__
CONFLICT, CLAIM = model.Conflict.__table__, model.ConflictClaim.__table__
DELEGATION, DIALOGUE = model.Delegation.__table__, model.Dialogue.__table__
DOCUMENT, EVENT = model.Document.__table__, model.Event.__table__
IMPLEMENTATION = model.ImplementationRecord.__table__
PARTICIPATION, PARTY = model.Participation.__table__, model.Party.__table__
PERSON, POSITION = model.Person.__table__, model.Position.__table__
SOURCE, STATED = model.Source.__table__, model.StatedCount.__table__

MAX_LIMIT = 500  # the largest page any list serves


class NotFound(LookupError):
    """No record of that kind has that id."""

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"no {kind} with id {record_id!r}")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and the true size of the whole list."""

    items: list[T]
    total: int
    limit: int | None
    offset: int


# --- one order on both databases -----------------------------------------------------------------


class bytewise(sa.sql.functions.FunctionElement[str]):
    """A text column compared byte by byte. SQLite does that already; PostgreSQL's default
    collation ignores punctuation and case at first, so the same list came back in another order
    (ids with hyphens, names, locators). ``COLLATE "C"`` makes the two agree."""

    name = "bytewise"
    inherit_cache = True


@compiles(bytewise)
def _bytewise(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'


def asc(column: sa.ColumnElement[Any]) -> sa.UnaryExpression[Any]:
    """Ascending, text byte by byte, NULLs first (SQLite's default; PostgreSQL puts them last)."""
    key = bytewise(column) if isinstance(column.type, sa.String) else column
    return key.asc().nulls_first()


def desc(column: sa.ColumnElement[Any]) -> sa.UnaryExpression[Any]:
    """Descending, text byte by byte, NULLs last (as SQLite does)."""
    key = bytewise(column) if isinstance(column.type, sa.String) else column
    return key.desc().nulls_last()


# --- running statements ---------------------------------------------------------------------------


def reading_engine(engine: Engine) -> Engine:
    """The engine the read side's sessions use: on PostgreSQL the same pool in autocommit, so a
    request that only reads sends its statements alone, without a BEGIN before them and a
    ROLLBACK after (two round trips of a list's four). Nothing is lost: at PostgreSQL's READ
    COMMITTED each statement takes its own snapshot inside a transaction as well. SQLite's
    driver opens no transaction for a read, so its engine is returned as it is."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def rows(session: Session, statement: sa.Executable, **params: Any) -> Sequence[sa.Row[Any]]:
    """The rows of a Core statement, on the session's connection (no ORM layer in between)."""
    return session.connection().execute(statement, params).all()


def scalar(session: Session, statement: sa.Executable, **params: Any) -> Any:
    return session.connection().execute(statement, params).scalar()


def page(session: Session, query: sa.Select[Any], limit: int | None, offset: int,
         key: sa.ColumnElement[Any] | None = None) -> tuple[Sequence[sa.Row[Any]], int]:
    """A page of ``query``'s rows and the count of all its rows, in one statement: each row
    carries the total as a window count (a second statement only for a page past the end).

    With ``key`` (a unique column of the rows), the page is chosen in a subquery of keys alone
    and only its rows are then built, in the same statement: a window count makes the database
    compute every selected column of every matching row before the limit, which for a column
    that is itself a subquery (a meeting's delegations) is the whole cost at 100x the record."""
    if limit is None and not offset:
        found = rows(session, query)
        return found, len(found)
    if key is None:
        counted = (query.add_columns(sa.func.count().over().label("total_rows"))
                   .limit(limit).offset(offset))
    else:
        keys = (query.with_only_columns(key.label("page_key"),
                                        sa.func.count().over().label("total_rows"))
                .limit(limit).offset(offset).subquery("page_keys"))
        counted = query.add_columns(keys.c.total_rows).join(keys, keys.c.page_key == key)
    found = rows(session, counted)
    if found:
        return found, int(found[0].total_rows)
    if not offset:
        return found, 0
    total = scalar(session, sa.select(sa.func.count()).select_from(
        query.order_by(None).subquery()))
    return found, int(total or 0)


def ids_param(name: str) -> sa.BindParameter[Any]:
    return sa.bindparam(name, expanding=True)


# --- rows to views --------------------------------------------------------------------------------


def fuzzy(date: dt.date | None, precision: str | None) -> str | None:
    """``str(FuzzyDate.from_columns(...))`` without building one (a list calls it per row)."""
    if date is None:
        return None
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if precision in (None, "day"):
        return date.isoformat()
    return str(FuzzyDate.from_columns(date, precision))  # an unknown precision: its error


def localized(en: str, ja: str | None, ru: str | None) -> v.Localized:
    return v.Localized(en=en, ja=ja, ru=ru)

