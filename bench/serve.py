"""Benchmark: `cajd serve` against Datasette and nginx, on the bundled record and at 100× it.

Same run, same SQLite file, wrk with the same connections, threads and duration after a warm-up:

- uncached (cajd's response cache off, `CAJD_CACHE_MAX_BYTES=0`, and a new URL per request):
  list   = `/api/v1/events?body=caj-fmm` vs a Datasette canned query returning the same meetings,
           fields, host names, delegation counts and total;
  detail = `/api/v1/events/caj-fmm-4` (with delegations, documents, commitments, areas, sources,
           conflicts) vs a canned query of the meeting with its delegations, and vs Datasette's
           row JSON of the event alone;
  page   = the meeting page `/en/meetings/caj-fmm-4` (HTML) vs Datasette's HTML row page;
  and the same three cajd requests on PostgreSQL (the same record loaded there);
- cached: cajd as shipped (its response cache answers) vs nginx serving the very same bytes as
  static files (`nginx -c CONF -p DIR`, generated config, loopback port, stopped afterwards);
- at `--scale` × the record (bench/synth.py; 0 skips): `data load` time, the uncached time of every
  list (API and pages, median of 3 sequential requests), and the resident memory of `cajd serve`
  (all its processes) after a crawl of every list page and `--crawl-details` meetings;
- cold start of `cajd serve` to its first 200 (median of `--cold-runs`), and `cajd --help`.

Datasette runs with facet suggestion off and uvicorn's access log off, one process; cajd runs as
shipped (its own worker count); nginx with `--nginx-workers`. Prints a table and whether each
target of issue 9 is met; exits 0 either way (a benchmark, not a test), non-zero only if a server
cannot be started or the servers disagree on the data.
Run: .venv/bin/python bench/serve.py [--duration 10] [--connections 16] [--scale 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    BIN,
    BUST_LUA,
    NO_CACHE,
    BenchError,
    Load,
    cajd_argv,
    free_port,
    get,
    measure,
    nginx,
    postgres_database,
    running,
    tree_rss_mb,
    wait_for_200,
)

BODY, EVENT = "caj-fmm", "caj-fmm-4"

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


# `datasette serve` hard-codes uvicorn's log level to info, i.e. one access-log line per
# request; cajd logs none. Run the same CLI with the access log off, so neither pays for logging.
DATASETTE_MAIN = (
    "import functools, sys, uvicorn\n"
    "uvicorn.run = functools.partial(uvicorn.run, access_log=False)\n"
    "from datasette.cli import cli\n"
    "sys.exit(cli())\n"
)



def build_store(folder: Path) -> tuple[Path, dict[str, str]]:
    database = folder / "cajd.sqlite3"
    env = {**os.environ, "CAJD_DATA_HOME": str(folder / "home"), "CAJD_ENV": "development",
           "CAJD_DATABASE_URL": f"sqlite:///{database}"}
    for argv in (["db", "upgrade"], ["data", "load"]):
        subprocess.run([str(BIN / "cajd"), *argv], env=env, check=True, stdout=subprocess.DEVNULL)
    return database, env



def datasette_argv(database: Path, metadata: Path, port: int) -> list[str]:
    return [
        sys.executable, "-c", DATASETTE_MAIN, "serve", "-i", str(database), "-m", str(metadata),
        "--host", "127.0.0.1", "--port", str(port),
        "--setting", "suggest_facets", "off",  # cajd suggests nothing either
        "--setting", "default_cache_ttl", "0",  # a header only, but keep clients honest
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
        process = subprocess.Popen(cajd_argv(port), env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
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
    if ours["meta"]["total"] != theirs[0]["total"] or [e["delegations"] for e in ours["data"]] \
            != [r["delegations"] for r in theirs]:
        raise BenchError("list differs in its total or its delegation counts")
    if [e["host"]["name"]["en"] if e["host"] else None for e in ours["data"]] != \
            [r["host_name_en"] for r in theirs]:
        raise BenchError("list differs in its hosts")
    one, rows = json_ok(cajd_detail)["data"], json_ok(ds_detail)
    delegations = [(d["party"]["id"], d["head"]["id"] if d["head"] else None)
                   for d in one["delegation_list"]]
    if not delegations or delegations != [(r["party_id"], r["head_id"]) for r in rows] \
            or {r["id"] for r in rows} != {one["id"]}:
        raise BenchError(f"detail differs: cajd {delegations} vs datasette {rows}")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}



def load_store(env: dict[str, str], dataset: Path | None = None) -> float:
    """`cajd db upgrade` then `cajd data load [DATASET]` on env's store; seconds the load took."""
    cajd = str(BIN / "cajd")
    subprocess.run([cajd, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([cajd, "data", "load", *([str(dataset)] if dataset else [])], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def help_times(runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(BIN / "cajd"), "--help"], check=True, stdout=subprocess.DEVNULL)
        found.append(time.perf_counter() - started)
    return found


# --- at scale --------------------------------------------------------------------------------

SCALE_API = ["/api/v1/events", "/api/v1/events?limit=500", f"/api/v1/events?body={BODY}",
             "/api/v1/events?dialogue=&sort=-start&offset=5000", "/api/v1/people",
             "/api/v1/people?limit=500", "/api/v1/parties", "/api/v1/participations",
             "/api/v1/bodies?dialogue=", "/api/v1/documents", "/api/v1/commitments",
             "/api/v1/sources", "/api/v1/sources?limit=500", "/api/v1/conflicts",
             f"/api/v1/events/{EVENT}"]
SCALE_PAGES = ["/en/", "/en/timeline", "/en/structure", "/en/meetings", "/en/meetings?page=50",
               "/en/parties", "/en/people", "/en/people?page=40", "/en/documents",
               "/en/commitments", "/en/sources", "/en/sources?page=150",
               f"/en/meetings/{EVENT}"]
NEXT_LINK = re.compile(r'<a rel="next" href="([^"]+)"')


def timed_ms(url: str, runs: int = 3) -> tuple[float, int, int]:
    """Median milliseconds of ``runs`` sequential requests, the status and the body's size."""
    spent, status, size = [], 0, 0
    for _ in range(runs):
        started = time.perf_counter()
        status, body = get(url, timeout=120)
        spent.append((time.perf_counter() - started) * 1000)
        size = len(body)
    return statistics.median(spent), status, size


def crawl(base: str, details: int) -> int:
    """Every page of every list (API by `meta.next`, HTML by rel=next) and ``details`` meetings
    (API and page); the number of requests made."""
    made = 0
    for path in ["/api/v1/events?dialogue=&limit=500", "/api/v1/people?limit=500",
                 "/api/v1/sources?limit=500", "/api/v1/documents?limit=500",
                 "/api/v1/commitments?limit=500", "/api/v1/conflicts?limit=500",
                 "/api/v1/parties", "/api/v1/bodies?dialogue=", "/api/v1/participations"]:
        url: str | None = path
        while url:
            status, body = get(base + url, timeout=120)
            made += 1
            url = json.loads(body)["meta"]["next"] if status == 200 else None
    for path in ["/en/meetings", "/en/people", "/en/sources", "/en/documents", "/en/commitments",
                 "/en/", "/en/timeline", "/en/structure", "/en/parties"]:
        page: str | None = path
        while page:
            status, body = get(base + page, timeout=120)
            made += 1
            found = NEXT_LINK.search(body.decode()) if path != "/en/timeline" else None
            page = path.split("?")[0] + found[1].replace("&amp;", "&") if found else None
    ids = [e["id"] for e in json.loads(get(f"{base}/api/v1/events?dialogue=&limit=500")[1])["data"]]
    for event_id in ids[:details]:
        get(f"{base}/api/v1/events/{event_id}")
        get(f"{base}/en/meetings/{event_id}")
        made += 2
    return made


def at_scale(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from bench.synth import write_synthetic

    data = folder / f"synthetic-{args.scale}"
    counts = write_synthetic(data, scale=args.scale)
    env = {**os.environ, "CAJD_DATA_HOME": str(folder / "home-scale"), "CAJD_ENV": "development",
           "CAJD_DATABASE_URL": f"sqlite:///{folder / 'scale.sqlite3'}"}
    load_s = load_store(env, data)
    result: dict[str, Any] = {"scale": args.scale, "events": counts.events,
                              "delegations": counts.delegations, "load_s": load_s, "times": []}
    if not args.json:
        print(f"{args.scale}× record: {counts.events} meetings, {counts.delegations} delegations;"
              f" `cajd data load` {load_s:.1f} s; timing every list uncached…", flush=True)
    port = free_port()
    with running(cajd_argv(port), {**env, **NO_CACHE}, f"http://127.0.0.1:{port}/healthz",
                 folder / "cajd-scale-nocache.log"):
        for path in SCALE_API + SCALE_PAGES:
            ms, status, size = timed_ms(f"http://127.0.0.1:{port}{path}")
            result["times"].append({"path": path, "ms": ms, "status": status, "bytes": size})
    port = free_port()
    with running(cajd_argv(port), env, f"http://127.0.0.1:{port}/healthz",
                 folder / "cajd-scale.log") as process:
        started = time.perf_counter()
        result["crawl_requests"] = crawl(f"http://127.0.0.1:{port}", args.crawl_details)
        result["crawl_s"] = time.perf_counter() - started
        result["rss_mb"] = tree_rss_mb(process.pid)
    return result


# --- the run ---------------------------------------------------------------------------------

TARGETS = {  # issue 9
    "list_vs_datasette": 2.0, "detail_vs_datasette": 1.0, "page_vs_datasette": 1.0,
    "p99_ms": 50.0, "postgresql_vs_sqlite": 1 / 1.5, "cached_vs_nginx": 1 / 3,
    "scale_ms": 100.0, "rss_mb": 400.0, "cold_s": 1.0, "help_s": 0.3,
}


def serving(folder: Path, database: Path, env: dict[str, str], args: argparse.Namespace
            ) -> list[Load]:
    name = database.stem
    metadata, script = folder / "metadata.json", folder / "bust.lua"
    write_metadata(metadata, name)
    script.write_text(BUST_LUA)
    paths = {"list": f"/api/v1/events?body={BODY}", "detail": f"/api/v1/events/{EVENT}",
             "page": f"/en/meetings/{EVENT}"}
    ds_port, ours = free_port(), free_port()
    ds = f"http://127.0.0.1:{ds_port}/{name}"
    cajd = f"http://127.0.0.1:{ours}"
    theirs = {"list": [("canned query", f"{ds}/events_by_body.json?body={BODY}&_shape=array")],
              "detail": [("canned query", f"{ds}/event_delegations.json?event={EVENT}"
                                          "&_shape=array"),
                         ("row JSON", f"{ds}/event/{EVENT}.json")],
              "page": [("HTML row page", f"{ds}/event/{EVENT}")]}
    loads: list[Load] = []
    with running(cajd_argv(ours), {**env, **NO_CACHE}, f"{cajd}/healthz",
                 folder / "cajd-nocache.log"), \
            running(datasette_argv(database, metadata, ds_port), env, f"{ds}.json",
                    folder / "datasette.log"):
        check_equivalent(cajd + paths["list"], theirs["list"][0][1], cajd + paths["detail"],
                         theirs["detail"][0][1])
        if not args.json:
            print("cajd and Datasette answer 200 with the same meetings and delegations; "
                  "loading…", flush=True)
        for request, path in paths.items():
            loads.append(measure(request, "cajd sqlite", "off", cajd + path, args, script))
            for what, url in theirs[request]:
                loads.append(measure(request, f"datasette {what}", "none", url, args, None))
    with postgres_database() as url:
        pg_env = {**env, "CAJD_DATABASE_URL": url}
        load_store(pg_env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with running(cajd_argv(port), {**pg_env, **NO_CACHE}, f"{base}/healthz",
                     folder / "cajd-postgresql.log"):
            for request, path in paths.items():
                loads.append(measure(request, "cajd postgresql", "off", base + path, args,
                                     script))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(cajd_argv(port), env, f"{base}/healthz", folder / "cajd.log"):
        files = {}
        for request, path in paths.items():
            status, body = get(base + path)
            if status != 200:
                raise BenchError(f"cajd {path}: {status}")
            files[f"{request}.{'html' if request == 'page' else 'json'}"] = body
        for request, path in paths.items():
            loads.append(measure(request, "cajd sqlite", "hit", base + path, args, None))
        with nginx(folder / "nginx", files, args.nginx_workers) as static:
            for request, filename in zip(paths, files, strict=True):
                loads.append(measure(request, "nginx static", "file", f"{static}/{filename}",
                                     args, None))
    return loads


def summary(loads: list[Load], scale: dict[str, Any] | None, cold: list[float],
            helps: list[float]) -> dict[str, tuple[float, float, bool]]:
    """Each target: (value, target, met)."""
    # uncached rows only (cache "off"/"none"): the same server also has a cached ("hit") row
    by = {(x.request, x.server): x for x in loads if x.cache != "hit"}
    rps = {k: x.rps for k, x in by.items()}
    found = {
        "list_vs_datasette": rps["list", "cajd sqlite"] / rps["list", "datasette canned query"],
        "detail_vs_datasette": rps["detail", "cajd sqlite"] / rps["detail", "datasette row JSON"],
        "page_vs_datasette": rps["page", "cajd sqlite"] / rps["page", "datasette HTML row page"],
        "p99_ms": max(x.p99_ms for x in loads if x.server == "cajd sqlite" and x.cache == "off"
                      and x.request != "page"),
        "postgresql_vs_sqlite": min(rps[r, "cajd postgresql"] / rps[r, "cajd sqlite"]
                                    for r in ("list", "detail", "page")
                                    if (r, "cajd sqlite") in rps),
        "cached_vs_nginx": min(x.rps / by[x.request, "nginx static"].rps
                               for x in loads if x.cache == "hit"),
        "cold_s": statistics.median(cold), "help_s": statistics.median(helps),
    }
    if scale:
        found["scale_ms"] = max(t["ms"] for t in scale["times"])
        found["rss_mb"] = scale["rss_mb"]
    lower_is_better = {"p99_ms", "scale_ms", "rss_mb", "cold_s", "help_s"}
    return {k: (value, TARGETS[k], value <= TARGETS[k] if k in lower_is_better
                else value >= TARGETS[k]) for k, value in found.items()}


def report(loads: list[Load], scale: dict[str, Any] | None, cold: list[float],
           first: list[float], helps: list[float], args: argparse.Namespace) -> None:
    targets = summary(loads, scale, cold, helps)
    machine = (f"{os.cpu_count()} CPUs shared by wrk and the servers; load average at start "
               f"{args.load_before:.2f}, at end {os.getloadavg()[0]:.2f}")
    if args.json:
        print(json.dumps({"machine": machine, "loads": [asdict(x) for x in loads],
                          "scale": scale, "cold_start_s": cold, "first_list_s": first,
                          "help_s": helps, "targets": targets}, indent=2))
        return
    print(f"\ncajd serve vs Datasette {_version('datasette')} vs nginx — wrk -t{args.threads} "
          f"-c{args.connections} -d{args.duration:g}s after {args.warmup:g}s warm-up; {machine}")
    print(f"{'request':<9}{'server':<26}{'cache':<7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'requests':>10}{'errors':>8}")
    for x in loads:
        print(f"{x.request:<9}{x.server:<26}{x.cache:<7}{x.rps:>9.0f}{x.p50_ms:>9.2f}"
              f"{x.p99_ms:>9.2f}{x.requests:>10}{x.errors:>8}")
    print(f"  list = /api/v1/events?body={BODY}; detail = /api/v1/events/{EVENT}; page = "
          f"/en/meetings/{EVENT}. cache: off = cajd with CAJD_CACHE_MAX_BYTES=0 and a new URL "
          "per request; hit = cajd as shipped; none = Datasette has no cache; file = nginx")
    if scale:
        print(f"\n{scale['scale']}× record ({scale['events']} meetings, {scale['delegations']} "
              f"delegations): `cajd data load` {scale['load_s']:.1f} s; uncached, median of 3:")
        for t in scale["times"]:
            print(f"  {t['ms']:8.1f} ms  {t['status']}  {t['bytes']:>9} B  {t['path']}")
        print(f"  `cajd serve` RSS after a crawl of {scale['crawl_requests']} requests "
              f"({scale['crawl_s']:.0f} s): {scale['rss_mb']:.0f} MB")
    print(f"\ncold start to first 200 on /healthz: median {statistics.median(cold):.2f} s "
          f"({', '.join(f'{s:.2f}' for s in cold)}); to the first list: "
          f"{statistics.median(first):.2f} s; `cajd --help`: median "
          f"{statistics.median(helps):.2f} s")
    print("\ntargets (issue 9)")
    for name, (value, target, met) in targets.items():
        print(f"  {name:<22} {value:9.2f}  target {target:7.2f}  {'met' if met else 'MISSED'}")


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=100, help="× the record; 0 skips")
    parser.add_argument("--crawl-details", type=int, default=500,
                        help="meetings whose API and page the crawl at scale fetches")
    parser.add_argument("--nginx-workers", default="auto")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    for tool, package in (("wrk", "wrk"), ("nginx", "nginx-light")):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (Debian: apt-get install -y {package})",
                  file=sys.stderr)
            return 2
    args.load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cajd-bench-") as tmp:
        folder = Path(tmp)
        database, env = build_store(folder)
        if not args.json:
            print(f"store: {database} (bundled record); cold start, {args.cold_runs} runs…",
                  flush=True)
        cold, first = cold_start(env, f"/api/v1/events?body={BODY}", args.cold_runs)
        helps = help_times(args.cold_runs)
        loads = serving(folder, database, env, args)
        scale = at_scale(folder, args) if args.scale else None
        report(loads, scale, cold, first, helps, args)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/serve.py: {exc}", file=sys.stderr)
        sys.exit(1)
