"""Benchmarks of reportgen (issue #6): every figure measured side by side in one run.

    python bench/run.py                          # everything; about 8 minutes after the first run
    python bench/run.py --quick                  # small sizes, a smoke test of every section
    python bench/run.py --only startup,report    # some sections only (or --skip growth,batch)
    python bench/run.py --markdown out.md        # also write the summary table as markdown

Sections (``--only``/``--skip`` take these names):

startup   wall time of ``reportgen --help`` (the console script next to this interpreter, run
          by this interpreter; ``python -m reportgen --help`` for information) against
          ``python -c "import typer"``; medians of interleaved runs. Target <= 1.5x.
validate  (a) python-calamine reading every value of the events sheet against (b)
          ``reportgen.validate([p])``, median of N interleaved runs, on ``--rows`` rows (100,000;
          10,000 with --quick). Target b/a <= 1.5x.
report    ``reportgen.render.render_docx`` of one monthly Word report (default template, context
          built as ``reportgen generate`` builds it) against writing the same .docx zip with
          zipfile; median of >= 7 interleaved runs.
memory    peak resident memory of a fresh process validating 1 file, 3 copies of it and one file
          holding the same rows three times (``--rows``), and one 1,000,000-row file
          (``--large-rows``). Targets: 3 files use no more than 1 file of the same rows;
          1,000,000 rows < 1 GiB.
growth    time of ``reportgen.validate`` and peak memory for 10,000, 100,000 and 1,000,000 rows,
          each in a fresh process, with the cost per row, to show whether cost grows linearly.
batch     batch rendering, from bench/batch.py (``measure(quick)``) when that file exists.

A summary table with every figure (value, ratio, target, met or not) ends the output, after the
machine and the date. Workbooks come from bench/generate.py and are cached in bench/.cache/
(git-ignored) by rows, seed and the generator's source, so only the first run pays for writing
them (about 2 minutes for 1,000,000 rows).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
SHEET = "Sự kiện"

TARGET = 1.5  # validate: at most 1.5x a plain python-calamine read
STARTUP_TARGET = 1.5  # `reportgen --help`: at most 1.5x `python -c "import typer"`
MEMORY_LIMIT_MIB = 1024.0  # validating 1,000,000 rows: under 1 GiB
# 3 files: no more memory than 1 file holding the same rows, give or take 10% (the buffers of
# one open workbook, and noise: at 10,000 rows the two differ by a few MiB either way).
FILES_TARGET = 1.1
REPORT_TARGET: float | None = None  # the issue names no target for one report: shown for info
REPORT_ROWS = 10_000  # the input of the one-report measurement (cached, shared with --quick)
REPORT_PERIOD = "2025-10"
REPORT_DATE = dt.date(2025, 11, 5)  # fixed, so the report is the same in every run

SECTIONS = ("startup", "validate", "report", "memory", "growth", "batch")

sys.path.insert(0, str(HERE))
sys.path.append(str(ROOT))  # an installed reportgen, or one on PYTHONPATH, comes first

import generate  # noqa: E402  (bench/generate.py)


@dataclass
class Figure:
    """One line of the summary table."""

    label: str
    value: str
    ratio: str = ""
    target: str = ""
    verdict: str = ""  # "met", "NOT met", or "" for figures given for information


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _section(title: str) -> None:
    print()
    print(f"== {title} " + "=" * max(0, 88 - len(title)), flush=True)


# --------------------------------------------------------------------------------------------
# Workbooks


def _generator_tag() -> str:
    digest = hashlib.sha256((HERE / "generate.py").read_bytes())
    digest.update(generate.PROVINCES_CSV.read_bytes())
    return digest.hexdigest()[:8]


def workbook(rows: int, seed: int, repeat: int = 1, shared: bool = False) -> Path:
    """The cached workbook of ``rows`` generated rows (written ``repeat`` times over); text
    inline as openpyxl writes it, or ``shared`` in a shared-strings part as Excel saves it."""
    CACHE.mkdir(parents=True, exist_ok=True)
    suffix = (f"x{repeat}" if repeat > 1 else "") + ("-excel" if shared else "")
    tag = _generator_tag()
    for stale in CACHE.glob("events-*.xlsx"):
        if not stale.stem.endswith(f"-{tag}"):
            stale.unlink()  # written by an older generate.py
    path = CACHE / f"events-r{rows}{suffix}-s{seed}-{tag}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        print(f"  generating {path.relative_to(ROOT)} ...", end=" ", flush=True)
        tmp = path.with_suffix(".tmp.xlsx")
        # One pass streams the rows (flat memory at a million rows); repeating needs them kept.
        data = generate.iter_rows(rows, seed) if repeat == 1 else generate.make_rows(rows, seed)
        generate.write_rows(tmp, data, repeat=repeat)
        if shared:
            inline = tmp.with_suffix(".inline.xlsx")
            tmp.replace(inline)
            generate.share_strings(inline, tmp)
            inline.unlink()
        tmp.replace(path)
        print(f"{time.perf_counter() - started:.1f} s", flush=True)
    return path


# --------------------------------------------------------------------------------------------
# Timing


def plain_read(path: Path) -> int:
    """What python-calamine needs just to read every value of the events sheet."""
    from python_calamine import CalamineWorkbook

    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    return len(values)


def median_time(func: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
        del result
    return statistics.median(times), times


def _time_validate_rows(path: Path, schema: Any, runs: int) -> float:
    from reportgen.read import read_inputs
    from reportgen.validate import validate_rows

    rows = read_inputs([path], schema).rows
    return median_time(lambda: paused(validate_rows, rows, schema), runs)[0]


def paused(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` with the collector paused, as reportgen.validate runs its two steps."""
    from reportgen.api import collector_paused

    with collector_paused():
        return func(*args)


