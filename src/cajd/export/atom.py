"""An Atom feed (RFC 4287) of changes to the public record: each data load that added or
changed meetings, documents or commitments, and each committed workspace write to a meeting
(its status, delegations, agenda), a document's adoption and a commitment (its registration,
terms, implementation records and their evidence), newest first. Only what is public now is
named: a write to a delegation not yet confirmed, or to a meeting or commitment since deleted,
is left out."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd import licence, model
from cajd.read.record import record, stamp
from cajd.read.sql import rows

ATOM = "http://www.w3.org/2005/Atom"
FEED_KINDS = {"event": "meeting", "document": "document", "commitment": "commitment"}
_PAGES = {"event": "meetings", "document": "documents", "commitment": "commitments"}
LIMIT = 100  # entries of each kind


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    updated: dt.datetime
    summary: str
    links: list[str]  # portal paths, e.g. /en/meetings/caj-fmm-4


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _loads(session: Session, public: dict[str, set[str]]) -> list[Entry]:
    run = model.LoadRun.__table__
    found = rows(session, sa.select(run.c.id, run.c.finished_at, run.c.started_at, run.c.report)
                 .order_by(run.c.id.desc()).limit(LIMIT))
    entries = []
    for r in found:
        report = json.loads(r.report)
        parts, links = [], []
        for kind, noun in FEED_KINDS.items():
            counts = report.get("counts", {}).get(kind, {})
            if counts.get("inserted"):
                parts.append(f"{counts['inserted']} {noun}(s) added")
            changed = [c["id"] for c in report.get("updated", {}).get(kind, [])
                       if c["id"] in public[kind]]
            if changed:
                parts.append(f"{len(changed)} {noun}(s) changed: {', '.join(changed)}")
                links += [f"/en/{_PAGES[kind]}/{i}" for i in changed]
        if parts:
            entries.append(Entry(f"load/{r.id}", f"Record updated (load run {r.id})",
                                 _aware(r.finished_at or r.started_at), "; ".join(parts) + ".",
                                 links))
    return entries


def _commitment_write(r: sa.Row[tuple[int, dt.datetime, str, str, str]], what: str,
                      public: dict[str, set[str]], commitments_of: dict[str, str]
                      ) -> Entry | None:
    commitment = (r.record_id if r.kind == "commitment"
                  else commitments_of.get(r.record_id))  # an implementation record's
    if commitment is None or commitment not in public["commitment"]:
        return None
    return Entry(f"write/{r.id}", f"{commitment}: {what}", _aware(r.at),
                 f"Commitment {commitment}: {what}.", [f"/en/commitments/{commitment}"])


def _writes(session: Session, public: dict[str, set[str]], events_of: dict[str, str],
            commitments_of: dict[str, str]) -> list[Entry]:
    audit = model.AuditEntry.__table__
    found = rows(session, sa.select(audit.c.id, audit.c.at, audit.c.action, audit.c.kind,
                                    audit.c.record_id)
                 .where(audit.c.kind.in_(["event", "delegation", "agenda_item", "document",
                                                   "commitment", "implementation_record"]))
                 .order_by(audit.c.id.desc()).limit(LIMIT))
    entries = []
    for r in found:
        what = r.action.replace(".", ": ").replace("_", " ")
        if r.kind == "document":  # its adoption, once public: the drafting is not public
            if r.action == "document.adopt" and r.record_id in public["document"]:
                entries.append(Entry(f"write/{r.id}", f"{r.record_id}: {what}", _aware(r.at),
                                     f"Document {r.record_id}: {what}.",
                                     [f"/en/documents/{r.record_id}"]))
            continue
        if r.kind in ("commitment", "implementation_record"):
            entry = _commitment_write(r, what, public, commitments_of)
            if entry is not None:
                entries.append(entry)
            continue
        meeting = r.record_id if r.kind == "event" else events_of.get(f"{r.kind}:{r.record_id}")
        if r.kind != "event" and f"{r.kind}:{r.record_id}" not in events_of:
            continue  # not public (an unconfirmed delegation), or gone
        if meeting is None or meeting not in public["event"]:
            continue
        entries.append(Entry(f"write/{r.id}", f"{meeting}: {what}", _aware(r.at),
                             f"Meeting {meeting}: {what}.", [f"/en/meetings/{meeting}"]))
    return entries


def entries(session: Session) -> list[Entry]:
    found = record(session)
    public = {kind: {r["id"] for r in found.tables[kind]} for kind in FEED_KINDS}
    events_of = {f"{kind}:{r['id']}": r["event_id"] for kind in ("delegation", "agenda_item")
                 for r in found.tables[kind]}
    commitments_of = {r["id"]: r["commitment_id"] for r in found.tables["implementation_record"]}
    both = _loads(session, public) + _writes(session, public, events_of, commitments_of)
    return sorted(both, key=lambda e: (e.updated, e.key), reverse=True)[:LIMIT]


def feed_bytes(session: Session, base_url: str | None = None) -> bytes:
    at = stamp(session)
    found = entries(session)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    if base_url:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base_url.rstrip("/") + "/")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    def stable_id(key: str) -> str:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"cajd:{key}").urn

    newest = found[0].updated if found else dt.datetime.combine(
        at.date or dt.date(2004, 8, 28), dt.time(), dt.UTC)
    sub(feed, "id", stable_id("feed"))
    sub(feed, "title", f"{licence.TITLE}: changes")
    sub(feed, "subtitle", f"Record version {at.version}")
    sub(feed, "updated", newest.isoformat())
    author = sub(feed, "author")
    sub(author, "name", licence.AUTHOR)
    sub(feed, "rights", f"{licence.DATA.name} ({licence.DATA.spdx}), {licence.DATA.url}")
    sub(feed, "link", rel="self", href="feed.atom")
    sub(feed, "link", rel="alternate", href="en/", type="text/html")
    sub(feed, "link", rel="license", href=licence.DATA.url)
    for entry in found:
        element = sub(feed, "entry")
        sub(element, "id", stable_id(entry.key))
        sub(element, "title", entry.title)
        sub(element, "updated", entry.updated.isoformat())
        sub(element, "summary", entry.summary)
        for link in entry.links or ["/en/"]:
            sub(element, "link", rel="alternate", href=link.lstrip("/"), type="text/html")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
