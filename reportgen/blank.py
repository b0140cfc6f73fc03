"""A blank input workbook for office staff, built from the schema in effect.

``reportgen inputs new FILE`` writes it: the events sheet with the schema's headers, a hint on
each header, dropdowns for the event type, province and mode, date and whole-number checks on
rows 2 to 1000, a ``Hướng dẫn`` sheet explaining every column with an example row, and the
dropdown lists in a hidden ``Danh mục`` sheet (Excel limits a list typed into a validation to
255 characters, far fewer than the provinces need).

Everything comes from the :class:`~reportgen.schema.Schema`, so an extended schema (an extra
column, an extra event type) gets its own headers, hints and dropdown entries without code
changes. The workbook is a Vietnamese form: its texts are Vietnamese whatever ``--lang`` says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OutputError
from .i18n import _
from .provinces import ProvinceTable, default_table, match_key
from .schema import Column, Schema
from .textnorm import fold
from .write import write_atomic

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "FIRST_ROW",
    "GUIDE_SHEET",
    "LAST_ROW",
    "LISTS_SHEET",
    "build_blank_workbook",
    "province_choices",
    "write_blank",
]

GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
#: The rows of the events sheet that get the dropdowns and checks.
FIRST_ROW, LAST_ROW = 2, 1000
DATE_FORMAT = "DD/MM/YYYY"
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)

_HEADER_FILL = "D9D9D9"
_REQUIRED_COLOUR = "C00000"
_EXCEL_TITLE_MAX = 32  # prompt and error titles
_EXCEL_MESSAGE_MAX = 225  # prompt and error texts (Excel's dialog refuses longer ones)

_TYPE_NAMES = {
    "text": "văn bản",
    "date": "ngày",
    "int": "số nguyên không âm",
    "list": "danh sách",
    "event_type": "loại hoạt động",
    "province": "tỉnh/thành phố",
    "mode": "hình thức tổ chức",
    "documents": "văn bản quán triệt",
    "ignore": "không đọc",
}

_TYPE_HINTS = {
    "text": "Ghi nội dung bằng chữ.",
    "date": "Ghi ngày theo thứ tự ngày/tháng/năm, ví dụ 07/12/2023.",
    "int": "Ghi một số nguyên không âm (0, 1, 2, ...).",
    "list": "Ghi các mục, cách nhau bằng dấu chấm phẩy (;) hoặc xuống dòng (Alt+Enter).",
    "event_type": "Chọn một loại hoạt động trong danh sách (mũi tên bên phải ô).",
    "province": "Chọn tỉnh, thành phố trong danh sách (mũi tên bên phải ô).",
    "mode": "Chọn hình thức tổ chức trong danh sách (mũi tên bên phải ô).",
    "documents": "Ghi số, ký hiệu văn bản (ví dụ 57-KL/TW), cách nhau bằng dấu chấm phẩy (;).",
    "ignore": "reportgen không đọc cột này; có thể để trống.",
}

_TYPE_EXAMPLES: dict[str, Any] = {
    "text": "Nội dung ví dụ",
    "date": dt.date(2025, 9, 12),
    "int": 100,
    "list": "Mục thứ nhất; Mục thứ hai",
    "province": "Phú Thọ",
    "documents": "57-KL/TW",
    "ignore": "",
}

_WIDTHS = {
    "ignore": 6,
    "date": 13,
    "int": 11,
    "event_type": 34,
    "province": 18,
    "mode": 13,
    "list": 30,
    "documents": 24,
    "text": 24,
}
_KEY_WIDTHS = {"title": 45, "lead_agency": 28, "source": 30, "chairs": 26, "topics": 30}


@dataclass(frozen=True)
class _Hint:
    text: str
    example: Any


# What to write in each column of the default schema, with a value of one example event.
_HINTS: dict[str, _Hint] = {
    "stt": _Hint("Số thứ tự của dòng; reportgen không đọc cột này.", 1),
    "event_id": _Hint(
        "Mã riêng của hoạt động, nếu đơn vị có. Để trống thì reportgen tự tạo mã.",
        "PT-2025-031",
    ),
    "start_date": _Hint(
        "Ngày bắt đầu hoạt động, ghi theo thứ tự ngày/tháng/năm, ví dụ 12/09/2025.",
        dt.date(2025, 9, 12),
    ),
    "end_date": _Hint(
        "Ngày kết thúc, không trước ngày bắt đầu. Để trống nếu hoạt động diễn ra trong một ngày.",
        dt.date(2025, 9, 13),
    ),
    "event_type": _Hint("Chọn loại hoạt động trong danh sách (mũi tên bên phải ô).", None),
    "title": _Hint(
        "Tên đầy đủ của hoạt động, như trong giấy mời hoặc bản tin.",
        "Hội nghị tập huấn công tác thông tin đối ngoại các tỉnh trung du và miền núi phía Bắc "
        "năm 2025",
    ),
    "province": _Hint(
        "Tỉnh, thành phố nơi tổ chức: chọn trong danh sách (34 tỉnh, thành phố hiện nay, "
        "tiếp theo là tên các tỉnh, thành phố trước ngày 01/7/2025 cho hoạt động trước ngày đó).",
        "Phú Thọ",
    ),
    "venue": _Hint("Nơi tổ chức cụ thể: hội trường, cơ quan, địa chỉ.", "Trung tâm Hội nghị tỉnh"),
    "lead_agency": _Hint(
        "Cơ quan, đơn vị chủ trì tổ chức hoạt động.", "Sở Văn hóa, Thể thao và Du lịch"
    ),
    "partners": _Hint(
        "Các cơ quan phối hợp, cách nhau bằng dấu chấm phẩy (;) hoặc xuống dòng (Alt+Enter).",
        "Công an tỉnh; Hội Nhà báo tỉnh",
    ),
    "mode": _Hint("", None),  # written from the schema's modes
    "online_points": _Hint(
        "Số điểm cầu trực tuyến (số nguyên không âm); chỉ ghi khi tổ chức trực tuyến hoặc kết hợp.",
        8,
    ),
    "attendees": _Hint(
        "Số đại biểu, người tham dự (số nguyên không âm). Nếu chỉ biết số gần đúng, ghi "
        "“khoảng 280”.",
        280,
    ),
    "provinces_attending": _Hint(
        "Số tỉnh, thành phố có đại biểu tham dự: tối đa 63 với hoạt động trước 01/7/2025, "
        "tối đa 34 từ ngày đó.",
        9,
    ),
    "copies": _Hint("Số bản ấn phẩm, tài liệu phát hành (số nguyên không âm).", 300),
    "documents": _Hint(
        "Văn bản được quán triệt, triển khai: số và ký hiệu (ví dụ 57-KL/TW, 1079/QĐ-TTg), "
        "cách nhau bằng dấu chấm phẩy (;).",
        "57-KL/TW; 1079/QĐ-TTg",
    ),
    "topics": _Hint(
        "Chủ đề, nội dung chính của hoạt động.",
        "Kỹ năng cung cấp thông tin cho báo chí; phản bác thông tin sai lệch",
    ),
    "chairs": _Hint("Chức vụ (và họ tên) lãnh đạo chủ trì.", "Phó Chủ tịch UBND tỉnh"),
    "source": _Hint(
        "Minh chứng: đường dẫn bài viết hoặc số, ngày văn bản báo cáo.",
        "Báo cáo số 125/BC-SVHTTDL ngày 15/9/2025",
    ),
    "reporting_unit": _Hint(
        "Phòng, đơn vị báo cáo dòng này. Để trống thì reportgen lấy tên tệp.",
        "Phòng Thông tin đối ngoại",
    ),
    "notes": _Hint("Ghi chú thêm, nếu có.", "Dòng ví dụ, không phải số liệu thật"),
}

_GUIDE_NOTES = (
    "Mỗi dòng của sheet “{sheet}” là một hoạt động. Giữ nguyên tên sheet và dòng tên cột; "
    "thứ tự cột có thể thay đổi, có thể thêm cột riêng của đơn vị.",
    "Ô có mũi tên bên phải: chọn trong danh sách. Rê chuột lên tên cột để xem cách ghi.",
    "Ngày luôn ghi theo thứ tự ngày/tháng/năm. Số ghi bằng chữ số, không ghi đơn vị.",
    "Cột tên màu đỏ là cột bắt buộc. Một số cột chỉ bắt buộc với một số loại hoạt động "
    "(xem cột “Bắt buộc” dưới đây).",
    "Một hoạt động do nhiều đơn vị cùng báo cáo chỉ được tính một lần trong báo cáo.",
)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a wrapped cell ``width`` characters wide.

    Neither Excel nor LibreOffice grows a row to fit wrapped text written by a program, so
    the row heights are set from this estimate.
    """
    per_line = max(int(width) - 1, 1)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            needed = len(word) if used == 0 else used + 1 + len(word)
            if needed <= per_line:
                used = needed
            else:
                extra, rest = divmod(len(word), per_line)
                lines += extra if used == 0 else extra + 1
                used = rest if rest else per_line
    return lines