def measure_speed(path: Path, runs: int) -> dict[str, Any]:
    from reportgen import api, validate
    from reportgen.read import read_inputs
    from reportgen.schema import default_schema

    schema = default_schema()
    # Warm up: imports, the schema, the province table, the OS file cache.
    plain_read(path)
    warm = validate([path])
    counts = warm.report.counts
    info = {
        "rows_read": counts.read,
        "used": counts.used,
        "invalid": counts.invalid,
        "duplicates": counts.duplicates,
        "errors": len(warm.report.errors),
        "warnings": len(warm.report.warnings),
    }
    del warm
    # Interleave the two measurements so that a slow moment of the machine hits both.
    a_times, b_times = [], []
    for _ in range(runs):
        a_times.extend(median_time(lambda: plain_read(path), 1)[1])
        b_times.extend(median_time(lambda: validate([path]), 1)[1])
    split_read = median_time(lambda: paused(read_inputs, [path], schema), runs)[0]
    split_validate = _time_validate_rows(path, schema, runs)

    # validate() pauses the cyclic collector while it builds the result; for information,
    # the same call with that pause taken out.
    with mock.patch.object(api, "collector_paused", contextlib.nullcontext):
        with_gc = median_time(lambda: validate([path]), runs)[0]
    return {
        "a": statistics.median(a_times),
        "b": statistics.median(b_times),
        "a_times": a_times,
        "b_times": b_times,
        "read_inputs": split_read,
        "validate_rows": split_validate,
        "with_gc": with_gc,
        **info,
    }


# The two ways a workbook of the same rows is stored: as openpyxl (and other programs) write
# it, each text inline in the sheet with non-ASCII letters as character references, and as
# Excel saves it, each distinct text once in a shared-strings part. python-calamine reads the
# second about twice as fast, so the ratio to it differs.
KINDS = {
    False: "text inline, as openpyxl writes it",
    True: "shared strings, as Excel saves it",
}


def section_validate(rows: int, seed: int, runs: int) -> list[Figure]:
    figures = []
    for shared, kind in KINDS.items():
        figures += validate_one(workbook(rows, seed, shared=shared), rows, runs, kind, shared)
    return figures


