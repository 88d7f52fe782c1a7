"""The portal's figures as Vega-Lite specs (altair), each with its data as CSV and an SVG drawn on
the server (vl-convert) so that it shows without JavaScript; vega-embed redraws it in the page.

altair and vl-convert are imported on first use: they cost a quarter second at start-up. Specs
are built with ``to_dict(validate=False)``: altair's JSON-schema check took a third of a figure
page's time, and the specs are fixed by this code (tests/test_figures_layered.py validates every
one against Vega-Lite's JSON schema).

Every channel is given as its altair class (``alt.Href("url:N")``), never as a bare shorthand
string (``href="url:N"``): altair resolves a string against the whole Vega-Lite schema on every
call, about 7 ms a channel, the same spec either way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from cajd.fuzzydate import FuzzyDate
from cajd.read import queries as q
from cajd.read.views import Localized
from cajd.vocab import BodyStatus, EventStatus, Rank
from cajd.web import palette
from cajd.web.cache import BoundedLRU
from cajd.web.i18n import format_fuzzy, translations

Rows = list[dict[str, Any]]
Params = dict[str, str]


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    description: str  # the text alternative
    spec: dict[str, Any]
    rows: Rows


def spec_of(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite spec, without altair's JSON-schema check (see the docstring)."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    return spec


def named(name: str) -> Any:
    """Data a layer refers to by name, its rows given to ``layered`` (or ``spec_of``)."""
    import altair as alt

    return alt.NamedData(name=name)


def layered(layers: list[Any], datasets: dict[str, Rows], **properties: Any) -> dict[str, Any]:
    """The Vega-Lite spec of ``layers`` drawn one over another, assembled from each layer's own
    spec: altair's ``alt.layer``/``+`` deep-copies every layer's whole object tree at each step
    (two thirds of the structure figure's time, 20 ms a page); the spec, and the SVG drawn from
    it, are the same (tests/test_figures_layered.py compares them)."""
    specs = [spec_of(layer) for layer in layers]
    shared: dict[str, Any] = {key: specs[0][key] for key in ("config", "$schema")
                              if key in specs[0]}
    own = [{k: v for k, v in spec.items() if k not in ("config", "$schema", "datasets")}
           for spec in specs]
    return {**shared, "layer": own, **properties, "datasets": datasets}


def _t(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def _name(value: Localized, lang: str) -> str:
    return value.get(lang) or value.en


def _span(value: str) -> tuple[str, str, str]:
    """A date as known, its first and last possible day, and its precision: a month- or
    year-precision date is a span, never the invented first day of it (issue 13)."""
    fuzzy = FuzzyDate.parse(value)
    return fuzzy.date.isoformat(), fuzzy.latest.isoformat(), fuzzy.precision.value


def timeline(db: Session, lang: str, params: Params) -> Figure:
    import altair as alt

    _ = _t(lang)
    filters = q.EventFilter(body=params.get("body") or None, party=params.get("party") or None)
    if q.event_count(db, filters) > TIMELINE_POINTS:
        return _timeline_by_year(db, lang, filters)
    bodies = {b.id: b for b in q.body_outlines(db)}
    rows = []
    for e in q.events(db, filters, limit=None).items:
        first, last, precision = _span(e.start)
        rows.append({
            "id": e.id, "meeting": _name(e.name, lang), "body": _name(bodies[e.body].name, lang),
            "date": e.start, "precision": precision, "from": first, "to": last,
            "when": format_fuzzy(e.start, lang), "city": e.city or "",
            "status": EventStatus(e.status).label(lang),
            # none recorded is not none: blank in the CSV, "not recorded" in the tooltip
            "delegations": e.delegations or None,
            "delegations_shown": str(e.delegations) if e.delegations else _("not recorded"),
            "url": f"/{lang}/meetings/{e.id}"})
    order = [_name(b.name, lang) for b in bodies.values() if b.events]
    base = alt.Chart(named("meetings")).encode(
        y=alt.Y("body:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("status:N", title=_("Status"), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(**palette.scale(EventStatus, lang))),
        href=alt.Href("url:N"),
        # the date as the page's language writes it, to the precision it is known
        tooltip=[alt.Tooltip("meeting:N", title=_("Meeting")),
                 alt.Tooltip("when:N", title=_("Date")), alt.Tooltip("city:N", title=_("City")),
                 alt.Tooltip("delegations_shown:N", title=_("Delegations"))],
    )
    x = alt.X("from:T", title=_("Date"), axis=alt.Axis(format="%Y", tickCount="year"))
    days = base.transform_filter("datum.precision == 'day'").mark_point(
        filled=True, size=140, opacity=0.85).encode(x=x).properties(name="days")
    spans = base.transform_filter("datum.precision != 'day'").mark_bar(
        height=14, opacity=0.6, cornerRadius=3).encode(x=x, x2=alt.X2("to:T")).properties(
        name="spans")
    spec = layered([days, spans], {"meetings": rows}, width="container", height={"step": 34})
    description = _("Every meeting of every body on one time axis: %(n)d meetings.") % {
        "n": len(rows)} + " " + _("A meeting known only to its month or year is drawn as a bar "
                                  "across that month or year, not on a day.")
    return Figure("timeline", _("Meetings over time"), description, spec, rows)


TIMELINE_POINTS = 400  # more meetings than this are drawn as a bar a year
STRUCTURE_PER_LEVEL = 12  # boxes per level of the structure figure (the table lists every body)
RANK_MEETINGS = 40  # meetings (the latest) the rank heatmap draws; its CSV holds every one


def _timeline_by_year(db: Session, lang: str, filters: q.EventFilter) -> Figure:
    """Too many meetings for a point each (the SVG alone grew past a megabyte): a bar a year,
    counted in SQL; the figure's data is those counts."""
    import altair as alt

    _ = _t(lang)
    rows: Rows = [{"year": str(year), "meetings": n} for year, n in q.events_by_year(db, filters)]
    chart = alt.Chart({"values": rows}, width="container", height=260).mark_bar(
        color="#2f6f9f"
    ).encode(
        x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=-50)),
        y=alt.Y("meetings:Q", title=_("Meetings")),
        tooltip=[alt.Tooltip("year:O", title=_("Year")),
                 alt.Tooltip("meetings:Q", title=_("Meetings"))],
    )
    description = _("%(n)d meetings, too many to draw one by one: how many began each "
                    "year.") % {"n": sum(r["meetings"] for r in rows)}
    return Figure("timeline", _("Meetings over time"), description, spec_of(chart), rows)


