"""The worksheet XML scanner (reportgen.sheetxml) on hostile XML: linear, never backtracking.

A pattern that backtracks quadratically turns a few megabytes of whitespace or digits, which
compress to a few kilobytes, into hours of work. Each case runs in its own process with a time
limit far above what a linear scan needs (milliseconds) and far below what a quadratic one
would (minutes to days at these sizes), so the test detects the hang, not a speed.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reportgen import sheetxml

# Seconds; a linear scan of these inputs takes well under one.
TIME_LIMIT = 30

HOSTILE = {
    # A formula cell followed by whitespace that never closes: the optional value between two
    # runs of whitespace made the old pattern try every split of the run.
    "spaces after a formula": (
        "sheetxml.uncalculated_cells(b'<c r=\"A1\"><f>1</f>' + b' ' * 4_000_000)"
    ),
    "spaces after an empty value": (
        "sheetxml.uncalculated_cells(b'<c r=\"A1\"><f>1</f><v>' + b' ' * 4_000_000)"
    ),
    # Cell starts that never close their tag: each must not scan to the end of the text.
    "unclosed cell tags": "sheetxml.uncalculated_cells(b'<f>' + b'<c ' * 2_000_000)",
    "unclosed formula tags": "sheetxml.uncalculated_cells(b'<c><f ' * 1_000_000)",
    # A used range whose last row is a run of digits that never ends.
    "endless dimension digits": (
        "sheetxml._DIMENSION_REF.search(b'<dimension ref=\"A1:A' + b'1' * 4_000_000)"
    ),
    "repeated dimension tags": "sheetxml._DIMENSION_REF.search(b'<dimension ' * 1_000_000)",
    "repeated sheetData tags": "sheetxml._SHEET_DATA.search(b'<sheetData ' * 1_000_000)",
    "row tag without a number": "sheetxml._last_row(b'<row ' + b' r' * 2_000_000)",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_xml_is_scanned_in_bounded_time(case: str) -> None:
    code = f"from reportgen import sheetxml\n{HOSTILE[case]}\nprint('done')"
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=TIME_LIMIT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: still scanning after {TIME_LIMIT} s (the pattern backtracks)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done"


def test_uncalculated_cells_still_found_with_whitespace() -> None:
    """The rewritten pattern keeps its findings: whitespace and empty values in any place."""
    xml = (
        b'<row r="5"><c r="B5"><f>A1</f>\n  <v/>\n</c><c r="C5"><f>1</f><v>  </v> </c>'
        b'<c r="D5" t="str"><f>"x"</f></c><c r="E5"><f>2</f><v>2</v></c></row>'
    )
    assert sheetxml.uncalculated_cells(xml) == {5: ["B5", "C5"]}


def test_last_row_of_a_dimension() -> None:
    match = sheetxml._DIMENSION_REF.search(b'<x:dimension ref="A1:U1007"/>')
    assert match is not None and match.group(1) == b"A1:U1007"


def _sheet_zip(path: Path, rows: bytes, end: bytes = b"</sheetData></worksheet>") -> Path:
    head = b'<?xml version="1.0"?><worksheet xmlns="x"><sheetData>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sheet.xml", head + rows + end)
    return path


def _pieces(path: Path, piece_bytes: int) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        stream = sheetxml._Stream(archive, "sheet.xml", piece_bytes)
        try:
            return list(iter(stream.next_piece, None))
        finally:
            stream.close()


def _row(number: int, text: str) -> bytes:
    cell = f'<c r="A{number}" t="inlineStr"><is><t>{text}</t></is></c>'
    return f'<row r="{number}">{cell}</row>'.encode()


def test_pieces_end_at_whole_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheetxml, "_BLOCK", 7)
    rows = b"".join(_row(n, "x" * n) for n in range(1, 60))
    # An end tag cut across blocks, with whitespace inside it.
    path = _sheet_zip(tmp_path / "a.zip", rows, b"</sheetData" + b" " * 50 + b"></worksheet>")
    pieces = _pieces(path, 300)
    assert len(pieces) > 3 and b"".join(pieces) == rows
    assert all(piece.endswith(b"</row>") for piece in pieces)


def test_a_row_larger_than_two_pieces_is_not_read_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheetxml, "_BLOCK", 100)
    rows = _row(1, "a") + _row(2, "x" * 5000) + _row(3, "b")
    path = _sheet_zip(tmp_path / "a.zip", rows)
    with pytest.raises(sheetxml.NotInPieces, match="larger than a piece"):
        _pieces(path, 1000)
    assert b"".join(_pieces(path, 3000)) == rows


def test_a_sheet_without_its_end_is_not_read_in_pieces(tmp_path: Path) -> None:
    path = _sheet_zip(tmp_path / "a.zip", _row(1, "a") + _row(2, "b"), end=b"")
    with pytest.raises(sheetxml.NotInPieces, match="no end of sheetData"):
        _pieces(path, 10)


def test_a_huge_row_is_read_whole_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader falls back to a whole read, which gives the rows a whole read gives."""
    from tests.conftest import event_row, write_workbook
    from tests.test_read import read, read_in_pieces

    rows = [event_row(title=f"Hội nghị {i}") for i in range(30)]
    rows[10] = event_row(title="Hội nghị " + "rất dài " * 1000)
    path = write_workbook(tmp_path / "a.xlsx", rows)
    whole = read(path)
    read_in_pieces(monkeypatch)
    pieces = read(path)
    assert len(whole.rows) == 30
    assert pieces.rows == whole.rows and pieces.problems == whole.problems
