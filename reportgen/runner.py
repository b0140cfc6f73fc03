"""``reportgen run`` and ``reportgen status``: every due report, made safely from a scheduler.

What is due: for each report kind in ``[schedule] kinds``, every period whose window has closed
(its last day is before today) and that closes on or after the ``since`` period closes (without
``since``, only the latest closed period of each kind). Such a report is made when its output
is missing or **stale**: the configuration, the language, a template, or what the inputs put
into that report changed since it was made. The last is judged on the report's content (its
events, totals, written paragraphs, comparison with earlier periods ...), not on the input
files as a whole, so adding next month's events does not remake every past report, and a
person's edits to past reports are not answered with new revisions every month.

Everything lives in the outputs folder:

``.manifests/bao-cao-2023-12.json``
    one manifest per period: the period and window, the input files and their sha256, the
    sha256 of the period's data, of the templates and of the configuration, the reportgen
    version, the time, the row counts and totals, and the sha256 of each output as written.
    An output whose current sha256 differs from the recorded one was edited by a person: it is
    never overwritten; the new report goes beside it as ``bao-cao-2023-12.r2.docx`` (r3, ...).
``.reportgen.lock``
    held while a run writes (created with ``O_CREAT | O_EXCL``; pid, host and time inside). A
    second run waits ``lock_wait`` seconds, then stops with a message (exit 1). A lock whose
    process is gone (same computer) or that was not refreshed for an hour
    (:data:`STALE_LOCK_SECONDS`; a run refreshes it after each report) is taken over.
``.staging/``
    reports are rendered here first, then renamed into place one by one; a run killed at any
    point leaves complete files only, and the next run removes what it left here.
``.revisions/``
    the last ``keep_revisions`` superseded versions of each output (those reportgen wrote and
    nobody edited), named ``bao-cao-2023-12.20240116-070001.docx``.
``logs/run-YYYYMMDD-HHMMSS.log``
    one UTF-8 log per run (not for ``--dry-run``).

A report is first renamed into place after its manifest records it as *pending*, and the
manifest is completed afterwards, so a run killed between the two still recognises its own
files (they are not taken for a person's edits) and remakes the report.

Exit codes (:attr:`RunResult.exit_code`): 0 every due report was written, or nothing was due;
1 a report failed, the data has errors, or another run held the lock. Usage errors exit 2.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .config import Config
from .errors import LockBusyError, OutputError, ReportgenError
from .i18n import _, language
from .period import Kind, Period, Rule, parse_period
from .schedule import KINDS, Schedule
from .write import atomic_path, write_atomic

if TYPE_CHECKING:
    from .api import ValidationResult
    from .schema import Schema

MANIFEST_FORMAT = 1
MANIFESTS = ".manifests"
STAGING = ".staging"
REVISIONS = ".revisions"
LOGS = "logs"
LOCK_NAME = ".reportgen.lock"
STALE_LOCK_SECONDS = 3600.0
# Temporary files of an interrupted `reportgen generate` in the outputs folder are removed by a
# run once they are this old (a younger one may belong to a generate still writing).
LEFTOVER_SECONDS = 3600.0
Role = Literal["report", "annex"]
ROLES: tuple[Role, ...] = ("report", "annex")


# --- hashing ----------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """JSON form of the values found in events and configuration (stable across runs)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(str(v) for v in value)
    if isinstance(value, Path):
        return value.as_posix()
    text = str(value)
    # an object without a readable form would change the digest on every run
    return type(value).__qualname__ if " at 0x" in text else text


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def config_digest(config: Config) -> str:
    """sha256 of the settings a report depends on: reportgen.toml without ``[schedule]``, and
    the extended schema file if one is named."""
    import tomllib

    data: dict[str, Any] | None = None
    if config.source is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            data = tomllib.loads(config.source.read_text(encoding="utf-8-sig"))
    if data is None:
        skip = ("root", "source", "schedule", "inputs", "outputs", "templates")
        data = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
        data = {k: v for k, v in data.items() if k not in skip}
    data.pop("schedule", None)
    if config.schema is not None and config.schema.is_file():
        data["(schema sha256)"] = sha256_file(config.schema)
    return _digest(data)


# Parts of the template context that change without the period's data changing: the date of
# the report, and the row counts of the whole input set (the data-quality note).
VOLATILE_CONTEXT = ("report", "quality")


