"""The analyses in the JSON API: ``/api/v1/analysis/NAME``, the same JSON as
``cajd analyze NAME --json``, in the API's envelope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from cajd.analysis import paper, runner
from cajd.analysis.agenda import Agenda
from cajd.analysis.cadence import Cadence
from cajd.analysis.commitments import Commitments
from cajd.analysis.documents import Documents
from cajd.analysis.participation import Participation
from cajd.web.api import Db
from cajd.web.envelope import ERROR_RESPONSES, Envelope, Meta

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"], responses=ERROR_RESPONSES)

BodyParam = Annotated[str, Query(description="a body id, e.g. caj-fmm", max_length=120)]
DialogueParam = Annotated[
    str | None, Query(description="a dialogue id (default: the body's own)", max_length=120)
]


def _meta(name: str, body: str) -> Meta:
    suffix = f"?body={body}" if body != "caj-fmm" else ""
    return Meta(html=f"/en/analysis/{name}{suffix}")


def _run(db: Session, name: str, body: str, dialogue: str | None) -> object:
    return runner.run(db, name, runner.Params(body=body, dialogue=dialogue or None))


@router.get("/participation", operation_id="analyseParticipation",
            summary="Delegation ranks per meeting against the nominal rank")
def participation(db: Db, body: BodyParam = "caj-fmm",
                  dialogue: DialogueParam = None) -> Envelope[Participation]:
    result = _run(db, "participation", body, dialogue)
    assert isinstance(result, Participation)
    return Envelope(data=result, meta=_meta("participation", body))


@router.get("/cadence", operation_id="analyseCadence",
            summary="Intervals between meetings, hosting rotation, next meeting")
def cadence(db: Db, body: BodyParam = "caj-fmm",
            dialogue: DialogueParam = None) -> Envelope[Cadence]:
    result = _run(db, "cadence", body, dialogue)
    assert isinstance(result, Cadence)
    return Envelope(data=result, meta=_meta("cadence", body))


@router.get("/documents", operation_id="analyseDocuments",
            summary="Documents adopted per meeting and year; first of each kind")
def documents(db: Db, body: BodyParam = "caj-fmm",
              dialogue: DialogueParam = None) -> Envelope[Documents]:
    result = _run(db, "documents", body, dialogue)
    assert isinstance(result, Documents)
    return Envelope(data=result, meta=_meta("documents", body))


@router.get("/commitments", operation_id="analyseCommitments",
            summary="Pledges in their currency and in US dollars; evidence")
def commitments(db: Db, body: BodyParam = "caj-fmm",
                dialogue: DialogueParam = None) -> Envelope[Commitments]:
    result = _run(db, "commitments", body, dialogue)
    assert isinstance(result, Commitments)
    return Envelope(data=result, meta=_meta("commitments", body))


@router.get("/agenda", operation_id="analyseAgenda",
            summary="Areas of cooperation per meeting, by pillar")
def agenda(db: Db, body: BodyParam = "caj-fmm",
           dialogue: DialogueParam = None) -> Envelope[Agenda]:
    result = _run(db, "agenda", body, dialogue)
    assert isinstance(result, Agenda)
    return Envelope(data=result, meta=_meta("agenda", body))


@router.get("/findings", operation_id="listFindings",
            summary="The seed paper's statements, each set against the record")
def findings(db: Db) -> Envelope[list[paper.Finding]]:
    found = [f for name in ("participation", "cadence", "documents")
             for f in paper.findings(runner.run(db, name))]
    return Envelope(data=found, meta=Meta(total=len(found), html="/en/analysis"))
