"""Property tests: however a valid file is mangled, the loader answers with problems (each with its
place) or accepts it, never with a traceback; and a load never leaves the store half-written."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import sqlalchemy as sa
import yaml
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine

from cajd.dataset import pipeline
from cajd.dataset.problems import DatasetInvalid
from cajd.dataset.writer import data_tables

BUNDLED = pipeline.bundled_dataset()
FILES = sorted(p.relative_to(BUNDLED).as_posix() for p in BUNDLED.rglob("*.yaml"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.text(max_size=12),
    st.sampled_from(["2012-13-40", "2004", "caj-fmm-4", "JP", "minister", "seed-002", "", "-1"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, (*prefix, i))
    return found


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, str]:
    """A bundled file's path and a mangled version of its text."""
    rel = draw(st.sampled_from(FILES))
    text = (BUNDLED / rel).read_text(encoding="utf-8")
    how = draw(st.sampled_from(["replace", "delete", "text"]))
    if how == "text":
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 20))
        noise = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=10))
        return rel, text[:at] + noise + text[at + cut :]
    data = yaml.safe_load(text)
    target = draw(st.sampled_from(paths(data)))
    parent = data
    for step in target[:-1]:
        parent = parent[step]
    if how == "delete":
        del parent[target[-1]]
    else:
        parent[target[-1]] = draw(values)
    return rel, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def mangled_copy(tmp: Path, rel: str, text: str) -> Path:
    root = tmp / "data"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BUNDLED, root)
    (root / rel).write_text(text, encoding="utf-8")
    return root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_check_never_crashes(mutation: tuple[str, str], tmp_path_factory: Any) -> None:
    root = mangled_copy(tmp_path_factory.mktemp("m"), *mutation)
    try:
        pipeline.check(root, "data")
    except DatasetInvalid as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file.startswith("data/")
            assert str(problem).startswith(problem.file)


def _snapshot(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in data_tables()
        }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=mutations())
def test_load_is_all_or_nothing(
    mutation: tuple[str, str], loaded_engine: Engine, tmp_path_factory: Any
) -> None:
    # The store holds a complete dataset before each example (the bundled one, or the last
    # mutation that was valid); after it, either nothing changed or it holds the new one whole.
    before = _snapshot(loaded_engine)
    root = mangled_copy(tmp_path_factory.mktemp("m"), *mutation)
    try:
        pipeline.load(loaded_engine, root, "data")
    except DatasetInvalid:
        assert _snapshot(loaded_engine) == before
        return
    dataset = pipeline.check(root, "data")
    assert _snapshot(loaded_engine) == {t.name: dataset.count(t.name) for t in data_tables()}
