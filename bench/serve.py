"""Benchmark: `cajd serve` against Datasette on the same SQLite file, loaded with wrk.

Builds a fresh store in a temporary folder (`cajd db upgrade` + `cajd data load` of the bundled
record), starts `cajd serve` and `datasette serve -i` on that one file, checks that both answer 200
with the same rows, then loads each in turn with wrk (same connections, threads and duration, after
a warm-up) on two equivalent requests:

- list: cajd `/api/v1/events?body=caj-fmm` against a Datasette canned query returning the same
  meetings in the same order with the same fields (body code, host names, delegation count, total);
- detail: cajd `/api/v1/events/caj-fmm-4` against a canned query returning the meeting with its
  delegations (party, head). cajd's answer also carries documents, commitments, areas, sources
  and conflicts, so it does strictly more work on a miss.

cajd keeps an in-memory response cache (per record version), Datasette has none, so each request
is also run "cache-busted" (a unique unused query parameter per request, via a wrk Lua script):
that is cajd's cost on a miss; Datasette ignores the parameter. Datasette runs with facet
suggestion off and uvicorn's access log off (cajd logs no access lines either); both use the same
uvicorn, httptools and uvloop, one process each. Also timed: the cold start of `cajd serve` from
spawning the process to its first 200 on /healthz (and on the list request), median of several.

Prints a table and whether each target is met; exits 0 either way (this is a benchmark, not a
test), non-zero only if the servers cannot be started or disagree on the data.
Run: .venv/bin/python bench/serve.py [--duration 10] [--connections 16] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
BODY, EVENT = "caj-fmm", "caj-fmm-4"
TARGET_RATIO, TARGET_P99_MS, TARGET_COLD_S = 3.0, 50.0, 1.5

# Datasette's side of the comparison: canned queries that return what cajd returns, in its order.
LIST_SQL = """
SELECT e.id, e.body_id AS body, b.code AS body_code, e.number, e.extraordinary,
       e.name_en, e.name_ja, e.name_ru, e.start_date, e.start_precision, e.end_date,
       e.end_precision, e.city, e.country, e.venue, e.host_id, h.name_en AS host_name_en,
       h.name_ja AS host_name_ja, h.name_ru AS host_name_ru, e.format, e.status,
       (SELECT count(*) FROM delegation d WHERE d.event_id = e.id) AS delegations,
       count(*) OVER () AS total
FROM event e JOIN body b ON b.id = e.body_id LEFT JOIN party h ON h.id = e.host_id
WHERE e.body_id = :body AND b.dialogue_id = 'caj'
ORDER BY e.start_date, e.id LIMIT 50
"""
DETAIL_SQL = """
SELECT e.id, e.body_id AS body, b.code AS body_code, e.number, e.extraordinary,
       e.name_en, e.name_ja, e.name_ru, e.start_date, e.start_precision, e.end_date,
       e.end_precision, e.city, e.country, e.venue, e.host_id, h.name_en AS host_name_en,
       e.format, e.status, e.description, e.chair_id, c.name_en AS chair_name_en,
       d.id AS delegation_id, d.party_id, p.name_en AS party_name_en,
       p.name_ja AS party_name_ja, p.name_ru AS party_name_ru, d.role, d.head_id,
       hp.name_en AS head_name_en, hp.name_ja AS head_name_ja, hp.name_ru AS head_name_ru,
       d.head_title, d.rank, d.note
