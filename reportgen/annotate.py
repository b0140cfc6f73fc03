"""Annotated copies of input workbooks: every problem cell highlighted and explained.

For each ``.xlsx``/``.xlsm`` workbook with at least one problem, a copy is written to the
chosen folder under the same name. Each problem cell gets a light red fill (errors) or a light
yellow fill (warnings) and a comment, by ``reportgen``, holding its messages one per line.
Problems without a cell go on the first filled cell of their row; problems of the whole file
go into a comment on ``A1`` of the events sheet.

The input is read once into memory and the annotated copy is written atomically beside its
target; the input file itself is never written. Files that could not be opened at all, and
``.xls``/``.ods`` workbooks (which openpyxl cannot write), are listed as skipped with the reason.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import _
from .problems import Problem
from .schema import Schema, load_schema
from .textnorm import fold_compact
from .write import write_atomic

ERROR_FILL = "FFC7CE"  # light red, Excel's "bad" style
WARNING_FILL = "FFEB9C"  # light yellow, Excel's "neutral" style
AUTHOR = "reportgen"
ANNOTATABLE_SUFFIXES = (".xlsx", ".xlsm")
# Problem codes meaning the file was never opened: there is no cell to mark.
UNOPENED_CODES = frozenset(
    {
        "file.missing",
        "file.unsupported",
        "file.unreadable",
        "file.empty",
        "file.encrypted",
        "file.damaged",
        "file.too_large",
    }
)

# Comment box size, in pixels (openpyxl writes them into the VML shape): wide enough for a
# sentence per line, tall enough for every wrapped line, never bigger than a screenful.
_CHAR_PX = 7
_LINE_PX = 16
_PAD_PX = 24
_MIN_WIDTH_PX, _MAX_WIDTH_PX = 240, 480
_MIN_HEIGHT_PX, _MAX_HEIGHT_PX = 60, 480


@dataclass(frozen=True)
class Skipped:
    """An input with problems that got no annotated copy, and why (a translated sentence)."""

    file: Path
    reason: str


@dataclass
class AnnotateResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class _Note:
    """What goes on one cell: whether any problem is an error, and the comment lines."""

    error_lines: list[str] = field(default_factory=list)
    warning_lines: list[str] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if problem.severity == "error":
            lines, prefix = self.error_lines, _("Error:")
        else:
            lines, prefix = self.warning_lines, _("Warning:")
        line = f"{prefix} {problem.message}"
        if line not in lines:
            lines.append(line)

    @property
    def error(self) -> bool:
        return bool(self.error_lines)

    def text(self) -> str:
        # Errors first: they are the ones that keep the row out of the report.
        return "\n".join(self.error_lines + self.warning_lines)


def annotate(
    problems: Iterable[Problem],
    out_dir: Path,
    *,
    schema: Schema | None = None,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Write an annotated copy of each workbook with problems into ``out_dir``; return them.

    ``inputs`` are files that must never be overwritten (all the files that were read, also
    those without problems); a copy that would land on one of them is skipped.
    """
    return annotate_files(problems, out_dir, schema=schema, inputs=inputs).written


def annotate_files(
    problems: Iterable[Problem],
    out_dir: Path,
    *,
    schema: Schema | None = None,
    inputs: Iterable[Path] = (),
) -> AnnotateResult:
    """Like :func:`annotate`, also saying which files were skipped and why."""
    schema = schema or load_schema()
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.file:
            by_file.setdefault(problem.file, []).append(problem)
    protected = {_resolved(Path(p)) for p in inputs} | {_resolved(Path(f)) for f in by_file}
    result = AnnotateResult()
    used_names: set[str] = set()
    for name, found in by_file.items():
        source = Path(name)
        suffix = source.suffix.lower()
        if suffix in (".xls", ".ods"):
            result.skipped.append(
                Skipped(
                    source,
                    _(
                        "{path}: .xls and .ods workbooks cannot be annotated; save it as .xlsx "
                        "to get an annotated copy."
                    ).format(path=source),
                )
            )
            continue
        if suffix not in ANNOTATABLE_SUFFIXES or any(p.code in UNOPENED_CODES for p in found):
            result.skipped.append(
                Skipped(
                    source,
                    _(
                        "{path} was not annotated: the file cannot be opened, so there is no "
                        "cell to mark (see the problem listed for it)."
                    ).format(path=source),
                )
            )
            continue
        target = out_dir / _free_name(source, used_names)
        if _resolved(target) in protected:
            result.skipped.append(
                Skipped(
                    source,
                    _(
                        "{path} was not annotated: the copy would replace an input file; "
                        "choose another folder for --annotate."
                    ).format(path=source),
                )
            )
            continue
        try:
            workbook = _load(source)
        except Exception as exc:  # openpyxl raises many unrelated types for odd files
            result.skipped.append(
                Skipped(
                    source,
                    _("{path} was not annotated: the file cannot be opened ({reason}).").format(
                        path=source, reason=str(exc)[:200] or type(exc).__name__
                    ),
                )
            )
            continue
        try:
            _mark(workbook, found, schema)
            result.written.append(write_atomic(target, workbook.save))
        finally:
            if workbook.vba_archive is not None:  # kept open by keep_vba until the save
                workbook.vba_archive.close()
    return result


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _free_name(source: Path, used: set[str]) -> str:
    """The source's file name; ``name-2.xlsx`` and so on if another input had it already."""
    name, number = source.name, 1
    while name.casefold() in used:
        number += 1
        name = f"{source.stem}-{number}{source.suffix}"
    used.add(name.casefold())
    return name


