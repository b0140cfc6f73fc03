"""Build a corpus of broken and hostile input workbooks (no binary blobs are committed).

Each ``make_*`` function writes one file into ``folder`` and returns its path; ``CASES`` maps a
case name to its builder and the problem code ``reportgen validate`` must report (``None``
when the file is readable and any outcome without a traceback is acceptable).

Run ``python -m tests.hostile FOLDER`` to write the whole corpus into FOLDER.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.conftest import HEADERS, event_row, write_workbook


def make_empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def make_whitespace(folder: Path) -> Path:
    """An 'empty' file that is not zero bytes: only a newline."""
    path = folder / "blank.xlsx"
    path.write_bytes(b"\n")
    return path


def make_text_renamed(folder: Path) -> Path:
    path = folder / "text.xlsx"
    path.write_text("Đây là một tệp văn bản, không phải bảng tính.\n" * 20, encoding="utf-8")
    return path


def _valid(folder: Path, name: str = "valid.xlsx") -> Path:
    return write_workbook(folder / name, [event_row(), event_row(title="Hội nghị thứ hai")])


def make_truncated_zip(folder: Path) -> Path:
    source = _valid(folder, "_source.xlsx")
    data = source.read_bytes()
    source.unlink()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def make_zip_bomb(folder: Path, size: int = 200 * 1024**2) -> Path:
    """A real bomb: ``size`` bytes of zeros stream-deflated into one sheet entry (~200 KB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"0" * (1024 * 1024)
    packed = io.BytesIO()
    crc = 0
    for _ in range(size // len(chunk)):
        packed.write(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    packed.write(compressor.flush())
    data = packed.getvalue()
    name = b"xl/worksheets/sheet1.xml"
    local = (
        struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0)
        + name
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(data),
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name
    )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path = folder / "bomb.xlsx"
    path.write_bytes(local + data + central + end)
    return path


def make_lying_bomb(folder: Path) -> Path:
    """A small valid workbook whose central directory claims a 4 GiB sheet."""
    source = _valid(folder, "_source.xlsx")
    data = bytearray(source.read_bytes())
    source.unlink()
    start = data.rfind(b"PK\x05\x06")
    (cd_offset,) = struct.unpack_from("<I", data, start + 16)
    position = cd_offset
    while data[position : position + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, position + 28)
        name = bytes(data[position + 46 : position + 46 + name_len])
        if name.startswith(b"xl/worksheets/"):
            struct.pack_into("<I", data, position + 24, 0xFFFFFFF0)
        position += 46 + name_len + extra_len + comment_len
    path = folder / "lying_bomb.xlsx"
    path.write_bytes(bytes(data))
    return path


_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    "<!DOCTYPE lolz [\n"
    ' <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def _replace_part(source: Path, target: Path, part: str, text: str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == part:
                data = text.encode("utf-8")
            new.writestr(info, data)
    source.unlink()
    return target


def make_billion_laughs_sheet(folder: Path) -> Path:
    """The sheet XML defines nested entities that expand to a billion 'lol's."""
    source = _valid(folder, "_source.xlsx")
    sheet = (
        _LAUGHS.replace("lolz", "worksheet")
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _replace_part(source, folder / "laughs_sheet.xlsx", "xl/worksheets/sheet1.xml", sheet)


def make_billion_laughs_strings(folder: Path) -> Path:
    """sharedStrings.xml defines the nested entities; the headers use them."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "Sự kiện"
    ws.append(HEADERS)
    ws.append(event_row())
    source = folder / "_source.xlsx"
    workbook.save(source)
    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
    part = "xl/sharedStrings.xml"
    if part not in names:  # openpyxl writes shared strings when there is text; keep it safe
        part = "xl/worksheets/sheet1.xml"
    strings = (
        _LAUGHS.replace("lolz", "sst")
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    return _replace_part(source, folder / "laughs_strings.xlsx", part, strings)


def make_external_entity(folder: Path) -> Path:
    """An XXE attempt: the sheet pulls /etc/passwd through an external entity."""
    source = _valid(folder, "_source.xlsx")
    sheet = (
        '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _replace_part(source, folder / "xxe.xlsx", "xl/worksheets/sheet1.xml", sheet)


def make_encrypted(folder: Path) -> Path:
    """A password-protected workbook, encrypted the way Excel does (msoffcrypto-tool)."""
    path = folder / "encrypted.xlsx"
    source = _valid(folder, "_source.xlsx")
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:  # the test extra is not installed: an OLE2 container stands in
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        source.unlink()
        return path
    with source.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt("matkhau", out)
    source.unlink()
    return path


def make_ole_stub(folder: Path) -> Path:
    """Only the OLE2 signature: an old .xls renamed, or a broken encrypted file."""
    path = folder / "ole.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    return path


def make_wide(folder: Path, columns: int = 10_000) -> Path:
    """10,000 columns of header-like text in 40 rows, no events header."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Sự kiện")
    for row in range(40):
        ws.append([f"Cột {row}-{c}" for c in range(columns)])
    path = folder / "wide.xlsx"
    workbook.save(path)
    return path


def make_wide_with_header(folder: Path, columns: int = 10_000) -> Path:
    """The real header followed by 10,000 extra columns, with a few events."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Sự kiện")
    padding = [f"Thêm {c}" for c in range(columns)]
    ws.append(HEADERS + padding)
    for _ in range(3):
        ws.append(event_row() + [c for c in range(columns)])
    path = folder / "wide_header.xlsx"
    workbook.save(path)
    return path


def make_huge_string(folder: Path) -> Path:
    """A 1 MB string in the title cell, a note and a title row above the header.

    openpyxl cuts text at Excel's 32,767 characters when saving, so the sheet XML is edited.
    """
    mark = "HUGE-STRING-MARK"
    source = write_workbook(
        folder / "_source.xlsx",
        [event_row(title=mark), event_row(notes=mark)],
        title_rows=[[mark]],
    )
    with zipfile.ZipFile(source) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    big = "Hội nghị " + "x" * (1024 * 1024)
    return _replace_part(
        source, folder / "huge_string.xlsx", "xl/worksheets/sheet1.xml", sheet.replace(mark, big)
    )


def make_control_characters(folder: Path) -> Path:
    """Control characters: XML-legal ones raw, the others as Excel's ``_x0001_`` escapes."""
    nasty = "Hội_x0001_nghị_x0007__x001B_[31m\ufeff\u202e\u200b\t tập\r\nhuấn"
    return write_workbook(
        folder / "control.xlsx",
        [event_row(title=nasty, agency="_x0002__x0003_", notes="_x001F_\u0085\u2028")],
    )


def make_formulas(folder: Path) -> Path:
    """Formulas in every cell: no cached values (openpyxl writes none)."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "Sự kiện"
    ws.append(HEADERS)
    for r in range(2, 12):
        ws.append(
            [
                f"=ROW()-1+{r}",
                "=DATE(2023,12,7)",
                f"=B{r}+1",
                '="Hội nghị"&"tập huấn"',
                '=HYPERLINK("http://example.com","x")',
                "=Z1",
                "=1/0",
                "=SUM(1,2,3)",
                "=10*2",
                '=cmd|" /C calc"!A0',
                '=INDIRECT("A1")',
                "=NOW()",
            ]
        )
    path = folder / "formulas.xlsx"
    workbook.save(path)
    return path


def make_formulas_cached(folder: Path) -> Path:
    """Formulas with cached values, as Excel saves them: the sheet XML is written by hand."""
    source = _valid(folder, "_source.xlsx")
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cells = []
    for c, header in enumerate(HEADERS):
        letter = chr(ord("A") + c)
        cells.append(f'<c r="{letter}1" t="str"><f>"{header}"</f><v>{header}</v></c>')
    row2 = (
        '<c r="A2"><f>1</f><v>1</v></c>'
        '<c r="B2"><f>DATE(2023,12,7)</f><v>45267</v></c>'
        '<c r="D2" t="str"><f>"Hội nghị tập huấn"</f><v>Hội nghị tập huấn</v></c>'
        '<c r="E2" t="str"><f>"Hội nghị"</f><v>Hội nghị tập huấn công tác</v></c>'
        '<c r="F2" t="str"><f>"Hòa Bình"</f><v>Hòa Bình</v></c>'
        '<c r="G2" t="str"><f>"Sở"</f><v>Sở Thông tin và Truyền thông</v></c>'
        '<c r="H2"><f>100+180</f><v>280</v></c>'
        '<c r="I2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{ns}">'
        f'<sheetData><row r="1">{"".join(cells)}</row><row r="2">{row2}</row></sheetData>'
        "</worksheet>"
    )
    return _replace_part(source, folder / "formulas_cached.xlsx", "xl/worksheets/sheet1.xml", sheet)


def make_leap_bug_serials(folder: Path) -> Path:
    """Start dates as the serials 59, 60 (Excel's 29 Feb 1900, which never was) and 61."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "Sự kiện"
    ws.append(HEADERS)
    for serial in (59, 60, 61, 0, -1, 2958466, 1e308):
        row = event_row(title=f"Serial {serial}")
        row[1] = serial
        ws.append(row)
        ws.cell(ws.max_row, 2).number_format = "dd/mm/yyyy"
    path = folder / "leap_bug.xlsx"
    workbook.save(path)
    return path


def make_all_merged(folder: Path) -> Path:
    """Every cell of the header and data block merged into two-cell groups."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "Sự kiện"
    ws.append(HEADERS)
    for _ in range(10):
        ws.append(event_row())
    width = len(HEADERS)
    for row in range(1, 12):
        for col in range(1, width, 2):
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + 1)
    ws.merge_cells(start_row=13, start_column=1, end_row=40, end_column=30)
    path = folder / "merged.xlsx"
    workbook.save(path)
    return path


def make_many_sheets(folder: Path) -> Path:
    """200 sheets, none of them with the events header."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for index in range(200):
        ws = workbook.create_sheet(f"Trang {index}")
        ws.append(["Ngày bắt đầu", "x", dt.date(2023, 1, 1)])
    path = folder / "many_sheets.xlsx"
    workbook.save(path)
    return path


# name -> (builder, expected problem code or None)
CASES: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "empty": (make_empty, "file.empty"),
    "whitespace": (make_whitespace, "file.damaged"),
    "text_renamed": (make_text_renamed, "file.damaged"),
    "truncated_zip": (make_truncated_zip, "file.damaged"),
    "zip_bomb": (make_zip_bomb, "file.too_large"),
    "lying_bomb": (make_lying_bomb, "file.too_large"),
    "billion_laughs_sheet": (make_billion_laughs_sheet, "file.unsafe"),
    "billion_laughs_strings": (make_billion_laughs_strings, "file.unsafe"),
    "external_entity": (make_external_entity, "file.unsafe"),
    "encrypted": (make_encrypted, "file.encrypted"),
    "ole_stub": (make_ole_stub, "file.encrypted"),
    "wide": (make_wide, "file.no_events_sheet"),
    "wide_with_header": (make_wide_with_header, None),
    "huge_string": (make_huge_string, "cell.too_long"),
    "control_characters": (make_control_characters, None),
    "formulas": (make_formulas, "sheet.formulas_not_calculated"),
    "formulas_cached": (make_formulas_cached, None),
    "leap_bug_serials": (make_leap_bug_serials, None),
    "all_merged": (make_all_merged, None),
    "many_sheets": (make_many_sheets, None),
}


def build_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: builder(folder) for name, (builder, _code) in CASES.items()}


if __name__ == "__main__":
    for case, built in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")).items():
        print(f"{case}: {built} ({built.stat().st_size} bytes)")
