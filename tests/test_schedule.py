"""`reportgen schedule --print`: cron, systemd and schtasks entries with absolute paths."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import ConfigError
from reportgen.schedule import When, entry, parse_when

WINDOWS_PYTHON = r"C:\Program Files\Python312\python.exe"
WINDOWS_CONFIG = r"C:\Users\Văn thư\Báo cáo (2024)\reportgen.toml"


def split_windows(command: str) -> list[str]:
    """Split a command line the way the Microsoft C runtime builds argv."""
    args: list[str] = []
    current: list[str] = []
    quoted = started = False
    i = 0
    while i < len(command):
        char = command[i]
        if char == "\\":
            j = i
            while j < len(command) and command[j] == "\\":
                j += 1
            count = j - i
            if j < len(command) and command[j] == '"':
                current.append("\\" * (count // 2))
                if count % 2:
                    current.append('"')
                    i = j + 1
                else:
                    i = j
                started = True
                continue
            current.append("\\" * count)
            i = j
            started = True
            continue
        if char == '"':
            quoted = not quoted
            started = True
        elif char in " \t" and not quoted:
            if started:
                args.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return args


def cmd_specials_outside_quotes(command: str) -> list[str]:
    """Characters cmd.exe would act on (& | < > ^) outside its double quotes."""
    found, quoted = [], False
    for char in command:
        if char == '"':
            quoted = not quoted
        elif char in "&|<>^" and not quoted:
            found.append(char)
    return found


def test_cron_line_has_absolute_paths_and_runs_in_the_folder(tmp_path: Path) -> None:
    """The crontab line changes to the folder and calls the interpreter, both absolute."""
    folder = tmp_path / "Báo cáo 50%"
    python = Path("/opt/venv dir/bin/python3")
    text = entry(
        "cron",
        folder=folder,
        python=str(python),
        config_file=folder / "reportgen.toml",
        logs=folder / "outputs" / "logs",
        when=When(7, 0, 15),
    )
    comment, line = text.splitlines()
    assert comment.startswith("#")
    fields = line.split(" ", 5)
    assert fields[:5] == ["0", "7", "15", "*", "*"]
    command = fields[5]
    assert r"50\%" in command and "50%" not in command.replace(r"\%", "")
    words = shlex.split(command.replace(r"\%", "%"))
    assert words[:2] == ["cd", str(folder)]
    assert str(python) in words
    assert words[words.index(str(python)) + 1 :][:3] == ["-m", "reportgen", "run"]
    assert str(folder / "outputs" / "logs" / "cron.log") in words
    daily = entry(
        "cron",
        folder=folder,
        python=str(python),
        config_file=folder / "other.toml",
        logs=folder / "logs",
        when=When(6, 30, None),
    )
    assert daily.splitlines()[1].startswith("30 6 * * * ")
    assert "--config" in daily  # a configuration file not named reportgen.toml is passed


def test_systemd_units(tmp_path: Path) -> None:
    """The service runs the absolute interpreter in the folder; the timer fires monthly."""
    folder = tmp_path / "office"
    text = entry(
        "systemd",
        folder=folder,
        python="/srv/venv/bin/python",
        config_file=folder / "reportgen.toml",
        logs=folder / "outputs" / "logs",
        when=When(7, 0, 16),
        name="reportgen-bcd",
        user="vanthu",
    )
    lines = text.splitlines()
    assert f"WorkingDirectory={folder}" in lines
    assert 'ExecStart="/srv/venv/bin/python" -m reportgen run' in lines
    assert "User=vanthu" in lines and "Type=oneshot" in lines
    assert "OnCalendar=*-*-16 07:00:00" in lines and "Persistent=true" in lines
    assert "WantedBy=timers.target" in lines
    assert any("reportgen-bcd.timer" in line for line in lines)
    odd = entry(
        "systemd",
        folder=Path("/data/100%"),
        python='/opt/a "b"/python',
        config_file=Path("/data/100%/reportgen.toml"),
        logs=Path("/data/logs"),
        when=When(7, 0, None),
    )
    assert "WorkingDirectory=/data/100%%" in odd
    assert 'ExecStart="/opt/a \\"b\\"/python" -m reportgen run' in odd
    assert "OnCalendar=*-*-* 07:00:00" in odd


def test_windows_schtasks_command_quoting() -> None:
    """schtasks gets one /TR value that runs "python.exe" -m reportgen run --config "...\"."""
    text = entry(
        "windows",
        folder=Path("unused"),
        python=WINDOWS_PYTHON,
        config_file=Path(WINDOWS_CONFIG),
        logs=Path("unused"),
        when=When(7, 0, 16),
    )
    lines = text.splitlines()
    assert all(line.startswith("rem ") for line in lines[:-1])
    command = lines[-1]
    assert not cmd_specials_outside_quotes(command)
    args = split_windows(command)
    assert args[:3] == ["schtasks", "/Create", "/F"]
    options = dict(zip(args[3::2], args[4::2], strict=False))
    assert options["/TN"] == "reportgen"
    assert options["/SC"] == "MONTHLY" and options["/D"] == "16" and options["/ST"] == "07:00"
    task = options["/TR"]
    assert task == f'"{WINDOWS_PYTHON}" -m reportgen run --config "{WINDOWS_CONFIG}"'
    assert split_windows(task) == [
        WINDOWS_PYTHON,
        "-m",
        "reportgen",
        "run",
        "--config",
        WINDOWS_CONFIG,
    ]
    daily = entry(
        "windows",
        folder=Path("unused"),
        python=WINDOWS_PYTHON,
        config_file=Path(WINDOWS_CONFIG),
        logs=Path("unused"),
        when=When(7, 0, None),
    )
    assert "/SC DAILY /ST 07:00" in daily


