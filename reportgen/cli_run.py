"""The commands for scheduled runs: ``reportgen run``, ``reportgen status``, ``reportgen schedule``.

Registered on the main typer app by :func:`register` (called from ``cli.py``). The work is in
``runner.py`` and ``schedule.py``; this module parses options and prints. A batch shows a
``rich`` progress bar when standard output is a terminal and plain lines otherwise (cron, a
log file); the run's own log in ``outputs/logs/`` always gets plain lines.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .errors import ReportgenError
from .i18n import _

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress

    from .config import Config
    from .runner import Job, KindStatus, Progress

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", metavar="FILE", help=_("Configuration file (default: ./reportgen.toml).")
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="YYYY-MM-DD",
        help=_("Act as if today were this date (to preview what is due; default: today)."),
    ),
]


def _load(config: Path | None) -> Config:
    from .cli import _configure_language
    from .config import load_config

    cfg = load_config(config)
    _configure_language(cfg.language)
    return cfg


def _today(text: str | None) -> dt.date | None:
    from .cli import EXIT_USAGE, _fail

    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise _fail(_("--today must look like 2024-01-16."), EXIT_USAGE) from None


def _fmt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


class _Display:
    """Shows a run's steps: a progress bar on a terminal, plain lines elsewhere."""

    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal
        self.bar: RichProgress | None = None
        self.task: Any = None

    def _line(self, text: str, failed: bool = False) -> None:
        if self.bar is not None:
            self.bar.console.print(
                text, markup=False, highlight=False, style="red" if failed else None
            )
        else:
            typer.echo(text, err=failed)

    def __call__(self, step: Progress) -> None:
        if step.stage == "begin":
            self._line(step.message)
            if self.terminal and step.total > 1:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    TextColumn,
                    TimeElapsedColumn,
                )
                from rich.progress import Progress as RichProgress

                self.bar = RichProgress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                )
                self.bar.start()
                self.task = self.bar.add_task("", total=step.total)
        elif step.stage == "start":
            if self.bar is not None:
                self.bar.update(self.task, description=step.message)
        elif step.stage == "done":
            self._line(step.message, step.failed)
            if self.bar is not None:
                self.bar.advance(self.task)
        else:
            self._line(step.message, step.failed)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _dry_run_lines(jobs: list[Job]) -> list[str]:
    lines = []
    due = [j for j in jobs if j.due]
    for job in due:
        lines.append(
            _("Would make {period}: {reasons}.").format(
                period=job.title(), reasons="; ".join(job.reasons)
            )
        )
        for role, kept in job.kept.items():
            lines.append(
                _(
                    "  {kept} was changed after reportgen made it; it would be kept as it is and "
                    "the new version written to {new}."
                ).format(kept=kept.name, new=job.targets[role].name)
            )
    if due:
        lines.append(
            _("{n} reports would be made, {m} are up to date.").format(
                n=len(due), m=len(jobs) - len(due)
            )
        )
    else:
        lines.append(_("Nothing to do: {n} reports are up to date.").format(n=len(jobs)))
    return lines


def run_command(
    config: ConfigOpt = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=_("Only list what would be made and why; write nothing.")),
    ] = False,
    wait: Annotated[
        float | None,
        typer.Option(
            "--wait",
            min=0,
            metavar="SECONDS",
            help=_(
                "How long to wait for another run to finish (default: lock_wait of the schedule "
                "section)."
            ),
        ),
    ] = None,
    today: TodayOpt = None,
) -> None:
    """Make every report kind in [schedule] whose period has closed and whose output is
    missing or stale."""
    from .cli import _fail
    from .runner import run

    day = _today(today)
    display = _Display(sys.stdout.isatty())
    try:
        cfg = _load(config)
        result = run(cfg, today=day, dry_run=dry_run, lock_wait=wait, observer=display)
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    finally:
        display.close()
    if dry_run:
        for line in _dry_run_lines(result.jobs):
            typer.echo(line)
        raise typer.Exit(0)
    if result.log is not None:
        typer.echo(_("Log: {path}").format(path=result.log))
    raise typer.Exit(result.exit_code)


def _job_json(job: Job) -> dict[str, Any]:
    return {
        "period": job.period.code,
        "deadline": job.deadline.isoformat(),
        "reasons": job.reasons,
    }


def _kind_json(item: KindStatus) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "last": item.last.code if item.last else None,
        "last_generated_at": item.last_generated_at or None,
        "next": item.next.code,
        "next_deadline": item.next_deadline.isoformat(),
        "overdue": [_job_json(j) for j in item.overdue],
        "waiting": [_job_json(j) for j in item.waiting],
        "stale": [_job_json(j) for j in item.stale],
        "edited": [p.name for p in item.edited],
    }