def structure(db: Session, lang: str, params: Params) -> Figure:
    import altair as alt

    _ = _t(lang)
    bodies = q.body_outlines(db)
    by_id = {b.id: b for b in bodies}

    def depth(body_id: str) -> int:
        parent = by_id[body_id].reports_to
        return 0 if parent is None or parent not in by_id else 1 + depth(parent)

    columns: dict[int, int] = {}
    nodes: Rows = []
    position = {b.id: i for i, b in enumerate(bodies)}  # kind order: summit, ministerial, …
    for b in sorted(bodies, key=lambda b: (depth(b.id), b.status != BodyStatus.ACTIVE,
                                           position[b.id])):
        level = depth(b.id)
        if columns.get(level, 0) >= STRUCTURE_PER_LEVEL:
            continue  # active bodies first: the boxes left out are the table's to show
        columns[level] = columns.get(level, 0) + 1
        nodes.append({"id": b.id, "code": b.code, "name": _name(b.name, lang), "level": level,
                      "y": level, "x": columns[level], "status": BodyStatus(b.status).label(lang),
                      "meetings": b.events, "reports_to": b.reports_to or "",
                      "url": f"/{lang}/structure#{b.id}"})
    widest = max(columns.values(), default=1)
    for node in nodes:  # centre each row of the chart
        node["x"] = node["x"] + (widest - columns[node["level"]]) / 2
    placed = {n["id"]: n for n in nodes}
    edges = [{"x": n["x"], "y": n["level"], "x2": placed[n["reports_to"]]["x"],
              "y2": placed[n["reports_to"]]["level"]}
             for n in nodes if n["reports_to"] in placed]
    x_scale = alt.Scale(domain=[0.3, widest + 0.7])
    y_scale = alt.Scale(domain=[-0.5, max(columns, default=0) + 0.5], reverse=True)  # roots on top
    hidden = alt.Axis(labels=False, ticks=False, domain=False, grid=False, title=None)
    lines = alt.Chart(named("edges")).mark_rule(color="#8a94a6", strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=x_scale, axis=hidden), y=alt.Y("y:Q", scale=y_scale, axis=hidden),
        x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q"))
    base = alt.Chart(named("bodies")).encode(
        x=alt.X("x:Q", scale=x_scale, axis=hidden), y=alt.Y("y:Q", scale=y_scale, axis=hidden))
    boxes = base.mark_square(size=2600, opacity=0.95).encode(
        color=alt.Color("status:N", title=_("Status"), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(**palette.scale(BodyStatus, lang))),
        href=alt.Href("url:N"),
        tooltip=[alt.Tooltip("name:N", title=_("Body")), alt.Tooltip("status:N", title=_("Status")),
                 alt.Tooltip("meetings:Q", title=_("Meetings recorded"))])
    codes = base.mark_text(fontWeight="bold", fontSize=11, color="white").encode(
        text=alt.Text("code:N"), href=alt.Href("url:N"))
    spec = layered([lines, boxes, codes], {"edges": edges, "bodies": nodes}, width="container",
                   height=90 * (len(columns) + 1))
    if len(nodes) == len(bodies):
        description = _("The Dialogue's %(n)d bodies, each linked to the body it reports to.") % {
            "n": len(nodes)}
    else:
        description = _("%(shown)d of the Dialogue's %(n)d bodies (at most %(per)d a level, "
                        "active ones first), each linked to the body it reports to; the table "
                        "lists them all.") % {"shown": len(nodes), "n": len(bodies),
                                              "per": STRUCTURE_PER_LEVEL}
    return Figure("structure", _("How the bodies relate"), description, spec, nodes)


