"""The actors and their aliases, as data (``data/actors/*.yaml``), expanded for matching.

An alias may carry Russian endings: ``{name}`` stands for each ending of a paradigm declared in
``paradigms.yaml`` and ``[a|b]`` for each alternative, so one line covers every case form.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

ACTORS_DIR = Path(__file__).parent.parent.parent / "data" / "actors"
_SLOT = re.compile(r"\{([a-z-]+)\}|\[([^\]]*)\]")


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1, max_length=40)
    aliases: dict[str, list[str]]


class ActorFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    paradigms: dict[str, list[str]] = {}
    actors: list[ActorIn] = []


def expand(alias: str, paradigms: dict[str, list[str]]) -> list[str]:
    """Every spelling one alias stands for."""
    parts: list[list[str]] = []
    at = 0
    for slot in _SLOT.finditer(alias):
        parts.append([alias[at:slot.start()]])
        if slot.group(1) is not None:
            if slot.group(1) not in paradigms:
                raise ValueError(f"{alias!r}: no paradigm named {slot.group(1)!r}")
            parts.append(paradigms[slot.group(1)])
        else:
            parts.append(slot.group(2).split("|"))
        at = slot.end()
    parts.append([alias[at:]])
    return ["".join(p) for p in itertools.product(*parts)]


def read_actors(directory: Path) -> dict[str, list[str]]:
    """Actor id -> every alias spelling, from a folder of actor files; a bad file raises
    ``ValueError`` naming it."""
    files: dict[Path, ActorFile] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            files[path] = ActorFile.model_validate(yaml.safe_load(path.read_text("utf-8")))
        except (yaml.YAMLError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from exc
    paradigms = {k: v for f in files.values() for k, v in f.paradigms.items()}
    actors: dict[str, list[str]] = {}
    for path, f in files.items():
        for actor in f.actors:
            if actor.id in actors:
                raise ValueError(f"{path}: actor {actor.id!r} is defined twice")
            try:
                actors[actor.id] = sorted({s for aliases in actor.aliases.values()
                                           for a in aliases for s in expand(a, paradigms)})
            except ValueError as exc:
                raise ValueError(f"{path}: {actor.id}: {exc}") from exc
    return actors


@cache
def bundled() -> dict[str, list[str]]:
    return read_actors(ACTORS_DIR)
