"""Logging in through the portal (both databases): cookies, CSRF, refusals, logout."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cajd.auth import accounts, sessions
from cajd.vocab import UserRole
from cajd.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def client(loaded_engine: Engine) -> Iterator[TestClient]:
    with Session(loaded_engine) as session, session.begin():
        accounts.add_user(session, "sec", UserRole.SECRETARIAT, None, PASSWORD)
    # https: the client's cookie jar, like a browser, sends Secure cookies only there.
    with TestClient(create_app(loaded_engine), base_url="https://testserver") as test_client:
        yield test_client


def login_form(client: TestClient, lang: str = "en") -> str:
    page = client.get(f"/{lang}/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def cookie_flags(response: Response, name: str) -> set[str]:
    """The attributes of the cookie ``name`` that ``response`` sets."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return {part.strip().lower() for part in header.split(";")[1:]}
    raise AssertionError(f"no {name} cookie set")


def test_login_form_is_translated_private_and_sets_a_strict_cookie(client: TestClient) -> None:
    page = client.get("/ja/login")
    assert "ログイン" in page.text and "パスワード" in page.text
    assert client.get("/ru/login").text.count("Вход") >= 2
    assert page.headers["cache-control"] == "no-store"
    flags = cookie_flags(page, "cajd_login_csrf")
    assert {"secure", "httponly", "samesite=strict"} <= flags
    # Each visitor gets a token of its own: the response cache does not keep the form.
    assert login_form(client) != login_form(client)


def test_login_opens_a_database_session_with_a_strict_cookie(
    client: TestClient, loaded_engine: Engine
) -> None:
    csrf = login_form(client)
    done = client.post("/en/login", data={"name": "sec", "password": PASSWORD, "csrf": csrf},
                       follow_redirects=False)
    assert done.status_code == 303
    assert {"secure", "httponly", "samesite=strict"} <= cookie_flags(done, "cajd_session")
    token = client.cookies["cajd_session"]
    with Session(loaded_engine) as session:
        current = sessions.resolve(session, token)
        assert current is not None and current.user.name == "sec"


@pytest.mark.parametrize("csrf", [None, "", "forged.0000", "wrong"])
def test_login_without_a_valid_csrf_token_is_refused(client: TestClient, csrf: str | None) -> None:
    login_form(client)  # the cookie half is there; the form half is missing or forged
    data = {"name": "sec", "password": PASSWORD} | ({} if csrf is None else {"csrf": csrf})
    done = client.post("/en/login", data=data, follow_redirects=False)
    assert done.status_code == 403 and "cajd_session" not in client.cookies


def test_a_token_from_another_visitor_is_refused(loaded_engine: Engine, client: TestClient) -> None:
    stolen = login_form(client)
    with TestClient(client.app, base_url="https://testserver") as other:
        login_form(other)  # its own nonce cookie, which the stolen token does not match
        done = other.post("/en/login", data={"name": "sec", "password": PASSWORD, "csrf": stolen},
                          follow_redirects=False)
    assert done.status_code == 403


def test_wrong_password_is_401_and_says_so_without_saying_which(client: TestClient) -> None:
    wrong = {"name": "sec", "password": "not it at all", "csrf": login_form(client)}
    done = client.post("/en/login", data=wrong)
    assert done.status_code == 401 and "Wrong name or password." in done.text
    assert "cajd_session" not in client.cookies


def test_logout_needs_the_session_csrf_token_and_ends_the_session(
    client: TestClient, loaded_engine: Engine
) -> None:
    client.post("/en/login", data={"name": "sec", "password": PASSWORD, "csrf": login_form(client)},
                follow_redirects=False)
    token = client.cookies["cajd_session"]
    assert client.post("/en/logout", data={}, follow_redirects=False).status_code == 403
    with Session(loaded_engine) as session:
        current = sessions.resolve(session, token)
        assert current is not None
        csrf = current.csrf
    done = client.post("/en/logout", data={"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    with Session(loaded_engine) as session:
        assert sessions.resolve(session, token) is None


def test_logout_without_a_session_is_401(client: TestClient) -> None:
    assert client.post("/en/logout", data={"csrf": "x"}).status_code == 401
