"""``/{lang}/workspace``: what a logged-in user can act on.

Each area contributes a section through ``SECTIONS`` (the meeting cycle adds its own, e.g.
delegations to register, documents to endorse): a function of the database session, the actor
and the page's language returning a ``Section`` or None (nothing for this actor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from cajd.read import workspace as w
from cajd.vocab import UserRole
from cajd.web.actor import PageActor
from cajd.web.i18n import translations
from cajd.web.pages import Db, Lang, page
from cajd.workflow import Actor

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Item:
    label: str
    href: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str  # in the page's language
    items: list[Item] = field(default_factory=list)
    empty: str = ""  # said when there are no items


SectionMaker = Callable[[Session, Actor, str], Section | None]
SECTIONS: list[SectionMaker] = []


def meetings_in_preparation(db: Session, actor: Actor, lang: str) -> Section | None:
    if actor.role not in (UserRole.SECRETARIAT, UserRole.FOCAL_POINT):
        return None
    _ = translations(lang).gettext
    items = [Item(e.name.get(lang) or e.name.en, f"/{lang}/meetings/{e.id}", e.start)
             for e in w.planned_events(db)]
    return Section(_("Meetings in preparation"), items,
                   _("No meeting is planned in the record."))


def own_changes(db: Session, actor: Actor, lang: str) -> Section:
    _ = translations(lang).gettext
    items = [Item(f"{c.action} {c.record_id}", None, c.at.strftime("%Y-%m-%d %H:%M UTC"))
             for c in w.recent_changes(db, actor.name)]
    return Section(_("Your latest changes"), items, _("You have not changed anything yet."))


SECTIONS += [meetings_in_preparation, own_changes]


@router.get("/{lang}/workspace")
def workspace(request: Request, lang: Lang, db: Db, actor: PageActor) -> Response:
    if actor is None:
        return RedirectResponse(f"/{lang}/login", status_code=303)
    panels = [s for make in SECTIONS if (s := make(db, actor, lang)) is not None]
    return page(request, lang, "workspace.html", None, actor=actor, panels=panels)
