"""The coverage report in words: rich tables for a terminal, Markdown for ``docs/known-gaps.md``."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from cajd.analysis.coverage import BodyCoverage, Conflict, Coverage, Reconciliation
from cajd.analysis.languages import FieldLanguages, Languages
from cajd.plural import plural

REGENERATE = "cajd data coverage --markdown > docs/known-gaps.md"


def _shown(cov: Coverage) -> list[BodyCoverage]:
    """Bodies with something to say: meetings, stated counts or declared gaps.

    A proposed or declined body with none of these has nothing missing to report.
    """
    return [b for b in cov.bodies if b.held or b.planned or b.stated_counts or b.gaps]


def _count(r: Reconciliation) -> str:
    return f"{r.count} by {r.as_of} ({', '.join(r.sources)})"


def _verdict(r: Reconciliation) -> str:
    return r.verdict + ("" if r.explained else ", unexplained")


def _conflict(c: Conflict) -> str:
    return f"{c.subject_kind} {c.subject_id}, {c.field}: " + " / ".join(repr(v) for v in c.claims)


def _ids(ids: list[str]) -> str:
    return ", ".join(ids) if ids else "—"


# --- terminal ---------------------------------------------------------------------------------


def _table(*columns: str, title: str) -> Table:
    table = Table(title=title)
    for column in columns:
        # Ids have no spaces to wrap at: fold them rather than cut them off.
        table.add_column(column, overflow="fold")
    return table


def renderables(cov: Coverage) -> Iterator[RenderableType]:
    bodies = _shown(cov)
    numbering = _table("body", "status", "held", "planned", "numbering", title="Numbering")
    for b in bodies:
        style = "red" if b.sequence.silent else ""
        numbering.add_row(
            b.id, b.status, str(b.held), str(b.planned), Text(b.sequence_summary, style=style)
        )
    yield numbering
    counts = _table("body", "stated", "record", "verdict", title="Stated counts of meetings")
    for b in bodies:
        for r in b.stated_counts:
            style = "" if r.explained else "red"
            counts.add_row(b.id, _count(r), r.explanation, Text(_verdict(r), style=style))
    yield counts
    lacking = _table(
        "body", "no delegations", "unknown ranks", "no documents", "no city",
        title="Held meetings lacking details",
    )  # fmt: skip
    for b in bodies:
        if b.held:
            lack = b.lacking
            lacking.add_row(
                b.id, _ids(lack.delegations), _ids(lack.ranks), _ids(lack.documents),
                _ids(lack.city),
            )  # fmt: skip
    yield lacking
    sourcing = _table(
        "body",
        "facts",
        "on one non-official source",
        title=f"Sourcing: {cov.single_source} of {cov.facts} facts rest on one non-official source",
    )
    for b in bodies:
        sourcing.add_row(b.id, str(b.facts), str(len(b.single_source)))
    for kind, ids in cov.other_single_source.items():
        sourcing.add_row(f"({kind})", "", str(len(ids)))
    yield sourcing
    conflicts = [(b.id, c) for b in bodies for c in b.open_conflicts]
    conflicts += [("", c) for c in cov.other_open_conflicts]
    yield Text(f"Open conflicts (no preferred claim): {len(conflicts)}", style="bold")
    for code, c in conflicts:
        yield Text(f"  {code + ': ' if code else ''}{_conflict(c)}")
    if cov.languages:
        yield from _languages_table(cov.languages)
    if cov.problems:
        yield Text(
            f"{plural(cov.problems, 'problem')} in {cov.dataset}: see `cajd data check`",
            style="bold red"
        )


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "—"


def _label(f: FieldLanguages) -> str:
    return f"{f.kind}.{f.field}"


def _languages_table(langs: Languages) -> Iterator[RenderableType]:
    table = _table(
        "names", "Japanese (sourced)", "Russian (sourced)", "no sourced Japanese",
        "no sourced Russian",
        title=(
            f"Languages: {_share(langs.ja_sourced, langs.total)} of name fields have a sourced "
            f"Japanese form, {_share(langs.ru_sourced, langs.total)} a sourced Russian one"
        ),
    )  # fmt: skip
    for f in langs.fields:
        table.add_row(
            _label(f), _share(f.ja_sourced, f.total), _share(f.ru_sourced, f.total),
            _ids(f.lacking_ja), _ids(f.lacking_ru),
        )  # fmt: skip
    yield table
    if langs.uncited:
        yield Text(f"Forms without a field-level citation: {_ids(langs.uncited)}", style="red")


def _languages_markdown(langs: Languages) -> list[str]:
    lines = [
        "",
        "## Languages of names",
        "",
        f"{_share(langs.ja_sourced, langs.total)} of the record's name fields have a Japanese "
        f"form and {_share(langs.ru_sourced, langs.total)} a Russian one that a source supports "
        "(cited at field level: `field: name.ja`, `name.ru` or the whole `name`). Where none is, "
        "the portal shows the English name.",
        "",
        "| names | Japanese (sourced) | Russian (sourced) |",
        "|---|---|---|",
    ]
    for f in langs.fields:
        lines.append(
            f"| {_label(f)} | {_share(f.ja_sourced, f.total)} | {_share(f.ru_sourced, f.total)} |"
        )
    lines += ["", "Without a sourced Japanese form:", ""]
    lines += [f"- **{_label(f)}**: {_ids(f.lacking_ja)}" for f in langs.fields if f.lacking_ja]
    lines += ["", "Without a sourced Russian form:", ""]
    lines += [f"- **{_label(f)}**: {_ids(f.lacking_ru)}" for f in langs.fields if f.lacking_ru]
    if langs.uncited:
        lines += ["", f"Forms present but not cited at field level: {_ids(langs.uncited)}."]
    return lines


# --- Markdown ---------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(cov: Coverage) -> str:
    """A short "known gaps" page; deterministic, so a test can hold the committed copy to it."""
    bodies = _shown(cov)
    lines = [
        "# Known gaps",
        "",
        f"<!-- Generated by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "What the record does not yet hold, computed from the record itself. A gap is *declared*",
        "when a body file lists the missing numbers with what was searched for them, and *silent*",
        "otherwise (`cajd data check` refuses silent gaps).",
        "",
        "## Numbering and stated counts",
        "",
        "| body | meetings recorded | stated count | reconciled |",
        "|---|---|---|---|",
    ]
    for b in bodies:
        stated = "<br>".join(_count(r) for r in b.stated_counts) or "—"
        verdicts = "<br>".join(f"{_verdict(r)}: {r.explanation}" for r in b.stated_counts) or "—"
        lines.append(
            f"| {b.id} ({_cell(b.name)}) | {b.sequence_summary} | {stated} | {_cell(verdicts)} |"
        )
    declared = [(b, g) for b in bodies for g in b.gaps]
    if declared:
        lines += ["", "## Declared gaps", ""]
        for b, g in declared:
            searched = "; ".join(f"“{q}”" for q in g.searched)
            lines.append(
                f"- **{b.id} {', '.join(map(str, g.numbers))}**: {_cell(g.note)} "
                f"Searched: {searched}."
            )
    lines += [
        "",
        "## Held meetings lacking details",
        "",
        "| body | no delegations | unknown ranks | no documents | no city |",
        "|---|---|---|---|---|",
    ]
    for b in bodies:
        if b.held:
            lack = b.lacking
            lines.append(
                f"| {b.id} | {_ids(lack.delegations)} | {_ids(lack.ranks)} "
                f"| {_ids(lack.documents)} | {_ids(lack.city)} |"
            )
    lines += [
        "",
        "## Sourcing",
        "",
        f"{cov.single_source} of {cov.facts} facts rest on a single source that is not an "
        "official one: "
        + ", ".join(f"{b.id} {len(b.single_source)}" for b in bodies if b.single_source)
        + "".join(f", {kind} {len(ids)}" for kind, ids in sorted(cov.other_single_source.items()))
        + ".",
    ]
    conflicts = [f"{b.id}: {_conflict(c)}" for b in bodies for c in b.open_conflicts]
    conflicts += [_conflict(c) for c in cov.other_open_conflicts]
    lines += ["", "## Open conflicts", ""]
    lines += [f"- {_cell(c)}" for c in conflicts] or ["None."]
    if cov.languages:
        lines += _languages_markdown(cov.languages)
    return "\n".join(lines) + "\n"
