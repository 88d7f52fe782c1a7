"""The ``cajd`` command: thin subcommands over the library."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from cajd import store
from cajd.cli_users import users_app
from cajd.dataset import pipeline
from cajd.dataset.origins import Prefer, WorkspaceConflict
from cajd.dataset.problems import DatasetInvalid

app = typer.Typer(
    help="cajd: the open platform for the 'Central Asia plus Japan' Dialogue.",
    no_args_is_help=True,
    add_completion=False,
)
data_app = typer.Typer(
    help="The sourced dataset: check it, load it, report its gaps.", no_args_is_help=True
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
export_app = typer.Typer(help="Export the record in outside formats.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(db_app, name="db")
app.add_typer(export_app, name="export")
app.add_typer(users_app, name="users")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DatasetDir = Annotated[
    Path | None,
    typer.Argument(
        help="A dataset folder (default: the record bundled with cajd).", show_default=False
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _report_problems(exc: DatasetInvalid) -> None:
    for problem in exc.problems:
        err.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    err.print(f"{len(exc.problems)} problem(s); nothing was written.", style="bold red")


def _display(directory: Path | None) -> str | None:
    return str(directory).rstrip("/") if directory else None


@data_app.command("check")
def data_check(directory: DatasetDir = None) -> None:
    """Validate a dataset folder: every problem with its file:line; exit 1 if any."""
    try:
        dataset = pipeline.check(directory, _display(directory))
    except DatasetInvalid as exc:
        _report_problems(exc)
        raise typer.Exit(1) from None
    counts = ", ".join(
        f"{dataset.count(t)} {t}" for t in ("event", "delegation", "source", "citation")
    )
    where = _display(directory) or "the bundled record"
    out.print(f"ok: {where} is valid ({counts})", markup=False, highlight=False)


@data_app.command("load")
def data_load(
    directory: DatasetDir = None,
    as_json: JsonFlag = False,
    prefer: Annotated[
        Prefer | None,
        typer.Option(
            help="Which side wins where a row changed in the workspace differs from the dataset "
            "(default: list those rows and stop)."
        ),
    ] = None,
) -> None:
    """Check, then write a dataset into the database in one transaction."""
    engine = store.open_store(load_bundled=False)  # this load is the user's, counted whole
    started = time.perf_counter()
    try:
        result = pipeline.load(engine, directory, _display(directory), prefer)
    except DatasetInvalid as exc:
        _report_problems(exc)
        raise typer.Exit(1) from None
    except WorkspaceConflict as exc:
        for clash in exc.clashes:
            err.print(str(clash), markup=False, highlight=False)
        err.print(str(exc), style="bold red", markup=False)
        raise typer.Exit(1) from None
    for overwritten in result.report.overwritten:
        err.print(f"the dataset won: {overwritten}", markup=False, highlight=False)
    seconds = time.perf_counter() - started
    counts = {k: asdict(v) for k, v in result.report.counts.items()}
    if as_json:
        print(json.dumps({"run": result.run_id, "seconds": round(seconds, 3), "counts": counts}))
        return
    table = Table(
        "kind",
        "inserted",
        "updated",
        "unchanged",
        "deleted",
        title=f"load run {result.run_id} ({seconds:.2f} s)",
    )
    for kind, c in counts.items():
        table.add_row(kind, *(str(c[k]) for k in ("inserted", "updated", "unchanged", "deleted")))
    out.print(table)


@data_app.command("dump")
def data_dump(
    directory: Annotated[
        Path, typer.Argument(help="A new (or empty) folder to write the dataset into.")
    ],
) -> None:
    """Write the whole store (dataset and workspace rows) as a dataset folder."""
    from cajd.dataset.dump import dump

    engine = store.open_store()
    try:
        with engine.connect() as connection:
            files = dump(connection, directory)
    except FileExistsError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(f"wrote {files} files to {directory}", markup=False, highlight=False)


@data_app.command("coverage")
def data_coverage(
    directory: DatasetDir = None,
    as_json: JsonFlag = False,
    as_markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the 'known gaps' page (docs/known-gaps.md).")
    ] = False,
) -> None:
    """Report what the record lacks, per body; a report, so it exits 0 even on gaps."""
    from cajd.analysis import coverage_report
    from cajd.analysis.coverage import coverage

    result = coverage(directory, _display(directory))
    if as_json:
        print(result.model_dump_json(indent=2))
    elif as_markdown:
        sys.stdout.write(coverage_report.markdown(result))
    else:
        for part in coverage_report.renderables(result):
            out.print(part)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database (CAJD_DATABASE_URL, or the embedded SQLite file) to REVISION."""
    engine = store.configured_engine()
    store.upgrade(engine, revision)
    out.print(
        f"{engine.url.render_as_string()} is at revision {store.current_revision(engine)}",
        markup=False,
        highlight=False,
    )


@export_app.command("popolo")
def export_popolo(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            dir_okay=False,
            show_default=False,
            help="Write the bundle to FILE (default: standard output).",
        ),
    ] = None,
) -> None:
    """The record as one Popolo JSON bundle, validated against the Popolo schemas."""
    from cajd.export import popolo

    with Session(store.open_store()) as session:
        bundle = popolo.popolo_bundle(session)
    errors = popolo.validate_bundle(bundle)
    if errors:
        for error in errors:
            err.print(error, markup=False, highlight=False, soft_wrap=True)
        err.print(f"{len(errors)} Popolo schema error(s); nothing was written.", style="bold red")
        raise typer.Exit(1)
    text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command("stats")
def stats_command(as_json: JsonFlag = False) -> None:
    """Counts of the record: per kind, and meetings per body."""
    from cajd.analysis.stats import stats

    with Session(store.open_store()) as session:
        result = stats(session)
    if as_json:
        print(json.dumps(asdict(result), indent=2))
        return
    kinds = Table("kind", "rows", title="The record")
    for kind, n in result.per_kind.items():
        kinds.add_row(kind, str(n))
    bodies = Table("body", "code", "status", "meetings", "held", title="Meetings per body")
    for b in result.per_body:
        bodies.add_row(b.body, b.code, b.status, str(b.events), str(b.held))
    out.print(kinds, bodies)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Start the portal and the JSON API; prints the address to open."""
    import uvicorn

    from cajd.settings import InsecureSecret, get_settings
    from cajd.web.app import create_app

    settings = get_settings()
    try:
        settings.resolved_secret()
    except InsecureSecret as exc:
        err.print(f"cajd serve: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    if settings.env == "development":
        out.print("development mode (CAJD_ENV=development): not for a public server"
                  + ("" if settings.secret_key else "; using the embedded, public secret"),
                  markup=False)
    app_ = create_app(store.open_store())
    if workers > 1:  # each worker process opens its own store through the app factory
        out.print(f"cajd portal: http://{host}:{port}/  (API: /api/docs)", markup=False)
        uvicorn.run("cajd.web.app:app_from_settings", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
        return
    config = uvicorn.Config(app_, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    out.print(f"cajd portal: http://{host}:{port}/  (API: /api/docs)", markup=False)
    server.run()


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except store.StoreError as exc:
        err.print(str(exc), markup=False)
        sys.exit(2)
