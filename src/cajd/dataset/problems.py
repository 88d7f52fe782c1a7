"""A problem found in the dataset, with its place: ``file:line: field: message``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from cajd.dataset.yamlfile import locate


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class DatasetInvalid(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dataset")


def field_path(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


_QUOTED = re.compile(r"'([^']*)'")


def _message(error: ErrorDetails) -> str:
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "enum":
        allowed = _QUOTED.findall(str(ctx.get("expected", "")))
        return f"{given!r} is not one of {', '.join(allowed)}"
    if kind == "missing" and error["loc"] and error["loc"][-1] == "sources":
        return "a fact needs at least one source"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of this record"
    if kind == "too_short" and error["loc"] and error["loc"][-1] == "sources":
        return "a fact needs at least one source"
    if kind == "too_short" and error["loc"] and error["loc"][-1] == "claims":
        return "a conflict needs at least two claims"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def _field_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # pydantic adds validator tags such as 'function-before[parse(), ...]' to the location.
    return tuple(p for p in loc if isinstance(p, int) or not ("[" in p or "(" in p))


def from_validation_error(file: str, data: Any, exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = _field_loc(error["loc"])
        problems.append(Problem(file, locate(data, loc), field_path(loc), _message(error)))
    return problems
