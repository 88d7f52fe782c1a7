"""The workspace's HTML forms for outcome documents, in en/ja/ru: draft, revise, circulate,
endorse (with a reservation), comment, object, adopt, withdraw; and the document's workspace page
(its versions, the diff between two of them, endorsements and comments), shown only to those who
may see drafts. Complete without JavaScript; every form carries the session's CSRF token.

Each POST parses the form and calls ``cajd.workflow.documents`` in one transaction, then
redirects (303) to the document's workspace page. A value the service refuses (``Invalid``)
re-renders the page with the message next to its field (422); other refusals (403, 404, 409) are
the app's refusal page. No rule lives here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd.read import adoption as reading
from cajd.read import meetings as read_meetings
from cajd.read.diff import DiffView, diff_versions
from cajd.vocab import DocumentKind, UserRole
from cajd.web.actor import FormActor
from cajd.web.meetings_forms import _blank, _version, _viewer, field_errors, options
from cajd.web.pages import Lang, page
from cajd.web.viewer import current
from cajd.workflow import Actor, Invalid
from cajd.workflow import documents as docs

router = APIRouter(include_in_schema=False)


def _page(request: Request, lang: str, template: str, actor: Actor, form: str | None,
          values: dict[str, str] | None, errors: dict[str, list[str]] | None, status: int,
          **context: Any) -> Response:
    response = page(request, lang, template, None, actor=actor, form=form,
                    values=values or {}, errors=errors or {},
                    is_secretariat=actor.role is UserRole.SECRETARIAT and not actor.disabled,
                    csrf=who.csrf if (who := current(request)) else "", **context)
    response.status_code = status
    return response


def new_page(request: Request, lang: str, event_id: str, actor: Actor,
             values: dict[str, str] | None = None,
             errors: dict[str, list[str]] | None = None, status: int = 200) -> Response:
    with Session(request.app.state.engine) as db:
        meeting = read_meetings.workspace(db, event_id)
    return _page(request, lang, "workspace/document_new.html", actor, "draft",
                 values or {"kind": DocumentKind.JOINT_STATEMENT.value}, errors, status,
                 meeting=meeting, **options(lang, kind=list(DocumentKind)))


def document_page(request: Request, lang: str, document_id: str, actor: Actor,
                  form: str | None = None, values: dict[str, str] | None = None,
                  errors: dict[str, list[str]] | None = None, status: int = 200) -> Response:
    """The document as its drafters see it (404 for anyone who may not see a draft)."""
    with Session(request.app.state.engine) as db:
        doc = reading.adoption(db, actor, document_id)
    diff: DiffView | None = None
    if len(doc.versions) > 1:
        asked = request.query_params
        old, new = asked.get("from", ""), asked.get("to", "")
        diff = diff_versions(doc, int(old) if old.isdigit() else doc.versions[-2].number,
                             int(new) if new.isdigit() else None)
    endorsed = {e.party.id for e in doc.endorsements
                if doc.versions and e.version == doc.versions[-1].number}
    response = _page(request, lang, "workspace/document.html", actor, form, values, errors,
                     status, doc=doc, diff=diff,
                     may_endorse=actor.role is UserRole.FOCAL_POINT and actor.party in
                     doc.missing and actor.party not in endorsed)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/{lang}/workspace/meetings/{event_id}/documents/new", response_class=HTMLResponse)
def new_document_form(request: Request, lang: Lang, event_id: str) -> Response:
    return new_page(request, lang, event_id, _viewer(request))


@router.get("/{lang}/workspace/documents/{document_id}", response_class=HTMLResponse)
def document_form(request: Request, lang: Lang, document_id: str) -> Response:
    return document_page(request, lang, document_id, _viewer(request))


# --- writes ---------------------------------------------------------------------------------


def _done(lang: str, document_id: str, anchor: str) -> Response:
    return RedirectResponse(f"/{lang}/workspace/documents/{document_id}#{anchor}",
                            status_code=303)


def _write(request: Request, lang: str, document_id: str, form: str, actor: Actor,
           fields: dict[str, str], call: Any) -> Response:
    try:
        with Session(request.app.state.engine) as db, db.begin():
            call(db)
    except Invalid as exc:
        return document_page(request, lang, document_id, actor, form, fields,
                             field_errors(exc.problems), status=422)
    return _done(lang, document_id, form)


def _title(fields: dict[str, str]) -> dict[str, str | None]:
    return {k: _blank(fields.get(f"title_{k}")) for k in ("en", "ja", "ru")}


@router.post("/{lang}/workspace/meetings/{event_id}/documents", name="draft_document_form")
def draft_post(request: Request, lang: Lang, event_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    try:
        with Session(request.app.state.engine) as db, db.begin():
            doc = docs.draft(db, actor, event_id, fields.get("kind", ""), _title(fields),
                             _blank(fields.get("text")), _blank(fields.get("description")),
                             _blank(fields.get("note")))
    except Invalid as exc:
        return new_page(request, lang, event_id, actor, fields, field_errors(exc.problems),
                        status=422)
    return _done(lang, doc["id"], "text")


@router.post("/{lang}/workspace/documents/{document_id}/revise", name="revise_document_form")
def revise_post(request: Request, lang: Lang, document_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    return _write(request, lang, document_id, "revise", actor, fields, lambda db: docs.revise(
        db, actor, document_id, _version(fields), _title(fields), _blank(fields.get("text")),
        _blank(fields.get("note"))))


def _simple(action: str, call: Any) -> Any:
    """A form that sends only the document's version (circulate, adopt, withdraw)."""

    def post(request: Request, lang: Lang, document_id: str, posted: FormActor) -> Response:
        actor, fields = posted
        return _write(request, lang, document_id, action, actor, fields,
                      lambda db: call(db, actor, document_id, _version(fields)))

    post.__name__ = f"{action}_post"
    router.add_api_route(f"/{{lang}}/workspace/documents/{{document_id}}/{action}", post,
                         methods=["POST"], name=f"{action}_document_form")
    return post


_simple("circulate", docs.circulate)
_simple("adopt", docs.adopt)
_simple("withdraw", docs.withdraw)


@router.post("/{lang}/workspace/documents/{document_id}/endorse", name="endorse_document_form")
def endorse_post(request: Request, lang: Lang, document_id: str, posted: FormActor) -> Response:
    actor, fields = posted
    party = fields.get("party") or actor.party or ""
    return _write(request, lang, document_id, "endorse", actor, fields, lambda db: docs.endorse(
        db, actor, document_id, _version(fields), party, _blank(fields.get("reservation"))))


@router.post("/{lang}/workspace/documents/{document_id}/comment",
             name="comment_on_document_form")
def comment_post(request: Request, lang: Lang, document_id: str, posted: FormActor) -> Response:
    """A comment, or with ``kind=objection`` an objection (the same form, two acts: an
    objection is the party's own, and the service checks it as such)."""
    actor, fields = posted
    act = docs.object_to if fields.get("kind") == "objection" else docs.comment
    return _write(request, lang, document_id, "comment", actor, fields, lambda db: act(
        db, actor, document_id, _version(fields), fields.get("text", ""),
        _blank(fields.get("party"))))
