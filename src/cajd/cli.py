"""The ``cajd`` command: thin subcommands over the library."""

from __future__ import annotations

import importlib
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from cajd import __version__
from cajd.cli_opendata import register as register_exports
from cajd.cli_opendata import register_db, site_app
from cajd.cli_rounds import rounds_app
from cajd.cli_users import users_app
from cajd.plural import plural


class _Lazy(ModuleType):
    """A module imported on first use: `cajd --help` and `cajd data check` need not import
    SQLAlchemy, alembic and pydantic (most of a second) before doing anything."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attr)


Prefer = Literal["dataset", "workspace"]  # as cajd.dataset.origins.Prefer

if TYPE_CHECKING:
    from cajd import store
    from cajd.dataset import pipeline
    from cajd.dataset.problems import DatasetInvalid
else:
    store, pipeline = _Lazy("cajd.store"), _Lazy("cajd.dataset.pipeline")

app = typer.Typer(
    help="cajd: the open platform for the 'Central Asia plus Japan' Dialogue.",
    no_args_is_help=True,
    add_completion=False,
)
data_app = typer.Typer(
    help="The sourced dataset: check it, load it, report its gaps.", no_args_is_help=True
)
db_app = typer.Typer(help="The database: its schema, backup and restore.", no_args_is_help=True)
export_app = typer.Typer(help="Export the record in outside formats.", no_args_is_help=True)


def _version(value: bool) -> None:
    if value:
        print(f"cajd {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print cajd's version and exit.")] = False,
) -> None:
    """cajd: the open platform for the 'Central Asia plus Japan' Dialogue."""


app.add_typer(data_app, name="data")
app.add_typer(db_app, name="db")
app.add_typer(export_app, name="export")
app.add_typer(users_app, name="users")
app.add_typer(rounds_app, name="rounds")
register_exports(export_app)
register_db(db_app)
app.add_typer(site_app, name="site")

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
    err.print(f"{plural(len(exc.problems), 'problem')}; nothing was written.", style="bold red")


def _display(directory: Path | None) -> str | None:
    return str(directory).rstrip("/") if directory else None


@data_app.command("check")
def data_check(directory: DatasetDir = None) -> None:
    """Validate a dataset folder: every problem with its file:line; exit 1 if any."""
    from cajd.dataset.problems import DatasetInvalid

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
    from cajd.dataset.origins import WorkspaceConflict
    from cajd.dataset.problems import DatasetInvalid

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
    out.print(f"wrote {plural(files, 'file')} to {directory}", markup=False, highlight=False)


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
    elif as_markdown or not sys.stdout.isatty():
        # piped or redirected: no terminal width to lay tables out in, so the same report as
        # plain Markdown text (tables of rich wrap every cell at 80 columns)
        sys.stdout.write(coverage_report.markdown(result))
        if result.problems and not as_markdown:
            err.print(f"{plural(result.problems, 'problem')} in {result.dataset}: see "
                      "`cajd data check`", style="bold red", markup=False)
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
    from sqlalchemy.orm import Session

    from cajd.export.downloads import popolo_bytes

    with Session(store.open_store()) as session:
        try:
            data = popolo_bytes(session)
        except ValueError as exc:
            errors = str(exc).splitlines()
            for error in errors:
                err.print(error, markup=False, highlight=False, soft_wrap=True)
            err.print(f"{plural(len(errors), 'Popolo schema error')}; nothing was written.",
                      style="bold red")
            raise typer.Exit(1) from None
    if output is None:
        sys.stdout.write(data.decode())
    else:
        output.write_bytes(data)


@app.command("stats")
def stats_command(as_json: JsonFlag = False) -> None:
    """Counts of the record: per kind, and meetings per body."""
    from sqlalchemy.orm import Session

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
    workers: Annotated[int | None, typer.Option(
        help="Worker processes, each with its own engine and cache [default: CAJD_WORKERS, "
             "else one per usable core, at most 8].", show_default=False)] = None,
) -> None:
    """Start the portal and the JSON API; prints the address to open.

    Each process admits CAJD_CONCURRENCY requests at once (4), with a connection pool and a thread
    pool sized to match; up to CAJD_QUEUE_LENGTH more (256) wait for a slot, first come first
    served, for at most CAJD_QUEUE_WAIT seconds (10); past either bound the answer is 503 with
    Retry-After. Hosts other than CAJD_ALLOWED_HOSTS (default: localhost, 127.0.0.1,
    [::1] and --host) get 400. One JSON line per request on stderr at CAJD_LOG_LEVEL=INFO.
    Each worker loads its figure engine and templates before it takes a request. SIGTERM stops
    the server within a few seconds.
    """
    import os

    import uvicorn

    from cajd.settings import InsecureSecret, get_settings
    from cajd.web.app import create_app, sizing_from
    from cajd.web.requestlog import configure_logging

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
    count = workers if workers is not None else settings.worker_count()
    hosts = settings.host_list(host)
    # The embedded store is created, migrated and loaded here, once, before any worker starts:
    # the workers then find it current and only open it.
    engine = store.open_store(settings, pool_size=sizing_from(settings).pool_size)
    configure_logging(settings.log_level)
    common: dict[str, Any] = {"host": host, "port": port, "log_level": "warning",
                              "access_log": False, "timeout_graceful_shutdown": GRACEFUL_SECONDS}
    out.print(f"cajd portal: http://{host}:{port}/  (API: /api/docs)", markup=False)
    if count > 1:
        engine.dispose()
        os.environ["CAJD_ALLOWED_HOSTS"] = ",".join(hosts)  # the workers read their settings
        # A busy worker answers the supervisor's health ping late (its threads hold the GIL):
        # give it time rather than have uvicorn kill it with its requests in flight.
        uvicorn.run("cajd.web.app:app_from_settings", factory=True, workers=count,
                    timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS, **common)
        return
    uvicorn.Server(uvicorn.Config(create_app(engine, settings, hosts, warm=True),
                                  **common)).run()


GRACEFUL_SECONDS = 5  # on SIGTERM, requests still running after this are cancelled
WORKER_HEALTHCHECK_SECONDS = 30


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except Exception as exc:
        from cajd.store import StoreError  # only now: --help must not import the store

        if not isinstance(exc, StoreError):
            raise
        err.print(str(exc), markup=False)
        sys.exit(2)


# --- analyses (issue 12) ------------------------------------------------------------------------

analyze_app = typer.Typer(
    help="Analyses of the record: participation, cadence, documents, commitments, agenda, text.",
    no_args_is_help=True,
)
app.add_typer(analyze_app, name="analyze")
BodyOption = Annotated[str, typer.Option("--body", help="A body id.")]
DialogueOption = Annotated[
    str | None, typer.Option("--dialogue", help="A dialogue id (default: the body's own).")
]
CsvFlag = Annotated[bool, typer.Option("--csv", help="Print the result's rows as CSV.")]


def _analyze(name: str, body: str, dialogue: str | None, as_json: bool, as_csv: bool) -> None:
    from cajd.analysis import paper, runner, tables
    from cajd.read.queries import NotFound
    from cajd.web.figures import csv_text

    if as_json and as_csv:
        err.print("--json and --csv: choose one", markup=False)
        raise typer.Exit(2)
    from sqlalchemy.orm import Session

    with Session(store.open_store()) as session:
        try:
            result = runner.run(session, name, runner.Params(body=body, dialogue=dialogue))
        except NotFound as exc:
            err.print(f"--body/--dialogue: {exc}", markup=False)
            raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(runner.as_json(result), ensure_ascii=False, indent=2))
        return
    rows = tables.rows(result)
    if as_csv:
        sys.stdout.write(csv_text(rows))
        return
    table = Table(*(rows[0] if rows else ["(no rows)"]), title=f"{name}: {body}")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    out.print(table)
    for finding in paper.findings(result):
        out.print(f"[bold]{finding.verdict}[/bold] {finding.paper} ({finding.cited})",
                  highlight=False)
        out.print(f"  record: {finding.record}", markup=False, highlight=False)
        if finding.later:
            out.print(f"  since the paper: {finding.later}", markup=False, highlight=False)


@analyze_app.command("participation")
def analyze_participation(body: BodyOption = "caj-fmm", dialogue: DialogueOption = None,
                          as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """Who came to each meeting of a body and at what rank; runs below the nominal rank."""
    _analyze("participation", body, dialogue, as_json, as_csv)


@analyze_app.command("cadence")
def analyze_cadence(body: BodyOption = "caj-fmm", dialogue: DialogueOption = None,
                    as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """Intervals between meetings, the longest gap, hosting rotation, the next meeting."""
    _analyze("cadence", body, dialogue, as_json, as_csv)


@analyze_app.command("documents")
def analyze_documents(body: BodyOption = "caj-fmm", dialogue: DialogueOption = None,
                      as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """Documents adopted per meeting and year, first of each kind, growth after the 4th FMM."""
    _analyze("documents", body, dialogue, as_json, as_csv)


@analyze_app.command("commitments")
def analyze_commitments(body: BodyOption = "caj-fmm", dialogue: DialogueOption = None,
                        as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """Pledges by party, area, kind and year, in their currency and in US dollars; evidence."""
    _analyze("commitments", body, dialogue, as_json, as_csv)


@analyze_app.command("agenda")
def analyze_agenda(body: BodyOption = "caj-fmm", dialogue: DialogueOption = None,
                   as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """Areas of cooperation on each meeting's agenda, by pillar."""
    _analyze("agenda", body, dialogue, as_json, as_csv)


