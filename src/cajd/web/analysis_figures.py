"""The analyses' figures, built like ``web.figures``: a Vega-Lite spec (altair) with its data
rows, drawn on the server as SVG (vl-convert) and redrawn by vega-embed in the page. The report
embeds the same SVGs."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from cajd.analysis import tables
from cajd.analysis.agenda import Agenda
from cajd.analysis.cadence import Cadence
from cajd.analysis.commitments import Commitments
from cajd.analysis.documents import Documents
from cajd.analysis.participation import Participation
from cajd.vocab import DocumentKind, Rank
from cajd.web import palette
from cajd.web.figures import Figure, spec_of
from cajd.web.i18n import translations


def _t(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def participation(r: Participation, lang: str) -> Figure:
    import altair as alt

    _ = _t(lang)
    rows = []
    for row in tables.participation_rows(r):
        status = (_("absent") if row["absent"] else
                  Rank(row["rank"]).label(lang) if row["rank"] else _("not recorded"))
        rows.append({"meeting": row["event"], "date": row["start"], "party": row["party"],
                     "rank": status, "guest": row["role"] == "guest",
                     "below": bool(row["below_nominal"] or row["absent"])})
    meetings = [m.event for m in r.meetings]
    chart = alt.Chart({"values": rows}, width={"step": 34}, height={"step": 26}).mark_rect(
        stroke="white").encode(
        x=alt.X("meeting:N", sort=meetings, title=None, axis=alt.Axis(labelAngle=-50)),
        y=alt.Y("party:N", title=None),
        color=alt.Color("rank:N", title=_("Rank of the head of delegation"),
                        scale=alt.Scale(**palette.scale(Rank, lang, {
                            _("not recorded"): palette.NOT_RECORDED,
                            _("absent"): palette.ABSENT})),
                        legend=alt.Legend(orient="bottom", columns=3)),
        opacity=alt.condition("datum.below", alt.value(1.0), alt.value(0.55)),
        tooltip=[alt.Tooltip("meeting:N", title=_("Meeting")),
                 alt.Tooltip("party:N", title=_("Party")), alt.Tooltip("rank:N", title=_("Rank"))],
    )
    description = _("Each party's delegation rank at each held meeting (%(n)d cells); absent "
                    "parties and guests included.") % {"n": len(rows)}
    return Figure("participation", _("Who came, and at what rank"), description,
                  spec_of(chart), rows)


def cadence(r: Cadence, lang: str) -> Figure:
    import altair as alt

    _ = _t(lang)
    places = {"japan": _("in Japan"), "central_asia": _("in Central Asia"),
              "online": _("online"), "elsewhere": _("elsewhere")}  # in this order, colour by colour
    rows = [{"meeting": row["event"], "date": row["start"], "days": row["days_since_previous"]
             or 0, "where": places[row["where"]], "host": row["host"]}
            for row in tables.cadence_rows(r)]
    chart = alt.Chart({"values": rows}, width="container", height=260).mark_bar().encode(
        x=alt.X("meeting:N", sort=[row["meeting"] for row in rows], title=None,
                axis=alt.Axis(labelAngle=-50)),
        y=alt.Y("days:Q", title=_("Days since the previous meeting")),
        color=alt.Color("where:N", title=_("Held"), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(**palette.keyed(list(places), places))),
        tooltip=[alt.Tooltip("meeting:N", title=_("Meeting")),
                 alt.Tooltip("date:N", title=_("Date")),
                 alt.Tooltip("days:Q", title=_("Days since the previous meeting")),
                 alt.Tooltip("host:N", title=_("Host"))],
    )
    description = _("Days between consecutive held meetings (%(n)d meetings), coloured by where "
                    "each was held.") % {"n": len(rows)}
    return Figure("cadence", _("How regularly it meets, and where"), description,
                  spec_of(chart), rows)


def documents(r: Documents, lang: str) -> Figure:
    import altair as alt

    _ = _t(lang)
    rows = [{"meeting": m.event, "kind": DocumentKind(kind).label(lang), "documents": n}
            for m in r.per_meeting for kind, n in m.kinds.items()]
    rows += [{"meeting": e, "kind": _("none recorded"), "documents": 0}
             for e in r.meetings_without_documents]
    chart = alt.Chart({"values": rows}, width="container", height=240).mark_bar().encode(
        x=alt.X("meeting:N", sort=[m.event for m in r.per_meeting], title=None,
                axis=alt.Axis(labelAngle=-50)),
        y=alt.Y("sum(documents):Q", title=_("Outcome documents"), axis=alt.Axis(format="d")),
        color=alt.Color("kind:N", title=_("Kind"), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(**palette.scale(
                            DocumentKind, lang, {_("none recorded"): palette.NOT_RECORDED}))),
        tooltip=[alt.Tooltip("meeting:N", title=_("Meeting")),
                 alt.Tooltip("kind:N", title=_("Kind")),
                 alt.Tooltip("documents:Q", title=_("Outcome documents"))],
    )
    description = _("Outcome documents adopted at each held meeting, by kind (%(n)d "
                    "documents).") % {"n": r.total}
    return Figure("documents", _("What each meeting adopted"), description, spec_of(chart),
                  rows)


def commitments(r: Commitments, lang: str) -> Figure:
    import altair as alt

    _ = _t(lang)
    rows = [{"commitment": c.id, "usd_millions": round(c.usd / 1e6, 1), "year": c.year or "",
             "records": len(c.implementation), "basis": c.usd_basis or ""}
            for c in r.commitments if c.usd]
    chart = alt.Chart({"values": rows}, width="container", height={"step": 28}).mark_bar(
        color="#2f6f9f").encode(
        x=alt.X("usd_millions:Q", title=_("US$ million"), scale=alt.Scale(type="log")),
        y=alt.Y("commitment:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
        tooltip=[alt.Tooltip("commitment:N", title=_("Commitment")),
                 alt.Tooltip("usd_millions:Q", title=_("US$ million")),
                 alt.Tooltip("records:Q", title=_("Implementation records found"))],
    )
    description = _("Pledges with an amount, in US$ million (log scale): %(n)d of %(total)d "
                    "commitments.") % {"n": len(rows), "total": len(r.commitments)}
    return Figure("commitments", _("What was pledged, in US dollars"), description,
                  spec_of(chart), rows)


def agenda(r: Agenda, lang: str) -> Figure:
    import altair as alt

    _ = _t(lang)
    def name(area: str) -> str:
        names = r.area_names.get(area, {})
        return names.get(lang) or names.get("en") or area

    rows = [{"meeting": row["event"], "area": name(row["area"]), "pillar": name(row["pillar"])}
            for row in tables.agenda_rows(r)]
    pillars = sorted(r.pillars)  # by id: a pillar's colour does not depend on which meetings show
    chart = alt.Chart({"values": rows}, width={"step": 34}, height={"step": 22}).mark_rect(
        stroke="white").encode(
        x=alt.X("meeting:N", sort=[m.event for m in r.meetings], title=None,
                axis=alt.Axis(labelAngle=-50)),
        y=alt.Y("area:N", title=None),
        color=alt.Color("pillar:N", title=_("Pillar"), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(**palette.keyed(pillars, {p: name(p) for p in pillars}))),
        tooltip=[alt.Tooltip("meeting:N", title=_("Meeting")),
                 alt.Tooltip("area:N", title=_("Area")),
                 alt.Tooltip("pillar:N", title=_("Pillar"))],
    )
    description = _("Areas of cooperation on each meeting's agenda, coloured by pillar (%(n)d "
                    "tags).") % {"n": len(rows)}
    return Figure("agenda", _("The agenda over time"), description, spec_of(chart), rows)


BUILDERS: dict[type[BaseModel], Callable[[BaseModel, str], Figure]] = {
    Participation: participation, Cadence: cadence, Documents: documents,  # type: ignore[dict-item]
    Commitments: commitments, Agenda: agenda,  # type: ignore[dict-item]
}


def figure(result: BaseModel, lang: str) -> Figure:
    built = BUILDERS[type(result)](result, lang)
    built.spec.setdefault("config", {})["aria"] = False  # the page gives the text alternative
    return built
