"""`reportgen inputs new`: the blank input workbook, built from the schema in effect."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from reportgen.blank import (
    FIRST_ROW,
    GUIDE_SHEET,
    LAST_ROW,
    LISTS_SHEET,
    build_blank_workbook,
    province_choices,
)
from reportgen.provinces import default_table, match_key
from reportgen.schema import default_schema, load_schema


@pytest.fixture
def blank(tmp_path: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A blank workbook written by `reportgen inputs new` in a folder without reportgen.toml."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "mau-nhap-lieu.xlsx"
    result = invoke("inputs", "new", str(path))
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    return path


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path)


def _validations(ws: Any) -> dict[str, Any]:
    """The data validations of the events sheet, keyed by the column letter they cover."""
    found: dict[str, Any] = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            assert (cell_range.min_row, cell_range.max_row) == (FIRST_ROW, LAST_ROW)
            assert cell_range.min_col == cell_range.max_col
            found[cell_range.coord[0]] = dv
    return found


def _list_values(workbook: Any, formula: str) -> list[str]:
    """The cells a list validation's ``'Sheet'!$A$2:$A$9`` formula points at."""
    sheet, cells = formula.lstrip("=").rsplit("!", 1)
    ws = workbook[sheet.strip("'")]
    return [row[0].value for row in ws[cells.replace("$", "")]]


def _letters(ws: Any) -> dict[str, str]:
    """Header text -> column letter of the events sheet."""
    return {cell.value: cell.column_letter for cell in ws[1]}


def _guide_texts(workbook: Any) -> set[str]:
    return {
        str(value)
        for row in workbook[GUIDE_SHEET].iter_rows(values_only=True)
        for value in row
        if value is not None
    }


def test_headers_layout_and_print_setup(blank: Path) -> None:
    """The events sheet has the schema's headers in order, styled, frozen, filtered, on A4."""
    workbook = _open(blank)
    schema = default_schema()
    assert workbook.sheetnames[0] == schema.sheet
    ws = workbook[schema.sheet]
    assert [c.value for c in ws[1]] == [c.header for c in schema.columns]
    assert ws.max_row == 1  # no styled empty rows: staff (and ws.append) start at row 2
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws[1][-1].column_letter}{LAST_ROW}"
    first = ws["A1"]
    assert first.font.b and first.alignment.wrap_text
    assert first.fill.fgColor.rgb.endswith("D9D9D9") and first.border.left.style == "thin"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    letters = _letters(ws)
    assert ws.column_dimensions[letters["Tên hoạt động"]].width > (
        ws.column_dimensions[letters["Số đại biểu"]].width
    )


def test_data_validations_by_column_type(blank: Path) -> None:
    """Dropdowns for type, province and mode read a hidden lists sheet; int and date checks."""
    workbook = _open(blank)
    schema = default_schema()
    ws = workbook[schema.sheet]
    letters = _letters(ws)
    validations = _validations(ws)
    lists = workbook[LISTS_SHEET]
    assert lists.sheet_state == "hidden"

    event_type = validations[letters["Loại hoạt động"]]
    assert event_type.type == "list" and event_type.errorStyle == "stop"
    assert LISTS_SHEET in event_type.formula1
    assert _list_values(workbook, event_type.formula1) == [t.label for t in schema.event_types]

    mode = validations[letters["Hình thức"]]
    assert mode.type == "list" and mode.errorStyle == "stop"
    assert _list_values(workbook, mode.formula1) == ["Trực tiếp", "Trực tuyến", "Kết hợp"]

    province = validations[letters["Tỉnh/thành phố"]]
    assert province.type == "list" and province.errorStyle == "warning"
    names = _list_values(workbook, province.formula1)
    assert len(names) > 60 and len(",".join(names)) > 255  # too long for an inline list
    assert names[:34] == province_choices(default_table())[:34]
    for header in ("Số điểm cầu", "Số đại biểu", "Số tỉnh, thành phố tham dự", "Số ấn phẩm"):
        whole = validations[letters[header]]
        assert (whole.type, whole.operator, whole.formula1) == ("whole", "greaterThanOrEqual", "0")
    for header in ("Ngày bắt đầu", "Ngày kết thúc"):
        date = validations[letters[header]]
        assert (date.type, date.operator) == ("date", "between")
        assert ws.column_dimensions[letters[header]].number_format == "DD/MM/YYYY"
    for dv in validations.values():
        assert dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255
        assert dv.showErrorMessage and dv.error and len(dv.error) <= 225
        assert dv.promptTitle and len(dv.promptTitle) <= 32
        assert dv.allow_blank
    typed = {c.key: letters[c.header] for c in schema.columns}
    free_text = {typed[k] for k in ("title", "venue", "lead_agency", "notes", "stt")}
    assert not free_text & validations.keys()


