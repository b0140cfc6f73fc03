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
from typing import Any

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
    "unclosed shared-string cells": "sheetxml._SHARED_CELL.findall(b'<c t=\"s\" ' * 1_000_000)",
    "shared-string cell then spaces": (
        "sheetxml._SHARED_CELL.findall(b'<c t=\"s\"><v>' + b' ' * 4_000_000)"
    ),
    "unclosed shared-string items": (
        "sheetxml.SharedStrings.parse('s', b'<sst><si>' + b'<si ' * 1_000_000 + b'</sst>')"
    ),
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


# --- Shared strings given to each piece ----------------------------------------------------


def _excel_workbook(tmp_path: Path) -> Path:
    """Rows whose text sits in a shared-strings part, as Excel saves it (openpyxl writes
    text inline)."""
    from tests.conftest import event_row, write_workbook

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import generate  # bench/generate.py

    rows = [event_row(title=f"Hội nghị {i % 7}", attendees=i) for i in range(60)]
    inline = write_workbook(tmp_path / "inline.xlsx", rows)
    path = generate.share_strings(inline, tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert b't="s"' in archive.read("xl/worksheets/sheet1.xml")
    return path


def _edit(path: Path, part: str, edit: Any) -> Path:
    from tests.hostile import _replace_part

    with zipfile.ZipFile(path) as archive:
        text = archive.read(part).decode("utf-8")
    target = path.with_name("edited.xlsx")
    return _replace_part(path, target, part, edit(text))


def _whole_and_pieces(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    from tests.test_read import read, read_in_pieces

    whole = read(path)
    with monkeypatch.context() as patched:
        read_in_pieces(patched)
        pieces = read(path)
    return whole, pieces


def _sst_items(text: str) -> str:
    """Rich text, phonetic runs and an empty item, as Excel writes them for some cells."""
    rich = "<si><r><rPr><b/></rPr><t>Hội </t></r><r><t>nghị 0</t></r><rPh sb='0' eb='1'>"
    rich += "<t>x</t></rPh></si>"
    return text.replace("<si><t>Hội nghị 0</t></si>", rich, 1)


EDITS = {
    "plain": lambda text: text,
    "single quotes": lambda text: text.replace('t="s"', "t='s'"),
    "an attribute after t": lambda text: text.replace('t="s">', 't="s" ph="1">'),
    "whitespace before the value": lambda text: text.replace('t="s"><v>', 't="s">\n  <v>'),
    "a namespace prefix": lambda text: (
        text.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
        .replace("</worksheet>", "</x:worksheet>")
        .replace("<c ", "<x:c ")
        .replace("</c>", "</x:c>")
        .replace("<v>", "<x:v>")
        .replace("</v>", "</x:v>")
        .replace("<row ", "<x:row ")
        .replace("</row>", "</x:row>")
        .replace("<sheetData>", "<x:sheetData>")
        .replace("</sheetData>", "</x:sheetData>")
    ),
    "a shared-string cell without a value": lambda text: text.replace(
        '<c r="B7" t="s"><v>', '<c r="B7" t="s"/><c r="Y7" t="n"><v>', 1
    ),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_pieces_with_their_own_strings_read_as_the_whole(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edit(_excel_workbook(tmp_path), "xl/worksheets/sheet1.xml", EDITS[case])
    given: list[bytes | None] = []
    for_piece = sheetxml.SharedStrings.for_piece

    def spy(self: sheetxml.SharedStrings, body: bytes) -> bytes | None:
        given.append(for_piece(self, body))
        return given[-1]

    monkeypatch.setattr(sheetxml.SharedStrings, "for_piece", spy)
    whole, pieces = _whole_and_pieces(path, monkeypatch)
    assert len(whole.rows) == 60
    assert pieces.rows == whole.rows and pieces.problems == whole.problems
    # Every piece got its own strings; those after the first leave out the header's.
    assert len(given) > 3 and all(part is not None for part in given)
    assert all(b"<si/>" in (part or b"") for part in given[1:])


@pytest.mark.parametrize(
    "edit",
    [
        _sst_items,
        # An extension list after the items: the whole part is given to each piece.
        lambda text: text.replace("</sst>", "<extLst><ext uri='x'/></extLst></sst>"),
    ],
    ids=["rich text items", "extension list"],
)
def test_unusual_shared_strings_read_as_the_whole(
    edit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edit(_excel_workbook(tmp_path), "xl/sharedStrings.xml", edit)
    whole, pieces = _whole_and_pieces(path, monkeypatch)
    assert len(whole.rows) == 60
    assert pieces.rows == whole.rows and pieces.problems == whole.problems


def test_a_piece_gets_only_the_strings_it_uses() -> None:
    data = (
        b'<?xml version="1.0"?>\n<sst xmlns="m" count="9" uniqueCount="4">'
        b"<si><t>a</t></si><si><t>b</t></si><si/><si><r><t>d</t></r></si></sst>"
    )
    strings = sheetxml.SharedStrings.parse("xl/sharedStrings.xml", data)
    assert strings is not None
    body = b'<row r="1"><c r="A1" t="s"><v>3</v></c><c r="B1" s="1" t="s"><v>1</v></c></row>'
    assert strings.for_piece(body) == (
        b'<?xml version="1.0"?>\n<sst xmlns="m">'
        b"<si/><si><t>b</t></si><si/><si><r><t>d</t></r></si></sst>"
    )
    # A number beyond the last item, or a cell of an unexpected form: the whole part.
    assert strings.for_piece(body.replace(b">3<", b">4<")) is None
    assert strings.for_piece(b'<c r="A1" t="s"><is><t>x</t></is></c>') is None
