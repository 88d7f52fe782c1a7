"""The response cache: keyed on the path and the parameters the route declares (canonical order),
bounded by bytes, not poisonable through the Host header; on both databases."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd.settings import Settings
from cajd.web.app import create_app
from cajd.web.cache import ResponseStore
from tests.webfixture import web_engine

__all__ = ["web_engine"]


def make_client(engine: Engine, hosts: list[str] | None = None, **settings: int) -> TestClient:
    app = create_app(engine, Settings(**settings), allowed_hosts=hosts)  # type: ignore[arg-type]
    return TestClient(app)


def store_of(client: TestClient) -> ResponseStore:
    store: ResponseStore = client.app.state.response_store  # type: ignore[attr-defined]
    return store


def test_an_unknown_host_is_refused(web_engine: Engine) -> None:
    client = make_client(web_engine)
    assert client.get("/api/v1/events", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/events", headers={"Host": "localhost:8000"}).status_code == 200


def test_a_foreign_host_does_not_change_what_the_next_client_gets(web_engine: Engine) -> None:
    # even with every host allowed (`*`), the Host header cannot reach the cached body
    client = make_client(web_engine, hosts=["*"])
    url = "/api/v1/events?limit=2"
    poisoned = client.get(url, headers={"Host": "evil.example"})
    assert poisoned.status_code == 200
    normal = client.get(url, headers={"Host": "localhost"})
    assert "evil.example" not in normal.text
    assert normal.json()["meta"]["next"] == "/api/v1/events?limit=2&offset=2"
    assert normal.headers["etag"] == poisoned.headers["etag"]


def test_unknown_parameters_and_their_order_do_not_make_new_entries(web_engine: Engine) -> None:
    client = make_client(web_engine)
    first = client.get("/api/v1/events?body=caj-fmm&sort=-start")
    for url in ["/api/v1/events?x=1&body=caj-fmm&sort=-start",
                "/api/v1/events?sort=-start&body=caj-fmm",
                "/api/v1/events?sort=-start&_=42&body=caj-fmm&utm_source=z"]:
        again = client.get(url)
        assert again.status_code == 200 and again.content == first.content, url
        assert again.headers["etag"] == first.headers["etag"]
    assert len(store_of(client).entries) == 1
    client.get("/api/v1/events?body=caj-fmm")  # a declared parameter changed: a new entry
    assert len(store_of(client).entries) == 2


def test_x_and_body_hits_the_entry_of_body_alone(web_engine: Engine) -> None:
    client = make_client(web_engine)
    client.get("/api/v1/events?body=caj-fmm")
    store = store_of(client)
    (key, entry), = store.entries.items()
    assert client.get("/api/v1/events?x=1&body=caj-fmm").headers["etag"] == entry.etag.decode()
    assert list(store.entries) == [key]


def test_pages_do_not_echo_unknown_parameters(web_engine: Engine) -> None:
    client = make_client(web_engine)
    page = client.get("/en/meetings?body=caj-fmm&zzprobe=1")
    assert page.status_code == 200 and "zzprobe" not in page.text


def test_1500_distinct_long_urls_stay_under_the_byte_bound(web_engine: Engine) -> None:
    bound = 512 * 1024
    client = make_client(web_engine, cache_max_bytes=bound, cache_entry_max_bytes=64 * 1024)
    filler = "z" * 180
    for i in range(1500):  # each a declared parameter with a new value: a real new entry
        path = "/api/v1/events" if i % 2 else "/en/meetings"
        response = client.get(f"{path}?country={filler}{i}&junk={filler}")
        assert response.status_code == 200
    store = store_of(client)
    bodies = sum(len(e.body) for e in store.entries.values())
    assert 0 < len(store.entries) < 1500
    assert bodies <= store.bytes <= bound
    assert store.bytes == sum(e.size(k) for k, e in store.entries.items())


def test_bodies_over_the_entry_cap_are_served_but_not_kept(web_engine: Engine) -> None:
    client = make_client(web_engine, cache_entry_max_bytes=1000)
    big = client.get("/api/v1/events?limit=100")
    assert big.status_code == 200 and len(big.content) > 1000
    assert "etag" in big.headers  # still revalidatable
    assert not store_of(client).entries
    client.get("/api/v1/parties/JP")
    assert len(store_of(client).entries) == (1 if len(client.get("/api/v1/parties/JP").content)
                                             <= 1000 else 0)


def test_clear_forgets_every_entry(web_engine: Engine) -> None:
    client = make_client(web_engine)
    client.get("/api/v1/parties")
    store = store_of(client)
    assert store.entries
    store.clear()
    assert not store.entries and store.bytes == 0
    client.get("/api/v1/parties")
    assert len(store.entries) == 1


@pytest.mark.parametrize("url", ["/healthz", "/static/cajd.js"])
def test_health_and_static_files_are_not_cached(web_engine: Engine, url: str) -> None:
    client = make_client(web_engine)
    assert client.get(url).status_code == 200
    assert not store_of(client).entries


def test_a_zero_byte_cache_is_off(web_engine: Engine) -> None:
    client = make_client(web_engine, cache_max_bytes=0)
    assert client.get("/api/v1/parties").status_code == 200
    assert not store_of(client).entries
