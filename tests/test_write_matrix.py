"""The security matrix, generated from the route table (both databases): every write route of the
real app has a registered example (``tests/writes/``), and every example is run against every rule.

For each: anonymous → 401; reader → 403; assessor → 403 (unless it is the one allowed);
a focal point of another party → 403; a form without a valid CSRF token → 403, a JSON call with
the session cookie alone → 401/403; a stale version → 409 carrying ``current``. Each refused call
changes nothing (every table compared before and after) and adds no audit entry. The allowed
actor succeeds with exactly one new audit entry; every hostile string in every text field is
stored verbatim (or refused with a 4xx naming the field), never a 5xx.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cajd.web.routemap import write_routes
from tests.writes.hostile import HOSTILE
from tests.writes.registry import EXAMPLES, EXEMPT, World, WriteExample, load_examples, world

__all__ = ["world"]

load_examples()
BY_LABEL = {e.label: e for e in EXAMPLES}
HOSTILE_CASES = [
    pytest.param(e, field, name, id=f"{e.label}-{field}-{name}")
    for e in EXAMPLES for field in e.text_fields for name in HOSTILE
]


def example_param(e: WriteExample) -> Any:
    return pytest.param(e, id=e.label)


ALL = [example_param(e) for e in EXAMPLES]
VERSIONED = [example_param(e) for e in EXAMPLES if e.versioned]
JSON = [example_param(e) for e in EXAMPLES if not e.form]
NOT_FOR_ASSESSORS = [example_param(e) for e in EXAMPLES if e.allowed != "assessor"]
OF_A_PARTY = [example_param(e) for e in EXAMPLES if e.other_party is not None]
CSRF_CASES = [
    pytest.param(e, how, id=f"{e.label}-{how}")
    for e in EXAMPLES
    for how in (("cookie-only", "", "forged-token") if e.form else ("cookie-only",))
]


def call(world: World, e: WriteExample, user: str | None, ctx: dict[str, Any],
         body: dict[str, Any] | None = None, how: str = "token") -> httpx.Response:
    body = e.body(ctx) if body is None else body
    if e.form:
        csrf = {"token": "valid", "session": "valid", "cookie-only": None}.get(how, how)
        return world.call_form(user, e.method, e.path(ctx), body, csrf=csrf,
                               files=e.files(ctx) if e.files else None)
    return world.call_json(user, e.method, e.path(ctx), body, how=how,
                           files=e.files(ctx) if e.files else None)


def refused(world: World, e: WriteExample, user: str | None, statuses: set[int],
            how: str = "token", ctx: dict[str, Any] | None = None) -> httpx.Response:
    """Call as ``user``; the answer must be one of ``statuses``, and nothing may change."""
    ctx = e.prepare(world) if ctx is None else ctx
    before, audits = world.state(), world.audit_count()
    response = call(world, e, user, ctx, how=how)
    assert response.status_code in statuses, (user, how, response.status_code, response.text)
    assert world.audit_count() == audits, "a refused call wrote an audit entry"
    assert world.state() == before, "a refused call changed the database"
    return response


# --- the route table ---------------------------------------------------------------------------


def test_every_write_route_has_an_example(world: World) -> None:
    routes = {(r.name, method) for r in write_routes(world.app.router.routes)
              for method in r.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    assert len(routes) >= 8  # the walk reaches the included routers (a naive one does not)
    missing = sorted(f"{method} {name}" for name, method in routes
                     if name not in EXEMPT and f"{method} {name}" not in BY_LABEL)
    assert not missing, f"write routes without a registered example in tests/writes/: {missing}"
    stale = sorted(label for label in BY_LABEL
                   if tuple(reversed(label.split(" ", 1))) not in routes)
    assert not stale, f"examples for routes the app does not have: {stale}"
    assert set(EXEMPT) <= {name for name, _ in routes}, "an exemption names no route"


# --- who may write ---------------------------------------------------------------------------


@pytest.mark.parametrize("e", ALL)
def test_anonymous_is_401(world: World, e: WriteExample) -> None:
    response = refused(world, e, None, {401})
    if not e.form:
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["ok"] is False and response.json()["status"] == 401


@pytest.mark.parametrize("e", ALL)
def test_a_reader_is_403(world: World, e: WriteExample) -> None:
    assert e.allowed != "reader"
    refused(world, e, "reader", {403})


@pytest.mark.parametrize("e", NOT_FOR_ASSESSORS)
def test_an_assessor_is_403_unless_allowed(world: World, e: WriteExample) -> None:
    refused(world, e, "assessor", {403})


@pytest.mark.parametrize("e", OF_A_PARTY)
def test_a_focal_point_of_another_party_is_403(world: World, e: WriteExample) -> None:
    assert e.other_party != e.allowed
    refused(world, e, e.other_party, {403})


@pytest.mark.parametrize("e", JSON)
def test_an_unknown_or_malformed_token_is_401(world: World, e: WriteExample) -> None:
    ctx = e.prepare(world)
    before = world.state()
    for headers in ({"Authorization": "Bearer cajd_not-a-token"}, {"Authorization": "Basic eDp5"},
                    {"Authorization": "Bearer "}):
        response = world.anonymous.request(e.method, e.path(ctx), json=e.body(ctx) or None,
                                           headers=headers)
        assert response.status_code == 401, (headers, response.text)
    assert world.state() == before


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("e", "how"), CSRF_CASES)
def test_a_session_without_its_csrf_token_is_refused(world: World, e: WriteExample,
                                                     how: str) -> None:
    """The allowed actor's own logged-in browser, but the request does not carry the session's
    CSRF token: a form without one (or with an empty or forged one) is 403; a JSON call with the
    cookie alone (no X-CSRF-Token) is 401 or 403."""
    refused(world, e, e.allowed, {403} if e.form else {401, 403}, how=how)


# --- versions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("e", VERSIONED)
def test_a_stale_version_is_409_with_the_current_row(world: World, e: WriteExample) -> None:
    ctx = e.prepare(world)
    assert "version" in ctx, "a versioned example's ctx holds the row's version"
    stale = {**ctx, "version": ctx["version"] - 1 if ctx["version"] > 1 else ctx["version"] + 1}
    response = refused(world, e, e.allowed, {409}, ctx=stale)
    if not e.form:
        answer = response.json()
        assert answer["ok"] is False and answer["status"] == 409
        assert answer["current"]["version"] == ctx["version"], answer


# --- success -----------------------------------------------------------------------------------


def succeeds(world: World, e: WriteExample, how: str,
             body: dict[str, Any] | None = None) -> tuple[httpx.Response, list[Any]]:
    ctx = e.prepare(world)
    audits = world.audit_count()
    response = call(world, e, e.allowed, ctx, body=None if body is None else body(ctx), how=how)
    return response, world.audits_after(audits)


@pytest.mark.parametrize("e", ALL)
def test_the_allowed_actor_succeeds_with_exactly_one_audit_entry(world: World,
                                                                 e: WriteExample) -> None:
    response, entries = succeeds(world, e, "token")
    assert response.status_code < 400, response.text
    assert len(entries) == 1, [(a.action, a.record_id) for a in entries]
    with_name = world.actor(e.allowed).name
    assert entries[0].actor == with_name
    if not e.form:
        assert response.json()["ok"] is True


@pytest.mark.parametrize("e", JSON)
def test_a_logged_in_browser_writes_with_its_csrf_header(world: World, e: WriteExample) -> None:
    response, entries = succeeds(world, e, "session")
    assert response.status_code < 400, response.text
    assert len(entries) == 1


# --- hostile text ------------------------------------------------------------------------------


@pytest.mark.parametrize(("e", "field", "name"), HOSTILE_CASES)
def test_hostile_text_is_stored_verbatim_or_refused_by_field(world: World, e: WriteExample,
                                                             field: str, name: str) -> None:
    hostile = HOSTILE[name]
    ctx = e.prepare(world)
    before, audits = world.state(), world.audit_count()
    response = call(world, e, e.allowed, ctx, body={**e.body(ctx), field: hostile})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert field in response.text, f"the refusal does not name {field!r}: {response.text}"
        assert world.audit_count() == audits and world.state() == before
        return
    [entry] = world.audits_after(audits)
    # Stored exactly as sent: the value is one of the row's values as the service wrote it.
    assert hostile in leaves(entry.after), f"{field} not stored verbatim: {entry.after}"


def leaves(value: Any) -> list[Any]:
    """Every scalar in a JSON value (an audit entry's row, however nested)."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]