def test_province_list_holds_current_then_former_names_once() -> None:
    """The province dropdown lists the 34 current units first and every former name once."""
    table = default_table()
    names = province_choices(table)
    keys = [match_key(n) for n in names]
    assert len(keys) == len(set(keys))
    assert {match_key(p.name) for p in table.current()} == set(keys[:34])
    assert {match_key(p.name) for p in table.former()} <= set(keys)
    assert "Hòa Bình" in names[34:] and "Phú Thọ" in names[:34]


def test_header_hints_and_guide_sheet(blank: Path) -> None:
    """Each header has a hint; the guide names every header, requirement, example, event type."""
    workbook = _open(blank)
    schema = default_schema()
    ws = workbook[schema.sheet]
    needed = {need for t in schema.event_types for need in t.needs}
    for cell, column in zip(ws[1], schema.columns, strict=True):
        assert cell.comment is not None, column.header
        if column.required:
            assert cell.comment.text.startswith("Bắt buộc. ")
        elif column.key in needed:
            assert cell.comment.text.startswith("Bắt buộc với: ")
        else:
            assert cell.comment.text.startswith("Không bắt buộc. ")
    letters = _letters(ws)
    assert "Bắt buộc với: Xuất bản ấn phẩm" in ws[f"{letters['Số ấn phẩm']}1"].comment.text
    texts = _guide_texts(workbook)
    assert {c.header for c in schema.columns} <= texts
    assert {t.label for t in schema.event_types} <= texts
    assert any(t.startswith("Bắt buộc với: Hội nghị tập huấn") for t in texts)
    guide = workbook[GUIDE_SHEET]
    rows = [list(r) for r in guide.iter_rows(values_only=True)]
    header_row = [c.header for c in schema.columns]
    index = next(i for i, r in enumerate(rows) if r[: len(header_row)] == header_row)
    example = rows[index + 1][: len(header_row)]
    assert all(value not in (None, "") for value in example)  # a complete example row
    assert isinstance(example[header_row.index("Ngày bắt đầu")], dt.datetime)


