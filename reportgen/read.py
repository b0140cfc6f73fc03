"""Read input workbooks: find the events sheet and its header row, and yield raw rows.

Reading is values-only through python-calamine (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``). Each
row keeps its file, sheet and Excel row number so that every later message can name its cell.
A file that cannot be read becomes one problem naming the file; the other files go on.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import _
from .messages import message
from .problems import Problem, column_letter
from .schema import Column, Schema
from .sheetxml import (
    PIECE_SUFFIXES,
    NotInPieces,
    PieceReader,
    extends_below,
    find_uncalculated,
    open_in_pieces,
)
from .textnorm import fold, fold_compact

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
# How far down a title block may push the header row.
HEADER_SEARCH_ROWS = 30
# Refuse archives whose content would expand beyond this before handing them to the reader.
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
# Only the first columns are searched for headers, and only short text can be a header: a
# sheet of 10,000 columns or a 1 MB cell costs no more to search than an ordinary one.
HEADER_SEARCH_COLUMNS = 500
MAX_HEADER_CHARS = 300
# Excel's own limit on the text of one cell; longer text is cut and reported.
MAX_CELL_CHARS = 32767
# How many bytes of each XML part are searched for a DOCTYPE (it must precede the root).
_PROLOG_BYTES = 4096

_TOTAL_LABELS = frozenset({"tong cong", "cong", "tong", "tong so", "total"})
_SIGNATURE = re.compile(
    r"^(nguoi lap( bieu)?|nguoi ky|thu truong( don vi)?|ky ten|xac nhan|lanh dao don vi"
    r"|giam doc|truong ban|pho truong ban|tm |kt |.* ngay \d+ thang \d+ nam \d+$)"
)
_NARRATIVE_HEADERS = {"period": "ky bao cao", "section": "muc", "text": "noi dung"}


class RowValues(Mapping[str, Any]):
    """A row's values by column key: a read-only view of the row's cells through its layout.

    Every row of a sheet shares the layout's ``key -> position`` dict, so a row costs one tuple
    of cells instead of a dict of its own.
    """

    __slots__ = ("_cells", "_index")

    def __init__(self, index: dict[str, int], cells: tuple[Any, ...]) -> None:
        self._index = index
        self._cells = cells

    def __getitem__(self, key: str) -> Any:
        return self._cells[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        position = self._index.get(key)
        return default if position is None else self._cells[position]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


@dataclass(slots=True, eq=False)
class RowLayout:
    """Where each header column of a sheet sits in its rows' ``cells``; shared by those rows.

    A column the schema knows is found by its key in ``index``; one it does not know (an extra
    column) by its header in ``extra``.
    """

    file: str
    sheet: str
    index: dict[str, int]  # key -> position in cells
    columns: dict[str, int]  # key -> 0-based column of the sheet
    headers: dict[str, str]  # key -> the header as written
    extra: tuple[tuple[str, int], ...]  # (header, position in cells) of the extra columns
    # Set by the reader when no cell of the sheet was a bool or an int: its numbers are all
    # floats, so equal values read alike and may key a cache (True == 1 == 1.0 otherwise).
    floats_only: bool = False

    @classmethod
    def build(
        cls, file: str, sheet: str, cells: Iterable[tuple[str | None, str]], columns: dict[str, int]
    ) -> RowLayout:
        """The layout of ``cells`` given as ``(key or None, header)`` in order."""
        index: dict[str, int] = {}
        headers: dict[str, str] = {}
        extra: list[tuple[str, int]] = []
        for position, (key, name) in enumerate(cells):
            if key is None:
                extra.append((name, position))
            else:
                index[key] = position
                headers[key] = name
        return cls(file, sheet, index, columns, headers, tuple(extra))

    def extra_positions(self, cells: tuple[Any, ...]) -> dict[str, int]:
        """Header -> position of the extra values of ``cells``: blanks left out, and of two
        extra columns with the same header the later filled one wins (as a dict of them would)."""
        found: dict[str, int] = {}
        for name, position in self.extra:
            if cells[position] is not None:
                found[name] = position
        return found


class RawRow:
    """One non-blank data row as found in the workbook, before any value is interpreted.

    ``file``, ``sheet``, ``values`` (by column key), ``columns``, ``headers`` and ``extra`` read
    as before; the row itself holds only its number and a tuple of cells, laid out by the
    sheet's shared :class:`RowLayout`. Blank cells are None. The row is read-only: ``values``
    is a view.
    """

    __slots__ = ("cells", "layout", "row")
    __hash__ = None  # type: ignore[assignment]  # compared by value, like the dataclass it was

    def __init__(self, row: int, cells: tuple[Any, ...], layout: RowLayout) -> None:
        self.row = row
        self.cells = cells
        self.layout = layout

    @classmethod
    def from_dicts(
        cls,
        file: str,
        sheet: str,
        row: int,
        values: Mapping[str, Any],
        columns: dict[str, int],
        headers: dict[str, str],
        extra: Mapping[str, Any] | None = None,
    ) -> RawRow:
        """A row given the way it used to be stored: values and extra values by name."""
        extra = extra or {}
        layout = RowLayout.build(
            file,
            sheet,
            [*((key, headers.get(key, key)) for key in values), *((None, n) for n in extra)],
            columns,
        )
        return cls(row, (*values.values(), *extra.values()), layout)

    @property
    def file(self) -> str:
        return self.layout.file

    @property
    def sheet(self) -> str:
        return self.layout.sheet

    @property
    def values(self) -> RowValues:
        """The value of every column the schema knows, by key (None for a blank cell)."""
        return RowValues(self.layout.index, self.cells)

    @property
    def columns(self) -> dict[str, int]:
        """The 0-based sheet column of each key; shared by the rows of a sheet, do not change."""
        return self.layout.columns

    @property
    def headers(self) -> dict[str, str]:
        """The header as written for each key; shared by the rows of a sheet, do not change."""
        return self.layout.headers

    @property
    def extra(self) -> dict[str, Any]:
        """The filled cells of columns the schema does not know, by header (a new dict)."""
        cells = self.cells
        return {name: cells[i] for name, i in self.layout.extra_positions(cells).items()}

    def _key(self) -> tuple[Any, ...]:
        return (
            self.file,
            self.sheet,
            self.row,
            dict(self.values),
            self.columns,
            self.headers,
            self.extra,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawRow):
            return NotImplemented
        return self._key() == other._key()

    def __repr__(self) -> str:
        return (
            f"RawRow(file={self.file!r}, sheet={self.sheet!r}, row={self.row!r}, "
            f"values={dict(self.values)!r}, columns={self.columns!r}, "
            f"headers={self.headers!r}, extra={self.extra!r})"
        )


@dataclass(slots=True)
class NarrativeRow:
    file: str
    sheet: str
    row: int
    period: str
    section: str
    text: str


@dataclass
class ReadResult:
    rows: list[RawRow] = field(default_factory=list)
    narrative: list[NarrativeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the spreadsheets they hold, sorted by name; keep files as given.

    Office lock files (``~$name.xlsx``) and hidden files are skipped: they are not workbooks.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not p.name.startswith(("~$", "."))
                )
            )
        else:
            found.append(path)
    return found


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _file_problem(path: Path, code: str, message: str, value: str = "") -> Problem:
    return Problem("error", code, message, file=str(path), value=value)


def _check_archive(path: Path) -> Problem | None:
    """Refuse a damaged archive, a zip bomb or entity declarations before the reader runs.

    Sizes come from the zip directory alone; then only the first few KB of each XML part are
    decompressed to look for a DOCTYPE (entity expansion, external entities).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            problem = _check_sizes(path, infos) or _check_doctype(path, archive, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        with path.open("rb") as stream:
            signature = stream.read(8)
        if signature == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return _file_problem(
                path,
                "file.encrypted",
                _(
                    "The file is password-protected or in an old format saved under a new name; "
                    "remove the password (or save it again as .xlsx) and run again."
                ),
            )
        return _file_problem(
            path,
            "file.damaged",
            _(
                "The file is not a valid Excel workbook (damaged, or another kind of file "
                "renamed); open it in Excel and save it again as .xlsx."
            ),
        )
    return problem


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> Problem | None:
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (
        total > 50 * 1024**2 and total / packed > MAX_COMPRESSION_RATIO
    ):
        return _file_problem(
            path,
            "file.too_large",
            _(
                "The file would expand to {size} MB when opened, which is far more than an "
                "events workbook needs; it was not read."
            ).format(size=total // 1024**2),
        )
    return None


def _check_doctype(
    path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> Problem | None:
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as part:
                prolog = part.read(_PROLOG_BYTES).upper()
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError):
            continue  # a broken part: the reader reports the file as damaged
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            return _file_problem(
                path,
                "file.unsafe",
                _(
                    "The file contains XML declarations (DOCTYPE or ENTITY) that Excel never "
                    "writes and that can be used to attack the computer reading it; it was not "
                    "read. Open it in Excel and save it again as .xlsx."
                ),
                value=info.filename,
            )
    return None


def _open_workbook(path: Path) -> tuple[Any, Problem | None]:
    from python_calamine import CalamineWorkbook

    if not path.exists():
        return None, _file_problem(path, "file.missing", _("The file does not exist."))
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return None, _file_problem(
            path,
            "file.unsupported",
            _("Only .xlsx, .xlsm, .xls and .ods workbooks can be read."),
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, _file_problem(path, "file.unreadable", str(exc.strerror))
    if size == 0:
        return None, _file_problem(path, "file.empty", _("The file is empty (0 bytes)."))
    if path.suffix.lower() in ZIP_SUFFIXES:
        problem = _check_archive(path)
        if problem is not None:
            return None, problem
    try:
        return CalamineWorkbook.from_path(str(path)), None
    except Exception as exc:  # the reader raises several unrelated types for broken files
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            return None, _file_problem(
                path,
                "file.encrypted",
                _("The file is password-protected; remove the password and run again."),
            )
        return None, _file_problem(
            path,
            "file.damaged",
            _(
                "The file cannot be read as a spreadsheet ({reason}); open it in Excel and "
                "save it again."
            ).format(reason=text[:200]),
        )


@dataclass
class _Header:
    row: int  # 0-based index of the last header row
    columns: dict[int, tuple[Column | None, str]]


def _match_header(
    rows: list[list[Any]], index: int, schema: Schema, col_offset: int
) -> _Header | None:
    """Try row ``index`` alone, then with the row below as a second header row."""
    required = {c.key for c in schema.required}

    def build(names: dict[int, str]) -> dict[int, tuple[Column | None, str]]:
        mapped: dict[int, tuple[Column | None, str]] = {}
        seen: set[str] = set()
        for col, name in names.items():
            column = schema.column_for_header(name)
            if column is not None and column.key in seen:
                column = None  # a second column with the same meaning is kept as extra
            if column is not None:
                seen.add(column.key)
            mapped[col + col_offset] = (column, name)
        return mapped

    def keys(mapped: dict[int, tuple[Column | None, str]]) -> set[str]:
        return {c.key for c, _name in mapped.values() if c is not None}

    top = {
        c: str(v).strip()
        for c, v in enumerate(rows[index][:HEADER_SEARCH_COLUMNS])
        if not _is_blank(v) and _short(v)
    }
    if not top:
        return None
    single = build(top)
    if index + 1 < len(rows):
        second = rows[index + 1][:HEADER_SEARCH_COLUMNS]
        filled = [v for v in second if not _is_blank(v)]
        below = {c: v.strip() for c, v in enumerate(second) if isinstance(v, str) and _short(v)}
        below = {c: v for c, v in below.items() if v}
        # A second header row holds only text, some of it known headers (under merged cells
        # such as `Thời gian` over `Ngày bắt đầu` | `Ngày kết thúc`).
        if (
            below
            and len(below) == len(filled)
            and any(schema.column_for_header(v) is not None for v in below.values())
        ):
            merged = dict(top)
            merged.update(below)  # the sub-header names the column
            double = build(merged)
            if required <= keys(double):
                return _Header(index + 1, double)
    if required <= keys(single):
        return _Header(index, single)
    return None


def _short(value: Any) -> bool:
    """Whether a cell is short enough to be a header (long text is never folded and matched)."""
    return not isinstance(value, str) or len(value) <= MAX_HEADER_CHARS


def _best_partial(rows: list[list[Any]], schema: Schema) -> tuple[int, set[str]] | None:
    """The row holding most known headers, to say which required ones are missing."""
    best: tuple[int, set[str]] | None = None
    for index, row in enumerate(rows):
        found = set()
        for value in row[:HEADER_SEARCH_COLUMNS]:
            if isinstance(value, str) and _short(value):
                column = schema.column_for_header(value)
                if column is not None:
                    found.add(column.key)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


# Folding keeps every ASCII letter and digit, so a cell holding one that no total label has
# cannot fold to a label: most cells are ruled out without folding them.
_NOT_TOTAL = re.compile(
    "[{}]".format(
        "".join(
            c + c.upper()
            for c in "0123456789abcdefghijklmnopqrstuvwxyz"
            if c not in "".join(_TOTAL_LABELS)
        )
    )
)


def _is_signature_row(values: list[Any]) -> bool:
    filled = [v for v in values if v is not None and (not isinstance(v, str) or v.strip())]
    if not filled or len(filled) > 3:
        return False
    return all(isinstance(v, str) and _SIGNATURE.match(fold(v)) for v in filled)


def _iter_sheet(sheet: Any) -> tuple[int, Iterator[list[Any]]]:
    """Rows of a sheet from Excel row 1, with the column offset of the first used column."""
    start = sheet.start
    col_offset = start[1] if start else 0
    return col_offset, iter(sheet.iter_rows())


@dataclass
class _SheetRows:
    """The rows of one sheet as python-calamine gives them, read whole or in pieces."""

    path: Path
    name: str
    col_offset: int
    rows: Iterator[list[Any]]
    pieces: PieceReader | None = None

    def uncalculated(
        self, first: int, stop: int | None, blank: set[int], last_read: int
    ) -> dict[int, list[str]]:
        """The rows from ``first`` on (before ``stop``) that read as blank only because their
        formulas were never calculated, with those cells. A row reads as blank when it is in
        ``blank``, or below ``last_read``, the last row python-calamine gave."""
        if self.pieces is not None:
            found = self.pieces.uncalculated  # every piece read so far: all rows up to here
        elif self.path.suffix.lower() not in PIECE_SUFFIXES:
            return {}  # .xls and .ods hold no formulas python-calamine would read as empty
        elif blank or extends_below(self.path, self.name, last_read):
            found = find_uncalculated(self.path, self.name, stop)
        else:
            return {}  # no blank row, nothing below: not worth reading the sheet again
        return {
            row: cells
            for row, cells in found.items()
            if row >= first and (stop is None or row < stop) and (row in blank or row > last_read)
        }


@contextmanager
def _sheet_rows(path: Path, workbook: Any, name: str, in_pieces: bool) -> Iterator[_SheetRows]:
    """The rows of sheet ``name``; a large .xlsx sheet is read in pieces (see sheetxml)."""
    pieces = open_in_pieces(path, name) if in_pieces else None
    if pieces is None:
        col_offset, rows = _iter_sheet(workbook.get_sheet_by_name(name))
        yield _SheetRows(path, name, col_offset, rows)
        return
    try:
        yield _SheetRows(path, name, pieces.col_offset, pieces.rows(), pieces)
    finally:
        pieces.close()


def read_file(path: Path, schema: Schema) -> ReadResult:
    """Read one workbook; problems that stop the whole file are returned, never raised."""
    result = ReadResult(files=[path])
    workbook, problem = _open_workbook(path)
    if problem is not None:
        result.problems.append(problem)
        return result
    try:
        whole = False
        try:
            _read_workbook(path, workbook, schema, result, in_pieces=True)
        except NotInPieces:
            whole = True
        if whole:
            # Something in the sheet's XML that pieces could read differently: start again,
            # outside the except block so that its traceback (which holds the rows read so
            # far) is gone before the whole sheet is read.
            result = ReadResult(files=[path])
            _read_workbook(path, workbook, schema, result, in_pieces=False)
    except Exception as exc:  # a workbook broken in a way the reader only finds late
        result.rows.clear()
        result.problems.append(
            _file_problem(
                path,
                "file.damaged",
                _(
                    "The file cannot be read as a spreadsheet ({reason}); open it in Excel and "
                    "save it again."
                ).format(reason=str(exc)[:200]),
            )
        )
    finally:
        close = getattr(workbook, "close", None)
        if close is not None:
            close()
    return result


def _read_workbook(
    path: Path, workbook: Any, schema: Schema, result: ReadResult, in_pieces: bool
) -> None:
    names: list[str] = list(workbook.sheet_names)
    wanted = fold_compact(schema.sheet)
    narrative_name = fold_compact(schema.narrative_sheet)
    named = [n for n in names if fold_compact(n) == wanted]
    candidates = named or [n for n in names if fold_compact(n) != narrative_name]
    partial: tuple[str, int, set[str]] | None = None
    unheaded = ReadResult()  # problems of the sheets without a header, if none has one
    for name in candidates:
        with _sheet_rows(path, workbook, name, in_pieces) as sheet:
            head: list[list[Any]] = []
            for row in sheet.rows:
                head.append(row)
                if len(head) >= HEADER_SEARCH_ROWS + 1:
                    break
            header = None
            for index in range(min(len(head), HEADER_SEARCH_ROWS)):
                header = _match_header(head, index, schema, sheet.col_offset)
                if header is not None:
                    break
            if header is None:
                best = _best_partial(head, schema)
                if best is not None and (partial is None or len(best[1]) > len(partial[2])):
                    partial = (name, best[0] + 1, best[1])
                # A header row of formulas never calculated reads as blank: say so if no sheet
                # turns out to have a header.
                blank = {i + 1 for i, row in enumerate(head) if all(map(_is_blank, row))}
                uncalculated = sheet.uncalculated(1, HEADER_SEARCH_ROWS + 1, blank, len(head))
                _report_uncalculated(sheet, uncalculated, unheaded)
                continue
            remaining = head[header.row + 1 :]
            del head
            _read_rows(path, sheet, header, remaining, result)
        break
    else:
        result.problems.extend(unheaded.problems)
        if partial is not None:
            sheet_name, row_number, found = partial
            missing = [c.header for c in schema.required if c.key not in found]
            result.problems.append(
                Problem(
                    "error",
                    "file.missing_columns",
                    _("The header row has no column for: {columns}.").format(
                        columns=", ".join(missing)
                    ),
                    file=str(path),
                    sheet=sheet_name,
                    row=row_number,
                    expected=", ".join(missing),
                )
            )
        else:
            result.problems.append(
                _file_problem(
                    path,
                    "file.no_events_sheet",
                    _(
                        "No sheet has the required headers ({columns}); the events sheet should "
                        "be named '{sheet}'."
                    ).format(
                        columns=", ".join(c.header for c in schema.required), sheet=schema.sheet
                    ),
                )
            )
    narrative = [n for n in names if fold_compact(n) == narrative_name]
    if narrative:
        _read_narrative(path, narrative[0], workbook.get_sheet_by_name(narrative[0]), result)


class _Seen:
    """What the row tests need to know about the cell values of a sheet, noted on first sight."""

    __slots__ = ("long", "mixed", "totals", "whole_keys")

    def __init__(self, whole_keys: bool) -> None:
        self.totals: set[str] = set()  # text that folds to a totals label
        self.long: set[str] = set()  # text longer than a cell may hold
        self.mixed = False  # a bool or an int was seen
        self.whole_keys = whole_keys


class _Interner(dict[Any, Any]):
    """One object for each distinct value of one column of a sheet.

    Called through ``__getitem__`` on every cell, so a value seen before costs one dict lookup
    in C: repeated agencies, provinces, types, dates and figures are stored once. Blank text
    becomes None. A column of its own per memo keeps a column of unique values (row numbers,
    links) from pushing the others' values out.

    Equal numbers of different types must not meet as keys (``True == 1 == 1.0``): bool and int
    never become keys, nor do 0.0 and 1.0 (equal to False and True). Other whole floats become
    keys only when ``whole_keys`` says the reader yields no int (python-calamine gives floats
    and bools for .xlsx); otherwise they are shared through ``whole``, which holds only floats.
    """

    __slots__ = ("seen", "whole")

    def __init__(self, seen: _Seen) -> None:
        super().__init__()
        self.seen = seen
        self.whole: dict[float, float] = {}

    def __missing__(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            if not value.strip():
                canonical = None
            else:
                canonical = value
                if _NOT_TOTAL.search(value) is None and fold(value) in _TOTAL_LABELS:
                    self.seen.totals.add(value)
                if len(value) > MAX_CELL_CHARS:
                    self.seen.long.add(value)
        elif kind is float:
            if value.is_integer():
                if value == 0.0 or value == 1.0:  # 0.0 and -0.0 also print differently
                    return value
                if not self.seen.whole_keys:
                    whole = self.whole
                    if len(whole) >= _INTERN_LIMIT:
                        whole.clear()
                    return whole.setdefault(value, value)
            canonical = value
        elif kind is dt.date or kind is dt.datetime:
            canonical = value
        else:
            if kind is bool or kind is int:
                self.seen.mixed = True
            return value
        if len(self) >= _INTERN_LIMIT:
            self.clear()  # a column of mostly unique values: keep the memo bounded
        self[value] = canonical
        return canonical


# Distinct values remembered per column by _Interner (cleared when full).
_INTERN_LIMIT = 1 << 16
# Formats whose numbers python-calamine always gives as floats, never as int.
_FLOAT_ONLY_SUFFIXES = (".xlsx", ".xlsm")


def _read_rows(
    path: Path,
    sheet: _SheetRows,
    header: _Header,
    buffered: list[list[Any]],
    result: ReadResult,
) -> None:
    first_data_row = header.row + 2  # Excel row number of the first data row
    after_total = False
    file = str(path)
    sheet_name = sheet.name
    blank_rows: set[int] = set()  # blank rows above any totals row, if formulas left them so
    total_row: int | None = None
    layout, positions = _layout(file, sheet_name, header, sheet.col_offset)
    size = len(positions)
    contiguous = positions == tuple(range(size))
    pick = operator.itemgetter(*positions) if size > 1 else None
    needed = max(positions) + 1
    seen = _Seen(whole_keys=path.suffix.lower() in _FLOAT_ONLY_SUFFIXES)
    memos = [_Interner(seen) for _ in range(needed)]
    intern = dict.__getitem__
    totals, long = seen.totals, seen.long
    append = result.rows.append
    offset = -1
    for offset, values in enumerate(itertools.chain(buffered, sheet.rows)):
        if len(values) > len(memos):
            memos.extend(_Interner(seen) for _ in range(len(values) - len(memos)))
        # Through a list, so the tuple is allocated at its size (from map it would be bigger).
        cells = tuple([*map(intern, memos, values)])
        blank = cells.count(None)
        width = len(cells)
        if blank == width:
            if not after_total and len(blank_rows) < _BLANK_ROWS_CHECKED:
                blank_rows.add(first_data_row + offset)
            continue
        if totals and not totals.isdisjoint(cells):
            if not after_total:
                total_row = first_data_row + offset
            after_total = True
            continue
        if width - blank <= 3 and _is_signature_row([v for v in cells if v is not None]):
            continue
        if width < needed:
            cells += (None,) * (needed - width)
            width = needed
        if contiguous:
            if width != size:
                cells = cells[:size]
        elif pick is not None:
            cells = pick(cells)
        else:
            cells = (cells[positions[0]],)
        row = RawRow(first_data_row + offset, cells, layout)
        if long and not long.isdisjoint(cells):
            row = _cut_long_text(row, result)
        if after_total and not _looks_like_event(row):
            continue  # notes and signatures below the totals row are not events
        append(row)
    layout.floats_only = not seen.mixed
    last_read = first_data_row + offset  # the header row when no row followed it
    found = sheet.uncalculated(first_data_row, total_row, blank_rows, last_read)
    _report_uncalculated(sheet, found, result)


# Blank rows checked for formulas that were never calculated (the first ones of a sheet).
_BLANK_ROWS_CHECKED = 100_000
# Rows named in that problem's message.
_ROWS_NAMED = 10


def _report_uncalculated(
    sheet: _SheetRows, found: dict[int, list[str]], result: ReadResult
) -> None:
    """One problem for the rows that read as blank only because their formulas were never
    calculated: the program that wrote the file stored no results, so their values are lost."""
    if not found:
        return
    rows = sorted(found)
    # The first such cell of each row, so the rows can be found.
    cells = [found[row][0] for row in rows[:_ROWS_NAMED]]
    shown = ", ".join(cells) + (", …" if len(rows) > _ROWS_NAMED else "")
    result.problems.append(
        Problem(
            "error",
            "sheet.formulas_not_calculated",
            message("sheet.formulas_not_calculated", value=shown, detail=str(len(rows))),
            file=str(sheet.path),
            sheet=sheet.name,
            row=rows[0],
            column=cells[0].rstrip("0123456789"),
            value=shown,
        )
    )


def _layout(
    file: str, sheet: str, header: _Header, col_offset: int
) -> tuple[RowLayout, tuple[int, ...]]:
    """The sheet's row layout, and where each of its cells sits in a row of the sheet."""
    cells: list[tuple[str | None, str]] = []
    positions: list[int] = []
    columns: dict[str, int] = {}
    for col, (column, name) in header.columns.items():
        cells.append((None if column is None else column.key, name))
        positions.append(col - col_offset)
        if column is not None:
            columns[column.key] = col
    return RowLayout.build(file, sheet, cells, columns), tuple(positions)


def _cut_long_text(row: RawRow, result: ReadResult) -> RawRow:
    """Cut text longer than Excel allows in one cell (MAX_CELL_CHARS) and say so."""
    layout = row.layout
    cells = list(row.cells)
    keyed = [
        (key, position, layout.headers.get(key, key)) for key, position in layout.index.items()
    ]
    extra = [(None, position, name) for name, position in layout.extra_positions(row.cells).items()]
    for key, position, header in keyed + extra:
        value = cells[position]
        if not (isinstance(value, str) and len(value) > MAX_CELL_CHARS):
            continue
        cells[position] = value[:MAX_CELL_CHARS]
        column = None if key is None else layout.columns.get(key)
        result.problems.append(
            Problem(
                "warning",
                "cell.too_long",
                _(
                    "The cell holds {length} characters, more than Excel allows in one "
                    "cell ({limit}); only the first {limit} were used."
                ).format(length=len(value), limit=MAX_CELL_CHARS),
                file=row.file,
                sheet=row.sheet,
                row=row.row,
                column="" if column is None else column_letter(column),
                header=header,
                value=value[:50] + "…",
            )
        )
    return RawRow(row.row, tuple(cells), layout)


def _looks_like_event(row: RawRow) -> bool:
    values = row.values
    return all(values.get(key) is not None for key in ("start_date", "title", "event_type"))


def _read_narrative(path: Path, name: str, sheet: Any, result: ReadResult) -> None:
    _offset, rows = _iter_sheet(sheet)
    positions: dict[str, int] | None = None
    for index, values in enumerate(rows):
        if positions is None:
            found = {}
            for col, value in enumerate(values):
                if isinstance(value, str):
                    for key, wanted in _NARRATIVE_HEADERS.items():
                        if fold(value) == wanted:
                            found[key] = col
            if len(found) == len(_NARRATIVE_HEADERS):
                positions = found
            elif index >= HEADER_SEARCH_ROWS:
                break
            continue
        cells = {key: values[col] if col < len(values) else None for key, col in positions.items()}
        if all(_is_blank(v) for v in cells.values()):
            continue
        result.narrative.append(
            NarrativeRow(
                file=str(path),
                sheet=name,
                row=index + 1,
                period=str(cells["period"] or "").strip(),
                section=str(cells["section"] or "").strip(),
                text=str(cells["text"] or "").strip(),
            )
        )
    if positions is None:
        result.problems.append(
            Problem(
                "warning",
                "narrative.no_header",
                _("The sheet has no header row with '{headers}'; its text was not used.").format(
                    headers="Kỳ báo cáo, Mục, Nội dung"
                ),
                file=str(path),
                sheet=name,
            )
        )


def read_inputs(paths: Iterable[Path], schema: Schema) -> ReadResult:
    """Read every workbook under ``paths``; rows are pooled in file-name then row order."""
    pooled = ReadResult()
    for path in discover(paths):
        single = read_file(path, schema)
        pooled.files.extend(single.files)
        pooled.rows.extend(single.rows)
        pooled.narrative.extend(single.narrative)
        pooled.problems.extend(single.problems)
    return pooled


__all__ = [
    "NarrativeRow",
    "RawRow",
    "ReadResult",
    "column_letter",
    "discover",
    "read_file",
    "read_inputs",
]
