"""The other spreadsheet formats of the contract: .xlsm, .xls and .ods are read (values only)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reportgen import validate
from tests.conftest import event_row, office_save, write_workbook

SOFFICE = shutil.which("soffice")
needs_office = pytest.mark.skipif(
    SOFFICE is None and os.environ.get("CI", "").lower() != "true",
    reason="LibreOffice (soffice) is not installed; it is needed to write .xls and .ods files",
)


def rows() -> list[list[object]]:
    return [
        event_row(),
        event_row(start="7.8.2024", title="Họp báo quý III", type="Họp báo", attendees="1.000"),
        event_row(
            start="ngày 5 tháng 3 năm 2024",
            title="Sổ tay",
            type="Xuất bản ấn phẩm",
            attendees=None,
            copies=1000,
        ),
    ]


def test_xlsm_is_read(tmp_path: Path) -> None:
    """A macro-enabled workbook is read like .xlsx."""
    source = write_workbook(tmp_path / "src" / "a.xlsx", rows())
    target = tmp_path / "in" / "a.xlsm"
    target.parent.mkdir()
    shutil.copy(source, target)
    result = validate([target.parent])
    assert (result.report.counts.read, result.report.counts.used) == (3, 3)


@needs_office
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_legacy_and_open_formats(tmp_path: Path, suffix: str) -> None:
    """A workbook saved as .xls or .ods by an office suite gives the same events."""
    source = write_workbook(tmp_path / "a.xlsx", rows())
    converted = office_save(source, suffix, tmp_path / "converted", tmp_path / "profile")
    result = validate([converted])
    assert result.report.errors == []
    assert (result.report.counts.read, result.report.counts.used) == (3, 3)
    by_title = {e.title: e for e in result.events}
    assert by_title["Họp báo quý III"].attendees == 1000
    assert by_title["Sổ tay"].copies == 1000
    assert str(by_title["Sổ tay"].start_date) == "2024-03-05"


@needs_office
def test_xlsx_saved_by_an_office_suite_reads_the_same_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .xlsx saved by LibreOffice keeps its text in shared strings, as Excel does; read in
    pieces (as a very large sheet is), each with its own strings, it gives the same rows."""
    import zipfile

    from reportgen import sheetxml
    from tests.test_read import read, read_in_pieces

    many = [event_row(title=f"Hội nghị số {i}", attendees=i + 1) for i in range(80)]
    source = write_workbook(tmp_path / "a.xlsx", many)
    saved = office_save(
        source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "converted", tmp_path / "profile"
    )
    with zipfile.ZipFile(saved) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    whole = read(saved)
    assert len(whole.rows) == 80 and not whole.problems
    given: list[bool] = []
    for_piece = sheetxml.SharedStrings.for_piece

    def spy(self: sheetxml.SharedStrings, body: bytes) -> bytes | None:
        part = for_piece(self, body)
        given.append(part is not None)
        return part

    monkeypatch.setattr(sheetxml.SharedStrings, "for_piece", spy)
    read_in_pieces(monkeypatch)
    pieces = read(saved)
    assert pieces.rows == whole.rows and pieces.problems == whole.problems
    assert len(given) > 3 and all(given)
