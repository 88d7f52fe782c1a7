"""What the serving benchmarks share: free loopback ports, servers started and stopped, wrk runs
read back, nginx on a generated config, PostgreSQL scratch databases, process memory.

Every server listens on 127.0.0.1 only and is stopped (by its own process id) on the way out.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
POSTGRES_ADMIN_URL = os.environ.get(
    "CAJD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

# Every request gets its own unused query parameter. Before the response cache was keyed on the
# parameters a route declares this made every request a miss; the "uncached" servers also run
# with the cache off (CAJD_CACHE_MAX_BYTES=0), so either way nothing is answered from memory.
BUST_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
local sep = nil
function request()
  if sep == nil then
    sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  end
  n = n + 1
  return wrk.format(nil, wrk.path .. sep .. "nocache=SALT-" .. tid .. "-" .. n)
end
"""
NO_CACHE = {"CAJD_CACHE_MAX_BYTES": "0"}


class BenchError(RuntimeError):
    """The benchmark cannot run: a server did not start or two servers disagree."""


@dataclass
class Load:
    request: str
    server: str
    cache: str
    url: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for_200(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the server for {url} exited with {process.returncode}")
        try:
            if get(url, timeout=1.0)[0] == 200:
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.005)
    raise BenchError(f"no 200 from {url} within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running(argv: Sequence[str], env: dict[str, str], ready: str, log: Path
            ) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_200(ready, process)
        except BenchError as exc:
            stop(process)
            raise BenchError(f"{exc}; its output:\n{log.read_text(errors='replace')}") from None
        yield process
    finally:
        stop(process)


def cajd_argv(port: int) -> list[str]:
    return [str(BIN / "cajd"), "serve", "--host", "127.0.0.1", "--port", str(port)]


# --- nginx ---------------------------------------------------------------------------------------

NGINX_CONF = """
daemon off;
worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ application/json json; text/html html; }}
  default_type application/octet-stream;
  sendfile on;
  server {{
    listen 127.0.0.1:{port};
    root {root}/www;
  }}
}}
"""


@contextmanager
def nginx(root: Path, files: dict[str, bytes], workers: int) -> Iterator[str]:
    """nginx serving ``files`` (name -> bytes) as static files on a free loopback port."""
    www = root / "www"
    www.mkdir(parents=True)
    # nginx's workers run as an unprivileged user: they must be able to reach the files (a
    # temporary directory is private to its owner).
    for folder in (root.parent, root, www):
        folder.chmod(0o755)
    for name, body in files.items():
        (www / name).write_bytes(body)
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, root=root, port=port))
    base = f"http://127.0.0.1:{port}"
    with running(["nginx", "-c", str(conf), "-p", str(root)], dict(os.environ),
                 f"{base}/{next(iter(files))}", root / "nginx.log"):
        yield base


# --- wrk -----------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not match:
        raise BenchError(f"cannot read wrk's latency {value!r}")
    number, unit = float(match[1]), match[2]
    return number * 60_000 if unit == "m" else number * UNITS[unit]


def parse_wrk(output: str) -> tuple[float, float, float, int, int]:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and total):
        raise BenchError(f"cannot read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(bad[1]) if bad else 0
    return float(rps[1]), to_ms(p50[1]), to_ms(p99[1]), int(total[1]), errors


def wrk(url: str, args: argparse.Namespace, seconds: float, script: Path | None) -> str:
    argv = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds:g}s", "--latency"]
    if script:  # a new salt per run: no URL of an earlier run (the warm-up's) comes again
        salted = script.with_name(f"bust-{uuid.uuid4().hex}.lua")
        salted.write_text(script.read_text().replace("SALT", uuid.uuid4().hex[:8]))
        argv += ["-s", str(salted)]
    done = subprocess.run([*argv, url], capture_output=True, text=True, check=True)
    return done.stdout


def measure(request: str, server: str, cache: str, url: str, args: argparse.Namespace,
            script: Path | None) -> Load:
    wrk(url, args, args.warmup, script)
    rps, p50, p99, total, errors = parse_wrk(wrk(url, args, args.duration, script))
    load = Load(request, server, cache, url, rps, p50, p99, total, errors)
    if not args.json:
        print(f"  {request:<8} {server:<16} {cache:<8} {rps:>9.0f} req/s  p99 {p99:7.1f} ms"
              f"  ({errors} errors)", flush=True)
    return load


# --- PostgreSQL and memory -----------------------------------------------------------------------


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server; dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cajd_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (uvicorn workers), in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total_kb += int(found[1]) if found else 0
    return total_kb / 1024
