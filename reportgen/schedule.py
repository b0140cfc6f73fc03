"""The ``[schedule]`` settings of reportgen.toml and the scheduler entries of ``schedule --print``.

``[schedule]`` says which report kinds ``reportgen run`` produces, from which period on, when each
report is due, how many superseded versions to keep and how long a run waits for another one.

A report is **due** ``deadline_days`` days after its window closes: with the cut-off rule the
December window closes on 14/12, so ``deadline_days = 1`` makes the December report due on
15/12 (the usual "monthly by the 15th"). ``deadline_days`` is one number for every kind or a
table by kind (``{ month = 1, quarter = 3, year = 5 }``; kinds left out get 1).

The entries printed for cron, systemd and the Windows Task Scheduler call
``<python> -m reportgen run`` with the absolute interpreter path and the absolute working
folder, so they work without a PATH or an activated virtual environment.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from .errors import ConfigError, PeriodError
from .i18n import _
from .period import CUTOFF_DAY, Kind, Period, Rule, parse_period

KINDS: tuple[Kind, ...] = get_args(Kind)
Target = Literal["cron", "systemd", "windows"]
TARGETS: tuple[Target, ...] = get_args(Target)
DEFAULT_DEADLINE_DAYS = 1
DEFAULT_KEEP_REVISIONS = 3
DEFAULT_LOCK_WAIT = 10.0
DEFAULT_TIME = "07:00"
# The Task Scheduler refuses a /TR command longer than this.
SCHTASKS_TR_LIMIT = 261


@dataclass(frozen=True)
class Schedule:
    """What ``reportgen run`` produces and when; see the module documentation."""

    kinds: tuple[Kind, ...] = KINDS
    since: Period | None = None  # None: only the latest closed period of each kind
    deadline_days: tuple[tuple[Kind, int], ...] = ()  # kinds not listed: DEFAULT_DEADLINE_DAYS
    keep_revisions: int = DEFAULT_KEEP_REVISIONS
    lock_wait: float = DEFAULT_LOCK_WAIT
    allow_invalid: bool = False

    def days_for(self, kind: Kind) -> int:
        """Days after the window closes until a report of ``kind`` is due."""
        return dict(self.deadline_days).get(kind, DEFAULT_DEADLINE_DAYS)


def _count(value: Any, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(
            _("{where} [schedule]: '{key}' must be a whole number, 0 or more.").format(
                where=where, key=key
            )
        )
    return value


def parse_schedule(table: dict[str, Any], where: str) -> Schedule:
    """The ``[schedule]`` section (already read from TOML) as a :class:`Schedule`."""
    kinds_value = table.get("kinds", list(KINDS))
    if (
        not isinstance(kinds_value, list)
        or not kinds_value
        or not all(isinstance(k, str) and k in KINDS for k in kinds_value)
    ):
        raise ConfigError(
            _("{where} [schedule]: 'kinds' must be a list taken from: {choices}.").format(
                where=where, choices=", ".join(KINDS)
            )
        )
    kinds = tuple(k for k in KINDS if k in kinds_value)
    since: Period | None = None
    since_value = table.get("since", "")
    if not isinstance(since_value, str):
        since_value = str(since_value)
    if since_value.strip():
        try:
            since = parse_period(since_value)
        except PeriodError as exc:
            raise ConfigError(f"{where} [schedule] since: {exc}") from None
    days = table.get("deadline_days", DEFAULT_DEADLINE_DAYS)
    if isinstance(days, dict):
        unknown = [k for k in days if k not in KINDS]
        if unknown:
            raise ConfigError(
                _("{where} [schedule]: 'deadline_days' has unknown kinds: {kinds}.").format(
                    where=where, kinds=", ".join(unknown)
                )
            )
        deadline_days = tuple(
            (k, _count(days[k], "deadline_days", where)) for k in KINDS if k in days
        )
    else:
        every = _count(days, "deadline_days", where)
        deadline_days = tuple((k, every) for k in KINDS)
    wait = table.get("lock_wait", DEFAULT_LOCK_WAIT)
    if isinstance(wait, bool) or not isinstance(wait, int | float) or wait < 0:
        raise ConfigError(
            _("{where} [schedule]: 'lock_wait' must be a number of seconds, 0 or more.").format(
                where=where
            )
        )
    allow_invalid = table.get("allow_invalid", False)
    if not isinstance(allow_invalid, bool):
        raise ConfigError(
            _("{where} [schedule]: 'allow_invalid' must be true or false.").format(where=where)
        )
    return Schedule(
        kinds=kinds,
        since=since,
        deadline_days=deadline_days,
        keep_revisions=_count(
            table.get("keep_revisions", DEFAULT_KEEP_REVISIONS), "keep_revisions", where
        ),
        lock_wait=float(wait),
        allow_invalid=allow_invalid,
    )


# --- scheduler entries ------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """When the scheduled run starts: monthly on ``day`` (or every day) at ``hour:minute``."""

    hour: int
    minute: int
    day: int | None  # None: every day

    @property
    def hhmm(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


def default_day(rule: Rule) -> int:
    """The day after the monthly window closes: the 15th (cut-off rule) or the 1st (calendar)."""
    return CUTOFF_DAY if rule == "cutoff" else 1


def parse_when(time: str, day: int | None) -> When:
    """Check ``HH:MM`` and a day of the month (1-28, so that every month has it)."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", time.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ConfigError(_("--time must look like 07:00 (hours 0-23, minutes 0-59)."))
    if day is not None and not 1 <= day <= 28:
        raise ConfigError(_("--day must be a day of the month from 1 to 28."))
    return When(int(match.group(1)), int(match.group(2)), day)


