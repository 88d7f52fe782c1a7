"""``cajd data dump``: the whole store (both origins) written back as dataset YAML.

It is the builder (``build.py``) run backwards: one file per record, nested entries (delegations,
positions, participations …) back inside their record, citations back as ``sources`` and conflicts
as ``conflicts``. Ids the builder derives (a delegation's ``event.party``, a citation's digest) are
derived again on reload, so loading a dump gives every row back unchanged; the round-trip tests
prove it on the bundled record and on workspace work. Soft-deleted rows are not written: the YAML
format has no place for them (they stay in the database and its audit log).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection

from cajd.dataset.adoption import dump_adoption
from cajd.dataset.build import digest_id
from cajd.dataset.moments import stamp
from cajd.dataset.monitoring import dump_assessments, dump_evidence, dump_rounds
from cajd.dataset.writer import data_tables
from cajd.fuzzydate import FuzzyDate

Doc = dict[str, Any]
_FIELD = re.compile(r"^(?:(?P<at>.*); )?field (?P<field>\S+)$")


def _date(date: dt.date | None, precision: str | None) -> str | None:
    value = FuzzyDate.from_columns(date, precision)
    return str(value) if value else None


def _names(row: sa.RowMapping, prefix: str) -> Doc:
    return {lang: row[f"{prefix}_{lang}"] for lang in ("en", "ja", "ru") if row[f"{prefix}_{lang}"]}


def _clean(doc: Doc) -> Doc:
    """Leave out what is empty, so a dump reads like a hand-written file."""
    return {k: v for k, v in doc.items() if v is not None and v != []}


@dataclass
class Store:
    """Every live row, by table and id, and the citations, conflicts and tags by subject."""

    rows: dict[str, dict[str, sa.RowMapping]]
    cites: dict[tuple[str, str], list[sa.RowMapping]] = field(default_factory=dict)
    conflicts: dict[tuple[str, str], list[sa.RowMapping]] = field(default_factory=dict)
    claims: dict[str, list[sa.RowMapping]] = field(default_factory=dict)
    tags: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    translated: dict[tuple[str, str], dict[str, Doc]] = field(default_factory=dict)

    @classmethod
    def read(cls, connection: Connection) -> Store:
        rows = {
            t.name: {
                r.id: r._mapping
                for r in connection.execute(sa.select(t).where(t.c.deleted_at.is_(None)))
            }
            for t in data_tables()
        }
        store = cls(rows)
        cites, conflicts, claims, tags = (defaultdict(list) for _ in range(4))
        for row in rows["citation"].values():
            cites[(row["subject_kind"], row["subject_id"])].append(row)
        for row in rows["conflict"].values():
            conflicts[(row["subject_kind"], row["subject_id"])].append(row)
        for row in rows["conflict_claim"].values():
            claims[row["conflict_id"]].append(row)
        for row in sorted(rows["area_tag"].values(), key=lambda r: r["id"]):
            tags[(row["subject_kind"], row["subject_id"])].append(row["area_id"])
        store.cites, store.conflicts, store.claims, store.tags = cites, conflicts, claims, tags
        for row in sorted(rows["translation"].values(), key=lambda r: r["id"]):
            fields = store.translated.setdefault((row["subject_kind"], row["subject_id"]), {})
            fields.setdefault(row["field"], {})[row["lang"]] = row["text"]
        return store

    def children(self, table: str, column: str, parent: str) -> list[sa.RowMapping]:
        return sorted(
            (r for r in self.rows[table].values() if r[column] == parent), key=lambda r: r["id"]
        )

    def sources(self, kind: str, subject: str, first: str | None = None) -> list[Doc]:
        refs = [_source_ref(kind, subject, c) for c in self.cites.get((kind, subject), [])]
        # Sorted for a stable file; ``first`` is a source an id is derived from (stated counts).
        return sorted(refs, key=lambda s: (s["source"] != first, s["source"], str(s)))

    def sourced(self, kind: str, subject: str, first: str | None = None) -> Doc:
        conflicts = [
            self._conflict(c)
            for c in sorted(self.conflicts.get((kind, subject), []), key=lambda r: r["field"])
        ]
        return {"sources": self.sources(kind, subject, first), "conflicts": conflicts}

    def translations(self, kind: str, subject: str) -> Doc | None:
        """cajd's translations of a record's own text, as its ``translations:`` block."""
        found = self.translated.get((kind, subject))
        return {name: {lang: by[lang] for lang in ("ja", "ru") if lang in by}
                for name, by in sorted(found.items())} if found else None

    def _conflict(self, row: sa.RowMapping) -> Doc:
        claims = sorted(self.claims.get(row["id"], []), key=lambda c: int(c["id"].rsplit("#")[1]))
        return _clean(
            {
                "field": row["field"],
                "note": row["note"],
                "claims": [
                    _clean(
                        {
                            "value": c["value"],
                            "preferred": c["preferred"] or None,
                            "reason": c["reason"],
                            "sources": self.sources("conflict_claim", c["id"]),
                        }
                    )
                    for c in claims
                ],
            }
        )

    def areas(self, kind: str, subject: str) -> list[str]:
        return self.tags.get((kind, subject), [])


def _source_ref(kind: str, subject: str, row: sa.RowMapping) -> Doc:
    """A citation back as ``{source, at, field}``: the locator joined the two, so each reading
    of it is tried against the citation's id (a digest of them) and the matching one is kept."""
    locator, source = row["locator"], row["source_id"]
    readings: list[tuple[str | None, str | None]] = [(locator, None)]
    if locator and (match := _FIELD.match(locator)):
        readings.insert(0, (match["at"], match["field"]))
    for at, fld in readings:
        if digest_id("c-", kind, subject, fld, source, at) == row["id"]:
            break
    else:
        at, fld = readings[0]
    return _clean({"source": source, "at": at, "field": fld})


