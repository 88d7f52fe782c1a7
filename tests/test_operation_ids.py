"""Every operation of the OpenAPI document has a stable, explicit camelCase operationId, unique
in the document: generated clients name their functions after it (``list_events``), so FastAPI's
fallback (``list_events_api_v1_events_get``, which changes with the path) must never show."""

from __future__ import annotations

import re
from collections import Counter

import sqlalchemy as sa

from cajd.web.app import create_app

# camelCase: FastAPI's generated ids (list_events_api_v1_events_get) have underscores
CAMEL_CASE = re.compile(r"[a-z]+(?:[A-Z0-9][a-z0-9]*)*")
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def test_every_operation_has_an_explicit_unique_camel_case_id() -> None:
    document = create_app(sa.create_engine("sqlite://")).openapi()
    operations = [(operation.get("operationId", ""), f"{method.upper()} {path}")
                  for path, item in document["paths"].items()
                  for method, operation in item.items() if method in METHODS]
    assert len(operations) >= 40, "the read and the write routes are all in the document"
    wrong = [f"{where}: {op_id!r}" for op_id, where in operations
             if not CAMEL_CASE.fullmatch(op_id)]
    assert not wrong, "operations without an explicit camelCase operation_id:\n" + "\n".join(wrong)
    shared = {op_id: n for op_id, n in Counter(op_id for op_id, _ in operations).items() if n > 1}
    assert not shared, f"operationIds used more than once: {shared}"
