"""Readable names for the records facts are about (issue 13, point 8): a source page says
"Rank of Kazakhstan's delegation to the 12th SOM", never an internal key such as
``toshihiro-aiki.JP.special-representative-….open``.

``subjects`` takes (kind, id) keys of any kinds and answers each with its name and, for a record
that belongs to another (a delegation to a meeting, a position of a person…), that other's name;
one statement per kind asked, whatever the number of keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read import views as v
from cajd.read.provenance import Key
from cajd.read.sql import (
    AREA,
    BODY,
    CLAIM,
    COMMITMENT,
    DELEGATION,
    DIALOGUE,
    DOCUMENT,
    EVENT,
    IMPLEMENTATION,
    PARTICIPATION,
    PARTY,
    PERSON,
    POSITION,
    STATED,
    ids_param,
    localized,
    rows,
)


class Subject(v.View):
    kind: str
    id: str
    name: v.Localized  # the record's own name; of a delegation or participation, its party's
    of: v.Localized | None = None  # what it belongs to: the meeting, dialogue, body, person…
    link: str | None = None  # its page under /{lang}/


def _found(session: Session, query: Any, **params: Any) -> list[Any]:
    # rows of as many columns as each query selects: typed loosely on purpose
    return list(rows(session, query, **params))


def _names(table: sa.FromClause, prefix: str = "name") -> tuple[Any, ...]:
    return (table.c[f"{prefix}_en"], table.c[f"{prefix}_ja"], table.c[f"{prefix}_ru"])


def _loc(r: Any, start: int) -> v.Localized:
    return localized(r[start] or "", r[start + 1], r[start + 2])


_OWN = {  # kind -> (table, name columns prefix, link)
    "event": (EVENT, "name", "meetings/"), "person": (PERSON, "name", "people/"),
    "party": (PARTY, "name", "parties/"), "body": (BODY, "name", "structure#"),
    "dialogue": (DIALOGUE, "name", None), "area": (AREA, "name", None),
    "document": (DOCUMENT, "title", "documents/"),
}
ALIAS_PARTY, ALIAS_EVENT = PARTY.alias("p"), EVENT.alias("e")


def _own(kind: str) -> Callable[[Session, list[str]], list[Subject]]:
    table, prefix, link = _OWN[kind]

    def read(session: Session, ids: list[str]) -> list[Subject]:
        query = sa.select(table.c.id, *_names(table, prefix)).where(
            table.c.id.in_(ids_param("ids")))
        return [Subject(kind=kind, id=r[0], name=_loc(r, 1),
                        link=f"{link}{r[0]}" if link else None)
                for r in _found(session, query, ids=ids)]
    return read


def _delegations(session: Session, ids: list[str]) -> list[Subject]:
    query = (sa.select(DELEGATION.c.id, DELEGATION.c.event_id, *_names(ALIAS_PARTY),
                       *_names(ALIAS_EVENT))
             .join(ALIAS_PARTY, ALIAS_PARTY.c.id == DELEGATION.c.party_id)
             .join(ALIAS_EVENT, ALIAS_EVENT.c.id == DELEGATION.c.event_id)
             .where(DELEGATION.c.id.in_(ids_param("ids"))))
    return [Subject(kind="delegation", id=r[0], name=_loc(r, 2), of=_loc(r, 5),
                    link=f"meetings/{r[1]}") for r in _found(session, query, ids=ids)]


def _participations(session: Session, ids: list[str]) -> list[Subject]:
    query = (sa.select(PARTICIPATION.c.id, PARTICIPATION.c.party_id, *_names(PARTY),
                       *_names(DIALOGUE))
             .join(PARTY, PARTY.c.id == PARTICIPATION.c.party_id)
             .join(DIALOGUE, DIALOGUE.c.id == PARTICIPATION.c.dialogue_id)
             .where(PARTICIPATION.c.id.in_(ids_param("ids"))))
    return [Subject(kind="participation", id=r[0], name=_loc(r, 2), of=_loc(r, 5),
                    link=f"parties/{r[1]}") for r in _found(session, query, ids=ids)]


def _belonging(kind: str, table: sa.FromClause, parent: sa.FromClause, key: str, link: str,
               own: Any = None) -> Callable[[Session, list[str]], list[Subject]]:
    """A record named by what it belongs to: a stated count by its body, a position by its
    person (and its title), a follow-up by its commitment."""

    def read(session: Session, ids: list[str]) -> list[Subject]:
        own_columns = own if own is not None else (sa.null(), sa.null(), sa.null())
        parent_names = (_names(parent) if "name_en" in parent.c else
                        (parent.c.description, sa.null(), sa.null()))
        query = (sa.select(table.c.id, table.c[key], *own_columns, *parent_names)
                 .join(parent, parent.c.id == table.c[key])
                 .where(table.c.id.in_(ids_param("ids"))))
        return [Subject(kind=kind, id=r[0], name=_loc(r, 2) if r[2] else _loc(r, 5),
                        of=_loc(r, 5), link=f"{link}{r[1]}")
                for r in _found(session, query, ids=ids)]
    return read


READERS: dict[str, Callable[[Session, list[str]], list[Subject]]] = {
    **{kind: _own(kind) for kind in _OWN},
    "delegation": _delegations,
    "participation": _participations,
    "stated_count": _belonging("stated_count", STATED, BODY, "body_id", "coverage#"),
    "position": _belonging("position", POSITION, PERSON, "person_id", "people/",
                           own=_names(POSITION, "title")),
    "implementation_record": _belonging("implementation_record", IMPLEMENTATION, COMMITMENT,
                                        "commitment_id", "commitments/",
                                        own=(IMPLEMENTATION.c.description, sa.null(),
                                             sa.null())),
    "commitment": lambda session, ids: [
        Subject(kind="commitment", id=r[0], name=localized(r[1], None, None),
                link=f"commitments/{r[0]}")
        for r in _found(session, sa.select(COMMITMENT.c.id, COMMITMENT.c.description)
                      .where(COMMITMENT.c.id.in_(ids_param("ids"))), ids=ids)],
    "conflict_claim": lambda session, ids: [
        Subject(kind="conflict_claim", id=r[0], name=localized(r[1], None, None),
                link=f"disagreements#{r[2]}")
        for r in _found(session, sa.select(CLAIM.c.id, CLAIM.c.value, CLAIM.c.conflict_id)
                      .where(CLAIM.c.id.in_(ids_param("ids"))), ids=ids)],
}


def subjects(session: Session, keys: Iterable[Key]) -> dict[Key, Subject]:
    """Each (kind, id) asked, named; a kind or id the record lacks is left out."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for kind, subject_id in keys:
        wanted[kind].add(subject_id)
    found: dict[Key, Subject] = {}
    for kind, ids in sorted(wanted.items()):
        if kind in READERS:
            for subject in READERS[kind](session, sorted(ids)):
                found[kind, subject.id] = subject
    return found