def validate_one(path: Path, rows: int, runs: int, kind: str, shared: bool) -> list[Figure]:
    _section(f"validate: reportgen.validate vs a plain python-calamine read, {rows:,} rows")
    print(
        f"workbook  {path.relative_to(ROOT)} ({path.stat().st_size / 1024**2:.1f} MiB), "
        f"{rows:,} data rows x {len(generate.HEADERS)} columns (STT + 20 data columns), {kind}"
    )
    speed = measure_speed(path, runs)
    print(
        f"validate  rows read {speed['rows_read']:,} = used {speed['used']:,} + invalid "
        f"{speed['invalid']:,} + duplicates {speed['duplicates']:,}; "
        f"{speed['errors']:,} errors, {speed['warnings']:,} warnings"
    )
    print()
    width = 52
    print(f"{'measurement (median of ' + str(runs) + ' runs)':<{width}} {'seconds':>9}")
    print("-" * (width + 10))
    print(f"{'(a) python-calamine: read all values of the sheet':<{width}} {speed['a']:>9.3f}")
    print(f"{'(b) reportgen.validate([file])':<{width}} {speed['b']:>9.3f}")
    print(
        f"{'      of which read_inputs (sheet, header, rows)':<{width}} "
        f"{speed['read_inputs']:>9.3f}"
    )
    print(
        f"{'      of which validate_rows (values, duplicates)':<{width}} "
        f"{speed['validate_rows']:>9.3f}"
    )
    print(
        f"{'      (b) without its collector pause, for information':<{width}} "
        f"{speed['with_gc']:>9.3f}"
    )
    ratio = speed["b"] / speed["a"]
    print("-" * (width + 10))
    print(
        f"{'ratio b/a':<{width}} {ratio:>8.2f}x   target <= {TARGET}x: {_verdict(ratio <= TARGET)}"
    )
    print(f"  runs (a): {', '.join(f'{t:.3f}' for t in speed['a_times'])}")
    print(f"  runs (b): {', '.join(f'{t:.3f}' for t in speed['b_times'])}")
    short = "Excel" if shared else "inline"
    return [
        Figure(
            f"validate {rows:,} rows ({short}): (a) python-calamine read", f"{speed['a']:.3f} s"
        ),
        Figure(
            f"validate {rows:,} rows ({short}): (b) reportgen.validate",
            f"{speed['b']:.3f} s",
            f"{ratio:.2f}x (b/a)",
            f"<= {TARGET}x",
            _verdict(ratio <= TARGET),
        ),
    ]


# --------------------------------------------------------------------------------------------
# Start-up: `reportgen --help` against `import typer`, each a new interpreter.


def help_commands() -> tuple[list[str], str]:
    """The command that runs ``reportgen --help`` with this interpreter, and how it is run."""
    script = Path(sys.executable).parent / "reportgen"
    try:
        is_python_script = script.is_file() and script.read_bytes()[:2] == b"#!"
    except OSError:
        is_python_script = False
    if is_python_script:
        # The installed console script, run by this interpreter rather than by its shebang line,
        # so that both sides of the comparison certainly use the same Python.
        return [sys.executable, str(script), "--help"], f"console script {script}"
    # Windows installs an .exe launcher that this interpreter cannot run: the module instead.
    return [sys.executable, "-m", "reportgen", "--help"], "python -m reportgen --help"


def _startup_env() -> tuple[dict[str, str], str]:
    """The children's environment, and a note on bytecode caching for the output.

    An installed package starts from compiled bytecode. Where bytecode writing is switched
    off (PYTHONDONTWRITEBYTECODE, common in containers and CI) every start would compile
    reportgen's sources again, which is not what users see; the children write theirs under
    bench/.cache/pycache instead, so the source tree stays clean and the warm-up fills it.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (reportgen_home(), os.environ.get("PYTHONPATH")) if p
    )
    note = "bytecode cached as usual"
    if env.pop("PYTHONDONTWRITEBYTECODE", None) or sys.flags.dont_write_bytecode:
        env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
        note = "PYTHONDONTWRITEBYTECODE was set: bytecode cached under bench/.cache/pycache"
    return env, note


def _wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True, env=env)
    return time.perf_counter() - started


def section_startup(runs: int) -> list[Figure]:
    _section('startup: `reportgen --help` vs `python -c "import typer"`, new interpreters')
    help_command, how = help_commands()
    commands = {
        "typer": [sys.executable, "-c", "import typer"],
        "help": help_command,
        "module": [sys.executable, "-m", "reportgen", "--help"],
        "bare": [sys.executable, "-c", "pass"],
    }
    env, note = _startup_env()
    for command in commands.values():  # warm-up: bytecode, OS file cache
        for _ in range(2):
            _wall(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so that a busy moment of the machine hits all of them
        for name, command in commands.items():
            times[name].append(_wall(command, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio = median["help"] / median["typer"]
    module_ratio = median["module"] / median["typer"]
    print(f"interpreter {sys.executable}; {note}")
    print(f"reportgen --help runs the {how}")
    width = 52
    print(f"{'command (median of ' + str(runs) + ' runs)':<{width}} {'ms':>8} {'ratio':>7}")
    print("-" * (width + 17))
    rows = [
        ('python -c "pass" (the interpreter alone)', "bare"),
        ('python -c "import typer"', "typer"),
        ("reportgen --help", "help"),
        ("python -m reportgen --help (information)", "module"),
    ]
    for label, name in rows:
        print(
            f"{label:<{width}} {median[name] * 1000:>8.1f} {median[name] / median['typer']:>6.2f}x"
        )
    print("-" * (width + 17))
    print(
        f"target reportgen --help <= {STARTUP_TARGET}x import typer: "
        f"{_verdict(ratio <= STARTUP_TARGET)}"
    )
    for label, name in rows[1:3]:
        print(f"  runs {label}: {', '.join(f'{t * 1000:.0f}' for t in times[name])} ms")
    return [
        Figure('startup: python -c "import typer"', f"{median['typer'] * 1000:.1f} ms"),
        Figure(
            "startup: reportgen --help",
            f"{median['help'] * 1000:.1f} ms",
            f"{ratio:.2f}x import typer",
            f"<= {STARTUP_TARGET}x",
            _verdict(ratio <= STARTUP_TARGET),
        ),
        Figure(
            "startup: python -m reportgen --help (info)",
            f"{median['module'] * 1000:.1f} ms",
            f"{module_ratio:.2f}x import typer",
        ),
    ]


# --------------------------------------------------------------------------------------------
# One report: render_docx against writing the same zip.


def report_context(path: Path) -> tuple[Path, dict[str, Any], int]:
    """The default Word template and one monthly report's context, as `generate` builds them."""
    import reportgen
    from reportgen import api
    from reportgen.config import load_config
    from reportgen.period import parse_period
    from reportgen.schema import load_schema
    from reportgen.scope import resolve_selection

    config = load_config(Path(reportgen.__file__).parent / "data" / "reportgen.toml")
    schema = load_schema(config.schema)
    validation = reportgen.validate([path], schema)
    prepared = api._prepare(  # exactly what api.generate does before it writes
        parse_period(REPORT_PERIOD),
        config=config,
        schema=schema,
        validation=validation,
        templates=None,
        allow_invalid=True,
        report_date=REPORT_DATE,
        rule=config.rule,
        selection=resolve_selection(config_region=config.committee.region),
    )
    assert prepared.context is not None and prepared.word is not None
    return prepared.word, prepared.context, len(prepared.context["events"])


