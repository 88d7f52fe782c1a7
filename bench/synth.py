"""Write a valid synthetic dataset at N times the bundled record, for benchmarks and scale tests.

The bundled record is copied as it is, then ``scale - 1`` generated copies of its sources, persons,
bodies and their events (with their delegations and citations) are added under new stable ids
(``<id>-s<k>``); every reference inside a copy points into the same copy, so the result passes
``cajd data check`` and keeps the record's shape (numbering, gaps, heads, conflicts) at scale.
Parties, dialogues, areas, documents, commitments and reports are shared, not copied.

The output is deterministic (``random.Random(42)``): the same scale gives the same bytes.

Run: .venv/bin/python bench/synth.py OUT_DIR --scale 100
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cajd.dataset import pipeline

# The folders copied per generated copy, and the reference fields (by kind) that point into them.
COPIED = ("sources", "persons", "bodies", "events")
PERSON_FIELDS = {"chair", "head"}
BODY_FIELDS = {"body", "reports_to"}


class _PlainLoader(yaml.CSafeLoader):
    """Safe YAML with dates left as text, as the dataset reader keeps them."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader)


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Copy:
    """One generated copy: how its ids and person names are renamed."""

    k: int
    source_ids: frozenset[str]
    person_ids: frozenset[str]
    person_names: frozenset[str]  # casefolded names (any language) persons are referred to by
    body_ids: frozenset[str]

    @property
    def suffix(self) -> str:
        return f"-s{self.k:03d}"

    def source(self, value: str) -> str:
        return value + self.suffix if value in self.source_ids else value

    def body(self, value: str) -> str:
        return value + self.suffix if value in self.body_ids else value

    def person(self, value: str) -> str:
        if value in self.person_ids:
            return value + self.suffix
        if value.casefold() in self.person_names:
            return self.name(value)
        return value

    def name(self, text: str) -> str:
        return f"{text} ({self.k})"


def _sources_list(items: list[Any], rename: Callable[[str], str]) -> list[Any]:
    return [
        rename(item) if isinstance(item, str) else {**item, "source": rename(item["source"])}
        for item in items
    ]


# Share of a record's second and later sources a copy keeps: about 48,000 citations at 100x, as
# in the measurements (a copy keeping all of them would hold half as many again).
EXTRA_SOURCE_KEPT = 0.2


def _rewrite(value: Any, copy: Copy, rng: random.Random) -> Any:
    """Point every source, person and body reference inside ``value`` into ``copy``; every list
    of sources keeps its first and some of the rest."""
    if isinstance(value, list):
        return [_rewrite(v, copy, rng) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "sources" and isinstance(item, list):
            # A citation of one field (field: nominal_rank, name.ja) is the only support of
            # that fact: always kept. The draw is made either way, so the sequence is stable.
            kept = [s for i, s in enumerate(item)
                    if i == 0 or rng.random() < EXTRA_SOURCE_KEPT
                    or (isinstance(s, dict) and "field" in s)]
            out[key] = [_rewrite(s, copy, rng) for s in _sources_list(kept, copy.source)]
        elif key in PERSON_FIELDS and isinstance(item, str):
            out[key] = copy.person(item)
        elif key in BODY_FIELDS and isinstance(item, str):
            out[key] = copy.body(item)
        elif key == "usd_rate_source" and isinstance(item, str):
            out[key] = copy.source(item)
        else:
            out[key] = _rewrite(item, copy, rng)
    return out


def _localized_names(data: dict[str, Any]) -> list[str]:
    name = data.get("name")
    return [t for t in name.values() if isinstance(t, str)] if isinstance(name, dict) else []


@dataclass(frozen=True)
class Counts:
    files: int
    events: int
    delegations: int


def write_synthetic(out: Path, scale: int = 100, seed: int = 42) -> Counts:
    """Write the bundled record plus ``scale - 1`` generated copies into ``out`` (which must not
    exist yet, or be empty)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = random.Random(seed)
    bundled = pipeline.bundled_dataset()
    shutil.copytree(bundled, out, dirs_exist_ok=True)
    originals: dict[str, list[tuple[Path, Any]]] = {
        kind: [(p.relative_to(bundled), _read(p)) for p in sorted((bundled / kind).rglob("*.yaml"))]
        for kind in COPIED
    }
    ids = {kind: frozenset(str(d["id"]) for _, d in files) for kind, files in originals.items()}
    person_names = frozenset(
        text.casefold() for _, data in originals["persons"] for text in _localized_names(data)
    )
    places = sorted(
        {(str(d["city"]), str(d["country"])) for _, d in originals["events"] if d.get("city")}
    )
    events = sum(1 for _ in originals["events"]) * scale
    delegations = sum(len(d.get("delegations", [])) for _, d in originals["events"]) * scale
    files = sum(1 for p in bundled.rglob("*") if p.is_file())
    for k in range(1, scale):
        copy = Copy(k, ids["sources"], ids["persons"], person_names, ids["bodies"])
        for kind, entries in originals.items():
            for rel, data in entries:
                new = _rewrite(data, copy, rng)
                new["id"] = str(data["id"]) + copy.suffix
                if kind == "persons":
                    new["name"] = {lang: copy.name(t) for lang, t in data["name"].items()}
                if kind == "bodies":
                    new["code"] = f"{data['code']}{copy.suffix}"
                if kind == "events" and places and data.get("city") and data.get("country"):
                    # Varied places, so that a copy is not byte-identical to the original.
                    new["city"], new["country"] = rng.choice(places)
                if kind == "events":
                    target = Path("events", str(new["body"]), rel.name)
                else:
                    target = Path(kind, f"{new['id']}.yaml")
                _dump(out / target, new)
                files += 1
    return Counts(files, events, delegations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (created; must be empty)")
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    counts = write_synthetic(args.out, args.scale)
    print(
        f"wrote {args.out}: {counts.files} files, {counts.events} events, "
        f"{counts.delegations} delegations (scale {args.scale})"
    )


if __name__ == "__main__":
    main()
