"""A filter that names nothing in the record is an error, not an empty list (issue 13, point
9): ``?body=nonesuch`` answers 404 naming the parameter, in the API and on the page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cajd.read.sql import BODY, DIALOGUE, PARTY, NotFound


class UnknownFilter(NotFound):
    """``?body=nonesuch``: the message names the parameter and the value."""

    def __init__(self, parameter: str, value: str) -> None:
        LookupError.__init__(self, f"{parameter}: no {parameter} {value!r} in the record")
        self.parameter, self.value = parameter, value


def check(session: Session, **wanted: str | None) -> None:
    """Raise ``UnknownFilter`` for the first of body / party / host / dialogue naming nothing;
    one statement for all of them."""
    tables = {"body": BODY, "party": PARTY, "host": PARTY, "dialogue": DIALOGUE}
    given = {name: value for name, value in wanted.items() if value}
    if not given:
        return
    checks = [sa.select(sa.literal(name).label("name"), sa.func.count().label("n"))
              .select_from(tables[name]).where(tables[name].c.id == value)
              for name, value in given.items()]
    query = checks[0] if len(checks) == 1 else sa.union_all(*checks)
    found = {r.name: r.n for r in session.connection().execute(query)}
    for name, value in given.items():
        if not found.get(name):
            raise UnknownFilter(name, value)
