"""The one write path (both databases): rules, validation like the loader, one audit entry per
write, stale versions refused with the current state, soft delete and restore, and the response
cache's record version moving with every committed write."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd import workflow
from cajd.model import AuditEntry, Delegation, Event
from cajd.vocab import Origin, UserRole
from cajd.web.app import record_version
from cajd.workflow import Actor
from cajd.workflow.rules import RULES

SECRETARIAT = Actor("sec", UserRole.SECRETARIAT)
KZ_FOCAL = Actor("kz-focal", UserRole.FOCAL_POINT, "KZ")
READER = Actor("reader", UserRole.READER)
HOSTILE = "<script>alert(1)</script> ' OR 1=1 -- \u202eRTL\u202c zero\u200bwidth " + "x" * 10_000


def audits(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()


def event(engine: Engine, event_id: str = "caj-fmm-1") -> Event:
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(Event, event_id)
        assert row is not None
        return row


def test_an_update_writes_once_with_one_audit_entry(loaded_engine: Engine) -> None:
    cache_key = record_version(loaded_engine)
    with Session(loaded_engine) as session, session.begin():
        after = workflow.update(session, SECRETARIAT, "event", "caj-fmm-1", 1,
                                {"description": f"  {HOSTILE}  "})
    assert after["version"] == 2 and after["origin"] == "workspace"
    row = event(loaded_engine)
    assert (row.description, row.version, row.origin) == (HOSTILE, 2, Origin.WORKSPACE)
    with Session(loaded_engine) as session:
        entries = session.scalars(sa.select(AuditEntry)).all()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.actor, entry.action, entry.kind, entry.record_id) == (
        "sec", "event.update", "event", "caj-fmm-1")
    assert entry.before is not None and entry.after is not None
    assert entry.before["description"] != HOSTILE and entry.after["description"] == HOSTILE
    assert record_version(loaded_engine) != cache_key  # every instance's cache sees the write


def test_a_stale_version_is_a_conflict_with_the_current_state(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as session, session.begin():
        workflow.update(session, SECRETARIAT, "event", "caj-fmm-1", 1, {"venue": "first"})
    with Session(loaded_engine) as session, pytest.raises(workflow.Conflict) as caught:
        workflow.update(session, SECRETARIAT, "event", "caj-fmm-1", 1, {"venue": "second"})
    assert caught.value.status == 409
    assert caught.value.current["venue"] == "first" and caught.value.current["version"] == 2
    assert event(loaded_engine).venue == "first" and audits(loaded_engine) == 1


def test_validation_gives_the_loaders_message_and_writes_nothing(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as session, pytest.raises(workflow.Invalid) as caught:
        workflow.update(session, SECRETARIAT, "delegation", "caj-fmm-1.KZ", 1, {"rank": "minster"})
    # The loader's own wording for a bad vocabulary value (dataset/problems.py).
    [problem] = caught.value.problems
    assert problem.startswith("delegation caj-fmm-1.KZ: rank: 'minster' is not one of head_of_")
    # 10 kB where the column holds 300 characters: a clear refusal, not the database's error.
    with Session(loaded_engine) as session, pytest.raises(workflow.Invalid, match="at most 300"):
        workflow.update(session, SECRETARIAT, "event", "caj-fmm-1", 1, {"venue": HOSTILE})
    with Session(loaded_engine) as session, pytest.raises(workflow.Invalid, match="cannot be"):
        workflow.update(session, SECRETARIAT, "event", "caj-fmm-1", 1, {"body_id": "caj-som"})
    assert audits(loaded_engine) == 0


@pytest.mark.parametrize(
    ("actor", "allowed"), [(SECRETARIAT, True), (KZ_FOCAL, True), (READER, False)]
)
def test_a_focal_point_writes_only_its_own_partys_delegation(
    loaded_engine: Engine, actor: Actor, allowed: bool
) -> None:
    with Session(loaded_engine) as session:
        jp = session.get(Delegation, "caj-fmm-1.JP")
        assert jp is not None
        version = jp.version
    # Nobody but the secretariat may touch Japan's delegation; the KZ focal point its own only.
    with Session(loaded_engine) as session, pytest.raises(workflow.Forbidden):
        workflow.update(session, KZ_FOCAL, "delegation", "caj-fmm-1.JP", version, {"note": "x"})
    with Session(loaded_engine) as session:
        if allowed:
            workflow.update(session, actor, "delegation", "caj-fmm-1.KZ", 1, {"note": "ok"})
            session.commit()
        else:
            with pytest.raises(workflow.Forbidden):
                workflow.update(session, actor, "delegation", "caj-fmm-1.KZ", 1, {"note": "no"})
    assert audits(loaded_engine) == (1 if allowed else 0)


def test_soft_delete_and_restore_each_leave_one_entry(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as session, session.begin():
        workflow.soft_delete(session, SECRETARIAT, "event", "caj-fmm-3", 1)
    deleted = event(loaded_engine, "caj-fmm-3")
    assert deleted.deleted_at is not None and deleted.deleted_by == "sec"
    with Session(loaded_engine) as session, pytest.raises(workflow.NotFound):
        workflow.update(session, SECRETARIAT, "event", "caj-fmm-3", 2, {"venue": "x"})
    with Session(loaded_engine) as session, pytest.raises(workflow.Forbidden):
        workflow.restore(session, KZ_FOCAL, "event", "caj-fmm-3", 2)
    with Session(loaded_engine) as session, session.begin():
        workflow.restore(session, SECRETARIAT, "event", "caj-fmm-3", 2)
    restored = event(loaded_engine, "caj-fmm-3")
    assert restored.deleted_at is None and restored.version == 3
    assert audits(loaded_engine) == 2


def test_unknown_actions_and_disabled_actors_are_refused() -> None:
    assert not workflow.can(SECRETARIAT, "event.explode", None)
    gone = Actor("gone", UserRole.SECRETARIAT, disabled=True)
    assert not workflow.can(gone, "event.update", None)
    assert all(action.count(".") == 1 for action in RULES)
