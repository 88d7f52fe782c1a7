"""A short soak of a real `cajd serve` on each database (bench/soak.py, loopback only, bounded):
50 connections of uncached requests for 5 s with a data load of a changed record in the middle.
Asserts that no request got a 5xx other than a 503 (with Retry-After, as designed), that no
connection was dropped, that the load succeeded and that its change is then served.

Before admission control (the code of issue 8), the same run at 100 connections on SQLite got 8
answers in 20 s and 145 client timeouts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite",
                                      pytest.param("postgresql", marks=pytest.mark.postgresql)])
def test_a_short_soak_gives_no_5xx_and_serves_the_new_load(database: str) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--database", database,
         "--connections", "50", "--duration", "5", "--json"],
        capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["requests"] > 0 and result["ok_200"] > 0, result
    assert result["status_5xx_other"] == 0, result["server_log_tail"]
    assert result["dropped"] == 0 and result["status_4xx"] == 0, result
    assert result["load"]["exit"] == 0, result["load"]
    assert result["changed_record_served"] is True
    assert result["shutdown_under_load_s"] < 15
