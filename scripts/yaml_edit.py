"""Small text edits to the record's YAML that keep each file's layout (anchors, folded text):
set one language of a localized field, and append a citation to a sources list.

Used while filling Japanese and Russian names:
``python scripts/yaml_edit.py FILE name ja VALUE SOURCE AT`` sets ``name.ja`` and cites SOURCE for
``field: name.ja``; ``FILE positions.0.title ...`` does the same for a person's position. The file
is parsed afterwards: an edit that breaks it is refused and the file left as it was.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10_000).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after the block that begins at ``start`` (a key at ``indent``): every following
    line more indented, or a list item at the same indent."""
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if line.strip() == "":
            i += 1
            continue
        lead = len(line) - len(line.lstrip())
        if lead > indent or (lead == indent and line.lstrip().startswith("- ")):
            i += 1
            continue
        break
    return i


def _find_key(lines: list[str], key: str, lo: int, hi: int, indent: int) -> int | None:
    pattern = re.compile(rf"^ {{{indent}}}(- )?{re.escape(key)}:(\s|$)")
    for i in range(lo, hi):
        if pattern.match(lines[i]):
            return i
    return None


def _container(lines: list[str], path: str) -> tuple[int, int, int]:
    """(first line, end, indent of its keys) of the mapping ``path`` names: "" for the record,
    "positions.0" for its first position."""
    lo, hi, indent = 0, len(lines), 0
    parts = path.split(".") if path else []
    while parts:
        key, index = parts[0], int(parts[1])
        parts = parts[2:]
        at = _find_key(lines, key, lo, hi, indent)
        if at is None:
            raise SystemExit(f"no {key!r}")
        end = _block_end(lines, at, indent)
        items = [
            i for i in range(at + 1, end) if re.match(rf"^ {{{indent},{indent + 2}}}- ", lines[i])
        ]
        item_indent = len(lines[items[0]]) - len(lines[items[0]].lstrip())
        items = [i for i in items if len(lines[i]) - len(lines[i].lstrip()) == item_indent]
        lo = items[index]
        hi = items[index + 1] if index + 1 < len(items) else end
        indent = item_indent + 2
    return lo, hi, indent


def set_form(lines: list[str], where: str, field: str, lang: str, value: str) -> None:
    lo, hi, indent = _container(lines, where)
    at = _find_key(lines, field, lo, hi, indent)
    if at is None and where:
        at = _find_key(lines, field, lo, lo + 1, indent - 2)  # "- title:" opens the item
    if at is None:
        raise SystemExit(f"no {field!r} in {where or 'the record'}")
    end = _block_end(lines, at, indent)
    inner = indent + 2
    line = f"{' ' * inner}{lang}: {_scalar(value)}"
    for i in range(at + 1, end):
        if re.match(rf"^ {{{inner}}}{lang}:", lines[i]):
            lines[i] = line
            return
    order = ["en", "ja", "ru"]
    insert = end
    for i in range(at + 1, end):
        key = lines[i].strip().split(":")[0]
        if key in order and order.index(key) > order.index(lang):
            insert = i
            break
    while insert > at + 1 and lines[insert - 1].strip() == "":
        insert -= 1
    lines.insert(insert, line)


def cite(lines: list[str], where: str, source: str, at_text: str, field: str) -> None:
    lo, hi, indent = _container(lines, where)
    at = _find_key(lines, "sources", lo, hi, indent)
    if at is None:
        raise SystemExit(f"no sources in {where or 'the record'}")
    end = _block_end(lines, at, indent)
    while end > at + 1 and lines[end - 1].strip() == "":
        end -= 1
    first = next(i for i in range(at + 1, end) if lines[i].lstrip().startswith("- "))
    item = len(lines[first]) - len(lines[first].lstrip())
    pad = " " * item
    lines[end:end] = [
        f"{pad}- source: {source}",
        f"{pad}  at: {_scalar(at_text)}",
        f"{pad}  field: {field}",
    ]


def edit(file: Path, target: str, lang: str, value: str | None, source: str, at_text: str) -> None:
    text = file.read_text(encoding="utf-8")
    lines = text.split("\n")
    where, _, field = target.rpartition(".")
    if value:
        set_form(lines, where, field, lang, value)
    cite(lines, where, source, at_text, f"{field}.{lang}")
    new = "\n".join(lines)
    before = yaml.safe_load(text)
    after = yaml.safe_load(new)  # refuses a broken edit before it is written
    assert isinstance(after, dict) and after.keys() == before.keys()
    file.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    path, target, lang, value, source, at_text = sys.argv[1:7]
    edit(Path(path), target, lang, value or None, source, at_text)
