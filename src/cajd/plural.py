"""Counts in the command line's English messages: "1 file", "2 files", never "1 file(s)"."""

from __future__ import annotations

IRREGULAR = {"entry": "entries"}


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {IRREGULAR.get(noun, noun + 's')}"
