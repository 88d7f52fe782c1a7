"""A body's nominal rank: in its YAML, grounded (cited or a stated convention), in the store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy import Engine

from cajd.dataset.records import BodyRecord

BASE = {"id": "x-fmm", "dialogue": "caj", "code": "FMM", "name": {"en": "X"},
        "kind": "ministerial", "status": "active"}


def test_a_cited_nominal_rank_is_accepted() -> None:
    record = BodyRecord.model_validate(
        BASE | {"nominal_rank": "minister",
                "sources": [{"source": "seed-002", "field": "nominal_rank"}]})
    assert record.nominal_rank == "minister"


def test_a_convention_stands_in_for_a_source() -> None:
    record = BodyRecord.model_validate(
        BASE | {"nominal_rank": "minister", "nominal_rank_convention": "the body's name",
                "sources": ["seed-002"]})
    assert record.nominal_rank_convention == "the body's name"


@pytest.mark.parametrize("extra", [
    {"nominal_rank": "minister"},  # neither cited nor declared a convention
    {"nominal_rank_convention": "a convention about nothing"},
])
def test_an_ungrounded_nominal_rank_is_refused(extra: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="nominal_rank"):
        BodyRecord.model_validate(BASE | extra | {"sources": ["seed-002"]})


def test_the_store_holds_each_body_nominal_rank(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as connection:
        rows = dict(connection.execute(sa.text(
            "SELECT id, nominal_rank FROM body WHERE nominal_rank IS NOT NULL")).all())
    assert rows == {"caj-fmm": "minister", "caj-som": "deputy_minister",
                    "caj-summit": "head_of_government"}
