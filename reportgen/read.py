"""Read input workbooks: find the events sheet and its header row, and yield raw rows.

Reading is values-only through python-calamine (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``). Each
row keeps its file, sheet and Excel row number so that every later message can name its cell.
A file that cannot be read becomes one problem naming the file; the other files go on.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import _
from .problems import Problem, column_letter
from .schema import Column, Schema
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


@dataclass
class RawRow:
    """One non-blank data row as found in the workbook, before any value is interpreted."""

    file: str
    sheet: str
    row: int
    values: dict[str, Any]
    columns: dict[str, int]
    headers: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
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


def _is_total_row(values: list[Any]) -> bool:
    return any(
        fold(v) in _TOTAL_LABELS
        for v in values
        if isinstance(v, str) and v.strip() and _NOT_TOTAL.search(v) is None
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


def read_file(path: Path, schema: Schema) -> ReadResult:
    """Read one workbook; problems that stop the whole file are returned, never raised."""
    result = ReadResult(files=[path])
    workbook, problem = _open_workbook(path)
    if problem is not None:
        result.problems.append(problem)
        return result
    try:
        _read_workbook(path, workbook, schema, result)
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


def _read_workbook(path: Path, workbook: Any, schema: Schema, result: ReadResult) -> None:
    names: list[str] = list(workbook.sheet_names)
    wanted = fold_compact(schema.sheet)
    narrative_name = fold_compact(schema.narrative_sheet)
    named = [n for n in names if fold_compact(n) == wanted]
    candidates = named or [n for n in names if fold_compact(n) != narrative_name]
    partial: tuple[str, int, set[str]] | None = None
    for name in candidates:
        sheet = workbook.get_sheet_by_name(name)
        col_offset, rows = _iter_sheet(sheet)
        head: list[list[Any]] = []
        for row in rows:
            head.append(row)
            if len(head) >= HEADER_SEARCH_ROWS + 1:
                break
        header = None
        for index in range(min(len(head), HEADER_SEARCH_ROWS)):
            header = _match_header(head, index, schema, col_offset)
            if header is not None:
                break
        if header is None:
            best = _best_partial(head, schema)
            if best is not None and (partial is None or len(best[1]) > len(partial[2])):
                partial = (name, best[0] + 1, best[1])
            continue
        remaining = head[header.row + 1 :]
        _read_rows(path, name, header, col_offset, remaining, rows, result)
        break
    else:
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


def _read_rows(
    path: Path,
    sheet_name: str,
    header: _Header,
    col_offset: int,
    buffered: list[list[Any]],
    rest: Iterator[list[Any]],
    result: ReadResult,
) -> None:
    first_data_row = header.row + 2  # Excel row number of the first data row
    after_total = False
    file = str(path)
    layout = _layout(header, col_offset)
    for offset, values in enumerate(itertools.chain(buffered, rest)):
        # The non-blank cells, found once for the three checks below.
        filled = [v for v in values if v is not None and (not isinstance(v, str) or v.strip())]
        if not filled:
            continue
        if _is_total_row(filled):
            after_total = True
            continue
        if len(filled) <= 3 and _is_signature_row(filled):
            continue
        row = _raw_row(file, sheet_name, first_data_row + offset, layout, values)
        if any(isinstance(v, str) and len(v) > MAX_CELL_CHARS for v in filled):
            _cut_long_text(row, result)
        if after_total and not _looks_like_event(row):
            continue  # notes and signatures below the totals row are not events
        result.rows.append(row)


@dataclass(frozen=True)
class _Layout:
    """Where the header puts each column in a row of values; worked out once per sheet."""

    cells: tuple[tuple[int, str | None, str], ...]  # (position in values, key or None, header)
    columns: dict[str, int]
    headers: dict[str, str]


def _layout(header: _Header, col_offset: int) -> _Layout:
    cells: list[tuple[int, str | None, str]] = []
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for col, (column, name) in header.columns.items():
        cells.append((col - col_offset, None if column is None else column.key, name))
        if column is not None:
            columns[column.key] = col
            headers[column.key] = name
    return _Layout(tuple(cells), columns, headers)


def _raw_row(
    file: str,
    sheet: str,
    row_number: int,
    layout: _Layout,
    values: list[Any],
) -> RawRow:
    """One row's values by key; ``columns`` and ``headers`` are the sheet's, shared by its rows."""
    found: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    size = len(values)
    for position, key, name in layout.cells:
        value = values[position] if 0 <= position < size else None
        if isinstance(value, str) and not value.strip():
            value = None
        if key is not None:
            found[key] = value
        elif value is not None:
            extra[name] = value
    return RawRow(
        file=file,
        sheet=sheet,
        row=row_number,
        values=found,
        columns=layout.columns,
        headers=layout.headers,
        extra=extra,
    )


def _cut_long_text(row: RawRow, result: ReadResult) -> None:
    """Cut text longer than Excel allows in one cell (MAX_CELL_CHARS) and say so."""
    for where, header_of in ((row.values, row.headers), (row.extra, None)):
        for key, value in where.items():
            if not (isinstance(value, str) and len(value) > MAX_CELL_CHARS):
                continue
            where[key] = value[:MAX_CELL_CHARS]
            header = key if header_of is None else header_of.get(key, key)
            column = row.columns.get(key) if header_of is not None else None
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


def _looks_like_event(row: RawRow) -> bool:
    return all(row.values.get(key) is not None for key in ("start_date", "title", "event_type"))


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
