"""`reportgen run` and `status`: due periods, manifests, staleness, revisions, lock, log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reportgen.config import load_config
from reportgen.errors import ConfigError
from reportgen.period import Period, parse_period
from reportgen.runner import (
    LOCK_NAME,
    MANIFESTS,
    STAGING,
    RunLock,
    Runner,
    closed_periods,
    deadline,
    run,
    status,
)
from reportgen.schedule import Schedule, parse_schedule

from .conftest import event_row, write_workbook

TODAY = "2024-01-20"  # 2023-11, 2023-12 and 2024-01 (15/12/2023 - 14/01/2024) have closed


def set_schedule(folder: Path, **values: Any) -> None:
    """Replace the [schedule] section of the folder's reportgen.toml with ``values``."""
    path = folder / "reportgen.toml"
    text = path.read_text(encoding="utf-8")
    start = text.find("\n[schedule]")
    if start >= 0:
        end = text.find("\n[", start + 1)
        text = text[:start] + (text[end:] if end >= 0 else "\n")
    lines = ["", "[schedule]"]
    for key, value in values.items():
        if isinstance(value, dict):
            pairs = ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items())
            lines.append(f"{key} = {{ {pairs} }}")
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the outputs folder except the logs, with its sha256."""
    return {
        p.relative_to(folder).as_posix(): sha(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "logs" not in p.relative_to(folder).parts
    }


def run_en(invoke: Any, *args: str) -> Any:
    return invoke("--lang", "en", "run", "--today", TODAY, *args)


def add_december_event(
    folder: Path, name: str = "bo-sung.xlsx", title: str = "Hội nghị bổ sung"
) -> Path:
    return write_workbook(
        folder / "inputs" / name,
        [event_row(start=dt.date(2023, 12, 1), title=title, attendees=50, documents="")],
    )


@pytest.fixture
def months(workdir: Path) -> Path:
    """A working folder whose [schedule] makes the monthly reports since 2023-11."""
    set_schedule(workdir, kinds=["month"], since="2023-11")
    return workdir


def test_closed_periods_and_deadlines() -> None:
    """Closed periods from `since` on, or only the latest; due deadline_days after the close."""
    today = dt.date(2024, 1, 20)
    since = Schedule(kinds=("month", "quarter", "year"), since=parse_period("2023-11"))
    codes = [p.code for p in closed_periods(since, "cutoff", today)]
    assert codes == ["2023-11", "2023-12", "2023-Q4", "2023", "2024-01"]
    latest = [p.code for p in closed_periods(Schedule(), "cutoff", today)]
    assert latest == ["2023-9M", "2023-Q4", "2023-H2", "2023", "2024-01"]
    calendar = [p.code for p in closed_periods(Schedule(kinds=("month",)), "calendar", today)]
    assert calendar == ["2023-12"]
    table = parse_schedule({"deadline_days": {"month": 1, "year": 10}}, "x")
    assert deadline(Period("month", 2023, 12), table, "cutoff") == dt.date(2023, 12, 15)
    assert deadline(Period("year", 2023), table, "calendar") == dt.date(2024, 1, 10)
    assert deadline(Period("quarter", 2023, 4), table, "cutoff") == dt.date(2023, 12, 15)


@pytest.mark.parametrize(
    "table",
    [
        {"kinds": ["monthly"]},
        {"kinds": []},
        {"since": "December"},
        {"deadline_days": -1},
        {"deadline_days": {"week": 1}},
        {"keep_revisions": "3"},
        {"lock_wait": -5},
        {"allow_invalid": "yes"},
    ],
)
def test_schedule_section_is_checked(table: dict[str, Any]) -> None:
    """A wrong [schedule] value is a ConfigError naming the section."""
    with pytest.raises(ConfigError, match=r"\[schedule\]"):
        parse_schedule(table, "reportgen.toml")


def test_run_twice_does_nothing_the_second_time(months: Path, invoke: Any) -> None:
    """The first run writes the closed months with manifests; the second changes nothing."""
    first = run_en(invoke)
    assert first.exit_code == 0, first.output
    outputs = months / "outputs"
    for code in ("2023-11", "2023-12", "2024-01"):
        assert (outputs / f"bao-cao-{code}.docx").is_file()
        assert (outputs / f"phu-luc-{code}.xlsx").is_file()
        manifest = json.loads((outputs / MANIFESTS / f"bao-cao-{code}.json").read_text("utf-8"))
        assert manifest["period"]["code"] == code
        assert manifest["outputs"]["report"]["sha256"] == sha(outputs / f"bao-cao-{code}.docx")
        assert (
            manifest["counts"]["read"]
            == manifest["counts"]["used"]
            + manifest["counts"]["invalid"]
            + manifest["counts"]["duplicates"]
        )
        assert {i["path"] for i in manifest["inputs"]} >= {"inputs/so-ngoai-vu.xlsx"}
        assert manifest["config_sha256"] and manifest["templates"] and manifest["pending"] == {}
    assert not (outputs / "bao-cao-2024-02.docx").exists()  # not closed on 20/01/2024
    assert "3 written, 0 failed" in first.output
    before = snapshot(outputs)
    second = run_en(invoke)
    assert second.exit_code == 0, second.output
    assert "Nothing to do: 3 reports are up to date." in second.output
    assert snapshot(outputs) == before
    assert len(list((outputs / "logs").glob("run-*.log"))) == 2


def test_dry_run_lists_what_and_why_and_writes_nothing(months: Path, invoke: Any) -> None:
    """--dry-run names each report it would make with the reason; no file, log or lock."""
    result = run_en(invoke, "--dry-run")
    assert result.exit_code == 0, result.output
    for code in ("2023-11", "2023-12", "2024-01"):
        assert f"Would make {code}" in result.output
    assert "not generated yet" in result.output
    assert "3 reports would be made, 0 are up to date." in result.output
    assert sorted(p.name for p in (months / "outputs").iterdir()) == []
    run_en(invoke)
    add_december_event(months)
    again = run_en(invoke, "--dry-run")
    assert "Would make 2023-12 (December 2023): its data changed (bo-sung.xlsx)." in (again.output)
    # January compares itself with December, so it changes too; November does not
    assert "Would make 2024-01 (January 2024): its data changed (bo-sung.xlsx)." in again.output
    assert "2023-11" not in again.output
    assert "2 reports would be made, 1 are up to date." in again.output


def test_stale_after_an_input_change_only_for_its_period(months: Path, invoke: Any) -> None:
    """A new December event remakes December and January (compared with December) only."""
    run_en(invoke)
    outputs = months / "outputs"
    november = snapshot(outputs)
    add_december_event(months)
    result = run_en(invoke)
    assert result.exit_code == 0, result.output
    assert "2023-12 (December 2023): written bao-cao-2023-12.docx" in result.output
    assert "2 written, 0 failed, 1 up to date" in result.output
    after = snapshot(outputs)
    assert after["bao-cao-2023-11.docx"] == november["bao-cao-2023-11.docx"]
    assert after["bao-cao-2023-12.docx"] != november["bao-cao-2023-12.docx"]
    manifest = json.loads((outputs / MANIFESTS / "bao-cao-2023-12.json").read_text("utf-8"))
    assert manifest["totals"]["events"] == 8
    assert "inputs/bo-sung.xlsx" in {i["path"] for i in manifest["inputs"]}
    # the other months recorded the new input list, so the next run reads nothing again
    assert "Nothing to do" in run_en(invoke).output


def test_config_and_template_changes_make_reports_stale(months: Path, invoke: Any) -> None:
    """The configuration (not [schedule]) and the templates are part of every report."""
    import docx

    run_en(invoke)
    config = months / "reportgen.toml"
    set_schedule(months, kinds=["month"], since="2023-11", keep_revisions=1)
    assert "Nothing to do" in run_en(invoke, "--dry-run").output
    config.write_text(
        config.read_text("utf-8").replace("Nguyễn Văn A", "Trần Thị B"), encoding="utf-8"
    )
    dry = run_en(invoke, "--dry-run")
    assert dry.output.count("the configuration changed") == 3, dry.output
    assert run_en(invoke).exit_code == 0
    template = months / "templates" / "report.en.docx"  # the template of --lang en
    document = docx.Document(str(template))
    document.add_paragraph("One more line in the template.")
    document.save(str(template))
    dry = run_en(invoke, "--dry-run")
    assert dry.output.count("the templates changed (report.en.docx)") == 3, dry.output
    assert (
        "ngôn ngữ đã thay đổi (en sang vi)" in invoke("run", "--dry-run", "--today", TODAY).output
    )


def test_edited_output_is_kept_and_a_revision_written(months: Path, invoke: Any) -> None:
    """A report changed by a person is never overwritten: the new one is name.r2.docx."""
    import docx
    from openpyxl import load_workbook

    run_en(invoke)
    outputs = months / "outputs"
    report = outputs / "bao-cao-2023-12.docx"
    document = docx.Document(str(report))
    document.add_paragraph("Văn thư đã bổ sung phần III.")
    document.save(str(report))
    edited = sha(report)
    old_annex = sha(outputs / "phu-luc-2023-12.xlsx")

    assert "Nothing to do" in run_en(invoke).output  # edited, but nothing changed
    listed = invoke("--lang", "en", "status", "--today", TODAY)
    assert "Changed by a person after it was made (kept): bao-cao-2023-12.docx." in listed.output

    add_december_event(months)
    result = run_en(invoke)
    assert result.exit_code == 0, result.output
    assert (
        "bao-cao-2023-12.docx was changed after reportgen made it, so it is kept as it is; "
        "the new version is bao-cao-2023-12.r2.docx."
    ) in result.output
    assert sha(report) == edited
    revision = outputs / "bao-cao-2023-12.r2.docx"
    text = "\n".join(p.text for p in docx.Document(str(revision)).paragraphs)
    assert "Văn thư đã bổ sung" not in text
    # the annex nobody touched is replaced in place; its old version is kept aside
    assert sha(outputs / "phu-luc-2023-12.xlsx") != old_annex
    load_workbook(outputs / "phu-luc-2023-12.xlsx").close()
    kept = list((outputs / ".revisions").glob("phu-luc-2023-12.*.xlsx"))
    assert len(kept) == 1 and sha(kept[0]) == old_annex
    manifest = json.loads((outputs / MANIFESTS / "bao-cao-2023-12.json").read_text("utf-8"))
    assert manifest["outputs"]["report"]["path"] == "bao-cao-2023-12.r2.docx"
    assert manifest["kept"] == ["bao-cao-2023-12.docx"]

    assert "Nothing to do" in run_en(invoke).output
    add_december_event(months, "bo-sung-2.xlsx", "Hội thảo bổ sung")
    again = run_en(invoke)
    assert "written bao-cao-2023-12.r2.docx" in again.output  # r2 is reportgen's: replaced
    assert not (outputs / "bao-cao-2023-12.r3.docx").exists()
    assert sha(report) == edited


def test_missing_output_is_made_again(months: Path, invoke: Any) -> None:
    """Deleting an output makes its period due again; the others stay as they are."""
    run_en(invoke)
    (months / "outputs" / "phu-luc-2023-11.xlsx").unlink()
    dry = run_en(invoke, "--dry-run")
    assert "Would make 2023-11 (November 2023): phu-luc-2023-11.xlsx is missing." in dry.output
    assert "1 written" in run_en(invoke).output
    assert (months / "outputs" / "phu-luc-2023-11.xlsx").is_file()


def test_outputs_without_manifest_are_kept(months: Path, invoke: Any) -> None:
    """A report made by `reportgen generate` is not replaced by `run`: a revision is written."""
    assert invoke("generate", "--period", "2023-12").exit_code == 0
    made = sha(months / "outputs" / "bao-cao-2023-12.docx")
    result = run_en(invoke)
    assert "its files exist but were not made by 'reportgen run'" in result.output
    assert sha(months / "outputs" / "bao-cao-2023-12.docx") == made
    assert (months / "outputs" / "bao-cao-2023-12.r2.docx").is_file()
    assert (months / "outputs" / "phu-luc-2023-12.r2.xlsx").is_file()


def test_interrupted_between_rename_and_manifest(
    months: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files moved into place before the manifest was completed are still reportgen's own."""
    import reportgen.runner as runner_module

    real = runner_module.write_manifest
    calls = {"n": 0}

    def failing(outputs: Path, manifest: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the pending manifest is written, the complete one is not
            raise OSError("disk full")
        real(outputs, manifest)

    monkeypatch.setattr(runner_module, "write_manifest", failing)
    result = run_en(invoke)
    assert result.exit_code == 1
    assert "2023-11 (November 2023): failed" in result.output
    monkeypatch.setattr(runner_module, "write_manifest", real)
    dry = run_en(invoke, "--dry-run")
    assert "Would make 2023-11 (November 2023): the previous run was interrupted." in dry.output
    again = run_en(invoke)
    assert again.exit_code == 0, again.output
    assert "written bao-cao-2023-11.docx, phu-luc-2023-11.xlsx" in again.output
    assert not list((months / "outputs").glob("*.r2.*"))


def test_invalid_data_fails_with_exit_1_unless_allowed(months: Path, invoke: Any) -> None:
    """Rows with errors stop every report (exit 1, logged); allow_invalid leaves them out."""
    write_workbook(months / "inputs" / "loi.xlsx", [event_row(start="31/02/2023")])
    result = run_en(invoke)
    assert result.exit_code == 1
    assert "rows of the inputs have errors, so no report was written" in result.output
    assert not list((months / "outputs").glob("*.docx"))
    log = next((months / "outputs" / "logs").glob("run-*.log")).read_text("utf-8")
    assert "loi.xlsx" in log and "ERROR" in log and "exit code 1" in log
    set_schedule(months, kinds=["month"], since="2023-11", allow_invalid=True)
    allowed = run_en(invoke)
    assert allowed.exit_code == 0, allowed.output
    assert len(list((months / "outputs").glob("*.docx"))) == 3


def test_held_lock_makes_a_run_wait_then_exit_1(months: Path, invoke: Any) -> None:
    """While another run holds the lock, a run waits --wait seconds, then stops with exit 1."""
    outputs = months / "outputs"
    with RunLock(outputs / LOCK_NAME, wait=0):
        started = time.monotonic()
        result = run_en(invoke, "--wait", "0.5")
        waited = time.monotonic() - started
    assert result.exit_code == 1
    assert f"Another reportgen run (process {os.getpid()}" in result.output
    assert "stopped without writing anything" in result.output
    assert waited >= 0.5
    assert not list(outputs.glob("*.docx"))
    log = next((outputs / "logs").glob("run-*.log")).read_text("utf-8")
    assert "Another reportgen run" in log
    assert not (outputs / LOCK_NAME).exists()  # released by its holder
    assert run_en(invoke).exit_code == 0


def test_stale_locks_are_taken_over(months: Path, invoke: Any) -> None:
    """A lock whose process is gone, or that is older than an hour, does not block a run."""
    outputs = months / "outputs"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    lock = outputs / LOCK_NAME
    holder = RunLock(lock, wait=0).info
    lock.write_text(
        json.dumps({"pid": int(gone.stdout), "host": holder.host, "started": "x", "token": "t"}),
        encoding="utf-8",
    )
    assert run_en(invoke, "--wait", "0").exit_code == 0
    assert not lock.exists()
    lock.write_text(
        json.dumps({"pid": os.getpid(), "host": holder.host, "started": "x", "token": "t"}),
        encoding="utf-8",
    )
    old = time.time() - 2 * 3600
    os.utime(lock, (old, old))
    assert run_en(invoke, "--wait", "0").exit_code == 0
    assert not lock.exists()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["REPORTGEN_LANG"] = "en"
    env["PYTHONUTF8"] = "1"
    return env


def _run_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", "run", *args],
        cwd=folder,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_two_concurrent_runs(workdir: Path) -> None:
    """Two `reportgen run` processes: the second waits, then exits 1; the first finishes."""
    set_schedule(workdir, kinds=["month"], since="2021-01")
    lock = workdir / "outputs" / LOCK_NAME
    first = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "run", "--today", "2024-03-01"],
        cwd=workdir,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        limit = time.monotonic() + 60
        while not lock.exists():
            assert first.poll() is None and time.monotonic() < limit
            time.sleep(0.01)
        second = _run_cli(workdir, "--today", "2024-03-01", "--wait", "0.3")
        assert first.poll() is None, "the first run ended too soon for this test"
    finally:
        out, err = first.communicate(timeout=120)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "Another reportgen run (process" in second.stderr
    assert f"process {first.pid}" in second.stderr
    assert first.returncode == 0, out + err
    assert "Finished: 38 written, 0 failed" in out
    assert not lock.exists()


