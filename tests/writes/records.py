"""Examples for the record edits of ``cajd.web.write_api``: change, soft-delete and restore an
event (the secretariat's) and a delegation (its party's focal point's, or the secretariat's)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd import workflow
from cajd.model import Delegation, Event
from tests.writes.registry import World, WriteExample, register

EVENT = "caj-fmm-4"
DELEGATION = "caj-fmm-4.KZ"


def _version(world: World, model: type[Event] | type[Delegation], record_id: str) -> int:
    with Session(world.engine) as db:
        row = db.get(model, record_id)
        assert row is not None and row.deleted_at is None, record_id
        return row.version


def _live(world: World, model: type[Event] | type[Delegation], **where: str) -> tuple[str, int]:
    """A row that is not deleted (the last by id, so that deletions walk back from the end)."""
    with Session(world.engine) as db:
        query = sa.select(model.id, model.version).where(model.deleted_at.is_(None))
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        found = db.execute(query.order_by(model.id.desc()).limit(1)).one()
        return found[0], found[1]


def _deleted(world: World, kind: str, record_id: str) -> dict[str, Any]:
    with Session(world.engine) as db, db.begin():
        model = Event if kind == "event" else Delegation
        row = db.get(model, record_id)
        assert row is not None
        after = workflow.soft_delete(db, world.actor("secretariat"), kind, record_id, row.version)
    return {"id": record_id, "version": after["version"]}


def _event(world: World) -> dict[str, Any]:
    return {"id": EVENT, "version": _version(world, Event, EVENT)}


def _delegation(world: World) -> dict[str, Any]:
    return {"id": DELEGATION, "version": _version(world, Delegation, DELEGATION)}


def _live_event(world: World) -> dict[str, Any]:
    record_id, version = _live(world, Event)
    return {"id": record_id, "version": version}


def _live_kz_delegation(world: World) -> dict[str, Any]:
    record_id, version = _live(world, Delegation, party_id="KZ")
    return {"id": record_id, "version": version}


def _deleted_event(world: World) -> dict[str, Any]:
    return _deleted(world, "event", _live(world, Event)[0])


def _deleted_kz_delegation(world: World) -> dict[str, Any]:
    return _deleted(world, "delegation", _live(world, Delegation, party_id="KZ")[0])


def _no_body(_ctx: dict[str, Any]) -> dict[str, Any]:
    return {}  # the version travels in the query


register(WriteExample(
    route="update_event", method="PATCH", prepare=_event,
    path=lambda ctx: f"/api/v1/events/{ctx['id']}",
    body=lambda ctx: {"version": ctx["version"], "venue": "Hotel Okura, Tokyo",
                      "city": "Tokyo", "description": "Changed through the API."},
    allowed="secretariat", other_party="focal_kz", versioned=True, form=False,
    text_fields=("venue", "city", "description"),
))
register(WriteExample(
    route="delete_event", method="DELETE", prepare=_live_event,
    path=lambda ctx: f"/api/v1/events/{ctx['id']}?version={ctx['version']}", body=_no_body,
    allowed="secretariat", other_party="focal_jp", versioned=True, form=False,
))
register(WriteExample(
    route="restore_event", method="POST", prepare=_deleted_event,
    path=lambda ctx: f"/api/v1/events/{ctx['id']}/restore?version={ctx['version']}",
    body=_no_body, allowed="secretariat", other_party="focal_jp", versioned=True, form=False,
))
register(WriteExample(
    route="update_delegation", method="PATCH", prepare=_delegation,
    path=lambda ctx: f"/api/v1/delegations/{ctx['id']}",
    body=lambda ctx: {"version": ctx["version"], "head_title": "Minister of Foreign Affairs",
                      "rank": "minister", "note": "Changed by Kazakhstan's focal point."},
    allowed="focal_kz", other_party="focal_uz", versioned=True, form=False,
    text_fields=("head_title", "note"),
))
register(WriteExample(
    route="delete_delegation", method="DELETE", prepare=_live_kz_delegation,
    path=lambda ctx: f"/api/v1/delegations/{ctx['id']}?version={ctx['version']}",
    body=_no_body, allowed="focal_kz", other_party="focal_uz", versioned=True, form=False,
))
# Restoring is the secretariat's alone: even the delegation's own focal point is refused.
register(WriteExample(
    route="restore_delegation", method="POST", prepare=_deleted_kz_delegation,
    path=lambda ctx: f"/api/v1/delegations/{ctx['id']}/restore?version={ctx['version']}",
    body=_no_body, allowed="secretariat", other_party="focal_kz", versioned=True,
    form=False,
))
