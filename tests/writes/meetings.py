"""Examples for running a meeting (``cajd.web.meetings_api`` and ``cajd.web.meetings_forms``):
convene, status, delegations, guests and the agenda. Each ``prepare`` convenes a fresh planned
meeting through ``cajd.workflow`` (the World is shared by a module), so every call starts from
the state it needs."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

from cajd.workflow import delegations, meetings
from tests.writes.registry import World, WriteExample, register

BODY = "caj-fmm"
_guests = itertools.count(1)


def today() -> str:
    return dt.date.today().isoformat()


def convened(world: World) -> dict[str, Any]:
    with Session(world.engine) as db, db.begin():
        event = meetings.convene(db, world.actor("secretariat"), BODY, start=today(),
                                 city="Astana", country="KZ", host="KZ")
    return {"event": event["id"], "version": event["version"]}


def registered(world: World) -> dict[str, Any]:
    ctx = convened(world)
    with Session(world.engine) as db, db.begin():
        row = delegations.register(db, world.actor("focal_kz"), ctx["event"], "KZ",
                                   head_name="Head", rank="minister")
    return {"event": ctx["event"], "id": row["id"], "version": row["version"]}


def with_items(world: World) -> dict[str, Any]:
    ctx = convened(world)
    ids = []
    with Session(world.engine) as db, db.begin():
        for title in ("First", "Second"):
            item = meetings.add_item(db, world.actor("secretariat"), ctx["event"], {"en": title})
            ids.append(item["id"])
    return {"event": ctx["event"], "items": ids, "id": ids[0], "version": 1}


def guest(world: World) -> dict[str, Any]:
    return convened(world) | {"party": f"GUEST{next(_guests)}"}


def registration(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"party": "KZ", "head_name": "Mukhtar Tileuberdi", "title": "Minister of Foreign "
            "Affairs", "rank": "minister", "note": "Registered by Kazakhstan's focal point.",
            "members": [{"name": "A member", "title": "Ambassador", "rank": "ambassador"}]}


def convening(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"start": today(), "city": "Tashkent", "country": "UZ", "host": "UZ",
            "venue": "Palace of International Forums", "description": "Convened via the API.",
            "name_en": "A Foreign Ministers' Meeting", "format": "in_person"}


# --- the JSON API ------------------------------------------------------------------------------

register(WriteExample(
    route="convene_meeting", method="POST", prepare=lambda world: {"body": BODY},
    path=lambda ctx: f"/api/v1/bodies/{ctx['body']}/events", body=convening,
    allowed="secretariat", other_party="focal_kz", versioned=False, form=False,
    text_fields=("name_en", "name_ja", "name_ru", "city", "venue", "description"),
))
register(WriteExample(
    route="set_event_status", method="POST", prepare=convened,
    path=lambda ctx: f"/api/v1/events/{ctx['event']}/status",
    body=lambda ctx: {"version": ctx["version"], "status": "cancelled",
                      "cancellation_reason": "The hosts asked for another date."},
    allowed="secretariat", other_party="focal_kz", versioned=True, form=False,
    text_fields=("cancellation_reason",),
))
register(WriteExample(
    route="register_delegation", method="POST", prepare=convened,
    path=lambda ctx: f"/api/v1/events/{ctx['event']}/delegations", body=registration,
    allowed="focal_kz", other_party="focal_uz", versioned=False, form=False,
    text_fields=("head_name", "title", "note"),
))
register(WriteExample(
    route="confirm_delegation", method="POST", prepare=registered,
    path=lambda ctx: f"/api/v1/delegations/{ctx['id']}/confirm?version={ctx['version']}",
    body=lambda ctx: {}, allowed="secretariat", other_party="focal_kz", versioned=True,
    form=False,
))
register(WriteExample(
    route="invite_guest", method="POST", prepare=guest,
    path=lambda ctx: f"/api/v1/events/{ctx['event']}/guests",
    body=lambda ctx: {"party": ctx["party"], "kind": "state", "name_en": "A guest state"},
    allowed="secretariat", other_party="focal_kz", versioned=False, form=False,
    text_fields=("name_en", "name_ja", "name_ru"),
))
register(WriteExample(
    route="add_agenda_item", method="POST", prepare=convened,
    path=lambda ctx: f"/api/v1/events/{ctx['event']}/agenda",
    body=lambda ctx: {"title_en": "Connectivity", "areas": ["transport-logistics"]},
    allowed="secretariat", other_party="focal_kz", versioned=False, form=False,
    text_fields=("title_en", "title_ja", "title_ru"),
))
register(WriteExample(
    route="reorder_agenda", method="POST", prepare=with_items,
    path=lambda ctx: f"/api/v1/events/{ctx['event']}/agenda/order",
    body=lambda ctx: {"order": list(reversed(ctx["items"]))},
    allowed="secretariat", other_party="focal_kz", versioned=False, form=False,
))
register(WriteExample(
    route="withdraw_agenda_item", method="POST", prepare=with_items,
    path=lambda ctx: f"/api/v1/agenda-items/{ctx['id']}/withdraw?version={ctx['version']}",
    body=lambda ctx: {}, allowed="secretariat", other_party="focal_kz", versioned=True,
    form=False,
))


# --- the HTML forms (CSRF-checked; the matrix adds the csrf field) -----------------------------


def _form(route: str, prepare: Any, path: Any, body: Any, allowed: str = "secretariat",
          other: str = "focal_kz", versioned: bool = False,
          text_fields: tuple[str, ...] = ()) -> None:
    register(WriteExample(route=route, method="POST", prepare=prepare, path=path, body=body,
                          allowed=allowed, other_party=other, versioned=versioned, form=True,
                          text_fields=text_fields))


_form("convene_meeting_form", lambda world: {"body": BODY},
      lambda ctx: f"/en/workspace/bodies/{ctx['body']}/convene",
      lambda ctx: convening(ctx) | {"number": ""},
      text_fields=("name_en", "name_ja", "name_ru", "city", "venue", "description"))
_form("set_event_status_form", convened,
      lambda ctx: f"/ja/workspace/meetings/{ctx['event']}/status",
      lambda ctx: {"version": ctx["version"], "status": "cancelled",
                   "reason": "The hosts asked for another date."},
      versioned=True, text_fields=("reason",))
_form("register_delegation_form", convened,
      lambda ctx: f"/ru/workspace/meetings/{ctx['event']}/delegations",
      lambda ctx: {"party": "KZ", "head_name": "Head", "title": "Minister", "rank": "minister",
                   "note": "", "member_1_name": "A member", "member_1_rank": "ambassador"},
      allowed="focal_kz", other="focal_uz",
      text_fields=("head_name", "title", "note", "member_1_name", "member_1_title"))
_form("confirm_delegation_form", registered,
      lambda ctx: f"/en/workspace/delegations/{ctx['id']}/confirm",
      lambda ctx: {"version": ctx["version"]}, versioned=True)
_form("invite_guest_form", guest, lambda ctx: f"/en/workspace/meetings/{ctx['event']}/guests",
      lambda ctx: {"party": ctx["party"], "kind": "organisation", "name_en": "A guest body"},
      text_fields=("name_en", "name_ja", "name_ru"))
_form("add_agenda_item_form", convened, lambda ctx: f"/en/workspace/meetings/{ctx['event']}/agenda",
      lambda ctx: {"title_en": "Water", "title_ja": "水", "area:water": "1"},
      text_fields=("title_en", "title_ja", "title_ru"))
_form("reorder_agenda_form", with_items,
      lambda ctx: f"/en/workspace/meetings/{ctx['event']}/agenda/order",
      lambda ctx: {"items": ",".join(ctx["items"]), f"pos:{ctx['items'][0]}": "2",
                   f"pos:{ctx['items'][1]}": "1"})
_form("withdraw_agenda_item_form", with_items,
      lambda ctx: f"/en/workspace/agenda-items/{ctx['id']}/withdraw",
      lambda ctx: {"version": ctx["version"]}, versioned=True)