def write_zip(entries: Sequence[tuple[str, bytes]], target: Path) -> None:
    """The floor of writing a .docx: its parts, already in memory, into a new deflated zip."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)


def section_report(seed: int, runs: int) -> list[Figure]:
    from reportgen.render import render_docx

    _section(f"report: one monthly Word report ({REPORT_PERIOD}) vs writing the same .docx zip")
    path = workbook(REPORT_ROWS, seed)
    template, context, events = report_context(path)  # once, outside the timing
    work = Path(tempfile.mkdtemp(prefix="reportgen-bench-report-"))
    try:
        produced = work / "report.docx"
        render_docx(template, context, produced)  # warm-up; its entries are the zip's content
        with zipfile.ZipFile(produced) as archive:
            entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
        copies = []
        for number in range(runs):
            # A template file the compiled-template cache (wordfile.py) has not seen, so the
            # "one report" figure pays for compiling it, as one `reportgen generate` does.
            copy = work / f"template-{number}.docx"
            shutil.copyfile(template, copy)
            copies.append(copy)
        zip_times, cold_times, warm_times = [], [], []
        for number in range(runs):  # interleaved
            zip_times.extend(median_time(lambda: write_zip(entries, work / "zip.docx"), 1)[1])
            cold = copies[number]  # a fresh copy each run: the compile cache misses
            cold_times.extend(
                median_time(functools.partial(render_docx, cold, context, work / "cold.docx"), 1)[1]
            )
            warm_times.extend(
                median_time(lambda: render_docx(template, context, work / "warm.docx"), 1)[1]
            )
        size = produced.stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)
    zip_s, cold_s, warm_s = (statistics.median(t) for t in (zip_times, cold_times, warm_times))
    ratio, warm_ratio = cold_s / zip_s, warm_s / zip_s
    print(
        f"input     {path.relative_to(ROOT)}; {events:,} events in the report; template "
        f"{template.name}; output {size / 1024:.0f} KiB, {len(entries)} zip entries"
    )
    width = 60
    print(f"{'measurement (median of ' + str(runs) + ' runs)':<{width}} {'ms':>9} {'ratio':>7}")
    print("-" * (width + 18))
    for label, seconds in (
        ("write the same entries into a new zip (ZIP_DEFLATED)", zip_s),
        ("render_docx, template compiled (one `reportgen generate`)", cold_s),
        ("render_docx, template already compiled (as in a batch)", warm_s),
    ):
        print(f"{label:<{width}} {seconds * 1000:>9.1f} {seconds / zip_s:>6.2f}x")
    print(f"  runs zip:    {', '.join(f'{t * 1000:.0f}' for t in zip_times)} ms")
    print(f"  runs render: {', '.join(f'{t * 1000:.0f}' for t in cold_times)} ms")
    target = f"<= {REPORT_TARGET}x" if REPORT_TARGET is not None else "none set"
    verdict = _verdict(ratio <= REPORT_TARGET) if REPORT_TARGET is not None else ""
    return [
        Figure("report: write the .docx zip only", f"{zip_s * 1000:.1f} ms"),
        Figure(
            f"report: render_docx, {events:,} events (compiles template)",
            f"{cold_s * 1000:.1f} ms",
            f"{ratio:.2f}x zip write",
            target,
            verdict,
        ),
        Figure(
            "report: render_docx, compiled template reused (info)",
            f"{warm_s * 1000:.1f} ms",
            f"{warm_ratio:.2f}x zip write",
        ),
    ]


# --------------------------------------------------------------------------------------------
# Memory and growth: each measurement in a fresh process, which reports its own peak resident
# set size, the size before validating, and the time `reportgen.validate` took.

_CHILD = r"""
import json, sys, time
from pathlib import Path
import python_calamine, reportgen, reportgen.api  # the library's imports, not the file's cost
args = sys.argv[2:]
if args[:1] == ["--whole"]:  # read every sheet whole, however large (the memory control)
    import reportgen.sheetxml
    reportgen.sheetxml.WHOLE_SHEET_BYTES = 1 << 62
    args = args[1:]
