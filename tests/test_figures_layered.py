"""The portal's figures as Vega-Lite specs: each valid under Vega-Lite's JSON schema (they are
built without altair's check, for speed), and the layered ones, assembled by
``cajd.web.figures.layered``, drawn exactly as altair's own ``alt.layer`` draws them."""

from __future__ import annotations

import altair as alt
import pytest
import vl_convert
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import core
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.web import figures
from cajd.web.i18n import LANGUAGES
from tests.webfixture import web_engine

__all__ = ["web_engine"]


def test_a_layered_spec_draws_as_altairs_own_layer() -> None:
    bars = [{"name": "KZ", "average": 0.5, "label": "n = 2"},
            {"name": "JP", "average": -1.0, "label": "n = 1"}]
    lines = [{"x": 1, "x2": 2}]

    def charts(data: object, other: object) -> tuple[alt.Chart, alt.Chart, alt.Chart]:
        base = alt.Chart(data)
        return (base.mark_bar().encode(x=alt.X("average:Q"), y=alt.Y("name:N", sort=None)),
                base.mark_text(dx=4).encode(x=alt.value(4), y=alt.Y("name:N", sort=None),
                                            text=alt.Text("label:N")),
                alt.Chart(other).mark_rule().encode(x=alt.X("x:Q"), x2=alt.X2("x2:Q")))

    theirs = alt.layer(*charts({"values": bars}, {"values": lines})).properties(
        width=300, height=alt.Step(30)).to_dict()
    ours = figures.layered(list(charts(figures.named("bars"), figures.named("lines"))),
                           {"bars": bars, "lines": lines}, width=300, height={"step": 30})
    validate_jsonschema(ours, core.load_schema())
    assert vl_convert.vegalite_to_svg(ours) == vl_convert.vegalite_to_svg(theirs)
    assert ours["datasets"] == {"bars": bars, "lines": lines}


@pytest.mark.parametrize("web_engine", ["sqlite"], indirect=True)
def test_every_figure_is_valid_vega_lite(web_engine: Engine) -> None:
    schema = core.load_schema()
    with Session(web_engine) as db:
        for lang in LANGUAGES:
            for name in figures.FIGURES:
                figure = figures.build(db, lang, name, {})
                validate_jsonschema(figure.spec, schema)  # raises, naming the fault
                assert figure.rows, (lang, name)
