"""Render an Excel template: Jinja in cells and sheet names, and rows that repeat per item.

A row whose first used cell starts with ``{%tr for x in items %}`` and whose last used cell
ends with ``{%tr endfor %}`` is repeated once per item. A cell holding
``{%tc for h in items %}...{%tc endfor %}`` fills itself and the cells to its right, one per
item (so the annex's data sheet follows an extended schema's columns).
The rows below move down, and formulas are rewritten so that a ``SUM`` over the template row
covers every repeated row. Values from the data are never written as formulas.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import TemplateError
from .i18n import _
from .render import template_failures

_LOOP_START = re.compile(r"^\s*\{%-?\s*tr\s+for\s+(\w+)\s+in\s+(.+?)\s*-?%\}")
_LOOP_END = re.compile(r"\{%-?\s*tr\s+endfor\s*-?%\}\s*$")
_COLUMN_LOOP = re.compile(
    r"^\s*\{%-?\s*tc\s+for\s+(\w+)\s+in\s+(.+?)\s*-?%\}(.*)\{%-?\s*tc\s+endfor\s*-?%\}\s*$",
    re.DOTALL,
)
_SINGLE_EXPR = re.compile(r"^\s*\{\{(.+?)\}\}\s*$", re.DOTALL)
_FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass
class LoopInfo:
    index: int
    index0: int
    first: bool
    last: bool
    length: int
    revindex: int


# Page headers and footers of a sheet; each has left, center and right parts.
_HEADER_FOOTERS = (
    "oddHeader",
    "oddFooter",
    "evenHeader",
    "evenFooter",
    "firstHeader",
    "firstFooter",
)


def _escape_header_value(value: Any) -> Any:
    """``&`` starts a code in an Excel header (``&P`` page number): a literal one is ``&&``."""
    return value.replace("&", "&&") if isinstance(value, str) else value


@functools.lru_cache(maxsize=4096)
def _expression(env: Any, source: str, undefined_to_none: bool = True) -> Any:
    """A compiled cell expression. A row loop renders the same cells once per item: compiling
    each source once keeps a 34-province batch from spending most of its time in Jinja's
    compiler."""
    return env.compile_expression(source, undefined_to_none=undefined_to_none)


@functools.lru_cache(maxsize=4096)
def _template(env: Any, source: str) -> Any:
    """A compiled cell, sheet-name or header text (see :func:`_expression`)."""
    return env.from_string(source)


@functools.lru_cache(maxsize=8)
def _header_env(env: Any) -> Any:
    return env.overlay(finalize=_escape_header_value)


def _has_tags(text: str) -> bool:
    return "{{" in text or "{%" in text


def _used_cells(row: Iterable[Any]) -> list[Any]:
    return [c for c in row if c.value is not None and c.value != ""]


class _SheetRenderer:
    def __init__(self, ws: Any, env: Any, context: dict[str, Any], template: Path) -> None:
        self.ws = ws
        self.env = env
        self.context = context
        self.template = template

    def where(self, cell: Any) -> str:
        return _("{template}, sheet '{sheet}', cell {cell}").format(
            template=self.template.name, sheet=self.ws.title, cell=cell.coordinate
        )

    def fail(self, cell: Any, exc: Exception) -> TemplateError:
        from .render import explain_jinja_error

        return TemplateError(
            _("{where}: {why}").format(where=self.where(cell), why=explain_jinja_error(exc))
        )

    def value(self, cell: Any, text: str, scope: dict[str, Any]) -> Any:
        from jinja2 import Undefined

        try:
            single = _SINGLE_EXPR.match(text)
            if single and "{{" not in single.group(1) and "{%" not in text:
                result = _expression(self.env, single.group(1).strip(), False)(**scope)
                if isinstance(result, Undefined):
                    str(result)  # StrictUndefined raises here, naming the missing field
                return result
            return _template(self.env, text).render(**scope)
        except template_failures() as exc:
            raise self.fail(cell, exc) from None

    def set(self, cell: Any, value: Any) -> None:
        from jinja2 import Undefined

        if isinstance(value, Undefined):
            value = None
        if isinstance(value, list | tuple):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, dict) or (hasattr(value, "__html__") and not isinstance(value, str)):
            # A chart or picture (media.py) draws itself in Word only; a cell gets its text.
            value = str(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date) and cell.number_format == "General":
            cell.number_format = "DD/MM/YYYY"
        if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
            # Data is never a formula: store as text and keep Excel from re-reading it.
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True
            return
        cell.value = value if value != "" else None

    def render_cell(self, cell: Any, scope: dict[str, Any], raw: Any) -> None:
        text = raw
        if not (isinstance(text, str) and _has_tags(text)):
            return
        columns = _COLUMN_LOOP.match(text)
        if columns is None:
            self.set(cell, self.value(cell, text, scope))
            return
        name, expression, body = columns.groups()
        try:
            items = list(_expression(self.env, expression)(**scope) or [])
        except Exception as exc:
            raise self.fail(cell, exc) from None
        self.expand_columns(cell, name, items, body, scope)

    def expand_columns(
        self, cell: Any, name: str, items: list[Any], body: str, scope: dict[str, Any]
    ) -> None:
        """Fill the cell and the cells to its right, one per item (a column loop)."""
        from openpyxl.utils import get_column_letter

        ws = self.ws
        style = copy.copy(cell._style)
        width = ws.column_dimensions[get_column_letter(cell.column)].width
        for offset, item in enumerate(items):
            target = ws.cell(cell.row, cell.column + offset)
            if offset and target.value not in (None, ""):
                raise TemplateError(
                    _(
                        "{where}: the column loop needs empty cells to its right, but {cell} "
                        "holds '{value}'."
                    ).format(where=self.where(cell), cell=target.coordinate, value=target.value)
                )
            target._style = copy.copy(style)
            letter = get_column_letter(target.column)
            if offset and ws.column_dimensions[letter].width in (None, 13.0) and width:
                ws.column_dimensions[letter].width = width
            inner = dict(scope)
            inner[name] = item
            inner["loop"] = LoopInfo(
                offset + 1,
                offset,
                offset == 0,
                offset == len(items) - 1,
                len(items),
                len(items) - offset,
            )
            self.set(target, self.value(target, body, inner))
        if not items:
            cell.value = None

    def find_loop(self, row_index: int) -> tuple[str, str] | None:
        cells = _used_cells(self.ws[row_index])
        if not cells or not isinstance(cells[0].value, str):
            return None
        start = _LOOP_START.match(cells[0].value)
        if not start:
            return None
        last = cells[-1]
        if not isinstance(last.value, str) or not _LOOP_END.search(last.value):
            raise TemplateError(
                _(
                    "{where}: the row loop '{{%tr for ... %}}' has no '{{%tr endfor %}}' at the "
                    "end of the same row; put both tags in one row (first and last cell)."
                ).format(where=self.where(cells[0]))
            )
        return start.group(1), start.group(2)

    def render_header_footer(self) -> None:
        """Render Jinja in the page headers and footers; Excel's ``&P``/``&N`` codes stay."""

        ws = self.ws
        for kind in _HEADER_FOOTERS:
            block = getattr(ws, kind, None)
            if block is None:
                continue
            for side in ("left", "center", "right"):
                part: Any = getattr(block, side, None)
                text = getattr(part, "text", None)
                if part is None or not (isinstance(text, str) and _has_tags(text)):
                    continue
                try:
                    part.text = _template(self.header_env(), text).render(**self.context)
                except template_failures() as exc:
                    from .render import explain_jinja_error

                    where = _("{template}, sheet '{sheet}', page header or footer").format(
                        template=self.template.name, sheet=ws.title
                    )
                    raise TemplateError(
                        _("{where}: {why}").format(where=where, why=explain_jinja_error(exc))
                    ) from None

    def header_env(self) -> Any:
        """The environment with ``&`` in values doubled, so data never becomes a header code."""
        return _header_env(self.env)

    def run(self) -> None:
        ws = self.ws
        if _has_tags(ws.title):
            try:
                title = _template(self.env, ws.title).render(**self.context)
            except template_failures() as exc:
                raise self.fail(ws["A1"], exc) from None
            ws.title = re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or ws.title
        self.render_header_footer()
        row_index = 1
        while row_index <= ws.max_row:
            loop = self.find_loop(row_index)
            if loop is None:
                # Right to left, from the template text taken first: a column loop fills cells
                # to its right, and rendered data must never be rendered again as a template.
                for cell, raw in reversed([(c, c.value) for c in ws[row_index]]):
                    self.render_cell(cell, self.context, raw)
                row_index += 1
                continue
            name, expression = loop
            first = _used_cells(ws[row_index])[0]
            try:
                items = list(_expression(self.env, expression)(**self.context) or [])
            except Exception as exc:
                raise self.fail(first, exc) from None
            row_index += self.expand(row_index, name, items)

    def expand(self, row_index: int, name: str, items: list[Any]) -> int:
        """Repeat row ``row_index`` for each item; return how many rows it now takes."""
        ws = self.ws
        template_cells = [
            (cell.column, cell.value, copy.copy(cell._style)) for cell in ws[row_index]
        ]
        for column, value, _style in template_cells:
            if isinstance(value, str):
                value = _LOOP_START.sub("", value, count=1)
                value = _LOOP_END.sub("", value)
                ws.cell(row_index, column).value = value or None
        template_values = {c: ws.cell(row_index, c).value for c, _v, _s in template_cells}
        extra = len(items) - 1
        if extra > 0:
            shift_rows(ws, row_index, extra)
        height = ws.row_dimensions[row_index].height
        for offset, item in enumerate(items):
            target = row_index + offset
            scope = dict(self.context)
            scope[name] = item
            scope["loop"] = LoopInfo(
                offset + 1,
                offset,
                offset == 0,
                offset == len(items) - 1,
                len(items),
                len(items) - offset,
            )
            for column, _value, style in reversed(template_cells):
                cell = ws.cell(target, column)
                cell._style = copy.copy(style)
                raw = template_values[column]
                if isinstance(raw, str) and _has_tags(raw):
                    self.render_cell(cell, scope, raw)
                else:
                    cell.value = raw
            if height is not None:
                ws.row_dimensions[target].height = height
        if not items:
            # An empty list leaves the row blank (styles kept) so formulas over it stay valid.
            for column, _value, _style in template_cells:
                ws.cell(row_index, column).value = None
            return 1
        return len(items)