def test_killed_run_leaves_no_partial_file_and_the_next_run_finishes(workdir: Path) -> None:
    """Kill `reportgen run` mid-batch: every file present opens; the next run completes."""
    import docx
    from openpyxl import load_workbook

    set_schedule(workdir, kinds=["month"], since="2023-01")
    outputs = workdir / "outputs"
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "run", "--today", "2024-03-01"],
        cwd=workdir,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        limit = time.monotonic() + 60
        while not list(outputs.glob("bao-cao-*.docx")):
            assert process.poll() is None and time.monotonic() < limit
            time.sleep(0.005)
    finally:
        process.kill()
        process.wait(timeout=30)
    made = sorted(outputs.glob("bao-cao-*.docx"))
    assert 1 <= len(made) < 14

    def check_every_output() -> None:
        for path in outputs.rglob("*.docx"):
            docx.Document(str(path))
        for path in outputs.rglob("*.xlsx"):
            load_workbook(path).close()

    check_every_output()  # complete files only, wherever they are
    second = _run_cli(workdir, "--today", "2024-03-01")
    assert second.returncode == 0, second.stdout + second.stderr
    assert len(list(outputs.glob("bao-cao-*.docx"))) == 14
    assert len(list(outputs.glob("phu-luc-*.xlsx"))) == 14
    assert not list(outputs.glob("*.r2.*")), "reportgen took its own files for edited ones"
    assert not (outputs / STAGING).exists()
    assert not list(outputs.rglob("*.tmp"))
    assert not (outputs / LOCK_NAME).exists()
    check_every_output()
    before = snapshot(outputs)
    third = _run_cli(workdir, "--today", "2024-03-01")
    assert third.returncode == 0
    assert "Nothing to do: 14 reports are up to date." in third.stdout
    assert snapshot(outputs) == before


