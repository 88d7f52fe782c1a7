"""Accounts, sessions, tokens and the login rate limit, on both databases; ``cajd users``."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cajd import store
from cajd.auth import accounts, sessions
from cajd.cli import app
from cajd.model import ApiToken, User
from cajd.settings import DEVELOPMENT_SECRET, InsecureSecret, Settings
from cajd.vocab import UserRole

PASSWORD = "correct horse battery"


def add(engine: Engine, name: str, role: UserRole, party: str | None = None) -> None:
    with Session(engine) as session, session.begin():
        accounts.add_user(session, name, role, party, PASSWORD)


def try_login(engine: Engine, name: str, password: str, address: str = "10.0.0.1") -> str:
    """One login on its own transaction, committed even when refused (as the web route does)."""
    with Session(engine) as session:
        try:
            return sessions.login(session, name, password, address).token
        finally:
            session.commit()


def test_cli_manages_accounts(loaded_engine: Engine, cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    done = runner.invoke(
        app, ["users", "add", "kz-focal", "--role", "focal_point", "--party", "KZ"],
        input=PASSWORD + "\n", env=cli_env,
    )
    assert done.exit_code == 0, done.output
    token = runner.invoke(app, ["users", "token", "kz-focal"], env=cli_env)
    assert token.exit_code == 0 and "shown once" in token.stderr
    printed = token.stdout.strip()
    assert printed.startswith("cajd_") and len(printed) > 40
    listed = runner.invoke(app, ["users", "list", "--json"], env=cli_env)
    assert json.loads(listed.stdout) == [
        {"name": "kz-focal", "role": "focal_point", "party": "KZ", "disabled": False, "tokens": 1,
         "email": None}
    ]
    with Session(loaded_engine) as session:
        user = accounts.get_user(session, "kz-focal")
        assert user.password_hash and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        stored = session.scalars(sa.select(ApiToken.token_hash)).all()
        assert stored == [accounts.digest(printed)]  # the token itself is nowhere in the store
        assert accounts.token_user(session, printed) is not None
    moved = runner.invoke(app, ["users", "set-role", "kz-focal", "--role", "assessor"], env=cli_env)
    assert moved.exit_code == 0, moved.output
    off = runner.invoke(app, ["users", "disable", "kz-focal"], env=cli_env)
    assert off.exit_code == 0
    with Session(loaded_engine) as session:
        assert accounts.token_user(session, printed) is None  # revoked with the account


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "focal_point"], "--party: a focal point acts for one party"),
        (["--role", "focal_point", "--party", "XX"], "--party: no party 'XX'"),
        (["--role", "secretariat", "--party", "KZ"], "only a focal point or a reader"),
    ],
)
def test_cli_refuses_a_bad_account_and_changes_nothing(
    loaded_engine: Engine, cli_env: dict[str, str], argv: list[str], message: str
) -> None:
    done = CliRunner().invoke(app, ["users", "add", "someone", *argv], input="\n", env=cli_env)
    assert done.exit_code == 1 and message in done.stderr and "nothing was changed" in done.stderr
    with Session(loaded_engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_short_password_and_duplicate_name_are_refused(loaded_engine: Engine) -> None:
    with Session(loaded_engine) as session, pytest.raises(accounts.AccountError, match="at least"):
        accounts.add_user(session, "sec", UserRole.SECRETARIAT, None, "short")
    add(loaded_engine, "sec", UserRole.SECRETARIAT)
    with Session(loaded_engine) as session, pytest.raises(accounts.AccountError, match="exists"):
        accounts.add_user(session, "sec", UserRole.SECRETARIAT, None, PASSWORD)


def test_a_session_lives_in_the_database_and_disabling_ends_it_everywhere(
    loaded_engine: Engine, database_url: str
) -> None:
    add(loaded_engine, "sec", UserRole.SECRETARIAT)
    token = try_login(loaded_engine, "sec", PASSWORD)
    other = store.make_engine(database_url)  # a second app instance on the same database
    try:
        with Session(other) as session:
            current = sessions.resolve(session, token)
            assert current is not None and current.user.name == "sec" and current.csrf
        with Session(loaded_engine) as session, session.begin():
            accounts.set_disabled(session, "sec")
        with Session(other) as session:
            assert sessions.resolve(session, token) is None
    finally:
        other.dispose()


def test_logout_ends_the_session(loaded_engine: Engine) -> None:
    add(loaded_engine, "sec", UserRole.SECRETARIAT)
    token = try_login(loaded_engine, "sec", PASSWORD)
    with Session(loaded_engine) as session, session.begin():
        sessions.logout(session, token)
    with Session(loaded_engine) as session:
        assert sessions.resolve(session, token) is None
        assert sessions.resolve(session, "made-up") is None


def test_login_is_limited_per_account_across_instances(
    loaded_engine: Engine, database_url: str
) -> None:
    add(loaded_engine, "sec", UserRole.SECRETARIAT)
    other = store.make_engine(database_url)
    try:
        for i in range(sessions.MAX_FAILURES_PER_ACCOUNT):
            with pytest.raises(sessions.LoginRefused) as refused:
                instance = loaded_engine if i % 2 else other
                try_login(instance, "sec", "wrong password!", f"10.0.0.{i}")
            assert not isinstance(refused.value, sessions.RateLimited)
        # Now even the right password is refused, from any address and on either instance.
        with pytest.raises(sessions.RateLimited):
            try_login(other, "sec", PASSWORD, "10.9.9.9")
    finally:
        other.dispose()


def test_login_is_limited_per_address(loaded_engine: Engine) -> None:
    add(loaded_engine, "sec", UserRole.SECRETARIAT)
    for i in range(sessions.MAX_FAILURES_PER_ADDRESS):
        with pytest.raises(sessions.LoginRefused):
            try_login(loaded_engine, f"guess-{i}", "wrong password!", "10.6.6.6")
    with pytest.raises(sessions.RateLimited):
        try_login(loaded_engine, "sec", PASSWORD, "10.6.6.6")
    assert try_login(loaded_engine, "sec", PASSWORD, "10.0.0.2")  # another address may


def test_a_disabled_account_cannot_log_in(loaded_engine: Engine) -> None:
    add(loaded_engine, "sec", UserRole.SECRETARIAT)
    with Session(loaded_engine) as session, session.begin():
        accounts.set_disabled(session, "sec")
    with pytest.raises(sessions.LoginRefused):
        try_login(loaded_engine, "sec", PASSWORD)


@pytest.mark.parametrize("key", ["", "changeme", "short-but-real", DEVELOPMENT_SECRET])
def test_serve_refuses_a_missing_or_placeholder_secret(key: str, tmp_path: object) -> None:
    env = {"CAJD_SECRET_KEY": key, "CAJD_ENV": "production", "CAJD_DATA_HOME": str(tmp_path)}
    done = CliRunner().invoke(app, ["serve", "--port", "1"], env=env)
    assert done.exit_code == 2
    assert "CAJD_SECRET_KEY" in done.stderr and "CAJD_ENV=development" in done.stderr
    with pytest.raises(InsecureSecret):
        Settings(secret_key=key, env="production").resolved_secret()


def test_development_uses_the_embedded_secret_and_a_real_one_is_kept() -> None:
    assert Settings(env="development").resolved_secret() == DEVELOPMENT_SECRET
    real = "x" * 16 + "9f3a" * 8
    assert Settings(secret_key=real, env="production").resolved_secret() == real