_CELL_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")


def _shift_reference(ref: str, row_index: int, extra: int) -> str:
    """Move a reference below ``row_index`` down; widen a range that ends on it."""
    sheet = ""
    if "!" in ref:
        sheet, ref = ref.rsplit("!", 1)
        sheet += "!"
    parts = ref.split(":")

    def move(part: str, is_end: bool, start_row: int | None) -> str:
        match = _CELL_REF.fullmatch(part)
        if not match:
            return part
        col_abs, col, row_abs, row = match.groups()
        number = int(row)
        if number > row_index or (
            is_end and number == row_index and start_row is not None and start_row <= row_index
        ):
            number += extra
        return f"{col_abs}{col}{row_abs}{number}"

    if len(parts) == 2:
        start_match = _CELL_REF.fullmatch(parts[0])
        start_row = int(start_match.group(4)) if start_match else None
        return sheet + move(parts[0], False, None) + ":" + move(parts[1], True, start_row)
    return sheet + move(parts[0], False, None)


def shift_formula(formula: str, row_index: int, extra: int, own_sheet: str) -> str:
    from openpyxl.formula.tokenizer import Token, Tokenizer

    try:
        tokens = Tokenizer(formula).items
    except Exception:
        return formula
    out = ["="]
    for token in tokens:
        value = token.value
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            if "!" in value:
                sheet = value.rsplit("!", 1)[0].strip("'")
                if sheet != own_sheet:
                    out.append(value)
                    continue
            value = _shift_reference(value, row_index, extra)
        out.append(value)
    return "".join(out)


