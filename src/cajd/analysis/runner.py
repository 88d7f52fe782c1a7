"""Each analysis by name: fetch its rows through ``cajd.read.analysis``, then call the pure
function. The CLI, the API, the pages and the report all go through ``run``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from cajd.analysis import rates
from cajd.analysis.agenda import agenda
from cajd.analysis.cadence import cadence
from cajd.analysis.commitments import commitments
from cajd.analysis.documents import documents
from cajd.analysis.participation import participation
from cajd.read import analysis as rows


@dataclass(frozen=True)
class Params:
    body: str = "caj-fmm"
    dialogue: str | None = None  # default: the body's own dialogue
    today: dt.date | None = None


def _dialogue(db: Session, p: Params) -> str:
    return p.dialogue or rows.body(db, p.body).dialogue


def _participation(db: Session, p: Params) -> BaseModel:
    body = rows.body(db, p.body)
    events = rows.events(db, body_id=body.id)
    return participation(body, events, rows.delegations(db, [e.id for e in events]),
                         rows.participations(db, p.dialogue or body.dialogue))


def _cadence(db: Session, p: Params) -> BaseModel:
    body = rows.body(db, p.body)
    dialogue = p.dialogue or body.dialogue
    return cadence(body, rows.events(db, body_id=body.id), rows.participations(db, dialogue),
                   rows.dialogue_partner(db, dialogue), p.today or dt.date.today())


def _documents(db: Session, p: Params) -> BaseModel:
    dialogue = _dialogue(db, p)
    return documents(p.body, rows.documents(db, dialogue), rows.events(db, dialogue_id=dialogue))


def _commitments(db: Session, p: Params) -> BaseModel:
    dialogue = _dialogue(db, p)
    return commitments(dialogue, rows.commitments(db, dialogue),
                       rows.events(db, dialogue_id=dialogue), rows.implementation(db, dialogue),
                       rows.tags(db, "commitment"), rates.bundled())


def _agenda(db: Session, p: Params) -> BaseModel:
    rows.body(db, p.body)  # an unknown body is a NotFound, not an empty agenda
    return agenda(p.body, rows.events(db, body_id=p.body), rows.areas(db),
                  rows.tags(db, "event", body_id=p.body))


ANALYSES: dict[str, Callable[[Session, Params], BaseModel]] = {
    "participation": _participation,
    "cadence": _cadence,
    "documents": _documents,
    "commitments": _commitments,
    "agenda": _agenda,
}


def run(db: Session, name: str, params: Params | None = None) -> BaseModel:
    if name not in ANALYSES:
        raise KeyError(f"no analysis named {name!r} (one of {', '.join(ANALYSES)})")
    return ANALYSES[name](db, params or Params())


def as_json(result: BaseModel) -> dict[str, Any]:
    return result.model_dump(mode="json", by_alias=True)
