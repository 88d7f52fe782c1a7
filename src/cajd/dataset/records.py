"""The dataset's record types: what one YAML file (or one entry inside it) may say.

These pydantic classes are the YAML format's one definition. Each record knows how to become rows of
the domain model (``rows.py``); the field names follow the model's columns so the two stay legible
side by side, and ``tests/test_records.py`` fails if a model column has no field that feeds it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from cajd.fuzzydate import FuzzyDate
from cajd.vocab import (
    AgendaStatus,
    BodyKind,
    BodyStatus,
    CommitmentKind,
    DocumentKind,
    DocumentStatus,
    EventFormat,
    EventStatus,
    ItemStatus,
    Lang,
    PartyKind,
    PlaceKind,
    Rank,
    Registration,
    RemarkKind,
    Role,
    SourceKind,
)

Date = Annotated[FuzzyDate, BeforeValidator(FuzzyDate.parse), PlainSerializer(str)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80)]
Ref = Annotated[str, Field(min_length=1, max_length=120)]
Text = Annotated[str, Field(min_length=1)]
# A body's meetings number in the tens; a bound keeps numbering checks and reports small.
MeetingNumber = Annotated[int, Field(ge=1, le=10_000)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Localized(Record):
    """Text in English, and in Japanese and Russian where a source gives it."""

    en: Text
    ja: Text | None = None
    ru: Text | None = None


class SourceRef(Record):
    """Cites a source for a whole record, or (with ``field``) for one of its fields."""

    source: Ref
    at: str | None = Field(default=None, description="where in the source: section, page, line")
    field: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"source": value} if isinstance(value, str) else value


Sources = Annotated[list[SourceRef], Field(min_length=1)]


class Claim(Record):
    value: Text
    preferred: bool = False
    reason: str | None = None
    sources: Sources


class ConflictIn(Record):
    """Sources disagree on ``field``: every claim is kept, each with its own sources."""

    field: Text
    note: str | None = None
    claims: Annotated[list[Claim], Field(min_length=2)]

    @model_validator(mode="after")
    def _one_preference_with_reason(self) -> ConflictIn:
        preferred = [c for c in self.claims if c.preferred]
        if len(preferred) > 1:
            raise ValueError("at most one claim may be preferred")
        if preferred and not preferred[0].reason:
            raise ValueError("a preferred claim needs a reason")
        return self


class Sourced(Record):
    """A fact: it must cite at least one source, and may record conflicts between sources."""

    sources: Sources
    conflicts: list[ConflictIn] = []


class TranslatedText(Record):
    """cajd's own Japanese and Russian for text cajd wrote in English (a description): a
    translation by cajd, never a source's words, and shown as such."""

    ja: Text | None = None
    ru: Text | None = None


# The fields whose text is cajd's own, and so may carry cajd's translation.
TRANSLATABLE = ("description",)


class Translated(Sourced):
    """A record whose own text cajd may give in Japanese and Russian (``translations:``)."""

    translations: dict[str, TranslatedText] = {}

    @model_validator(mode="after")
    def _translates_own_text(self) -> Translated:
        for name in self.translations:
            if name not in TRANSLATABLE:
                raise ValueError(f"translations: {name!r} is not text cajd writes "
                                 f"(only {', '.join(TRANSLATABLE)})")
            if getattr(self, name, None) is None:
                raise ValueError(f"translations: {name!r} translates a field the record lacks")
        return self


# --- top-level records, one file per id -----------------------------------------------------


class SourceRecord(Record):
    id: Id
    kind: SourceKind
    title: Text
    author: str | None = None
    publisher: str | None = None
    published: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None
    url: str | None = None
    accessed: Date | None = None
    file: str | None = None
    official: bool = False
    note: str | None = None


class PartyRecord(Sourced):
    id: Id
    kind: PartyKind
    name: Localized


class ParticipationRecord(Sourced):
    party: Ref
    role: Role
    start: Date | None = None
    end: Date | None = None
    note: str | None = None


