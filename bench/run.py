"""Benchmark: reportgen.validate against a plain python-calamine read of the same workbook.

    python bench/run.py                 # 100,000 rows x 21 columns
    python bench/run.py --quick         # 10,000 rows, runs in seconds
    python bench/run.py --rows 50000 --repeat 7

Target (issue): ``validate`` on a 100,000-row, 20-column workbook takes at most 1.5x the time
python-calamine needs just to read that file's values, and its peak memory does not grow with
the number of files. One run prints:

(a) python-calamine reading every value of the events sheet
    (``CalamineWorkbook.from_path(p).get_sheet_by_name(...).to_python()``), median of N runs;
(b) ``reportgen.validate([p])`` (read + validate + merge duplicates), median of N runs, with the
    split between ``read_inputs`` and ``validate_rows``; then the ratio b/a against 1.5x;
(c) peak memory (max RSS) of a fresh process validating 1 file, 3 copies of it, and one file
    holding the same rows three times over, each in its own subprocess.

Workbooks come from bench/generate.py and are cached in bench/.cache/ (git-ignored) by rows, seed
and the generator's source, so only the first run pays for writing them.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
TARGET = 1.5
SHEET = "Sự kiện"

sys.path.insert(0, str(HERE))
sys.path.append(str(ROOT))  # an installed reportgen, or one on PYTHONPATH, comes first

import generate  # noqa: E402, I001  (bench/generate.py)


# --------------------------------------------------------------------------------------------
# Workbooks


def _generator_tag() -> str:
    digest = hashlib.sha256((HERE / "generate.py").read_bytes())
    digest.update(generate.PROVINCES_CSV.read_bytes())
    return digest.hexdigest()[:8]


def workbook(rows: int, seed: int, repeat: int = 1) -> Path:
    """The cached workbook of ``rows`` generated rows (written ``repeat`` times over)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    suffix = f"x{repeat}" if repeat > 1 else ""
    tag = _generator_tag()
    for stale in CACHE.glob("events-*.xlsx"):
        if not stale.stem.endswith(f"-{tag}"):
            stale.unlink()  # written by an older generate.py
    path = CACHE / f"events-r{rows}{suffix}-s{seed}-{tag}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        print(f"  generating {path.relative_to(ROOT)} ...", end=" ", flush=True)
        tmp = path.with_suffix(".tmp.xlsx")
        generate.write_rows(tmp, generate.make_rows(rows, seed), repeat=repeat)
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
    return median_time(lambda: validate_rows(rows, schema), runs)[0]


def measure_speed(path: Path, runs: int) -> dict[str, Any]:
    from reportgen import validate
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
    split_read = median_time(lambda: read_inputs([path], schema), runs)[0]
    split_validate = _time_validate_rows(path, schema, runs)

    def validate_without_gc() -> Any:
        gc.disable()
        try:
            return validate([path])
        finally:
            gc.enable()

    no_gc = median_time(validate_without_gc, runs)[0]
    return {
        "a": statistics.median(a_times),
        "b": statistics.median(b_times),
        "a_times": a_times,
        "b_times": b_times,
        "read_inputs": split_read,
        "validate_rows": split_validate,
        "no_gc": no_gc,
        **info,
    }


# --------------------------------------------------------------------------------------------
# Memory: each measurement in a fresh process, which reports its own peak resident set size.

_CHILD = r"""
import json, sys
from pathlib import Path
import python_calamine, reportgen
paths = [Path(p) for p in sys.argv[2:]]
if Path(reportgen.__file__).resolve().parent.parent != Path(sys.argv[1]):
    sys.exit(f"imported {reportgen.__file__}, expected the one under {sys.argv[1]}")
rows = None
if paths:
    result = reportgen.validate(paths)
    rows = result.report.counts.read
peak = None
try:  # Linux: the high-water mark of this process's own memory, not inherited from the parent
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
except OSError:
    pass
if peak is None:
    try:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak = peak if sys.platform == "darwin" else peak * 1024   # bytes on macOS, else KiB
    except ImportError:
        try:
            import psutil
            info = psutil.Process().memory_info()
            peak = getattr(info, "peak_wset", None) or info.rss
        except ImportError:
            pass
print(json.dumps({"peak": peak, "rows": rows}))
"""


def reportgen_home() -> str:
    """The folder holding the reportgen package this process imports (installed or not)."""
    import reportgen

    return str(Path(reportgen.__file__).resolve().parent.parent)


