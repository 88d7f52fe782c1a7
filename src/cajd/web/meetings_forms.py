"""The workspace's HTML forms for running a meeting, in en/ja/ru: convene, status, delegations,
guests and the agenda. Complete without JavaScript; every form carries the session's CSRF token
(``web.actor.form_actor`` checks it).

Each POST parses the form and calls ``cajd.workflow`` in one transaction, then redirects (303) to
the meeting's workspace page. A value the service refuses (``Invalid``) re-renders the form with
the loader's message next to its field (422); other refusals (403, 404, 409) are the app's refusal
page. No rule lives here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd.read import adoption
from cajd.read import meetings as read
from cajd.read import queries as q
from cajd.vocab import EventFormat, EventStatus, PartyKind, Rank, UserRole
from cajd.web import workspace
from cajd.web.actor import FormActor, page_actor
from cajd.web.i18n import translations
from cajd.web.pages import Lang, page
from cajd.web.viewer import current
from cajd.web.workspace import Item, Section
from cajd.workflow import Actor, Invalid
from cajd.workflow import delegations as dlg
from cajd.workflow import meetings as mtg

router = APIRouter(include_in_schema=False)
MEMBER_ROWS = 4  # member lines a registration form offers (more: amend and add again)
# A field the service names, and the form field that shows its message.
FIELD_ALIASES = {"head_title": "title", "cancellation_reason": "reason", "order": "order"}


def options(lang: str, **lists: Any) -> dict[str, list[tuple[str, str]]]:
    """``(value, label)`` pairs in the page's language for each select of a form."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, items in lists.items():
        out[f"{name}_options"] = [
            (item.value, item.label(lang)) if hasattr(item, "label")
            else (item.id, item.name.get(lang) or item.name.en)
            for item in items
        ]
    return out


def _viewer(request: Request) -> Actor:
    actor = page_actor(request)
    if actor is None:
        raise HTTPException(401, "log in first")
    return actor


def field_errors(problems: list[str]) -> dict[str, list[str]]:
    """The service's ``subject: field: message`` problems by form field (``name.en`` is the form's
    ``name_en``; ``members[1].name`` its ``member_2_name``); others under ``""`` (the form)."""
    out: dict[str, list[str]] = {}
    for problem in problems:
        parts = problem.split(": ")
        field = parts[1] if len(parts) >= 3 else ""
        field = field.split("[")[0] if field.startswith(("order", "areas")) else field
        if field.startswith("members["):
            index, _, rest = field.removeprefix("members[").partition("].")
            field = f"member_{int(index) + 1}_{rest}" if index.isdigit() else "members"
        field = FIELD_ALIASES.get(field, field).replace(".", "_")
        out.setdefault(field, []).append(problem)
    return out


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _version(fields: dict[str, str]) -> int:
    text = fields.get("version", "")
    if not text.isdigit() or not 1 <= int(text) < 2**31:
        raise Invalid([f"form: version: {text!r} is not a version number"])
    return int(text)


def _done(lang: str, event_id: str, anchor: str) -> Response:
    return RedirectResponse(f"/{lang}/workspace/meetings/{event_id}#{anchor}", status_code=303)


# --- pages ----------------------------------------------------------------------------------


def convening(db: Session, actor: Actor, lang: str) -> Section | None:
    """The workspace page's section of this module: each active body with its next number
    (convene), and each planned meeting's page for running it."""
    if actor.role not in (UserRole.SECRETARIAT, UserRole.FOCAL_POINT):
        return None
    _ = translations(lang).gettext
    items = [Item(e.name_ja if lang == "ja" and e.name_ja else e.name_ru
                  if lang == "ru" and e.name_ru else e.name_en,
                  f"/{lang}/workspace/meetings/{e.id}", _("Run this meeting"))
             for e in read.planned(db)]
    if actor.role is UserRole.SECRETARIAT:
        items += [Item(_("Convene a meeting") + ": " + (b.name.get(lang) or b.name.en),
                       f"/{lang}/workspace/bodies/{b.id}/convene",
                       _("next number: %(n)s") % {"n": mtg.suggest_number(db, b.id)})
                  for b in q.bodies(db).items if b.status == "active"]
    return Section(_("Running a meeting"), items, _("No meeting is planned."))


