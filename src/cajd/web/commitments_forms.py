"""The secretariat's and the parties' HTML forms for commitments, in en/ja/ru, complete without
JavaScript and CSRF-checked: register a commitment written in an adopted document (a workspace
page), set its paragraph and scoring guideline (on its page: an assessor cannot score a
commitment without one), and record what was done to carry it out, with a link as evidence.

Each POST calls ``cajd.workflow.commitments`` in one transaction and redirects (303); a value the
service refuses re-renders the form with the loader's message at its field (422). No rule lives
here: who sees a form is a courtesy, the service decides.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd.model import Commitment, Document, Party
from cajd.vocab import CommitmentKind, DocumentStatus, UserRole
from cajd.web import workspace
from cajd.web.actor import FormActor, UploadFormActor, page_actor
from cajd.web.i18n import translations
from cajd.web.meetings_forms import _blank, _version, field_errors
from cajd.web.pages import Lang, commitment_page, page
from cajd.web.viewer import current
from cajd.web.workspace import Item, Section
from cajd.workflow import Actor, Invalid
from cajd.workflow import commitments as service
from cajd.workflow.commitments import GUIDELINE_LEVELS

router = APIRouter(include_in_schema=False)


def _actor(request: Request) -> Actor | None:
    actor = page_actor(request) if current(request) is not None else None
    return None if actor is None or actor.disabled else actor


def editing(request: Request, db: Session, commitment_id: str,
            values: dict[str, str] | None = None,
            errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What the commitment page needs for the secretariat's terms form and for the recording
    form (the secretariat, or the committing party's focal point): nothing for anyone else."""
    actor = _actor(request)
    row = db.get(Commitment, commitment_id)
    if actor is None or row is None:
        return {}
    csrf = who.csrf if (who := current(request)) else ""
    out: dict[str, Any] = {}
    shown = values or {}
    if actor.role is UserRole.SECRETARIAT:
        out["editing"] = {"version": row.version, "csrf": csrf, "errors": errors or {},
                          "values": shown or {
                              "paragraph": row.paragraph or "",
                              **{f"guideline_{k}": getattr(row, f"guideline_{k}") or ""
                                 for k in GUIDELINE_LEVELS}}}
    if actor.role is UserRole.SECRETARIAT or (
            actor.role is UserRole.FOCAL_POINT and actor.party == row.party_id):
        out["recording"] = {"csrf": csrf, "errors": errors or {}, "values": shown}
    return out


def _redo(request: Request, lang: str, commitment_id: str, fields: dict[str, str],
          exc: Invalid) -> Response:
    from cajd.web.assessments_forms import scoring

    with Session(request.app.state.engine) as db:
        response = commitment_page(request, lang, db, commitment_id, {
            **scoring(request, db, commitment_id, lang),
            **editing(request, db, commitment_id, fields, field_errors(exc.problems))})
    response.status_code = 422
    return response


@router.post("/{lang}/commitments/{commitment_id}/terms", name="update_commitment_form")
def terms_post(request: Request, lang: Lang, commitment_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    guideline = {k: _blank(fields.get(f"guideline_{k}")) for k in GUIDELINE_LEVELS}
    changes: dict[str, Any] = {"paragraph": _blank(fields.get("paragraph"))}
    if any(guideline.values()):
        changes["guideline"] = guideline
    try:
        with Session(request.app.state.engine) as db, db.begin():
            service.update(db, actor, commitment_id, _version(fields), changes)
    except Invalid as exc:
        return _redo(request, lang, commitment_id, fields, exc)
    return RedirectResponse(f"/{lang}/commitments/{commitment_id}#terms", status_code=303)


@router.post("/{lang}/commitments/{commitment_id}/implementation",
             name="record_implementation_form")
def implementation_post(request: Request, lang: Lang, commitment_id: str,
                        posted: UploadFormActor) -> Response:
    actor, fields, files = posted
    progress = service.Progress(description=fields.get("description", ""),
                                date=_blank(fields.get("date")),
                                implementer=_blank(fields.get("implementer")))
    try:
        with Session(request.app.state.engine) as db, db.begin():
            service.record_implementation(db, actor, commitment_id, progress,
                                          url=_blank(fields.get("evidence_url")),
                                          upload=files.get("evidence_file"),
                                          evidence_title=_blank(fields.get("evidence_title")))
    except Invalid as exc:
        return _redo(request, lang, commitment_id, fields, exc)
    return RedirectResponse(f"/{lang}/commitments/{commitment_id}#implementation",
                            status_code=303)


# --- registering a commitment (a workspace page) ---------------------------------------------


def registering(db: Session, actor: Actor, lang: str) -> Section | None:
    if actor.role is not UserRole.SECRETARIAT:
        return None
    _ = translations(lang).gettext
    return Section(_("Commitments"), [Item(_("Register a commitment from an adopted document"),
                                           f"/{lang}/workspace/commitments/new")])


workspace.SECTIONS.insert(1, registering)


def _new_page(request: Request, lang: str, values: dict[str, str] | None = None,
              errors: dict[str, list[str]] | None = None, status: int = 200) -> Response:
    actor = _actor(request)
    if actor is None:
        raise HTTPException(401, "log in first")
    with Session(request.app.state.engine) as db:
        documents = [(d.id, d.title_en) for d in db.scalars(sa.select(Document).where(
            Document.status == DocumentStatus.ADOPTED, Document.deleted_at.is_(None))
            .order_by(Document.id))]
        parties = [(p.id, getattr(p, f"name_{lang}", None) or p.name_en)
                   for p in db.scalars(sa.select(Party).order_by(Party.id))]
    response = page(request, lang, "workspace/commitment_new.html", None, actor=actor,
                    values=values or {"party": "JP"}, errors=errors or {},
                    document_options=documents, party_options=parties,
                    kind_options=[(k.value, k.label(lang)) for k in CommitmentKind],
                    csrf=who.csrf if (who := current(request)) else "")
    response.status_code = status
    return response


@router.get("/{lang}/workspace/commitments/new", response_class=HTMLResponse)
def new_commitment_form(request: Request, lang: Lang) -> Response:
    return _new_page(request, lang)


@router.post("/{lang}/workspace/commitments", name="register_commitment_form")
def register_post(request: Request, lang: Lang, posted: FormActor) -> Response:
    actor, fields = posted
    guideline = {k: _blank(fields.get(f"guideline_{k}")) for k in GUIDELINE_LEVELS}
    terms = service.Terms(kind=fields.get("kind", ""), description=fields.get("description", ""),
                          paragraph=_blank(fields.get("paragraph")), due=_blank(fields.get("due")),
                          guideline=guideline if any(guideline.values()) else None)
    try:
        with Session(request.app.state.engine) as db, db.begin():
            done = service.register(db, actor, fields.get("document", ""),
                                    fields.get("party", ""), terms)
    except Invalid as exc:
        return _new_page(request, lang, fields, field_errors(exc.problems), status=422)
    return RedirectResponse(f"/{lang}/commitments/{done['id']}", status_code=303)