class DialogueRecord(Translated):
    id: Id
    name: Localized
    partner: Ref | None = None
    founded: Date | None = None
    founded_city: str | None = None
    founded_country: str | None = None
    description: str | None = None
    participations: list[ParticipationRecord] = []


class StatedCountRecord(Sourced):
    count: Annotated[int, Field(ge=0)]
    as_of: Date
    note: str | None = None


class GapRecord(Record):
    """Numbers of a body's meetings that are known to exist (or must, by the numbering) but that
    the record cannot describe yet. Declaring them, with what was searched, is what keeps the
    numbering free of *silent* gaps: a reader sees the hole and how hard it was looked for."""

    numbers: Annotated[list[MeetingNumber], Field(min_length=1)]
    note: Text
    searched: Annotated[list[Text], Field(min_length=1)]

    @field_validator("numbers")
    @classmethod
    def _unique(cls, numbers: list[int]) -> list[int]:
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            raise ValueError(f"number(s) {', '.join(map(str, twice))} listed twice")
        return numbers


class BodyRecord(Translated):
    id: Id
    dialogue: Ref
    code: Text
    name: Localized
    kind: BodyKind
    status: BodyStatus
    reports_to: Ref | None = None
    proposed: Date | None = None
    established: Date | None = None
    description: str | None = None
    nominal_rank: Rank | None = Field(
        default=None, description="the rank a delegation's head is expected to hold here"
    )
    nominal_rank_convention: str | None = Field(
        default=None, description="why the rank is the project's convention, when no source says it"
    )
    stated_counts: list[StatedCountRecord] = []
    gaps: list[GapRecord] = []

    @model_validator(mode="after")
    def _nominal_rank_grounded(self) -> BodyRecord:
        # A nominal rank is a fact like any other: cited, or openly declared a convention.
        cited = any(s.field == "nominal_rank" for s in self.sources)
        if self.nominal_rank is None:
            if self.nominal_rank_convention:
                raise ValueError("nominal_rank_convention without a nominal_rank")
            return self
        if not cited and not self.nominal_rank_convention:
            raise ValueError(
                "nominal_rank needs a source cited with 'field: nominal_rank' or a "
                "nominal_rank_convention stating the project's convention"
            )
        return self

    @field_validator("gaps")
    @classmethod
    def _gap_numbers_unique(cls, gaps: list[GapRecord]) -> list[GapRecord]:
        # Across entries too: one number has one explanation.
        numbers = [n for gap in gaps for n in gap.numbers]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            raise ValueError(f"number(s) {', '.join(map(str, twice))} declared in two gaps")
        return gaps

    def declared_gaps(self) -> dict[int, int]:
        """Each declared number, with the index of the ``gaps`` entry that declares it."""
        return {n: i for i, gap in enumerate(self.gaps) for n in gap.numbers}


class PositionRecord(Sourced):
    title: Localized
    party: Ref | None = None
    start: Date | None = None
    end: Date | None = None


class PersonRecord(Sourced):
    id: Id
    name: Localized
    positions: list[PositionRecord] = []


class MemberRecord(Record):
    """A member of a delegation besides its head: a person of the record, or a name."""

    person: Ref | None = None
    name: str | None = None
    title: str | None = None
    rank: Rank | None = None

    @model_validator(mode="after")
    def _someone(self) -> MemberRecord:
        if not self.person and not self.name:
            raise ValueError("a member needs a person or a name")
        return self


class DelegationRecord(Sourced):
    party: Ref
    role: Role = Role.MEMBER
    head: Ref | None = None
    head_name: str | None = Field(
        default=None, description="the head's name, where the record has no person for them"
    )
    title: str | None = Field(default=None, description="the head's title at the time")
    rank: Rank | None = None
    note: str | None = None
    members: list[MemberRecord] = []
    # Registration in the workspace (absent for the historical record): who and when.
    registration: Registration | None = None
    registered_by: str | None = None
    registered_at: dt.datetime | None = None
    confirmed_by: str | None = None
    confirmed_at: dt.datetime | None = None

    @model_validator(mode="after")
    def _registration_states(self) -> DelegationRecord:
        confirmed = self.confirmed_by is not None or self.confirmed_at is not None
        if confirmed and self.registration is not Registration.CONFIRMED:
            raise ValueError("confirmed_by and confirmed_at belong to a confirmed registration")
        if self.registration is None and (self.registered_by or self.registered_at):
            raise ValueError("registered_by and registered_at need a registration")
        return self