workspace.SECTIONS.insert(0, convening)


def _convene_page(request: Request, lang: str, body_id: str, actor: Actor,
                  values: dict[str, str] | None = None,
                  errors: dict[str, list[str]] | None = None, status: int = 200) -> Response:
    with Session(request.app.state.engine) as db:
        body = q.body(db, body_id)
        number = mtg.suggest_number(db, body_id)
        parties = q.parties(db).items
    response = page(request, lang, "workspace/convene.html", None, actor=actor, body=body,
                    values=values or {"number": str(number)}, errors=errors or {},
                    csrf=who.csrf if (who := current(request)) else "",
                    **options(lang, party=parties, format=list(EventFormat)))
    response.status_code = status
    return response


@router.get("/{lang}/workspace/bodies/{body_id}/convene", response_class=HTMLResponse)
def convene_form(request: Request, lang: Lang, body_id: str) -> Response:
    return _convene_page(request, lang, body_id, _viewer(request))


def meeting_page(request: Request, lang: str, event_id: str, actor: Actor,
                 form: str | None = None, values: dict[str, str] | None = None,
                 errors: dict[str, list[str]] | None = None, status: int = 200) -> Response:
    with Session(request.app.state.engine) as db:
        meeting = read.workspace(db, event_id)
        documents = adoption.meeting_documents(db, actor, event_id)
        areas = read.areas(db)
        parties = q.parties(db).items
    mine = next((d for d in meeting.delegations if d.party.id == actor.party), None)
    response = page(
        request, lang, "workspace/meeting.html", None, actor=actor, meeting=meeting,
        areas=areas, mine=mine, form=form, documents=documents, values=values or {},
        errors=errors or {},
        member_rows=MEMBER_ROWS,
        **options(lang, party=parties, rank=list(Rank), status=list(EventStatus),
                  kind=list(PartyKind)),
        is_secretariat=actor.role is UserRole.SECRETARIAT and not actor.disabled,
        csrf=who.csrf if (who := current(request)) else "",
    )
    response.status_code = status
    return response


@router.get("/{lang}/workspace/meetings/{event_id}", response_class=HTMLResponse)
def meeting_form(request: Request, lang: Lang, event_id: str) -> Response:
    return meeting_page(request, lang, event_id, _viewer(request))


# --- writes ---------------------------------------------------------------------------------


def _write(request: Request, lang: str, event_id: str, form: str, actor: Actor,
           fields: dict[str, str], call: Any) -> Response:
    """Run ``call(db)`` in one transaction; its ``Invalid`` re-renders the meeting's page with
    each message next to its field."""
    try:
        with Session(request.app.state.engine) as db, db.begin():
            call(db)
    except Invalid as exc:
        return meeting_page(request, lang, event_id, actor, form, fields,
                            field_errors(exc.problems), status=422)
    return _done(lang, event_id, form)