def _short_label(cell: q.RankCell) -> str:
    """``FMM 4 (2012)``: short enough for a chart axis."""
    number = f" {cell.number}" if cell.number else ""
    return f"{cell.body_code}{number} ({cell.event_start[:4]})"


def ranks(db: Session, lang: str, params: Params) -> Figure:
    import altair as alt

    _ = _t(lang)
    body, party = params.get("body") or None, params.get("party") or None
    names = {party: _name(name, lang) for party, name in q.party_names(db).items()}
    # Only the latest meetings, chosen in SQL: vl-convert overflows its stack on thousands of
    # columns (a 500 at 100x the record), and no one reads a heatmap that wide.
    meetings_total = q.rank_meetings(db, body, party)
    rows: Rows = [
        {"meeting": _short_label(c),
         "date": c.event_start, "party": names.get(c.party, c.party),
         "rank": Rank(c.rank).label(lang) if c.rank else _("not recorded"),
         "level": c.rank_level or 0, "head": c.head or "", "url": f"/{lang}/meetings/{c.event}"}
        for c in q.rank_cells(db, body=body, party=party, latest=RANK_MEETINGS)
    ]
    meetings = list(dict.fromkeys(r["meeting"] for r in sorted(rows, key=lambda r: r["date"])))
    chart = alt.Chart({"values": rows}, width={"step": 30}, height={"step": 30}).mark_rect(
        stroke="white"
    ).encode(
        x=alt.X("meeting:N", sort=meetings, title=None, axis=alt.Axis(labelAngle=-50)),
        y=alt.Y("party:N", title=None),
        color=alt.Color("rank:N", title=_("Rank of the head of delegation"),
                        scale=alt.Scale(**palette.scale(
                            Rank, lang, {_("not recorded"): palette.NOT_RECORDED})),
                        legend=alt.Legend(orient="bottom", columns=3)),
        href=alt.Href("url:N"),
        tooltip=[alt.Tooltip("meeting:N", title=_("Meeting")),
                 alt.Tooltip("party:N", title=_("Party")), alt.Tooltip("rank:N", title=_("Rank")),
                 alt.Tooltip("head:N", title=_("Head of delegation"))],
    )
    if meetings_total <= RANK_MEETINGS:
        description = _("The rank of each head of delegation, meeting by meeting: %(n)d "
                        "delegations.") % {"n": len(rows)}
    else:
        description = _("The rank of each head of delegation at the latest %(shown)d of "
                        "%(meetings)d meetings: %(n)d delegations.") % {
            "shown": RANK_MEETINGS, "meetings": meetings_total, "n": len(rows)}
    return Figure("ranks", _("Who came, and at what level"), description, spec_of(chart), rows)