def shift_rows(ws: Any, row_index: int, extra: int) -> None:
    """Make room for ``extra`` rows below ``row_index``, keeping the sheet consistent."""
    from openpyxl.worksheet.cell_range import CellRange

    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f":
                cell.value = shift_formula(cell.value, row_index, extra, ws.title)
    max_row, max_col = ws.max_row, ws.max_column
    merged = [CellRange(str(r)) for r in ws.merged_cells.ranges]
    for rng in merged:
        ws.unmerge_cells(str(rng))
    heights = {
        r: ws.row_dimensions[r].height
        for r in range(row_index + 1, max_row + 1)
        if ws.row_dimensions[r].height is not None
    }
    if max_row > row_index:
        ws.move_range(f"A{row_index + 1}:{_letter(max_col)}{max_row}", rows=extra, translate=False)
    for r in range(row_index + 1, max_row + 1):
        ws.row_dimensions[r].height = None
    for r, h in heights.items():
        ws.row_dimensions[r + extra].height = h
    for rng in merged:
        if rng.min_row > row_index:
            rng.shift(row_shift=extra)
        ws.merge_cells(str(rng))
    if ws.auto_filter.ref:
        ws.auto_filter.ref = _shift_reference(ws.auto_filter.ref, row_index, extra)
    if ws.print_area:
        areas = [a.split("!")[-1] for a in str(ws.print_area).split(",")]
        ws.print_area = [_shift_reference(a.replace("'", ""), row_index, extra) for a in areas]
    _shift_validations(ws, row_index, extra)
    _shift_conditional_formats(ws, row_index, extra)
    _shift_defined_names(ws, row_index, extra)
    _shift_charts(ws, row_index, extra)


def _as_area(ref: str) -> str:
    """``C7`` as ``C7:C7``: a cell that marks an area (validation, chart data) on the loop
    row stands for the cell of every repeated row."""
    sheet, _sep, cells = ref.rpartition("!")
    if ":" in cells or not _CELL_REF.fullmatch(cells):
        return ref
    return f"{sheet}{_sep}{cells}:{cells}"


