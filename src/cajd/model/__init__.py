"""The one domain model: every part of cajd (loader, API, portal, workflow) goes through it."""

from cajd.model.accounts import ApiToken, LoginAttempt, ReaderParty, User, UserSession
from cajd.model.adoption import DocumentComment, DocumentVersion, Endorsement
from cajd.model.base import Base
from cajd.model.languages import Place, Translation
from cajd.model.meetings import (
    AgendaItem,
    Delegation,
    DelegationMember,
    Event,
    Person,
    Position,
)
from cajd.model.monitoring import (
    Assessment,
    Evidence,
    Reminder,
    ReportingRound,
    RoundEntry,
    RoundItem,
    RoundReport,
)
from cajd.model.outcomes import (
    Area,
    AreaTag,
    Commitment,
    Document,
    ImplementationRecord,
    NationalReport,
    NationalReportItem,
)
from cajd.model.provenance import Citation, Conflict, ConflictClaim, LoadRun, Source
from cajd.model.registry import (
    Body,
    DeclaredGap,
    Dialogue,
    Participation,
    Party,
    StatedCount,
)
from cajd.model.workspace import AuditEntry, Tracked, is_record_table

__all__ = [
    "AgendaItem",
    "ApiToken",
    "Area",
    "AreaTag",
    "Assessment",
    "AuditEntry",
    "Base",
    "Body",
    "Citation",
    "Commitment",
    "Conflict",
    "ConflictClaim",
    "DeclaredGap",
    "Delegation",
    "DelegationMember",
    "Dialogue",
    "Document",
    "DocumentComment",
    "DocumentVersion",
    "Endorsement",
    "Event",
    "Evidence",
    "ImplementationRecord",
    "LoadRun",
    "LoginAttempt",
    "NationalReport",
    "NationalReportItem",
    "Participation",
    "Party",
    "Person",
    "Place",
    "Position",
    "ReaderParty",
    "Reminder",
    "ReportingRound",
    "RoundEntry",
    "RoundItem",
    "RoundReport",
    "Source",
    "StatedCount",
    "Tracked",
    "Translation",
    "User",
    "UserSession",
    "is_record_table",
]
