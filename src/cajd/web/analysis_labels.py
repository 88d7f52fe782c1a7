"""The analyses in the reader's language: the data tables' headings and cells, and the paper's
findings, for the portal's pages and the report (the JSON, the CSV and the CLI keep the codes).

A table keeps its codes where they are the record's ids (meetings, parties, commitments) and
translates what is vocabulary: ranks, document and commitment kinds, roles, places, yes/no, the
areas' names (from the record, English where it has none in the language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from cajd.analysis import paper, tables
from cajd.analysis.agenda import Agenda
from cajd.analysis.paper import Finding, Value
from cajd.vocab import CommitmentKind, DocumentKind, Rank
from cajd.web.i18n import format_number, translations

Gettext = Callable[[str], str]


def _columns(_: Gettext) -> dict[str, str]:
    return {
        "event": _("Meeting"), "start": _("Date"), "party": _("Party"), "role": _("Role"),
        "rank": _("Rank"), "below_nominal": _("Below nominal rank"), "absent": _("Absent"),
        "host": _("Host"), "country": _("Country"), "where": _("Held"),
        "days_since_previous": _("Days since the previous meeting"),
        "approximate_date": _("Approximate date"), "number": _("Number"),
        "documents": _("Outcome documents"), "kinds": _("Kinds"), "id": _("Commitment"),
        "kind": _("Kind"), "year": _("Year"), "amount": _("Amount"), "currency": _("Currency"),
        "usd": _("US dollars"), "usd_basis": _("US dollar basis"), "rate": _("Rate per US$"),
        "target": _("Target"), "due": _("Due"), "areas": _("Areas"),
        "implementation_records": _("Implementation records found"), "area": _("Area"),
        "pillar": _("Pillar"),
    }


def _places(_: Gettext) -> dict[str, str]:
    return {"japan": _("in Japan"), "central_asia": _("in Central Asia"), "online": _("online"),
            "elsewhere": _("elsewhere")}


@dataclass(frozen=True)
class Table:
    keys: list[str]  # the CSV's column names, kept as the headings' titles
    headings: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Labels:
    """What one language needs to show a table cell."""

    lang: str
    gettext: Gettext
    area_names: dict[str, dict[str, str]]

    def area(self, area: str) -> str:
        names = self.area_names.get(area, {})
        return names.get(self.lang) or names.get("en") or area

    def cell(self, key: str, value: Any) -> str:
        _ = self.gettext
        if value == "" or value is None:
            return ""
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if key == "rank":
            return Rank(value).label(self.lang)
        if key == "role":
            return _("guest") if value == "guest" else _("taking part")
        if key == "where":
            return _places(_).get(str(value), str(value))
        if key == "kind" and value in CommitmentKind.values():
            return CommitmentKind(value).label(self.lang)
        if key == "kinds":  # "joint_statement 2; roadmap 1"
            return "; ".join(_kind_count(part, self.lang) for part in value.split("; "))
        if key == "usd_basis":
            return {"same currency": _("same currency"), "rate": _("sourced annual rate"),
                    "stated by source": _("as its source states")}.get(str(value), str(value))
        if key in ("area", "pillar"):
            return self.area(value)
        if isinstance(value, int | float) and key not in ("year", "number"):
            return format_number(value, self.lang)
        return str(value)


def _kind_count(part: str, lang: str) -> str:
    kind, _, n = part.rpartition(" ")
    return f"{DocumentKind(kind).label(lang)} {n}" if kind in DocumentKind.values() else part


def labels(result: BaseModel, lang: str) -> Labels:
    names = result.area_names if isinstance(result, Agenda) else {}
    return Labels(lang, translations(lang).gettext, names)


def table(result: BaseModel, lang: str) -> Table:
    """The result's rows (``tables.rows``) with headings and cells in ``lang``."""
    rows = tables.rows(result)
    keys = list(rows[0]) if rows else []
    shown = labels(result, lang)
    columns = _columns(shown.gettext)
    return Table(keys, [columns.get(k, k) for k in keys],
                 [[shown.cell(k, row[k]) for k in keys] for row in rows])


@dataclass(frozen=True)
class ShownFinding:
    id: str
    verdict: str
    cited: str
    paper: str
    record: str
    later: str | None


def finding(f: Finding, lang: str) -> ShownFinding:
    """The finding's sentences in ``lang``: its templates translated, its values shown as the
    pages show them (ranks and places by name, numbers grouped)."""
    gettext = translations(lang).gettext

    def value(name: str, v: Value) -> str:
        if name == "rank" and isinstance(v, str) and v in Rank.values():
            return Rank(v).label(lang)
        if name == "places" and isinstance(v, list):
            v = [_places(gettext).get(str(p), str(p)) for p in v]
        if isinstance(v, list):
            return ("、" if lang == "ja" else ", ").join(str(x) for x in v)
        if isinstance(v, int):
            return format_number(v, lang)
        return str(v)

    def text(part: str) -> str | None:
        phrase = f.phrases.get(part)
        if phrase is None:
            return getattr(f, part)  # type: ignore[no-any-return]
        return phrase.render(gettext, value)

    return ShownFinding(f.id, f.verdict, f.cited, text("paper") or "", text("record") or "",
                        text("later"))


def findings(found: list[paper.Finding], lang: str) -> list[ShownFinding]:
    return [finding(f, lang) for f in found]
