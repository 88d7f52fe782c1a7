"""Examples for reminders (``cajd.web.reminders_api``): remind an open round's parties.

Until the rounds helper's service lands, a round is made with the ORM here, open, in the
``caj`` dialogue (members JP, KZ, KG, TJ, UZ; Turkmenistan an observer), with one item.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from sqlalchemy.orm import Session

from cajd.model import ReportingRound, RoundItem, RoundReport
from cajd.vocab import Origin, ReportState, RoundStatus
from tests.writes.registry import World, WriteExample, register

_numbers = itertools.count(1)


def open_round(world: World, deadline: dt.date = dt.date(2026, 3, 31),
               reports: dict[str, ReportState] | None = None,
               status: RoundStatus = RoundStatus.OPEN) -> str:
    """A new round of the ``caj`` dialogue; ``reports`` gives parties a first report (a draft
    or submitted)."""
    round_id = f"caj-round-test-{next(_numbers)}-{uuid.uuid4().hex[:6]}"
    with Session(world.engine) as db, db.begin():
        db.add(ReportingRound(
            id=round_id, dialogue_id="caj", title_en="Action Plan 2026 review",
            title_ja="2026年行動計画の点検", title_ru="Обзор плана действий 2026",
            deadline=deadline, status=status, opened_by="secretariat",
            opened_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC), origin=Origin.WORKSPACE))
        db.flush()
        db.add(RoundItem(id=f"{round_id}.item.1", round_id=round_id, position=1,
                         text_en="Water engineers trained.", origin=Origin.WORKSPACE))
        for party, state in (reports or {}).items():
            db.add(RoundReport(id=f"{round_id}.{party}.v1", round_id=round_id, party_id=party,
                               number=1, state=state, created_by=f"focal-{party.lower()}",
                               origin=Origin.WORKSPACE))
    return round_id


def a_round(world: World) -> dict[str, Any]:
    return {"id": open_round(world)}


register(WriteExample(route="remind_round", method="POST", prepare=a_round,
                      path=lambda ctx: f"/api/v1/rounds/{ctx['id']}/reminders",
                      body=lambda ctx: {}, allowed="secretariat", other_party="focal_kz",
                      versioned=False, form=False))