def peak_memory(paths: list[Path]) -> tuple[float | None, int | None]:
    """Peak RSS in MiB of a new interpreter that imports reportgen and validates ``paths``."""
    home = reportgen_home()  # the child imports the same reportgen as this process
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (home, os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, home, *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
        env=env,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    peak = data["peak"]
    return (peak / 1024**2 if peak else None), data["rows"]


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
        out.append(("1 file holding the same rows 3 times", *peak_memory([tripled])))
    return out


# --------------------------------------------------------------------------------------------
# Report


def machine() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

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
    return [
        f"date      {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine   {platform.platform()}; {cpu or platform.machine()}; {os.cpu_count()} CPUs",
        f"          {load} at the start (other work on the machine skews the timings)",
        f"python    {platform.python_implementation()} {platform.python_version()}; "
        f"python-calamine {ver('python-calamine')}; openpyxl {ver('openpyxl')}; "
        f"reportgen {ver('reportgen')} from {reportgen_home()}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="data rows (default 100000)")
    parser.add_argument("--quick", action="store_true", help="10,000 rows: runs in seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs per measurement (median; default 5, 3 quick)"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory subprocesses")
    parser.add_argument(
        "--no-tripled",
        action="store_true",
        help="skip the 3x-rows single-file control of the memory test",
    )
    args = parser.parse_args(argv)
    rows = 10_000 if args.quick else args.rows
    if args.repeat is None:
        args.repeat = 3 if args.quick else 5

    print("reportgen benchmark: validate vs. a plain python-calamine read")
    for line in machine():
        print(line)
    print(
        f"workbook  {rows:,} data rows x {len(generate.HEADERS)} columns "
        f"(STT + 20 data columns), seed {args.seed}"
    )
    path = workbook(rows, args.seed)
    tripled = None if (args.no_memory or args.no_tripled) else workbook(rows, args.seed, repeat=3)
    print(f"          {path.relative_to(ROOT)} ({path.stat().st_size / 1024**2:.1f} MiB)")

    # Memory first, while this process is still small: on some systems a child's peak RSS
    # counter starts from the parent's size at fork time.
    memory = None if args.no_memory else measure_memory(path, tripled)
    speed = measure_speed(path, args.repeat)
    print(
        f"validate  rows read {speed['rows_read']:,} = used {speed['used']:,} + invalid "
        f"{speed['invalid']:,} + duplicates {speed['duplicates']:,}; "
        f"{speed['errors']:,} errors, {speed['warnings']:,} warnings"
    )
    print()
    width = 52
    print(f"{'measurement (median of ' + str(args.repeat) + ' runs)':<{width}} {'seconds':>9}")
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
        f"{'      (b) with the cyclic GC paused, for information':<{width}} {speed['no_gc']:>9.3f}"
    )
    ratio = speed["b"] / speed["a"]
    verdict = "met" if ratio <= TARGET else "NOT met"
    print("-" * (width + 10))
    print(f"{'ratio b/a':<{width}} {ratio:>8.2f}x   target <= {TARGET}x: {verdict}")
    print(f"  runs (a): {', '.join(f'{t:.3f}' for t in speed['a_times'])}")
    print(f"  runs (b): {', '.join(f'{t:.3f}' for t in speed['b_times'])}")

    if memory is not None:
        print()
        print(f"{'peak memory, each in a fresh process':<{width}} {'MiB':>9} {'rows read':>10}")
        print("-" * (width + 21))
        results = memory
        for label, mib, count in results:
            shown = f"{mib:9.1f}" if mib is not None else f"{'n/a':>9}"
            counted = f"{count:,}" if count is not None else "-"
            print(f"{label:<{width}} {shown} {counted:>10}")
        peaks = [mib for _label, mib, _count in results if mib is not None]
        if len(peaks) == len(results) >= 3 and peaks[1] > peaks[0]:
            base, one, three = peaks[0], peaks[1], peaks[2]
            print(
                f"  above the bare interpreter: 1 file {one - base:.1f} MiB, "
                f"3 copies {three - base:.1f} MiB ({(three - base) / (one - base):.2f}x)"
            )
            if len(peaks) == 4:
                same = peaks[3] - base
                print(
                    f"  same rows in 1 file: {same:.1f} MiB "
                    f"(3 files / 1 file of the same rows: {(three - base) / same:.2f}x)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
