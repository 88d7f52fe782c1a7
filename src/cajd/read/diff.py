"""A readable diff between two versions of a document: line by line, each line kept, added or
removed (``difflib``), so that a page renders it with its own (escaping) templates and the API
returns the same structure. The titles are compared too."""

from __future__ import annotations

import difflib

from cajd.read import views as v
from cajd.read.adoption import AdoptionView
from cajd.read.sql import NotFound


class DiffLine(v.View):
    op: str  # "same", "added" or "removed"
    text: str


class DiffView(v.View):
    document: str
    old: int
    new: int
    title: list[DiffLine]
    lines: list[DiffLine]
    added: int
    removed: int


def diff_lines(old: str, new: str) -> list[DiffLine]:
    out: list[DiffLine] = []
    a, b = old.splitlines(), new.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [DiffLine(op="same", text=t) for t in a[i1:i2]]
            continue
        out += [DiffLine(op="removed", text=t) for t in a[i1:i2]]
        out += [DiffLine(op="added", text=t) for t in b[j1:j2]]
    return out


def diff_versions(doc: AdoptionView, old: int, new: int | None = None) -> DiffView:
    """Version ``old`` against ``new`` (default: the latest)."""
    by_number = {x.number: x for x in doc.versions}
    new = max(by_number, default=0) if new is None else new
    for number in (old, new):
        if number not in by_number:
            raise NotFound("document version", f"{doc.id}.v{number}")
    a, b = by_number[old], by_number[new]
    lines = diff_lines(a.text or "", b.text or "")
    return DiffView(
        document=doc.id, old=old, new=new, lines=lines,
        title=diff_lines(a.title.en, b.title.en),
        added=sum(x.op == "added" for x in lines), removed=sum(x.op == "removed" for x in lines),
    )
