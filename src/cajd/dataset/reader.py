"""Read every file of a dataset folder into validated records, collecting every problem."""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cajd.dataset.kinds import KINDS
from cajd.dataset.problems import Problem, from_validation_error
from cajd.dataset.records import Record
from cajd.dataset.yamlfile import LineDict, TooLarge, parse

YAML_SUFFIXES = {".yaml", ".yml"}
IGNORED_NAMES = {"README.md", ".gitkeep"}
# Folders of reference data that are not records of the store: the analyses read and validate
# them themselves (cajd.analysis.rates, cajd.analysis.actors), so the loader passes over them.
REFERENCE_FOLDERS = {"rates", "actors"}
# A record file is a page of YAML; a bigger one is a mistake or an attack, refused before reading.
MAX_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """One validated record, with where it came from (for error messages)."""

    kind: str
    record: Record
    file: str
    data: Any


@dataclass(frozen=True)
class ReadResult:
    loaded: list[Loaded]
    problems: list[Problem]
    digest: str
    # Ids of records whose files failed validation: references to them are not reported again.
    invalid_ids: set[tuple[str, str]] = field(default_factory=set)
    # Bodies with an event file that failed validation: its number is unknown, so a hole in their
    # numbering is not reported on top of that file's own problem.
    broken_event_folders: set[str] = field(default_factory=set)


def _naming_problem(kind: str, rel: Path, record: Any, file: str, data: LineDict) -> Problem | None:
    """Files are named after their ids; events live in a folder named after their body."""
    record_id = getattr(record, "id", None)
    if kind == "events":
        body = getattr(record, "body", None)
        if len(rel.parts) != 3 or rel.parts[1] != body:
            return Problem(
                file,
                data.lines.get("body", 1),
                "body",
                f"an event of {body!r} belongs in events/{body}/",
            )
        return None
    if len(rel.parts) != 2 or rel.stem != record_id:
        return Problem(
            file,
            data.lines.get("id", 1),
            "id",
            f"{record_id!r} must be in {rel.parts[0]}/{record_id}.yaml",
        )
    return None


@dataclass(frozen=True)
class Invalid:
    """A file that failed validation, and the id it claims."""

    kind: str
    id: str


def read_file(
    root: Path, path: Path, display_root: str, content: bytes
) -> tuple[Loaded | Invalid | None, list[Problem]]:
    """Parse and validate one file, whose bytes the caller has read (and hashed)."""
    rel = path.relative_to(root)
    file = f"{display_root}/{rel.as_posix()}"
    kind = rel.parts[0]
    if kind not in KINDS or len(rel.parts) < 2:
        return None, [Problem(file, 0, "", f"not in a known folder ({', '.join(KINDS)})")]
    # A file that cannot be read still claims the id its name gives, so that references to it
    # are not reported a second time.
    unreadable = Invalid(kind, path.stem)
    try:
        data = parse(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return unreadable, [Problem(file, 0, "", f"not UTF-8 text: {exc.reason}")]
    except TooLarge as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        return unreadable, [Problem(file, line, "", str(exc.problem))]
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        message = f"not valid YAML: {exc.problem or exc.context}"
        return unreadable, [Problem(file, line, "", message)]
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        return unreadable, [Problem(file, 0, "", f"not valid YAML: {exc}")]
    if not isinstance(data, LineDict):
        return unreadable, [
            Problem(file, 1, "", "a record file must hold one mapping (key: value)")
        ]
    try:
        record = KINDS[kind].model_validate(data)
    except ValidationError as exc:
        return Invalid(kind, str(data.get("id", ""))), from_validation_error(file, data, exc)
    naming = _naming_problem(kind, rel, record, file, data)
    return Loaded(kind, record, file, data), [naming] if naming else []


@dataclass(frozen=True)
class Walk:
    files: list[Path]
    # Links that are not followed (a loop, a target outside the folder, a folder): name, reason.
    refused: list[tuple[Path, str]]


def walk(root: Path) -> Walk:
    """Every file of the dataset folder, sorted. A link is followed only to a file inside the
    folder; a loop, a dangling link, a link out of the folder or to a folder is reported."""
    files: list[Path] = []
    refused: list[tuple[Path, str]] = []
    inside = root.resolve()
    pending = [root]
    while pending:
        folder = pending.pop()
        for entry in os.scandir(folder):
            path = Path(entry.path)
            if entry.is_symlink():
                reason = _link_problem(path, inside)
                if reason:
                    refused.append((path, reason))
                elif path.name not in IGNORED_NAMES:
                    files.append(path)
            elif entry.is_dir():
                if not (folder == root and entry.name in REFERENCE_FOLDERS):
                    pending.append(path)
            elif entry.is_file() and entry.name not in IGNORED_NAMES:
                files.append(path)
    return Walk(sorted(files), sorted(refused))


def _link_problem(path: Path, inside: Path) -> str | None:
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so
        return "a symbolic link loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        return "a symbolic link to nothing"
    if not target.is_relative_to(inside):
        return "a symbolic link out of the dataset folder (not followed)"
    if target.is_dir():
        return "a symbolic link to a folder (not followed)"
    return None


def dataset_files(root: Path) -> list[Path]:
    return walk(root).files


def _fingerprint(root: Path, path: Path, content: bytes, hashed: Any) -> None:
    hashed.update(path.relative_to(root).as_posix().encode())
    hashed.update(content)


def digest(root: Path) -> str:
    """A fingerprint of a dataset folder (its YAML files' names and contents), without parsing."""
    hashed = hashlib.sha256()
    for path in dataset_files(root):
        if path.suffix in YAML_SUFFIXES:
            _fingerprint(root, path, path.read_bytes(), hashed)
    return hashed.hexdigest()


def read_dataset(root: Path, display_root: str | None = None) -> ReadResult:
    display = display_root or root.as_posix().rstrip("/")
    loaded: list[Loaded] = []
    problems: list[Problem] = []
    invalid: set[tuple[str, str]] = set()
    broken_events: set[str] = set()
    if not root.is_dir():
        return ReadResult([], [Problem(display, 0, "", "no such folder")], "")
    hashed = hashlib.sha256()
    found = walk(root)
    for path, reason in found.refused:
        rel = path.relative_to(root).as_posix()
        problems.append(Problem(f"{display}/{rel}", 0, "", reason))
    for path in found.files:
        rel = path.relative_to(root).as_posix()
        if path.suffix not in YAML_SUFFIXES:
            problems.append(Problem(f"{display}/{rel}", 0, "", "not a .yaml file"))
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    f"{display}/{rel}",
                    0,
                    "",
                    f"{size:,} bytes: a record file may hold at most {MAX_FILE_BYTES:,}",
                )
            )
            continue
        content = path.read_bytes()
        _fingerprint(root, path, content, hashed)
        one, problems_found = read_file(root, path, display, content)
        problems.extend(problems_found)
        if isinstance(one, Loaded):
            loaded.append(one)
        elif isinstance(one, Invalid):
            invalid.add((one.kind, one.id))
            rel_parts = path.relative_to(root).parts
            if one.kind == "events" and len(rel_parts) == 3:
                broken_events.add(rel_parts[1])
    return ReadResult(loaded, problems, hashed.hexdigest(), invalid, broken_events)
