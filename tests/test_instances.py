"""Two app instances on one database (both backends): a write through one is visible through the
other at once, including on a page and an API answer the other had cached before.

On PostgreSQL the other instance's version check is made to wait an hour, so only the commit's
notification (``cajd.changes``) can refresh it: the test proves the push, not the polling. On
SQLite (no notifications) the record version, re-read once a second, does it within that second.
Within one instance a write clears its own cache at once, on both.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd import store
from cajd.model import Event
from cajd.web.app import create_app
from tests.writes.registry import World, world
from tests.writes.world import BASE_URL

__all__ = ["world"]
PAGE = "/en/meetings/caj-fmm-7"
API = "/api/v1/events/caj-fmm-7"


@pytest.fixture
def second_engine(world: World) -> Iterator[Engine]:
    """A second engine (its own pool) on the same database, as a second server would have."""
    engine = store.make_engine(world.engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def version(world: World) -> int:
    with Session(world.engine) as db:
        row = db.get(Event, "caj-fmm-7")
        assert row is not None
        return row.version


def wait_for(client: TestClient, path: str, text: str, deadline: float) -> float:
    """Seconds until an anonymous GET of ``path`` shows ``text`` (fails after ``deadline``)."""
    started = time.monotonic()
    while text not in client.get(path).text:
        assert time.monotonic() - started < deadline, f"{path} still stale after {deadline} s"
        time.sleep(0.01)
    return time.monotonic() - started


def test_a_write_on_one_instance_is_visible_on_the_other_at_once(
    world: World, second_engine: Engine
) -> None:
    postgres = world.engine.dialect.name == "postgresql"
    reader_app = create_app(world.engine, version_ttl=3600 if postgres else 1.0)
    writer_app = create_app(second_engine)
    with TestClient(reader_app, base_url=BASE_URL) as reader, \
            TestClient(writer_app, base_url=BASE_URL) as writer:
        if postgres:
            assert reader_app.state.change_listener.listening.wait(5)
        for path in (PAGE, API):
            first, again = reader.get(path), reader.get(path)
            assert first.status_code == again.status_code == 200
            assert first.headers["etag"] == again.headers["etag"]  # cached on the reader
        assert reader_app.state.response_store.entries  # it holds the pages
        venue = f"Venue written on the other instance {time.time_ns()}"
        done = writer.patch(API, headers=world.bearer("secretariat"),
                            json={"version": version(world), "venue": venue})
        assert done.status_code == 200, done.text
        # Pushed on PostgreSQL: far sooner than the hour its version check would wait.
        seconds = wait_for(reader, PAGE, venue, deadline=1.0 if postgres else 2.5)
        assert reader.get(API).json()["data"]["venue"] == venue
        print(f"{world.engine.dialect.name}: visible on the other instance after {seconds:.3f} s")


def test_a_write_clears_the_writing_instances_own_cache_at_once(world: World) -> None:
    app = create_app(world.engine, version_ttl=3600)
    with TestClient(app, base_url=BASE_URL) as client:
        assert client.get(PAGE).status_code == 200 and app.state.response_store.entries
        venue = f"Venue written here {time.time_ns()}"
        done = client.patch(API, headers=world.bearer("secretariat"),
                            json={"version": version(world), "venue": venue})
        assert done.status_code == 200, done.text
        assert venue in client.get(PAGE).text  # the very next request, no waiting
        kept = list(app.state.response_store.entries)
        assert kept
        refused = client.patch(API, headers=world.bearer("reader"),
                               json={"version": version(world), "venue": "no"})
        assert refused.status_code == 403
        assert list(app.state.response_store.entries) == kept  # a refused write keeps it