@analyze_app.command("text")
def analyze_text(
    paths: Annotated[list[Path], typer.Argument(help="Outcome-document texts: .txt, .html, .pdf.",
                                                exists=True, dir_okay=False, readable=True)],
    lang: Annotated[str, typer.Option("--lang", help="en, ja, ru or auto.")] = "auto",
    as_json: JsonFlag = False, as_csv: CsvFlag = False,
) -> None:
    """References to actors per document and per 1,000 words, with keyword-in-context lines."""
    from cajd.analysis.text.actors import bundled
    from cajd.analysis.text.documents import UnreadableText, analyse_files
    from cajd.analysis.text.matcher import Matcher
    from cajd.web.figures import csv_text

    try:
        result = analyse_files(paths, lang, Matcher(bundled()))
    except (UnreadableText, ValueError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    rows = [{"path": d.path, "lang": d.lang, "words": d.words, "actor": actor, "count": n,
             "per_1000": d.per_1000[actor]}
            for d in result.documents for actor, n in d.counts.items()]
    if as_csv:
        sys.stdout.write(csv_text(rows))
        return
    table = Table("path", "lang", "words", "actor", "count", "per 1,000 words",
                  title="References to actors")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    out.print(table)


@app.command("report")
def report_command(
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", dir_okay=False,
                                         help="FILE.html or FILE.pdf.")],
    lang: Annotated[str, typer.Option("--lang", help="en, ja or ru.")] = "en",
) -> None:
    """Every analysis in one dated, self-contained report (HTML with SVG figures, or PDF)."""
    from rich.progress import Progress

    from cajd import report
    from cajd.analysis.runner import ANALYSES
    from cajd.web.i18n import LANGUAGES

    if lang not in LANGUAGES:
        err.print(f"--lang: {lang!r} is not one of {', '.join(LANGUAGES)}", markup=False)
        raise typer.Exit(2)
    if output.suffix.lower() not in (".html", ".htm", ".pdf"):
        err.print(f"-o: {output} must end in .html or .pdf", markup=False)
        raise typer.Exit(2)
    started = time.perf_counter()
    steps = len(ANALYSES) + (2 if output.suffix.lower() == ".pdf" else 1)
    from sqlalchemy.orm import Session

    with Session(store.open_store()) as session, Progress(console=err, transient=True) as bar:
        task = bar.add_task("report", total=steps)

        def step(name: str) -> None:
            bar.update(task, advance=1, description=name)

        report.write(session, output, lang, step)
    out.print(f"wrote {output} ({time.perf_counter() - started:.1f} s)", markup=False,
              highlight=False)
