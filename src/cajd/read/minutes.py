"""A meeting's minutes, generated from what was entered: who came (each delegation, its head,
title and rank, its members), the agenda, the documents adopted (with the reservations recorded
with each), and the pledges made. Built from the public record only (``read.events.event`` and
``read.outcomes.documents``), so the minutes show nothing the meeting's public page does not,
and no draft."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cajd.read import views as v
from cajd.read.events import event
from cajd.read.outcomes import documents


class Minutes(v.View):
    meeting: v.EventSummary
    chair: v.PersonBrief | None = None
    description: str | None = None
    delegations: list[v.DelegationView]
    agenda: list[v.AgendaItemView]
    documents: list[v.DocumentView]
    commitments: list[v.CommitmentView]


def minutes(session: Session, event_id: str) -> Minutes:
    found = event(session, event_id)
    adopted = documents(session, [d.id for d in found.documents]).items if found.documents else []
    summary = v.EventSummary(**{k: getattr(found, k) for k in v.EventSummary.model_fields})
    # Members first, then observers and guests (the order a record of attendance is read in).
    order = {"member": 0, "observer": 1, "guest": 2}
    return Minutes(
        meeting=summary, chair=found.chair, description=found.description,
        delegations=sorted(found.delegation_list, key=lambda d: (order.get(d.role, 3),
                                                                  d.party.id)),
        agenda=found.agenda, documents=adopted, commitments=found.commitments,
    )
