"""The compliance dashboard's figure: each party's average score on the −1…+1 scale, its n
written beside the bar (an average of one cell is not an average of twenty)."""

from __future__ import annotations

from typing import cast

from sqlalchemy.orm import Session

from cajd.read import compliance
from cajd.web.figures import Figure, Params, layered, named
from cajd.web.i18n import translations


def figure(db: Session, lang: str, params: Params) -> Figure:
    import altair as alt

    _ = translations(lang).gettext
    stage = params.get("stage") or "latest"
    if stage not in compliance.STAGE_VIEWS:
        stage = "latest"
    names = compliance.names(db).parties
    found = compliance.averages(compliance.cells(db, cast(compliance.StageView, stage)), "party")
    rows = [{"party": a.key, "name": (names[a.key].get(lang) or names[a.key].en)
             if a.key in names else a.key, "average": a.mean, "n": a.n,
             "not_assessed": a.not_assessed, "label": f"n = {a.n}"}
            for a in found if a.mean is not None]
    base = alt.Chart(named("averages"))
    bars = base.mark_bar(color="#2f6f9f").encode(
        x=alt.X("average:Q", title=_("Average score (−1 to +1)"),
                scale=alt.Scale(domain=[-1, 1]), axis=alt.Axis(values=[-1, -0.5, 0, 0.5, 1])),
        y=alt.Y("name:N", title=None, sort=None),  # the rows come ranked
        tooltip=[alt.Tooltip("name:N", title=_("Party")),
                 alt.Tooltip("average:Q", title=_("Average"), format=".2f"),
                 alt.Tooltip("n:Q", title=_("Scored (n)"))],
    )
    labels = base.mark_text(align="left", dx=4).encode(
        x=alt.value(4), y=alt.Y("name:N", sort=None), text=alt.Text("label:N"))
    description = _("Average compliance score of %(n)d parties, each with the number of "
                    "scored commitments (n); not-assessed commitments are left out.") % {
        "n": len(rows)}
    return Figure("compliance", _("Compliance by party"), description,
                  layered([bars, labels], {"averages": rows}, width="container",
                          height={"step": 30}), rows)
