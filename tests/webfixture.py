"""A loaded database per backend, shared by a test module (loading is the slow part)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from cajd import store
from cajd.dataset import pipeline
from tests.conftest import BACKENDS, new_database


@pytest.fixture(scope="module", params=BACKENDS)
def web_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    urls = new_database(request.param, request, tmp_path_factory.mktemp("web"))
    engine = store.make_engine(next(urls), pool_size=10, pool_timeout=3)
    pipeline.load(engine)
    yield engine
    engine.dispose()
    next(urls, None)  # drops the PostgreSQL database
