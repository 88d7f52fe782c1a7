"""Whatever passes ``check`` loads identically on both databases (issue 8, item 4): the schema's
limits come from the model, and values at the limits round-trip exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from cajd.dataset import pipeline
from cajd.dataset.limits import INTEGER_RANGES, Limit, problem_of, table_limits
from cajd.model import Base

CITY = "Tokyo" * 24  # 120 characters, the column's length
QUANTITY = 2**31 - 1
AMOUNT = 2**63 - 1


def test_every_string_and_integer_column_has_its_limit() -> None:
    limits = table_limits()
    for table in Base.metadata.sorted_tables:
        by_column = {limit.column: limit for limit in limits[table.name]}
        for column in table.columns:
            if isinstance(column.type, sa.Enum | sa.Boolean):
                continue
            if isinstance(column.type, sa.String):
                assert by_column[column.name].length == column.type.length, column
            elif isinstance(column.type, sa.BigInteger):
                assert by_column[column.name].range == INTEGER_RANGES["bigint"], column
            elif isinstance(column.type, sa.Integer):
                assert by_column[column.name].range == INTEGER_RANGES["integer"], column


def test_text_the_store_cannot_hold_is_named() -> None:
    text = Limit("city", length=10, text=True)
    assert problem_of(text, "a\x00b") == "holds a NUL character (\\0), which the store cannot hold"
    assert problem_of(text, "a\ud800") is not None  # a lone surrogate (from JSON, say)
    assert problem_of(text, "東京") is None
    assert problem_of(text, "x" * 11) == "is 11 characters long; the store holds at most 10"
    assert problem_of(Limit("searched", text=True), ["ok", ["deep\x00"]]) is not None
    whole = Limit("n", range=INTEGER_RANGES["integer"])
    assert problem_of(whole, 2**31 - 1) is None
    assert problem_of(whole, 2**31) is not None
    assert problem_of(whole, -(2**31) - 1) is not None


def _edge_record(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(pipeline.bundled_dataset(), root)
    event = root / "events" / "caj-fmm" / "04.yaml"
    event.write_text(
        event.read_text(encoding="utf-8").replace("city: Tokyo", f"city: {CITY}"), "utf-8"
    )
    trainees = root / "implementation" / "jp-trainees-1200.yaml"
    trainees.write_text(
        trainees.read_text(encoding="utf-8").replace("quantity: 1200", f"quantity: {QUANTITY}"),
        "utf-8",
    )
    bridge = root / "implementation" / "jica-2025-kg-naryn-bridge.yaml"
    bridge.write_text(
        bridge.read_text(encoding="utf-8").replace("amount: 20000000", f"amount: {AMOUNT}"),
        "utf-8",
    )
    return root


def test_values_at_the_limits_load_and_read_back_equal(engine: Engine, tmp_path: Path) -> None:
    root = _edge_record(tmp_path)
    pipeline.load(engine, root)
    with engine.connect() as connection:
        city = connection.execute(sa.text("SELECT city FROM event WHERE id = 'caj-fmm-4'"))
        quantity = connection.execute(
            sa.text("SELECT quantity FROM implementation_record WHERE id = 'jp-trainees-1200'")
        )
        amount = connection.execute(
            sa.text(
                "SELECT amount FROM implementation_record WHERE id = 'jica-2025-kg-naryn-bridge'"
            )
        )
        assert city.scalar_one() == CITY
        assert quantity.scalar_one() == QUANTITY
        assert amount.scalar_one() == AMOUNT
    again = pipeline.load(engine, root)
    assert not again.report.changed  # read back equal: nothing differs on a reload
