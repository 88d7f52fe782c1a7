"""Soak: `cajd serve` under many concurrent uncached requests, with a data load in the middle.

Loopback only and bounded: it starts `cajd serve` on a free 127.0.0.1 port against a store it
creates (an SQLite file, or a fresh PostgreSQL database on the server it is given, dropped after),
then `connections` clients send requests back to back for `duration` seconds over a mix of pages
and API calls, each with its own unused query parameter. The server runs with its response cache
off (CAJD_CACHE_MAX_BYTES=0), so every request is a miss: the parameter alone would no longer
make one, since the cache keys on the parameters a route declares. Halfway through, `cajd data
load` loads a changed copy of the bundled record. A client that gets 503 waits its Retry-After
before its next request (--ignore-retry-after: it does not). Prints requests served, 5xx
(target 0), 503s, timeouts, p50/p99 and the server's RSS (all its processes) before and
after; --json for a machine.

Run: .venv/bin/python bench/soak.py --database sqlite|postgresql [--connections 200]
     [--duration 60] [--phases 3] [--workers N] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

BIN = Path(sys.executable).parent
POSTGRES_ADMIN = os.environ.get(
    "CAJD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MIX = [  # pages and API calls, list and detail
    "/api/v1/events?body=caj-fmm", "/api/v1/events/caj-fmm-4", "/api/v1/parties",
    "/api/v1/documents?q=Tokyo", "/api/v1/commitments", "/api/v1/sources",
    "/en/", "/en/meetings", "/ja/meetings/caj-fmm-4", "/ru/parties", "/en/documents",
    "/healthz",
]
CHANGED_FILE = "events/caj-bd/2011-07-economic-forum.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'soak.sqlite3'}"
        return
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"cajd_soak_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def changed_dataset(folder: Path) -> Path:
    """A copy of the bundled record with one meeting's description changed."""
    from cajd.dataset import pipeline

    copy = folder / "changed"
    shutil.copytree(pipeline.bundled_dataset(), copy)
    path = copy / CHANGED_FILE
    path.write_text(path.read_text().replace("An economic forum", "A (soak) economic forum", 1))
    return copy


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (uvicorn's workers)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


async def wait_ready(base: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"cajd serve exited with {process.returncode}")
            try:
                if (await client.get(base + "/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("cajd serve did not answer /healthz in time")


# wrk (C, one event loop per thread) is the client: a Python client on this machine saturates
# before the server does. Each request gets its own unused parameter; statuses are counted per
# thread and summed in done(). A 503 is followed by a pause of its Retry-After on that connection
# unless the client is told to be rude (wrk.thread's `polite` = 0).
WRK_LUA = """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
n, ok, busy, bare, other5xx, c4xx, pause = 0, 0, 0, 0, 0, 0, 0  -- globals: read by done()
function request()
  n = n + 1
  local path = paths[(n + tid) %% #paths + 1]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, path .. sep .. "_=" .. tid .. "-" .. n)
end
function delay()
  local d = pause
  pause = 0
  return d
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 503 then
    busy = busy + 1
    -- uvicorn sends header names in lower case; wrk keeps them as sent
    local retry = headers["retry-after"] or headers["Retry-After"]
    if retry == nil then bare = bare + 1 end
    if %(polite)d == 1 then pause = 1000 * (tonumber(retry) or 1) end
  elseif status >= 500 then other5xx = other5xx + 1
  elseif status >= 400 then c4xx = c4xx + 1 end
end
function done(summary, latency, requests)
  local t = {ok = 0, busy = 0, bare = 0, other5xx = 0, c4xx = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format(
    "SOAK %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%.1f %%.1f %%.1f\\n", summary.requests, t.ok,
    t.busy, t.bare, t.other5xx, t.c4xx, summary.errors.timeout, summary.errors.connect,
    summary.errors.read, summary.errors.write, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


async def hammer(base: str, connections: int, duration: float, env: dict[str, str],
                 dataset: Path, polite: bool, folder: Path) -> dict[str, Any]:
    script = folder / "soak.lua"
    script.write_text(WRK_LUA % {"paths": ", ".join(f'"{p}"' for p in MIX),
                                 "polite": int(polite)})
    threads = min(4, connections)
    wrk = await asyncio.create_subprocess_exec(
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{int(duration)}s", "--timeout", "15s",
        "-s", str(script), base + "/", stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    await asyncio.sleep(duration / 2)
    started = time.perf_counter()
    loader = await asyncio.create_subprocess_exec(
        str(BIN / "cajd"), "data", "load", str(dataset), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _, err = await loader.communicate()
    load = {"exit": loader.returncode, "seconds": round(time.perf_counter() - started, 2),
            "stderr": err.decode()[-500:]}
    output = (await wrk.communicate())[0].decode()
    line = next((x for x in output.splitlines() if x.startswith("SOAK ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{output}")
    n, ok, busy, bare, other, c4xx, timeouts, connect, read, write, p50, p99, top = line.split()[1:]
    return {
        "requests": int(n), "per_second": round(int(n) / duration, 1), "ok_200": int(ok),
        "status_503": int(busy), "status_503_without_retry_after": int(bare),
        "status_5xx_other": int(other), "status_4xx": int(c4xx),
        "timeouts": int(timeouts), "dropped": int(connect) + int(read) + int(write),
        "socket_errors": {"connect": int(connect), "read": int(read), "write": int(write)},
        "p50_ms": float(p50),
        "p99_ms": float(p99), "max_ms": float(top), "load": load,
    }


def under_load(base: str, connections: int, folder: Path) -> subprocess.Popen[bytes]:
    """wrk sending the soak's requests in the background (for the shutdown under load)."""
    return subprocess.Popen(
        ["wrk", f"-t{min(4, connections)}", f"-c{connections}", "-d60s", "--timeout", "5s",
         "-s", str(folder / "soak.lua"), base + "/"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


PHASE_KEYS = ("requests", "ok_200", "status_503", "status_5xx_other", "timeouts", "dropped",
              "p99_ms", "load")


def pipeline_dataset() -> Path:
    from cajd.dataset import pipeline

    return Path(pipeline.bundled_dataset())


def combined(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The phases' counts summed, their latencies the worst of them."""
    total = dict(results[-1])
    for key in ("requests", "ok_200", "status_503", "status_503_without_retry_after",
                "status_5xx_other", "status_4xx",
                "timeouts", "dropped"):
        total[key] = sum(r[key] for r in results)
    for key in ("p50_ms", "p99_ms", "max_ms"):
        total[key] = max(r[key] for r in results)
    total["per_second"] = round(sum(r["per_second"] for r in results) / len(results), 1)
    total["socket_errors"] = {k: sum(r["socket_errors"][k] for r in results)
                              for k in ("connect", "read", "write")}
    return total


def soak(kind: str, connections: int, duration: float, workers: int | None,
         polite: bool = True, phases: int = 1) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cajd-soak-") as tmp:
        folder = Path(tmp)
        with database(kind, folder) as url:
            # A production server (cajd serve refuses to start without a real secret there)
            env = {**os.environ, "CAJD_DATABASE_URL": url, "CAJD_DATA_HOME": str(folder / "home"),
                   "CAJD_CACHE_MAX_BYTES": "0", "CAJD_LOG_LEVEL": "WARNING",
                   "CAJD_ENV": "production", "CAJD_SECRET_KEY": secrets.token_urlsafe(48)}
            run([str(BIN / "cajd"), "db", "upgrade"], env)
            run([str(BIN / "cajd"), "data", "load"], env)
            dataset = changed_dataset(folder)
            port = free_port()
            command = [str(BIN / "cajd"), "serve", "--host", "127.0.0.1", "--port", str(port)]
            if workers is not None:
                command += ["--workers", str(workers)]
            log = (folder / "serve.log").open("wb")
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            base = f"http://127.0.0.1:{port}"
            try:
                asyncio.run(wait_ready(base, process))
                rss_before = rss_kib(process.pid)
                # Each phase loads the record again (alternately the changed and the bundled
                # copy, so that every load changes something); RSS after each says whether memory
                # grows with the requests served or levels off.
                results, rss = [], []
                for phase in range(phases):
                    source = dataset if phase % 2 == 0 else pipeline_dataset()
                    results.append(asyncio.run(
                        hammer(base, connections, duration, env, source, polite, folder)))
                    time.sleep(1)
                    rss.append(round(rss_kib(process.pid) / 1024, 1))
                result = combined(results)
                result["phases"] = [{k: r[k] for k in PHASE_KEYS} | {"rss_mib": m}
                                    for r, m in zip(results, rss, strict=True)]
                rss_after = rss_kib(process.pid)
                if phases % 2 == 0:  # the last load was the bundled record: load the change
                    run([str(BIN / "cajd"), "data", "load", str(dataset)], env)
                try:  # the changed record, after the load (a stuck server does not answer)
                    with httpx.Client(timeout=30) as client:
                        event = client.get(base + "/api/v1/events/caj-bd-2011-07-economic-forum")
                    result["changed_record_served"] = "(soak)" in event.text
                except httpx.HTTPError as exc:
                    result["changed_record_served"] = f"no answer ({type(exc).__name__})"
            finally:
                # SIGTERM under load: clients keep sending while the server stops
                busy = under_load(base, connections, folder)
                time.sleep(3)
                stopping = time.monotonic()
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                stopped = time.monotonic()
                busy.kill()
                busy.wait()
                log.close()
            result.update(
                database=kind, connections=connections, duration_s=duration,
                workers=workers, honours_retry_after=polite,
                rss_before_mib=round(rss_before / 1024, 1),
                rss_after_mib=round(rss_after / 1024, 1),
                shutdown_under_load_s=round(stopped - stopping, 2),
                load_average=os.getloadavg(),
                server_log_tail=(folder / "serve.log").read_text(errors="replace")[-1500:],
            )
            return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=None,
                        help="passed to cajd serve (default: its own, one per core)")
    parser.add_argument("--ignore-retry-after", action="store_true",
                        help="send the next request at once after a 503 (a hostile client)")
    parser.add_argument("--phases", type=int, default=1,
                        help="run the soak this many times on one server, each with its load "
                             "(RSS after each phase shows whether memory levels off)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    if not (1 <= options.connections <= 1000 and 0 < options.duration <= 600
            and 1 <= options.phases <= 5):
        parser.error("bounded: 1-1000 connections, at most 600 s, 1-5 phases")
    result = soak(options.database, options.connections, options.duration, options.workers,
                  not options.ignore_retry_after, options.phases)
    if options.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        if key != "server_log_tail":
            print(f"{key:>22}: {value}")
    if result["status_5xx_other"] or result["dropped"]:
        print(result["server_log_tail"])


if __name__ == "__main__":
    main()
