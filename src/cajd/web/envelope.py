"""The API's one response shape: ``{"ok": true, "data": …, "meta": …}`` on success and
``{"ok": false, "error": …, "errors": […], "status": …}`` on every error, HTML pages aside."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Meta(BaseModel):
    total: int | None = None
    limit: int | None = None
    offset: int | None = None
    next: str | None = None
    html: str | None = None


class Envelope(BaseModel, Generic[T]):
    ok: bool = True
    data: T
    meta: Meta = Meta()


class ErrorDetail(BaseModel):
    loc: list[str | int] = []
    msg: str


class ErrorBody(BaseModel):
    ok: bool = False
    error: str
    errors: list[ErrorDetail] = []
    status: int


def error_body(
    status: int, error: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    details = [
        ErrorDetail(loc=[str(x) if not isinstance(x, int) else x for x in e.get("loc", [])],
                    msg=str(e.get("msg", ""))).model_dump()
        for e in errors or []
    ]
    return ErrorBody(error=error, errors=details, status=status).model_dump()


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "The API token sent is unknown or revoked"},
    404: {"model": ErrorBody, "description": "No record with that id"},
    422: {"model": ErrorBody, "description": "A parameter is not valid"},
}
