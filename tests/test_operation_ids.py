"""Every operation of the OpenAPI document has a stable, explicit camelCase operationId, unique
in the document: generated clients name their functions after it (``list_events``), so FastAPI's
fallback (``list_events_api_v1_events_get``, which changes with the path) must never show."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import sqlalchemy as sa

from cajd.vocab import (
    AgendaStatus,
    BodyKind,
    BodyStatus,
    CommitmentKind,
    DocumentKind,
    EventFormat,
    EventStatus,
    PartyKind,
    Rank,
    Role,
    SourceKind,
)
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


def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    document = create_app(sa.create_engine("sqlite://")).openapi()
    return document, document["components"]["schemas"]


def _field(schemas: dict[str, Any], model: str, name: str) -> dict[str, Any]:
    """The field's own schema, its ``anyOf`` with null taken away (an optional field)."""
    spec: dict[str, Any] = schemas[model]["properties"][name]
    alternatives = [a for a in spec.get("anyOf", [spec]) if a.get("type") != "null"]
    assert len(alternatives) == 1, (model, name, spec)
    found: dict[str, Any] = alternatives[0]
    return found


def test_response_vocabularies_are_named_enums() -> None:
    # A generated client makes an Enum of each, so `event.status` is EventStatus.HELD, not "held".
    _, schemas = _schemas()
    expected = {("EventSummary", "status"): EventStatus, ("EventView", "format"): EventFormat,
                ("DelegationView", "rank"): Rank, ("DelegationView", "role"): Role,
                ("MemberView", "rank"): Rank, ("Attendance", "rank"): Rank,
                ("ParticipationView", "role"): Role, ("PartyView", "kind"): PartyKind,
                ("BodyView", "kind"): BodyKind, ("BodyView", "status"): BodyStatus,
                ("AgendaItemView", "status"): AgendaStatus,
                ("DocumentSummary", "kind"): DocumentKind,
                ("CommitmentView", "kind"): CommitmentKind, ("SourceView", "kind"): SourceKind}
    for (model, name), vocabulary in expected.items():
        ref = _field(schemas, model, name).get("$ref", "")
        assert ref == f"#/components/schemas/{vocabulary.__name__}", (model, name)
        assert schemas[vocabulary.__name__]["enum"] == [m.value for m in vocabulary]
    assert _field(schemas, "EventSummary", "start_precision")["enum"] == ["year", "month", "day"]


def test_record_dates_say_their_precision() -> None:
    # YYYY, YYYY-MM or YYYY-MM-DD: a client can tell a month-precision date from a day.
    _, schemas = _schemas()
    for model, name in [("EventSummary", "start"), ("EventSummary", "end"),
                        ("DocumentSummary", "date"), ("ImplementationView", "date"),
                        ("CommitmentView", "due"), ("PositionView", "start"),
                        ("ParticipationView", "end"), ("Attendance", "start")]:
        spec = _field(schemas, model, name)
        assert spec["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$", (model, name)
        assert re.fullmatch(spec["pattern"], "2025-12") and not re.fullmatch(
            spec["pattern"], "2025-12-10T00:00:00"), (model, name)


def test_every_read_documents_its_304() -> None:
    document, _ = _schemas()
    reads = {path: item["get"] for path, item in document["paths"].items() if "get" in item}
    assert len(reads) >= 30
    missing = [path for path, operation in reads.items() if "304" not in operation["responses"]]
    assert not missing, f"GET operations without 304 Not Modified: {missing}"
    assert "ETag" in reads["/api/v1/events"]["responses"]["304"]["headers"]
