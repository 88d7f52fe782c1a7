"""The workspace's HTML forms for national reporting rounds, in en/ja/ru, complete without
JavaScript, each carrying the session's CSRF token (``web.actor.form_actor`` checks it).

The secretariat opens a round (its items: commitments of the record and actions in its own
words), sends reminders and closes it; a member party's focal point writes its party's report
item by item, saves the draft, submits it and amends it as a new version. Each POST parses the
form and calls ``cajd.workflow.rounds`` (or ``reminders``) in one transaction, then redirects
(303) to the round's workspace page; a value the service refuses re-renders the form with the
loader's message next to its field (422). No rule lives here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd.model import Commitment, Party, ReportingRound
from cajd.read import rounds as read_rounds
from cajd.vocab import ItemStatus, ReportState, RoundStatus, UserRole
from cajd.web import workspace
from cajd.web.actor import FormActor, UploadFormActor, page_actor
from cajd.web.i18n import translations
from cajd.web.meetings_forms import _blank, _version, field_errors
from cajd.web.pages import Lang, page
from cajd.web.viewer import current
from cajd.web.workspace import Item, Section
from cajd.workflow import Actor, Invalid
from cajd.workflow import reminders as remind_service
from cajd.workflow import rounds as service
from cajd.workflow.rules import may_see_report_draft

router = APIRouter(include_in_schema=False)
LANGS = (("en", "English"), ("ja", "日本語"), ("ru", "русский"))


def _viewer(request: Request) -> Actor:
    actor = page_actor(request)
    if actor is None:
        raise HTTPException(401, "log in first")
    return actor


def _done(lang: str, round_id: str, anchor: str) -> Response:
    return RedirectResponse(f"/{lang}/workspace/rounds/{round_id}#{anchor}", status_code=303)


def reporting(db: Session, actor: Actor, lang: str) -> Section | None:
    """The workspace page's section: open rounds (and, for the secretariat, a new one); a focal
    point sees what its party still owes and by when."""
    if actor.role not in (UserRole.SECRETARIAT, UserRole.FOCAL_POINT):
        return None
    _ = translations(lang).gettext
    items = []
    if actor.role is UserRole.SECRETARIAT:
        items.append(Item(_("Open a reporting round"), f"/{lang}/workspace/rounds/new"))
    today = dt.datetime.now(dt.UTC).date()
    for rnd in db.scalars(sa.select(ReportingRound).where(
            ReportingRound.deleted_at.is_(None), ReportingRound.status == RoundStatus.OPEN)
            .order_by(ReportingRound.deadline)):
        title = getattr(rnd, f"title_{lang}", None) or rnd.title_en
        mine = next((s for s in read_rounds.standings(db, rnd, today)
                     if s.party == actor.party), None)
        if actor.role is UserRole.FOCAL_POINT and mine is None:
            continue
        note = _("deadline %(day)s") % {"day": rnd.deadline.isoformat()}
        if mine is not None and mine.late and mine.submitted_version is None:
            note = _("overdue since %(day)s") % {"day": rnd.deadline.isoformat()}
        elif mine is not None and mine.submitted_version is not None and not mine.draft:
            note = _("submitted (version %(n)s)") % {"n": mine.submitted_version}
        items.append(Item(title, f"/{lang}/workspace/rounds/{rnd.id}", note))
    return Section(_("National reporting rounds"), items, _("No reporting round is open."))


workspace.SECTIONS.insert(0, reporting)


def _commitments(db: Session, dialogue: str) -> list[tuple[str, str]]:
    return [(c.id, c.description) for c in db.scalars(sa.select(Commitment).where(
        Commitment.dialogue_id == dialogue, Commitment.deleted_at.is_(None))
        .order_by(Commitment.id))]


def _new_page(request: Request, lang: str, actor: Actor, values: dict[str, str] | None = None,
              errors: dict[str, list[str]] | None = None, status: int = 200) -> Response:
    with Session(request.app.state.engine) as db:
        commitments = _commitments(db, "caj")
    response = page(request, lang, "workspace/round_new.html", None, actor=actor,
                    commitments=commitments, values=values or {"dialogue": "caj"},
                    errors=errors or {}, csrf=who.csrf if (who := current(request)) else "")
    response.status_code = status
    return response


@router.get("/{lang}/workspace/rounds/new", response_class=HTMLResponse)
def new_round_form(request: Request, lang: Lang) -> Response:
    return _new_page(request, lang, _viewer(request))


@router.post("/{lang}/workspace/rounds", name="open_round_form")
def open_round_post(request: Request, lang: Lang, posted: FormActor) -> Response:
    actor, fields = posted
    chosen = sorted(k.removeprefix("commitment_") for k, v in fields.items()
                    if k.startswith("commitment_") and v)
    texts = [line.strip() for line in fields.get("items", "").splitlines() if line.strip()]
    try:
        with Session(request.app.state.engine) as db, db.begin():
            opened = service.open_round(
                db, actor, dialogue=fields.get("dialogue") or "caj",
                title_en=fields.get("title_en", ""), title_ja=_blank(fields.get("title_ja")),
                title_ru=_blank(fields.get("title_ru")), deadline=fields.get("deadline", ""),
                commitments=chosen, items=texts)
    except Invalid as exc:
        return _new_page(request, lang, actor, fields, field_errors(exc.problems), status=422)
    return _done(lang, opened["id"], "standings")


def _shown(items: list[dict[str, Any]], entries: dict[str, dict[str, Any]],
           lang: str) -> dict[str, str]:
    """The report form's fields as the current draft (or report) has them."""
    out: dict[str, str] = {}
    for item in items:
        entry, n = entries.get(item["id"], {}), item["position"]
        out[f"status_{n}"] = entry.get("status") or ""
        out[f"narrative_{n}"] = entry.get("narrative") or ""
        out[f"lang_{n}"] = entry.get("narrative_lang") or lang
    return out


