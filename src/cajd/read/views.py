"""Typed views of the record, shared by the JSON API (as its schema) and the HTML pages.

Names and titles are kept in all three languages (``Localized``); a page picks its language and
shows the fallback visibly, the API returns them all.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


# A date only as far as it is known (issue 13): never a day the sources do not give.
PartialDate = Annotated[str, Field(
    pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
    description="as far as it is known: YYYY, YYYY-MM or YYYY-MM-DD (see its precision)")]
DatePrecision = Literal["year", "month", "day"]


class Localized(View):
    en: str
    ja: str | None = None
    ru: str | None = None

    def get(self, lang: str) -> str | None:
        value: str | None = getattr(self, lang, None)
        return value


class CajdText(Localized):
    """Text cajd wrote in English, with cajd's own Japanese and Russian: a translation by cajd,
    never a source's words (the portal says so)."""

    translated_by: str = "cajd"


class Cite(View):
    """A source supporting a fact, with where in the source."""

    source: str
    title: str
    url: str | None = None
    official: bool
    at: str | None = None


class Claim(View):
    value: str
    preferred: bool
    reason: str | None = None
    sources: list[Cite]


class ConflictView(View):
    id: str
    subject_kind: str
    subject_id: str
    field: str
    note: str | None = None
    resolved: bool
    claims: list[Claim]


class PartyBrief(View):
    id: str
    name: Localized


class PersonBrief(View):
    id: str
    name: Localized


class AreaBrief(View):
    id: str
    name: Localized


class ParticipationView(View):
    dialogue: str
    dialogue_name: Localized
    party: PartyBrief
    role: Role
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: str | None = None
    sources: list[Cite]
    conflicts: list[ConflictView]


class PartyView(View):
    id: str
    kind: PartyKind
    name: Localized
    participations: list[ParticipationView]
    sources: list[Cite]


class StatedCountView(View):
    count: int
    as_of: str
    note: str | None = None
    sources: list[Cite]


class BodyOutline(View):
    """A body as lists and figures name it: without its sources or stated counts."""

    id: str
    code: str
    name: Localized
    kind: BodyKind
    status: BodyStatus
    reports_to: str | None = None
    events: int


class BodyView(View):
    id: str
    dialogue: str
    code: str
    name: Localized
    kind: BodyKind
    status: BodyStatus
    reports_to: str | None = None
    proposed: str | None = None
    established: str | None = None
    description: str | None = None
    description_text: CajdText | None = None
    events: int
    stated_counts: list[StatedCountView]
    sources: list[Cite]


class EventSummary(View):
    id: str
    body: str
    body_code: str
    number: int | None = None
    extraordinary: bool
    name: Localized
    start: PartialDate
    start_precision: DatePrecision = "day"
    end: PartialDate | None = None
    end_precision: DatePrecision | None = None
    city: str | None = None
    country: str | None = None
    venue: str | None = None
    city_name: Localized | None = None  # the gazetteer's names of the city
    venue_name: Localized | None = None
    host: PartyBrief | None = None
    format: EventFormat
    status: EventStatus
    delegations: int


class MemberView(View):
    """A delegation's member besides its head: a person of the record, or a name."""

    person: PersonBrief | None = None
    name: str | None = None
    title: str | None = None
    rank: Rank | None = None


class DelegationView(View):
    id: str
    party: PartyBrief
    role: Role
    head: PersonBrief | None = None
    head_name: str | None = None
    head_title: str | None = None
    head_title_name: Localized | None = None  # in three languages, from the record's positions
    rank: Rank | None = None
    rank_level: int | None = None
    note: str | None = None
    registration: str | None = None  # None: from the historical record; else confirmed
    members: list[MemberView] = []
    sources: list[Cite]


class AgendaItemView(View):
    id: str
    position: int
    title: Localized
    status: AgendaStatus
    areas: list[AreaBrief]


class DocumentSummary(View):
    id: str
    kind: DocumentKind
    title: Localized
    title_official: bool
    event: str | None = None
    date: PartialDate | None = None
    url: str | None = None


class ReservationView(View):
    """A reservation a party recorded with its endorsement of the adopted text."""

    party: PartyBrief
    text: str


class DocumentView(DocumentSummary):
    dialogue: str
    languages: list[str]
    description: str | None = None
    text: str | None = None
    licence: str | None = None
    areas: list[AreaBrief]
    sources: list[Cite]
    conflicts: list[ConflictView]
    reservations: list[ReservationView] = []


class ImplementationView(View):
    id: str
    date: PartialDate | None = None
    description: str
    implementer: str | None = None
    amount: int | None = None
    currency: str | None = None
    quantity: int | None = None
    unit: str | None = None
    sources: list[Cite]


class CommitmentView(View):
    id: str
    dialogue: str
    party: PartyBrief
    kind: CommitmentKind
    description: str
    event: str | None = None
    document: str | None = None
    amount: int | None = None
    currency: str | None = None
    amount_usd: int | None = None
    target_quantity: int | None = None
    target_unit: str | None = None
    due: PartialDate | None = None
    areas: list[AreaBrief]
    implementation: list[ImplementationView]
    sources: list[Cite]
    conflicts: list[ConflictView]


class EventView(EventSummary):
    description: str | None = None
    description_text: CajdText | None = None
    cancellation_reason: str | None = None
    chair: PersonBrief | None = None
    agenda: list[AgendaItemView] = []
    delegation_list: list[DelegationView]
    documents: list[DocumentSummary]
    commitments: list[CommitmentView]
    areas: list[AreaBrief]
    sources: list[Cite]
    conflicts: list[ConflictView]


class PositionView(View):
    title: Localized
    party: PartyBrief | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None


class Attendance(View):
    event: str
    event_name: Localized
    start: PartialDate
    party: str
    rank: Rank | None = None
    head_title: str | None = None


class PersonView(View):
    id: str
    name: Localized
    positions: list[PositionView]
    headed: list[Attendance]
    sources: list[Cite]


class Supported(View):
    """A fact a source supports: the record (kind and id) and where in the source."""

    kind: str
    id: str
    at: str | None = None


class SourceView(View):
    id: str
    kind: SourceKind
    title: str
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    accessed: str | None = None
    file: str | None = None
    official: bool
    note: str | None = None
    supports: list[Supported]
    conflicts: list[ConflictView]
