"""The Popolo export: mapping, validation against the vendored schemas, and the CLI command."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cajd.cli import app
from cajd.export import popolo
from cajd.export.popolo import popolo_bundle, popolo_registry, validate_bundle
from cajd.fuzzydate import FuzzyDate
from cajd.model import (
    Body,
    Citation,
    Commitment,
    Delegation,
    Dialogue,
    Document,
    Event,
    Participation,
    Party,
    Person,
    Position,
    Source,
)
from cajd.vocab import (
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

DAY, MONTH, YEAR = "day", "month", "year"


def _add_sample(engine: Engine) -> None:
    """A small record of its own, so these tests do not depend on the bundled dataset.

    Its people, dates and documents are invented test values, not facts about the Dialogue.
    """
    with Session(engine) as s, s.begin():
        s.add_all(
            [
                Party(
                    id="JP", name_en="Japan", name_ja="日本", name_ru="Япония", kind=PartyKind.STATE
                ),
                Party(id="KZ", name_en="Kazakhstan", name_ru="Казахстан", kind=PartyKind.STATE),
                Party(id="UZ", name_en="Uzbekistan", kind=PartyKind.STATE),
                Party(id="undp", name_en="UNDP", kind=PartyKind.ORGANISATION),
            ]
        )
        s.flush()
        s.add(
            Dialogue(
                id="caj",
                name_en="Test Dialogue",
                name_ja="テスト対話",
                partner_id="JP",
                founded_date=dt.date(2004, 8, 28),
                founded_precision=DAY,
                founded_city="Astana",
                founded_country="KZ",
            )
        )
        s.flush()
        s.add_all(
            [
                Participation(
                    id="caj-JP",
                    dialogue_id="caj",
                    party_id="JP",
                    role=Role.MEMBER,
                    start_date=dt.date(2004, 8, 1),
                    start_precision=MONTH,
                ),
                Participation(
                    id="caj-KZ",
                    dialogue_id="caj",
                    party_id="KZ",
                    role=Role.MEMBER,
                    start_date=dt.date(2004, 1, 1),
                    start_precision=YEAR,
                ),
                Participation(
                    id="caj-undp", dialogue_id="caj", party_id="undp", role=Role.OBSERVER
                ),
                Body(
                    id="caj-fmm",
                    dialogue_id="caj",
                    name_en="Foreign Ministers' Meeting",
                    name_ja="テスト機関",
                    code="FMM",
                    kind=BodyKind.MINISTERIAL,
                    status=BodyStatus.ACTIVE,
                    established_date=dt.date(2004, 8, 1),
                    established_precision=MONTH,
                ),
                Person(id="person-a", name_en="Person A", name_ja="テスト人物A"),
                Person(id="person-b", name_en="Person B"),
                Source(
                    id="mofa-fmm4",
                    kind=SourceKind.WEB_PAGE,
                    title="MOFA: 4th FMM",
                    url="https://www.mofa.go.jp/region/europe/caj/fmm4.html",
                ),
                Source(id="seed-paper", kind=SourceKind.SEED, title="The seed paper"),
            ]
        )
        s.flush()
        s.add_all(
            [
                Position(
                    id="person-a-post",
                    person_id="person-a",
                    party_id="JP",
                    title_en="Minister for Foreign Affairs",
                    start_date=dt.date(2011, 9, 2),
                    start_precision=DAY,
                ),
                Event(
                    id="caj-fmm-1",
                    body_id="caj-fmm",
                    name_en="1st Foreign Ministers' Meeting",
                    number=1,
                    city="Astana",
                    country="KZ",
                    host_id="KZ",
                    start_date=dt.date(2004, 8, 28),
                    start_precision=DAY,
                    format=EventFormat.IN_PERSON,
                    status=EventStatus.HELD,
                ),
                Event(
                    id="caj-fmm-4",
                    body_id="caj-fmm",
                    name_en="4th Foreign Ministers' Meeting",
                    name_ja="テスト会合",
                    number=4,
                    city="Tokyo",
                    country="JP",
                    host_id="JP",
                    chair_id="person-a",
                    venue="Iikura Guest House",
                    start_date=dt.date(2012, 11, 10),
                    start_precision=DAY,
                    format=EventFormat.IN_PERSON,
                    status=EventStatus.HELD,
                ),
                Event(
                    id="caj-fmm-x",
                    body_id="caj-fmm",
                    name_en="Extraordinary FMM",
                    extraordinary=True,
                    start_date=dt.date(2021, 1, 1),
                    start_precision=YEAR,
                    format=EventFormat.VIDEO,
                    status=EventStatus.HELD,
                ),
            ]
        )
        s.flush()
        s.add_all(
            [
                Delegation(
                    id="caj-fmm-4-JP",
                    event_id="caj-fmm-4",
                    party_id="JP",
                    role=Role.MEMBER,
                    head_id="person-a",
                    head_title="Minister for Foreign Affairs",
                    rank=Rank.MINISTER,
                ),
                Delegation(
                    id="caj-fmm-4-KZ",
                    event_id="caj-fmm-4",
                    party_id="KZ",
                    role=Role.MEMBER,
                    head_id="person-b",
                    rank=Rank.MINISTER,
                ),
                Delegation(
                    id="caj-fmm-4-UZ",
                    event_id="caj-fmm-4",
                    party_id="UZ",
                    role=Role.MEMBER,
                    head_title="Ambassador to Japan",
                    rank=Rank.AMBASSADOR,
                ),
                Document(
                    id="caj-fmm-4-js",
                    dialogue_id="caj",
                    kind=DocumentKind.JOINT_STATEMENT,
                    title_en="Joint Statement of the 4th FMM",
                    event_id="caj-fmm-4",
                    date=dt.date(2012, 11, 10),
                    date_precision=DAY,
                    url="https://www.mofa.go.jp/js.html",
                ),
                Commitment(
                    id="caj-fmm-4-jp-odas",
                    dialogue_id="caj",
                    party_id="JP",
                    kind=CommitmentKind.FUNDING,
                    description="ODA for agriculture",
                    event_id="caj-fmm-4",
                    amount=70_000_000_000,
                    currency="JPY",
                    amount_usd=700_000_000,
                ),
                Citation(
                    id="c1", subject_kind="event", subject_id="caj-fmm-4", source_id="mofa-fmm4"
                ),
                Citation(
                    id="c2",
                    subject_kind="event",
                    subject_id="caj-fmm-4",
                    source_id="seed-paper",
                    locator="p. 3",
                ),
                Citation(
                    id="c3",
                    subject_kind="event",
                    subject_id="caj-fmm-4",
                    source_id="seed-paper",
                    locator="p. 4",
                ),
                Citation(id="c4", subject_kind="party", subject_id="JP", source_id="seed-paper"),
            ]
        )


@pytest.fixture
def sample(engine: Engine) -> Engine:
    _add_sample(engine)
    return engine


def _bundle(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        return popolo_bundle(session)


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def test_sample_bundle_validates_and_maps_the_model(sample: Engine) -> None:
    bundle = _bundle(sample)
    assert validate_bundle(bundle) == []

    orgs = _by_id(bundle["organizations"])
    assert orgs["caj"]["classification"] == "dialogue"
    assert orgs["caj"]["founding_date"] == "2004-08-28"
    assert orgs["caj"]["other_names"] == [{"name": "テスト対話", "lang": "ja"}]
    assert orgs["caj-fmm"]["classification"] == "body"
    assert orgs["caj-fmm"]["parent_id"] == "caj"
    assert orgs["caj-fmm"]["extras"]["code"] == "FMM"
    assert orgs["caj-fmm"]["extras"]["status"] == "active"
    assert orgs["caj-fmm"]["extras"]["kind"] == "ministerial"
    assert orgs["JP"]["classification"] == "state"
    assert orgs["JP"]["identifiers"] == [{"scheme": "iso3166-1-alpha2", "identifier": "JP"}]
    assert orgs["JP"]["other_names"] == [
        {"name": "日本", "lang": "ja"},
        {"name": "Япония", "lang": "ru"},
    ]
    assert orgs["JP"]["sources"] == [
        {"url": "urn:cajd:source:seed-paper", "note": "The seed paper"}
    ]
    assert orgs["undp"]["classification"] == "organisation"
    # by id in Python, not in the database's collation (PostgreSQL's may put 'undp' before 'UZ')
    assert [o["id"] for o in bundle["organizations"]] == [
        "caj",
        "caj-fmm",
        "JP",
        "KZ",
        "UZ",
        "undp",
    ]
    assert "identifiers" not in orgs["undp"]

    memberships = _by_id(bundle["memberships"])
    assert memberships["caj-JP"]["organization_id"] == "caj"
    assert memberships["caj-JP"]["member"] == {"@type": "Organization", "id": "JP"}
    assert memberships["caj-JP"]["start_date"] == "2004-08"
    assert memberships["caj-KZ"]["start_date"] == "2004"
    assert memberships["caj-undp"]["role"] == "observer"

    persons = _by_id(bundle["persons"])
    assert persons["person-a"]["other_names"] == [{"name": "テスト人物A", "lang": "ja"}]
    assert persons["person-a"]["extras"]["positions"][0]["start_date"] == "2011-09-02"

    events = _by_id(bundle["events"])
    fmm4 = events["caj-fmm-4"]
    assert fmm4["organization_id"] == "caj-fmm"
    assert fmm4["classification"] == "FMM"
    assert fmm4["location"] == "Tokyo, Japan"
    assert fmm4["status"] == "held"
    assert fmm4["attendees"] == [
        {"id": "person-a", "name": "Person A"},
        {"id": "person-b", "name": "Person B"},
    ]
    extras = fmm4["extras"]
    assert [d["party"] for d in extras["delegations"]] == ["JP", "KZ", "UZ"]
    assert extras["delegations"][0]["rank"] == "minister"
    assert extras["delegations"][0]["rank_level"] == Rank.MINISTER.level == 5
    assert extras["delegations"][2]["head"] is None
    assert extras["delegations"][2]["head_title"] == "Ambassador to Japan"
    assert extras["documents"] == [
        {
            "id": "caj-fmm-4-js",
            "kind": "joint_statement",
            "title": "Joint Statement of the 4th FMM",
            "date": "2012-11-10",
            "url": "https://www.mofa.go.jp/js.html",
            "sources": [],
        }
    ]
    assert extras["pledges"][0]["amount"] == 70_000_000_000
    assert extras["pledges"][0]["currency"] == "JPY"
    assert extras["pledges"][0]["amount_usd"] == 700_000_000
    assert extras["sources"] == ["mofa-fmm4", "seed-paper"]  # cited twice, listed once
    assert fmm4["sources"] == [
        {"url": "https://www.mofa.go.jp/region/europe/caj/fmm4.html", "note": "MOFA: 4th FMM"},
        {"url": "urn:cajd:source:seed-paper", "note": "The seed paper"},
    ]
    assert (extras["format"], extras["number"], extras["host"]) == ("in_person", 4, "JP")
    assert extras["venue"] == "Iikura Guest House"
    assert extras["other_names"] == [{"name": "テスト会合", "lang": "ja"}]

    video = events["caj-fmm-x"]
    assert video["start_date"] == "2021"
    assert "location" not in video
    assert video["extras"]["extraordinary"] is True
    assert video["extras"]["delegations"] == []
    # chronological order
    assert [e["id"] for e in bundle["events"]] == ["caj-fmm-1", "caj-fmm-4", "caj-fmm-x"]


def test_every_event_row_is_exported_with_its_date_and_city(sample: Engine) -> None:
    events = _by_id(_bundle(sample)["events"])
    with Session(sample) as session:
        rows = session.scalars(sa.select(Event)).all()
    assert len(rows) == len(events) == 3
    for row in rows:
        exported = events[row.id]
        assert exported["start_date"] == str(
            FuzzyDate.from_columns(row.start_date, row.start_precision)
        )
        if row.city:
            assert row.city in exported["location"]


def _valid() -> dict[str, Any]:
    return {
        "organizations": [
            {"id": "caj", "name": "CA+J", "classification": "dialogue"},
            {"id": "JP", "name": "Japan", "classification": "state"},
        ],
        "persons": [{"id": "p", "name": "P", "other_names": [{"name": "ピ", "lang": "ja"}]}],
        "memberships": [
            {
                "id": "m",
                "organization_id": "caj",
                "member": {"@type": "Organization", "id": "JP"},
                "role": "member",
            }
        ],
        "events": [
            {"id": "e0", "start_date": "2004-08-28"},
            {
                "id": "e1",
                "start_date": "2012-11",
                "attendees": [{"id": "p"}],
                "sources": [{"url": "urn:cajd:source:s", "note": "S"}],
                "extras": {"anything": [1, 2]},
            },
        ],
    }


def test_a_hand_built_bundle_validates() -> None:
    assert validate_bundle(_valid()) == []


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (("events", 1, "start_date"), "2012/11/10", "events[1].start_date: '2012/11/10' does not"),
        (("organizations", 0, "name"), 5, "organizations[0].name: 5 is not of type"),
        (("memberships", 0, "member"), "JP", "memberships[0].member: 'JP' is not of type"),
        (("persons", 0, "other_names"), [{"name": 1}], "persons[0].other_names[0].name: 1 is not"),
        (("events", 1, "attendees"), [{"name": 1}], "events[1].attendees[0].name: 1 is not"),
        (
            ("events", 1, "sources"),
            [{"note": "x"}],
            "events[1].sources[0].url: 'url' is a required",
        ),
        (("organizations", 1, "id"), "caj", "organizations[1].id: 'caj' is also the id of"),
    ],
)
def test_a_broken_bundle_names_the_place(
    where: tuple[str, int, str], value: Any, expected: str
) -> None:
    bundle = copy.deepcopy(_valid())
    key, index, field = where
    bundle[key][index][field] = value
    errors = validate_bundle(bundle)
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected), errors


def test_a_bundle_missing_an_array_is_invalid() -> None:
    bundle = _valid()
    del bundle["persons"]
    assert validate_bundle(bundle) == ["persons: missing, or not a list"]


def test_every_schema_reference_resolves_offline() -> None:
    registry = popolo_registry()
    refs: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            refs.update([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    uris = [uri for uri in registry if uri.startswith(popolo.SCHEMA_BASE)]
    assert len(uris) == 16
    for uri in uris:
        collect(registry.contents(uri))
    assert refs
    resolver = registry.resolver()
    for ref in refs:
        assert resolver.lookup(ref).contents["id"] == ref


def test_cli_writes_a_valid_bundle_to_a_file(
    sample: Engine, cli_env: dict[str, str], runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "popolo.json"
    result = runner.invoke(app, ["export", "popolo", "-o", str(target)], env=cli_env)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "日本" in text  # ensure_ascii=False
    bundle = json.loads(text)
    assert validate_bundle(bundle) == []
    assert [e["id"] for e in bundle["events"]] == ["caj-fmm-1", "caj-fmm-4", "caj-fmm-x"]

    stdout = runner.invoke(app, ["export", "popolo"], env=cli_env)
    assert stdout.exit_code == 0
    assert json.loads(stdout.stdout) == bundle


def test_cli_refuses_an_invalid_bundle(
    engine: Engine,
    cli_env: dict[str, str],
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = _valid()
    broken["events"][0]["start_date"] = "2012/11/10"
    monkeypatch.setattr(popolo, "popolo_bundle", lambda _session: broken)
    target = tmp_path / "popolo.json"
    result = runner.invoke(app, ["export", "popolo", "--output", str(target)], env=cli_env)
    assert result.exit_code == 1
    assert "events[0].start_date" in result.stderr
    assert not target.exists()


def test_the_bundled_record_exports_and_validates(loaded_engine: Engine) -> None:
    bundle = _bundle(loaded_engine)
    assert validate_bundle(bundle) == []
    with Session(loaded_engine) as session:
        events = session.scalar(sa.select(sa.func.count()).select_from(Event))
    assert events
    assert len(bundle["events"]) == events
