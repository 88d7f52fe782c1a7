"""Running a meeting through the one write path (both databases): convening with the suggested
number, status, delegations (own party only, guests by the secretariat, confirmation), the agenda;
each write one audit entry, stale versions 409, the loader's messages; and the whole cycle dumps to
YAML that `cajd data check` accepts and that reloads with every row unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset import pipeline
from cajd.dataset.dump import dump
from cajd.model import AgendaItem, AuditEntry, Citation, Delegation, DelegationMember, Event
from cajd.vocab import AgendaStatus, EventStatus, Origin, Registration, Role, UserRole
from cajd.workflow import Actor, Conflict, Forbidden, Invalid, NotFound
from cajd.workflow import delegations as d
from cajd.workflow import meetings as m
from cajd.workflow.checks import WORKSPACE_SOURCE
from tests.test_origins import fresh_engine, snapshot

__all__ = ["fresh_engine"]  # a fixture, used by name below

SEC = Actor("sec", UserRole.SECRETARIAT)
KZ = Actor("kz-focal", UserRole.FOCAL_POINT, "KZ")
UZ = Actor("uz-focal", UserRole.FOCAL_POINT, "UZ")
READER = Actor("reader", UserRole.READER)
HOSTILE = "<script>alert(1)</script> ' OR 1=1 -- \u202eRTL\u202c zero\u200bwidth"
TODAY = dt.date.today().isoformat()


def audits(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def write(engine: Engine, call: Callable[[Session], Any]) -> Any:
    """One write in its own transaction, as a route makes it; asserts it left one audit entry."""
    before = len(audits(engine))
    with Session(engine) as session, session.begin():
        result = call(session)
    assert len(audits(engine)) == before + 1
    return result


def refused(engine: Engine, error: type[Exception], call: Callable[[Session], Any]) -> Any:
    """A refused write raises ``error`` and leaves no audit entry and no row changed."""
    before, rows = len(audits(engine)), snapshot(engine)
    with pytest.raises(error) as caught, Session(engine) as session, session.begin():
        call(session)
    assert len(audits(engine)) == before and snapshot(engine) == rows
    return caught.value


def convene(engine: Engine, **extra: Any) -> dict[str, Any]:
    values = {"start": TODAY, "city": "Tashkent", "country": "UZ", "host": "UZ",
              "venue": HOSTILE} | extra
    return write(engine, lambda s: m.convene(s, SEC, "caj-fmm", **values))  # type: ignore[arg-type]


def test_convene_numbers_after_the_highest_meeting_and_cites_the_workspace(
    loaded_engine: Engine,
) -> None:
    with Session(loaded_engine) as session:
        assert m.suggest_number(session, "caj-fmm") == 10
    before = dt.date.today().isoformat()
    event = convene(loaded_engine)
    # the locator names the day it was convened: a run that crosses midnight sees either day
    days = {f"convened by sec on {d}" for d in (before, dt.date.today().isoformat())}
    assert (event["id"], event["number"], event["status"]) == ("caj-fmm-10", 10, "planned")
    assert event["name_en"] == "10th Foreign Ministers' Meeting" and event["venue"] == HOSTILE
    with Session(loaded_engine) as session:
        row = session.get(Event, "caj-fmm-10")
        assert row is not None and row.origin is Origin.WORKSPACE
        assert m.suggest_number(session, "caj-fmm") == 11
        [cite] = session.scalars(sa.select(Citation).where(Citation.subject_id == "caj-fmm-10"))
        assert cite.source_id == WORKSPACE_SOURCE and cite.locator in days
    [entry] = audits(loaded_engine)
    assert (entry.action, entry.kind, entry.record_id, entry.before) == (
        "event.convene", "event", "caj-fmm-10", None)


def test_only_the_secretariat_convenes(loaded_engine: Engine) -> None:
    for actor in (KZ, READER, Actor("gone", UserRole.SECRETARIAT, disabled=True)):
        refused(loaded_engine, Forbidden,
                lambda s, a=actor: m.convene(s, a, "caj-fmm", start=TODAY))
    refused(loaded_engine, NotFound, lambda s: m.convene(s, SEC, "caj-nothing", start=TODAY))


@pytest.mark.parametrize(("values", "message"), [
    ({"start": "2031-13"}, "event caj-fmm-10: start: '2031-13' is not a real date: month must be"),
    ({"start": TODAY, "format": "zoom"},
     "event caj-fmm-10: format: 'zoom' is not one of in_person, video, hybrid"),
    ({"start": TODAY, "host": "XX"}, "event caj-fmm-10: host: no party 'XX' (looked in parties/)"),
    ({"start": TODAY, "number": 9},
     "event caj-fmm-9: number: caj-fmm already has meeting caj-fmm-9"),
    ({"start": TODAY, "number": 0}, "event of caj-fmm: number: Input should be greater than or"),
    ({"start": TODAY, "city": "x" * 121}, "event caj-fmm-10: city: at most 120 characters"),
    ({"start": "2031-05-02", "end": "2031-05-01"}, "event caj-fmm-10: end: 2031-05-01 is before"),
])
def test_convening_is_validated_with_the_loaders_messages(
    loaded_engine: Engine, values: dict[str, Any], message: str
) -> None:
    error = refused(loaded_engine, Invalid, lambda s: m.convene(s, SEC, "caj-fmm", **values))
    assert any(p.startswith(message) for p in error.problems), error.problems


def test_status_held_or_cancelled_with_a_reason_and_versions_checked(
    loaded_engine: Engine,
) -> None:
    convene(loaded_engine)
    later = convene(loaded_engine, start="2031-05")
    error = refused(loaded_engine, Invalid,
                    lambda s: m.set_status(s, SEC, "caj-fmm-11", 1, "cancelled"))
    assert error.problems == ["event caj-fmm-11: cancellation_reason: a cancelled meeting needs "
                              "a reason"]
    error = refused(loaded_engine, Invalid, lambda s: m.set_status(s, SEC, "caj-fmm-11", 1, "held"))
    assert error.problems == ["event caj-fmm-11: status: a meeting cannot be held before it "
                              "starts (2031-05-01)"]
    error = refused(loaded_engine, Invalid, lambda s: m.set_status(s, SEC, "caj-fmm-11", 1, "met"))
    assert error.problems[0].startswith("event caj-fmm-11: status: 'met' is not one of held,")
    refused(loaded_engine, Forbidden, lambda s: m.set_status(s, KZ, "caj-fmm-11", 1, "held"))
    cancelled = write(loaded_engine, lambda s: m.set_status(
        s, SEC, "caj-fmm-11", later["version"], "cancelled", HOSTILE))
    assert (cancelled["status"], cancelled["cancellation_reason"]) == ("cancelled", HOSTILE)
    stale = refused(loaded_engine, Conflict,
                    lambda s: m.set_status(s, SEC, "caj-fmm-11", 1, "planned"))
    assert stale.current["status"] == "cancelled" and stale.current["version"] == 2
    held = write(loaded_engine, lambda s: m.set_status(s, SEC, "caj-fmm-10", 1, "held"))
    assert held["status"] == "held" and held["cancellation_reason"] is None


def test_a_focal_point_registers_its_own_party_and_the_secretariat_confirms(
    loaded_engine: Engine,
) -> None:
    convene(loaded_engine)
    members = [{"name": "Deputy", "title": "Deputy Minister", "rank": "deputy_minister"},
               {"person": "yoshimasa-hayashi"}, {"name": HOSTILE}]
    kz = write(loaded_engine, lambda s: d.register(
        s, KZ, "caj-fmm-10", "KZ", head_name="Head of KZ", title="Minister of Foreign Affairs",
        rank="minister", member_list=members))
    assert (kz["id"], kz["role"], kz["registration"], kz["registered_by"]) == (
        "caj-fmm-10.KZ", "member", "registered", "kz-focal")
    assert [x["id"] for x in kz["members"]] == [f"caj-fmm-10.KZ#{n}" for n in (1, 2, 3)]
    # Not another party's delegation, and not a guest's: those go through the secretariat.
    refused(loaded_engine, Forbidden, lambda s: d.register(s, KZ, "caj-fmm-10", "UZ"))
    refused(loaded_engine, Forbidden, lambda s: d.register(s, KZ, "caj-fmm-10", "AF"))
    refused(loaded_engine, Forbidden, lambda s: d.register(s, READER, "caj-fmm-10", "KZ"))
    error = refused(loaded_engine, Invalid, lambda s: d.register(
        s, UZ, "caj-fmm-10", "UZ", rank="minster", member_list=[{"title": "nobody"}]))
    assert error.problems[0].startswith(
        "delegation caj-fmm-10.UZ: rank: 'minster' is not one of head_of_state")
    assert "delegation caj-fmm-10.UZ: members[0]: a member needs a person or a name" in (
        error.problems)
    write(loaded_engine, lambda s: d.register(s, UZ, "caj-fmm-10", "UZ", rank="minister"))
    # A second registration without the version it amends is a conflict.
    again = refused(loaded_engine, Conflict, lambda s: d.register(s, KZ, "caj-fmm-10", "KZ"))
    assert again.current["registration"] == "registered"
    refused(loaded_engine, Forbidden, lambda s: d.confirm(s, KZ, "caj-fmm-10.KZ", kz["version"]))
    confirmed = write(loaded_engine, lambda s: d.confirm(s, SEC, "caj-fmm-10.KZ", kz["version"]))
    assert (confirmed["registration"], confirmed["confirmed_by"]) == ("confirmed", "sec")
    refused(loaded_engine, Conflict, lambda s: d.confirm(s, SEC, "caj-fmm-10.KZ", kz["version"]))
    # Amending sends it back for confirmation; a dropped member is soft-deleted, not lost.
    amended = write(loaded_engine, lambda s: d.register(
        s, KZ, "caj-fmm-10", "KZ", rank="deputy_minister", member_list=members[:1],
        version=confirmed["version"]))
    assert (amended["registration"], amended["confirmed_by"], amended["rank"]) == (
        "registered", None, "deputy_minister")
    assert [x["name"] for x in amended["members"]] == ["Deputy"]
    with Session(loaded_engine) as session:
        gone = session.get(DelegationMember, "caj-fmm-10.KZ#3")
        assert gone is not None and gone.deleted_at is not None and gone.name == HOSTILE


def test_registration_needs_a_planned_meeting(loaded_engine: Engine) -> None:
    convene(loaded_engine)
    write(loaded_engine, lambda s: m.set_status(s, SEC, "caj-fmm-10", 1, "held"))
    error = refused(loaded_engine, Invalid, lambda s: d.register(s, KZ, "caj-fmm-10", "KZ"))
    assert error.problems == ["delegation caj-fmm-10.KZ: status: registration is open while the "
                              "meeting is planned (it is held)"]


def test_guests_are_invited_by_the_secretariat_only(loaded_engine: Engine) -> None:
    convene(loaded_engine)
    refused(loaded_engine, Forbidden, lambda s: d.invite_guest(s, KZ, "caj-fmm-10", "AF"))
    error = refused(loaded_engine, Invalid, lambda s: d.invite_guest(s, SEC, "caj-fmm-10", "KZ"))
    assert error.problems == ["delegation caj-fmm-10.KZ: party: KZ takes part as member; its "
                              "focal point registers its delegation"]
    af = write(loaded_engine, lambda s: d.invite_guest(s, SEC, "caj-fmm-10", "AF"))
    assert (af["role"], af["registration"]) == ("guest", "invited")
    error = refused(loaded_engine, Invalid, lambda s: d.invite_guest(
        s, SEC, "caj-fmm-10", "MN", new_party={"kind": "country", "name": {"en": "Mongolia"}}))
    assert error.problems[0].startswith("party MN: kind: 'country' is not one of state,")
    mn = write(loaded_engine, lambda s: d.invite_guest(
        s, SEC, "caj-fmm-10", "MN", new_party={"kind": "state", "name": {"en": "Mongolia"}}))
    assert mn["party_id"] == "MN" and mn["role"] == Role.GUEST
    # The guest's own focal point, if it had one, could not register it either.
    refused(loaded_engine, Forbidden, lambda s: d.register(
        s, Actor("mn", UserRole.FOCAL_POINT, "MN"), "caj-fmm-10", "MN", version=1))
    with Session(loaded_engine) as session:
        guest = session.get(Delegation, "caj-fmm-10.MN")
        assert guest is not None and guest.registration is Registration.INVITED


def test_agenda_add_reorder_withdraw(loaded_engine: Engine) -> None:
    convene(loaded_engine)
    for title, areas in (("Water and energy", ["water", "energy"]), ("Transport", []),
                         (HOSTILE, ["environment"])):
        write(loaded_engine, lambda s, t=title, a=areas: m.add_item(
            s, SEC, "caj-fmm-10", {"en": t, "ja": None}, a))
    first = write(loaded_engine, lambda s: m.add_item(
        s, SEC, "caj-fmm-10", {"en": "Opening", "ru": "Открытие"}, position=1))
    assert (first["id"], first["position"]) == ("caj-fmm-10.agenda.4", 1)
    refused(loaded_engine, Forbidden, lambda s: m.add_item(s, KZ, "caj-fmm-10", {"en": "x"}))
    error = refused(loaded_engine, Invalid, lambda s: m.add_item(
        s, SEC, "caj-fmm-10", {"en": "x"}, ["water", "nowhere"]))
    assert error.problems == ["agenda_item caj-fmm-10.agenda.5: areas[1]: no area 'nowhere' "
                              "(looked in areas/)"]
    error = refused(loaded_engine, Invalid, lambda s: m.add_item(s, SEC, "caj-fmm-10", {}))
    assert error.problems == ["agenda_item caj-fmm-10.agenda.5: title.en: is required"]
    ids = [f"caj-fmm-10.agenda.{n}" for n in (4, 1, 2, 3)]
    with Session(loaded_engine) as session:
        assert [i.id for i in m.items(session, "caj-fmm-10")] == ids
    order = [ids[0], ids[3], ids[2], ids[1]]
    done = write(loaded_engine, lambda s: m.reorder(s, SEC, "caj-fmm-10", order))
    assert [i["id"] for i in done] == order and [i["position"] for i in done] == [1, 2, 3, 4]
    assert done[1]["areas"] == ["environment"]
    withdrawn = write(loaded_engine, lambda s: m.withdraw(s, SEC, ids[3], done[1]["version"]))
    assert withdrawn["status"] == AgendaStatus.WITHDRAWN
    refused(loaded_engine, Conflict, lambda s: m.withdraw(s, SEC, ids[2], 99))
    refused(loaded_engine, Forbidden, lambda s: m.withdraw(s, KZ, ids[2], 2))
    # An order read before the withdrawal names an item no longer active: 409, nothing moves.
    stale = refused(loaded_engine, Conflict, lambda s: m.reorder(s, SEC, "caj-fmm-10", order))
    assert stale.current["order"] == [ids[0], ids[2], ids[1]]
    error = refused(loaded_engine, Invalid, lambda s: m.reorder(
        s, SEC, "caj-fmm-10", [ids[0], ids[0], "caj-fmm-9.agenda.1"]))
    assert error.problems == [
        "event caj-fmm-10: order[2]: no agenda item 'caj-fmm-9.agenda.1' on this meeting",
        "event caj-fmm-10: order[1]: 'caj-fmm-10.agenda.4' is listed twice"]
    final = write(loaded_engine, lambda s: m.reorder(s, SEC, "caj-fmm-10",
                                                     [ids[2], ids[1], ids[0]]))
    assert [(i["id"], i["status"]) for i in final] == [
        (ids[2], "active"), (ids[1], "active"), (ids[0], "active"), (ids[3], "withdrawn")]


def cycle(engine: Engine) -> None:
    """Convene, two delegations registered (one with members) and confirmed, a guest, an agenda
    with a withdrawn item, and the meeting held."""
    convene(engine, name={"en": "10th FMM", "ja": "第10回外相会合", "ru": None})
    write(engine, lambda s: d.register(
        s, KZ, "caj-fmm-10", "KZ", head="yoshimasa-hayashi", title=HOSTILE, rank="minister",
        member_list=[{"name": "A", "rank": "ambassador"}, {"person": "yoshimasa-hayashi"}]))
    write(engine, lambda s: d.register(s, UZ, "caj-fmm-10", "UZ", head_name="B", rank="minister"))
    write(engine, lambda s: d.confirm(s, SEC, "caj-fmm-10.KZ", 1))
    write(engine, lambda s: d.invite_guest(s, SEC, "caj-fmm-10", "AF"))
    for title in ("One", "Two", "Three"):
        write(engine, lambda s, t=title: m.add_item(s, SEC, "caj-fmm-10", {"en": t}, ["water"]))
    write(engine, lambda s: m.withdraw(s, SEC, "caj-fmm-10.agenda.2", 1))
    write(engine, lambda s: m.reorder(
        s, SEC, "caj-fmm-10", ["caj-fmm-10.agenda.3", "caj-fmm-10.agenda.1"]))
    write(engine, lambda s: m.set_status(s, SEC, "caj-fmm-10", 1, "held"))


def test_a_run_meeting_dumps_and_reloads_with_every_row_unchanged(
    loaded_engine: Engine, fresh_engine: Engine, tmp_path: Path
) -> None:
    cycle(loaded_engine)
    with loaded_engine.connect() as connection:
        dump(connection, tmp_path / "dump")
    assert [str(p) for p in pipeline.build(tmp_path / "dump").problems] == []
    pipeline.load(fresh_engine, tmp_path / "dump")
    assert snapshot(fresh_engine, tracked=False) == snapshot(loaded_engine, tracked=False)
    with Session(fresh_engine) as session:
        event = session.get(Event, "caj-fmm-10")
        assert event is not None and event.status is EventStatus.HELD
        order = [(i.id, i.status) for i in m.items(session, "caj-fmm-10")]
        assert order == [("caj-fmm-10.agenda.3", "active"), ("caj-fmm-10.agenda.1", "active"),
                         ("caj-fmm-10.agenda.2", "withdrawn")]
        assert session.get(AgendaItem, "caj-fmm-10.agenda.3") is not None
    # Loading the dump back into the store it came from changes no fact.
    before = snapshot(loaded_engine, tracked=False)
    result = pipeline.load(loaded_engine, tmp_path / "dump")
    assert not result.report.changed
    assert snapshot(loaded_engine, tracked=False) == before
