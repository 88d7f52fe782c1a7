"""Resolve references between records and turn them into rows of the domain model's tables."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cajd.dataset import monitoring_records as m
from cajd.dataset import records as r
from cajd.dataset.adoption import build_adoption
from cajd.dataset.monitoring import build_assessment, build_evidence, build_round
from cajd.dataset.problems import Problem, field_path
from cajd.dataset.reader import Loaded
from cajd.dataset.yamlfile import locate
from cajd.fuzzydate import FuzzyDate

Loc = tuple[str | int, ...]
Row = dict[str, Any]
Rows = dict[str, dict[str, Row]]  # table name -> id -> column values

# What a reference names, and the folder that holds it.
FOLDER = {
    "source": "sources",
    "party": "parties",
    "dialogue": "dialogues",
    "area": "areas",
    "place": "places",
    "body": "bodies",
    "person": "persons",
    "event": "events",
    "document": "documents",
    "commitment": "commitments",
    "round": "rounds",
    "assessment": "assessments",
}
# Parties and persons may also be named by a name (any language) instead of their id.
BY_NAME = {"party", "person"}


def is_field(rec: r.Record, field: str) -> bool:
    """A field of the record, or one language of a localized field (``name.ja``): a citation of
    ``name.ja`` supports the Japanese form only (``cajd.analysis.languages``)."""
    base, _, lang = field.partition(".")
    if base not in type(rec).model_fields:
        return False
    return not lang or (
        lang in r.Localized.model_fields and isinstance(getattr(rec, base), r.Localized)
    )


@dataclass(frozen=True)
class Place:
    file: str
    line: int


def date_columns(prefix: str, value: FuzzyDate | None) -> Row:
    date_key = prefix if prefix == "date" else f"{prefix}_date"
    return {
        date_key: value.date if value else None,
        f"{prefix}_precision": value.precision.value if value else None,
    }


def names(prefix: str, text: r.Localized | None) -> Row:
    return {
        f"{prefix}_en": text.en if text else None,
        f"{prefix}_ja": text.ja if text else None,
        f"{prefix}_ru": text.ru if text else None,
    }


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def digest_id(prefix: str, *parts: object) -> str:
    return prefix + hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:20]


@dataclass
class Builder:
    loaded: Sequence[Loaded]
    rows: Rows = field(default_factory=lambda: defaultdict(dict))
    places: dict[tuple[str, str], Place] = field(default_factory=dict)
    # Where each row was built from (its record and the entry's location): the schema's limits
    # (``limits.py``) name the field a value came from.
    origins: dict[tuple[str, str], tuple[Loaded, Loc]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    index: dict[str, dict[str, Loaded]] = field(default_factory=lambda: defaultdict(dict))
    by_name: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    invalid_ids: set[tuple[str, str]] = field(default_factory=set)
    broken_event_folders: set[str] = field(default_factory=set)

    # --- bookkeeping ------------------------------------------------------------------------

    def problem(self, where: Loaded, loc: Loc, message: str) -> None:
        self.problems.append(Problem(where.file, locate(where.data, loc), field_path(loc), message))

    def add(self, table: str, row: Row, where: Loaded, loc: Loc) -> None:
        row_id = row["id"]
        if row_id in self.rows[table]:
            first = self.places[(table, row_id)]
            self.problem(
                where, loc, f"duplicate {table} {row_id!r} (first at {first.file}:{first.line})"
            )
            return
        self.rows[table][row_id] = row
        self.places[(table, row_id)] = Place(where.file, locate(where.data, loc))
        self.origins[(table, row_id)] = (where, loc)

    def ref(self, kind: str, value: str | None, where: Loaded, loc: Loc) -> str | None:
        """The id a reference names; a dangling or ambiguous one is a problem."""
        if value is None:
            return None
        if value in self.index[FOLDER[kind]]:
            return value
        if (FOLDER[kind], value) in self.invalid_ids:
            return None  # its own file's problems are reported already
        if kind in BY_NAME:
            matches = sorted(self.by_name[kind].get(value.casefold(), set()))
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                self.problem(
                    where, loc, f"{value!r} is ambiguous: it names {kind}s {', '.join(matches)}"
                )
                return None
        self.problem(where, loc, f"no {kind} {value!r} (looked in {FOLDER[kind]}/)")
        return None

    def ref_quiet(self, kind: str, value: str) -> str:
        """The id a reference names, or the reference itself (its problem is reported elsewhere)."""
        if value in self.index[FOLDER[kind]]:
            return value
        matches = self.by_name[kind].get(value.casefold(), set()) if kind in BY_NAME else set()
        return next(iter(matches)) if len(matches) == 1 else value

    def cite(self, subject: str, subject_id: str, rec: r.Sourced, where: Loaded, loc: Loc) -> None:
        for i, src in enumerate(rec.sources):
            here = (*loc, "sources", i)
            source_id = self.ref("source", src.source, where, (*here, "source"))
            if src.field and not is_field(rec, src.field):
                self.problem(
                    where, (*here, "field"), f"{src.field!r} is not a field of this record"
                )
            if source_id:
                self.add(
                    "citation",
                    {
                        "id": digest_id("c-", subject, subject_id, src.field, source_id, src.at),
                        "subject_kind": subject,
                        "subject_id": subject_id,
                        "source_id": source_id,
                        "locator": "; ".join(
                            p for p in (src.at, src.field and f"field {src.field}") if p
                        )
                        or None,
                    },
                    where,
                    here,
                )
        for i, conflict in enumerate(rec.conflicts):
            self._conflict(subject, subject_id, rec, conflict, where, (*loc, "conflicts", i))

    def _conflict(
        self,
        subject: str,
        subject_id: str,
        rec: r.Sourced,
        conflict: r.ConflictIn,
        where: Loaded,
        loc: Loc,
    ) -> None:
        if not is_field(rec, conflict.field):
            self.problem(
                where, (*loc, "field"), f"{conflict.field!r} is not a field of this record"
            )
        conflict_id = digest_id("x-", subject, subject_id, conflict.field)
        self.add(
            "conflict",
            {
                "id": conflict_id,
                "subject_kind": subject,
                "subject_id": subject_id,
                "field": conflict.field,
                "note": conflict.note,
                "resolved": any(c.preferred for c in conflict.claims),
            },
            where,
            loc,
        )
        for i, claim in enumerate(conflict.claims):
            claim_id = f"{conflict_id}#{i + 1}"
            self.add(
                "conflict_claim",
                {
                    "id": claim_id,
                    "conflict_id": conflict_id,
                    "value": claim.value,
                    "preferred": claim.preferred,
                    "reason": claim.reason,
                },
                where,
                (*loc, "claims", i),
            )
            self.cite(
                "conflict_claim",
                claim_id,
                r.Sourced(sources=claim.sources),
                where,
                (*loc, "claims", i),
            )

    def tag(self, subject: str, subject_id: str, areas: list[str], where: Loaded, loc: Loc) -> None:
        for i, area in enumerate(areas):
            area_id = self.ref("area", area, where, (*loc, "areas", i))
            if area_id:
                self.add(
                    "area_tag",
                    {
                        "id": f"{subject}:{subject_id}:{area_id}",
                        "area_id": area_id,
                        "subject_kind": subject,
                        "subject_id": subject_id,
                    },
                    where,
                    (*loc, "areas", i),
                )

    def translate(self, subject: str, subject_id: str, rec: r.Translated, where: Loaded) -> None:
        """cajd's own translations of a record's text: one row per field and language."""
        for name, text in rec.translations.items():
            for lang in ("ja", "ru"):
                value = getattr(text, lang)
                if value is None:
                    continue
                row = {"id": f"{subject}.{subject_id}.{name}.{lang}", "subject_kind": subject,
                       "subject_id": subject_id, "field": name, "lang": lang, "text": value}
                self.add("translation", row, where, ("translations", name, lang))

    # --- the pass ---------------------------------------------------------------------------

    def build(self) -> Rows:
        self._index()
        # A list: looking up a kind no valid file holds (``index`` is a defaultdict) adds it.
        for records in list(self.index.values()):
            for one in records.values():
                getattr(self, f"_{one.kind}")(one, one.record)
        return self.rows

    def _index(self) -> None:
        for one in self.loaded:
            record_id = getattr(one.record, "id", "")
            first = self.index[one.kind].get(record_id)
            if first is not None:
                self.problem(one, ("id",), f"duplicate id {record_id!r} (also in {first.file})")
                continue
            self.index[one.kind][record_id] = one
            name = getattr(one.record, "name", None)
            kind = next((k for k, folder in FOLDER.items() if folder == one.kind), "")
            if kind in BY_NAME and isinstance(name, r.Localized):
                for text in (name.en, name.ja, name.ru):
                    if text:
                        self.by_name[kind].setdefault(text.casefold(), set()).add(record_id)

    def _sources(self, one: Loaded, rec: r.SourceRecord) -> None:
        row = rec.model_dump(exclude={"accessed"})
        row["accessed"] = rec.accessed.date if rec.accessed else None
        self.add("source", row, one, ())

    def _parties(self, one: Loaded, rec: r.PartyRecord) -> None:
        self.add("party", {"id": rec.id, "kind": rec.kind, **names("name", rec.name)}, one, ())
        self.cite("party", rec.id, rec, one, ())

    def _dialogues(self, one: Loaded, rec: r.DialogueRecord) -> None:
        self.add(
            "dialogue",
            {
                "id": rec.id,
                **names("name", rec.name),
                "partner_id": self.ref("party", rec.partner, one, ("partner",)),
                **date_columns("founded", rec.founded),
                "founded_city": rec.founded_city,
                "founded_country": rec.founded_country,
                "description": rec.description,
            },
            one,
            (),
        )
        self.cite("dialogue", rec.id, rec, one, ())
        self.translate("dialogue", rec.id, rec, one)
        for i, part in enumerate(rec.participations):
            loc = ("participations", i)
            party = self.ref("party", part.party, one, (*loc, "party"))
            row_id = f"{rec.id}.{party}.{part.role}.{part.start or 'open'}"
            self.add(
                "participation",
                {
                    "id": row_id,
                    "dialogue_id": rec.id,
                    "party_id": party,
                    "role": part.role,
                    **date_columns("start", part.start),
                    **date_columns("end", part.end),
                    "note": part.note,
                },
                one,
                loc,
            )
            self.cite("participation", row_id, part, one, loc)

    def _areas(self, one: Loaded, rec: r.AreaRecord) -> None:
        self.add(
            "area",
            {
                "id": rec.id,
                **names("name", rec.name),
                "parent_id": self.ref("area", rec.parent, one, ("parent",)),
            },
            one,
            (),
        )
        self.cite("area", rec.id, rec, one, ())

    def _places(self, one: Loaded, rec: r.PlaceRecord) -> None:
        self.add(
            "place",
            {
                "id": rec.id,
                "kind": rec.kind,
                "country": rec.country,
                "city_id": self.ref("place", rec.city, one, ("city",)),
                **names("name", rec.name),
            },
            one,
            (),
        )
        self.cite("place", rec.id, rec, one, ())

    def _bodies(self, one: Loaded, rec: r.BodyRecord) -> None:
        self.add(
            "body",
            {
                "id": rec.id,
                "dialogue_id": self.ref("dialogue", rec.dialogue, one, ("dialogue",)),
                "code": rec.code,
                **names("name", rec.name),
                "kind": rec.kind,
                "status": rec.status,
                "reports_to_id": self.ref("body", rec.reports_to, one, ("reports_to",)),
                **date_columns("proposed", rec.proposed),
                **date_columns("established", rec.established),
                "description": rec.description,
                "nominal_rank": rec.nominal_rank,
                "nominal_rank_convention": rec.nominal_rank_convention,
            },
            one,
            (),
        )
        self.cite("body", rec.id, rec, one, ())
        self.translate("body", rec.id, rec, one)
        for i, count in enumerate(rec.stated_counts):
            loc = ("stated_counts", i)
            row_id = f"{rec.id}.count.{count.as_of}.{count.sources[0].source}"
            self.add(
                "stated_count",
                {
                    "id": row_id,
                    "body_id": rec.id,
                    "count": count.count,
                    **date_columns("as_of", count.as_of),
                    "note": count.note,
                },
                one,
                loc,
            )
            self.cite("stated_count", row_id, count, one, loc)
        for i, gap in enumerate(rec.gaps):
            for j, number in enumerate(gap.numbers):
                self.add(
                    "declared_gap",
                    {
                        "id": f"{rec.id}.gap.{number}",
                        "body_id": rec.id,
                        "number": number,
                        "note": gap.note,
                        "searched": list(gap.searched),
                    },
                    one,
                    ("gaps", i, "numbers", j),
                )

    def _persons(self, one: Loaded, rec: r.PersonRecord) -> None:
        self.add("person", {"id": rec.id, **names("name", rec.name)}, one, ())
        self.cite("person", rec.id, rec, one, ())
        for i, pos in enumerate(rec.positions):
            loc = ("positions", i)
            party = self.ref("party", pos.party, one, (*loc, "party"))
            row_id = f"{rec.id}.{party or 'none'}.{slug(pos.title.en)}.{pos.start or 'open'}"
            self.add(
                "position",
                {
                    "id": row_id,
                    "person_id": rec.id,
                    "party_id": party,
                    **names("title", pos.title),
                    **date_columns("start", pos.start),
                    **date_columns("end", pos.end),
                },
                one,
                loc,
            )
            self.cite("position", row_id, pos, one, loc)

    def _events(self, one: Loaded, rec: r.EventRecord) -> None:
        self.add(
            "event",
            {
                "id": rec.id,
                "body_id": self.ref("body", rec.body, one, ("body",)),
                "number": rec.number,
                "extraordinary": rec.extraordinary,
                **names("name", rec.name),
                **date_columns("start", rec.start),
                **date_columns("end", rec.end),
                "city": rec.city,
                "country": rec.country,
                "venue": rec.venue,
                "host_id": self.ref("party", rec.host, one, ("host",)),
                "chair_id": self.ref("person", rec.chair, one, ("chair",)),
                "format": rec.format,
                "status": rec.status,
                "cancellation_reason": rec.cancellation_reason,
                "description": rec.description,
            },
            one,
            (),
        )
        self.cite("event", rec.id, rec, one, ())
        self.translate("event", rec.id, rec, one)
        self.tag("event", rec.id, rec.areas, one, ())
        for i, dlg in enumerate(rec.delegations):
            loc = ("delegations", i)
            party = self.ref("party", dlg.party, one, (*loc, "party"))
            row_id = f"{rec.id}.{party}"
            self.add(
                "delegation",
                {
                    "id": row_id,
                    "event_id": rec.id,
                    "party_id": party,
                    "role": dlg.role,
                    "head_id": self.ref("person", dlg.head, one, (*loc, "head")),
                    "head_title": dlg.title,
                    "rank": dlg.rank,
                    "note": dlg.note,
                    "head_name": dlg.head_name,
                    "registration": dlg.registration,
                    "registered_by": dlg.registered_by,
                    "registered_at": dlg.registered_at,
                    "confirmed_by": dlg.confirmed_by,
                    "confirmed_at": dlg.confirmed_at,
                },
                one,
                loc,
            )
            self.cite("delegation", row_id, dlg, one, loc)
            for j, member in enumerate(dlg.members):
                here = (*loc, "members", j)
                self.add(
                    "delegation_member",
                    {
                        "id": f"{row_id}#{j + 1}",
                        "delegation_id": row_id,
                        "position": j + 1,
                        "person_id": self.ref("person", member.person, one, (*here, "person")),
                        "name": member.name,
                        "title": member.title,
                        "rank": member.rank,
                    },
                    one,
                    here,
                )
        for i, item in enumerate(rec.agenda):
            loc = ("agenda", i)
            item_id = f"{rec.id}.agenda.{item.item}"
            self.add(
                "agenda_item",
                {
                    "id": item_id,
                    "event_id": rec.id,
                    "position": i + 1,
                    **names("title", item.title),
                    "status": item.status,
                },
                one,
                loc,
            )
            self.tag("agenda_item", item_id, item.areas, one, loc)

    def _documents(self, one: Loaded, rec: r.DocumentRecord) -> None:
        self.add(
            "document",
            {
                "id": rec.id,
                "dialogue_id": self.ref("dialogue", rec.dialogue, one, ("dialogue",)),
                "kind": rec.kind,
                **names("title", rec.title),
                "title_is_official": rec.title_official,
                "event_id": self.ref("event", rec.adopted_at, one, ("adopted_at",)),
                **date_columns("date", rec.date),
                "languages": ",".join(rec.languages) or None,
                "url": rec.url,
                "text": rec.text,
                "licence": rec.licence,
                "description": rec.description,
                "status": rec.status,
                "adopted_version": rec.adopted_version,
            },
            one,
            (),
        )
        self.cite("document", rec.id, rec, one, ())
        self.tag("document", rec.id, rec.areas, one, ())
        build_adoption(self, one, rec)

    def _commitments(self, one: Loaded, rec: r.CommitmentRecord) -> None:
        self.add(
            "commitment",
            {
                "id": rec.id,
                "dialogue_id": self.ref("dialogue", rec.dialogue, one, ("dialogue",)),
                "party_id": self.ref("party", rec.party, one, ("party",)),
                "kind": rec.kind,
                "description": rec.description,
                "event_id": self.ref("event", rec.made_at, one, ("made_at",)),
                "document_id": self.ref("document", rec.document, one, ("document",)),
                "amount": rec.amount,
                "currency": rec.currency,
                "amount_usd": rec.amount_usd,
                "usd_rate_source_id": self.ref(
                    "source", rec.usd_rate_source, one, ("usd_rate_source",)
                ),
                "target_quantity": rec.target_quantity,
                "target_unit": rec.target_unit,
                **date_columns("due", rec.due),
                "paragraph": rec.paragraph,
                **{f"guideline_{level}": getattr(rec.guideline, level) if rec.guideline else None
                   for level in ("full", "partial", "none")},
            },
            one,
            (),
        )
        self.cite("commitment", rec.id, rec, one, ())
        self.tag("commitment", rec.id, rec.areas, one, ())

    def _implementation(self, one: Loaded, rec: r.ImplementationRecordIn) -> None:
        beneficiaries = [
            self.ref("party", b, one, ("beneficiaries", i)) for i, b in enumerate(rec.beneficiaries)
        ]
        self.add(
            "implementation_record",
            {
                "id": rec.id,
                "dialogue_id": self.ref("dialogue", rec.dialogue, one, ("dialogue",)),
                "commitment_id": self.ref("commitment", rec.commitment, one, ("commitment",)),
                "event_id": self.ref("event", rec.event, one, ("event",)),
                **date_columns("date", rec.date),
                "description": rec.description,
                "implementer": rec.implementer,
                "beneficiaries": ",".join(b for b in beneficiaries if b) or None,
                "amount": rec.amount,
                "currency": rec.currency,
                "quantity": rec.quantity,
                "unit": rec.unit,
            },
            one,
            (),
        )
        self.cite("implementation_record", rec.id, rec, one, ())
        build_evidence(self, one, "implementation_record", rec.id, rec.evidence, ())

    def _rounds(self, one: Loaded, rec: m.RoundRecord) -> None:
        build_round(self, one, rec)

    def _assessments(self, one: Loaded, rec: m.AssessmentRecord) -> None:
        build_assessment(self, one, rec)

    def _reports(self, one: Loaded, rec: r.NationalReportRecord) -> None:
        self.add(
            "national_report",
            {
                "id": rec.id,
                "party_id": self.ref("party", rec.party, one, ("party",)),
                "document_id": self.ref("document", rec.document, one, ("document",)),
                **date_columns("date", rec.date),
                "title": rec.title,
            },
            one,
            (),
        )
        self.cite("national_report", rec.id, rec, one, ())
        for i, item in enumerate(rec.items):
            loc = ("items", i)
            self.add(
                "national_report_item",
                {
                    "id": f"{rec.id}#{i + 1}",
                    "report_id": rec.id,
                    "item": item.item,
                    "area_id": self.ref("area", item.area, one, (*loc, "area")),
                    "status": item.status,
                    "narrative": item.narrative,
                },
                one,
                loc,
            )