def round_page(request: Request, lang: str, round_id: str, actor: Actor,
               values: dict[str, str] | None = None,
               errors: dict[str, list[str]] | None = None, status: int = 200) -> Response:
    with Session(request.app.state.engine) as db:
        rnd = db.get(ReportingRound, round_id)
        if rnd is None or rnd.deleted_at is not None:
            raise HTTPException(404, f"no round {round_id!r}")
        view = service.round_view(db, rnd)
        standings = read_rounds.standings(db, rnd)
        parties = {p.id: p.name_ja if lang == "ja" and p.name_ja else p.name_ru
                   if lang == "ru" and p.name_ru else p.name_en
                   for p in db.scalars(sa.select(Party))}
        report = (service.latest(db, round_id, actor.party)
                  if actor.party and may_see_report_draft(actor, actor.party) else None)
        mine = service.report_view(db, report) if report is not None else None
        sent = (remind_service.listing(db, actor, round_id)["reminders"]
                if actor.role is UserRole.SECRETARIAT and not actor.disabled else [])
    member = any(s.party == actor.party for s in standings)
    entries = {e["item_id"]: e for e in (mine or {}).get("entries", [])}
    shown = values or _shown(view["items"], entries, lang)
    response = page(
        request, lang, "workspace/round.html", None, actor=actor, round=view, rnd=rnd,
        standings=standings, parties=parties, report=mine, member=member, reminders=sent,
        values=shown, errors=errors or {},
        status_options=[(s.value, s.label(lang)) for s in ItemStatus], lang_options=LANGS,
        is_secretariat=actor.role is UserRole.SECRETARIAT and not actor.disabled,
        is_open=rnd.status is RoundStatus.OPEN, submitted=ReportState.SUBMITTED.value,
        today=dt.datetime.now(dt.UTC).date(),
        csrf=who.csrf if (who := current(request)) else "")
    response.status_code = status
    return response


@router.get("/{lang}/workspace/rounds/{round_id}", response_class=HTMLResponse)
def round_form(request: Request, lang: Lang, round_id: str) -> Response:
    return round_page(request, lang, round_id, _viewer(request))


