"""The worksheet XML scanner (reportgen.sheetxml) on hostile XML: linear, never backtracking.

A pattern that backtracks quadratically turns a few megabytes of whitespace or digits, which
compress to a few kilobytes, into hours of work. Each case runs in its own process with a time
limit far above what a linear scan needs (milliseconds) and far below what a quadratic one
would (minutes to days at these sizes), so the test detects the hang, not a speed.
"""

from __future__ import annotations

import re
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
    "unclosed shared-string cells": (
        'sheetxml._SHARED_CELL.findall(b\'<c r="A1" t="s"><v>1\' * 1_000_000)'
    ),
    # One tag holding a million type attributes (it made an earlier pattern quadratic).
    "many types in one tag": "sheetxml._SHARED_TYPE.findall(b'<c' + b' t=\"s\"' * 1_000_000)",
    "type then spaces": "sheetxml._SHARED_TYPE.findall(b' t' + b' ' * 4_000_000)",
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


def _edit(path: Path, part: str, edit: Any, *, changes: bool = True) -> Path:
    from tests.hostile import _replace_part

    with zipfile.ZipFile(path) as archive:
        text = archive.read(part).decode("utf-8")
    edited = edit(text)
    assert edited != text or not changes, "the edit does not apply to this workbook"
    return _replace_part(path, path.with_name("edited.xlsx"), part, edited)


def _whole_and_pieces(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any, list[bytes | None]]:
    """The file read whole, read in pieces, and the part each piece was given (None: the
    whole part)."""
    from tests.test_read import read, read_in_pieces

    whole = read(path)
    given: list[bytes | None] = []
    for_piece = sheetxml.SharedStrings.for_piece

    def spy(self: sheetxml.SharedStrings, body: bytes) -> bytes | None:
        given.append(for_piece(self, body))
        return given[-1]

    with monkeypatch.context() as patched:
        read_in_pieces(patched)
        patched.setattr(sheetxml.SharedStrings, "for_piece", spy)
        pieces = read(path)
    return whole, pieces, given


def _prefixed(text: str) -> str:
    for name in ("worksheet", "sheetData", "row", "c", "v"):
        text = text.replace(f"<{name} ", f"<x:{name} ").replace(f"<{name}>", f"<x:{name}>")
        text = text.replace(f"</{name}>", f"</x:{name}>")
    return text.replace("<x:worksheet xmlns=", "<x:worksheet xmlns:x=")


# Sheets whose shared-string cells are not all in Excel's exact form: those pieces get the
# whole part, and every form reads as it does whole.
OTHER_FORMS = {
    "single quotes": lambda text: text.replace('t="s"', "t='s'"),
    "an attribute after t": lambda text: text.replace('t="s">', 't="s" ph="1">'),
    "whitespace before the value": lambda text: text.replace('t="s"><v>', 't="s">\n  <v>'),
    "a namespace prefix": _prefixed,
    "a shared-string cell without a value": lambda text: text.replace(
        '<c r="K7" t="s"><v>16</v></c>', '<c r="K7" t="s"/>', 1
    ),
    # python-calamine takes the last of two values; a scan taking the first would lose it.
    "two values in a cell": lambda text: text.replace(
        '<c r="D20" t="s"><v>', '<c r="D20" t="s"><v>3</v><v>', 1
    ),
    # ">" inside an attribute value, beside a cell that forces another reading.
    "'>' in an attribute": lambda text: text.replace(
        '<c r="D30" t="s">', '<c r="D30" foo="a>b" t="s">', 1
    ).replace('<c r="E30" t="s">', "<c r='E30' t='s'>", 1),
}


def test_pieces_with_their_own_strings_read_as_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel's form: every piece gets only the items its cells use, the others stand-ins."""
    whole, pieces, given = _whole_and_pieces(_excel_workbook(tmp_path), monkeypatch)
    assert len(whole.rows) == 60
    assert pieces.rows == whole.rows and pieces.problems == whole.problems
    assert len(given) > 3 and all(part is not None for part in given)
    assert all(b"<si/>" in (part or b"") for part in given[1:])  # the header's items left out


