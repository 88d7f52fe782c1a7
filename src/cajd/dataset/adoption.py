"""A document's adoption in the dataset format, both ways: the builder's rows for its versions,
endorsements and comments (``build_adoption``), and the dump's nested entries back from those
rows (``dump_adoption``). Ids are derived, never written: ``doc.v2``, ``doc.v2.KZ``,
``doc.comment.3`` (the comment's place in the list), so a dump reloads every row unchanged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cajd.dataset import records as r
from cajd.dataset.moments import stamp
from cajd.dataset.reader import Loaded

if TYPE_CHECKING:  # the builder imports this module
    from cajd.dataset.build import Builder
    from cajd.dataset.dump import Store


def version_id(document_id: str, number: int) -> str:
    return f"{document_id}.v{number}"


def endorsement_id(document_id: str, number: int, party_id: str) -> str:
    return f"{version_id(document_id, number)}.{party_id}"


def comment_id(document_id: str, n: int) -> str:
    return f"{document_id}.comment.{n}"


def build_adoption(builder: Builder, one: Loaded, rec: r.DocumentRecord) -> None:
    from cajd.dataset.build import names

    for i, v in enumerate(rec.versions):
        builder.add("document_version", {
            "id": version_id(rec.id, v.version), "document_id": rec.id, "number": v.version,
            **names("title", v.title), "text": v.text, "note": v.note, "created_by": v.by,
            "created_at": v.at,
        }, one, ("versions", i))
    for i, e in enumerate(rec.endorsements):
        loc = ("endorsements", i)
        party = builder.ref("party", e.party, one, (*loc, "party"))
        builder.add("endorsement", {
            "id": endorsement_id(rec.id, e.version, party or e.party), "document_id": rec.id,
            "text_version": e.version, "party_id": party, "reservation": e.reservation,
            "endorsed_by": e.by, "endorsed_at": e.at,
        }, one, loc)
    for i, c in enumerate(rec.comments):
        loc = ("comments", i)
        builder.add("document_comment", {
            "id": comment_id(rec.id, i + 1), "document_id": rec.id, "text_version": c.version,
            "kind": c.kind, "party_id": builder.ref("party", c.party, one, (*loc, "party")),
            "text": c.text, "author": c.by, "at": c.at,
        }, one, loc)




def _clean(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if v is not None}


def dump_adoption(store: Store, row: Any) -> dict[str, Any]:
    """The adoption fields of a document's file (none for a document of the bundled record,
    which is adopted and has no versions: its file stays as it was written)."""
    from cajd.dataset.dump import _names

    doc_id = row["id"]
    versions = sorted(store.children("document_version", "document_id", doc_id),
                      key=lambda v: v["number"])
    endorsements = sorted(store.children("endorsement", "document_id", doc_id),
                          key=lambda e: (e["text_version"], e["party_id"]))
    comments = sorted(store.children("document_comment", "document_id", doc_id),
                      key=lambda c: int(c["id"].rsplit(".", 1)[1]))
    return {
        "status": None if row["status"] == "adopted" else row["status"],
        "adopted_version": row["adopted_version"],
        "versions": [_clean({
            "version": v["number"], "title": _names(v, "title"), "text": v["text"],
            "note": v["note"], "by": v["created_by"], "at": stamp(v["created_at"]),
        }) for v in versions],
        "endorsements": [_clean({
            "party": e["party_id"], "version": e["text_version"], "reservation": e["reservation"],
            "by": e["endorsed_by"], "at": stamp(e["endorsed_at"]),
        }) for e in endorsements],
        "comments": [_clean({
            "kind": c["kind"], "version": c["text_version"], "party": c["party_id"],
            "text": c["text"], "by": c["author"], "at": stamp(c["at"]),
        }) for c in comments],
    }