def _shift_area(ref: str, row_index: int, extra: int) -> str:
    """Move or widen ``ref``; a lone cell on the loop row becomes the column of its rows."""
    shifted = _shift_reference(_as_area(ref), row_index, extra)
    head, _sep, cells = shifted.rpartition("!")
    start, _colon, end = cells.partition(":")
    return f"{head}{_sep}{start}" if start == end and ":" not in ref else shifted


def _shift_ranges(ranges: Any, row_index: int, extra: int) -> str:
    """A space-separated list of ranges (``sqref``), each moved or widened."""
    return " ".join(_shift_area(str(r), row_index, extra) for r in ranges)


def _shift_on_sheet(text: str, row_index: int, extra: int, sheet: str) -> str:
    """Shift the references to ``sheet`` in a formula-like text that has no leading ``=``."""
    return shift_formula("=" + text, row_index, extra, sheet)[1:]


def _shift_validations(ws: Any, row_index: int, extra: int) -> None:
    from openpyxl.worksheet.cell_range import MultiCellRange

    for validation in ws.data_validations.dataValidation:
        validation.sqref = MultiCellRange(_shift_ranges(validation.sqref.ranges, row_index, extra))
        for attr in ("formula1", "formula2"):
            formula = getattr(validation, attr)
            if formula:
                setattr(validation, attr, _shift_on_sheet(formula, row_index, extra, ws.title))


def _shift_conditional_formats(ws: Any, row_index: int, extra: int) -> None:
    """Rebuild the list: a range over the loop row covers every repeated row."""
    from openpyxl.formatting.formatting import ConditionalFormattingList

    old = ws.conditional_formatting
    new = ConditionalFormattingList()
    for formatting in old:
        sqref = _shift_ranges(formatting.sqref.ranges, row_index, extra)
        for rule in formatting.rules:
            rule.formula = [_shift_on_sheet(f, row_index, extra, ws.title) for f in rule.formula]
            new.add(sqref, rule)
    ws.conditional_formatting = new


def _shift_defined_names(ws: Any, row_index: int, extra: int) -> None:
    """Names (of the workbook or of this sheet) pointing at this sheet; print titles stay."""
    scopes = [ws.parent.defined_names, *(sheet.defined_names for sheet in ws.parent.worksheets)]
    for names in scopes:
        for name, defined in names.items():
            text = defined.attr_text
            if name.startswith("_xlnm.") or not text or ws.title not in text:
                continue
            defined.attr_text = _shift_on_sheet(defined.attr_text, row_index, extra, ws.title)


def _chart_references(chart: Any) -> Iterable[Any]:
    """The ``numRef``/``strRef`` objects a chart's series read their data from."""
    for series in chart.series:
        sources = [series.val, series.cat, series.xVal, series.yVal, series.bubbleSize]
        for source in sources:
            if source is None:
                continue
            for kind in ("numRef", "strRef", "multiLvlStrRef"):
                ref = getattr(source, kind, None)
                if ref is not None:
                    yield ref
        if series.tx is not None and series.tx.strRef is not None:
            yield series.tx.strRef


def _shift_charts(ws: Any, row_index: int, extra: int) -> None:
    """Widen chart data over the loop row (any sheet's chart); move this sheet's charts down."""
    for sheet in ws.parent.worksheets:
        for chart in getattr(sheet, "_charts", []):
            for ref in _chart_references(chart):
                if ref.f and ws.title in ref.f:
                    if "," in ref.f:
                        ref.f = _shift_on_sheet(ref.f, row_index, extra, ws.title)
                    else:
                        ref.f = _shift_area(ref.f, row_index, extra)
                    # The cached values are the template's: let Excel and LibreOffice reread.
                    for cache in ("numCache", "strCache", "multiLvlStrCache"):
                        if hasattr(ref, cache):
                            setattr(ref, cache, None)
            if sheet is not ws:
                continue
            anchor = chart.anchor
            if isinstance(anchor, str):  # a chart added in code, not yet saved: "G6"
                chart.anchor = _shift_reference(anchor, row_index, extra)
                continue
            for marker in (getattr(anchor, "_from", None), getattr(anchor, "to", None)):
                # Markers count rows from 0: row N of the sheet is marker row N - 1.
                if marker is not None and marker.row >= row_index:
                    marker.row += extra


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def render_workbook(template: Path, context: dict[str, Any], target: Path, env: Any) -> None:
    from openpyxl import load_workbook

    from .render import check_template_archive

    check_template_archive(template)
    try:
        workbook = load_workbook(template)
    except Exception as exc:
        raise TemplateError(
            _("{template}: cannot open the Excel template ({reason}).").format(
                template=template, reason=exc
            )
        ) from None
    for ws in workbook.worksheets:
        _SheetRenderer(ws, env, context, template).run()
    # Formulas were widened, not computed: Excel recalculates everything on open.
    workbook.calculation.fullCalcOnLoad = True
    workbook.save(target)
