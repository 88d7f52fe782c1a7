"""Hostile datasets (issue 8, item 3): ``cajd data check`` answers them in bounded time and
memory, with the place and no traceback. Each runs in its own process, so its peak memory is its
own (``ru_maxrss`` of the child)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_broken_inputs import broken_copy, expected

BOMBS = ["alias-bomb", "deep-nesting", "deeper-than-the-c-stack", "huge-number", "file-too-large"]
MAX_SECONDS = 30.0  # the whole record is checked too; a bomb used to take 106 s and 5.9 GB
MAX_PEAK_MIB = 300


@pytest.mark.parametrize("case", BOMBS)
def test_a_bomb_is_refused_in_bounded_time_and_memory(case: str, tmp_path: Path) -> None:
    root = broken_copy(case, tmp_path)
    script = (
        "import sys\n"
        "from cajd.cli import app\n"
        "try:\n"
        '    app(["data", "check", sys.argv[1]])\n'
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a child of a large
        # test process (after the browser tests) would report its parent's size.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
        "print('peak', hwm.split()[1], file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "2000"},  # rich wraps at the terminal's width
    )
    seconds = time.perf_counter() - started
    peak_mib = int(result.stderr.rsplit("peak ", 1)[1].split()[0]) / 1024
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    output = result.stdout + result.stderr
    for line in expected(case):
        assert line.replace("data/", f"{root}/", 1) in output
    assert seconds < MAX_SECONDS
    assert peak_mib < MAX_PEAK_MIB, f"{peak_mib:.0f} MiB"