paths = [Path(p) for p in args]
if Path(reportgen.__file__).resolve().parent.parent != Path(sys.argv[1]):
    sys.exit(f"imported {reportgen.__file__}, expected the one under {sys.argv[1]}")

def peak_bytes():
    try:  # Linux: the high-water mark of this process's own memory, not inherited from the parent
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024   # bytes on macOS, else KiB
    except ImportError:
        try:
            import psutil
            info = psutil.Process().memory_info()
            return getattr(info, "peak_wset", None) or info.rss
        except ImportError:
            return None

before = peak_bytes()
rows = seconds = None
if paths:
    started = time.perf_counter()
    result = reportgen.validate(paths)
    seconds = time.perf_counter() - started
    rows = result.report.counts.read
print(json.dumps({"peak": peak_bytes(), "before": before, "rows": rows, "seconds": seconds}))
"""


# The floor at each size for the growth table: python-calamine reading every value of the
# sheet, in a fresh process as well, so both sides start from the same state.
_PLAIN_CHILD = r"""
import sys, time
from python_calamine import CalamineWorkbook
started = time.perf_counter()
CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name(sys.argv[2]).to_python()
print(time.perf_counter() - started)
"""


def plain_read_child(path: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PLAIN_CHILD, str(path), SHEET],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


@dataclass
class Child:
    """What one fresh process validating some files reported."""

    peak_mib: float | None
    before_mib: float | None  # after the imports, before validating
    rows: int | None
    seconds: float | None


def reportgen_home() -> str:
    """The folder holding the reportgen package this process imports (installed or not)."""
    import reportgen

    return str(Path(reportgen.__file__).resolve().parent.parent)


_children: dict[tuple[str, ...], Child] = {}


def run_child(paths: list[Path], whole: bool = False) -> Child:
    """A new interpreter that imports reportgen and validates ``paths`` (remembered per paths:
    the 1,000,000-row process serves both the memory and the growth sections); ``whole``
    reads every sheet whole, even one reportgen would read in pieces."""
    key = (*(["--whole"] if whole else []), *map(str, paths))
    if key in _children:
        return _children[key]
    home = reportgen_home()  # the child imports the same reportgen as this process
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (home, os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, home, *key],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
        env=env,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])

    def mib(value: int | None) -> float | None:
        return value / 1024**2 if value else None

    child = Child(mib(data["peak"]), mib(data["before"]), data["rows"], data["seconds"])
    _children[key] = child
    return child


def peak_memory(paths: list[Path], whole: bool = False) -> tuple[float | None, int | None]:
    """Peak RSS in MiB of a new interpreter that imports reportgen and validates ``paths``."""
    child = run_child(paths, whole)
    return child.peak_mib, child.rows


def measure_memory(path: Path, tripled: Path | None) -> list[tuple[str, float | None, int | None]]:
    out = [("interpreter + imports, no file", *peak_memory([]))]
    out.append(("1 file", *peak_memory([path])))
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        copies = []
        for n in range(1, 4):
            copy = Path(tmp) / f"don-vi-{n}.xlsx"
            shutil.copyfile(path, copy)
            copies.append(copy)
        out.append(("3 copies of the file", *peak_memory(copies)))
    if tripled is not None:
        # The control reads its sheet whole, as each copy is read: the comparison is about the
        # number of files, not about reading in pieces, which reportgen does for this sheet.
        out.append(
            ("1 file holding the same rows 3 times, read whole", *peak_memory([tripled], True))
        )
        out.append(("  the same, read in pieces as reportgen does (info)", *peak_memory([tripled])))
    return out


def section_memory(
    path: Path, rows: int, tripled: Path | None, larges: dict[bool, Path], large_rows: int
) -> list[Figure]:
    _section(f"memory: peak resident memory, each in a fresh process ({rows:,}-row file)")
    results = measure_memory(path, tripled)
    width = 52
    print(f"{'input':<{width}} {'MiB':>9} {'rows read':>10}")
    print("-" * (width + 21))
    for label, mib, count in results:
        shown = f"{mib:9.1f}" if mib is not None else f"{'n/a':>9}"
        counted = f"{count:,}" if count is not None else "-"
        print(f"{label:<{width}} {shown} {counted:>10}")
    figures = []
    peaks = [mib for _label, mib, _count in results if mib is not None]
    if len(peaks) == len(results) >= 3 and peaks[1] > peaks[0]:
        base, one, three = peaks[0], peaks[1], peaks[2]
        print(
            f"  above the bare interpreter: 1 file {one - base:.1f} MiB, "
            f"3 copies {three - base:.1f} MiB ({(three - base) / (one - base):.2f}x)"
        )
        figures.append(
            Figure(
                f"memory: 3 copies of a {rows:,}-row file",
                f"{three:.1f} MiB",
                f"{(three - base) / (one - base):.2f}x 1 file",
            )
        )
        if len(peaks) >= 4:
            same = peaks[3] - base
            files_ratio = (three - base) / same
            print(
                f"  same rows in 1 file: {same:.1f} MiB "
                f"(3 files / 1 file of the same rows: {files_ratio:.2f}x)"
            )
            figures.append(
                Figure(
                    "memory: 3 files vs 1 file of the same rows",
                    f"{three - base:.1f} vs {same:.1f} MiB",
                    f"{files_ratio:.2f}x",
                    f"<= {FILES_TARGET}x",
                    _verdict(files_ratio <= FILES_TARGET),
                )
            )
    for shared, large in larges.items():
        figures.append(large_memory(large, large_rows, shared))
    return figures


def large_memory(large: Path, large_rows: int, shared: bool) -> Figure:
    """Peak memory validating the large workbook, against the 1 GiB target."""
    width = 52
    print()
    print(f"  validating {large_rows:,} rows, {KINDS[shared]} ({large.relative_to(ROOT)}) ...")
    child = run_child([large])
    short = "Excel" if shared else "inline"
    if child.peak_mib is None:
        print("  peak memory n/a on this system")
        return Figure(f"memory: validate {large_rows:,} rows ({short})", "n/a")
    ok = child.peak_mib < MEMORY_LIMIT_MIB
    applies = large_rows == 1_000_000
    print(
        f"{'1 file of ' + f'{large_rows:,}' + ' rows':<{width}} {child.peak_mib:9.1f} "
        f"{child.rows or 0:>10,}"
    )
    print(
        f"  target < {MEMORY_LIMIT_MIB:.0f} MiB at 1,000,000 rows: "
        + (_verdict(ok) if applies else "applies to 1,000,000 rows only")
    )
    return Figure(
        f"memory: validate {large_rows:,} rows ({short}), peak",
        f"{child.peak_mib:.1f} MiB",
        f"{child.peak_mib / MEMORY_LIMIT_MIB:.2f}x 1 GiB",
        f"< 1 GiB{'' if applies else ' at 1M rows'}",
        _verdict(ok) if applies else "",
    )


def section_growth(sizes: list[int], seed: int) -> list[Figure]:
    _section("growth: reportgen.validate by size, each in a fresh process")
    measured: list[tuple[int, Child, float]] = []
    for rows in sizes:
        path = workbook(rows, seed)
        print(f"  validating {rows:,} rows ...", end=" ", flush=True)
        child = run_child([path])
        print(f"{child.seconds or 0:.1f} s; python-calamine read ...", end=" ", flush=True)
        plain = plain_read_child(path)
        print(f"{plain:.1f} s", flush=True)
        measured.append((rows, child, plain))
    print()
    print(
        f"{'rows':>10} {'seconds':>9} {'us/row':>8} {'calamine s':>11} {'ratio':>6} "
        f"{'peak MiB':>9} {'MiB above imports':>18} {'KiB/row':>8}"
    )
    print("-" * 86)
    figures = []
    per_row: list[tuple[float, float | None]] = []
    for rows, child, plain in measured:
        seconds = child.seconds or 0.0
        above = (
            child.peak_mib - child.before_mib
            if child.peak_mib is not None and child.before_mib is not None
            else None
        )
        kib_row = above * 1024 / rows if above is not None else None
        per_row.append((seconds / rows, kib_row))
        print(
            f"{rows:>10,} {seconds:>9.2f} {seconds / rows * 1e6:>8.1f} {plain:>11.2f} "
            f"{seconds / plain:>5.2f}x {child.peak_mib or 0:>9.1f} {above or 0:>18.1f} "
            f"{kib_row if kib_row is not None else 0:>8.2f}"
        )
        figures.append(
            Figure(
                f"growth: validate {rows:,} rows",
                f"{seconds:.2f} s, {child.peak_mib or 0:.0f} MiB",
                f"{seconds / rows * 1e6:.1f} us/row, "
                + (f"{kib_row:.2f} KiB/row" if kib_row is not None else "n/a")
                + f"; {seconds / plain:.2f}x a calamine read ({plain:.2f} s)",
            )
        )
    if len(per_row) >= 2:
        first, last = per_row[0], per_row[-1]
        time_growth = last[0] / first[0]
        memory_growth = last[1] / first[1] if last[1] and first[1] else None
        print(
            f"  cost per row, {sizes[-1]:,} rows / {sizes[0]:,} rows: time {time_growth:.2f}x"
            + (f", memory {memory_growth:.2f}x" if memory_growth else "")
            + " (1.00x is linear growth)"
        )
        figures.append(
            Figure(
                f"growth: cost per row, {sizes[-1]:,} / {sizes[0]:,} rows",
                f"time {time_growth:.2f}x"
                + (f", memory {memory_growth:.2f}x" if memory_growth else ""),
                "",
                "~1x (linear)",
            )
        )
    return figures


# --------------------------------------------------------------------------------------------
# Batch rendering.
# >>> Plug-in point: bench/batch.py, owned by the engineer of batch rendering, provides
# >>>     measure(quick: bool) -> list[tuple[str, str]]
# >>> (rows of label and value, verdict included in the value). Its rows go into the summary as
# >>> they are. Nothing else here needs to change when the module appears or changes.


def section_batch(quick: bool) -> list[Figure]:
    _section("batch: rendering many reports (bench/batch.py)")
    if not (HERE / "batch.py").is_file():
        print("  bench/batch.py not present: skipped")
        return [Figure("batch render", "not measured (bench/batch.py not present)")]
    import batch  # bench/batch.py

    rows: list[tuple[str, str]] = batch.measure(quick)
    width = max((len(label) for label, _value in rows), default=0)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return [Figure(label, value) for label, value in rows]


# --------------------------------------------------------------------------------------------
# Report


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _ram() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024**2:.1f} GiB RAM"
    except OSError:
        pass
    try:
        return f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3:.1f} GiB RAM"
    except (AttributeError, OSError, ValueError):
        return "RAM unknown"


def machine() -> list[str]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):  # not on Windows
        load = "load average n/a"
    try:
        usable = f", {len(os.sched_getaffinity(0))} usable"
    except AttributeError:
        usable = ""
    libc = " ".join(part for part in platform.libc_ver() if part)
    libraries = ", ".join(
        f"{name} {_version(name)}"
        for name in (
            "python-calamine",
            "openpyxl",
            "python-docx",
            "docxtpl",
            "jinja2",
            "lxml",
            "typer",
        )
    )
    return [
        f"date      {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine   {platform.platform()}{' (' + libc + ')' if libc else ''}",
        f"          {cpu or platform.machine()}; {os.cpu_count()} CPUs{usable}; {_ram()}",
        f"          {load} at the start (other work on the machine skews the timings)",
        f"python    {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable})",
        f"libraries {libraries}",
        f"reportgen {_version('reportgen')} from {reportgen_home()}",
    ]


def print_summary(figures: list[Figure]) -> None:
    _section("summary")
    headers = ("figure", "value", "ratio", "target", "result")
    cells = [(f.label, f.value, f.ratio, f.target, f.verdict) for f in figures]
    # A long value (a list of files, say) overflows its own line instead of widening them all.
    caps = (56, 36, 28, 16, 8)
    widths = [
        min(cap, max(len(h), *(len(c[i]) for c in cells)))
        for i, (h, cap) in enumerate(zip(headers, caps, strict=True))
    ]
    line = "  ".join(f"{h:<{w}}" for h, w in zip(headers, widths, strict=True)).rstrip()
    print(line)
    print("-" * len(line))
    for row in cells:
        print("  ".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)).rstrip())


def write_markdown(target: Path, about: list[str], figures: list[Figure], argv: list[str]) -> None:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# reportgen benchmark",
        "",
        f"Command: `{' '.join(['python', 'bench/run.py', *argv])}`",
        "",
        "```",
        *about,
        "```",
        "",
        "| figure | value | ratio | target | result |",
        "|---|---:|---:|---|---|",
        *(
            f"| {cell(f.label)} | {cell(f.value)} | {cell(f.ratio)} | {cell(f.target)} | "
            f"{cell(f.verdict)} |"
            for f in figures
        ),
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    return names


def _sizes(text: str) -> list[int]:
    try:
        return [int(n.replace("_", "")) for n in text.split(",") if n.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are whole numbers, e.g. 10000,100000") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="sections: " + ", ".join(SECTIONS),
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and fewer runs: every section in about a minute",
    )
    parser.add_argument("--only", type=_names, help="comma-separated sections to run")
    parser.add_argument("--skip", type=_names, default=[], help="comma-separated sections to skip")
    parser.add_argument(
        "--rows", type=int, default=None, help="rows of the validate and memory sections (100000)"
    )
    parser.add_argument(
        "--large-rows",
        type=int,
        default=None,
        help="rows of the peak-memory target (1000000; --quick 40000)",
    )
    parser.add_argument(
        "--growth-rows",
        type=_sizes,
        default=None,
        help="sizes of the growth table (10000,100000,1000000; --quick 2500,10000,40000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs per measurement (median; default 5, 3 quick)"
    )
    parser.add_argument("--no-memory", action="store_true", help="same as --skip memory")
    parser.add_argument(
        "--no-tripled",
        action="store_true",
        help="skip the 3x-rows single-file control of the memory section",
    )
    parser.add_argument("--markdown", type=Path, help="also write the summary table to this file")
    args = parser.parse_args(argv)
    quick = args.quick
    rows = args.rows or (10_000 if quick else 100_000)
    large_rows = args.large_rows or (40_000 if quick else 1_000_000)
    sizes = args.growth_rows or ([2_500, 10_000, 40_000] if quick else [10_000, 100_000, 1_000_000])
    repeat = args.repeat or (3 if quick else 5)
    chosen = [s for s in (args.only or SECTIONS) if s not in args.skip]
    if args.no_memory and "memory" in chosen:
        chosen.remove("memory")

    print("reportgen benchmark" + (" (--quick)" if quick else ""))
    about = machine()
    for line in about:
        print(line)
    print(f"sections  {', '.join(chosen)}")

    found: dict[str, list[Figure]] = {}
    # Fresh processes first, while this one is still small: on some systems a child's peak RSS
    # counter starts from the parent's size at fork time.
    if "memory" in chosen:
        path = workbook(rows, args.seed)
        tripled = None if args.no_tripled else workbook(rows, args.seed, repeat=3)
        larges = {shared: workbook(large_rows, args.seed, shared=shared) for shared in KINDS}
        found["memory"] = section_memory(path, rows, tripled, larges, large_rows)
    if "growth" in chosen:
        found["growth"] = section_growth(sizes, args.seed)
    if "startup" in chosen:
        found["startup"] = section_startup(9 if quick else 21)
    if "validate" in chosen:
        found["validate"] = section_validate(rows, args.seed, repeat)
    if "report" in chosen:
        found["report"] = section_report(args.seed, max(7, repeat))
    if "batch" in chosen:
        found["batch"] = section_batch(quick)
    figures = [figure for name in SECTIONS for figure in found.get(name, [])]

    print()
    for line in about:
        print(line)
    print_summary(figures)
    if quick:
        print("--quick: small sizes and few runs, a smoke test; the targets apply to a full run")
    if args.markdown:
        write_markdown(args.markdown, about, figures, sys.argv[1:] if argv is None else argv)
        print(f"\nmarkdown written to {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