def _sources_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for row in store.rows["source"].values():
        doc = {k: row[k] for k in ("id", "kind", "title", "author", "publisher", "published")}
        accessed = row["accessed"].isoformat() if row["accessed"] else None
        doc |= {"url": row["url"], "accessed": accessed}
        doc |= {"file": row["file"], "official": row["official"] or None, "note": row["note"]}
        out[f"sources/{row['id']}.yaml"] = _clean(doc)
    return out


def _parties_docs(store: Store) -> dict[str, Doc]:
    return {
        f"parties/{r['id']}.yaml": _clean(
            {"id": r["id"], "kind": r["kind"], "name": _names(r, "name")}
            | store.sourced("party", r["id"])
        )
        for r in store.rows["party"].values()
    }


def _dialogues_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["dialogue"].values():
        parts = [
            _clean(
                {
                    "party": p["party_id"],
                    "role": p["role"],
                    "start": _date(p["start_date"], p["start_precision"]),
                    "end": _date(p["end_date"], p["end_precision"]),
                    "note": p["note"],
                }
                | store.sourced("participation", p["id"])
            )
            for p in store.children("participation", "dialogue_id", r["id"])
        ]
        doc = {
            "id": r["id"],
            "name": _names(r, "name"),
            "partner": r["partner_id"],
            "founded": _date(r["founded_date"], r["founded_precision"]),
            "founded_city": r["founded_city"],
            "founded_country": r["founded_country"],
            "description": r["description"],
            "translations": store.translations("dialogue", r["id"]),
            "participations": parts,
        }
        out[f"dialogues/{r['id']}.yaml"] = _clean(doc | store.sourced("dialogue", r["id"]))
    return out


def _areas_docs(store: Store) -> dict[str, Doc]:
    return {
        f"areas/{r['id']}.yaml": _clean(
            {"id": r["id"], "name": _names(r, "name"), "parent": r["parent_id"]}
            | store.sourced("area", r["id"])
        )
        for r in store.rows["area"].values()
    }


def _places_docs(store: Store) -> dict[str, Doc]:
    return {
        f"places/{r['id']}.yaml": _clean(
            {"id": r["id"], "kind": r["kind"], "name": _names(r, "name"), "country": r["country"],
             "city": r["city_id"]}
            | store.sourced("place", r["id"])
        )
        for r in store.rows["place"].values()
    }


def _gaps(store: Store, body: str) -> list[Doc]:
    # One entry per (note, searched): the builder makes one row per number of an entry.
    grouped: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for gap in sorted(store.children("declared_gap", "body_id", body), key=lambda g: g["number"]):
        grouped[(gap["note"], tuple(gap["searched"]))].append(gap["number"])
    return [
        {"numbers": numbers, "note": note, "searched": list(searched)}
        for (note, searched), numbers in grouped.items()
    ]


