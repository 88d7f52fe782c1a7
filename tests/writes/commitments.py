"""Examples for commitments and their implementation (``cajd.web.commitments_api``): register
from an adopted document, change the terms (of the bundled record's commitment), record an
implementation record, add evidence (a file, multipart)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cajd.model import Commitment
from cajd.workflow import commitments as service
from tests.writes.registry import World, WriteExample, register

ACTION_PLAN = "caj-fmm-2-action-plan"  # adopted, in the bundled record
BUNDLED = "jp-2017-trainees-2000"  # Japan's commitment: a focal point of KZ may not touch it
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def adopted(world: World) -> dict[str, Any]:
    return {"document": ACTION_PLAN}


def bundled(world: World) -> dict[str, Any]:
    with Session(world.engine) as db:
        row = db.get(Commitment, BUNDLED)
        assert row is not None
        return {"id": BUNDLED, "version": row.version}


def recorded(world: World) -> dict[str, Any]:
    with Session(world.engine) as db, db.begin():
        done = service.record_implementation(
            db, world.actor("secretariat"), BUNDLED,
            service.Progress(description="Trainees received in 2026.", date="2026"))
    return {"id": done["id"], "version": done["version"]}


def registering(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"party": "JP", "kind": "capacity_building", "paragraph": "§3(2)",
            "description": "Training for water engineers.", "target_quantity": 100,
            "target_unit": "engineers", "due": "2008", "areas": ["water"],
            "guideline": {"full": "100 or more trained by 2008.", "partial": "Some trained.",
                          "none": "None trained."}}


def _register(route: str, method: str, prepare: Any, path: Any, body: Any,
              text_fields: tuple[str, ...], versioned: bool = True, files: Any = None) -> None:
    register(WriteExample(route=route, method=method, prepare=prepare, path=path, body=body,
                          allowed="secretariat", other_party="focal_kz", versioned=versioned,
                          form=False, text_fields=text_fields, files=files))


_register("register_commitment", "POST", adopted,
          lambda ctx: f"/api/v1/documents/{ctx['document']}/commitments", registering,
          ("description", "paragraph", "target_unit"), versioned=False)
_register("update_commitment", "PATCH", bundled, lambda ctx: f"/api/v1/commitments/{ctx['id']}",
          lambda ctx: {"version": ctx["version"], "paragraph": "§4(3)1",
                       "description": "Training in Japan for about 2,000 people."},
          ("description", "paragraph"))
_register("record_implementation", "POST", bundled,
          lambda ctx: f"/api/v1/commitments/{ctx['id']}/implementation",
          lambda ctx: {"description": "A training course held.", "date": "2026-05",
                       "implementer": "JICA", "evidence_url": "https://example.org/course",
                       "evidence_title": "Course page"},
          ("description", "implementer", "evidence_title"), versioned=False)
_register("add_evidence", "POST", recorded,
          lambda ctx: f"/api/v1/implementation/{ctx['id']}/evidence",
          lambda ctx: {"version": ctx["version"], "title": "Scanned list", "date": "2026-06"},
          ("title",), files=lambda ctx: {"file": ("list.pdf", PDF, "application/pdf")})
