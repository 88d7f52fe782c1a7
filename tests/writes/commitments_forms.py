"""Examples for the commitments' HTML forms (``cajd.web.commitments_forms``): register from an
adopted document and set the terms (the secretariat), record what was done (the secretariat or
the committing party's focal point: Japan's, for a Japanese commitment; Kazakhstan's is refused).
The state comes from ``tests.writes.commitments``."""

from __future__ import annotations

from typing import Any

from tests.writes.commitments import ACTION_PLAN, BUNDLED, PDF, bundled
from tests.writes.registry import WriteExample, register


def _form(route: str, prepare: Any, path: Any, body: Any, allowed: str, versioned: bool,
          text_fields: tuple[str, ...], files: Any = None) -> None:
    register(WriteExample(route=route, method="POST", prepare=prepare, path=path, body=body,
                          allowed=allowed, other_party="focal_kz", versioned=versioned,
                          form=True, text_fields=text_fields, files=files))


_form("register_commitment_form", lambda world: {}, lambda ctx: "/en/workspace/commitments",
      lambda ctx: {"document": ACTION_PLAN, "paragraph": "§3(2)", "party": "JP",
                   "kind": "capacity_building", "description": "Training for water engineers.",
                   "due": "2008", "guideline_full": "100 trained.", "guideline_partial": "Some.",
                   "guideline_none": "None."},
      "secretariat", False, ("description", "paragraph", "guideline_full"))
_form("update_commitment_form", bundled, lambda ctx: f"/en/commitments/{ctx['id']}/terms",
      lambda ctx: {"version": ctx["version"], "paragraph": "§4(3)1",
                   "guideline_full": "About 2,000 trained in five years.",
                   "guideline_partial": "Fewer trained.", "guideline_none": "None trained."},
      "secretariat", True, ("paragraph", "guideline_full"))
_form("record_implementation_form", lambda world: {"id": BUNDLED},
      lambda ctx: f"/en/commitments/{ctx['id']}/implementation",
      lambda ctx: {"description": "A training course held.", "date": "2026-05",
                   "implementer": "JICA", "evidence_url": "https://example.org/course",
                   "evidence_title": "Course page"},
      "secretariat", False, ("description", "implementer", "evidence_title"),
      files=lambda ctx: {"evidence_file": ("list.pdf", PDF, "application/pdf")})
