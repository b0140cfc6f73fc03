"""Shared fixtures: a working folder made by `reportgen init`, a CLI runner, workbook builders."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reportgen import i18n
from reportgen.cli import app

HEADERS = [
    "STT",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Loại hoạt động",
    "Tên hoạt động",
    "Tỉnh/thành phố",
    "Cơ quan chủ trì",
    "Số đại biểu",
    "Số tỉnh, thành phố tham dự",
    "Số ấn phẩm",
    "Văn bản quán triệt",
    "Ghi chú",
]


def event_row(**overrides: Any) -> list[Any]:
    """A valid row for HEADERS; keyword arguments replace cells by header key."""
    values: dict[str, Any] = {
        "STT": 1,
        "Ngày bắt đầu": dt.date(2023, 12, 7),
        "Ngày kết thúc": None,
        "Loại hoạt động": "Hội nghị tập huấn",
        "Tên hoạt động": "Hội nghị tập huấn công tác thông tin đối ngoại",
        "Tỉnh/thành phố": "Hòa Bình",
        "Cơ quan chủ trì": "Sở Thông tin và Truyền thông",
        "Số đại biểu": 280,
        "Số tỉnh, thành phố tham dự": 26,
        "Số ấn phẩm": None,
        "Văn bản quán triệt": "57-KL/TW; 1079/QĐ-TTg",
        "Ghi chú": "",
    }
    for key, value in overrides.items():
        header = {
            "start": "Ngày bắt đầu",
            "end": "Ngày kết thúc",
            "type": "Loại hoạt động",
            "title": "Tên hoạt động",
            "province": "Tỉnh/thành phố",
            "agency": "Cơ quan chủ trì",
            "attendees": "Số đại biểu",
            "attending": "Số tỉnh, thành phố tham dự",
            "copies": "Số ấn phẩm",
            "documents": "Văn bản quán triệt",
            "notes": "Ghi chú",
        }.get(key, key)
        values[header] = value
    return [values[h] for h in HEADERS]


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    headers: Sequence[str] = HEADERS,
    sheet: str = "Sự kiện",
    title_rows: Sequence[Sequence[Any]] = (),
    start_column: int = 1,
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
    formulas: bool = False,
) -> Path:
    """Write an input workbook the way offices make them, with openpyxl.

    Strings are stored as text unless ``formulas`` is set, so ``=1+1`` typed as data stays data.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    r = 1
    for title in title_rows:
        for c, value in enumerate(title, start=start_column):
            ws.cell(r, c, value)
        r += 1
    for c, value in enumerate(headers, start=start_column):
        ws.cell(r, c, value)
    for row in rows:
        r += 1
        for c, value in enumerate(row, start=start_column):
            if value is not None:
                cell = ws.cell(r, c, value)
                if not formulas and isinstance(value, str):
                    cell.data_type = "s"  # text typed by a person, even if it starts with =
    for name, content in (extra_sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in content:
            other.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@pytest.fixture(autouse=True)
def _default_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in Vietnamese with no REPORTGEN_LANG, and leaves it that way."""
    monkeypatch.delenv("REPORTGEN_LANG", raising=False)
    i18n.set_language("vi")
    yield
    i18n.set_language("vi")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner) -> Any:
    def run(*args: str) -> Any:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def workdir(tmp_path: Path, invoke: Any) -> Iterator[Path]:
    """A working folder created by `reportgen init`, as the current directory."""
    folder = tmp_path / "office"
    result = invoke("init", str(folder))
    assert result.exit_code == 0, result.output
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(old)


@pytest.fixture
def empty_inputs(workdir: Path) -> Path:
    """The working folder with its sample inputs removed."""
    shutil.rmtree(workdir / "inputs")
    (workdir / "inputs").mkdir()
    return workdir / "inputs"


def office_save(source: Path, convert_to: str, out: Path, profile: Path) -> Path:
    """``source`` saved by LibreOffice as ``convert_to`` (``xls``, ``docx:MS Word 2007 XML``,
    ...) into the folder ``out``, as staff saving a file from it would; the saved file.

    ``profile`` is a folder for LibreOffice's user profile of this call, so that tests never
    share or touch the user's own.
    """
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    assert soffice is not None, "CI=true requires LibreOffice"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            convert_to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / f"{source.stem}.{convert_to.split(':')[0]}"
    assert saved.is_file(), f"LibreOffice did not write {saved}"
    return saved