def _row_height(values: list[Any], widths: list[float]) -> float:
    lines = max(
        (_wrapped_lines(_format_example(v), w) for v, w in zip(values, widths, strict=False)),
        default=1,
    )
    return 15.0 * max(lines, 1) + 2


def _format_example(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


def province_choices(provinces: ProvinceTable) -> list[str]:
    """The names of the province dropdown: the current units, then former names not among them.

    Each group is in alphabetical order; a name shared by a former and a current unit (Hà Nội,
    Phú Thọ) is listed once, as the validator takes the date into account.
    """

    def order(names: list[str]) -> list[str]:
        return sorted(names, key=lambda n: (fold(n), n))

    current = order([p.name for p in provinces.current()])
    seen = {match_key(n) for n in current}
    former: list[str] = []
    for p in provinces.former():
        key = match_key(p.name)
        if key not in seen:
            seen.add(key)
            former.append(p.name)
    return current + order(former)


class _Blank:
    """The pieces of the blank workbook derived from the schema."""

    def __init__(self, schema: Schema, provinces: ProvinceTable) -> None:
        self.schema = schema
        self.lists: dict[str, list[str]] = {
            "event_type": [t.label for t in schema.event_types],
            "province": province_choices(provinces),
            "mode": [m.label for m in schema.modes],
        }
        self.needed_by: dict[str, list[str]] = {}
        for event_type in schema.event_types:
            for need in event_type.needs:
                self.needed_by.setdefault(need, []).append(event_type.label)

    def requirement(self, column: Column) -> str:
        if column.required:
            return "Bắt buộc"
        if column.key in self.needed_by:
            return "Bắt buộc với: " + "; ".join(self.needed_by[column.key])
        return "Không bắt buộc"

    def hint(self, column: Column) -> str:
        if column.type == "mode" and self.lists["mode"]:
            text = f"Chọn trong danh sách: {', '.join(self.lists['mode'])}."
            default = next((m.label for m in self.schema.modes if m.code == "in_person"), "")
            return f"{text} Để trống nghĩa là {default}." if default else text
        known = _HINTS.get(column.key)
        if known is not None and known.text:
            return known.text
        kind = _TYPE_NAMES.get(column.type, column.type)
        return f"Cột bổ sung, kiểu {kind}. {_TYPE_HINTS.get(column.type, '')}".strip()

    def example(self, column: Column) -> Any:
        if column.type == "event_type":
            preferred = self.schema.event_type("training")
            return (preferred or self.schema.event_types[0]).label
        if column.type == "mode":
            labels = self.lists["mode"]
            return "Kết hợp" if "Kết hợp" in labels else (labels[0] if labels else "")
        known = _HINTS.get(column.key)
        if known is not None and known.example is not None:
            return known.example
        return _TYPE_EXAMPLES.get(column.type, "")

    def comment(self, column: Column) -> str:
        example = _format_example(self.example(column))
        text = f"{self.requirement(column)}. {self.hint(column)}"
        return f"{text}\nVí dụ: {example}" if example else text

    def width(self, column: Column) -> float:
        base = _KEY_WIDTHS.get(column.key, _WIDTHS.get(column.type, 20))
        longest_word = max((len(w) for w in column.header.split()), default=0)
        return float(max(base, longest_word + 3))


def _lists_range(column_letter: str, count: int) -> str:
    # Stored without the leading "=" typed in Excel's dialog, as Excel itself writes it.
    return f"'{LISTS_SHEET}'!${column_letter}${FIRST_ROW}:${column_letter}${count + 1}"


def _validation(column: Column, blank: _Blank, list_refs: dict[str, str]) -> Any | None:
    """The data validation of one column of the events sheet, or None for free text."""
    from openpyxl.utils.datetime import to_excel
    from openpyxl.worksheet.datavalidation import DataValidation

    hint = blank.hint(column)
    kind = column.type
    options: dict[str, Any]
    if kind in list_refs:
        if kind == "province":
            options = {
                "errorStyle": "warning",
                "errorTitle": "Tên tỉnh, thành phố lạ",
                "error": (
                    "Tên này không có trong danh sách. Chọn Yes để giữ nguyên nếu chắc chắn "
                    "đúng, No để sửa lại."
                ),
            }
        else:
            options = {
                "errorStyle": "stop",
                "errorTitle": "Giá trị không có trong danh sách",
                "error": "Hãy chọn một giá trị trong danh sách (mũi tên bên phải ô): "
                + ", ".join(blank.lists[kind])
                + ".",
            }
        dv = DataValidation(type="list", formula1=list_refs[kind], **options)
    elif kind == "date":
        dv = DataValidation(
            type="date",
            operator="between",
            formula1=str(int(to_excel(MIN_DATE))),
            formula2=str(int(to_excel(MAX_DATE))),
            errorStyle="warning",
            errorTitle="Ngày không hợp lệ",
            error=(
                "Hãy ghi ngày theo thứ tự ngày/tháng/năm, từ 01/01/2000 đến 31/12/2100, "
                "ví dụ 12/09/2025."
            ),
        )
    elif kind == "int":
        dv = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="warning",
            errorTitle="Số không hợp lệ",
            error=(
                "Hãy ghi một số nguyên không âm, ví dụ 280. Nếu chỉ biết số gần đúng "
                "(“khoảng 280”), chọn Yes để giữ."
            ),
        )
    else:
        return None
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.promptTitle = _clip(column.header, _EXCEL_TITLE_MAX)
    dv.prompt = _clip(hint, _EXCEL_MESSAGE_MAX)
    dv.errorTitle = _clip(dv.errorTitle or "", _EXCEL_TITLE_MAX)
    dv.error = _clip(dv.error or "", _EXCEL_MESSAGE_MAX)
    return dv


