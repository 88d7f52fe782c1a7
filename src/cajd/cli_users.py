"""``cajd users``: accounts and their roles (thin calls into ``cajd.auth.accounts``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from cajd.plural import plural
from cajd.vocab import UserRole

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cajd.auth import accounts

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

EmailOption = Annotated[
    str | None,
    typer.Option("--email", help="Where reminders are sent (a focal point's address)."),
]


def _fail(exc: accounts.AccountError) -> None:
    err.print(f"error: {exc}; nothing was changed", markup=False, highlight=False)
    raise typer.Exit(1)


@contextmanager
def _session(write: bool = True) -> Iterator[Session]:
    """A session on the store (in one transaction when ``write``); an account error ends the
    command with its message. The database layer is imported here, not with the CLI: `cajd
    --help` and every other command would pay for it (half a second) otherwise."""
    from sqlalchemy.orm import Session

    from cajd import store
    from cajd.auth import accounts

    try:
        with Session(store.open_store()) as session:
            if write:
                with session.begin():
                    yield session
            else:
                yield session
    except accounts.AccountError as exc:
        _fail(exc)


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
def users_add(name: Name, role: RoleOption, party: PartyOption = None,
              email: EmailOption = None) -> None:
    """Add an account; its password is read from standard input (or asked for)."""
    from cajd.auth import accounts

    password = _password()
    with _session() as session:
        accounts.add_user(session, name, role, party, password, email)
    out.print(f"added {name} ({role.value}{f', {party}' if party else ''})", markup=False)


@users_app.command("set-email")
def users_set_email(
    name: Name,
    email: Annotated[str, typer.Argument(help="The address; empty removes it.")],
) -> None:
    """Set (or, with an empty EMAIL, remove) the address an account's reminders go to."""
    from cajd.auth import accounts

    with _session() as session:
        accounts.set_email(session, name, email)
    out.print(f"{name}: {email.strip() or 'no e-mail address'}", markup=False)


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Every account: role, party, whether disabled, live API tokens."""
    from cajd.auth import accounts

    with _session(write=False) as session:
        lines = accounts.list_users(session)
    if as_json:
        print(json.dumps([line.__dict__ for line in lines]))
        return
    table = Table("name", "role", "party", "e-mail", "disabled", "tokens")
    for line in lines:
        table.add_row(line.name, line.role, line.party or "", line.email or "",
                      "yes" if line.disabled else "", str(line.tokens))
    out.print(table)


@users_app.command("disable")
def users_disable(name: Name) -> None:
    """Disable an account: its sessions end and its tokens are revoked at once."""
    from cajd.auth import accounts

    with _session() as session:
        accounts.set_disabled(session, name)
    out.print(f"disabled {name}; its sessions ended and its tokens were revoked", markup=False)


@users_app.command("set-role")
def users_set_role(name: Name, role: RoleOption, party: PartyOption = None) -> None:
    """Change an account's role (and party); its sessions end."""
    from cajd.auth import accounts

    with _session() as session:
        accounts.set_role(session, name, role, party)
    out.print(f"{name} is now {role.value}{f' of {party}' if party else ''}", markup=False)


@users_app.command("token")
def users_token(
    name: Name,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Revoke every token of the account instead.")
    ] = False,
) -> None:
    """Print a new API token for the account, once (only its hash is kept)."""
    from cajd.auth import accounts

    with _session() as session:
        if revoke:
            count = accounts.revoke_tokens(session, name)
        else:
            token = accounts.new_token(session, name)
    if revoke:
        out.print(f"revoked {plural(count, 'token')} of {name}", markup=False)
        return
    print(token)
    err.print("shown once: it cannot be shown again (only its hash is stored)", markup=False)
