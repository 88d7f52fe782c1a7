"""The record's tables as Frictionless Table Schemas and CSV: raw values (amounts as whole
numbers, a date as the real date plus its precision in the next column, vocabulary values not
their labels, whole texts), types, primary and foreign keys, enum constraints, descriptions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import sqlalchemy as sa

from cajd.read.record import columns

Json = dict[str, Any]

TABLE_DESCRIPTIONS = {
    "dialogue": "Standing formats: Central Asia plus Japan (caj), and the formats kept for "
                "comparison.",
    "party": "States (ISO 3166-1 alpha-2 id) and organisations that take part in a dialogue.",
    "participation": "A party's role (member, observer, guest) in a dialogue over a period.",
    "body": "The structural elements of a dialogue that meet or were proposed to, with their "
            "status and whom they report to.",
    "stated_count": "How many meetings of a body a source says there had been at a date.",
    "declared_gap": "Numbers missing from a body's numbering, with what was searched for them.",
    "person": "Named officials.",
    "position": "A person's positions over time.",
    "event": "Meetings of the bodies: number, dates with their precision, place, host, "
             "format, status.",
    "delegation": "A party's delegation to a meeting: its head, the head's title and rank.",
    "delegation_member": "Members of a delegation besides its head.",
    "agenda_item": "The items on a meeting's agenda, in order.",
    "area": "The five pillars of cooperation and the areas under them.",
    "area_tag": "Which area a meeting, document, agenda item or commitment concerns.",
    "endorsement": "A member party's endorsement of the text a document adopted, with its "
                   "reservation if it made one.",
    "document": "Outcome documents: kind, title (official where so marked), date, link.",
    "commitment": "Pledges: who, what, how much (whole units of the currency) or how many.",
    "implementation_record": "Evidence that a commitment or a meeting's decisions advanced.",
    "national_report": "A party's report on an action plan.",
    "national_report_item": "One item of a national report: its status and narrative.",
    "place": "The gazetteer: cities and venues, named in English, Japanese and Russian.",
    "translation": "One field of one record in one language as cajd translated it (not a "
                   "source's words).",
    "source": "Where the facts come from: each with its title, publisher, address and the day "
              "it was read.",
    "citation": "A source supporting a record (or one field of it), with where in the source.",
    "conflict": "A field on which sources disagree.",
    "conflict_claim": "One claim of a conflict, with its own citations (citation rows whose "
                      "subject_kind is conflict_claim).",
}

_WORDS = {
    "en": "English", "ja": "Japanese", "ru": "Russian",
}


def field_type(column: sa.Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.Integer):  # BigInteger too
        return "integer"
    if isinstance(kind, sa.DateTime):
        return "datetime"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.JSON):
        return "array"
    return "string"


def describe(table: sa.Table, column: sa.Column[Any]) -> str:
    name = column.name
    if name == "id":
        return f"Stable id of the {table.name.replace('_', ' ')}."
    stem, _, lang = name.rpartition("_")
    if lang in _WORDS and stem:
        return f"The {stem.replace('_', ' ')} in {_WORDS[lang]}."
    if name.endswith("_precision"):
        date = name.removesuffix("_precision")
        date_column = "date" if date == "date" else f"{date}_date"
        return (f"How much of {date_column} is known: year, month or day (a year-precision "
                f"date is stored as its 1 January, a month-precision one as its first day).")
    if name.endswith("_date") or name == "date":
        return "A date; read it with its precision column."
    for fk in column.foreign_keys:
        return f"Id of the {fk.column.table.name.replace('_', ' ')} (foreign key)."
    if name == "subject_kind":
        return "The table the subject row is in."
    if name == "subject_id":
        return "The id of the subject row in the table subject_kind names."
    if name in ("amount", "amount_usd"):
        return "Whole units of the currency" + (" (US dollars)." if name == "amount_usd"
                                                else " column.")
    if name == "currency":
        return "ISO 4217 currency code."
    if name == "country":
        return "ISO 3166-1 alpha-2 country code."
    if name == "rank":
        return "Rank on the ordered scale (head of state > head of government > minister > " \
               "deputy minister > ambassador > director > embassy staff)."
    return name.replace("_", " ").capitalize() + "."


def enum_values(column: sa.Column[Any]) -> list[str] | None:
    if isinstance(column.type, sa.Enum):
        return list(column.type.enums)
    if column.name.endswith("_precision"):
        return ["year", "month", "day"]
    return None


def table_schema(table: sa.Table) -> Json:
    fields: list[Json] = []
    for column in columns(table):
        field: Json = {"name": column.name, "type": field_type(column),
                       "description": describe(table, column)}
        constraints: Json = {}
        if not column.nullable or column.primary_key:
            constraints["required"] = True
        if column.primary_key:
            constraints["unique"] = True
        if (values := enum_values(column)) is not None:
            constraints["enum"] = values
        if isinstance(column.type, sa.String) and column.type.length and not isinstance(
                column.type, sa.Enum):
            constraints["maxLength"] = column.type.length
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: Json = {"fields": fields, "missingValues": [""],
                    "primaryKey": [c.name for c in table.primary_key.columns]}
    keys = [{"fields": fk.parent.name,
             "reference": {"resource": "" if fk.column.table is table else fk.column.table.name,
                           "fields": fk.column.name}}
            for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def csv_text(table: sa.Table, found: list[dict[str, Any]]) -> str:
    names = [c.name for c in columns(table)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in found:
        writer.writerow([cell(row[name]) for name in names])
    return buffer.getvalue()