class AgendaItemRecord(Record):
    """One item of a meeting's agenda. ``item`` is its number, kept when the agenda is reordered
    (the list's order is the agenda's order); a withdrawn item stays, marked so."""

    item: Annotated[int, Field(ge=1, le=10_000)]
    title: Localized
    status: AgendaStatus = AgendaStatus.ACTIVE
    areas: list[Ref] = []


class EventRecord(Translated):
    id: Id
    body: Ref
    number: MeetingNumber | None = None
    extraordinary: bool = False
    name: Localized
    start: Date
    end: Date | None = None
    city: str | None = None
    country: str | None = None
    venue: str | None = None
    host: Ref | None = None
    chair: Ref | None = None
    format: EventFormat = EventFormat.IN_PERSON
    status: EventStatus = EventStatus.HELD
    cancellation_reason: str | None = None
    description: str | None = None
    areas: list[Ref] = []
    agenda: list[AgendaItemRecord] = []
    delegations: list[DelegationRecord] = []

    @model_validator(mode="after")
    def _reason_of_a_cancellation(self) -> EventRecord:
        if self.cancellation_reason and self.status is not EventStatus.CANCELLED:
            raise ValueError("cancellation_reason belongs to a cancelled meeting")
        return self


class PlaceRecord(Sourced):
    """A city, or a venue within one, of the gazetteer: each place once, its names cited like
    any other name. Events name their city in English; the read side finds it here."""

    id: Id
    kind: PlaceKind
    name: Localized
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    city: Ref | None = None  # a venue's city

    @model_validator(mode="after")
    def _venue_in_a_city(self) -> PlaceRecord:
        if self.city and self.kind is not PlaceKind.VENUE:
            raise ValueError("city belongs to a venue")
        return self


class DocumentVersionRecord(Record):
    """One version of a document's text in the workspace (``version`` counts from 1)."""

    version: Annotated[int, Field(ge=1, le=10_000)]
    title: Localized
    text: str | None = None
    note: str | None = None
    by: str | None = None
    at: dt.datetime | None = None


class EndorsementRecord(Record):
    """A member party's endorsement of a version, with the reservation it recorded."""

    party: Ref
    version: Annotated[int, Field(ge=1, le=10_000)]
    reservation: str | None = None
    by: str | None = None
    at: dt.datetime | None = None


class CommentRecord(Record):
    """A comment, or an objection (which never blocks adoption), on a version."""

    kind: RemarkKind = RemarkKind.COMMENT
    version: Annotated[int, Field(ge=1, le=10_000)]
    party: Ref | None = None
    text: Text
    by: str | None = None
    at: dt.datetime | None = None