def status_command(
    config: ConfigOpt = None,
    today: TodayOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
) -> None:
    """Per report kind: the last period made, the next one due and its deadline, and anything
    overdue or stale."""
    from .cli import _fail
    from .runner import kind_label, status

    day = _today(today)
    try:
        cfg = _load(config)
        result = status(cfg, today=day)
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    if as_json:
        data = {
            "today": result.today.isoformat(),
            "running": None
            if result.running is None
            else {"pid": result.running.pid, "host": result.running.host},
            "kinds": [_kind_json(k) for k in result.kinds],
        }
        import json

        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        raise typer.Exit(0)

    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    table = Table(expand=False)
    for title in (
        _("Report"),
        _("Last made"),
        _("Next due"),
        _("Deadline"),
        _("Overdue"),
        _("Stale"),
    ):
        table.add_column(title, overflow="fold")
    for item in result.kinds:
        table.add_row(
            kind_label(item.kind),
            item.last.code if item.last else "-",
            item.next.code,
            _fmt(item.next_deadline),
            ", ".join(j.period.code for j in item.overdue) or "-",
            ", ".join(j.period.code for j in item.stale) or "-",
        )
    console.print(_("Today: {today}.").format(today=_fmt(result.today)), markup=False)
    console.print(table)
    for item in result.kinds:
        for job in item.overdue:
            console.print(
                _("Overdue: {period}, due {deadline}: not made yet.").format(
                    period=job.title(), deadline=_fmt(job.deadline)
                ),
                markup=False,
            )
        for job in item.stale:
            console.print(
                _("Stale: {period}: {reasons}.").format(
                    period=job.title(), reasons="; ".join(job.reasons)
                ),
                markup=False,
            )
        for path in item.edited:
            console.print(
                _("Changed by a person after it was made (kept): {name}.").format(name=path.name),
                markup=False,
            )
    if result.running is not None:
        console.print(
            _("A run is in progress (process {pid} on {host}, started {started}).").format(
                pid=result.running.pid, host=result.running.host, started=result.running.started
            ),
            markup=False,
        )
    if any(k.overdue or k.stale or k.waiting for k in result.kinds):
        console.print(_("'reportgen run' makes what is due."), markup=False)


def schedule_command(
    target: Annotated[
        str | None,
        typer.Option(
            "--print",
            metavar="cron|systemd|windows",
            help=_(
                "Which entry to print: a crontab line, a systemd service and timer, or a "
                "schtasks command for Windows (default: for this computer)."
            ),
        ),
    ] = None,
    config: ConfigOpt = None,
    day: Annotated[
        int | None,
        typer.Option(
            "--day",
            metavar="1-28",
            min=1,
            max=28,
            help=_(
                "Day of the month to run (default: the day after the monthly window closes: "
                "15 with the cut-off rule, 1 with calendar months)."
            ),
        ),
    ] = None,
    time: Annotated[
        str, typer.Option("--time", metavar="HH:MM", help=_("Time of day to run."))
    ] = "07:00",
    daily: Annotated[
        bool,
        typer.Option("--daily", help=_("Run every day instead of once a month.")),
    ] = False,
    name: Annotated[
        str, typer.Option("--name", metavar="NAME", help=_("Name of the task, service or timer."))
    ] = "reportgen",
) -> None:
    """Print a ready-to-paste scheduler entry that runs 'reportgen run' in this working folder."""
    import getpass

    from .cli import EXIT_USAGE, _fail
    from .config import CONFIG_NAME
    from .schedule import TARGETS, default_day, entry, parse_when

    chosen = target or ("windows" if sys.platform == "win32" else "cron")
    if chosen not in TARGETS:
        raise _fail(
            _("--print must be one of: {choices}.").format(choices=", ".join(TARGETS)), EXIT_USAGE
        )
    try:
        cfg = _load(config)
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    try:
        when = parse_when(time, None if daily else (day or default_day(cfg.rule)))
    except ReportgenError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    folder = cfg.root.absolute()
    config_file = (cfg.source or folder / CONFIG_NAME).absolute()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = "root"
    text = entry(
        chosen,
        folder=folder,
        # The interpreter as started, not resolved: a virtual environment's python is a link.
        python=str(Path(sys.executable).absolute()),
        config_file=config_file,
        logs=(cfg.outputs / "logs").absolute(),
        when=when,
        name=name,
        user=user,
    )
    typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    """Add ``run``, ``status`` and ``schedule`` to the ``reportgen`` command."""
    app.command(
        "run",
        help=_(
            "Make every report kind of the schedule section of reportgen.toml whose period has "
            "closed and whose "
            "output is missing or stale; safe to run from a scheduler."
        ),
    )(run_command)
    app.command(
        "status",
        help=_(
            "Show, per report kind, the last period made, the next one due with its deadline, "
            "and anything overdue or stale."
        ),
    )(status_command)
    app.command(
        "schedule",
        help=_(
            "Print a crontab line, a systemd service and timer, or a Windows schtasks command "
            "that runs 'reportgen run' in this working folder."
        ),
    )(schedule_command)