def test_filled_blank_workbook_passes_validate(blank: Path, invoke: Any) -> None:
    """Two rows typed into the blank workbook as staff would are read and used by validate."""
    workbook = _open(blank)
    ws = workbook[default_schema().sheet]
    letters = _letters(ws)
    rows = [
        {
            "STT": 1,
            "Ngày bắt đầu": dt.date(2023, 12, 7),
            "Loại hoạt động": "Hội nghị tập huấn",
            "Tên hoạt động": "Hội nghị tập huấn công tác thông tin đối ngoại năm 2023",
            "Tỉnh/thành phố": "Hòa Bình",
            "Địa điểm": "Hội trường Tỉnh ủy",
            "Cơ quan chủ trì": "Sở Thông tin và Truyền thông",
            "Hình thức": "Trực tiếp",
            "Số đại biểu": 280,
            "Số tỉnh, thành phố tham dự": 26,
            "Văn bản quán triệt": "57-KL/TW; 1079/QĐ-TTg",
        },
        {
            "STT": 2,
            "Ngày bắt đầu": dt.date(2025, 9, 12),
            "Ngày kết thúc": dt.date(2025, 9, 13),
            "Loại hoạt động": "Xuất bản ấn phẩm",
            "Tên hoạt động": "Phát hành cuốn “Phú Thọ - Đất Tổ vua Hùng” bằng tiếng Anh",
            "Tỉnh/thành phố": "Phú Thọ",
            "Cơ quan chủ trì": "Sở Văn hóa, Thể thao và Du lịch",
            "Cơ quan phối hợp": "Báo và Phát thanh, Truyền hình Phú Thọ",
            "Hình thức": "Kết hợp",
            "Số điểm cầu": 8,
            "Số ấn phẩm": 1500,
            "Đơn vị báo cáo": "Phòng Thông tin đối ngoại",
        },
    ]
    for r, values in enumerate(rows, start=FIRST_ROW):
        for header, value in values.items():
            cell = ws[f"{letters[header]}{r}"]
            cell.value = value
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    workbook.save(blank)

    result = invoke("validate", str(blank), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"]["read"] == 2 and data["rows"]["used"] == 2
    assert data["errors"] == 0


def test_refuses_to_overwrite_without_force(blank: Path, invoke: Any) -> None:
    """An existing file is kept (exit 1) unless --force is given."""
    blank.write_bytes(b"do not replace")
    refused = invoke("inputs", "new", str(blank))
    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert blank.read_bytes() == b"do not replace"
    replaced = invoke("inputs", "new", str(blank), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert _open(blank).sheetnames[0] == default_schema().sheet


def test_file_name_without_suffix_gets_xlsx(tmp_path: Path, invoke: Any) -> None:
    """`inputs new mau` writes mau.xlsx; another suffix is refused with exit 1."""
    result = invoke("inputs", "new", str(tmp_path / "mau"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mau.xlsx").is_file()
    wrong = invoke("inputs", "new", str(tmp_path / "mau.xls"))
    assert wrong.exit_code == 1
    assert not (tmp_path / "mau.xls").exists()


def test_extended_schema_gets_its_column_and_event_type(tmp_path: Path, invoke: Any) -> None:
    """A configured extended schema adds its header, generic hint and dropdown label."""
    text = (resources.files("reportgen") / "data" / "schema.toml").read_text(encoding="utf-8")
    schema_path = tmp_path / "schema-mo-rong.toml"
    schema_path.write_text(
        text
        + '\n[[columns]]\nkey = "budget"\nheader = "Kinh phí"\ntype = "int"\n'
        + '\n[[event_types]]\ncode = "exhibition"\nlabel = "Triển lãm"\nneeds = ["budget"]\n',
        encoding="utf-8",
    )
    config = tmp_path / "reportgen.toml"
    config.write_text(f'[paths]\nschema = "{schema_path.name}"\n', encoding="utf-8")
    path = tmp_path / "mau.xlsx"

    result = invoke("inputs", "new", str(path), "--config", str(config))
    assert result.exit_code == 0, result.output

    schema = load_schema(schema_path)
    workbook = _open(path)
    ws = workbook[schema.sheet]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in schema.columns] and headers[-1] == "Kinh phí"
    letters = _letters(ws)
    validations = _validations(ws)
    assert validations[letters["Kinh phí"]].type == "whole"
    hint = ws[f"{letters['Kinh phí']}1"].comment.text
    assert hint.startswith("Bắt buộc với: Triển lãm") and "số nguyên" in hint
    labels = _list_values(workbook, validations[letters["Loại hoạt động"]].formula1)
    assert labels[-1] == "Triển lãm"
    assert {"Kinh phí", "Triển lãm"} <= _guide_texts(workbook)


def test_build_blank_workbook_without_optional_lists(tmp_path: Path) -> None:
    """A schema with no modes gets no mode dropdown and still builds and saves."""
    import tomllib

    from reportgen.schema import parse_schema

    text = (resources.files("reportgen") / "data" / "schema.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["modes"] = []
    schema = parse_schema(data, "test")
    workbook = build_blank_workbook(schema, default_table())
    assert [c.value for c in workbook[LISTS_SHEET][1]] == ["Loại hoạt động", "Tỉnh/thành phố"]
    target = tmp_path / "mau.xlsx"
    workbook.save(target)
    ws = _open(target)[schema.sheet]
    assert _letters(ws)["Hình thức"] not in _validations(ws)
    assert len(_validations(ws)) == 8
