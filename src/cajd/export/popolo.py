"""The record as Popolo JSON: organizations, persons, memberships and events.

The mapping, and every key under ``extras``, is documented in docs/popolo.md. Validation uses the
Popolo JSON Schemas (draft 3) vendored in ``popolo_schemas/``, resolved offline.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import pycountry
from jsonschema import Draft3Validator
from referencing import Registry
from referencing.jsonschema import DRAFT3
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cajd.fuzzydate import FuzzyDate
from cajd.model import (
    Body,
    Citation,
    Commitment,
    Delegation,
    Dialogue,
    Document,
    Event,
    Participation,
    Party,
    Person,
    Source,
)
from cajd.model.base import Names, StableId
from cajd.read.adoption import published
from cajd.vocab import PartyKind

Json = dict[str, Any]
Row = TypeVar("Row", bound=StableId)
Outcome = TypeVar("Outcome", Document, Commitment)

SCHEMA_BASE = "http://www.popoloproject.com/schemas/"
#: Each top-level array of the bundle and the Popolo class its objects must validate as.
CLASSES = {
    "organizations": "organization",
    "persons": "person",
    "memberships": "membership",
    "events": "event",
}


def fuzzy(date: dt.date | None, precision: str | None) -> str | None:
    """``2012``, ``2012-11`` or ``2012-11-10`` (what Popolo's date patterns accept), or None."""
    value = FuzzyDate.from_columns(date, precision)
    return str(value) if value else None


def place(city: str | None, country: str | None) -> str | None:
    """``Tokyo, Japan``: a city plus the English name of an ISO 3166-1 alpha-2 country."""
    found = pycountry.countries.get(alpha_2=country) if country else None
    country_name = (getattr(found, "common_name", None) or found.name) if found else country
    return ", ".join(part for part in (city, country_name) if part) or None


def _other_names(row: Names) -> list[Json]:
    return [
        {"name": name, "lang": lang}
        for lang in ("ja", "ru")
        if (name := getattr(row, f"name_{lang}"))
    ]


def _all(session: Session, model: type[Row], *options: Any) -> list[Row]:
    """Every row of ``model``, by id (sorted here: the two engines collate differently)."""
    return sorted(session.scalars(select(model).options(*options)), key=lambda row: row.id)


def _by_event(rows: Iterable[Outcome], as_json: Callable[[Outcome], Json]) -> dict[str, list[Json]]:
    """Rows adopted or made at an event, as JSON, grouped by that event (others left out)."""
    grouped: dict[str, list[Json]] = defaultdict(list)
    for row in rows:
        if row.event_id is not None:
            grouped[row.event_id].append(as_json(row))
    return grouped


def _compact(obj: Json) -> Json:
    """Leave out Popolo properties with nothing to say (``extras`` keeps its nulls)."""
    return {key: value for key, value in obj.items() if value is not None and value != []}


def popolo_bundle(session: Session) -> dict[str, Any]:
    """The whole record as one Popolo bundle."""
    sources = {s.id: s for s in session.scalars(select(Source))}
    cited: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cite in sorted(_all(session, Citation), key=lambda cite: (cite.source_id, cite.id)):
        if cite.source_id not in cited[cite.subject_kind, cite.subject_id]:
            cited[cite.subject_kind, cite.subject_id].append(cite.source_id)

    def source_ids(kind: str, subject_id: str) -> list[str]:
        return cited.get((kind, subject_id), [])

    def links(kind: str, subject_id: str) -> list[Json]:
        return [
            {"url": sources[s].url or f"urn:cajd:source:{s}", "note": sources[s].title}
            for s in source_ids(kind, subject_id)
        ]

    organizations: list[Json] = []
    for d in _all(session, Dialogue):
        organizations.append(
            _compact(
                {
                    "id": d.id,
                    "name": d.name_en,
                    "other_names": _other_names(d),
                    "classification": "dialogue",
                    "founding_date": fuzzy(d.founded_date, d.founded_precision),
                    "description": d.description,
                    "sources": links("dialogue", d.id),
                    "extras": {
                        "partner": d.partner_id,
                        "founded_in": place(d.founded_city, d.founded_country),
                    },
                }
            )
        )
    for b in _all(session, Body):
        organizations.append(
            _compact(
                {
                    "id": b.id,
                    "name": b.name_en,
                    "other_names": _other_names(b),
                    "classification": "body",
                    "parent_id": b.dialogue_id,
                    "founding_date": fuzzy(b.established_date, b.established_precision),
                    "description": b.description,
                    "sources": links("body", b.id),
                    "extras": {
                        "code": b.code,
                        "kind": b.kind.value,
                        "status": b.status.value,
                        "reports_to": b.reports_to_id,
                        "proposed_date": fuzzy(b.proposed_date, b.proposed_precision),
                    },
                }
            )
        )
    for p in _all(session, Party):
        organizations.append(
            _compact(
                {
                    "id": p.id,
                    "name": p.name_en,
                    "other_names": _other_names(p),
                    "classification": p.kind.value,
                    "identifiers": (
                        [{"scheme": "iso3166-1-alpha2", "identifier": p.id}]
                        if p.kind is PartyKind.STATE
                        else []
                    ),
                    "sources": links("party", p.id),
                }
            )
        )

    persons = [
        _compact(
            {
                "id": person.id,
                "name": person.name_en,
                "other_names": _other_names(person),
                "sources": links("person", person.id),
                "extras": {
                    "positions": [
                        {
                            "id": pos.id,
                            "party": pos.party_id,
                            "title": pos.title_en,
                            "title_ja": pos.title_ja,
                            "title_ru": pos.title_ru,
                            "start_date": fuzzy(pos.start_date, pos.start_precision),
                            "end_date": fuzzy(pos.end_date, pos.end_precision),
                        }
                        for pos in sorted(person.positions, key=lambda pos: pos.id)
                    ]
                },
            }
        )
        for person in _all(session, Person, selectinload(Person.positions))
    ]

    memberships = [
        _compact(
            {
                "id": m.id,
                "organization_id": m.dialogue_id,
                "member": {"@type": "Organization", "id": m.party_id},
                "role": m.role.value,
                "start_date": fuzzy(m.start_date, m.start_precision),
                "end_date": fuzzy(m.end_date, m.end_precision),
                "sources": links("participation", m.id),
                "extras": {"note": m.note},
            }
        )
        for m in _all(session, Participation)
    ]

    documents = _by_event(
        sorted(session.scalars(select(Document).where(published(Document))),
               key=lambda d: d.id),  # drafts are not public (``read.adoption``)
        lambda doc: {
            "id": doc.id,
            "kind": doc.kind.value,
            "title": doc.title_en,
            "date": fuzzy(doc.date, doc.date_precision),
            "url": doc.url,
            "sources": source_ids("document", doc.id),
        },
    )
    pledges = _by_event(
        _all(session, Commitment),
        lambda c: {
            "id": c.id,
            "party": c.party_id,
            "kind": c.kind.value,
            "description": c.description,
            "amount": c.amount,
            "currency": c.currency,
            "amount_usd": c.amount_usd,
            "target_quantity": c.target_quantity,
            "target_unit": c.target_unit,
            "due_date": fuzzy(c.due_date, c.due_precision),
            "sources": source_ids("commitment", c.id),
        },
    )

    events: list[Json] = []
    rows = _all(
        session,
        Event,
        selectinload(Event.body),
        selectinload(Event.delegations).selectinload(Delegation.head),
    )
    for e in sorted(rows, key=lambda e: (e.start_date or dt.date.max, e.id)):
        delegations = sorted(e.delegations, key=lambda d: d.party_id)
        events.append(
            _compact(
                {
                    "id": e.id,
                    "name": e.name_en,
                    "description": e.description,
                    "start_date": fuzzy(e.start_date, e.start_precision),
                    "end_date": fuzzy(e.end_date, e.end_precision),
                    "location": place(e.city, e.country),
                    "status": e.status.value,
                    "classification": e.body.code,
                    "organization_id": e.body_id,
                    "attendees": [
                        {"id": d.head.id, "name": d.head.name_en}
                        for d in delegations
                        if d.head is not None
                    ],
                    "sources": links("event", e.id),
                    "extras": {
                        "other_names": _other_names(e),
                        "format": e.format.value,
                        "number": e.number,
                        "extraordinary": e.extraordinary,
                        "host": e.host_id,
                        "chair": e.chair_id,
                        "venue": e.venue,
                        "delegations": [
                            {
                                "id": d.id,
                                "party": d.party_id,
                                "role": d.role.value,
                                "rank": d.rank.value if d.rank else None,
                                "rank_level": d.rank.level if d.rank else None,
                                "head": d.head_id,
                                "head_title": d.head_title,
                                "note": d.note,
                                "sources": source_ids("delegation", d.id),
                            }
                            for d in delegations
                        ],
                        "documents": documents.get(e.id, []),
                        "pledges": pledges.get(e.id, []),
                        "sources": source_ids("event", e.id),
                    },
                }
            )
        )

    return {
        "organizations": organizations,
        "persons": persons,
        "memberships": memberships,
        "events": events,
    }


@cache
def popolo_registry() -> Registry[Any]:
    """The vendored schemas, keyed by their ``id`` without its trailing ``#``: no network."""
    folder = resources.files("cajd.export") / "popolo_schemas"
    schemas = [
        json.loads(f.read_text(encoding="utf-8"))
        for f in folder.iterdir()
        if f.name.endswith(".json")
    ]
    registry: Registry[Any] = Registry().with_resources(
        (schema["id"].removesuffix("#"), DRAFT3.create_resource(schema)) for schema in schemas
    )
    return registry


@cache
def _validator(popolo_class: str) -> Any:
    registry = popolo_registry()
    schema = registry.contents(f"{SCHEMA_BASE}{popolo_class}.json")
    return Draft3Validator(schema, registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER)


def validate_bundle(bundle: dict[str, Any]) -> list[str]:
    """Every way the bundle breaks the Popolo schemas (``events[3].start_date: …``); [] if none.

    Also reports an ``id`` used twice within one array.
    """
    errors: list[str] = []
    for key, popolo_class in CLASSES.items():
        items = bundle.get(key)
        if not isinstance(items, list):
            errors.append(f"{key}: missing, or not a list")
            continue
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            found = _validator(popolo_class).iter_errors(item)
            for error in sorted(found, key=lambda error: str(error.json_path)):
                errors.append(f"{key}[{i}]{str(error.json_path)[1:]}: {error.message}")
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, str) and ident in seen:
                errors.append(f"{key}[{i}].id: {ident!r} is also the id of {key}[{seen[ident]}]")
            elif isinstance(ident, str):
                seen[ident] = i
    return errors