def test_status_shows_last_next_deadline_overdue_and_stale(workdir: Path, invoke: Any) -> None:
    """status: per kind the last period made, the next due with deadline, overdue and stale."""
    set_schedule(
        workdir,
        kinds=["month", "quarter"],
        since="2023-11",
        deadline_days={"month": 1, "quarter": 10},
    )
    assert run_en(invoke).exit_code == 0
    add_december_event(workdir)
    result = invoke("--lang", "en", "status", "--today", "2024-03-20")
    assert result.exit_code == 0, result.output
    assert "Today: 20/03/2024." in result.output
    month_row = next(line for line in result.output.splitlines() if "monthly" in line)
    for text in ("2024-01", "2024-04", "15/04/2024", "2024-02, 2024-03", "2023-12"):
        assert text in month_row, month_row
    quarter_row = next(line for line in result.output.splitlines() if "quarterly" in line)
    for text in ("2023-Q4", "2024-Q1", "24/03/2024", "2023-Q4"):
        assert text in quarter_row, quarter_row
    assert "Overdue: 2024-02 (February 2024), due 15/02/2024: not made yet." in result.output
    assert "Stale: 2023-12 (December 2023): its data changed (bo-sung.xlsx)." in (result.output)
    as_json = json.loads(invoke("--lang", "en", "status", "--today", "2024-03-20", "--json").output)
    month = as_json["kinds"][0]
    assert month["kind"] == "month" and month["last"] == "2024-01"
    assert month["next"] == "2024-04" and month["next_deadline"] == "2024-04-15"
    assert [j["period"] for j in month["overdue"]] == ["2024-02", "2024-03"]
    assert [j["period"] for j in month["stale"]] == ["2023-12", "2024-01"]
    quarter = as_json["kinds"][1]
    assert quarter["next"] == "2024-Q1" and quarter["next_deadline"] == "2024-03-24"
    assert quarter["waiting"][0]["period"] == "2024-Q1"


