"""``cajd users``: accounts and their roles (thin calls into ``cajd.auth.accounts``)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from cajd import store
from cajd.auth import accounts
from cajd.plural import plural
from cajd.vocab import UserRole

users_app = typer.Typer(help="Accounts and their roles.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

Name = Annotated[str, typer.Argument(help="The account's name (lowercase, e.g. kz-focal).")]
RoleOption = Annotated[UserRole, typer.Option("--role", help="What the account may do.")]
PartyOption = Annotated[
    str | None,
    typer.Option(
        "--party", help="The party a focal point acts for, or whose drafts a reader may see."
    ),
]


def _fail(exc: accounts.AccountError) -> None:
    err.print(f"error: {exc}; nothing was changed", markup=False, highlight=False)
    raise typer.Exit(1)


def _password() -> str | None:
    """A password from standard input when it is not a terminal (scripts, tests), else asked
    for twice without echo; empty means none (the account then uses API tokens only)."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        return line or None
    entered: str = typer.prompt("password (empty: none)", default="", hide_input=True,
                                confirmation_prompt=True, show_default=False)
    return entered or None


@users_app.command("add")
def users_add(name: Name, role: RoleOption, party: PartyOption = None) -> None:
    """Add an account; its password is read from standard input (or asked for)."""
    password = _password()
    engine = store.open_store()
    try:
        with Session(engine) as session, session.begin():
            accounts.add_user(session, name, role, party, password)
    except accounts.AccountError as exc:
        _fail(exc)
    out.print(f"added {name} ({role.value}{f', {party}' if party else ''})", markup=False)


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Every account: role, party, whether disabled, live API tokens."""
    with Session(store.open_store()) as session:
        lines = accounts.list_users(session)
    if as_json:
        print(json.dumps([line.__dict__ for line in lines]))
        return
    table = Table("name", "role", "party", "disabled", "tokens")
    for line in lines:
        table.add_row(line.name, line.role, line.party or "", "yes" if line.disabled else "",
                      str(line.tokens))
    out.print(table)


@users_app.command("disable")
def users_disable(name: Name) -> None:
    """Disable an account: its sessions end and its tokens are revoked at once."""
    try:
        with Session(store.open_store()) as session, session.begin():
            accounts.set_disabled(session, name)
    except accounts.AccountError as exc:
        _fail(exc)
    out.print(f"disabled {name}; its sessions ended and its tokens were revoked", markup=False)


@users_app.command("set-role")
def users_set_role(name: Name, role: RoleOption, party: PartyOption = None) -> None:
    """Change an account's role (and party); its sessions end."""
    try:
        with Session(store.open_store()) as session, session.begin():
            accounts.set_role(session, name, role, party)
    except accounts.AccountError as exc:
        _fail(exc)
    out.print(f"{name} is now {role.value}{f' of {party}' if party else ''}", markup=False)


@users_app.command("token")
def users_token(
    name: Name,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Revoke every token of the account instead.")
    ] = False,
) -> None:
    """Print a new API token for the account, once (only its hash is kept)."""
    try:
        with Session(store.open_store()) as session, session.begin():
            if revoke:
                count = accounts.revoke_tokens(session, name)
            else:
                token = accounts.new_token(session, name)
    except accounts.AccountError as exc:
        _fail(exc)
    if revoke:
        out.print(f"revoked {plural(count, 'token')} of {name}", markup=False)
        return
    print(token)
    err.print("shown once: it cannot be shown again (only its hash is stored)", markup=False)