class DocumentRecord(Sourced):
    id: Id
    dialogue: Ref
    kind: DocumentKind
    title: Localized
    title_official: bool = False
    adopted_at: Ref | None = None
    date: Date | None = None
    languages: list[Lang] = []
    url: str | None = None
    text: str | None = None
    licence: str | None = None
    description: str | None = None
    areas: list[Ref] = []
    # Adoption in the workspace (``model.adoption``); the historical record is adopted.
    status: DocumentStatus = DocumentStatus.ADOPTED
    adopted_version: Annotated[int, Field(ge=1, le=10_000)] | None = None
    versions: list[DocumentVersionRecord] = []
    endorsements: list[EndorsementRecord] = []
    comments: list[CommentRecord] = []

    @model_validator(mode="after")
    def _versions_in_order(self) -> DocumentRecord:
        numbers = [v.version for v in self.versions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("versions are numbered 1, 2, 3 … in order")
        known = set(numbers)
        if self.adopted_version is not None and self.adopted_version not in known:
            raise ValueError(f"adopted_version {self.adopted_version} is not among the versions")
        for kind, entries in (("endorsement", self.endorsements), ("comment", self.comments)):
            for entry in entries:
                if entry.version not in known:
                    raise ValueError(f"{kind} of version {entry.version}: the "
                                     "document does not have")
        if self.versions and self.status is DocumentStatus.ADOPTED and not self.adopted_version:
            raise ValueError("an adopted document with versions names its adopted_version")
        return self


class EvidenceRecord(Record):
    """A link, or a file in the evidence folder (named by its SHA-256), supporting a record."""

    title: str | None = None
    url: str | None = None
    file: str | None = Field(default=None, description="the uploaded file's own name")
    type: str | None = Field(default=None, description="its content type, e.g. application/pdf")
    size: Annotated[int, Field(ge=0)] | None = None
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    date: Date | None = None
    by: str | None = None
    at: dt.datetime | None = None

    @model_validator(mode="after")
    def _link_or_file(self) -> EvidenceRecord:
        if (self.url is None) == (self.sha256 is None):
            raise ValueError("evidence is either a url or a stored file (sha256), not both")
        if self.sha256 is not None and not (self.file and self.type and self.size is not None):
            raise ValueError("a stored file names its file, type and size")
        return self


class GuidelineRecord(Record):
    """What counts as full (+1), partial (0) and no (−1) compliance with a commitment."""

    full: Text
    partial: Text
    none: Text


class CommitmentRecord(Sourced):
    id: Id
    dialogue: Ref
    party: Ref
    kind: CommitmentKind
    description: Text
    made_at: Ref | None = None
    document: Ref | None = None
    amount: Annotated[int, Field(ge=0)] | None = None
    currency: str | None = None
    amount_usd: Annotated[int, Field(ge=0)] | None = None
    usd_rate_source: Ref | None = None
    target_quantity: Annotated[int, Field(ge=0)] | None = None
    target_unit: str | None = None
    due: Date | None = None
    areas: list[Ref] = []
    paragraph: str | None = Field(default=None, description="where in the document it is written")
    guideline: GuidelineRecord | None = None

    @model_validator(mode="after")
    def _amount_has_currency(self) -> CommitmentRecord:
        if (self.amount is None) != (self.currency is None):
            raise ValueError("amount and currency go together")
        if self.amount_usd is not None and self.currency != "USD" and not self.usd_rate_source:
            raise ValueError("amount_usd of a non-USD amount needs usd_rate_source")
        return self


class ImplementationRecordIn(Sourced):
    id: Id
    dialogue: Ref
    commitment: Ref | None = None
    event: Ref | None = None
    date: Date | None = None
    description: Text
    implementer: str | None = None
    beneficiaries: list[Ref] = []
    amount: Annotated[int, Field(ge=0)] | None = None
    currency: str | None = None
    quantity: Annotated[int, Field(ge=0)] | None = None
    unit: str | None = None
    evidence: list[EvidenceRecord] = []

    @model_validator(mode="after")
    def _amount_has_currency(self) -> ImplementationRecordIn:
        if (self.amount is None) != (self.currency is None):
            raise ValueError("amount and currency go together")
        return self


class AreaRecord(Sourced):
    id: Id
    name: Localized
    parent: Ref | None = None


class ReportItemRecord(Record):
    item: Text
    area: Ref | None = None
    status: ItemStatus
    narrative: str | None = None


class NationalReportRecord(Sourced):
    id: Id
    party: Ref
    document: Ref
    date: Date | None = None
    title: str | None = None
    items: list[ReportItemRecord] = []


# The dataset's folders, each holding one kind of record, one file per id.
# (``cajd.dataset.kinds`` adds the monitoring folders of ``monitoring_records``.)
CORE_KINDS: dict[str, type[Record]] = {
    "sources": SourceRecord,
    "parties": PartyRecord,
    "dialogues": DialogueRecord,
    "areas": AreaRecord,
    "places": PlaceRecord,
    "bodies": BodyRecord,
    "persons": PersonRecord,
    "events": EventRecord,
    "documents": DocumentRecord,
    "commitments": CommitmentRecord,
    "implementation": ImplementationRecordIn,
    "reports": NationalReportRecord,
}