FROM event e JOIN body b ON b.id = e.body_id LEFT JOIN party h ON h.id = e.host_id
LEFT JOIN person c ON c.id = e.chair_id
LEFT JOIN delegation d ON d.event_id = e.id LEFT JOIN party p ON p.id = d.party_id
LEFT JOIN person hp ON hp.id = d.head_id
WHERE e.id = :event
ORDER BY d.role, d.party_id
"""

# Every request gets its own unused query parameter, so no response cache can answer it.
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

# `datasette serve` hard-codes uvicorn's log level to info, i.e. one access-log line per
# request; cajd logs none. Run the same CLI with the access log off, so neither pays for logging.
DATASETTE_MAIN = (
    "import functools, sys, uvicorn\n"
    "uvicorn.run = functools.partial(uvicorn.run, access_log=False)\n"
    "from datasette.cli import cli\n"
    "sys.exit(cli())\n"
)


class BenchError(RuntimeError):
    """The benchmark cannot run: a server did not start or the two disagree."""


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


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for_200(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
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


@contextmanager
def running(argv: Sequence[str], env: dict[str, str], ready: str, log: Path) -> Iterator[None]:
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_200(ready, process)
        except BenchError as exc:
            process.kill()
            process.wait()
            raise BenchError(f"{exc}; its output:\n{log.read_text(errors='replace')}") from None
        yield
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def build_store(folder: Path) -> tuple[Path, dict[str, str]]:
    database = folder / "cajd.sqlite3"
    env = {
        **os.environ,
        "CAJD_DATA_HOME": str(folder / "home"),
        "CAJD_ENV": "development",
        "CAJD_DATABASE_URL": f"sqlite:///{database}",
    }
    for argv in (["db", "upgrade"], ["data", "load"]):
        subprocess.run([str(BIN / "cajd"), *argv], env=env, check=True, stdout=subprocess.DEVNULL)
    return database, env


def cajd_argv(port: int) -> list[str]:
    return [str(BIN / "cajd"), "serve", "--host", "127.0.0.1", "--port", str(port)]


def datasette_argv(database: Path, metadata: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-c",
        DATASETTE_MAIN,
        "serve",
        "-i",
        str(database),
        "-m",
        str(metadata),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",  # cajd suggests nothing either
        "--setting",
        "default_cache_ttl",
        "0",  # a header only, but keep clients honest
    ]


def write_metadata(path: Path, database: str) -> None:
    queries = {"events_by_body": {"sql": LIST_SQL}, "event_delegations": {"sql": DETAIL_SQL}}
    path.write_text(json.dumps({"databases": {database: {"queries": queries}}}))


def cold_start(env: dict[str, str], list_path: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from spawning `cajd serve` to its first 200 on /healthz, then on the list."""
    health, first = [], []
    for _ in range(runs):
        port = free_port()
        started = time.perf_counter()
        process = subprocess.Popen(
            cajd_argv(port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_for_200(f"http://127.0.0.1:{port}/healthz", process)
            health.append(time.perf_counter() - started)
            if get(f"http://127.0.0.1:{port}{list_path}")[0] != 200:
                raise BenchError(f"cajd: {list_path} is not 200 after start")
            first.append(time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait(timeout=10)
    return health, first


def json_ok(url: str) -> Any:
    status, body = get(url)
    if status != 200 or not body:
        raise BenchError(f"{url}: status {status}, {len(body)} bytes")
    return json.loads(body)


def check_equivalent(cajd_list: str, ds_list: str, cajd_detail: str, ds_detail: str) -> None:
    """Both servers answer 200 with the same meetings and the same delegations."""
    ours, theirs = json_ok(cajd_list), json_ok(ds_list)
    ids = [e["id"] for e in ours["data"]]
    if not ids or ids != [r["id"] for r in theirs]:
        raise BenchError(f"list differs: cajd {ids} vs datasette {[r['id'] for r in theirs]}")
    if ours["meta"]["total"] != theirs[0]["total"] or [e["delegations"] for e in ours["data"]] != [
        r["delegations"] for r in theirs
    ]:
        raise BenchError("list differs in its total or its delegation counts")
    if [e["host"]["name"]["en"] if e["host"] else None for e in ours["data"]] != [
        r["host_name_en"] for r in theirs
    ]:
        raise BenchError("list differs in its hosts")
    one, rows = json_ok(cajd_detail)["data"], json_ok(ds_detail)
    delegations = [
        (d["party"]["id"], d["head"]["id"] if d["head"] else None) for d in one["delegation_list"]
    ]
    if (
        not delegations
        or delegations != [(r["party_id"], r["head_id"]) for r in rows]
        or {r["id"] for r in rows} != {one["id"]}
    ):
        raise BenchError(f"detail differs: cajd {delegations} vs datasette {rows}")


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
        salted = script.with_name(f"bust-{time.monotonic_ns()}.lua")
        salted.write_text(script.read_text().replace("SALT", str(time.monotonic_ns())))
        argv += ["-s", str(salted)]
    done = subprocess.run([*argv, url], capture_output=True, text=True, check=True)
    return done.stdout


def measure(
    request: str, server: str, url: str, args: argparse.Namespace, script: Path | None
) -> Load:
    wrk(url, args, args.warmup, script)
    rps, p50, p99, total, errors = parse_wrk(wrk(url, args, args.duration, script))
    cache = "busted" if script else ("hit" if server == "cajd" else "none")
    load = Load(request, server, cache, url, rps, p50, p99, total, errors)
    if not args.json:
        print(
            f"  {request:<7} {server:<10} {cache:<7} {rps:>9.0f} req/s  p99 {p99:6.1f} ms",
            flush=True,
        )
    return load


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(
    loads: list[Load], health: list[float], first: list[float], args: argparse.Namespace
) -> dict[str, Any]:
    by = {(x.request, x.server, x.cache): x for x in loads}
    ratio = by["list", "cajd", "hit"].rps / by["list", "datasette", "none"].rps
    ratio_miss = by["list", "cajd", "busted"].rps / by["list", "datasette", "busted"].rps
    p99_hit = max(x.p99_ms for x in loads if x.server == "cajd" and x.cache == "hit")
    p99_miss = max(x.p99_ms for x in loads if x.server == "cajd" and x.cache == "busted")
    cold = statistics.median(health)
    targets = {
        "list_rps_ratio": {"value": ratio, "target": TARGET_RATIO, "met": ratio >= TARGET_RATIO},
        "list_rps_ratio_cache_busted": {
            "value": ratio_miss,
            "target": TARGET_RATIO,
            "met": ratio_miss >= TARGET_RATIO,
        },
        "cajd_p99_ms": {"value": p99_hit, "target": TARGET_P99_MS, "met": p99_hit <= TARGET_P99_MS},
        "cajd_p99_ms_cache_busted": {
            "value": p99_miss,
            "target": TARGET_P99_MS,
            "met": p99_miss <= TARGET_P99_MS,
        },
        "cold_start_s": {"value": cold, "target": TARGET_COLD_S, "met": cold <= TARGET_COLD_S},
    }
    machine = (
        f"{os.cpu_count()} CPUs, shared by wrk (-t{args.threads}) and both servers "
        "(one process each, the idle one included); load average at start "
        f"{args.load_before:.1f}"
        + (" — other work was running, figures are noisy" if args.load_before > 0.5 else "")
    )
    if args.json:
        return {
            "machine": machine,
            "connections": args.connections,
            "duration_s": args.duration,
            "loads": [asdict(x) for x in loads],
            "cold_start_healthz_s": health,
            "cold_start_first_list_s": first,
            "targets": targets,
        }
    print()
    print(
        f"cajd serve vs Datasette {_version('datasette')} on one SQLite file — wrk "
        f"-t{args.threads} -c{args.connections} -d{args.duration:g}s after "
        f"{args.warmup:g}s warm-up; {machine}"
    )
    print(
        f"{'request':<8}{'server':<11}{'cache':<8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'requests':>10}{'errors':>8}"
    )
    for x in loads:
        print(
            f"{x.request:<8}{x.server:<11}{x.cache:<8}{x.rps:>9.0f}{x.p50_ms:>9.2f}"
            f"{x.p99_ms:>9.2f}{x.requests:>10}{x.errors:>8}"
        )
    print("  list   = cajd /api/v1/events?body=caj-fmm  | datasette canned query events_by_body")
    print("  detail = cajd /api/v1/events/caj-fmm-4     | datasette canned query event_delegations")
    print(
        "  cache: hit = cajd's response cache answers (as shipped); busted = a new URL each "
        "request; none = Datasette has no response cache"
    )
    print(
        f"cold start of `cajd serve` to first 200 on /healthz: median {cold:.2f} s "
        f"({', '.join(f'{s:.2f}' for s in health)}); to first list response: median "
        f"{statistics.median(first):.2f} s"
    )
    print()
    print("targets")
    met = mark(ratio >= TARGET_RATIO)
    print(
        f"  list req/s ≥ {TARGET_RATIO:g}× Datasette's : {ratio:5.1f}×  {met}"
        f"   (cache-busted: {ratio_miss:.1f}×, {mark(ratio_miss >= TARGET_RATIO)})"
    )
    print(
        f"  cajd p99 ≤ {TARGET_P99_MS:g} ms              : {p99_hit:5.1f} ms "
        f"{mark(p99_hit <= TARGET_P99_MS)}   (cache-busted: {p99_miss:.1f} ms, "
        f"{mark(p99_miss <= TARGET_P99_MS)})"
    )
    print(
        f"  cold start ≤ {TARGET_COLD_S:g} s            : {cold:5.2f} s  "
        f"{mark(cold <= TARGET_COLD_S)}"
    )
    return {}


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install -y wrk)", file=sys.stderr)
        return 2
    args.load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cajd-bench-") as tmp:
        folder = Path(tmp)
        database, env = build_store(folder)
        name = database.stem
        metadata, script = folder / "metadata.json", folder / "bust.lua"
        write_metadata(metadata, name)
        script.write_text(BUST_LUA)
        list_path = f"/api/v1/events?body={BODY}"
        if not args.json:
            print(
                f"store: {database} (bundled record); cold start, {args.cold_runs} runs…",
                flush=True,
            )
        health, first = cold_start(env, list_path, args.cold_runs)
        ours, theirs = free_port(), free_port()
        cajd = f"http://127.0.0.1:{ours}"
        ds = f"http://127.0.0.1:{theirs}/{name}"
        urls = {
            "list": (f"{cajd}{list_path}", f"{ds}/events_by_body.json?body={BODY}&_shape=array"),
            "detail": (
                f"{cajd}/api/v1/events/{EVENT}",
                f"{ds}/event_delegations.json?event={EVENT}&_shape=array",
            ),
        }
        loads: list[Load] = []
        with (
            running(cajd_argv(ours), env, f"{cajd}/healthz", folder / "cajd.log"),
            running(
                datasette_argv(database, metadata, theirs),
                env,
                f"{ds}.json",
                folder / "datasette.log",
            ),
        ):
            check_equivalent(urls["list"][0], urls["list"][1], urls["detail"][0], urls["detail"][1])
            if not args.json:
                print(
                    "both servers answer 200 with the same meetings and delegations; loading…",
                    flush=True,
                )
            for request, (mine, other) in urls.items():
                for bust in (None, script):
                    loads.append(measure(request, "cajd", mine, args, bust))
                    loads.append(measure(request, "datasette", other, args, bust))
        figures = report(loads, health, first, args)
        if args.json:
            print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/serve.py: {exc}", file=sys.stderr)
        sys.exit(1)
