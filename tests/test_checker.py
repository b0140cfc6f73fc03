"""`reportgen templates check`: each mistake staff make in a template, found with its place."""

from __future__ import annotations

import json
import re
import shutil
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from reportgen import i18n
from reportgen.checker import TemplateProblem, check_templates, split_tags

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _english() -> None:
    """Places and messages in English, so the assertions read like the docs."""
    i18n.set_language("en")


def word(path: Path, *paragraphs: str, table: list[list[str]] | None = None) -> Path:
    """A Word template as staff make one: paragraphs, then optionally a table."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, values in enumerate(table):
            for c, value in enumerate(values):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def excel(path: Path, rows: list[list[Any]], title: str = "Danh sách") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = title
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def problems(path: Path) -> list[TemplateProblem]:
    return check_templates([path]).problems


def codes(path: Path) -> list[tuple[str, str]]:
    """(code, place) of each problem of ``path``."""
    return [(p.code, p.place) for p in problems(path)]


class TestShipped:
    def test_default_templates_are_clean(self) -> None:
        """Every template shipped with reportgen passes the check."""
        result = check_templates([ROOT / "reportgen" / "templates"])
        assert len(result.templates) == 5
        assert [] == result.problems

    def test_lock_files_and_other_files_skipped(self, tmp_path: Path) -> None:
        """Word's ~$ lock files and non-template files in the folder are not checked."""
        shutil.copy(ROOT / "templates" / "report.docx", tmp_path / "report.docx")
        (tmp_path / "~$report.docx").write_bytes(b"lock")
        (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
        result = check_templates([tmp_path])
        assert [tmp_path / "report.docx"] == result.templates
        assert result.ok

    @pytest.mark.parametrize("name", ["t.docx", "t.xlsx"])
    def test_not_a_document(self, tmp_path: Path, name: str) -> None:
        """A file that is no Word or Excel file is one problem saying how to fix it."""
        path = tmp_path / name
        path.write_text("không phải Word hay Excel", encoding="utf-8")
        [problem] = problems(path)
        assert (problem.code, problem.severity) == ("template.unreadable", "error")
        assert "save it again" in problem.hint


class TestJinjaSyntax:
    def test_broken_expression_named_with_its_paragraph(self, tmp_path: Path) -> None:
        """A syntax error is reported at its own paragraph, with the tag."""
        path = word(tmp_path / "t.docx", "Mở đầu", "Tổng số: {{ totals.events + }} hoạt động")
        [problem] = problems(path)
        assert problem.code == "template.syntax"
        assert problem.place == "paragraph “Tổng số: {{ totals.events + }} hoạt động”"
        assert "{{ totals.events + }}" in problem.message
        assert problem.template == "t.docx"

    def test_every_broken_tag_is_reported(self, tmp_path: Path) -> None:
        """Two mistakes give two problems, and fields elsewhere are still checked."""
        path = word(
            tmp_path / "t.docx",
            "{{ totals.events + }}",
            "{% if totals.events > %}có{% endif %}",
            "{{ totals.evnts }}",
        )
        assert [c for c, _p in codes(path)] == [
            "template.syntax",
            "template.syntax",
            "template.unknown-field",
        ]

    def test_tag_not_closed_in_its_paragraph(self, tmp_path: Path) -> None:
        """`{{ org.name }` (one brace short) is named in its paragraph."""
        path = word(tmp_path / "t.docx", "Ban: {{ org.name }", "Số: {{ report.number_line }}")
        [problem] = problems(path)
        assert problem.code == "template.tag-not-closed"
        assert problem.place == "paragraph “Ban: {{ org.name }”"

    def test_stray_closing_braces(self, tmp_path: Path) -> None:
        """`{ org.name }}` (opening brace short) is found too."""
        path = word(tmp_path / "t.docx", "Ban: { org.name }}")
        assert [("template.tag-not-closed", "paragraph “Ban: { org.name }}”")] == codes(path)

    def test_header_and_footer_checked(self, tmp_path: Path) -> None:
        """Tags in the page header and footer are checked and placed there."""
        path = word(tmp_path / "t.docx", "{{ org.name }}")
        document = docx.Document(str(path))
        document.sections[0].header.paragraphs[0].text = "{{ org.nam }}"
        document.sections[0].footer.paragraphs[0].text = "Trang {{ page + }}"
        document.save(str(path))
        assert [
            ("template.unknown-field", "header, paragraph “{{ org.nam }}”"),
            ("template.syntax", "footer, paragraph “Trang {{ page + }}”"),
        ] == codes(path)

    def test_smart_quotes_are_fine(self, tmp_path: Path) -> None:
        """Word's curly quotes inside a tag are read as straight quotes, as docxtpl does."""
        path = word(tmp_path / "t.docx", "{{ “có” if totals.events else ‘không’ }}")
        assert [] == problems(path)

    def test_excel_cell_and_sheet_name(self, tmp_path: Path) -> None:
        """Excel: a syntax error in a cell and one in a sheet name, each with its place."""
        path = excel(tmp_path / "t.xlsx", [["{{ org.name }}", "{{ totals.events | }}"]])
        workbook = openpyxl.load_workbook(path)
        workbook.active.title = "Kỳ {{ period.code"
        workbook.save(path)
        assert [
            ("template.tag-not-closed", "sheet name “Kỳ {{ period.code”"),
            ("template.syntax", "sheet “Kỳ {{ period.code”, cell B1"),
        ] == codes(path)

    def test_split_tags(self) -> None:
        """Tags are cut out of text; unclosed ones and stray closers are returned apart."""
        assert (["{{ a }}", "{%p if b %}"], []) == split_tags("x {{ a }} y {%p if b %}")
        assert ([], ["{{ a"]) == split_tags("{{ a")
        assert (["{{ b }}"], ["x a }}"]) == split_tags("x a }} {{ b }}")


class TestUnknownFields:
    def test_misspelt_field_with_suggestion(self, tmp_path: Path) -> None:
        """`totals.event` is unknown; `totals.events` is suggested."""
        path = word(tmp_path / "t.docx", "Tổng số: {{ totals.event }} hoạt động")
        [problem] = problems(path)
        assert problem.code == "template.unknown-field"
        assert problem.message == "Unknown field totals.event."
        assert "totals.events" in problem.hint

    def test_loop_variable_followed_through_the_row_loop(self, tmp_path: Path) -> None:
        """Inside `{%tr for e in events %}`, `e.titel` is unknown and `e.title` known."""
        path = word(
            tmp_path / "t.docx",
            table=[
                ["STT", "Tên"],
                ["{%tr for e in events %}", ""],
                ["{{ e.stt }}", "{{ e.titel }} {{ e.start_date | ngay }}"],
                ["{%tr endfor %}", ""],
            ],
        )
        [problem] = problems(path)
        assert problem.place.startswith("table 1, row 3, cell 2: ")
        assert problem.message == "Unknown field e.titel."
        assert "e.title" in problem.hint

    def test_what_templates_legitimately_use(self, tmp_path: Path) -> None:
        """Loop helpers, open maps, methods of values, Jinja filters and set are all fine."""
        path = word(
            tmp_path / "t.docx",
            "{%p for t in by_type|sort(attribute='events') %}",
            "{{ loop.index }}. {{ t.label|upper }}: {{ t.events }}",
            "{%p endfor %}",
            "{{ totals.by_type.training }} {{ report.date.year }} {{ org.recipients|join(', ') }}",
            "{% set first = events|first %}{{ first.title }} {{ (events|last).stt }}",
            "{{ data_rows[0]['Ngày bắt đầu'] }} {{ sections.general|length }}",
            "{% for p in sections.proposals %}{{ p }}{% else %}-{% endfor %}",
        )
        assert [] == problems(path)

    def test_unknown_top_level_name_and_filter(self, tmp_path: Path) -> None:
        """An unknown name and an unknown filter are both named, with suggestions."""
        path = word(tmp_path / "t.docx", "{{ total.events }} {{ totals.attendees | soo }}")
        found = {p.code: p for p in problems(path)}
        assert found["template.unknown-field"].message == "Unknown field total."
        assert "totals" in found["template.unknown-field"].hint
        assert found["template.unknown-filter"].message == "Unknown filter soo."
        assert "so" in found["template.unknown-filter"].hint

    def test_python_internals_not_allowed(self, tmp_path: Path) -> None:
        """What the sandbox refuses at run time is named before it."""
        path = word(tmp_path / "t.docx", "{{ org.__class__ }}")
        assert ["template.not-allowed"] == [p.code for p in problems(path)]

    def test_a_walk_through_internals_is_one_problem(self, tmp_path: Path) -> None:
        """``"".__class__.__mro__`` is one mistake: one line for the clerk, naming the start."""
        path = word(tmp_path / "t.docx", '{{ "".__class__.__mro__[1].__subclasses__() }}')
        [problem] = problems(path)
        assert problem.code == "template.not-allowed" and "__class__" in problem.message

    def test_excel_row_loop_variable(self, tmp_path: Path) -> None:
        """Excel: a field of the row loop's item and a field of the whole context."""
        path = excel(
            tmp_path / "t.xlsx",
            [
                ["Phụ lục {{ period.labl }}"],
                [
                    "{%tr for e in events %}{{ e.stt }}",
                    "{{ e.titl }}",
                    "{{ e.dates }}{%tr endfor %}",
                ],
                ["{%tc for h in data_headers %}{{ h.upper() }}{%tc endfor %}"],
            ],
        )
        assert [
            ("template.unknown-field", "sheet “Danh sách”, cell A1"),
            ("template.unknown-field", "sheet “Danh sách”, cell B2"),
        ] == codes(path)
        messages = [p.message for p in problems(path)]
        assert messages == ["Unknown field period.labl.", "Unknown field e.titl."]

    def test_unknown_list_in_a_row_loop(self, tmp_path: Path) -> None:
        """The list a row loop repeats over is checked too."""
        path = excel(tmp_path / "t.xlsx", [["{%tr for e in event %}{{ e.stt }}{%tr endfor %}"]])
        [problem] = problems(path)
        assert (problem.code, problem.message) == ("template.unknown-field", "Unknown field event.")


class TestWordRowLoops:
    def test_one_row_form_refused(self, tmp_path: Path) -> None:
        """The one-row form (tags in the field row) is the check_row_loops error, placed."""
        path = word(
            tmp_path / "t.docx",
            table=[
                ["STT", "Tên"],
                ["{%tr for e in events %}{{ e.stt }}", "{{ e.title }}{%tr endfor %}"],
            ],
        )
        [problem] = problems(path)
        assert problem.code == "docx.row-loop-form"
        assert problem.place.startswith("table 1, row 2: ")
        assert "three rows" in problem.hint

    def test_three_row_form_accepted(self, tmp_path: Path) -> None:
        """The documented form passes."""
        path = word(
            tmp_path / "t.docx",
            table=[
                ["{%tr for e in events %}", ""],
                ["{{ e.stt }}", "{{ e.title }}"],
                ["{%tr endfor %}", ""],
            ],
        )
        assert [] == problems(path)

    def test_docxtpl_cell_tags_accepted(self, tmp_path: Path) -> None:
        """docxtpl's own cell tags (colspan, cellbg, vm, hm) are not Jinja errors."""
        path = word(
            tmp_path / "t.docx",
            table=[
                ["{%tr for t in by_type %}", ""],
                ["{% vm %}{{ t.label }}", "{% cellbg 'FFFF00' if t.events else 'FFFFFF' %}"],
                ["{%tr endfor %}", ""],
            ],
        )
        assert [] == problems(path)

    def test_row_tag_outside_a_table(self, tmp_path: Path) -> None:
        """`{%tr` in an ordinary paragraph would eat the tables around it."""
        path = word(
            tmp_path / "t.docx", "{%tr for e in events %}", "{{ e.title }}", "{%tr endfor %}"
        )
        found = codes(path)
        assert ("docx.row-tag-outside-table", "paragraph “{%tr for e in events %}”") in found
        assert ("docx.row-tag-outside-table", "paragraph “{%tr endfor %}”") in found
        assert {c for c, _p in found} == {"docx.row-tag-outside-table"}


class TestParagraphBlocks:
    def test_if_without_endif(self, tmp_path: Path) -> None:
        """`{%p if %}` never closed is named at its paragraph, with the tag to add."""
        path = word(tmp_path / "t.docx", "{%p if documents %}", "Văn bản: {{ documents|length }}")
        [problem] = problems(path)
        assert (problem.code, problem.place) == (
            "template.unbalanced",
            "paragraph “{%p if documents %}”",
        )
        assert "{%p endif %}" in problem.hint

    def test_endif_without_if(self, tmp_path: Path) -> None:
        """A stray `{%p endif %}` is named at its own paragraph."""
        path = word(tmp_path / "t.docx", "Văn bản", "{%p endif %}")
        [problem] = problems(path)
        assert (problem.code, problem.place) == ("template.unbalanced", "paragraph “{%p endif %}”")

    def test_crossed_blocks(self, tmp_path: Path) -> None:
        """`for` closed by `endif`: the for is named as never closed, the endif as stray."""
        path = word(
            tmp_path / "t.docx",
            "{%p for e in events %}",
            "{%p if e.attendees %}",
            "{{ e.title }}",
            "{%p endfor %}",
            "{%p endif %}",
        )
        assert [
            ("template.unbalanced", "paragraph “{%p if e.attendees %}”"),
            ("template.unbalanced", "paragraph “{%p endif %}”"),
        ] == codes(path)

    def test_paragraph_tag_with_other_text(self, tmp_path: Path) -> None:
        """docxtpl drops the whole paragraph of a `{%p %}` tag, so other text there is lost."""
        path = word(tmp_path / "t.docx", "{%p if events %} Có hoạt động", "{%p endif %}")
        assert [
            ("docx.paragraph-tag-not-alone", "paragraph “{%p if events %} Có hoạt động”")
        ] == codes(path)

    def test_excel_block_in_one_cell(self, tmp_path: Path) -> None:
        """Excel renders each cell alone, so an `if` must end in its own cell."""
        path = excel(tmp_path / "t.xlsx", [["{% if totals.events %}có", "{% endif %}"]])
        assert [
            ("template.unbalanced", "sheet “Danh sách”, cell A1"),
            ("template.unbalanced", "sheet “Danh sách”, cell B1"),
        ] == codes(path)


class TestExcelRowLoops:
    def test_row_loop_without_endfor(self, tmp_path: Path) -> None:
        """The Excel row loop must end in the same row: named at its first cell."""
        path = excel(
            tmp_path / "t.xlsx",
            [["STT", "Tên"], ["{%tr for e in events %}{{ e.stt }}", "{{ e.title }}"]],
        )
        [problem] = problems(path)
        assert (problem.code, problem.place) == (
            "xlsx.row-loop-without-endfor",
            "sheet “Danh sách”, cell A2",
        )

    def test_endfor_in_the_next_row(self, tmp_path: Path) -> None:
        """The Word habit (endfor in a row below) is refused in Excel at both rows."""
        path = excel(
            tmp_path / "t.xlsx",
            [["{%tr for e in events %}{{ e.stt }}", "{{ e.title }}"], ["{%tr endfor %}"]],
        )
        assert [
            ("xlsx.row-loop-without-endfor", "sheet “Danh sách”, cell A1"),
            ("xlsx.row-loop-misplaced", "sheet “Danh sách”, cell A2"),
        ] == codes(path)

    def test_column_loop_must_fill_its_cell(self, tmp_path: Path) -> None:
        """A `{%tc %}` loop with text around it is refused."""
        path = excel(
            tmp_path / "t.xlsx", [["Cột: {%tc for h in data_headers %}{{ h }}{%tc endfor %}"]]
        )
        assert [("xlsx.column-loop-form", "sheet “Danh sách”, cell A1")] == codes(path)


def add_parts(
    path: Path,
    parts: dict[str, str],
    *,
    sheet_end: str = "",
    sheet_rels: Sequence[tuple[str, str, str]] = (),
    content_types: Sequence[tuple[str, str]] = (),
) -> Path:
    """Add parts to an .xlsx the way Excel stores them: the parts, the first sheet's
    relationships, elements at the end of the sheet, and content types."""
    with zipfile.ZipFile(path) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files.update({name: text.encode("utf-8") for name, text in parts.items()})
    sheet = files["xl/worksheets/sheet1.xml"].decode("utf-8")
    files["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</worksheet>", sheet_end + "</worksheet>"
    ).encode("utf-8")
    if sheet_rels:
        rels = "".join(
            f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/{kind}" Target="{target}"/>'
            for rid, kind, target in sheet_rels
        )
        files["xl/worksheets/_rels/sheet1.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>"
        ).encode()
    if content_types:
        types = files["[Content_Types].xml"].decode("utf-8")
        extra = "".join(
            f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in content_types
        )
        files["[Content_Types].xml"] = types.replace("</Types>", extra + "</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    return path


R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
XDR = (
    'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)
ANCHOR = (
    "<xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>"
    "<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>4</xdr:col><xdr:colOff>0"
    "</xdr:colOff><xdr:row>6</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
)
TEXT_BOX = (
    f'<xdr:twoCellAnchor>{ANCHOR}<xdr:sp macro="" textlink=""><xdr:nvSpPr>'
    '<xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>'
    '<a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="914400"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/>'
    "<a:p><a:r><a:t>Ghi chú cho cán bộ</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
    "<xdr:clientData/></xdr:twoCellAnchor>"
)
PICTURE = (
    f'<xdr:twoCellAnchor editAs="oneCell">{ANCHOR}<xdr:pic><xdr:nvPicPr>'
    '<xdr:cNvPr id="3" name="Picture 2"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill>'
    f'<a:blip {R} r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
    '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
    "<xdr:clientData/></xdr:twoCellAnchor>"
)
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"


def drawing(*anchors: str) -> str:
    return f"<xdr:wsDr {XDR}>{''.join(anchors)}</xdr:wsDr>"


class TestExcelLosses:
    """What openpyxl would drop when the annex is written is named as a warning."""

    @pytest.fixture
    def template(self, tmp_path: Path) -> Path:
        return excel(tmp_path / "annex.xlsx", [["{{ org.name }}"]], title="Tổng hợp")

    def losses(self, path: Path) -> list[tuple[str, str, str]]:
        return [(p.severity, p.code, p.place) for p in problems(path)]

    def test_text_box_named_and_really_lost(self, template: Path, tmp_path: Path) -> None:
        """A text box (xdr:sp) is reported, and rendering indeed drops it."""
        add_parts(
            template,
            {"xl/drawings/drawing1.xml": drawing(TEXT_BOX)},
            sheet_end=f'<drawing {R} r:id="rId1"/>',
            sheet_rels=[("rId1", "drawing", "../drawings/drawing1.xml")],
            content_types=[("xl/drawings/drawing1.xml", DRAWING_TYPE)],
        )
        [problem] = problems(template)
        assert (problem.severity, problem.code, problem.place) == (
            "warning",
            "xlsx.loses-shapes",
            "sheet “Tổng hợp”",
        )
        assert "1 shapes or text boxes" in problem.message
        from reportgen.fields import sample_context
        from reportgen.render import render_xlsx

        render_xlsx(template, sample_context(), tmp_path / "out.xlsx")
        with zipfile.ZipFile(tmp_path / "out.xlsx") as out:
            assert not any(b"<xdr:sp" in out.read(n) for n in out.namelist())

    def test_pictures_without_pillow(self, template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A logo is lost when Pillow is missing (openpyxl then drops every picture)."""
        add_parts(
            template,
            {
                "xl/drawings/drawing1.xml": drawing(PICTURE),
                "xl/drawings/_rels/drawing1.xml.rels": (
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                    '.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/>'
                    "</Relationships>"
                ),
                "xl/media/image1.png": "not really a png",
            },
            sheet_end=f'<drawing {R} r:id="rId1"/>',
            sheet_rels=[("rId1", "drawing", "../drawings/drawing1.xml")],
        )
        monkeypatch.setattr("reportgen.checker.pillow_installed", lambda: False)
        assert [("warning", "xlsx.loses-pictures", "sheet “Tổng hợp”")] == self.losses(template)
        monkeypatch.setattr("reportgen.checker.pillow_installed", lambda: True)
        assert [] == self.losses(template)

    def test_chart_rebuilt(self, template: Path) -> None:
        """A chart is named: openpyxl rebuilds it from its own model, losing style parts."""
        from openpyxl.chart import BarChart, Reference

        workbook = openpyxl.load_workbook(template)
        ws = workbook.active
        ws.append(["Hội nghị", 3])
        ws.append(["Họp báo", 1])
        chart = BarChart()
        chart.style = 10  # a chart style, as Excel writes: openpyxl drops it on rebuilding
        chart.add_data(Reference(ws, min_col=2, min_row=2, max_row=3))
        ws.add_chart(chart, "D2")
        workbook.save(template)
        assert [("warning", "xlsx.charts-rebuilt", "sheet “Tổng hợp”")] == self.losses(template)

    def test_chart_kept_unchanged_is_not_named(self, template: Path) -> None:
        """A chart that openpyxl writes back byte for byte (the default annex's) loses nothing."""
        from openpyxl.chart import BarChart, Reference

        workbook = openpyxl.load_workbook(template)
        ws = workbook.active
        ws.append(["Hội nghị", 3])
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=2, min_row=2, max_row=2))
        ws.add_chart(chart, "D2")
        workbook.save(template)
        assert [] == self.losses(template)

    @pytest.mark.parametrize(
        ("element", "code"),
        [
            (
                '<x14:dataValidations count="1"><x14:dataValidation type="list">'
                "<x14:formula1><xm:f>'Danh mục'!$A$1:$A$5</xm:f></x14:formula1>"
                "<xm:sqref>B2:B100</xm:sqref></x14:dataValidation></x14:dataValidations>",
                "xlsx.loses-data-validation",
            ),
            (
                '<x14:conditionalFormattings><x14:conditionalFormatting><x14:cfRule type="dataBar" '
                'id="{00000000-0000-0000-0000-000000000001}"><x14:dataBar/></x14:cfRule>'
                "<xm:sqref>C2:C20</xm:sqref></x14:conditionalFormatting>"
                "</x14:conditionalFormattings>",
                "xlsx.loses-conditional-formatting",
            ),
            (
                "<x14:sparklineGroups><x14:sparklineGroup><x14:sparklines><x14:sparkline>"
                "<xm:f>'Tổng hợp'!C2:E2</xm:f><xm:sqref>F2</xm:sqref></x14:sparkline>"
                "</x14:sparklines></x14:sparklineGroup></x14:sparklineGroups>",
                "xlsx.loses-sparklines",
            ),
            ("<x14:somethingNew/>", "xlsx.loses-extension"),
        ],
    )
    def test_excel_2010_extensions(self, template: Path, element: str, code: str) -> None:
        """x14 extension lists (validations, data bars, sparklines, others) are named."""
        ext = (
            '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
            'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
            f'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">{element}</ext>'
            "</extLst>"
        )
        add_parts(template, {}, sheet_end=ext)
        assert [("warning", code, "sheet “Tổng hợp”")] == self.losses(template)
        if code == "xlsx.loses-data-validation":
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                loaded = openpyxl.load_workbook(template).active
            assert not loaded.data_validations.dataValidation
            assert any("Data Validation extension" in str(w.message) for w in caught)

    def test_comment_boxes_and_form_controls(self, template: Path) -> None:
        """VML comment boxes lose their look; VML form controls are lost."""
        vml = (
            '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            '<v:shape id="_x0000_s1025" style="width:300pt;height:120pt"><x:ClientData '
            'ObjectType="Note"><x:Row>0</x:Row><x:Column>0</x:Column></x:ClientData></v:shape>'
            '<v:shape id="_x0000_s1026"><x:ClientData ObjectType="Button"><x:FmlaMacro>'
            "Macro1</x:FmlaMacro></x:ClientData></v:shape></xml>"
        )
        comments = (
            '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<authors><author>Văn thư</author></authors><commentList>"
            '<comment ref="A1" authorId="0"><text><r><t>Không sửa ô này</t></r></text>'
            "</comment></commentList></comments>"
        )
        add_parts(
            template,
            {"xl/drawings/vmlDrawing1.vml": vml, "xl/comments1.xml": comments},
            sheet_end=f'<legacyDrawing {R} r:id="rId2"/>',
            sheet_rels=[
                ("rId1", "comments", "../comments1.xml"),
                ("rId2", "vmlDrawing", "../drawings/vmlDrawing1.vml"),
            ],
        )
        assert [
            ("warning", "xlsx.comments-reformatted", "sheet “Tổng hợp”"),
            ("warning", "xlsx.loses-controls", "sheet “Tổng hợp”"),
        ] == self.losses(template)

    def test_warnings_fail_the_command_unless_accepted(self, template: Path, invoke: Any) -> None:
        """Losses are warnings: the result is ok, yet the check exits 1 unless --warnings-ok."""
        add_parts(
            template,
            {"xl/drawings/drawing1.xml": drawing(TEXT_BOX)},
            sheet_end=f'<drawing {R} r:id="rId1"/>',
            sheet_rels=[("rId1", "drawing", "../drawings/drawing1.xml")],
        )
        result = check_templates([template])
        assert result.ok and len(result.warnings) == 1
        strict = invoke("templates", "check", str(template))
        assert strict.exit_code == 1, strict.output
        assert "1 cảnh báo" in strict.output
        accepted = invoke("templates", "check", str(template), "--warnings-ok")
        assert accepted.exit_code == 0, accepted.output


class TestCommand:
    def test_default_folder_clean(self, workdir: Path, invoke: Any) -> None:
        """In a working folder the templates folder is checked; exit 0 and a summary."""
        result = invoke("templates", "check")
        assert result.exit_code == 0, result.output
        assert "5 mẫu đã kiểm tra: 0 lỗi, 0 cảnh báo." in result.output

    def test_problems_listed_exit_1(self, workdir: Path, invoke: Any) -> None:
        """A broken template gives a table with the place and what to do, and exit 1."""
        word(workdir / "templates" / "report.docx", "Tổng số: {{ totals.event }}")
        result = invoke("--lang", "en", "templates", "check")
        assert result.exit_code == 1
        text = " ".join(result.output.split())
        assert "report.docx" in text
        assert "Unknown field totals.event." in text
        assert "Did you mean totals.events?" in text
        assert "5 templates checked: 1 errors, 0 warnings." in text

    def test_json(self, tmp_path: Path, invoke: Any) -> None:
        """--json gives the records: template, place, code, message, hint, severity."""
        path = word(tmp_path / "t.docx", "{%p if events %}")
        result = invoke("--lang", "en", "templates", "check", str(path), "--json")
        assert result.exit_code == 1
        data = json.loads(result.output)
        assert data["ok"] is False and data["errors"] == 1 and data["warnings"] == 0
        assert data["templates"] == [str(path)]
        [problem] = data["problems"]
        assert problem == {
            "template": "t.docx",
            "place": "paragraph “{%p if events %}”",
            "code": "template.unbalanced",
            "message": "{%p if events %} is never closed.",
            "hint": "Add {%p endif %} where the block should end.",
            "severity": "error",
        }

    def test_missing_file_and_folder(self, tmp_path: Path, invoke: Any) -> None:
        """A file that does not exist is a problem; no templates folder is a clear message."""
        result = invoke("templates", "check", str(tmp_path / "khong-co.docx"))
        assert result.exit_code == 1
        assert "khong-co.docx" in result.output
        empty = tmp_path / "empty"
        empty.mkdir()
        import os

        old = Path.cwd()
        os.chdir(empty)
        try:
            result = invoke("templates", "check")
        finally:
            os.chdir(old)
        assert result.exit_code == 1
        assert "templates" in result.output and "reportgen init" in result.output

    def test_vietnamese_places(self, tmp_path: Path, invoke: Any) -> None:
        """Places and messages are in Vietnamese by default."""
        i18n.set_language("vi")
        path = word(
            tmp_path / "t.docx",
            table=[["{%tr for e in events %}"], ["{{ e.titel }}"], ["{%tr endfor %}"]],
        )
        [problem] = problems(path)
        assert re.match(r"bảng 1, dòng 2, ô 1: “\{\{ e\.titel \}\}”", problem.place)