def commitments(db: Session, lang: str, params: Params) -> Figure:
    import altair as alt

    _ = _t(lang)
    found = q.commitments(db).items
    rows = [
        {"id": c.id, "commitment": c.description[:70] + ("…" if len(c.description) > 70 else ""),
         "party": c.party.id, "records": len(c.implementation),
         "pledge": (f"{c.amount:,} {c.currency}" if c.amount else
                    f"{c.target_quantity:,} {c.target_unit}" if c.target_quantity else ""),
         "url": f"/{lang}/commitments/{c.id}"}
        for c in found
    ]
    most = max((len(c.implementation) for c in found), default=0)  # whole-number ticks only
    chart = alt.Chart({"values": rows}, width="container", height={"step": 26}).mark_bar(
        color="#2f6f9f"
    ).encode(
        x=alt.X("records:Q", title=_("Implementation records found"),
                axis=alt.Axis(values=list(range(most + 1)), format="d")),
        y=alt.Y("commitment:N", title=None, sort="-x", axis=alt.Axis(labelLimit=420)),
        href=alt.Href("url:N"),
        tooltip=[alt.Tooltip("commitment:N", title=_("Commitment")),
                 alt.Tooltip("pledge:N", title=_("Pledge")),
                 alt.Tooltip("records:Q", title=_("Implementation records found"))],
    )
    description = _("%(n)d commitments and how many implementation records the sources link to "
                    "each.") % {"n": len(rows)}
    return Figure("commitments", _("Commitments and their follow-up"), description,
                  spec_of(chart), rows)


def compliance(db: Session, lang: str, params: Params) -> Figure:
    from cajd.web import compliance_figure  # it imports this module

    return compliance_figure.figure(db, lang, params)


FIGURES: dict[str, Callable[[Session, str, Params], Figure]] = {
    "timeline": timeline, "structure": structure, "ranks": ranks, "commitments": commitments,
    "compliance": compliance,
}
SVG_CACHE_BYTES = 32 * 2**20  # drawn figures kept, least recently used first out


#: SVGs by their spec's digest: each filter combination of a figure page draws a figure of its
#: own, so an unbounded cache grew with every one a crawler asked for
DRAWN = BoundedLRU[str, str](SVG_CACHE_BYTES, lambda key, drawn: len(drawn))


def svg(figure: Figure) -> str:
    """The figure drawn on the server, cached by its spec (which embeds its data)."""
    import vl_convert

    key = hashlib.blake2b(json.dumps(figure.spec, sort_keys=True).encode()).hexdigest()
    drawn = DRAWN.get(key)
    if drawn is None:
        spec = dict(figure.spec, width=880) if figure.spec.get("width") == "container" else \
            figure.spec
        drawn = vl_convert.vegalite_to_svg(spec)
        DRAWN.put(key, drawn)
    return drawn


def csv_text(rows: Rows) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def build(db: Session, lang: str, name: str, params: Params) -> Figure:
    if name not in FIGURES:
        raise HTTPException(404, f"no figure named {name!r}")
    figure = FIGURES[name](db, lang, params)
    # Vega's own ARIA labels are English whatever the page's language; the page gives the figure
    # its text alternative (the figure's description) instead.
    figure.spec.setdefault("config", {})["aria"] = False
    return figure


def embed(db: Session, lang: str, name: str, params: Params) -> dict[str, Any]:
    """What a page needs to show a figure: its SVG, its text alternative and its links."""
    from urllib.parse import urlencode

    figure = build(db, lang, name, params)
    query = urlencode({k: v for k, v in params.items() if v})
    link = f"/{lang}/figures/{name}.{{}}" + (f"?{query}" if query else "")
    return {"name": name, "title": figure.title, "description": figure.description,
            # inside the page's labelled role="img" box the drawing itself is hidden from
            # assistive technology (with aria off, Vega still leaves unlabelled mark roles)
            "svg": Markup(svg(figure).replace("<svg ", '<svg aria-hidden="true" ', 1)),
            "spec": link.format("vl.json"), "csv": link.format("csv"),
            "rows": len(figure.rows)}


def respond(db: Session, lang: str, name: str, ext: str, params: Params) -> Response:
    figure = build(db, lang, name, params)
    if ext == "csv":
        return Response(csv_text(figure.rows), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'inline; filename="{name}.csv"'})
    if ext == "vl.json":
        return Response(json.dumps(figure.spec), media_type="application/json")
    if ext == "svg":
        return Response(svg(figure), media_type="image/svg+xml")
    raise HTTPException(404, f"no .{ext} form of a figure")