def test_windows_command_too_long_is_flagged() -> None:
    """A /TR longer than schtasks accepts gets a warning line."""
    text = entry(
        "windows",
        folder=Path("unused"),
        python="C:\\" + "x" * 200 + "\\python.exe",
        config_file=Path("C:\\" + "y" * 100 + "\\reportgen.toml"),
        logs=Path("unused"),
        when=When(7, 0, 1),
    )
    assert "261" in text


def test_when_is_checked() -> None:
    """--time is HH:MM; --day is 1-28."""
    assert parse_when("7:05", 15) == When(7, 5, 15)
    for bad in ("25:00", "7h", "07:60"):
        with pytest.raises(ConfigError, match="--time"):
            parse_when(bad, 1)
    with pytest.raises(ConfigError, match="--day"):
        parse_when("07:00", 31)


def test_schedule_command_uses_this_interpreter_and_folder(workdir: Path, invoke: Any) -> None:
    """`reportgen schedule --print X` prints entries naming sys.executable and the folder."""
    python = str(Path(sys.executable).absolute())
    cron = invoke("schedule", "--print", "cron")
    assert cron.exit_code == 0, cron.output
    assert shlex.quote(python) in cron.output
    assert f"cd {shlex.quote(str(workdir))} &&" in cron.output
    assert " 15 * * " in cron.output  # the day after the cut-off window closes
    systemd = invoke("schedule", "--print", "systemd", "--day", "16", "--time", "06:30")
    assert f"WorkingDirectory={workdir}" in systemd.output
    assert "OnCalendar=*-*-16 06:30:00" in systemd.output
    assert f'ExecStart="{python}" -m reportgen run' in systemd.output
    windows = invoke("schedule", "--print", "windows", "--daily")
    assert "/SC DAILY" in windows.output
    assert str(workdir / "reportgen.toml") in windows.output and python in windows.output
    config = workdir / "reportgen.toml"
    config.write_text(config.read_text("utf-8").replace('"cutoff"', '"calendar"'), encoding="utf-8")
    assert " 1 * * " in invoke("schedule", "--print", "cron").output
    assert invoke("schedule", "--print", "launchd").exit_code == 2
    assert invoke("schedule", "--time", "7").exit_code == 2
    assert invoke("schedule", "--day", "30").exit_code == 2