def _bodies_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["body"].values():
        counts = []
        for c in store.children("stated_count", "body_id", r["id"]):
            # The id ends with the first source's id: that source is written first again.
            as_of = _date(c["as_of_date"], c["as_of_precision"])
            first = c["id"].removeprefix(f"{r['id']}.count.{as_of}.")
            counts.append(
                _clean(
                    {
                        "count": c["count"],
                        "as_of": as_of,
                        "note": c["note"],
                    }
                    | store.sourced("stated_count", c["id"], first)
                )
            )
        doc = {
            "id": r["id"],
            "dialogue": r["dialogue_id"],
            "code": r["code"],
            "name": _names(r, "name"),
            "kind": r["kind"],
            "status": r["status"],
            "reports_to": r["reports_to_id"],
            "proposed": _date(r["proposed_date"], r["proposed_precision"]),
            "established": _date(r["established_date"], r["established_precision"]),
            "description": r["description"],
            "translations": store.translations("body", r["id"]),
            "nominal_rank": r["nominal_rank"],
            "nominal_rank_convention": r["nominal_rank_convention"],
            "stated_counts": counts,
            "gaps": _gaps(store, r["id"]),
        }
        out[f"bodies/{r['id']}.yaml"] = _clean(doc | store.sourced("body", r["id"]))
    return out


def _persons_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["person"].values():
        positions = [
            _clean(
                {
                    "title": _names(p, "title"),
                    "party": p["party_id"],
                    "start": _date(p["start_date"], p["start_precision"]),
                    "end": _date(p["end_date"], p["end_precision"]),
                }
                | store.sourced("position", p["id"])
            )
            for p in store.children("position", "person_id", r["id"])
        ]
        doc = {"id": r["id"], "name": _names(r, "name"), "positions": positions}
        out[f"persons/{r['id']}.yaml"] = _clean(doc | store.sourced("person", r["id"]))
    return out


def _members(store: Store, delegation: str) -> list[Doc]:
    # The builder numbers members in list order (``delegation#n``): write them in that order.
    return [
        _clean({"person": m["person_id"], **{k: m[k] for k in ("name", "title", "rank")}})
        for m in sorted(
            store.children("delegation_member", "delegation_id", delegation),
            key=lambda m: m["position"],
        )
    ]


def _events_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["event"].values():
        delegations = [
            _clean(
                {
                    "party": d["party_id"],
                    "role": d["role"],
                    "head": d["head_id"],
                    "title": d["head_title"],
                    "rank": d["rank"],
                    "note": d["note"],
                    "head_name": d["head_name"],
                    "members": _members(store, d["id"]),
                    "registration": d["registration"],
                    "registered_by": d["registered_by"],
                    "registered_at": stamp(d["registered_at"]),
                    "confirmed_by": d["confirmed_by"],
                    "confirmed_at": stamp(d["confirmed_at"]),
                }
                | store.sourced("delegation", d["id"])
            )
            for d in store.children("delegation", "event_id", r["id"])
        ]
        agenda = [
            _clean(
                {
                    "item": int(a["id"].rsplit(".", 1)[1]),
                    "title": _names(a, "title"),
                    "status": a["status"],
                    "areas": store.areas("agenda_item", a["id"]),
                }
            )
            for a in sorted(
                store.children("agenda_item", "event_id", r["id"]), key=lambda a: a["position"]
            )
        ]
        doc = {
            "id": r["id"],
            "body": r["body_id"],
            "number": r["number"],
            "extraordinary": r["extraordinary"] or None,
            "name": _names(r, "name"),
            "start": _date(r["start_date"], r["start_precision"]),
            "end": _date(r["end_date"], r["end_precision"]),
            **{k: r[k] for k in ("city", "country", "venue")},
            "host": r["host_id"],
            "chair": r["chair_id"],
            "format": r["format"],
            "status": r["status"],
            "cancellation_reason": r["cancellation_reason"],
            "description": r["description"],
            "translations": store.translations("event", r["id"]),
            "areas": store.areas("event", r["id"]),
            "agenda": agenda,
            "delegations": delegations,
        }
        out[f"events/{r['body_id']}/{r['id']}.yaml"] = _clean(doc | store.sourced("event", r["id"]))
    return out


