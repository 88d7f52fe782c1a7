"""Hostile requests get a 4xx in the one error shape (pages: the error page), never a 500, on
both databases: a NUL in every declared parameter and path parameter of every GET route (the list
comes from the app's own routes), invalid UTF-8 and encoded lone surrogates, integers beyond 64
bits. Before the request guard, each NUL on PostgreSQL and offset=2**63 gave 500."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cajd.web.app import create_app
from cajd.web.routemap import describe, get_routes
from tests.webfixture import web_engine

__all__ = ["web_engine"]

SAMPLE_IDS = {"lang": "en"}  # any other path parameter: an id that may or may not exist


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(web_engine), raise_server_exceptions=False) as test_client:
        yield test_client


def app_routes() -> list[APIRoute]:
    import sqlalchemy as sa

    from cajd.web.app import create_app as build

    app = build(engine=sa.create_engine("sqlite://"))  # routes only: it never connects
    return list(get_routes(app.routes))


ROUTES = app_routes()


def concrete(route: APIRoute, override: dict[str, str] | None = None) -> str:
    values = {**SAMPLE_IDS, **(override or {})}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "caj-fmm-4"), route.path)


def query_names(route: APIRoute) -> list[str]:
    params = [p for p in describe([route]) if p.pattern.match(concrete(route))]
    return sorted(params[0].query) if params else []


def path_names(route: APIRoute) -> list[str]:
    return re.findall(r"\{(\w+)", route.path)


def assert_refused(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.text[:300])
    if url.startswith("/api/"):
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code, url
        assert body["error"] and isinstance(body["errors"], list), url
    else:
        assert response.headers["content-type"].startswith("text/html"), url
        assert str(response.status_code) in response.text, url


CASES = [(r, name) for r in ROUTES for name in query_names(r)]


def test_the_route_list_is_not_empty() -> None:
    assert len(ROUTES) > 20 and len(CASES) > 10  # the generated cases really cover the app


@pytest.mark.parametrize(("route", "name"), CASES,
                         ids=[f"{r.path}?{n}" for r, n in CASES])
def test_a_nul_in_any_query_parameter_is_refused(client: TestClient, route: APIRoute,
                                                 name: str) -> None:
    assert_refused(client, f"{concrete(route)}?{name}=caj%00fmm")


PATH_CASES = [(r, name) for r in ROUTES for name in path_names(r)]


@pytest.mark.parametrize(("route", "name"), PATH_CASES,
                         ids=[f"{r.path}:{n}" for r, n in PATH_CASES])
def test_a_nul_in_any_path_parameter_is_refused(client: TestClient, route: APIRoute,
                                                name: str) -> None:
    assert_refused(client, concrete(route, {name: "caj%00fmm"}))


@pytest.mark.parametrize("route", ROUTES, ids=[r.path for r in ROUTES])
@pytest.mark.parametrize("bad", ["%ff%fe", "%ED%A0%80", "a%C0%AF"],
                         ids=["invalid-utf8", "lone-surrogate", "overlong"])
def test_invalid_utf8_in_the_query_string_is_refused(client: TestClient, route: APIRoute,
                                                     bad: str) -> None:
    name = (query_names(route) or ["x"])[0]
    assert_refused(client, f"{concrete(route)}?{name}={bad}")


@pytest.mark.parametrize("path", ["/api/v1/events/%ED%A0%80", "/en/meetings/%ff",
                                  "/static/%00", "/static/%ED%A0%80", "/api/v1/%00"])
def test_invalid_paths_are_refused(client: TestClient, path: str) -> None:
    assert_refused(client, path)


@pytest.mark.parametrize("url", [
    "/api/v1/events?offset=9223372036854775808", "/api/v1/events?offset=99999999999999999999",
    "/api/v1/events?limit=10&offset=18446744073709551616",
    "/api/v1/events?year_from=9223372036854775808",
])
def test_integers_beyond_64_bits_are_refused(client: TestClient, url: str) -> None:
    assert_refused(client, url)
    assert "offset" in url or "year_from" in url
    name = "offset" if "offset" in url else "year_from"
    assert client.get(url).json()["errors"][0]["loc"] == ["query", name]


def test_the_largest_64_bit_offset_is_an_empty_page_not_an_error(client: TestClient) -> None:
    response = client.get("/api/v1/events?offset=9223372036854775807")
    assert response.status_code in (200, 422), response.text  # never a 500
    if response.status_code == 200:
        assert response.json()["data"] == []


@pytest.mark.parametrize("url", ["/api/v1/documents?q=to%00kyo", "/en/documents?q=to%00kyo",
                                 "/api/v1/documents?q=%00"])
def test_a_nul_in_the_search_term_is_refused(client: TestClient, url: str) -> None:
    assert_refused(client, url)


def test_a_nul_names_the_parameter(client: TestClient) -> None:
    body = client.get("/api/v1/events?body=caj-fmm&country=J%00P").json()
    assert body["status"] == 422
    assert body["errors"] == [{"loc": ["query", "country"], "msg": "contains a NUL character"}]


def test_ordinary_requests_still_pass(client: TestClient) -> None:
    assert client.get("/api/v1/events?body=caj-fmm&offset=0").status_code == 200
    assert client.get("/api/v1/documents?q=Tokyo+Declaration").status_code == 200
    assert client.get("/ja/meetings").status_code == 200
