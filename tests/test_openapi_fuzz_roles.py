"""The whole API fuzzed by Schemathesis authenticated as each role (both databases): every
operation, as the secretariat, the focal points, the assessor and the reader (by bearer token),
must answer no 5xx and conform to the OpenAPI document (status, content type, body schema; bad
input refused, good input accepted; the write operations refuse a request without a token).

The default run fuzzes every write operation as every role in both modes (a few examples each)
and every read operation as one role each (rotating); ``-m slow`` runs every operation as every
role in both modes, 25 examples each.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.test_openapi_fuzz import OPERATIONS
from tests.writes.registry import World, world
from tests.writes.world import USERS

__all__ = ["world"]
ROLES = list(USERS)
WRITES = [(label, q) for label, q in OPERATIONS if not label.startswith("GET ")]
READS = [(label, q) for label, q in OPERATIONS if label.startswith("GET ")]


def _cases(operations: list[tuple[str, bool]], roles: list[str] | None, examples: int,
           slow: bool = False, modes: tuple[GenerationMode, ...] = tuple(GenerationMode)
           ) -> list[Any]:
    cases = []
    for index, (label, has_query) in enumerate(operations):
        for user in roles or [ROLES[index % len(ROLES)]]:
            for mode in modes:
                if mode is GenerationMode.POSITIVE or has_query or not label.startswith("GET "):
                    marks = [pytest.mark.slow] if slow else []
                    cases.append(pytest.param(label, user, mode, examples, marks=marks,
                                              id=f"{user}-{mode.value}-{label}"))
    return cases


# Reads are fuzzed in both modes anonymously (tests/test_openapi_fuzz.py); here they need only
# show that a token changes nothing in the contract.
DEFAULT = _cases(WRITES, ROLES, 4) + _cases(READS, None, 2, modes=(GenerationMode.POSITIVE,))
LONG = _cases(OPERATIONS, ROLES, 25, slow=True)


@pytest.fixture(scope="module")
def role_schema(world: World) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", world.app)


def test_the_default_run_covers_every_operation_and_role() -> None:
    assert {label for label, *_ in (c.values for c in DEFAULT)} == {op for op, _ in OPERATIONS}
    assert {user for _, user, *_ in (c.values for c in DEFAULT)} == set(ROLES)
    assert len(WRITES) >= 6


def _fuzz(world: World, schema: Any, label: str, user: str, mode: GenerationMode,
          examples: int) -> None:
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    headers = world.bearer(user)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def conforms(case: Any) -> None:
        case.call_and_validate(headers=headers)

    conforms()


@pytest.mark.parametrize(("label", "user", "mode", "examples"), DEFAULT)
def test_the_api_conforms_as_each_role(world: World, role_schema: Any, label: str, user: str,
                                       mode: GenerationMode, examples: int) -> None:
    _fuzz(world, role_schema, label, user, mode, examples)


@pytest.mark.parametrize(("label", "user", "mode", "examples"), LONG)
def test_every_operation_conforms_as_every_role(world: World, role_schema: Any, label: str,
                                                user: str, mode: GenerationMode,
                                                examples: int) -> None:
    _fuzz(world, role_schema, label, user, mode, examples)
