"""The one write path: every change (web form, JSON API, CLI) is a function here that takes the
actor first, checks ``rules.can``, validates like the dataset loader, and writes in one
transaction together with exactly one audit entry."""

from cajd.workflow.errors import Conflict, Forbidden, Invalid, NotFound, WorkflowError
from cajd.workflow.rules import Actor, can, may_see_drafts
from cajd.workflow.service import restore, soft_delete, update

__all__ = [
    "Actor",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "WorkflowError",
    "can",
    "may_see_drafts",
    "restore",
    "soft_delete",
    "update",
]