def data_digest(
    period: Period, config: Config, validation: ValidationResult, schema: Schema, lang: str
) -> str:
    """sha256 of what the inputs put into one period's report: the template context (its
    events, totals, written paragraphs, comparisons ...) without :data:`VOLATILE_CONTEXT`."""
    from .aggregate import build_context

    context = build_context(
        events=validation.events,
        period=period,
        rule=config.rule,
        config=config,
        schema=schema,
        counts=validation.report.counts,
        warnings=len(validation.report.warnings),
        narrative=validation.read.narrative,
        report_date=dt.date(2000, 1, 1),
        lang=lang,
    )
    return _digest({k: v for k, v in context.items() if k not in VOLATILE_CONTEXT})


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to the working folder (``/`` separators), or absolute outside it."""
    resolved = path.resolve()
    builtin = Path(str(resources.files("reportgen"))).resolve()
    if resolved.is_relative_to(builtin):
        return "(reportgen)/" + resolved.relative_to(builtin).as_posix()
    if resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return resolved.as_posix()


# --- periods ----------------------------------------------------------------------------------


def _periods_of(kind: Kind, year: int) -> list[Period]:
    count = {"month": 12, "quarter": 4, "half": 2}.get(kind, 1)
    return [Period(kind, year, index) for index in range(1, count + 1)]


def _end(period: Period, rule: Rule) -> dt.date:
    return period.window(rule)[1]


def closed_periods(schedule: Schedule, rule: Rule, today: dt.date) -> list[Period]:
    """The periods ``run`` considers: closed before ``today``, from ``since`` on, by end date."""
    found: list[Period] = []
    for kind in schedule.kinds:
        if schedule.since is None:
            candidates = [
                p
                for year in range(today.year - 2, today.year + 1)
                for p in _periods_of(kind, year)
                if _end(p, rule) < today
            ]
            if candidates:
                found.append(max(candidates, key=lambda p: _end(p, rule)))
            continue
        floor = _end(schedule.since, rule)
        for year in range(schedule.since.year, today.year + 1):
            found.extend(p for p in _periods_of(kind, year) if floor <= _end(p, rule) < today)
    return sorted(found, key=lambda p: (_end(p, rule), KINDS.index(p.kind)))


def open_period(kind: Kind, rule: Rule, today: dt.date) -> Period:
    """The period of ``kind`` whose window has not closed yet on ``today``."""
    for year in (today.year, today.year + 1):
        for period in _periods_of(kind, year):
            if _end(period, rule) >= today:
                return period
    raise AssertionError("a period ends every year")  # pragma: no cover


def deadline(period: Period, schedule: Schedule, rule: Rule) -> dt.date:
    """The day the report is due: ``deadline_days`` after its window closes."""
    return _end(period, rule) + dt.timedelta(days=schedule.days_for(period.kind))


def kind_label(kind: Kind) -> str:
    labels = {
        "month": _("monthly"),
        "quarter": _("quarterly"),
        "half": _("six-monthly"),
        "nine_months": _("nine-monthly"),
        "year": _("annual"),
    }
    return labels[kind]


# --- manifests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputRecord:
    name: str  # file name inside the outputs folder
    sha256: str


@dataclass
class Manifest:
    """What one period's outputs were made from; stored as JSON in ``outputs/.manifests``."""

    period: Period
    rule: str
    language: str
    generated_at: str
    reportgen_version: str
    inputs: dict[str, str]
    data_sha256: str
    templates: dict[str, str]
    config_sha256: str
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    pending: dict[str, OutputRecord] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    totals: dict[str, Any] = field(default_factory=dict)
    checked_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        start, end = self.period.window("calendar" if self.rule == "calendar" else "cutoff")
        return {
            "format": MANIFEST_FORMAT,
            "period": {
                "code": self.period.code,
                "kind": self.period.kind,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "rule": self.rule,
            },
            "language": self.language,
            "generated_at": self.generated_at,
            "checked_at": self.checked_at,
            "reportgen_version": self.reportgen_version,
            "inputs": [{"path": k, "sha256": v} for k, v in sorted(self.inputs.items())],
            "data_sha256": self.data_sha256,
            "templates": [{"path": k, "sha256": v} for k, v in sorted(self.templates.items())],
            "config_sha256": self.config_sha256,
            "outputs": {
                role: {"path": r.name, "sha256": r.sha256} for role, r in self.outputs.items()
            },
            "pending": {
                role: {"path": r.name, "sha256": r.sha256} for role, r in self.pending.items()
            },
            "kept": self.kept,
            "counts": self.counts,
            "totals": self.totals,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Raises KeyError, TypeError or ValueError when ``data`` is not a manifest."""

        def records(value: Any) -> dict[str, OutputRecord]:
            return {
                str(role): OutputRecord(str(r["path"]), str(r["sha256"]))
                for role, r in dict(value or {}).items()
            }

        def files(value: Any) -> dict[str, str]:
            return {str(item["path"]): str(item["sha256"]) for item in list(value)}

        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError("unknown manifest format")
        period = data["period"]
        return cls(
            period=parse_period(str(period["code"])),
            rule=str(period["rule"]),
            language=str(data["language"]),
            generated_at=str(data["generated_at"]),
            checked_at=str(data.get("checked_at", "")),
            reportgen_version=str(data["reportgen_version"]),
            inputs=files(data["inputs"]),
            data_sha256=str(data["data_sha256"]),
            templates=files(data["templates"]),
            config_sha256=str(data["config_sha256"]),
            outputs=records(data["outputs"]),
            pending=records(data.get("pending")),
            kept=[str(k) for k in data.get("kept", [])],
            counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            totals=dict(data.get("totals", {})),
        )


def output_files(period: Period) -> dict[Role, str]:
    from .api import output_names

    report, annex = output_names(period)
    return {"report": report, "annex": annex}


def manifest_path(outputs: Path, period: Period) -> Path:
    return outputs / MANIFESTS / (Path(output_files(period)["report"]).stem + ".json")


def read_manifest(outputs: Path, period: Period) -> tuple[Manifest | None, bool]:
    """The period's manifest, and whether a manifest file exists but cannot be read."""
    path = manifest_path(outputs, period)
    if not path.is_file():
        return None, False
    try:
        return Manifest.from_dict(json.loads(path.read_text(encoding="utf-8"))), False
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ReportgenError):
        return None, True


