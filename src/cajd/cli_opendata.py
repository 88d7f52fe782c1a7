"""``cajd export NAME -o PATH``: the bulk downloads, written from the configured store (thin
calls into ``cajd.export``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

Output = Annotated[Path | None, typer.Option(
    "-o", "--output", metavar="PATH", show_default=False,
    help="Where to write (default: standard output).")]
BaseUrl = Annotated[str | None, typer.Option(
    "--base-url", help="The portal's address, for absolute links (e.g. https://example.org).")]


def _session() -> Session:
    # Imported here: `cajd --help` need not import SQLAlchemy (see cli._Lazy).
    from sqlalchemy.orm import Session

    from cajd import store

    return Session(store.open_store())


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        err.print(f"wrote {output} ({len(data):,} bytes)", markup=False, highlight=False)


site_app = typer.Typer(help="The portal as a static site.", no_args_is_help=True)


@site_app.command("build")
def site_build(directory: Annotated[Path, typer.Argument(
        help="A new (or empty) folder to write the site into.")],
        base_url: BaseUrl = None) -> None:
    """Write the whole portal as plain files (every page in en/ja/ru, its JSON, the figures
    and the downloads) with relative links: it works from any static host or from a disk."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from cajd import site, store

    if directory.exists() and any(directory.iterdir()):
        err.print(f"{directory} exists and is not empty; nothing was written",
                  markup=False, highlight=False)
        raise typer.Exit(1)
    engine = store.open_store()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err,
                  transient=True) as progress:
        task = progress.add_task("crawling", total=None)
        built = site.build(engine, directory, base_url,
                           lambda url: progress.update(task, description=url))
    for url, status in built.missing:
        err.print(f"not copied: {url} ({status})", markup=False, highlight=False)
    err.print(f"wrote {len(built.files)} files into {directory}; open "
              f"{directory / 'index.html'}", markup=False, highlight=False)


BackupFile = Annotated[Path, typer.Argument(metavar="FILE", help="The backup file.")]


def register_db(db_app: typer.Typer) -> None:
    @db_app.command("backup")
    def db_backup(path: BackupFile) -> None:
        """Back up the whole database to FILE: SQLite's online backup, or on PostgreSQL a
        portable file (gzip JSON lines) that restores into either database."""
        from cajd import backup, store

        kind = backup.backup(store.configured_engine(), path)
        err.print(f"wrote {path} ({kind} backup, {path.stat().st_size:,} bytes)",
                  markup=False, highlight=False)

    @db_app.command("restore")
    def db_restore(path: Annotated[Path, typer.Argument(
            metavar="FILE", exists=True, dir_okay=False, help="A file `cajd db backup` wrote.")],
            ) -> None:
        """Replace the database with the backup in FILE (then migrate it to this cajd's
        schema); a file from a newer schema is refused and nothing changes."""
        from cajd import backup, store

        try:
            count = backup.restore(store.configured_engine(), path)
        except backup.BackupError as exc:
            err.print(f"error: {exc}; nothing was changed", markup=False, highlight=False)
            raise typer.Exit(1) from None
        err.print(f"restored {count:,} rows from {path}", markup=False, highlight=False)


def register(export_app: typer.Typer) -> None:
    @export_app.command("datapackage")
    def export_datapackage(output: Annotated[Path, typer.Option(
            "-o", "--output", metavar="PATH",
            help="A new folder for datapackage.json and data/*.csv, or a FILE.zip.")]) -> None:
        """The record as a Frictionless data package: one CSV per table with its Table Schema."""
        from cajd.export import datapackage

        with _session() as session:
            if output.suffix == ".zip":
                _emit(datapackage.zip_bytes(session), output)
                return
            if output.exists() and any(output.iterdir()):
                err.print(f"{output} exists and is not empty; nothing was written",
                          markup=False, highlight=False)
                raise typer.Exit(1)
            written = datapackage.write_directory(session, output)
        err.print(f"wrote {len(written)} files into {output}", markup=False, highlight=False)

    @export_app.command("sqlite")
    def export_sqlite(output: Annotated[Path, typer.Option(
            "-o", "--output", metavar="FILE", dir_okay=False,
            help="The SQLite file to write (replaced if it exists).")]) -> None:
        """The public record as one SQLite file, ready for Datasette and sqlite-utils."""
        from cajd.export import sqlitedb

        with _session() as session:
            sqlitedb.write(session, output)
        err.print(f"wrote {output}", markup=False, highlight=False)

    @export_app.command("calendar")
    def export_calendar(output: Output = None, body: Annotated[str | None, typer.Option(
            help="Only this body's meetings (e.g. caj-fmm).")] = None,
            base_url: BaseUrl = None) -> None:
        """The meetings as an iCalendar file (month-precision dates span their month)."""
        from cajd.export import calendar
        from cajd.read.queries import NotFound

        with _session() as session:
            try:
                data = calendar.calendar_bytes(session, body, base_url)
            except NotFound as exc:
                err.print(f"error: --body: {exc}", markup=False, highlight=False)
                raise typer.Exit(1) from None
        _emit(data, output)

    @export_app.command("atom")
    def export_atom(output: Output = None, base_url: BaseUrl = None) -> None:
        """An Atom feed of changes to the record (loads and workspace writes)."""
        from cajd.export import atom

        with _session() as session:
            _emit(atom.feed_bytes(session, base_url), output)