def _fill_lists(ws: Any, blank: _Blank) -> dict[str, str]:
    """Write the dropdown lists into the hidden sheet; return the range formula per type."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    titles = {"event_type": "Loại hoạt động", "province": "Tỉnh/thành phố", "mode": "Hình thức"}
    refs: dict[str, str] = {}
    index = 0
    for kind, values in blank.lists.items():
        if not values:
            continue
        index += 1
        letter = get_column_letter(index)
        ws.cell(1, index, titles[kind]).font = Font(bold=True)
        for row, value in enumerate(values, start=FIRST_ROW):
            ws.cell(row, index, value)
        ws.column_dimensions[letter].width = max(len(v) for v in values) + 2
        refs[kind] = _lists_range(letter, len(values))
    ws.sheet_state = "hidden"
    return refs


def _fill_events(ws: Any, blank: _Blank, list_refs: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    columns = blank.schema.columns
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(1, index, column.header)
        cell.font = Font(bold=True, color=_REQUIRED_COLOUR if column.required else None)
        cell.fill = fill
        cell.border = border
        cell.alignment = alignment
        note = Comment(blank.comment(column), "reportgen")
        note.width, note.height = 320, 140
        cell.comment = note
        dimension = ws.column_dimensions[letter]
        dimension.width = blank.width(column)
        if column.type == "date":
            dimension.number_format = DATE_FORMAT
        dv = _validation(column, blank, list_refs)
        if dv is not None:
            dv.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
            ws.add_data_validation(dv)
    last = get_column_letter(len(columns))
    header_lines = max(_wrapped_lines(c.header, blank.width(c)) for c in columns)
    ws.row_dimensions[1].height = 15.0 * max(header_lines, 2) + 6
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.auto_filter.ref = f"A1:{last}{LAST_ROW}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _fill_guide(ws: Any, blank: _Blank) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    schema = blank.schema
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")

    widths = [28.0, 24.0, 52.0, 30.0]
    widths += [20.0] * (len(schema.columns) - len(widths))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    def table_row(row: int, values: list[Any], *, header: bool = False) -> None:
        ws.row_dimensions[row].height = _row_height(values, widths)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.border = border
            cell.alignment = wrap
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if header:
                cell.font = Font(bold=True)
                cell.fill = fill

    def heading(row: int, text: str) -> None:
        ws.cell(row, 1, text).font = Font(bold=True, size=12)

    ws.cell(1, 1, f"HƯỚNG DẪN GHI SỐ LIỆU VÀO SHEET “{schema.sheet}”").font = Font(
        bold=True, size=14
    )
    row = 3
    for note in _GUIDE_NOTES:
        ws.cell(row, 1, "• " + note.format(sheet=schema.sheet))
        row += 1

    row += 1
    heading(row, "Các cột")
    row += 1
    table_row(row, ["Tên cột", "Bắt buộc", "Cách ghi", "Ví dụ"], header=True)
    for column in schema.columns:
        row += 1
        table_row(
            row,
            [
                column.header,
                blank.requirement(column),
                blank.hint(column),
                _format_example(blank.example(column)),
            ],
        )
        if column.required:
            ws.cell(row, 1).font = Font(bold=True, color=_REQUIRED_COLOUR)

    row += 2
    heading(row, "Ví dụ một dòng hoàn chỉnh")
    row += 1
    table_row(row, [c.header for c in schema.columns], header=True)
    row += 1
    table_row(row, [blank.example(c) for c in schema.columns])

    row += 2
    heading(row, f"Các loại hoạt động (cột “{_event_type_header(schema)}”)")
    row += 1
    table_row(row, ["Loại hoạt động", "Phải ghi thêm cột"], header=True)
    for event_type in schema.event_types:
        row += 1
        needs = "; ".join(schema.column(n).header for n in event_type.needs)
        table_row(row, [event_type.label, needs or "–"])

    # Printed: the explanation (columns A to D) on landscape A4, one page wide.
    ws.print_area = f"A1:D{row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _event_type_header(schema: Schema) -> str:
    return next((c.header for c in schema.columns if c.type == "event_type"), "")


def build_blank_workbook(schema: Schema, provinces: ProvinceTable) -> Workbook:
    """The blank input workbook of ``schema``: events sheet, guide sheet, hidden lists sheet."""
    from openpyxl import Workbook

    blank = _Blank(schema, provinces)
    workbook = Workbook()
    events = workbook.active
    events.title = schema.sheet
    guide = workbook.create_sheet(GUIDE_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    list_refs = _fill_lists(lists, blank)
    _fill_events(events, blank, list_refs)
    _fill_guide(guide, blank)
    workbook.active = 0
    return workbook


def write_blank(
    path: Path,
    schema: Schema,
    force: bool = False,
    provinces: ProvinceTable | None = None,
) -> Path:
    """Write the blank workbook of ``schema`` to ``path`` atomically and return the path.

    A path without a suffix gets ``.xlsx``. An existing file is replaced only with ``force``;
    otherwise :class:`~reportgen.errors.OutputError` is raised and nothing is written.
    """
    if not path.suffix:
        path = path.with_suffix(".xlsx")
    if path.suffix.lower() != ".xlsx":
        raise OutputError(
            _(
                "A blank workbook is written as .xlsx; choose a file name ending in .xlsx: {path}"
            ).format(path=path)
        )
    if path.is_dir():
        raise OutputError(_("{path} is a folder; give a file name.").format(path=path))
    if path.exists() and not force:
        raise OutputError(
            _("{path} already exists; it was not replaced. Use --force to replace it.").format(
                path=path
            )
        )
    workbook = build_blank_workbook(schema, provinces or default_table())
    return write_atomic(path, workbook.save)