def write_manifest(outputs: Path, manifest: Manifest) -> None:
    text = json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2, default=_plain) + "\n"

    def save(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8", newline="\n")

    write_atomic(manifest_path(outputs, manifest.period), save)


def revision_path(base: Path) -> Path:
    """The first free ``name.rN.ext`` (N >= 2) beside ``base``."""
    number = 2
    while True:
        candidate = base.with_name(f"{base.stem}.r{number}{base.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


# --- the lock ---------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is running on this computer (True when unsure)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.restype = wintypes.HANDLE
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(ctypes.get_last_error() == 5)  # ERROR_ACCESS_DENIED: it exists
        try:
            code = wintypes.DWORD()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return bool(code.value == 259)  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0 only checks; never called on Windows, where it would kill
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. another user's process
    return True


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started: str
    token: str

    @classmethod
    def parse(cls, raw: bytes) -> LockInfo | None:
        try:
            data = json.loads(raw.decode("utf-8"))
            return cls(
                int(data["pid"]), str(data["host"]), str(data["started"]), str(data["token"])
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None


class RunLock:
    """The outputs folder's lock file; see the module documentation."""

    def __init__(
        self,
        path: Path,
        *,
        wait: float,
        stale_after: float = STALE_LOCK_SECONDS,
        poll: float = 0.1,
        on_wait: Callable[[LockInfo | None], None] | None = None,
    ) -> None:
        self.path = path
        self.wait = wait
        self.stale_after = stale_after
        self.poll = poll
        self.on_wait = on_wait
        self.info = LockInfo(
            os.getpid(),
            socket.gethostname(),
            dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            uuid.uuid4().hex,
        )
        self.held = False

    def _create(self) -> bool:
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except FileExistsError:
            return False
        except PermissionError as exc:  # Windows: a lock being deleted; else a read-only folder
            if self.path.exists() or sys.platform == "win32":
                return False
            raise OutputError(
                _("Cannot write {path}: {reason}").format(
                    path=self.path, reason=exc.strerror or exc
                )
            ) from None
        try:
            os.write(fd, json.dumps(dataclasses.asdict(self.info)).encode("utf-8"))
        finally:
            os.close(fd)
        return True

    def _is_stale(self, raw: bytes, info: LockInfo | None, age: float) -> bool:
        if age > self.stale_after:
            return True
        if info is None:  # being written this instant, or a run died while writing it
            return age > 30
        return info.host == self.info.host and not _pid_alive(info.pid)

    def _take_over(self, raw: bytes) -> bool:
        """Remove a stale lock, unless another run replaced it meanwhile; True if removed."""
        aside = self.path.with_name(f"{self.path.name}.{self.info.token}")
        try:
            os.replace(self.path, aside)
        except OSError:
            return False
        try:
            if aside.read_bytes() != raw:  # not the lock judged stale: put it back
                with contextlib.suppress(OSError):
                    os.rename(aside, self.path)
                return False
            return True
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                aside.unlink(missing_ok=True)

    def current(self) -> tuple[LockInfo | None, bytes, float] | None:
        """The lock file's holder, raw content and age in seconds; None without a lock."""
        try:
            raw = self.path.read_bytes()
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return None
        except OSError:
            return LockInfo.parse(b""), b"", 0.0
        return LockInfo.parse(raw), raw, age

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        give_up = time.monotonic() + self.wait
        told = False
        holder: LockInfo | None = None
        while True:
            if self._create():
                self.held = True
                return
            found = self.current()
            if found is not None:
                holder, raw, age = found
                if self._is_stale(raw, holder, age):
                    if self._take_over(raw):
                        continue
                elif not told and self.on_wait is not None:
                    self.on_wait(holder)
                    told = True
            if time.monotonic() >= give_up:
                raise LockBusyError(self._busy_message(holder))
            time.sleep(self.poll)

    def _busy_message(self, holder: LockInfo | None) -> str:
        return _(
            "Another reportgen run (process {pid} on {host}, started {started}) is writing in "
            "{folder}. This run waited {seconds} seconds and stopped without writing anything; "
            "try again later. If no other run is going on, delete {lock}."
        ).format(
            pid=holder.pid if holder else "?",
            host=holder.host if holder else "?",
            started=holder.started if holder else "?",
            folder=self.path.parent,
            seconds=f"{self.wait:g}",
            lock=self.path,
        )

    def refresh(self) -> None:
        """Touch the lock so that a long run is not taken for a dead one."""
        if self.held:
            with contextlib.suppress(OSError):
                os.utime(self.path)

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        found = self.current()
        if found is not None and found[0] is not None and found[0].token == self.info.token:
            with contextlib.suppress(OSError):
                self.path.unlink()

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --- the run log ------------------------------------------------------------------------------


class RunLog:
    """``outputs/logs/run-YYYYMMDD-HHMMSS.log``: plain UTF-8 lines, written as they happen."""

    def __init__(self, folder: Path) -> None:
        now = dt.datetime.now()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            number = 1
            while True:
                suffix = f"-{number}" if number > 1 else ""
                path = folder / f"run-{now:%Y%m%d-%H%M%S}{suffix}.log"
                try:
                    self._handle = path.open("x", encoding="utf-8", newline="\n")
                    break
                except FileExistsError:
                    number += 1
        except OSError as exc:
            raise OutputError(
                _("Cannot write {path}: {reason}").format(path=folder, reason=exc.strerror or exc)
            ) from None
        self.path = path

    def write(self, level: str, message: str) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        for line in message.splitlines() or [""]:
            self._handle.write(f"{stamp} {level:<5} {line}\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


# --- plan and run -----------------------------------------------------------------------------


@dataclass
class Sources:
    """The current fingerprint of everything a report is made from."""

    inputs: dict[str, str]
    templates: dict[str, str]
    config_sha256: str
    language: str


@dataclass
class Job:
    """One closed period: up to date, or due with the reasons why."""

    period: Period
    deadline: dt.date
    reasons: list[str] = field(default_factory=list)
    targets: dict[Role, Path] = field(default_factory=dict)  # where each output will be written
    kept: dict[Role, Path] = field(default_factory=dict)  # a person's edited file, left alone
    ours: dict[Role, Path] = field(default_factory=dict)  # files reportgen wrote, as they are
    manifest: Manifest | None = None
    generated: bool = False  # outputs exist (with a manifest or without)
    data_sha256: str = ""
    refresh: bool = False  # inputs changed elsewhere only: record the new input hashes

    @property
    def due(self) -> bool:
        return bool(self.reasons)

    def title(self) -> str:
        return f"{self.period.code} ({self.period.label(language())})"


Outcome = Literal["written", "failed"]


@dataclass
class JobResult:
    job: Job
    outcome: Outcome
    files: list[Path] = field(default_factory=list)
    message: str = ""


@dataclass(frozen=True)
class Progress:
    """A step of a run, for a progress bar: ``begin`` (``total`` reports), ``start`` (one
    report), ``done`` (one report, with its result line) or ``note`` (any other line)."""

    stage: Literal["begin", "start", "done", "note"]
    message: str = ""
    total: int = 0
    failed: bool = False


Observer = Callable[[Progress], None]


@dataclass
class RunResult:
    today: dt.date
    jobs: list[Job] = field(default_factory=list)
    results: list[JobResult] = field(default_factory=list)
    dry_run: bool = False
    log: Path | None = None
    error: str | None = None

    @property
    def due(self) -> list[Job]:
        return [j for j in self.jobs if j.due]

    @property
    def up_to_date(self) -> int:
        return sum(1 for j in self.jobs if not j.due)

    @property
    def written(self) -> list[JobResult]:
        return [r for r in self.results if r.outcome == "written"]

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.outcome == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.error or self.failed else 0


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _names_changed(before: dict[str, str], after: dict[str, str]) -> str:
    changed = sorted(
        Path(name).name for name in set(before) | set(after) if before.get(name) != after.get(name)
    )
    shown = ", ".join(changed[:3])
    return shown + (", ..." if len(changed) > 3 else "")


class Runner:
    """Plans and makes the due reports of one working folder (see :func:`run`)."""

    def __init__(self, config: Config, today: dt.date, observer: Observer | None = None) -> None:
        self.config = config
        self.today = today
        self.rule: Rule = config.rule
        self.schedule = config.schedule
        self.outputs = config.outputs
        self.observer = observer
        self.log: RunLog | None = None
        self._validation: ValidationResult | None = None
        self._schema: Schema | None = None
        self._sources: Sources | None = None

    # messages go to the log and to the observer
    def note(self, message: str, level: str = "INFO") -> None:
        if self.log is not None:
            self.log.write(level, message)
        if self.observer is not None:
            self.observer(Progress("note", message, failed=level == "ERROR"))

    def _emit(self, progress: Progress, level: str = "INFO") -> None:
        if self.log is not None and progress.message and progress.stage != "start":
            self.log.write(level, progress.message)
        if self.observer is not None:
            self.observer(progress)

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            from .schema import load_schema

            self._schema = load_schema(self.config.schema)
        return self._schema

    def validation(self) -> ValidationResult:
        if self._validation is None:
            from .api import validate

            self._validation = validate([self.config.inputs], self.schema)
        return self._validation

    def templates(self) -> dict[str, Path]:
        from .api import _template

        lang = language()
        found: dict[str, Path] = {}
        for name in (self.config.word_template, self.config.excel_template):
            path = _template(self.config.templates, name, lang)
            found[_relative(path, self.config.root)] = path
        return found

    def sources(self) -> Sources:
        """Hash inputs, templates and configuration (the inputs before they are read)."""
        if self._sources is None:
            from .read import discover

            root = self.config.root
            inputs = {
                _relative(p, root): sha256_file(p)
                for p in discover([self.config.inputs])
                if p.is_file()
            }
            templates = {name: sha256_file(path) for name, path in self.templates().items()}
            self._sources = Sources(inputs, templates, config_digest(self.config), language())
        return self._sources

    def data_digest(self, period: Period) -> str:
        return data_digest(period, self.config, self.validation(), self.schema, language())

    def plan(self) -> list[Job]:
        return [self.plan_period(p) for p in closed_periods(self.schedule, self.rule, self.today)]

    def _locate(
        self, role: Role, manifest: Manifest | None, base: str
    ) -> tuple[Literal["ours", "missing", "edited"], Path]:
        """Where the period's output of ``role`` is, and whether reportgen wrote it as it is."""
        if manifest is None:
            path = self.outputs / base
            return ("edited" if path.exists() else "missing"), path
        records = [r for r in (manifest.pending.get(role), manifest.outputs.get(role)) if r]
        known = {r.sha256 for r in records}
        for record in records:
            path = self.outputs / record.name
            if path.is_file() and sha256_file(path) in known:
                return "ours", path
        main = manifest.outputs.get(role) or manifest.pending.get(role)
        path = self.outputs / (main.name if main else base)
        return ("edited" if path.exists() else "missing"), path

    def plan_period(self, period: Period) -> Job:
        job = Job(period, deadline(period, self.schedule, self.rule))
        manifest, unreadable = read_manifest(self.outputs, period)
        job.manifest = manifest
        names = output_files(period)
        reasons = job.reasons
        states: dict[Role, str] = {}
        for role in ROLES:
            state, path = self._locate(role, manifest, names[role])
            states[role] = state
            if state == "ours":
                job.targets[role] = path
                job.ours[role] = path
            elif state == "missing":
                job.targets[role] = path
            else:
                job.kept[role] = path
                job.targets[role] = revision_path(self.outputs / names[role])
        job.generated = any(s != "missing" for s in states.values())
        sources = self.sources()
        if manifest is None:
            if unreadable:
                reasons.append(_("its manifest cannot be read"))
            elif job.generated:
                reasons.append(
                    _("its files exist but were not made by 'reportgen run' (no manifest)")
                )
            else:
                reasons.append(_("not generated yet"))
            return job
        if manifest.pending:
            reasons.append(_("the previous run was interrupted"))
        for role in ROLES:
            if states[role] == "missing":
                reasons.append(_("{name} is missing").format(name=job.targets[role].name))
        if manifest.config_sha256 != sources.config_sha256:
            reasons.append(_("the configuration changed"))
        if manifest.language != sources.language:
            reasons.append(
                _("the language changed ({old} to {new})").format(
                    old=manifest.language, new=sources.language
                )
            )
        if manifest.templates != sources.templates:
            reasons.append(
                _("the templates changed ({files})").format(
                    files=_names_changed(manifest.templates, sources.templates)
                )
            )
        if manifest.inputs != sources.inputs:
            job.data_sha256 = self.data_digest(period)
            if job.data_sha256 != manifest.data_sha256:
                reasons.append(
                    _("its data changed ({files})").format(
                        files=_names_changed(manifest.inputs, sources.inputs)
                    )
                )
            else:
                job.refresh = True
        return job

    # --- making reports ---

    def cleanup(self) -> None:
        """Remove what an interrupted run or generate left behind (under the lock)."""
        staging = self.outputs / STAGING
        if staging.is_dir():
            leftovers = any(staging.iterdir())
            shutil.rmtree(staging, ignore_errors=True)
            if leftovers:
                self.note(_("Removed the unfinished files of an interrupted run."))
        for folder in (self.outputs / MANIFESTS, self.outputs / REVISIONS):
            if folder.is_dir():
                for temp in folder.glob(".*.tmp"):
                    temp.unlink(missing_ok=True)
        if self.outputs.is_dir():
            for temp in self.outputs.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    if time.time() - temp.stat().st_mtime > LEFTOVER_SECONDS:
                        temp.unlink()

    def _keep_old(self, path: Path, manifest: Manifest | None) -> None:
        """Copy a superseded output into .revisions and keep the newest ``keep_revisions``."""
        keep = self.schedule.keep_revisions
        if keep <= 0 or not path.is_file():
            return
        stamp = dt.datetime.now()
        if manifest is not None:
            with contextlib.suppress(ValueError):
                stamp = dt.datetime.fromisoformat(manifest.generated_at)
        folder = self.outputs / REVISIONS
        copy = folder / f"{path.stem}.{stamp:%Y%m%d-%H%M%S}{path.suffix}"
        if not copy.exists():
            with atomic_path(copy) as temp:
                shutil.copyfile(path, temp)
        pattern = re.compile(re.escape(path.stem) + r"\.\d{8}-\d{6}" + re.escape(path.suffix))
        old = sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))
        for extra in old[: max(0, len(old) - keep)]:
            extra.unlink(missing_ok=True)

    @staticmethod
    def _move(source: Path, target: Path) -> None:
        try:
            os.replace(source, target)
        except PermissionError:
            raise OutputError(
                _(
                    "Cannot replace {path}: it is probably open in Word or Excel; close it and "
                    "run again."
                ).format(path=target)
            ) from None
        except OSError as exc:
            raise OutputError(
                _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)
            ) from None

    def make(self, job: Job) -> JobResult:
        """Render into .staging, then move each output into place between two manifest
        writes (pending, then complete)."""
        from . import __version__
        from .api import generate

        names = output_files(job.period)
        staging = self.outputs / STAGING / job.period.code
        shutil.rmtree(staging, ignore_errors=True)
        validation = self.validation()
        result = generate(
            job.period,
            config=self.config,
            out=staging,
            allow_invalid=self.schedule.allow_invalid,
            report_date=self.today,
            rule=self.rule,
            validation=validation,
        )
        if result.stopped:  # checked before; kept for safety
            raise OutputError(_("The inputs have rows with errors."))
        sources = self.sources()
        new: dict[str, OutputRecord] = {
            role: OutputRecord(job.targets[role].name, sha256_file(staging / names[role]))
            for role in ROLES
        }
        old = job.manifest
        manifest = Manifest(
            period=job.period,
            rule=self.rule,
            language=sources.language,
            generated_at=_now(),
            checked_at="",
            reportgen_version=__version__,
            inputs=dict(sources.inputs),
            data_sha256=job.data_sha256 or self.data_digest(job.period),
            templates=dict(sources.templates),
            config_sha256=sources.config_sha256,
            outputs=dict(old.outputs) if old else {},
            pending=new,
            kept=list(old.kept) if old else [],
            counts={**validation.report.counts.to_dict(), "files": validation.report.counts.files},
            totals=result.totals.to_dict(),
        )
        for path in job.kept.values():
            if path.name not in manifest.kept:
                manifest.kept.append(path.name)
        if old is not None:  # until the files are in place, the old record describes them
            write_manifest(self.outputs, dataclasses.replace(old, pending=new, kept=manifest.kept))
        else:
            write_manifest(self.outputs, manifest)
        for role in ROLES:
            target = job.targets[role]
            if role in job.ours and target == job.ours[role]:
                self._keep_old(target, old)
            self._move(staging / names[role], target)
        manifest.outputs = new
        manifest.pending = {}
        write_manifest(self.outputs, manifest)
        shutil.rmtree(staging, ignore_errors=True)
        files = [job.targets[role] for role in ROLES]
        lines = [
            _("{period}: written {files} — {reasons}.").format(
                period=job.title(),
                files=", ".join(p.name for p in files),
                reasons="; ".join(job.reasons),
            )
        ]
        for role, kept in job.kept.items():
            lines.append(
                _(
                    "  {kept} was changed after reportgen made it, so it is kept as it is; "
                    "the new version is {new}."
                ).format(kept=kept.name, new=job.targets[role].name)
            )
        return JobResult(job, "written", files, "\n".join(lines))

    def refresh_manifest(self, job: Job) -> None:
        """Record the current input hashes when only other periods' data changed."""
        if job.manifest is None:
            return
        sources = self.sources()
        job.manifest.inputs = dict(sources.inputs)
        job.manifest.checked_at = _now()
        write_manifest(self.outputs, job.manifest)

    def execute(self, jobs: list[Job], lock: RunLock | None = None) -> list[JobResult]:
        due = [j for j in jobs if j.due]
        results: list[JobResult] = []
        for job in jobs:
            if job.refresh and not job.due:
                with contextlib.suppress(ReportgenError, OSError):
                    self.refresh_manifest(job)
        if not due:
            return results
        self._emit(
            Progress(
                "begin",
                _("{n} reports to make, {m} up to date.").format(
                    n=len(due), m=len(jobs) - len(due)
                ),
                total=len(due),
            )
        )
        validation = self.validation()
        if not validation.ok and not self.schedule.allow_invalid:
            reason = _(
                "{n} rows of the inputs have errors, so no report was written. Run 'reportgen "
                "validate' to see them and correct them, or set allow_invalid = true in "
                "[schedule] to leave those rows out."
            ).format(n=validation.report.counts.invalid)
            self.note(reason, "ERROR")
            for problem in validation.report.errors[:20]:
                where = " ".join(
                    x for x in (Path(problem.file).name, problem.sheet, problem.cell) if x
                )
                self.note(f"  {where}: {problem.message}", "ERROR")
            for job in due:
                message = _("{period}: failed: {reason}").format(
                    period=job.title(), reason=_("the inputs have rows with errors")
                )
                results.append(JobResult(job, "failed", message=message))
                self._emit(Progress("done", message, failed=True), "ERROR")
            return results
        for job in due:
            self._emit(Progress("start", job.title()))
            try:
                outcome = self.make(job)
            except (ReportgenError, OSError) as exc:
                reason = str(exc) if isinstance(exc, ReportgenError) else repr(exc)
                message = _("{period}: failed: {reason}").format(period=job.title(), reason=reason)
                outcome = JobResult(job, "failed", message=message)
            except Exception as exc:  # a bug: log it whole, go on with the other reports
                if self.log is not None:
                    self.log.write("ERROR", traceback.format_exc())
                message = _("{period}: failed: {reason}").format(
                    period=job.title(), reason=repr(exc)
                )
                outcome = JobResult(job, "failed", message=message)
            results.append(outcome)
            failed = outcome.outcome == "failed"
            self._emit(
                Progress("done", outcome.message, failed=failed), "ERROR" if failed else "INFO"
            )
            if lock is not None:
                lock.refresh()
        with contextlib.suppress(OSError):
            (self.outputs / STAGING).rmdir()
        return results


@contextlib.contextmanager
def _logging(runner: Runner) -> Iterator[RunLog]:
    log = RunLog(runner.outputs / LOGS)
    runner.log = log
    try:
        yield log
    finally:
        runner.log = None
        log.close()


def run(
    config: Config,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    lock_wait: float | None = None,
    stale_lock_after: float = STALE_LOCK_SECONDS,
    observer: Observer | None = None,
) -> RunResult:
    """Make every due report of ``config``'s working folder (see the module documentation).

    ``dry_run`` only plans: the result's ``jobs`` say what would be made and why; nothing is
    written and no lock is taken. Problems of the program or its set-up that concern every
    report (a template not found) are raised as :class:`ReportgenError`; a busy lock and
    failed reports are in the result.
    """
    from . import __version__

    today = today or dt.date.today()
    runner = Runner(config, today, observer)
    result = RunResult(today, dry_run=dry_run)
    if dry_run:
        result.jobs = runner.plan()
        return result
    wait = config.schedule.lock_wait if lock_wait is None else lock_wait
    with _logging(runner) as log:
        result.log = log.path
        runner.note(
            _("reportgen {version} run in {folder} (today {today}, process {pid}).").format(
                version=__version__, folder=config.root, today=today.isoformat(), pid=os.getpid()
            )
        )

        def waiting(holder: LockInfo | None) -> None:
            runner.note(
                _("Waiting for another run (process {pid}) to finish ...").format(
                    pid=holder.pid if holder else "?"
                )
            )

        lock = RunLock(
            config.outputs / LOCK_NAME, wait=wait, stale_after=stale_lock_after, on_wait=waiting
        )
        try:
            with lock:
                runner.cleanup()
                result.jobs = runner.plan()
                result.results = runner.execute(result.jobs, lock)
        except LockBusyError as exc:
            result.error = str(exc)
            runner.note(result.error, "ERROR")
            return result
        except ReportgenError as exc:
            runner.note(str(exc), "ERROR")
            raise
        except BaseException:
            log.write("ERROR", traceback.format_exc())
            raise
        if not result.due:
            runner.note(_("Nothing to do: {n} reports are up to date.").format(n=result.up_to_date))
        runner.note(
            _(
                "Finished: {written} written, {failed} failed, {fresh} up to date; "
                "exit code {code}."
            ).format(
                written=len(result.written),
                failed=len(result.failed),
                fresh=result.up_to_date,
                code=result.exit_code,
            ),
            "ERROR" if result.exit_code else "INFO",
        )
    return result


# --- status -----------------------------------------------------------------------------------


@dataclass
class KindStatus:
    kind: Kind
    last: Period | None  # the latest period with a manifest
    last_generated_at: str
    next: Period  # the next report to make
    next_deadline: dt.date
    overdue: list[Job] = field(default_factory=list)  # never made, deadline passed
    waiting: list[Job] = field(default_factory=list)  # closed, never made, not yet late
    stale: list[Job] = field(default_factory=list)  # made, but its sources changed
    edited: list[Path] = field(default_factory=list)  # up-to-date outputs a person changed


@dataclass
class StatusResult:
    today: dt.date
    kinds: list[KindStatus]
    running: LockInfo | None = None


def _manifests(outputs: Path) -> list[Manifest]:
    folder = outputs / MANIFESTS
    found = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError, ReportgenError):
                found.append(Manifest.from_dict(json.loads(path.read_text(encoding="utf-8"))))
    return found


