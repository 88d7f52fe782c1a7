"""What the browser tests share that is not a fixture: where things are, a free port, a running
``cajd serve`` on its own data home (with accounts made by ``cajd users add``), screenshots and
the axe-core check. The fixtures themselves live in ``conftest.py``, so that one Playwright
instance serves every module (two sync Playwright instances cannot be alive at once)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "src" / "cajd" / "web" / "static" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CAJD = Path(sys.executable).with_name("cajd")
BLOCKING = ("serious", "critical")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def home_env(home: Path) -> dict[str, str]:
    """The environment of a first-time user's embedded store in ``home``."""
    env = {**os.environ, "CAJD_DATA_HOME": str(home), "CAJD_ENV": "development"}
    env.pop("CAJD_DATABASE_URL", None)
    return env


def add_users(home: Path, users: Mapping[str, tuple[str, str | None]], password: str) -> None:
    """``cajd users add NAME --role ROLE [--party P]`` for each; the password goes to the prompt."""
    for name, (role, party) in users.items():
        args = [str(CAJD), "users", "add", name, "--role", role]
        if party:
            args += ["--party", party]
        done = subprocess.run(args, input=f"{password}\n", text=True, env=home_env(home),
                              capture_output=True, timeout=120, cwd=home)
        assert done.returncode == 0, done.stdout + done.stderr


@contextmanager
def serving(home: Path, *extra: str) -> Iterator[str]:
    """``cajd serve`` on a free port and ``home``; its base URL once /healthz says 200."""
    log_path = home / "serve.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(CAJD), "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
            env=home_env(home), stdout=log, stderr=subprocess.STDOUT, cwd=home,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"`cajd serve` exited with {process.returncode}:\n"
                            f"{log_path.read_text()}", pytrace=False)
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"`cajd serve` did not answer /healthz within 120 s:\n"
                            f"{log_path.read_text()}", pytrace=False)
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def shoot(page: Page, name: str, widths: tuple[int, ...] = (1280, 360),
          full_page: bool = True) -> list[Path]:
    """Screenshots of ``page`` at each width, as test-artifacts/screenshots/NAME-WIDTH.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 900}
    paths = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        path = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=full_page)
        paths.append(path)
    page.set_viewport_size(size)
    return paths


def axe_violations(page: Page) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make src/cajd/web/static/vendor/vega-embed.min.js` "
                    "(part of `make test`) copies it from npm.", pytrace=False)
    # by URL from cajd's own static files: the Content-Security-Policy forbids inline scripts
    page.add_script_tag(url="/static/vendor/axe.min.js")
    results: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)
