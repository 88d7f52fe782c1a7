"""The portal for a logged-in user (both databases): the header's "Log in" / name + "Log out" in
three languages, the workspace page, and the one rule for who may see drafts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from cajd.read.drafts import parties_concerned
from cajd.vocab import UserRole
from cajd.workflow import Actor, may_see_drafts
from tests.writes.registry import World, world

__all__ = ["world"]

LOG_OUT = {"en": "Log out", "ja": "ログアウト", "ru": "Выйти"}
LOG_IN = {"en": "Log in", "ja": "ログイン", "ru": "Вход"}


@pytest.mark.parametrize("lang", ["en", "ja", "ru"])
def test_the_public_header_offers_to_log_in(world: World, lang: str) -> None:
    page = world.anonymous.get(f"/{lang}/")
    assert page.status_code == 200
    assert f'href="/{lang}/login">{LOG_IN[lang]}' in page.text
    assert LOG_OUT[lang] not in page.text and "secretariat" not in page.text


@pytest.mark.parametrize("lang", ["en", "ja", "ru"])
def test_a_logged_in_header_names_the_user_and_logs_out_with_csrf(world: World, lang: str
                                                                  ) -> None:
    session = world.logged_in("focal_kz")
    page = session.client.get(f"/{lang}/meetings")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert f'href="/{lang}/workspace" class="who">focal-kz</a>' in page.text
    form = re.search(r'<form method="post" action="/\w\w/logout" class="logout">\s*'
                     r'<input type="hidden" name="csrf" value="([^"]+)">', page.text)
    assert form and form.group(1) == session.csrf and LOG_OUT[lang] in page.text
    # The public page at the same address is still the public one (never the cached private one).
    assert "focal-kz" not in world.anonymous.get(f"/{lang}/meetings").text


def test_the_workspace_sends_the_public_to_the_login_form(world: World) -> None:
    done = world.anonymous.get("/ru/workspace", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/ru/login"


def test_the_workspace_lists_planned_meetings_and_the_users_own_changes(world: World) -> None:
    session = world.logged_in("secretariat")
    page = session.client.get("/en/workspace")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Logged in as secretariat" in page.text and "Meetings in preparation" in page.text
    # A write shows up under the user's own changes at once.
    version = world.call_json("secretariat", "PATCH", "/api/v1/events/caj-fmm-5",
                              {"version": 1, "venue": "Workspace test"}).json()
    assert version["ok"] is True, version
    page = session.client.get("/ja/workspace")
    assert "最近の変更" in page.text and "event.update caj-fmm-5" in page.text
    # Another user's workspace does not list it.
    assert "caj-fmm-5" not in world.logged_in("focal_uz").client.get("/en/workspace").text


def test_a_reader_has_no_meetings_to_act_on(world: World) -> None:
    page = world.logged_in("reader").client.get("/en/workspace")
    assert page.status_code == 200 and "Meetings in preparation" not in page.text


SECRETARIAT = Actor("s", UserRole.SECRETARIAT)
KZ = Actor("k", UserRole.FOCAL_POINT, "KZ")
READER_KZ = Actor("r", UserRole.READER, readable=frozenset({"KZ"}))
ASSESSOR = Actor("a", UserRole.ASSESSOR)


@pytest.mark.parametrize(("actor", "parties", "allowed"), [
    (None, {"KZ"}, False),
    (SECRETARIAT, set(), True),
    (Actor("s", UserRole.SECRETARIAT, disabled=True), {"KZ"}, False),
    (KZ, {"KZ", "JP"}, True),
    (KZ, {"UZ", "JP"}, False),
    (READER_KZ, {"KZ"}, True),
    (READER_KZ, {"TJ"}, False),
    (ASSESSOR, {"KZ"}, False),
])
def test_who_may_see_drafts(actor: Actor | None, parties: set[str], allowed: bool) -> None:
    assert may_see_drafts(actor, parties) is allowed


def test_an_event_concerns_its_delegations_and_its_dialogues_parties(world: World) -> None:
    with Session(world.engine) as db:
        concerned = parties_concerned(db, "caj-fmm-4")
        assert {"JP", "KZ", "KG", "TJ", "TM", "UZ"} <= concerned
        assert parties_concerned(db, "no-such-event") == frozenset()
    reader = world.actor("reader")
    assert reader.readable == frozenset({"KZ"}) and may_see_drafts(reader, concerned)
