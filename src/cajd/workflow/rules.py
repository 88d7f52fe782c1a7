"""Who may do what: ONE table of rules, checked by ``can`` and nowhere else.

Each action is ``kind.verb``; its rule gets the actor and the row it would change. An action
missing from the table is refused: a new action is forbidden until a rule says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cajd.model import User
from cajd.vocab import Role, UserRole


@dataclass(frozen=True)
class Actor:
    name: str
    role: UserRole
    party: str | None = None  # the party a focal point acts for
    disabled: bool = False
    readable: frozenset[str] = frozenset()  # the parties whose drafts a reader may see

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.name, user.role, user.party_id, user.disabled,
                   frozenset(r.party_id for r in user.reader_parties))


Rule = Callable[[Actor, Any], bool]


def secretariat(actor: Actor, _target: Any) -> bool:
    return actor.role is UserRole.SECRETARIAT


def secretariat_or_own_party(actor: Actor, target: Any) -> bool:
    """The secretariat, or the focal point of the party the row belongs to (Indico.UN's rule:
    each organisation's focal point manages its own delegates)."""
    return secretariat(actor, target) or (
        actor.role is UserRole.FOCAL_POINT
        and actor.party is not None
        and getattr(target, "party_id", None) == actor.party
    )


def own_party_unless_guest(actor: Actor, target: Any) -> bool:
    """A focal point registers its own party's delegation; a guest's comes through the
    secretariat alone."""
    return secretariat(actor, target) or (
        secretariat_or_own_party(actor, target) and getattr(target, "role", None) is not Role.GUEST
    )


def own_party_focal_point(actor: Actor, target: Any) -> bool:
    """The focal point of the party the act is made for, and no one else: an endorsement or an
    objection is a party's own word (the secretariat cannot give it on a party's behalf)."""
    return (actor.role is UserRole.FOCAL_POINT and actor.party is not None
            and getattr(target, "party_id", None) == actor.party)


def secretariat_or_own_party_focal_point(actor: Actor, target: Any) -> bool:
    return secretariat(actor, target) or own_party_focal_point(actor, target)


def assessor(actor: Actor, _target: Any) -> bool:
    """Compliance is scored by assessors alone: not the secretariat, not the parties scored."""
    return actor.role is UserRole.ASSESSOR


RULES: dict[str, Rule] = {
    "event.update": secretariat,
    "event.delete": secretariat,
    "event.restore": secretariat,
    "delegation.update": secretariat_or_own_party,
    "delegation.delete": secretariat_or_own_party,
    "delegation.restore": secretariat,
    # Running a meeting (``workflow.meetings``, ``workflow.delegations``).
    "event.convene": secretariat,
    "event.set_status": secretariat,
    "delegation.register": own_party_unless_guest,
    "delegation.confirm": secretariat,
    "delegation.invite": secretariat,
    "agenda_item.add": secretariat,
    "agenda_item.reorder": secretariat,
    "agenda_item.withdraw": secretariat,
    # Outcome documents (``workflow.documents``): the secretariat holds the pen; each member
    # party's focal point endorses for its party; any party's focal point may comment or object.
    "document.draft": secretariat,
    "document.revise": secretariat,
    "document.circulate": secretariat,
    "document.endorse": own_party_focal_point,
    "document.object": own_party_focal_point,
    "document.comment": secretariat_or_own_party_focal_point,
    "document.adopt": secretariat,
    "document.withdraw": secretariat,
    # Monitoring (``workflow.commitments``, ``workflow.rounds``, ``workflow.assessments``).
    # The secretariat registers commitments from adopted documents and edits them (the bundled
    # record's too); an implementation record, with its evidence, comes from the secretariat or
    # the focal point of the party that committed.
    "commitment.register": secretariat,
    "commitment.update": secretariat,
    "implementation.record": secretariat_or_own_party,
    "evidence.add": secretariat_or_own_party,
    # A round is the secretariat's; a report is its party's own word, written and submitted by
    # that party's focal point alone (the secretariat cannot report on a party's behalf).
    "round.open": secretariat,
    "round.close": secretariat,
    "round.remind": secretariat,
    # Who was reminded, at which address, and what the mail server said: the secretariat's
    # alone (the addresses are personal data; the public downloads leave the table out too).
    "round.reminders": secretariat,
    "report.save": own_party_focal_point,
    "report.submit": own_party_focal_point,
    "report.amend": own_party_focal_point,
    # Only assessors score and review (a reviewer other than the scorer: ``assessments``).
    "assessment.score": assessor,
    "assessment.review": assessor,
}


def can(actor: Actor, action: str, target: Any) -> bool:
    rule = RULES.get(action)
    return rule is not None and not actor.disabled and rule(actor, target)


def may_see_drafts(actor: Actor | None, parties: Iterable[str]) -> bool:
    """Whether ``actor`` may see what is not yet public (a planned meeting's draft agenda, a
    circulated text…) that concerns ``parties`` (``cajd.read.drafts.parties_concerned`` gives
    an event's): the secretariat always; a focal point when its own party is concerned; a reader
    when one of the parties it was given is. The public (None), assessors and disabled accounts
    never. The one rule pages, the API and exports apply."""
    if actor is None or actor.disabled:
        return False
    if actor.role is UserRole.SECRETARIAT:
        return True
    concerned = set(parties)
    if actor.role is UserRole.FOCAL_POINT:
        return actor.party is not None and actor.party in concerned
    if actor.role is UserRole.READER:
        return bool(actor.readable & concerned)
    return False


def may_see_report_draft(actor: Actor | None, party: str) -> bool:
    """A report in draft is its party's own until submitted: only that party's focal points see
    it (the secretariat sees that a draft exists, not what it says)."""
    return (actor is not None and not actor.disabled and actor.role is UserRole.FOCAL_POINT
            and actor.party == party)