def status(config: Config, *, today: dt.date | None = None) -> StatusResult:
    """Per configured report kind: the last period made, the next one due and its deadline,
    and what is overdue or stale. Reads only; takes no lock."""
    today = today or dt.date.today()
    runner = Runner(config, today)
    rule = config.rule
    jobs = runner.plan()
    made = _manifests(config.outputs)
    kinds = []
    for kind in config.schedule.kinds:
        of_kind = [j for j in jobs if j.period.kind == kind]
        mine = [m for m in made if m.period.kind == kind and _end(m.period, rule) < today]
        last = max(mine, key=lambda m: _end(m.period, rule), default=None)
        never = [j for j in of_kind if not j.generated]
        overdue = [j for j in never if j.deadline < today]
        waiting = [j for j in never if j.deadline >= today]
        upcoming = waiting[0].period if waiting else open_period(kind, rule, today)
        kinds.append(
            KindStatus(
                kind=kind,
                last=last.period if last else None,
                last_generated_at=last.generated_at if last else "",
                next=upcoming,
                next_deadline=deadline(upcoming, config.schedule, rule),
                overdue=overdue,
                waiting=waiting,
                stale=[j for j in of_kind if j.generated and j.due],
                edited=[p for j in of_kind if not j.due for p in j.kept.values()],
            )
        )
    found = RunLock(config.outputs / LOCK_NAME, wait=0).current()
    return StatusResult(today, kinds, running=found[0] if found else None)