@pytest.mark.parametrize("case", sorted(OTHER_FORMS))
def test_other_forms_of_cells_read_as_the_whole(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edit(_excel_workbook(tmp_path), "xl/worksheets/sheet1.xml", OTHER_FORMS[case])
    whole, pieces, given = _whole_and_pieces(path, monkeypatch)
    assert len(whole.rows) == 60
    assert pieces.rows == whole.rows and pieces.problems == whole.problems
    assert None in given  # at least the piece with the odd cell got the whole part


def _mixed_prefixes(text: str) -> str:
    """Items written with a prefix bound to the same namespace as the root's default one."""
    text = text.replace(
        "<sst xmlns=",
        '<sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns=',
        1,
    )
    return text.replace("<si><t>Hội nghị 3</t></si>", "<x:si><x:t>Hội nghị 3</x:t></x:si>", 1)


SHARED_PARTS = {
    "rich text items": lambda text: text.replace(
        "<si><t>Hội nghị 0</t></si>",
        "<si><r><rPr><b/></rPr><t>Hội </t></r><r><t>nghị 0</t></r>"
        "<rPh sb='0' eb='1'><t>x</t></rPh></si>",
        1,
    ),
    "an extension list after the items": lambda text: text.replace(
        "</sst>", "<extLst><ext uri='x'/></extLst></sst>"
    ),
    "a processing instruction holding <si before the root": lambda text: text.replace(
        "?>", "?><?note <si?>", 1
    ),
    "an element inside an item's text": lambda text: text.replace(
        "<si><t>Hội nghị 2</t></si>", "<si><t>Hội nghị 2<si/></t></si>", 1
    ),
    "mixed prefixes": _mixed_prefixes,
    "empty items": lambda text: text.replace("<si><t>Hội nghị 4</t></si>", "<si/>", 1),
}


@pytest.mark.parametrize("case", sorted(SHARED_PARTS))
def test_unusual_shared_strings_read_as_the_whole(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edit(_excel_workbook(tmp_path), "xl/sharedStrings.xml", SHARED_PARTS[case])
    whole, pieces, _given = _whole_and_pieces(path, monkeypatch)
    assert len(whole.rows) == 60
    assert pieces.rows == whole.rows and pieces.problems == whole.problems


def test_a_part_that_is_not_a_plain_list_is_not_cut() -> None:
    plain = b'<?xml version="1.0"?>\n<sst xmlns="m"><si><t>a</t></si></sst>'
    assert sheetxml.SharedStrings.parse("s", plain) is not None
    prefixed = sheetxml.SharedStrings.parse(
        "s", b'<x:sst xmlns:x="m"><x:si><x:t>a</x:t></x:si><x:si><x:t>b</x:t></x:si></x:sst>'
    )
    assert prefixed is not None
    assert prefixed.for_piece(b'<c r="A1" t="s"><v>1</v></c>') == (
        b'<x:sst xmlns:x="m"><x:si/><x:si><x:t>b</x:t></x:si></x:sst>'
    )
    for odd in (
        plain.replace(b"</sst>", b"<extLst/></sst>"),  # something else than items
        plain.replace(b"<si>", b"<!-- x --><si>"),  # a comment (or a DOCTYPE, CDATA)
        plain.replace(b'"1.0"?>', b'"1.0" encoding="windows-1258"?>'),  # another encoding
        plain.replace(b"</sst>", b""),  # not well-formed
        b'<?xml version="1.0"?><sst xmlns="m"></sst>',  # no items
    ):
        assert sheetxml.SharedStrings.parse("s", odd) is None, odd


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
    # A number beyond the last item, or a t="s" outside Excel's form: the whole part.
    assert strings.for_piece(body.replace(b">3<", b">4<")) is None
    assert strings.for_piece(body + b"<c r='C1' t='s'><v>0</v></c>") is None
    assert strings.for_piece(b'<c r="A1" t="s"><is><t>x</t></is></c>') is None


def test_python_calamine_takes_the_type_attribute_as_written(tmp_path: Path) -> None:
    """What the scan's soundness rests on (see SharedStrings): python-calamine reads a cell
    as a shared string only by a ``t`` attribute whose value is ``s`` as written."""
    from python_calamine import CalamineWorkbook

    source = _excel_workbook(tmp_path)

    def first_title(cell: str) -> Any:
        edited = _edit(
            _copy(source, tmp_path / "copy.xlsx"),
            "xl/worksheets/sheet1.xml",
            lambda text: re.sub(r'<c r="E2" t="s"><v>([0-9]+)</v>', cell, text, count=1),
            changes=False,
        )
        workbook = CalamineWorkbook.from_path(str(edited))
        try:
            return workbook.get_sheet_by_name("Sự kiện").to_python()[1][4]
        finally:
            workbook.close()

    title = first_title(r'<c r="E2" t="s"><v>\1</v>')
    assert isinstance(title, str) and title.startswith("Hội nghị")
    assert first_title("<c r=\"E2\" t = 's' ><v>\\1</v>") == title  # any quoting, spacing
    assert isinstance(first_title(r'<c r="E2" x:t="s" xmlns:x="q"><v>\1</v>'), float)
    with pytest.raises(Exception, match="attribute"):
        first_title(r'<c r="E2" t="&#115;"><v>\1</v>')


def _copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def test_cutting_the_part_leaves_nothing_for_the_collector() -> None:
    """validate() pauses the cyclic collector, so a cycle made while cutting the part (the
    XML parser and its handlers) would keep the whole part in memory until the end."""
    import gc

    data = b'<?xml version="1.0"?><sst xmlns="m">' + b"<si><t>x</t></si>" * 1000 + b"</sst>"
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        strings = sheetxml.SharedStrings.parse("s", data)
        assert strings is not None and len(strings.starts) == 1000
        del strings
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
