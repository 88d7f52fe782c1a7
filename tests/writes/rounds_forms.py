"""Examples for the reporting rounds' HTML forms (``cajd.web.rounds_forms``): open, remind and
close (the secretariat); save, submit and amend Kazakhstan's report (KZ's focal point; UZ's is
refused, the party being in the path). The state comes from ``tests.writes.rounds``."""

from __future__ import annotations

from typing import Any

from tests.writes.commitments import PDF
from tests.writes.registry import WriteExample, register
from tests.writes.rounds import BUNDLED, drafted, opened, submitted


def _form(route: str, prepare: Any, path: Any, body: Any, allowed: str, other: str | None,
          versioned: bool = True, text_fields: tuple[str, ...] = (), files: Any = None) -> None:
    register(WriteExample(route=route, method="POST", prepare=prepare, path=path, body=body,
                          allowed=allowed, other_party=other, versioned=versioned, form=True,
                          text_fields=text_fields, files=files))


def _round(act: str) -> Any:
    return lambda ctx: f"/en/workspace/rounds/{ctx['id']}/{act}"


_form("open_round_form", lambda world: {}, lambda ctx: "/en/workspace/rounds",
      lambda ctx: {"dialogue": "caj", "title_en": "Roadmap review 2027", "title_ja": "",
                   "title_ru": "Обзор дорожной карты", "deadline": "2027-03-31",
                   f"commitment_{BUNDLED}": "on", "items": "Border posts equipped."},
      "secretariat", "focal_kz", versioned=False, text_fields=("title_en", "items"))
_form("close_round_form", opened, _round("close"), lambda ctx: {"version": ctx["version"]},
      "secretariat", "focal_kz")
_form("remind_round_form", opened, _round("remind"), lambda ctx: {}, "secretariat", "focal_kz",
      versioned=False)
_form("save_report_form", drafted, _round("reports/KZ"),
      lambda ctx: {"version": ctx["version"], "status_2": "completed",
                   "narrative_2": "Готово.", "lang_2": "ru"},
      "focal_kz", "focal_uz", text_fields=("narrative_2",))
_form("submit_report_form", drafted, _round("reports/KZ/submit"),
      lambda ctx: {"version": ctx["version"]}, "focal_kz", "focal_uz")
_form("amend_report_form", submitted, _round("reports/KZ/amend"),
      lambda ctx: {"version": ctx["version"], "note": "Item 1 completed since."},
      "focal_kz", "focal_uz", text_fields=("note",))
_form("add_report_evidence_form", drafted, _round("reports/KZ/items/1/evidence"),
      lambda ctx: {"version": ctx["version"], "evidence_title_1": "The post's inspection record"},
      "focal_kz", "focal_uz", text_fields=("evidence_title_1",),
      files=lambda ctx: {"evidence_file_1": ("record.pdf", PDF, "application/pdf")})
