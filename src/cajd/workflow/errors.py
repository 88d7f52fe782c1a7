"""What a refused write raises; the API maps each to one status (403, 404, 409, 422)."""

from __future__ import annotations

from typing import Any


class WorkflowError(Exception):
    status = 400


class Forbidden(WorkflowError):
    status = 403


class NotFound(WorkflowError):
    status = 404


class Conflict(WorkflowError):
    """The write was based on a version that is gone; ``current`` is the row as it is now."""

    status = 409

    def __init__(self, message: str, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current


class Invalid(WorkflowError):
    """The values break the dataset's own rules; ``problems`` says each, as the loader does."""

    status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
