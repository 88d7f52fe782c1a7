"""Bearer tokens across the API (both databases), and what a soft deletion does to the public
record. Tokens are honoured on reads and writes; a bad, revoked or
disabled account's token refused with 401 at once, and a token from `cajd users token` works."""

from __future__ import annotations

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cajd.auth import accounts
from cajd.cli import app
from cajd.model import Delegation, Event
from tests.writes.registry import World, world
from tests.writes.world import account_name

__all__ = ["world"]


def test_reads_honour_a_token_and_refuse_a_bad_one(world: World) -> None:
    public = world.anonymous.get("/api/v1/events?limit=2")
    with_token = world.anonymous.get("/api/v1/events?limit=2", headers=world.bearer("reader"))
    assert public.status_code == with_token.status_code == 200
    assert with_token.json()["data"] == public.json()["data"]
    assert "etag" not in with_token.headers  # a reader's answer is never the cache's
    for path in ("/api/v1/events", "/api/v1/analysis/cadence"):
        bad = world.anonymous.get(path, headers={"Authorization": "Bearer cajd_forged"})
        assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
        assert bad.json() == {"ok": False, "error": bad.json()["error"], "errors": [],
                              "status": 401}


def _version(world: World, event_id: str) -> int:
    with Session(world.engine) as db:
        row = db.get(Event, event_id)
        assert row is not None
        return row.version


def test_a_revoked_token_and_a_disabled_account_are_refused_at_once(world: World) -> None:
    with Session(world.engine) as db, db.begin():
        accounts.add_user(db, "temp-sec", accounts.UserRole.SECRETARIAT, None, None)
        token = accounts.new_token(db, "temp-sec")
        other = accounts.new_token(db, "temp-sec")
    headers = {"Authorization": f"Bearer {token}"}
    path = "/api/v1/events/caj-fmm-6"
    done = world.anonymous.patch(path, headers=headers,
                                 json={"version": _version(world, "caj-fmm-6"), "venue": "A"})
    assert done.status_code == 200 and done.json()["data"]["venue"] == "A"
    with Session(world.engine) as db, db.begin():
        assert accounts.revoke_tokens(db, "temp-sec") == 2
    again = world.anonymous.patch(path, headers=headers,
                                  json={"version": _version(world, "caj-fmm-6"), "venue": "B"})
    assert again.status_code == 401
    with Session(world.engine) as db, db.begin():
        third = accounts.new_token(db, "temp-sec")
        accounts.set_disabled(db, "temp-sec")
    for stale in (other, third):
        refused = world.anonymous.patch(
            path, headers={"Authorization": f"Bearer {stale}"},
            json={"version": _version(world, "caj-fmm-6"), "venue": "C"})
        assert refused.status_code == 401
    with Session(world.engine) as db:
        row = db.get(Event, "caj-fmm-6")
        assert row is not None and row.venue == "A"


def test_the_cli_token_is_the_way_in(world: World) -> None:
    """`cajd users token NAME` prints a token that the API accepts."""
    url = world.engine.url.render_as_string(hide_password=False)
    printed = CliRunner().invoke(app, ["users", "token", account_name("focal_uz")],
                                 env={"CAJD_DATABASE_URL": url})
    assert printed.exit_code == 0, printed.output
    token = next(w for w in printed.output.split() if w.startswith("cajd_"))
    mine = "caj-fmm-4.UZ"
    with Session(world.engine) as db:
        row = db.get(Delegation, mine)
        assert row is not None
        version = row.version
    done = world.anonymous.patch(f"/api/v1/delegations/{mine}",
                                 headers={"Authorization": f"Bearer {token}"},
                                 json={"version": version, "note": "Registered by UZ."})
    assert done.status_code == 200 and done.json()["data"]["note"] == "Registered by UZ."


def test_a_deleted_meeting_leaves_the_public_record_until_restored(world: World) -> None:
    """Soft deletion through the API hides the meeting (page, API, lists) and restoring brings
    it back unchanged; its delegations go and come with it."""
    target = "caj-som-3"
    listed = world.anonymous.get("/api/v1/events?body=caj-som&limit=500").json()["data"]
    assert target in [e["id"] for e in listed]
    deleted = world.anonymous.delete(f"/api/v1/events/{target}?version={_version(world, target)}",
                                     headers=world.bearer("secretariat"))
    assert deleted.status_code == 200 and deleted.json()["data"]["deleted_by"] == "secretariat"
    assert world.anonymous.get(f"/api/v1/events/{target}").status_code == 404
    assert world.anonymous.get(f"/en/meetings/{target}").status_code == 404
    listed = world.anonymous.get("/api/v1/events?body=caj-som&limit=500").json()["data"]
    assert target not in [e["id"] for e in listed]
    with Session(world.engine) as db:
        row = db.get(Event, target)
        assert row is not None
        now = row.version
    restored = world.anonymous.post(f"/api/v1/events/{target}/restore?version={now}",
                                    headers=world.bearer("secretariat"))
    assert restored.status_code == 200 and restored.json()["data"]["deleted_at"] is None
    assert world.anonymous.get(f"/api/v1/events/{target}").status_code == 200


def test_a_deleted_delegation_leaves_its_meeting(world: World) -> None:
    meeting = "caj-fmm-5"
    before = world.anonymous.get(f"/api/v1/events/{meeting}").json()["data"]
    assert "caj-fmm-5.KZ" in [d["id"] for d in before["delegation_list"]]
    with Session(world.engine) as db:
        row = db.get(Delegation, "caj-fmm-5.KZ")
        assert row is not None
        version = row.version
    done = world.anonymous.delete(f"/api/v1/delegations/caj-fmm-5.KZ?version={version}",
                                  headers=world.bearer("focal_kz"))
    assert done.status_code == 200
    after = world.anonymous.get(f"/api/v1/events/{meeting}").json()["data"]
    assert "caj-fmm-5.KZ" not in [d["id"] for d in after["delegation_list"]]
    assert after["delegations"] == before["delegations"] - 1
