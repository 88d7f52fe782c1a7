"""Commitments and their implementation on both databases, through the real app: registered
from an adopted document only (a draft's is refused, naming the field), a bundled commitment
edited like any other and kept through a load, implementation records with evidence (a link, or
a file whose type is read from its bytes, size-limited, stored under its digest and served with
a safe type), and all of it dumped and reloaded unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.dataset import pipeline
from cajd.dataset.dump import dump
from cajd.model import Commitment, Evidence
from tests.test_origins import fresh_engine, snapshot
from tests.writes.commitments import ACTION_PLAN, BUNDLED, PDF, registering
from tests.writes.documents import drafted
from tests.writes.registry import World, world

__all__ = ["fresh_engine", "world"]


@pytest.fixture(autouse=True)
def evidence_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "evidence"
    monkeypatch.setenv("CAJD_EVIDENCE_DIR", str(folder))
    monkeypatch.setenv("CAJD_EVIDENCE_MAX_BYTES", "4096")
    return folder


def api(world: World, method: str, path: str, body: dict[str, Any] | None = None,
        user: str = "secretariat", files: Any = None) -> Any:
    return world.call_json(user, method, path, body, files=files)


def test_a_commitment_is_registered_from_an_adopted_document_only(world: World) -> None:
    draft = drafted(world)
    before = world.state()
    refused = api(world, "POST", f"/api/v1/documents/{draft['id']}/commitments",
                  registering({}))
    assert refused.status_code == 422 and "document" in refused.json()["error"], refused.text
    assert world.state() == before
    no_paragraph = api(world, "POST", f"/api/v1/documents/{ACTION_PLAN}/commitments",
                       {**registering({}), "paragraph": " "})
    assert no_paragraph.status_code == 422 and "paragraph" in no_paragraph.json()["error"]
    half_guideline = api(world, "POST", f"/api/v1/documents/{ACTION_PLAN}/commitments",
                         {**registering({}), "amount": 5})
    assert half_guideline.status_code == 422, half_guideline.text
    assert "amount and currency go together" in half_guideline.json()["error"]
    done = api(world, "POST", f"/api/v1/documents/{ACTION_PLAN}/commitments", registering({}))
    assert done.status_code == 201, done.text
    row = done.json()["data"]
    assert row["document_id"] == ACTION_PLAN and row["event_id"] == "caj-fmm-2"
    assert row["paragraph"] == "§3(2)" and row["areas"] == ["water"]
    assert row["guideline_full"] == "100 or more trained by 2008."
    assert row["id"].startswith("jp-2006-") and row["origin"] == "workspace"
    page = world.anonymous.get(f"/en/commitments/{row['id']}")
    assert page.status_code == 200 and "Training for water engineers." in page.text


def test_a_bundled_commitment_is_edited_and_a_load_keeps_the_edit(world: World) -> None:
    with Session(world.engine) as db:
        version = db.get(Commitment, BUNDLED).version  # type: ignore[union-attr]
    guideline = {"full": "2,000 trained by 2022.", "partial": "Fewer.", "none": "None."}
    done = api(world, "PATCH", f"/api/v1/commitments/{BUNDLED}",
               {"version": version, "paragraph": "§4(3)1", "guideline": guideline})
    assert done.status_code == 200, done.text
    assert done.json()["data"]["target_quantity"] == 2000  # unchanged terms stay
    assert done.json()["data"]["guideline_partial"] == "Fewer."
    stale = api(world, "PATCH", f"/api/v1/commitments/{BUNDLED}",
                {"version": version, "paragraph": "other"})
    assert stale.status_code == 409
    bad = api(world, "PATCH", f"/api/v1/commitments/{BUNDLED}",
              {"version": version + 1, "currency": "XXQ", "amount": 5})
    assert bad.status_code == 422 and "currency" in bad.json()["error"], bad.text
    pipeline.load(world.engine, prefer="workspace")
    with Session(world.engine) as db:
        row = db.get(Commitment, BUNDLED)
        assert row is not None and row.paragraph == "§4(3)1" and row.guideline_none == "None."


def test_evidence_files_are_checked_stored_by_digest_and_served_safely(
        world: World, evidence_folder: Path) -> None:
    done = api(world, "POST", f"/api/v1/commitments/{BUNDLED}/implementation",
               {"description": "Trainees received.", "date": "2026",
                "evidence_url": "https://example.org/list"})
    assert done.status_code == 201, done.text
    record = done.json()["data"]
    assert [e["url"] for e in record["evidence"]] == ["https://example.org/list"]
    path = f"/api/v1/implementation/{record['id']}/evidence"
    before = world.state()
    for name, data, claimed, why in (
            ("page.pdf", b"<html><script>alert(1)</script>", "application/pdf", "text/plain"),
            ("x.bin", b"\x00\x01\x02", "application/octet-stream", "not an accepted type"),
            ("big.pdf", PDF + b"x" * 5000, "application/pdf", "at most 4,096 bytes")):
        refused = api(world, "POST", path, {"version": record["version"]},
                      files={"file": (name, data, claimed)})
        assert refused.status_code == 422, refused.text
        assert "file" in refused.json()["error"] and why in refused.json()["error"]
    assert world.state() == before
    added = api(world, "POST", path, {"version": record["version"], "title": "The list"},
                files={"file": ("../../etc/list.pdf", PDF, "application/pdf")})
    assert added.status_code == 201, added.text
    stored = added.json()["data"]["evidence"][1]
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored["sha256"] == digest and stored["file_name"] == "list.pdf"
    assert (evidence_folder / digest[:2] / digest).read_bytes() == PDF
    served = world.anonymous.get(f"/evidence/{stored['id']}")
    assert served.status_code == 200 and served.content == PDF
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in served.headers["content-security-policy"]
    text = api(world, "POST", path, {"version": added.json()["data"]["version"]},
               files={"file": ("notes.html", b"<b>plain words</b>", "text/plain")})
    assert text.status_code == 201, text.text
    note = text.json()["data"]["evidence"][2]
    served = world.anonymous.get(f"/evidence/{note['id']}")
    assert served.headers["content-type"].startswith("text/plain")
    assert served.headers["content-disposition"].startswith("attachment")
    assert world.anonymous.get(f"/evidence/{record['evidence'][0]['id']}").status_code == 404
    focal_jp = api(world, "POST", f"/api/v1/commitments/{BUNDLED}/implementation",
                   {"description": "Japan's own account."}, user="focal_jp")
    assert focal_jp.status_code == 201, focal_jp.text


def test_commitments_and_evidence_dump_and_reload_unchanged(
        world: World, fresh_engine: Engine, tmp_path: Path) -> None:
    made = api(world, "POST", f"/api/v1/documents/{ACTION_PLAN}/commitments", registering({}))
    assert made.status_code == 201, made.text
    done = api(world, "POST", f"/api/v1/commitments/{made.json()['data']['id']}/implementation",
               {"description": "Engineers trained.", "date": "2007-04", "quantity": 40,
                "unit": "engineers", "evidence_url": "https://example.org/t"})
    record = done.json()["data"]
    api(world, "POST", f"/api/v1/implementation/{record['id']}/evidence",
        {"version": record["version"]}, files={"file": ("l.pdf", PDF, "application/pdf")})
    with world.engine.connect() as connection:
        dump(connection, tmp_path / "dump")
    assert [str(p) for p in pipeline.build(tmp_path / "dump").problems] == []
    written = yaml.safe_load(
        (tmp_path / "dump" / "implementation" / f"{record['id']}.yaml").read_text())
    assert [bool(e.get("sha256")) for e in written["evidence"]] == [False, True]
    pipeline.load(fresh_engine, tmp_path / "dump")
    assert snapshot(fresh_engine, tracked=False) == snapshot(world.engine, tracked=False)
    with Session(fresh_engine) as db:
        assert db.query(Evidence).filter_by(subject_id=record["id"]).count() == 2
