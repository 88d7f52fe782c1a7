"""Monitoring in the dataset format, both ways: the builder's rows for reporting rounds,
assessments and evidence (``build_*``), and the dump's files back from those rows (``dump_*``).

Ids inside a file are derived from places, never written, so that a dump reloads every row
unchanged: ``round.item.3`` (the item's position), ``round.KZ.v2`` (a party's second version),
``round.KZ.v2.3`` (its entry on item 3), ``round.reminder.KZ.2026-03-31``, ``<assessment>.r2``
(the second revision) and ``<subject>.evidence.1`` (the first evidence of a row).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from cajd.dataset import monitoring_records as m
from cajd.dataset import records as r
from cajd.dataset.moments import stamp
from cajd.dataset.reader import Loaded

if TYPE_CHECKING:  # the builder and the dump import this module
    from cajd.dataset.build import Builder, Loc
    from cajd.dataset.dump import Store

Doc = dict[str, Any]


def item_id(round_id: str, position: int) -> str:
    return f"{round_id}.item.{position}"


def report_id(round_id: str, party: str, number: int) -> str:
    return f"{round_id}.{party}.v{number}"


def entry_id(report: str, position: int) -> str:
    return f"{report}.{position}"


def reminder_id(round_id: str, party: str, deadline: dt.date) -> str:
    return f"{round_id}.reminder.{party}.{deadline.isoformat()}"


def revision_id(assessment_file: str, revision: int) -> str:
    return f"{assessment_file}.r{revision}"


def evidence_id(subject_id: str, n: int) -> str:
    return f"{subject_id}.evidence.{n}"


# --- building rows ---------------------------------------------------------------------------


def build_evidence(builder: Builder, one: Loaded, kind: str, subject_id: str,
                   evidence: list[r.EvidenceRecord], loc: Loc) -> None:
    from cajd.dataset.build import date_columns

    for i, e in enumerate(evidence):
        builder.add("evidence", {
            "id": evidence_id(subject_id, i + 1), "subject_kind": kind, "subject_id": subject_id,
            "title": e.title, "url": e.url, "file_name": e.file, "content_type": e.type,
            "size": e.size, "sha256": e.sha256, **date_columns("date", e.date),
            "added_by": e.by, "added_at": e.at,
        }, one, (*loc, "evidence", i))


def build_round(builder: Builder, one: Loaded, rec: m.RoundRecord) -> None:
    from cajd.dataset.build import names

    builder.add("reporting_round", {
        "id": rec.id, "dialogue_id": builder.ref("dialogue", rec.dialogue, one, ("dialogue",)),
        "document_id": builder.ref("document", rec.document, one, ("document",)),
        **names("title", rec.title), "deadline": rec.deadline, "status": rec.status,
        "opened_by": rec.opened_by, "opened_at": rec.opened_at, "closed_at": rec.closed_at,
    }, one, ())
    builder.cite("reporting_round", rec.id, rec, one, ())
    for i, item in enumerate(rec.items):
        loc: Loc = ("items", i)
        builder.add("round_item", {
            "id": item_id(rec.id, i + 1), "round_id": rec.id, "position": i + 1,
            "commitment_id": builder.ref("commitment", item.commitment, one, (*loc, "commitment")),
            **names("text", item.text),
        }, one, loc)
    for i, report in enumerate(rec.reports):
        loc = ("reports", i)
        party = builder.ref("party", report.party, one, (*loc, "party")) or report.party
        rid = report_id(rec.id, party, report.version)
        builder.add("round_report", {
            "id": rid, "round_id": rec.id, "party_id": party, "number": report.version,
            "state": report.state, "note": report.note, "created_by": report.by,
            "created_at": report.at, "submitted_by": report.submitted_by,
            "submitted_at": report.submitted_at,
        }, one, loc)
        for j, entry in enumerate(report.entries):
            eloc: Loc = (*loc, "entries", j)
            if entry.item > len(rec.items):
                builder.problem(one, (*eloc, "item"),
                                f"no item {entry.item} (the round has {len(rec.items)})")
                continue
            eid = entry_id(rid, entry.item)
            builder.add("round_entry", {
                "id": eid, "report_id": rid, "item_id": item_id(rec.id, entry.item),
                "status": entry.status, "narrative": entry.narrative,
                "narrative_lang": entry.lang,
            }, one, eloc)
            build_evidence(builder, one, "round_entry", eid, entry.evidence, eloc)
    for i, reminder in enumerate(rec.reminders):
        loc = ("reminders", i)
        party = builder.ref("party", reminder.party, one, (*loc, "party")) or reminder.party
        builder.add("reminder", {
            "id": reminder_id(rec.id, party, reminder.deadline), "round_id": rec.id,
            "party_id": party, "deadline": reminder.deadline,
            "recipients": ",".join(reminder.recipients) or None, "delivery": reminder.delivery,
            "detail": reminder.detail, "sent_by": reminder.by, "sent_at": reminder.at,
        }, one, loc)


def build_assessment(builder: Builder, one: Loaded, rec: m.AssessmentRecord) -> None:
    commitment = builder.ref("commitment", rec.commitment, one, ("commitment",))
    party = builder.ref("party", rec.party, one, ("party",))
    for i, rev in enumerate(rec.revisions):
        loc: Loc = ("revisions", i)
        rid = revision_id(rec.id, i + 1)
        review = rev.review
        builder.add("assessment", {
            "id": rid, "commitment_id": commitment, "party_id": party, "period": rec.period,
            "stage": rec.stage, "revision": i + 1, "score": rev.score,
            "rationale": rev.rationale, "assessed_by": rev.by, "assessed_at": rev.at,
            "reviewed_by": review.by if review else None,
            "reviewed_at": review.at if review else None,
            "review_verdict": review.verdict if review else None,
            "review_note": review.note if review else None,
        }, one, loc)
        build_evidence(builder, one, "assessment", rid, rev.evidence, loc)


# --- dumping rows back -------------------------------------------------------------------------


def _clean(doc: Doc) -> Doc:
    return {k: v for k, v in doc.items() if v is not None and v != []}


def _n(row: Any) -> int:
    return int(str(row["id"]).rsplit(".", 1)[1])


def dump_evidence(store: Store, kind: str, subject_id: str) -> list[Doc]:
    from cajd.dataset.dump import _date

    rows = [e for e in store.children("evidence", "subject_id", subject_id)
            if e["subject_kind"] == kind]
    return [_clean({
        "title": e["title"], "url": e["url"], "file": e["file_name"], "type": e["content_type"],
        "size": e["size"], "sha256": e["sha256"], "date": _date(e["date"], e["date_precision"]),
        "by": e["added_by"], "at": stamp(e["added_at"]),
    }) for e in sorted(rows, key=_n)]




def dump_rounds(store: Store) -> dict[str, Doc]:
    from cajd.dataset.dump import _names

    out = {}
    for row in store.rows["reporting_round"].values():
        items = sorted(store.children("round_item", "round_id", row["id"]),
                       key=lambda i: i["position"])
        reports = sorted(store.children("round_report", "round_id", row["id"]),
                         key=lambda p: (p["party_id"], p["number"]))
        reminders = sorted(store.children("reminder", "round_id", row["id"]),
                           key=lambda x: (x["deadline"], x["party_id"]))
        doc = {
            "id": row["id"], "dialogue": row["dialogue_id"], "title": _names(row, "title"),
            "document": row["document_id"], "deadline": row["deadline"].isoformat(),
            "status": row["status"], "opened_by": row["opened_by"],
            "opened_at": stamp(row["opened_at"]), "closed_at": stamp(row["closed_at"]),
            "items": [_clean({"commitment": i["commitment_id"], "text": _names(i, "text")})
                      for i in items],
            "reports": [_dump_report(store, p) for p in reports],
            "reminders": [_clean({
                "party": x["party_id"], "deadline": x["deadline"].isoformat(),
                "recipients": x["recipients"].split(",") if x["recipients"] else [],
                "delivery": x["delivery"], "detail": x["detail"], "by": x["sent_by"],
                "at": stamp(x["sent_at"]),
            }) for x in reminders],
        }
        out[f"rounds/{row['id']}.yaml"] = _clean(doc | store.sourced("reporting_round",
                                                                      row["id"]))
    return out


def _dump_report(store: Store, p: Any) -> Doc:
    entries = sorted(store.children("round_entry", "report_id", p["id"]), key=_n)
    return _clean({
        "party": p["party_id"], "version": p["number"], "state": p["state"], "note": p["note"],
        "by": p["created_by"], "at": stamp(p["created_at"]),
        "submitted_by": p["submitted_by"], "submitted_at": stamp(p["submitted_at"]),
        "entries": [_clean({
            "item": _n(e), "status": e["status"], "narrative": e["narrative"],
            "lang": e["narrative_lang"], "evidence": dump_evidence(store, "round_entry", e["id"]),
        }) for e in entries],
    })


def dump_assessments(store: Store) -> dict[str, Doc]:
    files: dict[str, list[Any]] = {}
    for row in store.rows["assessment"].values():
        key = m.assessment_file_id(row["commitment_id"], row["party_id"], row["period"],
                                   row["stage"])
        files.setdefault(key, []).append(row)
    out = {}
    for key, revisions in files.items():
        first = revisions[0]
        doc = {
            "id": key, "commitment": first["commitment_id"], "party": first["party_id"],
            "period": first["period"], "stage": first["stage"],
            "revisions": [_clean({
                "score": a["score"], "rationale": a["rationale"], "by": a["assessed_by"],
                "at": stamp(a["assessed_at"]),
                "review": _clean({
                    "by": a["reviewed_by"], "at": stamp(a["reviewed_at"]),
                    "verdict": a["review_verdict"], "note": a["review_note"],
                }) or None,
                "evidence": dump_evidence(store, "assessment", a["id"]),
            }) for a in sorted(revisions, key=lambda a: a["revision"])],
        }
        out[f"assessments/{key}.yaml"] = _clean(doc)
    return out
