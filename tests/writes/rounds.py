"""Examples for reporting rounds (``cajd.web.rounds_api``): open and close a round (the
secretariat), save, submit and amend Kazakhstan's report (KZ's focal point; UZ's is refused).

Rounds are opened through ``cajd.workflow.rounds`` on the ``caj`` dialogue (members JP, KZ, KG,
TJ, UZ), with one item in the secretariat's words and one from the bundled commitment.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cajd.workflow import rounds as service
from tests.writes.registry import World, WriteExample, register

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BUNDLED = "jp-2017-trainees-2000"  # a commitment of the caj dialogue in the bundled record


def opened(world: World, deadline: str = "2026-03-31") -> dict[str, Any]:
    with Session(world.engine) as db, db.begin():
        done = service.open_round(
            db, world.actor("secretariat"), dialogue="caj", title_en="Action Plan review",
            title_ja="行動計画の点検", deadline=deadline, commitments=[BUNDLED],
            items=["Water engineers trained."])
    return {"id": done["id"], "version": done["version"],
            "items": [i["id"] for i in done["items"]]}


def drafted(world: World, party: str = "KZ") -> dict[str, Any]:
    ctx = opened(world)
    with Session(world.engine) as db, db.begin():
        done = service.save_report(db, world.actor(f"focal_{party.lower()}"), ctx["id"], party,
                                   {ctx["items"][0]: ("in_progress", "Begun.", "en")})
    return ctx | {"version": done["version"], "report": done["id"]}


def submitted(world: World, party: str = "KZ") -> dict[str, Any]:
    ctx = drafted(world, party)
    with Session(world.engine) as db, db.begin():
        done = service.submit_report(db, world.actor(f"focal_{party.lower()}"), ctx["id"],
                                     party, ctx["version"])
    return ctx | {"version": done["version"]}


def _register(route: str, method: str, prepare: Any, path: Any, body: Any, allowed: str,
              other: str, text_fields: tuple[str, ...], versioned: bool = True,
              files: Any = None) -> None:
    register(WriteExample(route=route, method=method, prepare=prepare, path=path, body=body,
                          allowed=allowed, other_party=other, versioned=versioned, form=False,
                          text_fields=text_fields, files=files))


_register("open_round", "POST", lambda world: {},
          lambda ctx: "/api/v1/dialogues/caj/rounds",
          lambda ctx: {"title_en": "Roadmap review 2027",
                       "title_ru": "Обзор дорожной карты", "deadline": "2027-03-31",
                       "commitments": [BUNDLED], "items": [{"en": "Border posts equipped."}]},
          "secretariat", "focal_kz", ("title_en", "title_ja", "title_ru"), versioned=False)
_register("close_round", "POST", opened, lambda ctx: f"/api/v1/rounds/{ctx['id']}/close",
          lambda ctx: {"version": ctx["version"]}, "secretariat", "focal_kz", ())
_register("save_report", "PUT", drafted, lambda ctx: f"/api/v1/rounds/{ctx['id']}/reports/KZ",
          lambda ctx: {"version": ctx["version"], "entries": [
              {"item": ctx["items"][1], "status": "completed", "narrative": "Готово.",
               "lang": "ru"}]},
          "focal_kz", "focal_uz", ())
_register("submit_report", "POST", drafted,
          lambda ctx: f"/api/v1/rounds/{ctx['id']}/reports/KZ/submit",
          lambda ctx: {"version": ctx["version"]}, "focal_kz", "focal_uz", ())
_register("amend_report", "POST", submitted,
          lambda ctx: f"/api/v1/rounds/{ctx['id']}/reports/KZ/amend",
          lambda ctx: {"version": ctx["version"], "note": "Item 1 completed since."},
          "focal_kz", "focal_uz", ("note",))
_register("add_report_evidence", "POST", drafted,
          lambda ctx: f"/api/v1/rounds/{ctx['id']}/reports/KZ/items/{ctx['items'][0]}/evidence",
          lambda ctx: {"version": ctx["version"], "title": "Training list", "date": "2026-05"},
          "focal_kz", "focal_uz", ("title",),
          files=lambda ctx: {"file": ("list.pdf", PDF, "application/pdf")})
