"""The store's limits, derived from the model in one place and applied to the rows ``check``
builds, so that whatever passes ``check`` loads, identically, on SQLite and PostgreSQL.

SQLite would store a too-long string, a NUL or an out-of-range integer that PostgreSQL refuses
(or PostgreSQL would fail with a DataError and no place): every ``String(length)``, every integer
column's range and every string's text (no NUL, no lone surrogate) is checked here, and each
problem is named by the file, line and field the value came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from cajd.dataset.build import Builder, Loc
from cajd.dataset.reader import Loaded
from cajd.dataset.yamlfile import LineDict, LineList
from cajd.model import Base

INTEGER_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}
# Columns whose record field has another name than the column's own rule gives.
FIELD_OF = {"locator": "at", "head_title": "title", "title_is_official": "title_official"}
_LOCALIZED = re.compile(r"^(.+)_(en|ja|ru)$")


@dataclass(frozen=True)
class Limit:
    column: str
    length: int | None = None  # characters, for a string
    range: tuple[int, int] | None = None  # for an integer
    text: bool = False  # strings (also inside JSON): no NUL, no lone surrogate


def _limit(column: sa.Column[Any]) -> Limit | None:
    kind = column.type
    if isinstance(kind, sa.Enum):
        return None  # the record's vocabulary already holds it to its values
    if isinstance(kind, sa.String):
        return Limit(column.name, length=kind.length, text=True)
    if isinstance(kind, sa.Integer) and not isinstance(kind, sa.Boolean):
        if isinstance(kind, sa.BigInteger):
            return Limit(column.name, range=INTEGER_RANGES["bigint"])
        if isinstance(kind, sa.SmallInteger):
            return Limit(column.name, range=INTEGER_RANGES["smallint"])
        return Limit(column.name, range=INTEGER_RANGES["integer"])
    if isinstance(kind, sa.JSON):
        return Limit(column.name, text=True)
    return None


@cache
def table_limits() -> dict[str, tuple[Limit, ...]]:
    """Per table, the limits of its columns, read from ``Base.metadata``."""
    return {
        table.name: tuple(limit for c in table.columns if (limit := _limit(c)) is not None)
        for table in Base.metadata.sorted_tables
    }


def _bad_text(value: str) -> str | None:
    if "\x00" in value:
        return "holds a NUL character (\\0), which the store cannot hold"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "holds a lone surrogate (half of a UTF-16 pair), which is not text"
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


def problem_of(limit: Limit, value: Any) -> str | None:
    """What is wrong with ``value`` for the column, or None."""
    if value is None:
        return None
    if limit.range is not None and isinstance(value, int):
        low, high = limit.range
        if not low <= value <= high:
            return f"{value} does not fit in the store (from {low:,} to {high:,})"
        return None
    if limit.text:
        for text in _strings(value):
            if bad := _bad_text(text):
                return bad
    if limit.length is not None and isinstance(value, str) and len(value) > limit.length:
        return f"is {len(value):,} characters long; the store holds at most {limit.length:,}"
    return None


def _field_loc(data: Any, loc: Loc, column: str) -> Loc:
    """The location, inside the record, of the field a column's value came from."""
    names: list[tuple[str, ...]] = [(FIELD_OF.get(column, column),)]
    if column.endswith("_id"):
        names.append((column[:-3],))
    if match := _LOCALIZED.match(column):
        names.append((match[1], match[2]))
    for suffix in ("_date", "_precision"):
        if column.endswith(suffix):
            names.append((column[: -len(suffix)],))
    # A row built from an entry deep in a record (a gap's number) may take a field of the entry
    # around it (the gap's note): look from the entry outwards.
    for depth in range(len(loc), -1, -1):
        for name in names:
            if _holds(data, (*loc[:depth], *name)):
                return (*loc[:depth], *name)
    return (*loc, column)


def _holds(data: Any, loc: Loc) -> bool:
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:  # noqa: SIM114 - narrows the type
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return True


def check_limits(builder: Builder) -> None:
    """Add a problem, with its place, for every value the store could not hold."""
    limits = table_limits()
    for table, rows in builder.rows.items():
        checks = limits.get(table, ())
        for row_id, row in rows.items():
            for limit in checks:
                message = problem_of(limit, row.get(limit.column))
                if message is None:
                    continue
                where: Loaded
                where, loc = builder.origins[(table, row_id)]
                builder.problem(where, _field_loc(where.data, loc, limit.column), message)
