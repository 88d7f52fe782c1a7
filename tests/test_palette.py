"""Figure colours (issue 13, point 2): a fixed function of the vocabulary value, the same in
every language and on every page, and distinguishable under simulated colour blindness."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd.vocab import BodyStatus, DocumentKind, EventStatus, Rank
from cajd.web import palette
from cajd.web.app import create_app
from cajd.web.i18n import LANGUAGES, translations
from tests.webfixture import web_engine

__all__ = ["web_engine"]

DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def _seen(hex_colour: str, deficiency: str | None) -> np.ndarray:
    if deficiency is None:
        return _rgb(hex_colour)
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(_rgb(hex_colour), space, "sRGB1"), 0, 1)


def _closest(colours: list[str], deficiency: str | None) -> float:
    return float(min(deltaE(_seen(a, deficiency), _seen(b, deficiency), input_space="sRGB1")
                     for a, b in itertools.combinations(colours, 2)))


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_ranks_and_missing_stay_apart_for_colour_blind_readers(deficiency: str | None) -> None:
    # CAM02-UCS ΔE: adjacent steps of a sequential ramp differ by lightness, ~8 is plainly seen
    colours = [*palette.RANK.values(), palette.NOT_RECORDED, palette.ABSENT]
    assert _closest(colours, deficiency) >= 8


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
@pytest.mark.parametrize("vocabulary", [EventStatus, BodyStatus, DocumentKind])
def test_unordered_values_stay_apart(vocabulary: type, deficiency: str | None) -> None:
    assert _closest(list(palette.NOMINAL[vocabulary].values()), deficiency) >= 10


def test_rank_ramp_is_sequential_most_senior_darkest() -> None:
    lightness = [cspace_convert(_rgb(palette.RANK[r]), "sRGB1", "CAM02-UCS")[0]
                 for r in Rank.values()]
    assert lightness == sorted(lightness)
    grey = _rgb(palette.NOT_RECORDED)
    assert grey[0] == grey[1] == grey[2], "not recorded is a neutral grey"


def test_scale_is_the_same_function_in_every_language() -> None:
    for vocabulary in (Rank, EventStatus, BodyStatus):
        ranges = {lang: palette.scale(vocabulary, lang)["range"] for lang in LANGUAGES}
        assert ranges["en"] == ranges["ja"] == ranges["ru"]
        for lang in LANGUAGES:
            domain = palette.scale(vocabulary, lang)["domain"]
            assert domain == [vocabulary(v).label(lang) for v in vocabulary.values()]


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(web_engine)) as test_client:
        yield test_client


def _colour_scale(spec: dict, field: str) -> dict:
    layers = spec.get("layer", [spec])
    for layer in layers:
        colour = layer.get("encoding", {}).get("color", {})
        if colour.get("field") == field:
            return dict(colour["scale"])
    raise AssertionError(f"no colour on {field}")


@pytest.mark.parametrize("figure,field,vocabulary", [
    ("ranks", "rank", Rank), ("structure", "status", BodyStatus),
    ("timeline", "status", EventStatus)])
def test_figure_specs_colour_each_value_alike_in_every_language_and_page(
        client: TestClient, figure: str, field: str, vocabulary: type) -> None:
    seen: dict[str, str] = {}
    for lang in LANGUAGES:
        for query in ("", "?party=TM") if figure == "ranks" else ("",):
            spec = client.get(f"/{lang}/figures/{figure}.vl.json{query}").json()
            scale = _colour_scale(spec, field)
            by_label = dict(zip(scale["domain"], scale["range"], strict=True))
            for value in vocabulary.values():
                got = by_label[vocabulary(value).label(lang)]
                assert seen.setdefault(value, got) == got, (lang, query, value)
            if figure == "ranks":
                missing = translations(lang).gettext("not recorded")
                assert by_label[missing] == palette.NOT_RECORDED


@pytest.mark.parametrize("name,field", [("cadence", "where"), ("documents", "kind"),
                                        ("agenda", "pillar")])
def test_analysis_figures_colour_each_key_alike_in_every_language(
        client: TestClient, name: str, field: str) -> None:
    """The analyses' figures too: a value's colour is fixed, not Vega's default by data order;
    read from the spec and matched to the rows' values (the same row order in each language)."""
    colours: list[list[str]] = []
    for lang in LANGUAGES:
        spec = client.get(f"/{lang}/analysis/{name}/figure.vl.json").json()
        scale = _colour_scale(spec, field)
        by_label = dict(zip(scale["domain"], scale["range"], strict=True))
        data = spec["data"]  # altair moves inline rows to a named dataset
        rows = data["values"] if "values" in data else spec["datasets"][data["name"]]
        assert rows, "the figure has data"
        colours.append([by_label[row[field]] for row in rows])  # KeyError: a label off the scale
        assert len(set(scale["range"])) == len(scale["range"]), "one colour per key"
    assert colours[0] == colours[1] == colours[2]