def _load(source: Path) -> Any:
    """The workbook, from an in-memory copy of the file (the input is only ever read)."""
    from openpyxl import load_workbook

    data = io.BytesIO(source.read_bytes())
    with warnings.catch_warnings():
        # Features openpyxl does not keep (data-validation extensions, slicers...) are warned
        # about; the copy is for finding problems, so that is not worth a message.
        warnings.simplefilter("ignore")
        return load_workbook(data, keep_vba=source.suffix.lower() == ".xlsm", rich_text=True)


def _events_sheet(workbook: Any, found: list[Problem], schema: Schema) -> Any:
    """The sheet the rows were read from, else the one named like it, else the first one."""
    sheets = list(workbook.worksheets)
    by_name = {ws.title: ws for ws in sheets}
    narrative = fold_compact(schema.narrative_sheet)
    for problem in found:
        if problem.sheet in by_name and fold_compact(problem.sheet) != narrative:
            return by_name[problem.sheet]
    wanted = fold_compact(schema.sheet)
    named = [ws for ws in sheets if fold_compact(ws.title) == wanted]
    others = [ws for ws in sheets if fold_compact(ws.title) != narrative]
    return (named or others or sheets)[0]


def _first_cell(ws: Any, row: int) -> str:
    """The first filled cell of ``row`` (a table need not start in column A), else ``A``."""
    from openpyxl.utils import get_column_letter

    if row <= ws.max_row:
        for index, value in enumerate(
            next(ws.iter_rows(min_row=row, max_row=row, values_only=True), ()), start=1
        ):
            if value is not None and str(value).strip():
                return f"{get_column_letter(index)}{row}"
    return f"A{row}"


def _anchor(ws: Any, coordinate: str) -> str:
    """The top-left cell of the merged range holding ``coordinate`` (what Excel shows)."""
    from openpyxl.utils import get_column_letter

    for merged in ws.merged_cells.ranges:
        if coordinate in merged:
            return f"{get_column_letter(merged.min_col)}{merged.min_row}"
    return coordinate


def _place(problem: Problem, workbook: Any, events: Any) -> tuple[Any, str]:
    """The sheet and cell a problem is written on."""
    sheet = None
    if problem.sheet:
        sheet = next((ws for ws in workbook.worksheets if ws.title == problem.sheet), None)
    if sheet is None:
        return events, "A1"  # a problem of the whole file (or of a sheet the copy lacks)
    if problem.row is None:
        return sheet, "A1"  # a problem of the whole sheet
    if problem.column:
        return sheet, _anchor(sheet, problem.cell)
    return sheet, _anchor(sheet, _first_cell(sheet, problem.row))


def _mark(workbook: Any, found: list[Problem], schema: Schema) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    events = _events_sheet(workbook, found, schema)
    notes: dict[tuple[str, str], _Note] = {}
    sheets: dict[str, Any] = {}
    for problem in found:
        sheet, coordinate = _place(problem, workbook, events)
        sheets[sheet.title] = sheet
        notes.setdefault((sheet.title, coordinate), _Note()).add(problem)
    for (title, coordinate), note in notes.items():
        cell = sheets[title][coordinate]
        color = "FF" + (ERROR_FILL if note.error else WARNING_FILL)
        cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
        text = note.text()
        if cell.comment is not None and cell.comment.text and cell.comment.author != AUTHOR:
            text += f"\n\n{cell.comment.author}: {cell.comment.text}".rstrip()
        width, height = comment_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)


def comment_size(text: str) -> tuple[int, int]:
    """Width and height in pixels of a comment box that shows ``text`` without scrolling."""
    lines = text.split("\n")
    longest = max(len(line) for line in lines)
    width = min(_MAX_WIDTH_PX, max(_MIN_WIDTH_PX, longest * _CHAR_PX + _PAD_PX))
    # Word wrap breaks lines early; count on ~85% of the characters that would fit.
    per_line = max(1, int((width - _PAD_PX) / _CHAR_PX * 0.85))
    rows = sum(max(1, math.ceil(len(line) / per_line)) for line in lines)
    height = min(_MAX_HEIGHT_PX, max(_MIN_HEIGHT_PX, rows * _LINE_PX + _PAD_PX))
    return width, height
