"""Reminders on both databases, through the real app and a real SMTP server (aiosmtpd on a free
localhost port) whose delivered messages the tests read: the member parties that have not
submitted get one message, to their live focal points' addresses; a second run sends nothing;
without CAJD_SMTP_URL the reminders are kept as ``logged``; a failed delivery is kept as
``failed`` and not retried; a racing run's row makes this run skip the party; only the
secretariat may remind; accounts get their addresses from the CLI, checked."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy import event
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cajd.auth import accounts
from cajd.cli import app
from cajd.model import AuditEntry, Reminder, ReportingRound
from cajd.vocab import Delivery, Origin, ReportState, RoundStatus, UserRole
from cajd.workflow import reminders
from cajd.workflow.errors import Forbidden
from tests.writes.registry import World, world
from tests.writes.reminders import open_round
from tests.writes.rounds import submitted
from tests.writes.world import account_name

__all__ = ["world"]

MEMBERS = ["JP", "KG", "KZ", "TJ", "UZ"]  # caj's members; TM is an observer


@dataclass
class Inbox:
    """What the local SMTP server accepted: (envelope sender, envelope recipients, message)."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope.mail_from, sorted(envelope.rcpt_tos), parsed))
        return f"250 OK queued as test-{len(self.received)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CAJD_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("CAJD_SMTP_FROM", "secretariat@caj.example.org")
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def addresses(world: World) -> None:
    """KZ has two live focal points with addresses and a disabled one with an address; UZ's
    focal point has one; JP's has none (its reminder is then kept as logged)."""
    with Session(world.engine) as db, db.begin():
        accounts.set_email(db, account_name("focal_kz"), "kz.focal@mfa.kz.example.org")
        accounts.set_email(db, account_name("focal_uz"), "uz.focal@mfa.uz.example.org")
        for name, disabled in (("kz-second", False), ("kz-gone", True)):
            if db.scalar(sa.select(sa.func.count()).where(
                    accounts.User.name == name)) == 0:
                accounts.add_user(db, name, UserRole.FOCAL_POINT, "KZ", None,
                                  f"{name}@mfa.kz.example.org")
                accounts.set_disabled(db, name, disabled)


def remind_api(world: World, round_id: str, user: str = "secretariat") -> Any:
    return world.call_json(user, "POST", f"/api/v1/rounds/{round_id}/reminders", None)


def rows(world: World, round_id: str) -> dict[str, Reminder]:
    with Session(world.engine) as db:
        return {r.party_id: r for r in db.scalars(
            sa.select(Reminder).where(Reminder.round_id == round_id))}


def test_the_parties_that_have_not_submitted_get_one_message_each(world: World,
                                                                  inbox: Inbox) -> None:
    round_id = open_round(world, reports={"UZ": ReportState.SUBMITTED,
                                          "KZ": ReportState.DRAFT})
    audits = world.audit_count()
    done = remind_api(world, round_id)
    assert done.status_code == 200, done.text
    data = done.json()["data"]
    assert data["submitted"] == ["UZ"] and data["deadline"] == "2026-03-31"
    by_party = {p["party"]: p for p in data["parties"]}
    assert sorted(by_party) == ["JP", "KG", "KZ", "TJ"]  # not UZ (submitted), not TM (observer)
    kz = by_party["KZ"]
    assert kz["done"] == "reminded" and kz["delivery"] == "sent"
    assert kz["recipients"] == ["kz-second@mfa.kz.example.org", "kz.focal@mfa.kz.example.org"]
    assert "250 OK queued as test-1" in kz["detail"]
    for party in ("JP", "KG", "TJ"):  # no focal point with an address
        assert by_party[party]["delivery"] == "logged", by_party[party]
        assert "e-mail address" in by_party[party]["detail"]
    # The server got exactly one message: to KZ's two live focal points, not the disabled one.
    [(sender, recipients, message)] = inbox.received
    assert sender == "secretariat@caj.example.org"
    assert recipients == ["kz-second@mfa.kz.example.org", "kz.focal@mfa.kz.example.org"]
    assert "Action Plan 2026 review" in message["Subject"] and "2026-03-31" in message["Subject"]
    body = message.get_content()
    link = f"/en/workspace/rounds/{round_id}"
    assert link in body and f"/ja/workspace/rounds/{round_id}" in body
    page = world.logged_in("focal_kz").client.get(link)  # the link is the page to report on
    assert page.status_code == 200 and round_id in page.text, page.text
    assert "a draft (version 1) is saved but not submitted" in body
    assert "2026年行動計画の点検" in body and "Обзор плана действий 2026" in body
    stored = rows(world, round_id)
    assert sorted(stored) == ["JP", "KG", "KZ", "TJ"]
    assert stored["KZ"].delivery is Delivery.SENT and stored["KZ"].sent_by == "secretariat"
    assert stored["KZ"].recipients == ("kz-second@mfa.kz.example.org,"
                                       "kz.focal@mfa.kz.example.org")
    assert stored["KZ"].origin is Origin.WORKSPACE
    [entry] = world.audits_after(audits)  # one audit entry for the run
    assert entry.action == "round.remind" and entry.record_id == round_id
    assert entry.after is not None and len(entry.after["reminders"]) == 4

    again = remind_api(world, round_id)
    assert again.status_code == 200, again.text
    assert {p["done"] for p in again.json()["data"]["parties"]} == {"already"}
    assert len(inbox.received) == 1  # nothing sent twice for one deadline
    assert {p: r.version for p, r in rows(world, round_id).items()} == {
        p: r.version for p, r in stored.items()}


