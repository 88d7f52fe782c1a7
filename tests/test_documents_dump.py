"""Documents written in the workspace dump and reload with every row unchanged (both databases):
an adopted joint statement with a reservation and an observer's objection, an amendment of it
under way (version 2), a withdrawn draft, and a circulated text awaiting endorsements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset import pipeline
from cajd.dataset.dump import dump
from cajd.vocab import UserRole
from cajd.workflow import Actor
from cajd.workflow import documents as docs
from cajd.workflow import meetings as m
from tests.test_origins import fresh_engine, snapshot
from tests.writes.documents import MEMBERS, focal
from tests.writes.hostile import HOSTILE

__all__ = ["fresh_engine"]  # a fixture, used by name below

SEC = Actor("sec", UserRole.SECRETARIAT)
TM = Actor("tm-focal", UserRole.FOCAL_POINT, "TM")
RESERVATION = "Kazakhstan reserves its position on §2. " + HOSTILE["xss-script"]


def step(engine: Engine, call: Any) -> Any:
    with Session(engine) as session, session.begin():
        return call(session)


def documents_cycle(engine: Engine) -> str:
    event = step(engine, lambda s: m.convene(s, SEC, "caj-fmm", start="2026-01-10"))["id"]
    doc = step(engine, lambda s: docs.draft(
        s, SEC, event, "joint_statement", {"en": "Joint Statement", "ja": "共同声明"},
        "One.\nTwo.", note="First draft " + HOSTILE["rtl"]))
    doc = step(engine, lambda s: docs.revise(s, SEC, doc["id"], doc["version"],
                                             {"en": "Joint Statement"}, "One.\nTwo, better."))
    doc = step(engine, lambda s: docs.circulate(s, SEC, doc["id"], doc["version"]))
    step(engine, lambda s: docs.comment(s, SEC, doc["id"], doc["version"], "Please read §2."))
    step(engine, lambda s: docs.object_to(s, TM, doc["id"], doc["version"], "TM objects."))
    for party in MEMBERS:
        step(engine, lambda s, p=party: docs.endorse(
            s, focal(p), doc["id"], doc["version"], p, RESERVATION if p == "KZ" else None))
    doc = step(engine, lambda s: docs.adopt(s, SEC, doc["id"], doc["version"]))
    step(engine, lambda s: docs.revise(s, SEC, doc["id"], doc["version"],
                                       {"en": "Joint Statement"}, "One.\nTwo, amended."))
    other = step(engine, lambda s: docs.draft(s, SEC, event, "joint_statement",
                                              {"en": "A second statement"}, "Draft."))
    step(engine, lambda s: docs.withdraw(s, SEC, other["id"], other["version"]))
    third = step(engine, lambda s: docs.draft(s, SEC, event, "roadmap", {"en": "Roadmap"}))
    step(engine, lambda s: docs.circulate(s, SEC, third["id"], third["version"]))
    return str(doc["id"])


def test_documents_dump_and_reload_with_every_row_unchanged(
    loaded_engine: Engine, fresh_engine: Engine, tmp_path: Path
) -> None:
    doc = documents_cycle(loaded_engine)
    with loaded_engine.connect() as connection:
        dump(connection, tmp_path / "dump")
    assert [str(p) for p in pipeline.build(tmp_path / "dump").problems] == []
    written = yaml.safe_load((tmp_path / "dump" / "documents" / f"{doc}.yaml").read_text())
    assert written["status"] == "draft" and written["adopted_version"] == 2
    assert [v["version"] for v in written["versions"]] == [1, 2, 3]
    assert {e["party"] for e in written["endorsements"]} == set(MEMBERS)
    assert [e["reservation"] for e in written["endorsements"] if e["party"] == "KZ"] == [
        RESERVATION]
    assert [c["kind"] for c in written["comments"]] == ["comment", "objection"]
    # A bundled document's file gains no adoption fields.
    bundled = yaml.safe_load(
        (tmp_path / "dump" / "documents" / "caj-fmm-7-joint-statement.yaml").read_text())
    assert not {"status", "adopted_version", "versions", "endorsements"} & set(bundled)
    pipeline.load(fresh_engine, tmp_path / "dump")
    assert snapshot(fresh_engine, tracked=False) == snapshot(loaded_engine, tracked=False)
    # Loading the dump back into the store it came from changes nothing.
    before = snapshot(loaded_engine, tracked=False)
    result = pipeline.load(loaded_engine, tmp_path / "dump")
    assert not result.report.changed
    assert snapshot(loaded_engine, tracked=False) == before