@router.post("/{lang}/workspace/bodies/{body_id}/convene", name="convene_meeting_form")
def convene_post(request: Request, lang: Lang, body_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    name = {k: _blank(fields.get(f"name_{k}")) for k in ("en", "ja", "ru")}
    try:
        with Session(request.app.state.engine) as db, db.begin():
            event = mtg.convene(
                db, actor, body_id, start=fields.get("start", ""),
                number=_blank(fields.get("number")),  # type: ignore[arg-type]
                end=_blank(fields.get("end")), name=name, city=_blank(fields.get("city")),
                country=_blank(fields.get("country")), venue=_blank(fields.get("venue")),
                host=_blank(fields.get("host")), format=fields.get("format") or "in_person",
                description=_blank(fields.get("description")))
    except Invalid as exc:
        return _convene_page(request, lang, body_id, actor, fields, field_errors(exc.problems),
                             status=422)
    return _done(lang, event["id"], "status")


@router.post("/{lang}/workspace/meetings/{event_id}/status", name="set_event_status_form")
def status_post(request: Request, lang: Lang, event_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    return _write(request, lang, event_id, "status", actor, fields, lambda db: mtg.set_status(
        db, actor, event_id, _version(fields), fields.get("status", ""),
        _blank(fields.get("reason"))))


def _members(fields: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for n in range(1, MEMBER_ROWS + 1):
        member = {k: _blank(fields.get(f"member_{n}_{k}")) for k in ("person", "name", "title",
                                                                    "rank")}
        if any(member.values()):
            out.append(member)
    return out


@router.post("/{lang}/workspace/meetings/{event_id}/delegations",
             name="register_delegation_form")
def register_post(request: Request, lang: Lang, event_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    party = fields.get("party") or actor.party or ""
    version = _version(fields) if fields.get("version") else None
    return _write(request, lang, event_id, "register", actor, fields, lambda db: dlg.register(
        db, actor, event_id, party, head=_blank(fields.get("head")),
        head_name=_blank(fields.get("head_name")), title=_blank(fields.get("title")),
        rank=_blank(fields.get("rank")), note=_blank(fields.get("note")),
        member_list=_members(fields), version=version))


@router.post("/{lang}/workspace/delegations/{delegation_id}/confirm",
             name="confirm_delegation_form")
def confirm_post(request: Request, lang: Lang, delegation_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    event_id = delegation_id.rsplit(".", 1)[0]
    return _write(request, lang, event_id, "delegations", actor, fields,
                  lambda db: dlg.confirm(db, actor, delegation_id, _version(fields)))


@router.post("/{lang}/workspace/meetings/{event_id}/guests", name="invite_guest_form")
def invite_post(request: Request, lang: Lang, event_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    names = {k: v for k in ("en", "ja", "ru") if (v := _blank(fields.get(f"name_{k}")))}
    kind = _blank(fields.get("kind"))
    new_party = {"kind": kind, "name": names} if kind or names else None
    return _write(request, lang, event_id, "guests", actor, fields, lambda db: dlg.invite_guest(
        db, actor, event_id, (fields.get("party") or "").strip(), new_party=new_party))


@router.post("/{lang}/workspace/meetings/{event_id}/agenda", name="add_agenda_item_form")
def agenda_post(request: Request, lang: Lang, event_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    title = {k: _blank(fields.get(f"title_{k}")) for k in ("en", "ja", "ru")}
    areas = sorted(k.removeprefix("area:") for k, v in fields.items()
                   if k.startswith("area:") and v)
    return _write(request, lang, event_id, "agenda", actor, fields, lambda db: mtg.add_item(
        db, actor, event_id, title, areas))


@router.post("/{lang}/workspace/meetings/{event_id}/agenda/order", name="reorder_agenda_form")
def order_post(request: Request, lang: Lang, event_id: str, posted: FormActor) -> Response:
    """Each active item has a position field (``pos:<id>``); the order sorts by them, ties kept
    in the agenda's order. The items the form was built from travel with it, so a form read
    before the agenda changed names other items: a 409, as in the API."""
    actor, fields = posted
    items = [i for i in (fields.get("items") or "").split(",") if i]

    def key(pair: tuple[int, str]) -> tuple[float, int]:
        text = fields.get(f"pos:{pair[1]}", "").strip()
        return (float(text) if text.replace(".", "", 1).isdigit() else float("inf"), pair[0])

    order = [item for _, item in sorted(enumerate(items), key=key)]
    return _write(request, lang, event_id, "agenda", actor, fields,
                  lambda db: mtg.reorder(db, actor, event_id, order))


@router.post("/{lang}/workspace/agenda-items/{item_id}/withdraw", name="withdraw_agenda_item_form")
def withdraw_post(request: Request, lang: Lang, item_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    event_id = item_id.rsplit(".agenda.", 1)[0]
    return _write(request, lang, event_id, "agenda", actor, fields,
                  lambda db: mtg.withdraw(db, actor, item_id, _version(fields)))