def test_a_new_deadline_is_a_new_reminder_and_overdue_is_said(world: World,
                                                              inbox: Inbox) -> None:
    round_id = open_round(world, deadline=dt.date(2026, 1, 31),
                          reports={p: ReportState.SUBMITTED for p in ("JP", "KG", "TJ", "UZ")})
    with Session(world.engine) as db, db.begin():
        first = reminders.remind(db, world.actor("secretariat"), round_id,
                                 today=dt.date(2026, 2, 2))
    assert first["overdue"] is True and [p["party"] for p in first["parties"]] == ["KZ"]
    [(_, _, message)] = inbox.received
    assert message["Subject"].startswith("Overdue:") and "is overdue" in message.get_content()
    with Session(world.engine) as db, db.begin():  # the round is extended
        row = db.get(ReportingRound, round_id)
        assert row is not None
        row.deadline = dt.date(2026, 4, 30)
    with Session(world.engine) as db, db.begin():
        second = reminders.remind(db, world.actor("secretariat"), round_id,
                                  today=dt.date(2026, 2, 3))
    assert second["overdue"] is False and second["parties"][0]["done"] == "reminded"
    assert len(inbox.received) == 2 and "is due on 2026-04-30" in inbox.received[1][2].get_content()
    with Session(world.engine) as db:
        deadlines = db.scalars(sa.select(Reminder.deadline).where(
            Reminder.round_id == round_id).order_by(Reminder.deadline)).all()
    assert deadlines == [dt.date(2026, 1, 31), dt.date(2026, 4, 30)]