def test_status_without_since_and_library_calls(workdir: Path) -> None:
    """Without `since` only the latest closed period counts; run() and status() work directly."""
    set_schedule(workdir, kinds=["month"])
    config = load_config(workdir / "reportgen.toml")
    today = dt.date(2024, 1, 20)
    before = status(config, today=today)
    assert [j.period.code for j in before.kinds[0].overdue] == ["2024-01"]
    assert before.kinds[0].last is None
    done = run(config, today=today, lock_wait=0)
    assert done.exit_code == 0 and [r.job.period.code for r in done.written] == ["2024-01"]
    assert done.log is not None and done.log.is_file()
    after = status(config, today=today)
    assert after.kinds[0].last == Period("month", 2024, 1) and not after.kinds[0].overdue
    assert Runner(config, today).plan()[0].due is False


def test_progress_lines_and_bar() -> None:
    """Plain lines without a terminal; a rich progress bar with one."""
    from reportgen.cli_run import _Display
    from reportgen.runner import Progress

    plain = _Display(terminal=False)
    plain(Progress("begin", "2 reports", total=2))
    assert plain.bar is None
    bar = _Display(terminal=True)
    bar(Progress("begin", "2 reports", total=2))
    try:
        assert bar.bar is not None
        bar(Progress("start", "2023-12"))
        bar(Progress("done", "2023-12: written"))
        bar(Progress("done", "2024-01: failed", failed=True))
        assert bar.bar.tasks[0].completed == 2
    finally:
        bar.close()
