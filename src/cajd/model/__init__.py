"""The one domain model: every part of cajd (loader, API, portal, workflow) goes through it."""

from cajd.model.base import Base
from cajd.model.meetings import Delegation, Event, Person, Position
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

__all__ = [
    "Area",
    "AreaTag",
    "Base",
    "Body",
    "Citation",
    "Commitment",
    "Conflict",
    "ConflictClaim",
    "DeclaredGap",
    "Delegation",
    "Dialogue",
    "Document",
    "Event",
    "ImplementationRecord",
    "LoadRun",
    "NationalReport",
    "NationalReportItem",
    "Participation",
    "Party",
    "Person",
    "Position",
    "Source",
    "StatedCount",
]