def _documents_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["document"].values():
        doc = {
            "id": r["id"],
            "dialogue": r["dialogue_id"],
            "kind": r["kind"],
            "title": _names(r, "title"),
            "title_official": r["title_is_official"] or None,
            "adopted_at": r["event_id"],
            "date": _date(r["date"], r["date_precision"]),
            "languages": r["languages"].split(",") if r["languages"] else [],
            **{k: r[k] for k in ("url", "text", "licence", "description")},
            "areas": store.areas("document", r["id"]),
            **dump_adoption(store, r),
        }
        out[f"documents/{r['id']}.yaml"] = _clean(doc | store.sourced("document", r["id"]))
    return out


def _commitments_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["commitment"].values():
        doc = {
            "id": r["id"],
            "dialogue": r["dialogue_id"],
            "party": r["party_id"],
            "kind": r["kind"],
            "description": r["description"],
            "made_at": r["event_id"],
            "document": r["document_id"],
            **{k: r[k] for k in ("amount", "currency", "amount_usd")},
            "usd_rate_source": r["usd_rate_source_id"],
            **{k: r[k] for k in ("target_quantity", "target_unit")},
            "due": _date(r["due_date"], r["due_precision"]),
            "areas": store.areas("commitment", r["id"]),
            "paragraph": r["paragraph"],
            "guideline": {level: r[f"guideline_{level}"] for level in ("full", "partial", "none")}
            if r["guideline_full"] else None,
        }
        out[f"commitments/{r['id']}.yaml"] = _clean(doc | store.sourced("commitment", r["id"]))
    return out


def _implementation_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["implementation_record"].values():
        doc = {
            "id": r["id"],
            "dialogue": r["dialogue_id"],
            "commitment": r["commitment_id"],
            "event": r["event_id"],
            "date": _date(r["date"], r["date_precision"]),
            "description": r["description"],
            "implementer": r["implementer"],
            "beneficiaries": r["beneficiaries"].split(",") if r["beneficiaries"] else [],
            **{k: r[k] for k in ("amount", "currency", "quantity", "unit")},
            "evidence": dump_evidence(store, "implementation_record", r["id"]),
        }
        out[f"implementation/{r['id']}.yaml"] = _clean(
            doc | store.sourced("implementation_record", r["id"])
        )
    return out


def _reports_docs(store: Store) -> dict[str, Doc]:
    out = {}
    for r in store.rows["national_report"].values():
        items = sorted(
            store.children("national_report_item", "report_id", r["id"]),
            key=lambda i: int(i["id"].rsplit("#", 1)[1]),
        )
        doc = {
            "id": r["id"],
            "party": r["party_id"],
            "document": r["document_id"],
            "date": _date(r["date"], r["date_precision"]),
            "title": r["title"],
            "items": [
                _clean({k: i[k] for k in ("item", "status", "narrative")} | {"area": i["area_id"]})
                for i in items
            ],
        }
        out[f"reports/{r['id']}.yaml"] = _clean(doc | store.sourced("national_report", r["id"]))
    return out


KINDS = (
    _sources_docs,
    _parties_docs,
    _dialogues_docs,
    _areas_docs,
    _places_docs,
    _bodies_docs,
    _persons_docs,
    _events_docs,
    _documents_docs,
    _commitments_docs,
    _implementation_docs,
    _reports_docs,
    dump_rounds,
    dump_assessments,
)


def documents(connection: Connection) -> dict[str, Doc]:
    """Every file of the dump: its path under the dataset folder, and what it holds."""
    store = Store.read(connection)
    return {path: doc for kind in KINDS for path, doc in kind(store).items()}


class _Dumper(yaml.SafeDumper):
    pass


# Vocabulary values are str subclasses: write them as the plain strings they are.
_Dumper.add_multi_representer(str, lambda d, v: d.represent_str(str(v)))


def dump(connection: Connection, directory: Path) -> int:
    """Write the store as a dataset folder (which must not hold a dataset already)."""
    if directory.exists() and any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty: dump into a new folder")
    files = documents(connection)
    for path, doc in sorted(files.items()):
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        target.write_text(text, encoding="utf-8")
    return len(files)
