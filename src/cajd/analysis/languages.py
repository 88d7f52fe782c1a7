"""How much of the record's names exists in Japanese and Russian, and whether each form is sourced.

A name field (a ``Localized`` value: a party's, body's or event's name, a document's title, a
person's name or a position's title) has a *sourced* Japanese form when the form is there and a
citation of the same record names the field: ``field: name.ja`` (the Japanese form only), or
``field: name`` (the whole name) from a source whose title is written in Japanese. Sources carry no
language field yet, so the title's script stands for it: a whole-name citation of an English page
does not vouch for a Russian form. A form cited only by a record-wide citation, or not at all, is
*uncited*: the record cannot show where it comes from.

Computed from the validated records (not the store's rows, which keep a citation's field only
inside its locator text), so it runs on any folder, like the rest of the coverage report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from cajd.dataset import records as r
from cajd.dataset.reader import read_dataset

LANGS = ("ja", "ru")
NAMED = (r.PartyRecord, r.DialogueRecord, r.AreaRecord, r.PlaceRecord, r.BodyRecord,
         r.EventRecord)


# Kana and CJK ideographs; Cyrillic.
SCRIPTS = {"ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"), "ru": re.compile(r"[\u0400-\u04ff]")}


def written_in(title: str) -> set[str]:
    """The languages, of Japanese and Russian, whose script a source's title uses."""
    return {lang for lang, script in SCRIPTS.items() if script.search(title)}


def supports(cite: r.SourceRef, name_field: str, lang: str, langs: dict[str, set[str]]) -> bool:
    """Whether a citation supports the ``lang`` form of ``name_field``; ``langs`` gives each
    source's languages (``written_in`` its title)."""
    if cite.field == f"{name_field}.{lang}":
        return True
    return cite.field == name_field and lang in langs.get(cite.source, set())


class Named(BaseModel):
    """One name field of one record, as the report lists it."""

    kind: str
    field: str
    subject: str  # the record's id, or "id positions[i]" for a person's position
    ja: bool
    ru: bool
    ja_cited: bool
    ru_cited: bool


class FieldLanguages(BaseModel):
    kind: str
    field: str
    total: int
    ja: int  # forms present
    ru: int
    ja_sourced: int  # present and cited at field level
    ru_sourced: int
    lacking_ja: list[str]  # no sourced Japanese form (absent or uncited)
    lacking_ru: list[str]
    uncited: list[str]  # "subject (ja)": a form present without a field-level citation


class Languages(BaseModel):
    fields: list[FieldLanguages]
    total: int
    ja_sourced: int
    ru_sourced: int

    @property
    def uncited(self) -> list[str]:
        return [f"{f.kind} {u}" for f in self.fields for u in f.uncited]


def _one(
    kind: str,
    field: str,
    subject: str,
    value: r.Localized,
    cites: list[r.SourceRef],
    langs: dict[str, set[str]],
    cited_as: str | None = None,
) -> Named:
    as_field = cited_as or field
    cited = {lang: any(supports(s, as_field, lang, langs) for s in cites) for lang in LANGS}
    return Named(
        kind=kind,
        field=field,
        subject=subject,
        ja=value.ja is not None,
        ru=value.ru is not None,
        ja_cited=cited["ja"],
        ru_cited=cited["ru"],
    )


def named(records: list[tuple[str, r.Record]]) -> Iterator[Named]:
    """Every name field of every record, in the record's order."""
    langs = {rec.id: written_in(rec.title) for _, rec in records if isinstance(rec, r.SourceRecord)}
    for kind, rec in records:
        if isinstance(rec, r.PersonRecord):
            yield _one(kind, "name", rec.id, rec.name, rec.sources, langs)
            for i, pos in enumerate(rec.positions):
                # A position's title is cited by the position's own sources, as `title`.
                subject = f"{rec.id} positions[{i}]"
                yield _one(kind, "positions.title", subject, pos.title, pos.sources, langs, "title")
        elif isinstance(rec, r.DocumentRecord):
            yield _one(kind, "title", rec.id, rec.title, rec.sources, langs)
        elif isinstance(rec, NAMED):
            yield _one(kind, "name", rec.id, rec.name, rec.sources, langs)


def summarise(items: list[Named]) -> Languages:
    groups: dict[tuple[str, str], list[Named]] = {}
    for item in items:
        groups.setdefault((item.kind, item.field), []).append(item)
    fields = []
    for (kind, field), group in sorted(groups.items()):
        group = sorted(group, key=lambda n: n.subject)
        fields.append(
            FieldLanguages(
                kind=kind,
                field=field,
                total=len(group),
                ja=sum(n.ja for n in group),
                ru=sum(n.ru for n in group),
                ja_sourced=sum(n.ja and n.ja_cited for n in group),
                ru_sourced=sum(n.ru and n.ru_cited for n in group),
                lacking_ja=[n.subject for n in group if not (n.ja and n.ja_cited)],
                lacking_ru=[n.subject for n in group if not (n.ru and n.ru_cited)],
                uncited=[f"{n.subject} ({lang})" for n in group for lang in LANGS
                         if getattr(n, lang) and not getattr(n, f"{lang}_cited")],
            )
        )  # fmt: skip
    return Languages(
        fields=fields,
        total=sum(f.total for f in fields),
        ja_sourced=sum(f.ja_sourced for f in fields),
        ru_sourced=sum(f.ru_sourced for f in fields),
    )


def languages(root: Path) -> Languages:
    """The languages of a dataset folder's names; files that fail validation are left out (their
    problems are `cajd data check`'s to report)."""
    loaded = read_dataset(root).loaded
    return summarise(list(named([(one.kind, one.record) for one in loaded])))


class CajdTexts(BaseModel):
    """cajd's own text (descriptions) and how much of it cajd has translated."""

    total: int
    ja: int
    ru: int
    lacking: list[str]  # "kind id": a description without both translations


def cajd_texts(root: Path) -> CajdTexts:
    found = [(one.kind, one.record) for one in read_dataset(root).loaded
             if isinstance(one.record, r.Translated) and getattr(one.record, "description", None)]
    done = {lang: [f"{k} {rec.id}" for k, rec in found  # type: ignore[attr-defined]
                   if "description" in rec.translations
                   and getattr(rec.translations["description"], lang)]
            for lang in LANGS}
    every = [f"{k} {rec.id}" for k, rec in found]  # type: ignore[attr-defined]
    return CajdTexts(total=len(found), ja=len(done["ja"]), ru=len(done["ru"]),
                     lacking=[s for s in every if s not in done["ja"] or s not in done["ru"]])