def _write(request: Request, lang: str, round_id: str, anchor: str, actor: Actor,
           fields: dict[str, str], call: Any) -> Response:
    try:
        with Session(request.app.state.engine) as db, db.begin():
            call(db)
    except Invalid as exc:
        return round_page(request, lang, round_id, actor, fields, field_errors(exc.problems),
                          status=422)
    return _done(lang, round_id, anchor)


def _entries(db: Session, round_id: str, fields: dict[str, str]) -> dict[str, service.Entry]:
    """The form's item fields (``status_3``, ``narrative_3``, ``lang_3``) as the service's
    entries; an item left without a status is not reported on yet."""
    rnd = db.get(ReportingRound, round_id)
    if rnd is None:
        raise HTTPException(404, f"no round {round_id!r}")
    out: dict[str, service.Entry] = {}
    for item in service.round_view(db, rnd)["items"]:
        n = item["position"]
        if fields.get(f"status_{n}"):
            out[item["id"]] = (fields[f"status_{n}"], _blank(fields.get(f"narrative_{n}")),
                               _blank(fields.get(f"lang_{n}")))
    return out


def _draft_version(fields: dict[str, str]) -> int | None:
    return _version(fields) if fields.get("version") else None


# The party is in the path, as in the API: a focal point posting to another party's report is
# refused by the rule (403), not quietly given its own.
@router.post("/{lang}/workspace/rounds/{round_id}/reports/{party}", name="save_report_form")
def save_post(request: Request, lang: Lang, round_id: str, party: str,
              posted: FormActor) -> Response:
    actor, fields = posted
    return _write(request, lang, round_id, "report", actor, fields, lambda db: service.save_report(
        db, actor, round_id, party, _entries(db, round_id, fields), _draft_version(fields)))


@router.post("/{lang}/workspace/rounds/{round_id}/reports/{party}/submit",
             name="submit_report_form")
def submit_post(request: Request, lang: Lang, round_id: str, party: str,
                posted: FormActor) -> Response:
    actor, fields = posted
    return _write(request, lang, round_id, "report", actor, fields, lambda db: (
        service.submit_report(db, actor, round_id, party, _version(fields))))


@router.post("/{lang}/workspace/rounds/{round_id}/reports/{party}/amend",
             name="amend_report_form")
def amend_post(request: Request, lang: Lang, round_id: str, party: str,
               posted: FormActor) -> Response:
    actor, fields = posted
    return _write(request, lang, round_id, "report", actor, fields, lambda db: (
        service.amend_report(db, actor, round_id, party, _version(fields),
                             fields.get("note", ""))))


@router.post("/{lang}/workspace/rounds/{round_id}/reports/{party}/items/{position}/evidence",
             name="add_report_evidence_form")
def evidence_post(request: Request, lang: Lang, round_id: str, party: str, position: int,
                  posted: UploadFormActor) -> Response:
    """A link or a file (a scan, a table) as evidence for an item of the draft."""
    actor, fields, files = posted

    def add(db: Session) -> Any:
        rnd = db.get(ReportingRound, round_id)
        items = service.round_view(db, rnd)["items"] if rnd is not None else []
        item = next((i["id"] for i in items if i["position"] == position), f"item {position}")
        return service.add_entry_evidence(
            db, actor, round_id, party, item, _version(fields),
            url=_blank(fields.get(f"evidence_url_{position}")),
            upload=files.get(f"evidence_file_{position}"),
            title=_blank(fields.get(f"evidence_title_{position}")))

    return _write(request, lang, round_id, f"evidence-{position}", actor, fields, add)


@router.post("/{lang}/workspace/rounds/{round_id}/close", name="close_round_form")
def close_post(request: Request, lang: Lang, round_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    return _write(request, lang, round_id, "standings", actor, fields, lambda db: (
        service.close_round(db, actor, round_id, _version(fields))))


@router.post("/{lang}/workspace/rounds/{round_id}/remind", name="remind_round_form")
def remind_post(request: Request, lang: Lang, round_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    return _write(request, lang, round_id, "standings", actor, fields, lambda db: (
        remind_service.remind(db, actor, round_id)))
