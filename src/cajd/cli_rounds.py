"""``cajd rounds``: national reporting rounds from the command line (thin calls into
``cajd.workflow``), for what a cron job runs: ``cajd rounds remind ROUND --as NAME``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

rounds_app = typer.Typer(help="National reporting rounds.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@rounds_app.command("remind")
def rounds_remind(
    round_id: Annotated[str, typer.Argument(metavar="ROUND", help="The round's id.")],
    as_user: Annotated[str, typer.Option(
        "--as", help="The secretariat account the reminders are sent as (the audit log and "
                     "each reminder name it).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Remind the member parties that have not submitted their report in an open round, by
    e-mail to their focal points (CAJD_SMTP_URL), once per party and deadline: run it as often
    as you like. Exits 1 if a delivery failed (the reminder is kept as failed, not retried)."""
    from sqlalchemy.orm import Session

    from cajd import store
    from cajd.auth import accounts
    from cajd.workflow import reminders
    from cajd.workflow.errors import WorkflowError
    from cajd.workflow.rules import Actor

    try:
        with Session(store.open_store()) as session, session.begin():
            actor = Actor.of(accounts.get_user(session, as_user))
            done = reminders.remind(session, actor, round_id)
    except (accounts.AccountError, WorkflowError) as exc:
        err.print(f"error: {exc}; nothing was sent", markup=False, highlight=False)
        raise typer.Exit(1) from None
    failed = any(p["delivery"] == "failed" for p in done["parties"])
    if as_json:
        print(json.dumps(done))
    else:
        when = "overdue since" if done["overdue"] else "due"
        out.print(f"{round_id}: {when} {done['deadline']}; submitted: "
                  f"{', '.join(done['submitted']) or 'none'}", markup=False)
        table = Table("party", "done", "delivery", "recipients", "detail")
        for p in done["parties"]:
            table.add_row(p["party"], p["done"], p["delivery"] or "",
                          ", ".join(p["recipients"]), p["detail"] or "")
        out.print(table)
    if failed:
        raise typer.Exit(1)
