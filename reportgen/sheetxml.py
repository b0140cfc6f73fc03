"""The worksheet XML of .xlsx and .xlsm workbooks, for what python-calamine cannot do alone.

python-calamine parses a whole sheet into memory before giving back a single row: about
1.3 KB per row of 21 columns, 1.3 GB for a million rows, and half as much again while it
parses. A very large sheet is therefore handed to it in pieces. Its XML is streamed out of the
zip and cut between rows; each piece becomes a small workbook of its own (the same workbook
part and styles, the shared strings its cells use, and one piece of the sheet) which
python-calamine reads exactly as it reads the whole file. Pieces cost time (each is a
workbook to open), so sheets up to WHOLE_SHEET_BYTES of XML are still read whole.

Excel keeps every distinct text of a workbook once, in a shared-strings part, and cells hold
its number: tens of MB for a million rows. Copied whole into every piece, it would be parsed
again for each one and held beside it; :class:`SharedStrings` gives each piece only the
items its cells use (the others empty, so the numbers stay as they are).

Cells that hold a formula whose result was never calculated (the file was written by a
program and never opened in Excel) read as empty; :func:`uncalculated_cells` finds them, so a
row that reads as blank for that reason can be reported instead of skipped.

Anything unusual in the XML (comments, CDATA, processing instructions, rows out of order, a
part in UTF-16, a row larger than two pieces) makes :class:`PieceReader` give up with
:class:`NotInPieces`, and the caller reads the sheet whole. A part in another single-byte
encoding keeps its XML declaration in every piece, so it reads the same.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The formats whose sheets are XML parts of a zip.
PIECE_SUFFIXES = (".xlsx", ".xlsm")
# XML of about 3,500 rows of 21 columns; python-calamine opens each piece as a workbook,
# which costs some milliseconds, so pieces are not much smaller.
PIECE_BYTES = 4 * 1024**2
# Shared strings larger than this (Excel keeps every distinct text of the workbook there) are
# not copied whole into every piece: each piece gets the strings its own cells use.
SHARED_PER_PIECE_BYTES = 1024**2
# A piece is at least this many times the parts every piece holds besides (styles, theme).
PIECE_TO_PARTS = 2
# Pieces given the whole shared-strings part (cells of a form the scan does not take) before
# every piece is.
_ODD_PIECES = 2
# A sheet part larger than this (about 110,000 rows of 21 columns) is read in pieces.
WHOLE_SHEET_BYTES = 128 * 1024**2
# Parts read into memory to find the sheet (workbook, relationships) are small; larger ones
# are not a workbook reportgen can read in pieces.
_MAX_PART_BYTES = 16 * 1024**2
_BLOCK = 1024**2

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# Every pattern below is linear in the XML it is given, however hostile: no two repetitions can
# take the same characters, and a tag's attributes are never read past the next "<" (which an
# attribute value cannot hold), so a failed match from one "<" never rescans the text after the
# next one. tests/test_sheetxml.py times each against inputs built to make them backtrack.
_SHEET_DATA = re.compile(rb"<(" + _PREFIX + rb")sheetData\b[^<>]*?(/?)>")
_SHEET_DATA_END = re.compile(rb"</" + _PREFIX + rb"sheetData\s*>")
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension\b[^<>]*>")
_ROOT = re.compile(rb"<(" + _PREFIX + rb"worksheet)\b")
# A cell holding only a formula with no value, or an empty one: <c r="B5"><f>..</f><v></v></c>
_UNCALCULATED = re.compile(
    rb"<"
    + _PREFIX
    + rb"c\b([^<>]*)>\s*<"
    + _PREFIX
    + rb"f\b[^<>]*?(?:/>|>[^<]*</"
    + _PREFIX
    + rb"f\s*>)\s*(?:<"
    + _PREFIX
    + rb"v\s*/>\s*|<"
    + _PREFIX
    + rb"v\s*>\s*</"
    + _PREFIX
    + rb"v\s*>\s*)?</"
    + _PREFIX
    + rb"c\s*>"
)
# The start of a formula element; searched from its rare letter (f is rare in sheet XML).
_FORMULA = re.compile(rb"f(?=[\s>/])(?<=[<:]f)")
# The used range a sheet records: <dimension ref="A1:U1007"/>; its last row is read in Python.
_DIMENSION_REF = re.compile(
    rb"<" + _PREFIX + rb"dimension\b[^<>]*?\bref\s*=\s*[\"']([^\"'<>]*)[\"']"
)
_LAST_NUMBER = re.compile(rb"([0-9]+)[^0-9]*\Z")
# The item counts of the shared-strings part's root (a piece's part holds other items), and the
# encoding an XML declaration names.
_COUNTS = re.compile(rb"""\s(?:count|uniqueCount)\s*=\s*["'][^"'<>]*["']""")
_ENCODING = re.compile(rb"""<\?xml[^<>]*?encoding\s*=\s*["']([^"'<>]*)["']""")
# A cell holding a shared string, exactly as Excel and LibreOffice write it, and the type
# attribute of such a cell in any form (to count them).
_SHARED_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,6}")? t="s"><v>([0-9]{1,10})</v></c>'
)
_SHARED_TYPE = re.compile(rb"""\st\s*=\s*["']s["']""")
# The sheet XML before sheetData that is searched for the dimension.
_PROLOG_BYTES = 64 * 1024
# A sheet without a dimension is read again for formulas up to this size (some milliseconds).
_SMALL_SHEET_BYTES = 4 * 1024**2
_ROW_NUMBER = re.compile(rb"[<:]row\b[^<>]*?\sr\s*=\s*[\"']([0-9]+)")
_ATTRIBUTE = re.compile(rb"""\b(r|t)\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
# Formula results that are text: an empty one is a calculated empty string, not a missing value.
_TEXT_TYPES = frozenset({"str", "s", "inlineStr"})

# Workbook parts python-calamine reads besides the sheet: they decide how values read (dates
# through the number formats of the styles, text through the shared strings).
_NEEDED_KINDS = ("styles", "sharedStrings", "theme")


class NotInPieces(Exception):  # a signal to read the sheet whole, not an error
    """The sheet cannot be read in pieces with the same result; read it whole instead."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(archive: zipfile.ZipFile, name: str) -> Any:
    from defusedxml import ElementTree  # type: ignore[import-untyped]  # ships no stubs

    info = archive.getinfo(name)
    if info.file_size > _MAX_PART_BYTES:
        raise NotInPieces(name)
    return ElementTree.fromstring(archive.read(info))


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, kind, member) of the relationships of ``part`` (``""`` for the package)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.NameToInfo:
        return []
    found = []
    for element in _parse(archive, rels):
        if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        member = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        kind = element.get("Type", "").rsplit("/", 1)[-1]
        found.append((element.get("Id", ""), kind, posixpath.normpath(member)))
    return found


@dataclass
class SheetParts:
    """Where a workbook keeps each sheet, and the parts a piece of a sheet needs besides."""

    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> its member
    needed: list[str] = field(default_factory=list)  # members copied into every piece
    shared_strings: str | None = None  # the shared-strings member, one of ``needed``


def sheet_parts(archive: zipfile.ZipFile) -> SheetParts:
    """The sheets of ``archive`` by name, from the workbook part and its relationships."""
    workbook = next(
        (member for _id, kind, member in _relationships(archive, "") if kind == "officeDocument"),
        "xl/workbook.xml",
    )
    if workbook not in archive.NameToInfo:
        raise NotInPieces(workbook)
    rels = _relationships(archive, workbook)
    members = {rel_id: member for rel_id, _kind, member in rels}
    parts = SheetParts()
    for element in _parse(archive, workbook).iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        member = members.get(rel_id or "")
        if member is not None and member in archive.NameToInfo:
            parts.sheets.setdefault(element.get("name", ""), member)
    parts.shared_strings = next(
        (
            member
            for _id, kind, member in rels
            if kind == "sharedStrings" and member in archive.NameToInfo
        ),
        None,
    )
    folder, name = posixpath.split(workbook)
    parts.needed = [
        member
        for member in (
            "[Content_Types].xml",
            "_rels/.rels",
            workbook,
            posixpath.join(folder, "_rels", f"{name}.rels"),
            *(member for _id, kind, member in rels if kind in _NEEDED_KINDS),
        )
        if member in archive.NameToInfo
    ]
    return parts


def uncalculated_cells(xml: bytes) -> dict[int, list[str]]:
    """The cells of ``xml`` (whole rows of a sheet) holding a formula never calculated, by row.

    Excel stores each formula's last result beside it; a program that writes formulas without
    calculating them leaves the value out (or empty), and the cell reads as empty.
    """
    found: dict[int, list[str]] = {}
    if _FORMULA.search(xml) is None:
        return found
    for match in _UNCALCULATED.finditer(xml):
        attributes = {
            k.decode(): v.decode("utf-8", "replace") for k, v in _ATTRIBUTE.findall(match.group(1))
        }
        if attributes.get("t") in _TEXT_TYPES:
            continue
        cell = _CELL_REF.fullmatch(attributes.get("r", ""))
        if cell is not None:
            found.setdefault(int(cell.group(2)), []).append(cell.group(0))
    return found


def open_in_pieces(path: Path, sheet: str) -> PieceReader | None:
    """A reader of sheet ``sheet`` in pieces, or None when it is small or not an .xlsx sheet
    (or pieces could read it differently); then read it whole."""
    if path.suffix.lower() not in PIECE_SUFFIXES:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            parts = sheet_parts(archive)
            member = parts.sheets.get(sheet)
            if member is None or archive.getinfo(member).file_size <= WHOLE_SHEET_BYTES:
                return None
        return PieceReader(path, sheet, member, parts)
    except Exception:  # whatever stops the pieces, the whole sheet is read
        return None


def find_uncalculated(path: Path, sheet: str, stop: int | None = None) -> dict[int, list[str]]:
    """The cells with formulas never calculated of sheet ``sheet``, by row; up to row ``stop``
    (the rest of the sheet is not read)."""
    found: dict[int, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            member = sheet_parts(archive).sheets.get(sheet)
            if member is None:
                return found
            stream = _Stream(archive, member, PIECE_BYTES)
            try:
                while (body := stream.next_piece()) is not None:
                    found.update(uncalculated_cells(body))
                    if stop is not None and _last_row(body) >= stop:
                        break  # rows come in order: the rest is below
            finally:
                stream.close()
    except Exception:  # a sheet python-calamine read but this cannot: no finding
        return {}
    return found


def extends_below(path: Path, sheet: str, row: int) -> bool:
    """Whether the sheet may hold cells below ``row`` that python-calamine reads as nothing
    (formats, or formulas never calculated): its own record of its used range
    (``<dimension>``) goes further down. A small sheet without that record may; a large one is
    taken not to, as reading it again would cost more than reading it did."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = sheet_parts(archive).sheets.get(sheet)
            if member is None:
                return False
            with archive.open(member) as part:
                start = part.read(_PROLOG_BYTES)
            size = archive.getinfo(member).file_size
    except Exception:  # python-calamine read the sheet; this is only a hint
        return False
    match = _DIMENSION_REF.search(start)
    last = _LAST_NUMBER.search(match.group(1)[-16:]) if match is not None else None
    if last is None:
        return size <= _SMALL_SHEET_BYTES
    return int(last.group(1)) > row


def _last_row(xml: bytes) -> int:
    """The number of the last row of ``xml`` (whole rows), or 0 if it cannot tell."""
    start = max(xml.rfind(b"<row"), xml.rfind(b":row"))
    match = _ROW_NUMBER.match(xml, start) if start >= 0 else None
    return int(match.group(1)) if match else 0


class _Stream:
    """The XML of a sheet part, cut after the last whole row of each piece."""

    def __init__(self, archive: zipfile.ZipFile, member: str, piece_bytes: int) -> None:
        self.raw = archive.open(member)
        self.piece_bytes = piece_bytes
        self.buffer = b""
        self.done = False
        while (match := _SHEET_DATA.search(self.buffer)) is None:
            if not self._fill(_BLOCK) or len(self.buffer) > _MAX_PART_BYTES:
                raise NotInPieces("no sheetData")
        if match.group(2) or self.buffer.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NotInPieces("an empty sheet, or not UTF-8")
        head = self.buffer[: match.end()]
        root = _ROOT.search(head)
        if root is None or b"\x00" in head or b"<!" in head:
            raise NotInPieces("unexpected worksheet start")
        # The dimension is only a hint of the sheet's size; a piece is smaller.
        self.head = _DIMENSION.sub(b"", head)
        prefix = match.group(1)
        self.tail = b"</" + prefix + b"sheetData></" + root.group(1) + b">"
        self.row_end = b"</" + prefix + b"row>"
        self.buffer = self.buffer[match.end() :]

    def _fill(self, size: int) -> bool:
        block = self.raw.read(size)
        self.buffer += block
        return bool(block)

    def next_piece(self) -> bytes | None:
        """The next rows, whole, or None after the last."""
        searched = 0  # the buffer before this holds no end of sheetData
        while not self.done:
            # Search only what was added (from the last "<" before it, where a tag cut by a
            # block may begin), so a piece costs one pass over its bytes.
            since = max(0, self.buffer.rfind(b"<", 0, searched))
            end = _SHEET_DATA_END.search(self.buffer, since)
            if end is not None:
                body, self.buffer, self.done = self.buffer[: end.start()], b"", True
                return body if b"<" in body else None
            searched = len(self.buffer)
            if len(self.buffer) >= self.piece_bytes:
                cut = self.buffer.rfind(self.row_end)
                if cut >= 0:
                    cut += len(self.row_end)
                    body, self.buffer = self.buffer[:cut], self.buffer[cut:]
                    return body
                if len(self.buffer) >= 2 * self.piece_bytes:
                    # One row larger than two pieces: not a sheet pieces are made for.
                    raise NotInPieces("a row larger than a piece")
            # Short of a piece, or one row larger than a piece: read on.
            if not self._fill(max(_BLOCK, self.piece_bytes - len(self.buffer))):
                raise NotInPieces("no end of sheetData")
        return None

    def close(self) -> None:
        self.raw.close()


class SharedStrings:
    """A workbook's shared strings, cut into its ``<si>`` items, to give each piece its own.

    A piece whose cells use strings 3 and 7 gets a shared-strings part in which items 3 and 7
    are the workbook's and every other item up to 7 is empty (``<si/>``): the cells keep their
    numbers and read the same text, and python-calamine parses the piece's own items (and an
    empty one for each it skips, a few bytes each) instead of the whole part (often tens of MB
    for a large workbook saved by Excel) once per piece.

    The items are found by an XML parser. The cells are found only in the exact form Excel
    and LibreOffice write (``<c r="E5" s="2" t="s"><v>23</v></c>``), and every type attribute
    ``t="s"`` of the piece, in any quoting and spacing, must belong to one of them; otherwise
    the piece gets the whole part. python-calamine takes a cell for a shared string only by
    that attribute, compared as written (``t="&#115;"`` is an error to it, ``x:t="s"`` no
    type), so no cell can use an item the scan did not see.
    """

    def __init__(
        self, member: str, data: bytes, prefix: bytes, starts: array[int], ends: array[int]
    ) -> None:
        self.member = member
        self.data = data
        self.starts = starts  # where each item starts in ``data``
        self.ends = ends  # and where it ends
        # The XML declaration and <sst ...> start tag, without the counts (they would be wrong).
        self.head = _COUNTS.sub(b"", data[: starts[0]])
        self.tail = b"</" + prefix + b"sst>"
        self.empty = b"<" + prefix + b"si/>"

    @classmethod
    def parse(cls, member: str, data: bytes) -> SharedStrings | None:
        """The items of ``data``, found by an XML parser (expat), or None if the part is not
        the plain list of items this class expects."""
        from xml.parsers import expat

        declared = _ENCODING.match(data)
        if b"<!" in data or (declared and declared.group(1).lower() not in (b"utf-8", b"utf8")):
            return None  # a DOCTYPE, comment or CDATA, or another encoding: not cut here
        parser = expat.ParserCreate()
        starts: array[int] = array("q")  # an array: a million items cost 8 MB, not 36
        ends: array[int] = array("q")
        names: list[str] = []  # the open elements
        root: list[str] = []

        def start(name: str, _attributes: Any) -> None:
            names.append(name)
            if len(names) == 1:
                root.append(name)
            elif len(names) == 2:
                if name.rpartition(":")[2] != "si":
                    raise _NotPlain(name)
                starts.append(parser.CurrentByteIndex)

        def end(name: str) -> None:
            if len(names) == 2:
                # At an end tag the index is where it starts; after an empty element (<si/>),
                # where the element ends.
                at = parser.CurrentByteIndex
                tag = b"</" + name.encode()
                after = at + len(tag)
                closing = data.startswith(tag, at) and data[after : after + 1] in b"> \t\r\n"
                ends.append(data.index(b">", at) + 1 if closing else at)
            names.pop()

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        try:
            parser.Parse(data, True)
        except (expat.ExpatError, _NotPlain):
            return None
        finally:
            # The handlers and the parser refer to each other: without this the cycle, and the
            # part it holds, would wait for the garbage collector, which validate() pauses.
            parser.StartElementHandler = parser.EndElementHandler = None
        prefix, _colon, local = root[0].rpartition(":") if root else ("", "", "")
        if local != "sst" or not starts:
            return None
        return cls(member, data, (prefix + _colon).encode(), starts, ends)

    def for_piece(self, body: bytes) -> bytes | None:
        """The shared-strings part for the cells of ``body``; None if a cell is not in the
        form expected (the piece then gets the whole part)."""
        numbers = _SHARED_CELL.findall(body)
        if len(numbers) != len(_SHARED_TYPE.findall(body)):
            return None  # a t="s" outside a cell of Excel's form
        used = sorted(set(map(int, numbers)))
        if used and used[-1] >= len(self.starts):
            return None  # a number beyond the last item: read as the whole part reads it
        data, starts, ends = self.data, self.starts, self.ends
        parts = [self.head]
        following = 0
        for index in used:
            if index > following:
                parts.append(self.empty * (index - following))
            parts.append(data[starts[index] : ends[index]])
            following = index + 1
        parts.append(self.tail)
        return b"".join(parts)


class _NotPlain(Exception):
    """An element in the shared-strings part that is not an item."""


class PieceReader:
    """The rows of one large sheet, parsed a piece at a time; rows as python-calamine gives them.

    ``col_offset`` is the sheet's first used column, as ``CalamineSheet.start`` would give it
    for the whole sheet; :meth:`rows` yields each row from Excel row 1 on, aligned to it, as
    ``CalamineSheet.iter_rows`` would (blank rows may come as empty lists).
    """

    def __init__(self, path: Path, sheet: str, member: str, parts: SheetParts) -> None:
        from python_calamine import CalamineWorkbook

        self._open = CalamineWorkbook.from_object
        self.sheet = sheet
        self.member = member
        self.uncalculated: dict[int, list[str]] = {}  # Excel row -> cells, as pieces are read
        self._archive = zipfile.ZipFile(path)
        try:
            self._needed = [(name, self._archive.read(name)) for name in parts.needed]
            self._strings: SharedStrings | None = None
            self._odd = 0  # pieces that got the whole shared-strings part
            if parts.shared_strings is not None:
                data = dict(self._needed)[parts.shared_strings]
                if len(data) > SHARED_PER_PIECE_BYTES:
                    self._strings = SharedStrings.parse(parts.shared_strings, data)
            self._needed_bytes = sum(len(data) for _name, data in self._needed)
            shared = self._needed_bytes - (
                len(self._strings.data) if self._strings is not None else 0
            )
            # Every piece parses these parts again: keep that below half the work.
            piece_bytes = max(PIECE_BYTES, PIECE_TO_PARTS * shared)
            self._stream = _Stream(self._archive, member, piece_bytes)
            self._first = self._read_piece()
            while self._first is not None and self._first[0] is None:
                self._first = self._read_piece()
        except BaseException:
            self.close()
            raise
        start = self._first[0] if self._first is not None else None
        self.col_offset = start[1] if start is not None else 0

    def _read_piece(self) -> tuple[tuple[int, int] | None, list[list[Any]]] | None:
        """The next piece: the first cell it holds (None if none) and its rows from there."""
        body = self._stream.next_piece()
        if body is None:
            return None
        if b"<!" in body or b"<?" in body:
            raise NotInPieces("comment, CDATA or processing instruction among the rows")
        self.uncalculated.update(uncalculated_cells(body))
        strings = self._strings
        own = strings.for_piece(body) if strings is not None else None
        if strings is not None and own is None:
            self._odd += 1
            if self._odd >= _ODD_PIECES:
                # Cells of another form throughout: every piece would get the whole part, so
                # pieces become large enough to be worth it, as for any part read again.
                self._strings = None
                self._stream.piece_bytes = max(PIECE_BYTES, PIECE_TO_PARTS * self._needed_bytes)
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as piece:
            for name, data in self._needed:
                if own is not None and strings is not None and name == strings.member:
                    data = own
                piece.writestr(name, data)
            piece.writestr(self.member, self._stream.head + body + self._stream.tail)
        del body, own
        packed.seek(0)
        try:
            workbook = self._open(packed)
            try:
                sheet = workbook.get_sheet_by_name(self.sheet)
                start = sheet.start
                return start, sheet.to_python(skip_empty_area=True) if start is not None else []
            finally:
                workbook.close()
        except Exception as exc:
            # Read whole, the sheet fails (or not) the way python-calamine fails on it.
            raise NotInPieces(str(exc)) from exc

    def rows(self) -> Iterator[list[Any]]:
        piece, next_row = self._first, 0
        self._first = None
        while piece is not None:
            start, values = piece
            if start is not None:
                first_row, first_col = start
                if first_row < next_row or first_col < self.col_offset:
                    # Rows out of order, or a column left of the first piece's: the whole sheet
                    # would read differently.
                    raise NotInPieces("rows out of order")
                for _ in range(first_row - next_row):
                    yield []
                if first_col > self.col_offset:
                    pad = [""] * (first_col - self.col_offset)
                    values = [pad + row for row in values]
                next_row = first_row + len(values)
                yield from values
            del piece, values
            piece = self._read_piece()

    def close(self) -> None:
        """Let go of the file; safe to call more than once."""
        stream = getattr(self, "_stream", None)
        if stream is not None:
            stream.close()
        self._archive.close()
