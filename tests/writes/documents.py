"""Examples for outcome documents (``cajd.web.documents_api`` and ``cajd.web.documents_forms``):
draft, revise, circulate, endorse, comment, object, adopt, withdraw. Each ``prepare`` convenes a
fresh meeting and takes its document as far as the act needs, through ``cajd.workflow``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cajd.vocab import UserRole
from cajd.workflow import Actor
from cajd.workflow import documents as docs
from tests.writes.meetings import convened
from tests.writes.registry import World, WriteExample, register

MEMBERS = ("JP", "KG", "KZ", "TJ", "UZ")  # the member parties of caj (data/dialogues/caj.yaml)


def focal(party: str) -> Actor:
    """A member's focal point as an actor (the World has accounts for JP, KZ and UZ only; the
    service needs no account, and the audit entry names this one)."""
    return Actor(f"focal-{party.lower()}", UserRole.FOCAL_POINT, party)


def drafted(world: World) -> dict[str, Any]:
    ctx = convened(world)
    with Session(world.engine) as db, db.begin():
        doc = docs.draft(db, world.actor("secretariat"), ctx["event"], "joint_statement",
                         {"en": "Joint Statement"}, "First paragraph.\nSecond paragraph.")
    return {"event": ctx["event"], "id": doc["id"], "version": doc["version"]}


def circulated(world: World) -> dict[str, Any]:
    ctx = drafted(world)
    with Session(world.engine) as db, db.begin():
        doc = docs.circulate(db, world.actor("secretariat"), ctx["id"], ctx["version"])
    return ctx | {"version": doc["version"]}


def endorsed(world: World) -> dict[str, Any]:
    ctx = circulated(world)
    with Session(world.engine) as db, db.begin():
        for party in MEMBERS:
            docs.endorse(db, focal(party), ctx["id"], ctx["version"], party)
    return ctx


def drafting(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "joint_statement", "title_en": "Tokyo Declaration", "title_ja": "東京宣言",
            "title_ru": "Токийская декларация", "text": "The parties agree.",
            "description": "Drafted via the API.", "note": "First draft."}


def revising(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"version": ctx["version"], "title_en": "Joint Statement", "title_ja": None,
            "title_ru": None, "text": "First paragraph, amended.\nSecond paragraph.",
            "note": "Amended the first paragraph."}


def _api(route: str, prepare: Any, path: Any, body: Any, allowed: str = "secretariat",
         other: str = "focal_kz", versioned: bool = True,
         text_fields: tuple[str, ...] = ()) -> None:
    register(WriteExample(route=route, method="POST", prepare=prepare, path=path, body=body,
                          allowed=allowed, other_party=other, versioned=versioned, form=False,
                          text_fields=text_fields))


def _of(doc: str) -> Any:
    return lambda ctx: f"/api/v1/documents/{ctx['id']}/{doc}"


def _query(doc: str) -> Any:
    return lambda ctx: f"/api/v1/documents/{ctx['id']}/{doc}?version={ctx['version']}"


_api("draft_document", convened, lambda ctx: f"/api/v1/events/{ctx['event']}/documents",
     drafting, versioned=False,
     text_fields=("title_en", "title_ja", "title_ru", "text", "description", "note"))
_api("revise_document", drafted, _of("versions"), revising,
     text_fields=("title_en", "title_ja", "title_ru", "text", "note"))
_api("circulate_document", drafted, _query("circulate"), lambda ctx: {})
_api("endorse_document", circulated, _of("endorsements"),
     lambda ctx: {"version": ctx["version"], "party": "KZ",
                  "reservation": "Kazakhstan reserves its position on paragraph 2."},
     allowed="focal_kz", other="focal_uz", text_fields=("reservation",))
_api("comment_on_document", circulated, _of("comments"),
     lambda ctx: {"version": ctx["version"], "party": "KZ", "text": "Paragraph 2 is long."},
     allowed="focal_kz", other="focal_uz", text_fields=("text",))
_api("object_to_document", circulated, _of("objections"),
     lambda ctx: {"version": ctx["version"], "party": "KZ", "text": "We object to §2."},
     allowed="focal_kz", other="focal_uz", text_fields=("text",))
_api("adopt_document", endorsed, _query("adopt"), lambda ctx: {})
_api("withdraw_document", drafted, _query("withdraw"), lambda ctx: {})


# --- the HTML forms (CSRF-checked; the matrix adds the csrf field) -----------------------------


def _form(route: str, prepare: Any, path: Any, body: Any, allowed: str = "secretariat",
          other: str = "focal_kz", versioned: bool = True,
          text_fields: tuple[str, ...] = ()) -> None:
    register(WriteExample(route=route, method="POST", prepare=prepare, path=path, body=body,
                          allowed=allowed, other_party=other, versioned=versioned, form=True,
                          text_fields=text_fields))


def _page(lang: str, act: str) -> Any:
    return lambda ctx: f"/{lang}/workspace/documents/{ctx['id']}/{act}"


def _version_only(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"version": ctx["version"]}


_form("draft_document_form", convened,
      lambda ctx: f"/en/workspace/meetings/{ctx['event']}/documents",
      lambda ctx: drafting(ctx) | {"title_ja": "", "title_ru": ""}, versioned=False,
      text_fields=("title_en", "title_ja", "title_ru", "text", "description", "note"))
_form("revise_document_form", drafted, _page("ja", "revise"),
      lambda ctx: {k: v or "" for k, v in revising(ctx).items()},
      text_fields=("title_en", "title_ja", "title_ru", "text", "note"))
_form("circulate_document_form", drafted, _page("ru", "circulate"), _version_only)
_form("adopt_document_form", endorsed, _page("en", "adopt"), _version_only)
_form("withdraw_document_form", drafted, _page("en", "withdraw"), _version_only)
_form("endorse_document_form", circulated, _page("en", "endorse"),
      lambda ctx: {"version": ctx["version"], "party": "KZ", "reservation": "On §2."},
      allowed="focal_kz", other="focal_uz", text_fields=("reservation",))
_form("comment_on_document_form", circulated, _page("en", "comment"),
      lambda ctx: {"version": ctx["version"], "party": "KZ", "kind": "objection",
                   "text": "We object to §2."},
      allowed="focal_kz", other="focal_uz", text_fields=("text",))
