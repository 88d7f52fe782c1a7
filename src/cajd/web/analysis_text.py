"""The text analysis for a reader: ``POST /api/v1/analysis/text`` (a JSON body with the text and
its language, answered with the same JSON as ``cajd analyze text --json``) and the
``/{lang}/analysis/text`` page (GET shows the form, POST answers it).

Neither writes anything: the text is counted and forgotten (no row, no audit entry, no cache
entry), so both are exempt from the write matrix (tests/writes/registry.py says why). The input
is bounded twice: the body is read at most ``MAX_BODY_BYTES`` (a larger one is 413 before it is
parsed, so a huge upload costs no memory), and the text at most ``MAX_TEXT_CHARS`` (422 naming
``text``), which keeps one request's matching well under a second.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cajd.analysis.text.actors import bundled
from cajd.analysis.text.documents import TextAnalysis, analyse_text
from cajd.analysis.text.matcher import Matcher
from cajd.web.envelope import ERROR_RESPONSES, Envelope, ErrorBody, Meta
from cajd.web.i18n import format_number, translations
from cajd.web.pages import Lang, page

MAX_TEXT_CHARS = 200_000
# Room for MAX_TEXT_CHARS of Japanese sent as \uXXXX escapes (6 bytes) or percent-encoded
# UTF-8 in a form (9 bytes), plus the other fields.
MAX_BODY_BYTES = 2 * 1024 * 1024

api_router = APIRouter(tags=["analysis"])
page_router = APIRouter(include_in_schema=False)


class TextRequest(BaseModel):
    """A text to count actor references in."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS,
                      description="the text itself (plain text), at most 200,000 characters")
    lang: Literal["en", "ja", "ru", "auto"] = Field(
        "auto", description="the text's language; auto guesses it from its script")
    name: str = Field("text", min_length=1, max_length=200,
                      description="what to call the text in the answer (its `path`)")


@cache
def matcher() -> Matcher:
    # Built once per process from the bundled actors: building it costs more than most texts.
    return Matcher(bundled())


def analyse(request: TextRequest) -> TextAnalysis:
    return TextAnalysis(documents=[analyse_text(request.text, request.name, request.lang,
                                                matcher())])


async def bounded_body(request: Request) -> bytes:
    """The request's body, refused with 413 as soon as it passes ``MAX_BODY_BYTES``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise HTTPException(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def validated(data: Any, where: str) -> TextRequest:
    """The request, or the validation errors located at ``where`` (body or form), as 422."""
    if not isinstance(data, dict):
        raise RequestValidationError([{"loc": (where,), "msg": "must be an object with a text",
                                       "type": "model_type"}])
    try:
        return TextRequest.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{"loc": (where, *e["loc"]), "msg": e["msg"], "type": e["type"]}
             for e in exc.errors(include_url=False, include_context=False,
                                 include_input=False)]) from None


_SCHEMA = TextRequest.model_json_schema()


@api_router.post(
    "/api/v1/analysis/text",
    operation_id="analyseText",
    summary="References to actors in a text: counts, per 1,000 words, keyword in context",
    openapi_extra={"requestBody": {"required": True,
                                   "content": {"application/json": {"schema": _SCHEMA}}}},
    responses={**ERROR_RESPONSES,
               400: {"model": ErrorBody, "description": "The body is not JSON"},
               413: {"model": ErrorBody, "description": "The body is larger than 2 MiB"},
               422: {"model": ErrorBody,
                     "description": "A field is missing or not valid (the text is empty or "
                                    "longer than 200,000 characters, an unknown lang)"}},
)
async def text_api(request: Request) -> Envelope[TextAnalysis]:
    """The same JSON as ``cajd analyze text --json`` for one text; nothing is stored."""
    raw = await bounded_body(request)
    try:
        data = json.loads(raw)
    except ValueError:  # not UTF-8 or not JSON
        raise HTTPException(400, "the body is not JSON") from None
    result = await run_in_threadpool(analyse, validated(data, "body"))
    return Envelope(data=result, meta=Meta(html="/en/analysis/text"))


def _form_page(request: Request, lang: str, status: int = 200, **context: Any) -> Response:
    context.setdefault("values", {"text": "", "lang": "auto"})
    response = page(request, lang, "analysis_text.html", None, max_chars=MAX_TEXT_CHARS,
                    **context)
    response.status_code = status
    # Per visitor (the answer holds their text): kept by no cache, proxy or history.
    response.headers["cache-control"] = "no-store"
    return response


def _message(lang: str, kind: str) -> str:
    """A form error in the page's language (pydantic's own messages are English only)."""
    _ = translations(lang).gettext
    if kind == "string_too_long":
        return _("The text is longer than %(n)s characters: split it.") % {
            "n": format_number(MAX_TEXT_CHARS, lang)}
    if kind in ("string_too_short", "missing"):
        return _("Paste a text to analyse.")
    if kind == "literal_error":
        return _("Choose one of the languages offered.")
    return _("This value is not valid.")


@page_router.get("/{lang}/analysis/text", response_class=HTMLResponse)
def text_form(request: Request, lang: Lang) -> Response:
    return _form_page(request, lang)


@page_router.post("/{lang}/analysis/text", response_class=HTMLResponse)
async def text_answer(request: Request, lang: Lang) -> Response:
    raw = await bounded_body(request)
    try:
        fields = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"),
                                               keep_blank_values=True).items()}
    except UnicodeDecodeError:
        raise HTTPException(400, "the form is not UTF-8 text") from None
    values = {"text": fields.get("text", ""), "lang": fields.get("lang", "auto")}
    try:
        wanted = validated({k: v for k, v in fields.items() if k in ("text", "lang")}, "form")
    except RequestValidationError as exc:
        errors = {str(e["loc"][1]): [_message(lang, e["type"])] for e in exc.errors()}
        return _form_page(request, lang, 422, values=values, errors=errors)
    result = await run_in_threadpool(analyse, wanted)
    return _form_page(request, lang, values=values, result=result.documents[0])
