"""A snapshot of every API route's JSON over the bundled record, to prove a rewrite of the read
layer returns the same bodies (tests/test_read_snapshot.py compares against it).

Taken from the code as it was before the set-based rewrite of ``cajd.read.queries``; regenerate
only for a deliberate change of the API, and say which in the commit:
    .venv/bin/python -m tests.api_snapshot            # writes tests/snapshots/api.json.gz
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

SNAPSHOT = Path(__file__).parent / "snapshots" / "api.json.gz"

# List routes, with the event list's filters and sorts each exercised once.
LISTS = [
    "/api/v1/parties", "/api/v1/participations", "/api/v1/participations?dialogue=c5-us",
    "/api/v1/bodies", "/api/v1/events", "/api/v1/events?limit=500",
    "/api/v1/events?body=caj-fmm", "/api/v1/events?party=JP&sort=-start",
    "/api/v1/events?rank=minister&sort=number", "/api/v1/events?year_from=2010&year_to=2015",
    "/api/v1/events?country=JP&sort=body", "/api/v1/events?host=KZ", "/api/v1/events?dialogue=",
    "/api/v1/events?format=video", "/api/v1/events?status=cancelled",
    "/api/v1/events?limit=5&offset=5", "/api/v1/people", "/api/v1/documents",
    "/api/v1/documents?q=tokyo", "/api/v1/commitments", "/api/v1/sources", "/api/v1/conflicts",
]
# Detail routes: every record of each kind, its id taken from its list.
DETAILS = {
    "parties": "/api/v1/parties?limit=500", "bodies": "/api/v1/bodies?dialogue=&limit=500",
    "events": "/api/v1/events?dialogue=&limit=500", "people": "/api/v1/people?limit=500",
    "documents": "/api/v1/documents?limit=500", "commitments": "/api/v1/commitments?limit=500",
    "sources": "/api/v1/sources?limit=500",
}


def routes(client: TestClient) -> list[str]:
    found = list(LISTS)
    for kind, listing in DETAILS.items():
        ids = [item["id"] for item in client.get(listing).json()["data"]]
        found += [f"/api/v1/{kind}/{i}" for i in ids]
    return [*found, "/api/v1/events/no-such-meeting", "/api/v1/people/nobody"]


def take(engine: Engine) -> dict[str, Any]:
    """Every route's status and JSON body on the store behind ``engine``."""
    from cajd.web.app import create_app

    # localhost: an allowed host of the default settings (testserver is refused, 400)
    with TestClient(create_app(engine), base_url="http://localhost") as client:
        return {path: {"status": (r := client.get(path)).status_code, "body": r.json()}
                for path in routes(client)}


def load() -> dict[str, Any]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as f:
        snapshot: dict[str, Any] = json.load(f)
    return snapshot


def main() -> int:
    from cajd import store
    from cajd.dataset import pipeline

    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(f"sqlite:///{tmp}/snapshot.sqlite3")
        store.upgrade(engine)
        pipeline.load(engine)
        taken = take(engine)
        engine.dispose()
    SNAPSHOT.parent.mkdir(exist_ok=True)
    with gzip.GzipFile(SNAPSHOT, "wb", mtime=0) as f:  # mtime 0: same bytes for same data
        f.write(json.dumps(taken, ensure_ascii=False, indent=1, sort_keys=True).encode())
    print(f"{SNAPSHOT}: {len(taken)} routes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