def test_without_smtp_every_reminder_is_kept_as_logged(world: World,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("CAJD_SMTP_URL", raising=False)
    round_id = open_round(world)
    with caplog.at_level(logging.INFO, logger="cajd.reminders"):
        done = remind_api(world, round_id)
    assert done.status_code == 200, done.text
    stored = rows(world, round_id)
    assert sorted(stored) == MEMBERS
    assert {r.delivery for r in stored.values()} == {Delivery.LOGGED}
    assert "CAJD_SMTP_URL" in (stored["KZ"].detail or "")
    assert stored["KZ"].recipients == "kz-second@mfa.kz.example.org,kz.focal@mfa.kz.example.org"
    logged = [r.getMessage() for r in caplog.records if r.name == "cajd.reminders"]
    assert len(logged) == 5 and any(f"{round_id}.reminder.KZ" in m for m in logged)


def test_a_failed_delivery_is_kept_and_not_retried(world: World,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAJD_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")  # nobody listens
    round_id = open_round(world, reports={p: ReportState.SUBMITTED for p in ("JP", "KG", "TJ")})
    done = remind_api(world, round_id)
    assert done.status_code == 200, done.text
    by_party = {p["party"]: p for p in done.json()["data"]["parties"]}
    assert by_party["KZ"]["delivery"] == "failed" and "Connection" in by_party["KZ"]["detail"]
    assert rows(world, round_id)["KZ"].delivery is Delivery.FAILED
    again = remind_api(world, round_id).json()["data"]["parties"]
    assert {p["done"] for p in again} == {"already"}


def test_a_racing_run_s_reminder_makes_this_run_skip_the_party(world: World,
                                                               inbox: Inbox) -> None:
    """Another run inserts (and commits) KZ's reminder after this run looked for it and before
    it inserts its own: the unique constraint refuses this run's row, and KZ gets no second
    message."""
    round_id = open_round(world, reports={p: ReportState.SUBMITTED for p in ("JP", "KG", "TJ")})
    raced: list[bool] = []
    with Session(world.engine) as db, db.begin():
        def racing(session: Session, *_: Any) -> None:
            if not raced and any(isinstance(o, Reminder) and o.party_id == "KZ"
                                 for o in session.new):
                raced.append(True)
                with world.engine.begin() as other:
                    other.execute(sa.insert(Reminder).values(
                        id=f"{round_id}.reminder.KZ.2026-03-31", round_id=round_id,
                        party_id="KZ", deadline=dt.date(2026, 3, 31), delivery=Delivery.LOGGED,
                        detail="the other run", origin=Origin.WORKSPACE, version=1))
        event.listen(db, "before_flush", racing)
        done = reminders.remind(db, world.actor("secretariat"), round_id)
    assert raced == [True]
    by_party = {p["party"]: p for p in done["parties"]}
    assert by_party["KZ"]["done"] == "already" and by_party["UZ"]["delivery"] == "sent"
    assert [r for _, r, _ in inbox.received] == [["uz.focal@mfa.uz.example.org"]]
    assert rows(world, round_id)["KZ"].detail == "the other run"


@pytest.mark.parametrize("user", ["focal_kz", "reader", "assessor"])
def test_only_the_secretariat_reminds(world: World, inbox: Inbox, user: str) -> None:
    round_id = open_round(world)
    before = world.state()
    refused = remind_api(world, round_id, user)
    assert refused.status_code == 403, refused.text
    assert world.state() == before and inbox.received == []
    with Session(world.engine) as db, pytest.raises(Forbidden):
        reminders.remind(db, world.actor(user), round_id)


def test_a_closed_or_unknown_round_is_refused(world: World, inbox: Inbox) -> None:
    closed = open_round(world, status=RoundStatus.CLOSED)
    refused = remind_api(world, closed)
    assert refused.status_code == 422 and "status" in refused.json()["error"], refused.text
    assert remind_api(world, "no-such-round").status_code == 404
    assert inbox.received == [] and rows(world, closed) == {}


def test_the_cli_reminds_as_a_secretariat_account(world: World, inbox: Inbox) -> None:
    round_id = open_round(world, reports={p: ReportState.SUBMITTED for p in ("JP", "KG", "TJ")})
    env = {"CAJD_DATABASE_URL": world.engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    refused = runner.invoke(app, ["rounds", "remind", round_id, "--as", "focal-kz"], env=env)
    assert refused.exit_code == 1 and "may not round.remind" in refused.stderr
    done = runner.invoke(app, ["rounds", "remind", round_id, "--as", "secretariat", "--json"],
                         env=env)
    assert done.exit_code == 0, done.output
    parties = {p["party"]: p["delivery"] for p in json.loads(done.stdout)["parties"]}
    assert parties == {"KZ": "sent", "UZ": "sent"}
    assert len(inbox.received) == 2
    twice = runner.invoke(app, ["rounds", "remind", round_id, "--as", "secretariat"], env=env)
    assert twice.exit_code == 0 and "already" in twice.stdout and len(inbox.received) == 2
    with Session(world.engine) as db:
        entries = db.scalars(sa.select(AuditEntry.actor).where(
            AuditEntry.record_id == round_id)).all()
    assert entries == ["secretariat", "secretariat"]


@pytest.mark.parametrize(("address", "why"), [
    ("not an address", "plain address"), ("kz@localhost", "not an e-mail address"),
    ("a,b@x.org", "plain address"), ("Ω@x.org", "ASCII only"), ("a@x.org\r\nBcc: b@y.org",
                                                               "plain address"),
])
def test_an_account_s_address_is_checked(world: World, address: str, why: str) -> None:
    env = {"CAJD_DATABASE_URL": world.engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    bad = runner.invoke(app, ["users", "set-email", "focal-jp", address], env=env)
    assert bad.exit_code == 1 and "--email" in bad.stderr and why in bad.stderr, bad.output
    added = runner.invoke(app, ["users", "add", "jp-new", "--role", "focal_point", "--party",
                                "JP", "--email", address], input="\n", env=env)
    assert added.exit_code == 1 and why in added.stderr
    with Session(world.engine) as db:
        assert accounts.get_user(db, "focal-jp").email is None
        assert db.scalar(sa.select(accounts.User).where(accounts.User.name == "jp-new")) is None


def test_the_secretariat_lists_a_round_s_reminders_with_overdue_flags(world: World,
                                                                      inbox: Inbox) -> None:
    round_id = open_round(world, deadline=dt.date(2026, 1, 31),
                          reports={"UZ": ReportState.SUBMITTED, "KG": ReportState.DRAFT})
    with Session(world.engine) as db, db.begin():
        reminders.remind(db, world.actor("secretariat"), round_id, today=dt.date(2026, 2, 1))
    audits = world.audit_count()
    listed = world.call_json("secretariat", "GET", f"/api/v1/rounds/{round_id}/reminders", None)
    assert listed.status_code == 200, listed.text
    data = listed.json()["data"]
    assert data["overdue"] is True and data["status"] == "open"  # the deadline is long past
    assert {p["party"]: (p["report"], p["overdue"]) for p in data["parties"]} == {
        "JP": (None, True), "KG": ("draft", True), "KZ": (None, True), "TJ": (None, True),
        "UZ": ("submitted", False)}
    by_party = {r["party_id"]: r for r in data["reminders"]}
    assert sorted(by_party) == ["JP", "KG", "KZ", "TJ"]
    assert by_party["KZ"]["delivery"] == "sent" and by_party["KZ"]["deadline"] == "2026-01-31"
    assert listed.json()["meta"]["total"] == 4
    assert world.audit_count() == audits  # reading writes nothing
    with Session(world.engine) as db:  # before the deadline nobody is overdue
        early = reminders.listing(db, world.actor("secretariat"), round_id,
                                  today=dt.date(2026, 1, 2))
    assert early["overdue"] is False and not any(p["overdue"] for p in early["parties"])


@pytest.mark.parametrize("user", ["focal_kz", "reader", "assessor", None])
def test_only_the_secretariat_sees_the_reminders(world: World, user: str | None) -> None:
    round_id = open_round(world)
    with Session(world.engine) as db, db.begin():
        reminders.remind(db, world.actor("secretariat"), round_id)
    refused = world.call_json(user, "GET", f"/api/v1/rounds/{round_id}/reminders", None)
    assert refused.status_code == (401 if user is None else 403), refused.text
    assert "@" not in refused.text  # no address leaks in the refusal


def test_a_title_with_a_line_break_makes_a_one_line_subject(world: World, inbox: Inbox) -> None:
    round_id = open_round(world, reports={p: ReportState.SUBMITTED for p in MEMBERS if p != "UZ"})
    with Session(world.engine) as db, db.begin():
        row = db.get(ReportingRound, round_id)
        assert row is not None
        row.title_en = "Action Plan\r\nBcc: everyone@example.org"
    done = remind_api(world, round_id)
    assert done.status_code == 200, done.text
    [(_, recipients, message)] = inbox.received
    assert recipients == ["uz.focal@mfa.uz.example.org"] and message["Bcc"] is None
    assert message["Subject"].endswith(": UZ's report for Action Plan Bcc: "
                                       "everyone@example.org, due 2026-03-31")


def test_a_sender_that_cannot_be_written_is_a_failed_delivery_not_an_error(
        world: World, inbox: Inbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAJD_SMTP_FROM", "cajd@example.org\nBcc: everyone@example.org")
    round_id = open_round(world, reports={p: ReportState.SUBMITTED for p in MEMBERS if p != "UZ"})
    done = remind_api(world, round_id)
    assert done.status_code == 200, done.text
    [uz] = done.json()["data"]["parties"]
    assert uz["delivery"] == "failed" and "could not be written" in uz["detail"]
    assert inbox.received == []


def test_a_round_opened_and_reported_through_the_rounds_service(world: World,
                                                                inbox: Inbox) -> None:
    """The rounds helper's own service: a round opened by the secretariat, KZ's report submitted
    by its focal point: KZ is not reminded, UZ (no report) is, by e-mail; a second run sends
    nothing for this deadline."""
    ctx = submitted(world, "KZ")
    done = remind_api(world, ctx["id"]).json()["data"]
    assert done["submitted"] == ["KZ"]
    assert sorted(p["party"] for p in done["parties"]) == ["JP", "KG", "TJ", "UZ"]
    [(_, recipients, message)] = inbox.received
    assert recipients == ["uz.focal@mfa.uz.example.org"]
    assert "no report has been started (2 items to report on)" in message.get_content()
    again = remind_api(world, ctx["id"]).json()["data"]
    assert {p["done"] for p in again["parties"]} == {"already"} and len(inbox.received) == 1
