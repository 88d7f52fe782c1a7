"""Two loads at once never mix (issue 8, item 2), on SQLite and PostgreSQL.

Each round starts from the bundled record; two loads of different variants then race from a
barrier. Whatever the interleaving, the store must end holding exactly one of the two variants, and
the last load run must name that one.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from cajd import store
from cajd.dataset import pipeline
from cajd.dataset.writer import data_tables

ROUNDS = 10
SOURCE = """id: {id}
kind: web_page
title: A source only variant {name} holds
"""


def variant(tmp_path: Path, name: str, cities: dict[str, str]) -> pipeline.CheckedDataset:
    """The bundled record with some meetings moved and one source added."""
    root = tmp_path / name
    shutil.copytree(pipeline.bundled_dataset(), root)
    for stem, city in cities.items():
        path = root / "events" / "caj-fmm" / f"{stem}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text(
            "\n".join(f"city: {city}" if ln.startswith("city:") else ln for ln in lines) + "\n",
            encoding="utf-8",
        )
    (root / "sources" / f"variant-{name}.yaml").write_text(
        SOURCE.format(id=f"variant-{name}", name=name), encoding="utf-8"
    )
    return pipeline.check(root)


Snapshot = dict[str, dict[Any, tuple[Any, ...]]]


def snapshot(engine: Engine) -> Snapshot:
    # Facts only: ``version`` counts how many loads updated a row, which differs by design
    # when both loads ran one after the other.
    with engine.connect() as connection:
        return {
            t.name: {
                row.id: tuple(row)
                for row in connection.execute(sa.select(*(c for c in t.c if c.name != "version")))
            }
            for t in data_tables()
        }


def last_run(engine: Engine) -> str:
    query = sa.text("SELECT dataset FROM load_run ORDER BY id DESC LIMIT 1")
    with engine.connect() as connection:
        return str(connection.execute(query).scalar_one())


def race(actions: list[Callable[[], object]]) -> list[BaseException]:
    """Run the actions at once (from a barrier); the exceptions they raised."""
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            action()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a load never finished"
    return errors


def test_two_different_loads_at_once_never_mix(database_url: str, tmp_path: Path) -> None:
    base = pipeline.check()
    a = variant(tmp_path, "a", {"01": "Alpha City", "02": "Alpha Town"})
    b = variant(tmp_path, "b", {"03": "Beta City", "04": "Beta Town"})
    engines = [store.make_engine(database_url) for _ in range(3)]
    try:
        expected = {}
        for dataset in (a, b):
            pipeline.load_checked(engines[0], base)
            pipeline.load_checked(engines[0], dataset)
            expected[str(dataset.root)] = snapshot(engines[0])
        assert expected[str(a.root)] != expected[str(b.root)]
        for n in range(ROUNDS):
            pipeline.load_checked(engines[0], base)
            errors = race(
                [
                    lambda: pipeline.load_checked(engines[1], a),
                    lambda: pipeline.load_checked(engines[2], b),
                ]
            )
            assert not errors, f"round {n}: {errors!r}"
            final, named = snapshot(engines[0]), last_run(engines[0])
            assert final == expected[named], f"round {n}: the store is not the {named} it names"
    finally:
        for engine in engines:
            engine.dispose()


def test_two_identical_loads_at_once_both_succeed(database_url: str, tmp_path: Path) -> None:
    base = pipeline.check()
    a = variant(tmp_path, "a", {"01": "Alpha City"})
    engines = [store.make_engine(database_url) for _ in range(3)]
    try:
        pipeline.load_checked(engines[0], a)
        expected = snapshot(engines[0])
        for n in range(ROUNDS):
            pipeline.load_checked(engines[0], base)
            errors = race([lambda e=e: pipeline.load_checked(e, a) for e in engines[1:]])
            assert not errors, f"round {n}: {errors!r}"
            assert snapshot(engines[0]) == expected, f"round {n}"
    finally:
        for engine in engines:
            engine.dispose()
