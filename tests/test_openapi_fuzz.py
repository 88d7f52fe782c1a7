"""The API against its own OpenAPI document, fuzzed in-process by Schemathesis on both databases.

Every operation gets generated requests, valid and invalid; each answer must not be a 5xx and must
conform to the document: a documented status code, the documented content type and headers, a body
that validates against the response schema, invalid input rejected and valid input accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from sqlalchemy import Engine

from cajd import store
from cajd.dataset import pipeline
from cajd.web.app import create_app
from tests.conftest import BACKENDS, new_database


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    urls = new_database(request.param, request, tmp_path_factory.mktemp("fuzz"))
    engine = store.make_engine(next(urls))
    pipeline.load(engine)
    yield engine
    engine.dispose()
    next(urls, None)  # drops the PostgreSQL database


def _operations() -> list[tuple[str, bool]]:
    """Every operation of the API, and whether it has query parameters (which can be sent bad
    values; a path's id is any string, so no request to it is invalid). The document does not
    depend on the data, so an app on an empty engine gives it."""
    document = create_app(sa.create_engine("sqlite://")).openapi()
    return [
        (f"{method.upper()} {path}",
         any(p["in"] == "query" for p in operation.get("parameters", [])))
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


OPERATIONS = _operations()
CASES = [
    pytest.param(label, mode, id=f"{mode.value}-{label}")
    for label, has_query in OPERATIONS
    for mode in GenerationMode
    if mode is GenerationMode.POSITIVE or has_query
]


@pytest.fixture(scope="module")
def api_schema(fuzz_engine: Engine) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(fuzz_engine))


def test_every_operation_is_fuzzed() -> None:
    labels = [label for label, _ in OPERATIONS]
    assert "GET /api/v1/events" in labels and "GET /api/v1/events/{event_id}" in labels
    assert "PATCH /api/v1/events/{event_id}" in labels  # the write API, refused anonymously
    assert all(label.split(" ")[1].startswith("/api/v1/") for label in labels), labels


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_api_conforms_to_its_openapi_document(
    api_schema: Any, label: str, mode: GenerationMode
) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, label

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def conforms(case: Any) -> None:
        case.call_and_validate()

    conforms()
