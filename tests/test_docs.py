"""Docs that cannot drift: every command and setting is in the README, and CI runs its tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from cajd.cli import app
from cajd.settings import Settings

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(group: Any, prefix: str = "cajd") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group of subcommands
            paths += command_paths(command, f"{prefix} {name}")
        else:
            paths.append(f"{prefix} {name}")
    return paths


def test_every_command_is_documented() -> None:
    commands = command_paths(typer.main.get_group(app))
    assert "cajd data check" in commands and "cajd export popolo" in commands
    missing = [c for c in commands if f"`{c}" not in README]
    assert missing == []


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`CAJD_{name.upper()}`" in README


def test_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", README, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
