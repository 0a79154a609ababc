"""The `ips-tui` command line (click): open the app, demo data, import/export, reminders, agenda...

Commands parse their options, call a service and print. Heavy modules (the store, the domain,
Textual) are imported inside the commands that need them, so `ips-tui --help` stays fast and never
imports Textual.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from ips_tui import __version__, config, locations

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class State:
    """Options given to the group, which subcommands may override."""

    def __init__(self, db: str | None, as_name: str | None):
        self.db = db
        self.as_name = as_name


def db_option(func: Any) -> Any:
    """Add ``--db PATH`` to a command (every command takes it)."""
    return click.option(
        "--db", "db", metavar="PATH|URL", default=None,
        help=f"Database file, or a postgresql://user@host:port/dbname URL for a team's shared "
             f"server (default: ${locations.DB_ENV} or {locations.default_db()}).",
    )(func)


def _db_path(ctx: click.Context, db: str | None) -> locations.Location:
    """The database named by --db (this command's, else the group's), IPS_TUI_DB or the default:
    a file Path, or a server URL str."""
    state = ctx.find_object(State)
    return locations.resolve_db(db or (state.db if state else None))


def _as_name(ctx: click.Context) -> str | None:
    state = ctx.find_object(State)
    return state.as_name if state else None


def _open(path: locations.Location, create: bool = True) -> None:
    """Open the database or exit with the store's clear message.

    Commands that only read (reminders, export, agenda) pass ``create=False`` so a mistyped
    --db path is an error rather than a new empty database.
    """
    from ips_tui.services import StoreError, open_database

    demo = _demo_instead(path)
    if not create and isinstance(path, Path) and not path.exists():
        raise click.ClickException(
            demo or f"{path} does not exist. Check --db (or ${locations.DB_ENV}); `ips-tui` creates "
            "the database on first use and `ips-tui demo` makes a demo one.")
    if demo:
        click.echo(f"Note: {demo}", err=True)
    try:
        open_database(path, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _demo_instead(path: locations.Location) -> str | None:
    """When a command is about to use the default database, which does not exist yet, while the
    demo does (someone who has just run `ips-tui demo`): where the demo is, and the exact
    command that uses it. None otherwise."""
    import os
    import shlex

    if os.environ.get(locations.DB_ENV) or path != locations.default_db() or path.exists():
        return None
    demo = locations.demo_db()
    if not demo.exists():
        return None
    ctx = click.get_current_context(silent=True)
    command = ctx.info_name if ctx is not None and ctx.parent is not None else None
    given = sys.argv[1:]
    if command is not None and command not in given:  # run from elsewhere than a shell
        given = [command]
    again = shlex.join(["ips-tui", "--db", str(demo), *given])
    return (f"your own database ({path}) does not exist yet; the demo is in {demo}. "
            f"To use the demo, run:\n  {again}")


def _file_only(path: locations.Location, what: str) -> Path:
    """The database as a file path, or a clear error for a command that works on files only."""
    if isinstance(path, Path):
        return path
    raise click.ClickException(
        f"{what} works on a database file; {locations.describe(path)} is a server: "
        "use the server's own tools (pg_dump, pg_restore) for that.")


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long work, when stderr is a terminal: yields
    ``progress(done, total)`` to call as the work goes on (None when there is no terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield progress


def today_option(help: str, *also: str) -> Callable[[Any], Any]:
    """``--today DATE``: the day a dated command takes as today (default the clock). One name
    for it on every command, so scripts and tests never depend on the wall clock; ``also``
    keeps older names working (``reminders --on``)."""
    return click.option("--today", *also, "today_text", metavar="DATE", default=None,
                        help=help + " Accepts YYYY-MM-DD, today, yesterday, -3d.")


def _today(value: str | None, today: dt.date | None = None) -> dt.date:
    """Today from the clock (or ``today``), or a date given with --today (relative forms count
    from it)."""
    today = today or dt.date.today()
    if not value:
        return today
    from ips_tui.dates import parse_user_date

    try:
        return parse_user_date(value, today)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _emit(text: str | bytes, output: str | None) -> None:
    """Print to stdout, or write an owner-only file."""
    if output and output != "-":
        from ips_tui.output import write_private

        try:
            write_private(Path(output), text)
        except OSError as exc:
            from ips_tui.store.damage import disk_full, is_disk_full

            folder = Path(output).parent
            why = disk_full(folder) if is_disk_full(exc) else (exc.strerror or str(exc))
            raise click.ClickException(f"{output} could not be written: {why}; nothing was "
                                       "written") from None
        click.echo(f"Wrote {output}", err=True)
    elif isinstance(text, bytes):
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stdout (e.g. some test runners)
            sys.stdout.write(text.decode("utf-8"))
        else:
            stream.write(text)
            stream.flush()
    else:
        click.echo(text, nl=False)


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@db_option
@click.option("--as", "as_name", metavar="NAME", envvar=locations.SPECIALIST_ENV,
              help=f"Who is using the app: a specialist's name (or ${locations.SPECIALIST_ENV}).")
@today_option("Open the app as if today were DATE (its reminders, agenda and figures follow).")
@click.version_option(__version__, prog_name="ips-tui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, as_name: str | None, today_text: str | None) -> None:
    """ips-tui: the caseload, follow-along and team-meeting tool for IPS employment specialists.

    With no command, opens the full-screen app on your database (created empty on first use).
    Try `ips-tui demo` to explore with made-up data.
    """
    if as_name is not None:  # checked like a specialist's name typed anywhere else
        from ips_tui.validation import clean_value, rule_for

        try:
            clean_value(rule_for("specialist", "name"), as_name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--as") from None
    ctx.obj = State(db, as_name)
    if ctx.invoked_subcommand is None:
        _run_app(_db_path(ctx, None), as_name, _today(today_text) if today_text else None)


def _run_app(path: locations.Location, as_name: str | None, today: dt.date | None = None) -> None:
    if not locations.is_server(path):  # the app talks to this file only
        from ips_tui.store.loading import load_without_server_driver

        load_without_server_driver()
    _open(path)
    from ips_tui.tui.app import run_app  # which takes the daily backup once the caseload is shown

    status = run_app(path, as_name=as_name, today=today)
    if status:
        sys.exit(status)


@cli.command(context_settings=CONTEXT)
@db_option
@today_option("Build the demo around this date instead of today, and open the app on it.")
@click.option("--no-open", is_flag=True, help="Create the demo database but do not open the app.")
@click.option("--seed", default=7, show_default=True, help="Random seed for the made-up data.")
@click.pass_context
def demo(ctx: click.Context, db: str | None, today_text: str | None, no_open: bool, seed: int) -> None:
    """Create a fresh demo database with made-up clients and open the app on it.

    The default path is demo.db beside the default database, never your real one. An existing
    file is replaced only if it is itself a demo database.
    """
    from ips_tui.demo import DemoRefused, create_demo
    from ips_tui.services import StoreError

    state = ctx.find_object(State)
    db = db or (state.db if state else None)  # `ips-tui --db FILE demo` as `ips-tui demo --db FILE`
    if db and locations.is_server(db):
        raise click.ClickException("the demo is a local file made of made-up people: give a file "
                                   "path to --db, not a server")
    path = Path(db).expanduser() if db else locations.demo_db()
    today = _today(today_text)
    try:
        summary = create_demo(path, today=today, seed=seed)
    except (DemoRefused, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Demo database: {path}\n{summary}", err=True)
    if not no_open:
        _run_app(path, _as_name(ctx), today=today if today_text else None)


@cli.command("import", context_settings=CONTEXT)
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--update", is_flag=True, help="Update records whose id exists with different values.")
@click.pass_context
def import_cmd(ctx: click.Context, db: str | None, paths: tuple[Path, ...], update: bool) -> None:
    """Import interchange CSV files (a folder, or files named like specialists.csv, clients.csv...).

    All or nothing: every problem is listed as FILE:LINE: column: message (the first 100, then
    how many more) and nothing is changed.
    """
    from ips_tui import services
    from ips_tui.interchange import ImportFailed, import_paths

    _open(_db_path(ctx, db))
    before = services.client_ids()
    failed: ImportFailed | None = None
    with _progress("Importing") as progress:
        try:
            summary = import_paths(list(paths), update=update, by=_as_name(ctx), progress=progress)
        except ImportFailed as exc:
            failed = exc
    from ips_tui.output import terminal_safe

    if failed is not None:
        for line in failed.errors:
            click.echo(terminal_safe(line), err=True)
        if failed.more:
            click.echo(failed.more_line, err=True)
        raise click.ClickException(f"{failed.total:,} problem(s) found; nothing was imported")
    click.echo(terminal_safe(str(summary)))  # counts, then warnings (a file name is as given)
    _duplicate_warnings(*services.likely_duplicates(services.client_ids() - before,
                                                    DUPLICATES_LISTED))


#: At most this many likely duplicates are listed after an import; the rest are counted.
DUPLICATES_LISTED = 50


def _duplicate_warnings(pairs: list, total: int) -> None:
    """Say which clients just imported have the same name as another (warnings, not errors:
    the import stands; `ips-tui merge-clients KEEP OTHER` merges two records of one person):
    ``pairs``, the first of them, and how many there are in all."""
    if not total:
        return
    from ips_tui.output import terminal_safe
    from ips_tui.vocab import label

    def who(row) -> str:
        return f"{row.client_id} {row.name} ({label(row.stage)}, {row.specialist})"

    for a, b in pairs:
        click.echo(terminal_safe(f"warning: likely duplicate: {who(a)} and {who(b)}"), err=True)
    if total > len(pairs):
        click.echo(f"warning: ... and {total - len(pairs)} more likely duplicates", err=True)
    click.echo(f"{total} likely duplicate pair(s) (same name); if two are one person, "
               "`ips-tui merge-clients KEEP OTHER` merges them.", err=True)


@cli.command("merge-clients", context_settings=CONTEXT)
@db_option
@click.argument("keep")
@click.argument("other")
@click.option("--yes", is_flag=True,
              help="Do not ask for confirmation; also merge clients of two different specialists.")
@click.pass_context
def merge_clients_cmd(ctx: click.Context, db: str | None, keep: str, other: str, yes: bool) -> None:
    """Merge the client OTHER into KEEP: OTHER's contacts, jobs and employer-contact links move to
    KEEP, OTHER's notes are added to the end of KEEP's, and OTHER is deleted (one transaction,
    audited).

    KEEP's own values stay as they are, even where OTHER had a value and KEEP none (listed, not
    copied). Says what it will do and asks first; --yes does not ask. Clients of two different
    specialists are merged only with --yes.
    """
    from ips_tui import services
    from ips_tui.output import terminal_safe

    _open(_db_path(ctx, db), create=False)
    try:
        plan = services.merge_plan(keep, other)
    except services.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for line in plan.lines():
        click.echo(terminal_safe(line))
    if not yes:
        if not plan.same_specialist:
            raise click.ClickException(
                f"{keep} is {plan.keep.specialist}'s client and {other} is {plan.other.specialist}'s: "
                "check with both, then run again with --yes to merge them")
        if not sys.stdin.isatty():
            raise click.ClickException("merging deletes a client: add --yes to confirm")
        click.confirm(f"Merge {other} into {keep} and delete {other}?", abort=True)
    try:
        done = services.merge_clients(keep, other, by=_as_name(ctx), across_specialists=yes)
    except services.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(terminal_safe(f"Merged {other} into {keep}: {done.contacts} contact(s), "
                             f"{len(done.jobs)} job(s), {done.employer_contacts} employer contact(s) "
                             f"moved; {other} deleted."))


@cli.command("export", context_settings=CONTEXT)
@db_option
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def export_cmd(ctx: click.Context, db: str | None, folder: Path) -> None:
    """Write every interchange CSV file into FOLDER (owner-only files)."""
    from ips_tui.interchange import export_dir

    _open(_db_path(ctx, db), create=False)
    try:
        written = export_dir(folder)
    except OSError as exc:
        raise click.ClickException(f"cannot write to {folder}: {exc.strerror or exc}") from None
    for name, rows in written.items():
        click.echo(f"{folder / name}: {rows} row(s)")


@cli.command(context_settings=CONTEXT)
@db_option
@today_option("The day to ask about (default today; --on is the older name).", "--on")
@click.option("--within", default=3, show_default=True, type=click.IntRange(0, 3650),
              help="List reminders due up to N days ahead.")
@click.option("--specialist", metavar="NAME", help="Only this specialist's clients.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "ics"]),
              default="table", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.option("--names", is_flag=True,
              help="ics: name clients in full in event titles (default: initials and client id, "
                   "as calendars usually sync to a cloud service).")
@click.option("--alarm", metavar="MINUTES", type=click.IntRange(0, 40320), default=None,
              help="ics: an alarm MINUTES before each event's day starts.")
@click.pass_context
def reminders(ctx: click.Context, db: str | None, today_text: str | None, within: int,
              specialist: str | None, fmt: str, output: str | None, names: bool,
              alarm: int | None) -> None:
    """Follow-along and first-employer-contact reminders: overdue, and due within N days."""
    from ips_tui import services
    from ips_tui.reports import reminders as reminders_report

    _open(_db_path(ctx, db), create=False)
    on = _today(today_text)
    specialist = _check_specialist(specialist)
    found = services.reminders(on, within=within, specialist=specialist)
    if fmt == "json":
        _emit(reminders_report.as_json(found), output)
    elif fmt == "csv":
        _emit(reminders_report.as_csv(found), output)
    elif fmt == "ics":
        stamp = dt.datetime.combine(on, dt.time(0, 0), tzinfo=dt.UTC)
        _emit(reminders_report.as_ics(found, stamp, names=names, alarm=alarm), output)
    else:
        color = not output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        _emit(reminders_report.as_table(found, on, color=color), output)


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("client_id")
@click.argument("date_text", metavar="DATE")
@click.option("--time", "time_text", metavar="HH:MM", help="The time of day (default: none, all day).")
@click.option("--mode", type=click.Choice(["in_person", "phone", "video", "text", "email"]),
              default="in_person", show_default=True)
@click.option("--where", metavar="TEXT", help="Where (office, community, a place's name).")
@click.option("--note", metavar="TEXT", help="A note for the appointment.")
@click.option("--specialist", metavar="NAME",
              help="Whose appointment (default: --as, else the client's specialist).")
@today_option("Relative dates (tomorrow, +3d) count from DATE.")
@click.pass_context
def plan(ctx: click.Context, db: str | None, client_id: str, date_text: str, time_text: str | None,
         mode: str, where: str | None, note: str | None, specialist: str | None,
         today_text: str | None) -> None:
    """Plan an appointment with a client on DATE (YYYY-MM-DD, tomorrow, +3d, ...)."""
    from ips_tui import services

    _open(_db_path(ctx, db))
    day = _today(date_text, _today(today_text))
    try:
        record = services.client_record(client_id)
    except services.StoreError as exc:
        raise click.BadParameter(str(exc), param_hint="CLIENT_ID") from None
    who = specialist or _as_name(ctx) or str(record.values["specialist"])
    try:
        services.plan_appointment({"client_id": client_id, "date": day, "time": time_text,
                                   "mode": mode, "location": where, "notes": note,
                                   "specialist": who}, by=_as_name(ctx))
    except (services.ValidationError, services.StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    from ips_tui.validation import parse_time

    when = f"{day:%a} {day.isoformat()}" + (f" {parse_time(time_text)}" if time_text else "")
    click.echo(f"Planned: {record.name} ({client_id}), {when}.")


@cli.command(context_settings=CONTEXT)
@db_option
@click.option("--from", "from_text", metavar="DATE", help="From this day (default today).")
@click.option("--to", "to_text", metavar="DATE", help="To this day (default 4 weeks after --from).")
@click.option("--specialist", metavar="NAME", help="Only this specialist's appointments.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "ics"]),
              default="table", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.option("--names", is_flag=True,
              help="ics: name clients in full in event titles (default: initials and client id).")
@today_option("Dates (and the default --from) count from DATE.")
@click.pass_context
def appointments(ctx: click.Context, db: str | None, from_text: str | None, to_text: str | None,
                 specialist: str | None, fmt: str, output: str | None, names: bool,
                 today_text: str | None) -> None:
    """Planned appointments (and what became of them) from --from to --to."""
    from ips_tui import services
    from ips_tui.reports import appointments as report

    _open(_db_path(ctx, db), create=False)
    today = _today(today_text)
    start = _today(from_text, today)
    end = _today(to_text, today) if to_text else start + dt.timedelta(days=28)
    if end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    if specialist and specialist not in services.specialists():
        raise click.BadParameter(f"no specialist is called '{specialist}'", param_hint="--specialist")
    found = services.appointments(start, end, specialist=specialist)
    if fmt == "json":
        _emit(report.as_json(found), output)
    elif fmt == "csv":
        _emit(report.as_csv(found), output)
    elif fmt == "ics":
        stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
        _emit(report.as_ics(found, stamp, names=names), output)
    else:
        _emit(report.as_table(found, start, end), output)


@cli.command("today", context_settings=CONTEXT)
@db_option
@today_option("The day to show (default today; --on is the other name).", "--on")
@click.option("--specialist", metavar="NAME",
              help="Whose day (default: --as; with neither, everyone's).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_context
def today_cmd(ctx: click.Context, db: str | None, today_text: str | None, specialist: str | None,
              fmt: str) -> None:
    """The day: appointments today and tomorrow, reminders overdue or due today, appointments
    waiting for an outcome, clients flagged for the team meeting."""
    from ips_tui import services
    from ips_tui.reports import appointments as report

    _open(_db_path(ctx, db), create=False)
    on = _today(today_text)
    who = specialist or _as_name(ctx)
    if who and who not in services.specialists():
        raise click.BadParameter(f"no specialist is called '{who}'", param_hint="--specialist")
    found = services.day(on, specialist=who)
    _emit(report.today_json(found.to_dict()) if fmt == "json" else report.today_table(found), None)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@cli.command(context_settings=CONTEXT)
@db_option
@click.option("--follow-along-modes", metavar="MODES",
              help="Contact modes that count as follow-along, comma-separated (in_person always "
                   "does; add video or phone if your program allows).")
@click.option("--meeting-day", type=click.Choice(WEEKDAYS, case_sensitive=False),
              help="The weekday of the team meeting (the agenda's default date).")
@click.option("--start-screen", type=click.Choice(config.START_SCREENS, case_sensitive=False),
              help="The screen the app opens on: your caseload, or Today. Yours alone, kept in "
                   "your config file (as the palette's 'Start on Today'), not in the database.")
@click.pass_context
def settings(ctx: click.Context, db: str | None, follow_along_modes: str | None,
             meeting_day: str | None, start_screen: str | None) -> None:
    """Show or change the settings: the program's, shared by everyone using this database
    (follow-along modes, meeting day), and yours (the screen the app opens on)."""
    from ips_tui import services

    _open(_db_path(ctx, db))
    try:
        if follow_along_modes is not None:
            modes = [m.strip() for m in follow_along_modes.split(",") if m.strip()]
            services.set_follow_along_modes(modes, by=_as_name(ctx))
        if meeting_day is not None:
            services.set_meeting_weekday(WEEKDAYS.index(meeting_day.lower()), by=_as_name(ctx))
    except services.StoreError as exc:
        raise click.BadParameter(str(exc), param_hint="--follow-along-modes") from None
    mine = locations.config_file()
    if start_screen is not None:
        try:
            config.set_start_screen(start_screen.lower())
        except OSError as exc:
            raise click.ClickException(f"{mine} could not be written: "
                                       f"{exc.strerror or exc}; the start screen is as it was") from None
    click.echo(f"follow-along modes: {', '.join(services.follow_along_modes())}")
    click.echo(f"meeting day: {WEEKDAYS[services.meeting_weekday()].capitalize()}")
    click.echo(f"start screen: {config.start_screen()} (yours, in {mine})")


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("dest", required=False, type=click.Path())
@click.pass_context
def backup(ctx: click.Context, db: str | None, dest: str | None) -> None:
    """Copy the database safely, even while the app is open (SQLite online backup).

    DEST may be a file or a folder (one that exists, or a new one written with a trailing
    slash: `backups-2026/`); by default a timestamped file in the `backups` folder beside the
    database. The copy is readable only by you.
    """
    from ips_tui import services

    _open(_file_only(_db_path(ctx, db), "backup"), create=False)
    try:
        path = services.backup_now(dest)
    except (services.StoreError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up to {path}")


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx: click.Context, db: str | None, file: Path, yes: bool) -> None:
    """Replace the database with a backup FILE.

    FILE is checked first; a backup of the current database is taken before it is replaced.
    """
    from ips_tui import services

    target = _file_only(_db_path(ctx, db), "restore")
    try:
        services.check_database_file(file)
    except services.StoreError as exc:
        raise click.ClickException(f"not restoring: {exc}") from None
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("restoring replaces the database: add --yes to confirm")
        click.confirm(f"Replace {target} with {file}? (a backup of it is kept)", abort=True)
    _open(target, create=False)
    try:
        safety = services.restore_from(file)
    except (services.StoreError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {target} from {file}.\nThe database as it was is kept in {safety}")


@cli.command("migrate-to", context_settings=CONTEXT)
@db_option
@click.argument("url")
@click.pass_context
def migrate_to(ctx: click.Context, db: str | None, url: str) -> None:
    """Move a team from a file to a PostgreSQL server: copy every record of the database file
    (--db, $IPS_TUI_DB or the default) into the empty database at URL.

    URL is postgresql://user@host:port/dbname (keep the password in ~/.pgpass rather than in
    the URL). The copy is one transaction whose row counts are checked table by table before it
    commits; the file is left exactly as it was.
    """
    from ips_tui import services

    if not locations.is_server(url):
        raise click.BadParameter(f"'{url}' is not a postgresql:// URL", param_hint="URL")
    source = _file_only(_db_path(ctx, db), "migrate-to")
    failed: str | None = None
    with _progress("Copying") as progress:
        try:
            moved = services.move_to_server(source, url, progress=progress)
        except services.StoreError as exc:
            failed = str(exc)
    if failed is not None:
        raise click.ClickException(failed)
    for table, rows in moved.rows.items():
        click.echo(f"{table}: {rows} row(s)")
    click.echo(f"Copied {moved.total} rows from {moved.source} to {moved.target}; the row counts "
               f"agree. {moved.source} is unchanged.\nPoint everyone at the server: "
               f"export {locations.DB_ENV}='{moved.target}' (or --db URL).")


@cli.command(context_settings=CONTEXT)
@db_option
@today_option("Check dates as of DATE.")
@click.option("--fix", is_flag=True,
              help="List the corrections check can make: each stage that contradicts the "
                   "client's jobs, and stored text holding control characters.")
@click.option("--yes", is_flag=True, help="With --fix: make them (audited, in one transaction).")
@click.pass_context
def check(ctx: click.Context, db: str | None, today_text: str | None, fix: bool,
          yes: bool) -> None:
    """Check the database: SQLite's integrity check (for a file) and the app's own consistency
    rules. With --fix, what it would correct; with --fix --yes, correct it."""
    from ips_tui import services
    from ips_tui.output import terminal_safe

    if yes and not fix:
        raise click.UsageError("--yes goes with --fix")
    path = _db_path(ctx, db)
    _open(path, create=False)
    path = locations.describe(path)
    today = _today(today_text)
    if fix:
        stage_fixes, spots = services.check_fixes(today)
        for stage_fix in stage_fixes:
            click.echo(terminal_safe(f"{'changed' if yes else 'would change'}: {stage_fix}"))
        for spot in spots:
            click.echo(terminal_safe(f"{'cleaned' if yes else 'would clean'}: {spot.where}: "
                                     f"{spot.field} (control characters removed)"))
        if not stage_fixes and not spots:
            click.echo("Nothing to fix.")
        elif yes:
            try:
                stages, cleaned = services.apply_check_fixes(today, by=_as_name(ctx))
            except services.StoreError as exc:
                raise click.ClickException(f"nothing was changed: {exc}") from None
            click.echo(f"{stages} stage(s) changed, {cleaned} value(s) cleaned (see ips-tui audit).")
        else:
            click.echo("Nothing was changed: run again with --fix --yes to make these changes.")
        click.echo()
    findings = services.check(today)
    for finding in findings:
        click.echo(terminal_safe(str(finding)))
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    click.echo(f"{path}: {errors} error(s), {warnings} warning(s)" + ("" if findings else ": all good"))
    if errors:
        ctx.exit(1)


@cli.command(context_settings=CONTEXT)
@db_option
@click.option("--client", "client_id", metavar="ID", help="Only changes concerning this client.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def audit(ctx: click.Context, db: str | None, client_id: str | None, limit: int, fmt: str) -> None:
    """Who changed what and when (field names only: the log holds no personal data)."""
    import json

    from ips_tui import services
    from ips_tui.output import terminal_safe

    _open(_db_path(ctx, db), create=False)
    entries = services.audit_entries(client_id=client_id, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2))
        return
    for e in entries:
        fields = ", ".join(e["fields"])  # type: ignore[arg-type]  # an audit entry's "fields" is a list of names
        who = e["specialist"] or "-"
        line = f"{e['at']}  {who:<16} {e['action']:<7} {e['entity']} {e['entity_id']}"
        if e["client_id"] and e["entity"] != "client":
            line += f" (client {e['client_id']})"
        click.echo(terminal_safe(line + (f": {fields}" if fields else "")))
    if not entries:
        click.echo("No changes recorded.")


@cli.command(context_settings=CONTEXT)
@db_option
@click.option("--date", "date_text", metavar="DATE",
              help="The meeting day (default: the next meeting day, today included).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "txt", "json"]),
              default="md", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.option("--redact", is_flag=True,
              help="For sharing outside the team: clients by initials and id; no notes, next "
                   "steps or job end reasons.")
@today_option("Count the next meeting day from DATE (used when --date is not given).")
@click.pass_context
def agenda(ctx: click.Context, db: str | None, date_text: str | None, fmt: str,
           output: str | None, redact: bool, today_text: str | None) -> None:
    """The weekly team meeting's agenda: reminders, job starts and ends, referrals, outreach,
    employer contacts, caseloads and clients to discuss, for the past and the coming week."""
    from ips_tui import services
    from ips_tui.reports import agenda as agenda_report

    _open(_db_path(ctx, db), create=False)
    today = _today(today_text)
    meeting = _today(date_text, today) if date_text else services.next_meeting_date(today)
    found = services.agenda(meeting)
    if redact:
        found = found.redact()
    _emit(agenda_report.render(found, fmt), output)


def _period_options(func: Any) -> Any:
    """--quarter, --month, --specialist and --today, shared by `outcomes` and `fidelity`."""
    func = today_option("The default period is the last complete quarter before DATE.")(func)
    func = click.option("--specialist", metavar="NAME", help="Only this specialist's clients.")(func)
    func = click.option("--month", "month_text", metavar="YYYY-MM",
                        help="A month instead of a quarter, e.g. 2026-10.")(func)
    return click.option("--quarter", "quarter_text", metavar="YYYYQn",
                        help="The quarter, e.g. 2026Q3 (default: the last complete quarter "
                             "before today).")(func)


def _report_period(quarter_text: str | None, month_text: str | None, today_text: str | None) -> Any:
    """The period asked for with --quarter or --month (one at most), else the default."""
    from ips_tui.services import outcome_period

    today = _today(today_text)
    if quarter_text is not None and month_text is not None:
        raise click.UsageError("--quarter and --month cannot be used together: choose one")
    for text, kind, hint in ((quarter_text, "quarter", "--quarter"), (month_text, "month", "--month")):
        if text is None:
            continue
        if not text.strip():
            raise click.BadParameter(f"give a {kind}, e.g. "
                                     f"{'2026Q3' if kind == 'quarter' else '2026-10'}",
                                     param_hint=hint)
        try:
            return outcome_period(text, today, kind=kind)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=hint) from None
    return outcome_period(None, today)


def _check_specialist(specialist: str | None) -> str | None:
    """The specialist --specialist names, as stored: matched ignoring case, accents, spacing
    and punctuation ("jose garcia" is "José García"); when none matches, the names there are."""
    from ips_tui import services
    from ips_tui.domain.duplicates import name_tokens

    if not specialist:
        return None
    names = services.specialists()
    if specialist in names:
        return specialist
    wanted = name_tokens(specialist)
    found = [n for n in names if name_tokens(n) == wanted]
    if len(found) == 1:
        return found[0]
    listed = "; ".join(names) if names else "none yet"
    raise click.BadParameter(f"no specialist is called '{specialist}'. The specialists are: {listed}",
                             param_hint="--specialist")


@cli.command(context_settings=CONTEXT)
@db_option
@_period_options
@click.option("--format", "fmt", type=click.Choice(["table", "md", "html", "csv", "json"]),
              default="table", show_default=True)
@click.option("--report", type=click.Choice(["us", "uk"]), default="us", show_default=True,
              help="us: the US IPS Learning Community quarterly report; uk: the IPS Grow KPIs.")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.pass_context
def outcomes(ctx: click.Context, db: str | None, quarter_text: str | None,
             month_text: str | None, specialist: str | None, today_text: str | None, fmt: str,
             report: str, output: str | None) -> None:
    """Employment outcomes for a quarter or a month: clients served, employed, employment rate
    against the benchmarks, job starts and ends, and the trend over the last 8 periods."""
    period = _report_period(quarter_text, month_text, today_text)
    from ips_tui import services
    from ips_tui.reports import outcomes as outcomes_report

    _open(_db_path(ctx, db), create=False)
    specialist = _check_specialist(specialist)
    found = services.outcomes(period, specialist=specialist, report=report, today=_today(today_text))
    _emit(outcomes_report.render(found, fmt), output)


@cli.command(context_settings=CONTEXT)
@db_option
@_period_options
@click.option("--format", "fmt", type=click.Choice(["table", "md", "html", "csv", "json"]),
              default="table", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.pass_context
def fidelity(ctx: click.Context, db: str | None, quarter_text: str | None,
             month_text: str | None, specialist: str | None, today_text: str | None, fmt: str,
             output: str | None) -> None:
    """IPS fidelity indicators for a quarter or a month, each beside the fidelity scale's
    top-score anchor: met, near or not met, and the clients or contacts behind each miss."""
    period = _report_period(quarter_text, month_text, today_text)
    from ips_tui import services
    from ips_tui.reports import fidelity as fidelity_report

    _open(_db_path(ctx, db), create=False)
    specialist = _check_specialist(specialist)
    found = services.fidelity(period, specialist=specialist)
    _emit(fidelity_report.render(found, fmt), output)


# ---------------------------------------------------------------- fidelity reviews


@cli.group(context_settings=CONTEXT)
def review() -> None:
    """Fidelity reviews: the 25 items of the IPS fidelity scale, scored from the records where
    they can be and by the team for the rest, with the evidence and an action plan."""


def _review_item(text: str) -> int:
    from ips_tui.domain.review import item_number

    try:
        return item_number(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ITEM") from None


def _review_failure(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@review.command("new", context_settings=CONTEXT)
@db_option
@click.option("--period", "period_text", metavar="YYYYQn|YYYY-MM",
              help="The period reviewed, e.g. 2026Q3 (default: the last complete quarter "
                   "before the review date).")
@click.option("--date", "date_text", metavar="DATE",
              help="The day of the review (default: today).")
@click.option("--participants", metavar="TEXT", help="Who took part, e.g. 'Priya Shah; Sam Lee'.")
@today_option("Relative dates count from DATE.")
@click.pass_context
def review_new(ctx: click.Context, db: str | None, period_text: str | None,
               date_text: str | None, participants: str | None,
               today_text: str | None) -> None:
    """Create a review (the items records can score filled in) and print its id."""
    from ips_tui import services

    on = _today(date_text, _today(today_text))
    try:
        period = services.outcome_period(period_text, on)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    _open(_db_path(ctx, db))
    try:
        review_id = services.new_review(period, on, participants, by=_as_name(ctx))
    except services.ValidationError as exc:
        raise _review_failure(exc) from None
    click.echo(review_id)


@review.command("score", context_settings=CONTEXT)
@db_option
@click.argument("review_id", metavar="ID")
@click.argument("item", metavar="ITEM")
@click.argument("score", metavar="SCORE")
@click.option("--note", metavar="TEXT", help="The team's note on the item (replaces any).")
@click.option("--reason", metavar="TEXT",
              help="Why the team's score replaces the one from the records (needed then).")
@click.pass_context
def review_score(ctx: click.Context, db: str | None, review_id: str, item: str, score: str,
                 note: str | None, reason: str | None) -> None:
    """Score ITEM (its number 1-25 or key) of review ID from 1 to 5 (`none` takes the team's
    score away). On an item the records scored, another score is an override: give --reason."""
    from ips_tui import services

    number = _review_item(item)
    if score.strip().lower() == "none":
        value = None
    elif score.strip() in ("1", "2", "3", "4", "5"):
        value = int(score)
    else:
        raise click.BadParameter(f"'{score}' is not a score: give 1 to 5, or none",
                                 param_hint="SCORE")
    _open(_db_path(ctx, db), create=False)
    try:
        services.score_review_item(review_id, number, value, note=note, reason=reason,
                                   by=_as_name(ctx))
        found = services.review(review_id, history=0)
    except (services.ValidationError, services.NotFoundError) as exc:
        raise _review_failure(exc) from None
    it = found.item(number)
    click.echo(f"{review_id} item {number} ({it.name}): {it.score if it.score else '-'} "
               f"({it.source}); total {found.total}, {found.level.replace('_', ' ')}")


@review.command("plan", context_settings=CONTEXT)
@db_option
@click.argument("review_id", metavar="ID")
@click.argument("item", metavar="ITEM")
@click.option("--owner", metavar="NAME", help="Who takes the action (empty text clears it).")
@click.option("--due", "due_text", metavar="DATE", help="By when (empty text clears it).")
@click.option("--note", metavar="TEXT", help="The team's note on the item (replaces any).")
@click.option("--reason", metavar="TEXT", help="A new reason for an override already made.")
@today_option("Relative dates count from DATE.")
@click.pass_context
def review_plan(ctx: click.Context, db: str | None, review_id: str, item: str,
                owner: str | None, due_text: str | None, note: str | None, reason: str | None,
                today_text: str | None) -> None:
    """Set the action plan's owner and due date for ITEM of review ID (and its note or
    override reason)."""
    from ips_tui import services

    number = _review_item(item)
    changes: dict[str, object] = {}
    if owner is not None:
        changes["owner"] = owner
    if due_text is not None:
        changes["due"] = _today(due_text, _today(today_text)) if due_text.strip() else None
    if note is not None:
        changes["note"] = note
    if reason is not None:
        changes["override_reason"] = reason
    if not changes:
        raise click.UsageError("give --owner, --due, --note or --reason")
    _open(_db_path(ctx, db), create=False)
    try:
        services.update_review_item(review_id, number, changes, by=_as_name(ctx))
    except (services.ValidationError, services.NotFoundError) as exc:
        raise _review_failure(exc) from None
    click.echo(f"{review_id} item {number}: saved")


@review.command("list", context_settings=CONTEXT)
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_context
def review_list(ctx: click.Context, db: str | None, fmt: str) -> None:
    """Every review: id, date, period, total, level."""
    from ips_tui import services
    from ips_tui.reports import review as review_report

    _open(_db_path(ctx, db), create=False)
    click.echo(review_report.render_list(services.reviews(), fmt), nl=False)


@review.command("show", context_settings=CONTEXT)
@db_option
@click.argument("review_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "html", "json"]),
              default="table", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.pass_context
def review_show(ctx: click.Context, db: str | None, review_id: str, fmt: str,
                output: str | None) -> None:
    """One review: scores (and earlier reviews' beside them), action plan, anchors, evidence."""
    from ips_tui import services
    from ips_tui.reports import review as review_report

    _open(_db_path(ctx, db), create=False)
    try:
        found = services.review(review_id)
    except services.NotFoundError as exc:
        raise _review_failure(exc) from None
    _emit(review_report.render(found, fmt), output)


@review.command("delete", context_settings=CONTEXT)
@db_option
@click.argument("review_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def review_delete(ctx: click.Context, db: str | None, review_id: str, yes: bool) -> None:
    """Delete a review and its scores, evidence and action plan (one made by mistake, say).
    Says which review it is and asks first; --yes does not ask. The audit log keeps that it was
    deleted, and by whom; `ips-tui export` first keeps a copy (reviews.csv, review_items.csv)."""
    from ips_tui import services
    from ips_tui.output import terminal_safe

    _open(_db_path(ctx, db), create=False)
    try:
        found = services.review(review_id, history=0)
    except services.NotFoundError as exc:
        raise _review_failure(exc) from None
    scored = sum(1 for item in found.items if item.score is not None)
    click.echo(terminal_safe(f"Review {found.review_id}: {found.period}, held {found.date}, "
                             f"{scored} of {len(found.items)} items scored"))
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("deleting a review cannot be undone: add --yes to confirm")
        click.confirm(f"Delete review {found.review_id} and its scores?", abort=True)
    try:
        services.delete_review(review_id, by=_as_name(ctx))
    except services.StoreError as exc:
        raise _review_failure(exc) from None
    click.echo(f"Deleted review {review_id}.")


def main() -> None:
    """Console-script entry point: a damaged database or a server that went away is a clear
    error, never a traceback."""
    try:
        cli(prog_name="ips-tui", standalone_mode=True)
    except Exception as exc:
        from ips_tui.store.db import StoreError, is_database_error

        if isinstance(exc, StoreError):
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        if not is_database_error(exc):
            raise
        from ips_tui.store.db import failure_words

        click.echo(f"Error: {failure_words(exc)}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
