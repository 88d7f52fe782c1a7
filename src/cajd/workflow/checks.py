"""What the meeting services share: validation through the dataset's own records (so a form or an
API call gets the loader's very messages), references checked against the store with the
builder's wording, and the citation every workspace entry gets.

A record the app creates is a fact like any other, and the loader refuses an unsourced fact. Its
source is the workspace itself: one ``Source`` row (``cajd-workspace``) that every entry cites,
with ``at`` naming the action, the actor and the day; the audit log holds the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import ConfigDict, ValidationError, create_model
from sqlalchemy.orm import Session

from cajd.dataset import records as r
from cajd.dataset.build import FOLDER, digest_id
from cajd.dataset.problems import from_validation_error
from cajd.model import Base, Citation, Source
from cajd.vocab import Origin, SourceKind
from cajd.workflow.errors import Invalid
from cajd.workflow.rules import Actor

R = TypeVar("R", bound=r.Record)

WORKSPACE_SOURCE = "cajd-workspace"


def record(cls: type[R], subject: str, data: dict[str, Any]) -> R:
    """``data`` as the dataset record ``cls``, or ``Invalid`` with the loader's messages."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        problems = from_validation_error(subject, data, exc)
        raise Invalid([f"{p.file}: {p.field}: {p.message}" if p.field else
                       f"{p.file}: {p.message}" for p in problems]) from None


def fields(cls: type[r.Record], subject: str, values: dict[str, Any]) -> dict[str, Any]:
    """Some fields of the record ``cls``, each validated as the loader does (a partial record:
    an edit names the fields it changes)."""
    known = cls.model_fields
    change = create_model(  # type: ignore[call-overload]
        f"{cls.__name__}Change",
        __config__=ConfigDict(extra="forbid", str_strip_whitespace=True),
        **{name: (known[name].annotation, known[name]) for name in values if name in known},
    )
    try:
        checked = change.model_validate(values)
    except ValidationError as exc:
        problems = from_validation_error(subject, values, exc)
        raise Invalid([f"{p.file}: {p.field}: {p.message}" for p in problems]) from None
    return {name: getattr(checked, name) for name in values}


def unstorable_text(value: Any) -> str | None:
    """Why a string cannot be stored verbatim on both databases, or None: PostgreSQL's text holds
    no NUL character, and neither database stores a lone surrogate (not UTF-8)."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate)"
    return None


def lengths(model: type[Base], subject: str, values: dict[str, Any], prefix: str = "") -> None:
    """What the database could not store as given: text it cannot hold, and (the YAML format
    leaves lengths to the database) values too long, checked first so that either is a clear
    422 naming its field, never the database's error (a 500 on PostgreSQL)."""
    unstorable = [f"{subject}: {prefix}{column}: {why}" for column, value in values.items()
                  if (why := unstorable_text(value))]
    if unstorable:
        raise Invalid(unstorable)
    columns = model.__table__.columns
    too_long = [
        f"{subject}: {prefix}{column}: at most {length} characters"
        for column, value in values.items()
        if isinstance(value, str)
        and (length := getattr(columns[column].type, "length", None))
        and len(value) > length
    ]
    if too_long:
        raise Invalid(too_long)


def exists(session: Session, model: type[Base], kind: str, value: str | None, subject: str,
           field: str) -> str | None:
    """A reference to a live row, refused with the builder's message when it names nothing."""
    if value is None:
        return None
    row = session.get(model, value)
    if row is None or row.deleted_at is not None:  # type: ignore[attr-defined]
        raise Invalid([f"{subject}: {field}: no {kind} {value!r} (looked in {FOLDER[kind]}/)"])
    return value


def workspace_source(session: Session) -> str:
    if session.get(Source, WORKSPACE_SOURCE) is None:
        session.add(
            Source(
                id=WORKSPACE_SOURCE,
                kind=SourceKind.DATASET,
                title="cajd workspace: entries made by the Dialogue's secretariat and focal points",
                publisher="Central Asia plus Japan Dialogue (cajd)",
                note="Each citation names the action, its author and its day; the audit log "
                "keeps every change with its before and after.",
                origin=Origin.WORKSPACE,
            )
        )
        session.flush()
    return WORKSPACE_SOURCE


def at(actor: Actor, action: str) -> str:
    return f"{action} by {actor.name} on {dt.datetime.now(dt.UTC).date().isoformat()}"


def source_refs(actor: Actor, action: str) -> list[dict[str, str]]:
    """The ``sources`` a created record carries: the workspace, at this action (validated with
    the record; ``cite`` writes them once the record passed)."""
    return [{"source": WORKSPACE_SOURCE, "at": at(actor, action)}]


def cite(session: Session, kind: str, subject_id: str, refs: list[dict[str, str]]) -> None:
    """Citations with the ids the builder derives, so a dump reloads them unchanged."""
    for ref in refs:
        source, locator = ref["source"], ref.get("at")
        if source == WORKSPACE_SOURCE:
            workspace_source(session)
        citation_id = digest_id("c-", kind, subject_id, None, source, locator)
        if session.get(Citation, citation_id) is None:
            session.add(
                Citation(id=citation_id, subject_kind=kind, subject_id=subject_id,
                         source_id=source, locator=locator, origin=Origin.WORKSPACE)
            )