def _posix_quote(path: Path | str) -> str:
    return shlex.quote(str(path))


def cron_entry(
    *, folder: Path, python: Path, logs: Path, when: When, config_file: Path | None = None
) -> str:
    """One crontab line (plus a comment) that runs reportgen in ``folder``."""
    day = "*" if when.day is None else str(when.day)
    args = f" --config {_posix_quote(config_file)}" if config_file else ""
    command = (
        f"cd {_posix_quote(folder)} && mkdir -p {_posix_quote(logs)} && "
        f"PYTHONUTF8=1 {_posix_quote(python)} -m reportgen run{args} "
        f">> {_posix_quote(logs / 'cron.log')} 2>&1"
    )
    # In a crontab line % means a newline unless escaped.
    command = command.replace("%", r"\%")
    comment = "# " + _("reportgen in {folder}: add this line with 'crontab -e'.").format(
        folder=folder
    )
    return f"{comment}\n{when.minute} {when.hour} {day} * * {command}\n"


def _systemd_escape(text: str) -> str:
    """Escape specifiers (%) for any unit-file setting."""
    return text.replace("%", "%%")


def _systemd_exec_word(text: str) -> str:
    """One word of ExecStart=: double-quoted, C escapes, specifiers and $ escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "$$")
    return '"' + _systemd_escape(escaped) + '"'


def systemd_entry(
    *,
    folder: Path,
    python: Path,
    name: str,
    user: str,
    when: When,
    config_file: Path | None = None,
) -> str:
    """A systemd service and timer that run reportgen in ``folder``."""
    args = f" --config {_systemd_exec_word(str(config_file))}" if config_file else ""
    calendar = f"*-*-{when.day:02d}" if when.day is not None else "*-*-*"
    description = _systemd_escape(
        _("reportgen: periodic reports of {folder}").format(folder=folder)
    )
    lines = [
        "# " + _("Save as /etc/systemd/system/{name}").format(name=f"{name}.service"),
        "[Unit]",
        f"Description={description}",
        "",
        "[Service]",
        "Type=oneshot",
        f"User={_systemd_escape(user)}",
        f"WorkingDirectory={_systemd_escape(str(folder))}",
        "Environment=PYTHONUTF8=1",
        f"ExecStart={_systemd_exec_word(str(python))} -m reportgen run{args}",
        "",
        "# " + _("Save as /etc/systemd/system/{name}").format(name=f"{name}.timer"),
        "[Unit]",
        f"Description={description}",
        "",
        "[Timer]",
        f"OnCalendar={calendar} {when.hhmm}:00",
        "Persistent=true",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
        "# "
        + _("Then: {command}").format(
            command=f"sudo systemctl daemon-reload && sudo systemctl enable --now {name}.timer"
        ),
        "# "
        + _("Runs are logged by {command} and in the outputs/logs folder.").format(
            command=f"journalctl -u {name}"
        ),
    ]
    return "\n".join(lines) + "\n"


def _cmd_quoted(path: str) -> str:
    r"""A path as one quoted word inside a schtasks /TR value (quotes written \")."""
    return '\\"' + path + '\\"'


def windows_entry(*, python: str, config_file: str, name: str, when: When) -> str:
    """A ``schtasks /Create`` command for a Command Prompt (cmd.exe).

    The task runs ``"python.exe" -m reportgen run --config "...\\reportgen.toml"``: paths in
    reportgen.toml are relative to that file, so the run does not depend on the folder the Task
    Scheduler starts it in, and no ``cmd /c "cd /d ... && ..."`` (with its nested quotes) is
    needed. Inside the /TR value each quote is written ``\\"``.
    """
    task = f"{_cmd_quoted(python)} -m reportgen run --config {_cmd_quoted(config_file)}"
    schedule = "/SC DAILY" if when.day is None else f"/SC MONTHLY /D {when.day}"
    command = f'schtasks /Create /F /TN "{name}" {schedule} /ST {when.hhmm} /TR "{task}"'
    lines = [
        "rem " + _("reportgen: paste this line into a Command Prompt (cmd.exe), not PowerShell."),
        "rem " + _("The task runs as the current user while the user is logged on."),
    ]
    if any(char in python + config_file for char in "&|<>^%"):
        lines.append(
            "rem "
            + _(
                "Warning: a path contains one of the characters & | < > ^ %, which cmd.exe "
                "treats specially; create the task in the Task Scheduler window instead."
            )
        )
    # The limit counts the command as the Task Scheduler stores it, with plain quotes.
    if len(task.replace('\\"', '"')) > SCHTASKS_TR_LIMIT:
        lines.append(
            "rem "
            + _(
                "Warning: the command is longer than {limit} characters, which schtasks "
                "refuses; move reportgen to a shorter folder."
            ).format(limit=SCHTASKS_TR_LIMIT)
        )
    lines.append(command)
    return "\n".join(lines) + "\n"


def entry(
    target: Target,
    *,
    folder: Path,
    python: str,
    config_file: Path,
    logs: Path,
    when: When,
    name: str = "reportgen",
    user: str = "",
) -> str:
    """The ready-to-paste entry for ``target``; every path in it is absolute.

    cron and systemd change to ``folder`` and find ``reportgen.toml`` there (``--config`` is
    added only for a configuration file of another name); Windows passes ``--config``.
    """
    other = config_file if config_file.name != "reportgen.toml" else None
    if target == "cron":
        return cron_entry(
            folder=folder, python=Path(python), logs=logs, when=when, config_file=other
        )
    if target == "systemd":
        return systemd_entry(
            folder=folder, python=Path(python), name=name, user=user, when=when, config_file=other
        )
    return windows_entry(python=python, config_file=str(config_file), name=name, when=when)
