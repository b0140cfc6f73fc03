"""Rendering: sandbox, escaping, template mistakes reported in words, Excel row loops."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from reportgen.errors import TemplateError
from reportgen.render import render_docx, render_xlsx


def word_template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


CONTEXT: dict[str, Any] = {
    "org": {"name": "BAN CHỈ ĐẠO"},
    "totals": {"events": 1234, "attendees": 5},
    "report": {"date": dt.date(2024, 3, 5)},
    "events": [
        {"stt": 1, "title": "A & B <c>", "attendees": 10, "start_date": dt.date(2023, 12, 7)},
        {
            "stt": 2,
            "title": "=cmd|' /C calc'!A0",
            "attendees": 20,
            "start_date": dt.date(2023, 12, 8),
        },
        {"stt": 3, "title": "Ba", "attendees": 30, "start_date": dt.date(2023, 12, 9)},
    ],
}


class TestWord:
    def test_fields_and_filters(self, tmp_path: Path) -> None:
        """Filters format numbers and the date line the Vietnamese way."""
        template = word_template(
            tmp_path / "t.docx",
            "{{ org.name }}: {{ totals.events|so }} hoạt động, {{ report.date|dateline }}",
        )
        render_docx(template, CONTEXT, tmp_path / "out.docx")
        text = docx.Document(str(tmp_path / "out.docx")).paragraphs[0].text
        assert text == "BAN CHỈ ĐẠO: 1.234 hoạt động, ngày 05 tháng 3 năm 2024"

    def test_unknown_field_names_template_and_place(self, tmp_path: Path) -> None:
        """A misspelt field is reported with the template file and the text around it."""
        template = word_template(
            tmp_path / "t.docx", "Mở đầu", "Tổng số: {{ totals.event }} hoạt động"
        )
        with pytest.raises(TemplateError) as caught:
            render_docx(template, CONTEXT, tmp_path / "out.docx")
        message = str(caught.value)
        assert "t.docx" in message
        assert "Tổng số" in message
        assert not (tmp_path / "out.docx").exists()

    def test_unclosed_block_reported(self, tmp_path: Path) -> None:
        """An `{% if %}` without `{% endif %}` is a TemplateError, not a Jinja traceback."""
        template = word_template(tmp_path / "t.docx", "{% if totals.events %}có hoạt động")
        with pytest.raises(TemplateError, match=r"t\.docx"):
            render_docx(template, CONTEXT, tmp_path / "out.docx")

    @pytest.mark.parametrize(
        "expression",
        [
            "{{ ''.__class__.__mro__ }}",
            "{{ org.__class__.__init__.__globals__ }}",
            "{{ ().__class__.__base__.__subclasses__() }}",
        ],
    )
    def test_sandbox_refuses_python_internals(self, tmp_path: Path, expression: str) -> None:
        """Templates cannot walk to Python internals."""
        template = word_template(tmp_path / "t.docx", expression)
        with pytest.raises(TemplateError):
            render_docx(template, CONTEXT, tmp_path / "out.docx")

    def test_control_characters_do_not_corrupt(self, tmp_path: Path) -> None:
        """Control characters pasted into data are dropped so the XML stays valid."""
        template = word_template(tmp_path / "t.docx", "{{ org.name }}")
        render_docx(template, {"org": {"name": "A\x01B\x0bC"}}, tmp_path / "out.docx")
        assert docx.Document(str(tmp_path / "out.docx")).paragraphs[0].text == "ABC"


def excel_template(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Danh sách"
    ws["A1"] = "DANH SÁCH {{ org.name }}"
    ws.append(["STT", "Tên", "Số đại biểu", "Ngày"])
    ws.append(
        [
            "{%tr for e in events %}{{ e.stt }}",
            "{{ e.title }}",
            "{{ e.attendees }}",
            "{{ e.start_date }}{%tr endfor %}",
        ]
    )
    ws.append(["Tổng cộng", None, "=SUM(C3:C3)", None])
    ws.append(["Ghi chú", "ô gộp"])
    ws.merge_cells("B5:D5")
    ws.column_dimensions["B"].width = 40
    workbook.save(path)
    return path


class TestExcel:
    def test_row_loop_expands_and_sums_widen(self, tmp_path: Path) -> None:
        """The loop row repeats per event; the SUM below covers all rows; merges move down."""
        render_xlsx(excel_template(tmp_path / "t.xlsx"), CONTEXT, tmp_path / "out.xlsx")
        ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Danh sách"]
        assert ws["A1"].value == "DANH SÁCH BAN CHỈ ĐẠO"
        assert [ws.cell(r, 1).value for r in (3, 4, 5)] == [1, 2, 3]
        assert [ws.cell(r, 3).value for r in (3, 4, 5)] == [10, 20, 30]
        assert ws["D3"].value == dt.datetime(2023, 12, 7)
        assert ws["A6"].value == "Tổng cộng"
        assert ws["C6"].value == "=SUM(C3:C5)"
        assert [str(r) for r in ws.merged_cells.ranges] == ["B7:D7"]
        assert ws.column_dimensions["B"].width == 40

    def test_data_is_never_a_formula(self, tmp_path: Path) -> None:
        """A title starting with = is stored as text."""
        render_xlsx(excel_template(tmp_path / "t.xlsx"), CONTEXT, tmp_path / "out.xlsx")
        cell = openpyxl.load_workbook(tmp_path / "out.xlsx")["Danh sách"]["B4"]
        assert cell.value == "=cmd|' /C calc'!A0"
        assert cell.data_type == "s"

    def test_empty_list_keeps_a_blank_row(self, tmp_path: Path) -> None:
        """No events: the loop row is left blank and the SUM still points at it."""
        render_xlsx(
            excel_template(tmp_path / "t.xlsx"), {**CONTEXT, "events": []}, tmp_path / "out.xlsx"
        )
        ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Danh sách"]
        assert [c.value for c in ws[3]] == [None, None, None, None]
        assert ws["C4"].value == "=SUM(C3:C3)"

    def test_loop_without_end_is_reported(self, tmp_path: Path) -> None:
        """A row loop missing `{%tr endfor %}` names the sheet and cell."""
        path = excel_template(tmp_path / "t.xlsx")
        workbook = openpyxl.load_workbook(path)
        workbook.active["D3"] = "{{ e.start_date }}"
        workbook.save(path)
        with pytest.raises(TemplateError, match="A3"):
            render_xlsx(path, CONTEXT, tmp_path / "out.xlsx")

    def test_unknown_field_names_cell(self, tmp_path: Path) -> None:
        """An unknown field in a cell names the sheet and cell."""
        path = excel_template(tmp_path / "t.xlsx")
        workbook = openpyxl.load_workbook(path)
        workbook.active["A1"] = "{{ org.nam }}"
        workbook.save(path)
        with pytest.raises(TemplateError, match=r"Danh sách.*A1"):
            render_xlsx(path, CONTEXT, tmp_path / "out.xlsx")

    def test_headers_and_footers_rendered(self, tmp_path: Path) -> None:
        """Jinja in page headers/footers is rendered; `&P`/`&N` stay; `&` in data is doubled."""
        path = excel_template(tmp_path / "t.xlsx")
        workbook = openpyxl.load_workbook(path)
        ws = workbook.active
        ws.oddHeader.center.text = "{{ org.name }} - {{ events|length }}"
        ws.oddFooter.right.text = "Trang &P/&N"
        ws.evenFooter.left.text = "{{ events[0].title }} &P"
        ws.firstHeader.right.text = "{{ totals.events }}"
        workbook.save(path)
        render_xlsx(path, CONTEXT, tmp_path / "out.xlsx")
        out = openpyxl.load_workbook(tmp_path / "out.xlsx").active
        assert out.oddHeader.center.text == "BAN CHỈ ĐẠO - 3"
        assert out.oddFooter.right.text == "Trang &P/&N"
        assert out.evenFooter.left.text == "A && B <c> &P"
        assert out.firstHeader.right.text == "1234"

    def test_unknown_field_in_footer_is_reported(self, tmp_path: Path) -> None:
        """A misspelt field in a footer names the sheet."""
        path = excel_template(tmp_path / "t.xlsx")
        workbook = openpyxl.load_workbook(path)
        workbook.active.oddFooter.center.text = "{{ org.nam }}"
        workbook.save(path)
        with pytest.raises(TemplateError, match="Danh sách"):
            render_xlsx(path, CONTEXT, tmp_path / "out.xlsx")

    def test_validation_formatting_names_follow_the_rows(self, tmp_path: Path) -> None:
        """Validations, conditional formats and defined names over the loop row widen to the
        repeated rows; those below move down; Excel recalculates on open."""
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill
        from openpyxl.workbook.defined_name import DefinedName
        from openpyxl.worksheet.datavalidation import DataValidation

        path = excel_template(tmp_path / "t.xlsx")
        workbook = openpyxl.load_workbook(path)
        ws = workbook.active
        on_row = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        on_row.add("C3")
        below = DataValidation(type="list", formula1='"x,y"')
        below.add("B5")
        ws.add_data_validation(on_row)
        ws.add_data_validation(below)
        red = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
        ws.conditional_formatting.add(
            "C3:C3", CellIsRule(operator="greaterThan", formula=["$C$4"], fill=red)
        )
        ws.conditional_formatting.add("A5:D5", CellIsRule(operator="equal", formula=["1"]))
        workbook.defined_names["attendees"] = DefinedName(
            "attendees", attr_text="'Danh sách'!$C$3:$C$3"
        )
        ws.defined_names["total"] = DefinedName("total", attr_text="'Danh sách'!$C$4")
        ws.print_title_rows = "2:2"
        workbook.save(path)
        render_xlsx(path, CONTEXT, tmp_path / "out.xlsx")
        out_book = openpyxl.load_workbook(tmp_path / "out.xlsx")
        out = out_book.active
        assert [str(v.sqref) for v in out.data_validations.dataValidation] == ["C3:C5", "B7"]
        formats = {str(f.sqref): f.rules for f in out.conditional_formatting}
        assert set(formats) == {"C3:C5", "A7:D7"}
        assert formats["C3:C5"][0].formula == ["$C$6"]
        assert out_book.defined_names["attendees"].attr_text == "'Danh sách'!$C$3:$C$5"
        assert out.defined_names["total"].attr_text == "'Danh sách'!$C$6"
        assert out.print_title_rows == "$2:$2"  # the header row, not moved
        assert out_book.calculation.fullCalcOnLoad is True

    def test_chart_data_covers_the_repeated_rows(self, tmp_path: Path) -> None:
        """A chart of the template is kept and its series widen over the repeated rows."""
        from openpyxl.chart import BarChart, Reference

        path = excel_template(tmp_path / "t.xlsx")
        workbook = openpyxl.load_workbook(path)
        ws = workbook.active
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=3, min_row=3, max_row=3))
        chart.set_categories(Reference(ws, min_col=2, min_row=3, max_row=3))
        ws.add_chart(chart, "F4")
        workbook.save(path)
        render_xlsx(path, CONTEXT, tmp_path / "out.xlsx")
        out = openpyxl.load_workbook(tmp_path / "out.xlsx").active
        (kept,) = out._charts
        series = kept.series[0]
        assert series.val.numRef.f == "'Danh sách'!$C$3:$C$5"
        assert series.cat.numRef.f == "'Danh sách'!$B$3:$B$5"
        assert kept.anchor._from.row == 5  # F4 (row index 3) moved down two rows


class TestExcelColumnLoops:
    def test_columns_follow_a_list(self, tmp_path: Path) -> None:
        """A `{%tc %}` cell fills one column per header, in the header row and each data row."""
        workbook = openpyxl.Workbook()
        ws = workbook.active
        ws["A1"] = "{%tc for h in headers %}{{ h }}{%tc endfor %}"
        ws["A2"] = (
            "{%tr for r in rows %}{%tc for h in headers %}{{ r[h] }}{%tc endfor %}{%tr endfor %}"
        )
        workbook.save(tmp_path / "t.xlsx")
        context = {
            "headers": ["STT", "Tên", "Kinh phí"],
            "rows": [
                {"STT": 1, "Tên": "{{ 7*7 }}", "Kinh phí": 12},
                {"STT": 2, "Tên": "B", "Kinh phí": None},
            ],
        }
        render_xlsx(tmp_path / "t.xlsx", context, tmp_path / "out.xlsx")
        out = openpyxl.load_workbook(tmp_path / "out.xlsx").active
        assert [[c.value for c in row] for row in out.iter_rows()] == [
            ["STT", "Tên", "Kinh phí"],
            [1, "{{ 7*7 }}", 12],  # data that looks like a template is never rendered
            [2, "B", None],
        ]

    def test_template_text_in_data_not_rendered_in_plain_rows(self, tmp_path: Path) -> None:
        """A value holding Jinja tags stays literal text wherever it lands."""
        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "{%tc for h in items %}{{ h }}{%tc endfor %}"
        workbook.save(tmp_path / "t.xlsx")
        render_xlsx(
            tmp_path / "t.xlsx", {"items": ["a", "{{ ''.__class__ }}"]}, tmp_path / "out.xlsx"
        )
        out = openpyxl.load_workbook(tmp_path / "out.xlsx").active
        assert [c.value for c in out[1]] == ["a", "{{ ''.__class__ }}"]
