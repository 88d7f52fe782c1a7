"""The registry of write examples: one per write route, so that ``tests/test_write_matrix.py``
can run every rule of the security matrix against every route (and fail for a route that has none).

An example's ``prepare`` makes the state it needs through ``cajd.workflow`` (or finds it in the
bundled record) and returns a context; ``path`` and ``body`` build the request from it.
For a ``versioned`` example the context holds ``"version"``, the version the row has now, and
``path``/``body`` send ``ctx["version"]``: the matrix sends a stale one (``version - 1``, or
``version + 1`` for a row still at 1), which the service must refuse with 409.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.writes.world import World, world

__all__ = ["EXAMPLES", "EXEMPT", "World", "WriteExample", "load_examples", "register", "world"]


@dataclass(frozen=True)
class WriteExample:
    route: str                 # the FastAPI route's name
    method: str
    prepare: Callable[[World], dict[str, Any]]   # makes the state it needs, returns ctx
    path: Callable[[dict[str, Any]], str]
    # the JSON body, or the form's fields (the matrix adds the csrf field)
    body: Callable[[dict[str, Any]], dict[str, Any]]
    allowed: str               # World user who may do it, e.g. "secretariat", "focal_kz"
    other_party: str | None    # a focal point of another party who must be refused, or None
    versioned: bool            # body/query carries the version: a stale one must get 409
    form: bool                 # HTML form post (CSRF-checked) rather than JSON API
    text_fields: tuple[str, ...] = ()   # fields the hostile-strings check fills
    # A multipart upload: the files sent with the body's fields (name -> (file name, bytes,
    # content type)); None for a JSON body or a plain form.
    files: Callable[[dict[str, Any]], dict[str, tuple[str, bytes, str]]] | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"


EXAMPLES: list[WriteExample] = []

# Write routes the matrix does not run, each with the reason and the test that covers it.
EXEMPT: dict[str, str] = {
    "login": "opens a session before any actor exists; CSRF, refusals and rate limit in "
             "tests/test_web_auth.py and tests/test_accounts.py",
    "logout": "ends the caller's own session only; CSRF checked in tests/test_web_auth.py",
    "text_api": "counts actor references in the posted text and writes nothing (no row, no "
                "audit entry, no cache entry); tests/test_analysis_text.py checks the record "
                "is unchanged",
    "text_answer": "the text analysis form's answer: counts the posted text, writes nothing; "
                   "tests/test_analysis_text.py checks the record is unchanged",
}


def register(example: WriteExample) -> WriteExample:
    if any(e.route == example.route and e.method == example.method for e in EXAMPLES):
        raise ValueError(f"{example.label} is registered twice")
    EXAMPLES.append(example)
    return example


_SKIP = {"registry", "world", "hostile"}


def load_examples() -> list[WriteExample]:
    """Import every example module of this package (``records``, ``meetings``, ``documents``…):
    a new module is picked up without being listed anywhere."""
    import tests.writes as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name not in _SKIP:
            importlib.import_module(f"tests.writes.{module.name}")
    return EXAMPLES
