"""End to end: run `reportgen generate` on the sample inputs and open what it wrote.

Expected figures were computed by hand from the sample workbooks (docs/sample-data.md), not
by running reportgen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from tests.conftest import event_row, write_workbook

# docs/sample-data.md, "Expected figures" (cut-off rule, duplicate counted once).
EXPECTED = {
    "2023-12": {
        "window": ("2023-11-15", "2023-12-14"),
        "events": 7,
        "attendees": 954,
        "documents": 4,
        "copies": 0,
        "by_type": {
            "training": 3,
            "press_briefing": 1,
            "press_conference": 1,
            "seminar": 1,
            "delegation": 1,
            "publication": 0,
            "other": 0,
        },
    },
    "2023-Q4": {
        "window": ("2023-09-15", "2023-12-14"),
        "events": 13,
        "attendees": 1371,
        "documents": 5,
        "copies": 5000,
        "by_type": {
            "training": 5,
            "press_briefing": 1,
            "press_conference": 1,
            "seminar": 2,
            "delegation": 2,
            "publication": 1,
            "other": 1,
        },
    },
    "2024": {
        "window": ("2023-12-15", "2024-12-14"),
        "events": 24,
        "attendees": 4638,
        "documents": 8,
        "copies": 4500,
        "by_type": {
            "training": 5,
            "press_briefing": 4,
            "press_conference": 3,
            "seminar": 4,
            "delegation": 3,
            "publication": 3,
            "other": 2,
        },
    },
}


def _all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def _events_table(document: Any) -> Any:
    for table in document.tables:
        if table.rows and table.rows[0].cells[0].text.strip() == "STT":
            return table
    raise AssertionError("no events table")


class TestGenerateSamples:
    @pytest.mark.parametrize("period", sorted(EXPECTED))
    def test_json_figures_match_hand_counts(self, workdir: Path, invoke: Any, period: str) -> None:
        """--json reports the window, the row accounting and the totals counted by hand."""
        result = invoke("generate", "--period", period, "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        expected = EXPECTED[period]
        assert (data["period"]["start"], data["period"]["end"]) == expected["window"]
        assert data["period"]["code"] == period
        assert data["rows"] == {"read": 54, "used": 53, "invalid": 0, "duplicates": 1}
        totals = data["totals"]
        assert totals["events"] == expected["events"]
        assert totals["attendees"] == expected["attendees"]
        assert totals["documents"] == expected["documents"]
        assert totals["copies"] == expected["copies"]
        assert {k: totals[k] for k in expected["by_type"]} == expected["by_type"]
        assert [Path(f).name for f in data["files"]] == [
            f"bao-cao-{period}.docx",
            f"phu-luc-{period}.xlsx",
        ]

    def test_word_report_content(self, workdir: Path, invoke: Any) -> None:
        """The Word report holds the header, date line, figures, events table and narrative."""
        result = invoke("generate", "--period", "2023-12", "--date", "2023-12-20")
        assert result.exit_code == 0, result.output
        path = workdir / "outputs" / "bao-cao-2023-12.docx"
        assert str(path) in result.output
        document = docx.Document(str(path))
        text = _all_text(document)
        for expected in (
            "UBND TỈNH PHÚ THỌ",
            "BAN CHỈ ĐẠO NHÂN QUYỀN",
            "Số:      /BC-BCĐ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Phú Thọ, ngày 20 tháng 12 năm 2023",
            "BÁO CÁO",
            "Kết quả công tác thông tin đối ngoại về quyền con người tháng 12 năm 2023",
            "Số liệu tính từ ngày 15/11/2023 đến ngày 14/12/2023",
            "đã tổ chức 7 hoạt động với 954 lượt đại biểu",
            "- Hội nghị tập huấn: 3 hoạt động",
            "TM. BAN CHỈ ĐẠO",
            "Nguyễn Văn A",
            "- Lưu: VT, BCĐ.",
            "đã đọc 54 dòng từ 4 tệp",
        ):
            assert expected in text, expected
        table = _events_table(document)
        data_rows = table.rows[1:]
        assert len(data_rows) == 7
        titles = [row.cells[2].text for row in data_rows]
        # The 07/12/2023 training reported by two departments is listed once.
        assert (
            sum("Hội nghị tập huấn công tác" in t and "quyền con người" in t for t in titles) == 1
        )
        dates = [row.cells[1].text for row in data_rows]
        assert dates == sorted(dates, key=lambda d: d.split(" ")[0][3:5] + d[:2])
        assert "13/12/2023 - 16/12/2023" in dates
        provinces = {row.cells[4].text for row in data_rows}
        assert any("(nay thuộc Phú Thọ)" in p for p in provinces)

    def test_narrative_and_placeholder(self, workdir: Path, invoke: Any) -> None:
        """People's text for 12/2023 appears; the section without text shows a highlighted ask."""
        assert invoke("generate", "--period", "2023-12").exit_code == 0
        document = docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx"))
        paragraphs = [p for p in document.paragraphs if p.text.strip()]
        heading = next(i for i, p in enumerate(paragraphs) if p.text.startswith("V. "))
        placeholder = paragraphs[heading + 1]
        assert placeholder.text.startswith("[")
        assert any(run.font.highlight_color is not None for run in placeholder.runs)
        general = next(i for i, p in enumerate(paragraphs) if p.text.startswith("I. "))
        assert not paragraphs[general + 1].text.startswith("[")

    def test_excel_annex_content(self, workdir: Path, invoke: Any) -> None:
        """The annex has the summary by type with widened sums, the list and the data sheet."""
        assert invoke("generate", "--period", "2023-12").exit_code == 0
        workbook = openpyxl.load_workbook(workdir / "outputs" / "phu-luc-2023-12.xlsx")
        assert workbook.sheetnames == ["Tổng hợp", "Theo địa bàn", "Danh sách", "Sự kiện"]
        summary = workbook["Tổng hợp"]
        rows = [
            [c.value for c in row]
            for row in summary.iter_rows()
            if isinstance(row[1].value, str) and row[2].value is not None
        ]
        by_label = {r[1]: r[2] for r in rows if isinstance(r[2], int)}
        assert by_label["Hội nghị tập huấn"] == 3
        assert by_label["Xuất bản ấn phẩm"] == 0
        assert sum(by_label.values()) == 7
        total_row = next(
            r for r in summary.iter_rows() if r[1].value == "Tổng cộng" or r[0].value == "Tổng cộng"
        )
        formula = next(
            c.value for c in total_row if isinstance(c.value, str) and c.value.startswith("=SUM")
        )
        first_row = next(r[0].row for r in summary.iter_rows() if r[1].value == "Hội nghị tập huấn")
        assert formula.endswith(f"{first_row + 6})")  # covers all seven type rows
        (chart,) = summary._charts  # the native chart of events by type
        series = chart.series[0]
        assert series.val.numRef.f == f"'Tổng hợp'!$C${first_row}:$C${first_row + 6}"
        assert series.cat.strRef.f == f"'Tổng hợp'!$B${first_row}:$B${first_row + 6}"
        assert workbook.calculation.fullCalcOnLoad
        listing = workbook["Danh sách"]
        listed = [r for r in listing.iter_rows(values_only=True) if isinstance(r[0], int)]
        assert len(listed) == 7
        data = workbook["Sự kiện"]
        header = [c.value for c in data[1]]
        assert header[:3] == ["STT", "Mã sự kiện", "Ngày bắt đầu"]
        assert data.max_row == 1 + 7

    def test_annex_data_sheet_reads_back_as_input(
        self, workdir: Path, invoke: Any, tmp_path: Path
    ) -> None:
        """A central office can feed the annex back in: same events, same totals, no errors."""
        assert invoke("generate", "--period", "2023-12").exit_code == 0
        annex = workdir / "outputs" / "phu-luc-2023-12.xlsx"
        checked = invoke("validate", str(annex), "--json")
        assert checked.exit_code == 0, checked.output
        report = json.loads(checked.output)
        assert report["rows"] == {"read": 7, "used": 7, "invalid": 0, "duplicates": 0}
        again = invoke(
            "generate",
            "--period",
            "2023-12",
            "--inputs",
            str(annex),
            "--out",
            str(tmp_path / "again"),
            "--json",
        )
        assert again.exit_code == 0, again.output
        totals = json.loads(again.output)["totals"]
        assert (totals["events"], totals["attendees"]) == (7, 954)

    def test_calendar_rule_from_config(self, workdir: Path, invoke: Any) -> None:
        """period_rule = "calendar" makes December 2023 run from 01/12 to 31/12."""
        config = workdir / "reportgen.toml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                'period_rule = "cutoff"', 'period_rule = "calendar"'
            ),
            encoding="utf-8",
        )
        data = json.loads(invoke("generate", "--period", "2023-12", "--json").output)
        assert (data["period"]["start"], data["period"]["end"]) == ("2023-12-01", "2023-12-31")

    def test_outputs_leave_no_temporary_files(self, workdir: Path, invoke: Any) -> None:
        """Only the two outputs (and the placeholder) are left in outputs/."""
        assert invoke("generate", "--period", "2023-12").exit_code == 0
        names = sorted(p.name for p in (workdir / "outputs").iterdir())
        assert names == ["bao-cao-2023-12.docx", "phu-luc-2023-12.xlsx"]


class TestInvalidData:
    def test_errors_stop_generate_and_write_nothing(
        self, workdir: Path, empty_inputs: Path, invoke: Any
    ) -> None:
        """A row with an error stops generate (exit 1) and no output is written."""
        write_workbook(
            empty_inputs / "a.xlsx",
            [event_row(), event_row(start="31/02/2023", title="Hội thảo khác", type="Hội thảo")],
        )
        result = invoke("generate", "--period", "2023-12")
        assert result.exit_code == 1
        assert "B3" in result.output
        assert not list((workdir / "outputs").glob("*.docx"))

    def test_allow_invalid_leaves_rows_out_and_says_so(
        self, workdir: Path, empty_inputs: Path, invoke: Any
    ) -> None:
        """With --allow-invalid the report is written and its quality note counts the error."""
        write_workbook(
            empty_inputs / "a.xlsx",
            [event_row(), event_row(start="31/02/2023", title="Hội thảo khác", type="Hội thảo")],
        )
        result = invoke("generate", "--period", "2023-12", "--allow-invalid", "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["rows"] == {"read": 2, "used": 1, "invalid": 1, "duplicates": 0}
        document = docx.Document(data["files"][0])
        assert "1 dòng lỗi bị loại" in _all_text(document)

    def test_data_that_looks_like_markup_or_formulas_stays_text(
        self, workdir: Path, empty_inputs: Path, invoke: Any
    ) -> None:
        """& < > and quotes render as text in Word; =, +, -, @ never become Excel formulas."""
        write_workbook(
            empty_inputs / "a.xlsx",
            [
                event_row(title='Hội thảo "A & B" <mẫu>', type="Hội thảo"),
                event_row(title='=HYPERLINK("http://x")', start="08/12/2023", agency="@cmd"),
            ],
        )
        result = invoke("generate", "--period", "2023-12", "--json")
        assert result.exit_code == 0, result.output
        files = json.loads(result.output)["files"]
        assert 'Hội thảo "A & B" <mẫu>' in _all_text(docx.Document(files[0]))
        workbook = openpyxl.load_workbook(files[1])
        cells = [c for ws in workbook for row in ws.iter_rows() for c in row]
        injected = [c for c in cells if c.value == '=HYPERLINK("http://x")']
        assert injected and all(c.data_type == "s" for c in injected)
        assert any(c.value == "@cmd" for c in cells)


class TestUsage:
    def test_bad_period_is_usage_error(self, workdir: Path, invoke: Any) -> None:
        """A malformed period exits 2 with the accepted forms."""
        result = invoke("generate", "--period", "12/2023")
        assert result.exit_code == 2
        assert "2023-Q4" in result.output

    def test_missing_config_is_clear(self, tmp_path: Path, invoke: Any, monkeypatch: Any) -> None:
        """Without reportgen.toml, generate says to run init; no traceback."""
        monkeypatch.chdir(tmp_path)
        result = invoke("generate", "--period", "2023-12")
        assert result.exit_code == 1
        assert "reportgen init" in result.output
        assert "Traceback" not in result.output

    def test_broken_config_is_clear(self, workdir: Path, invoke: Any) -> None:
        """A syntax error in reportgen.toml is one message naming the file."""
        (workdir / "reportgen.toml").write_text("[committee\nname = 1", encoding="utf-8")
        result = invoke("generate", "--period", "2023-12")
        assert result.exit_code == 1
        assert "reportgen.toml" in result.output
        assert "Traceback" not in result.output

    def test_unknown_option_exits_2(self, invoke: Any) -> None:
        """Typer's usage errors keep exit code 2."""
        assert invoke("generate", "--nope").exit_code == 2

    def test_version_and_help(self, invoke: Any) -> None:
        """--version prints the version; --help lists every command."""
        version = invoke("--version")
        assert version.exit_code == 0 and version.output.startswith("reportgen ")
        help_text = invoke("--help").output
        for command in ("generate", "validate", "init"):
            assert command in help_text

    def test_init_refuses_to_overwrite(self, workdir: Path, invoke: Any) -> None:
        """A second init on the same folder exits 1 and keeps the existing config."""
        before = (workdir / "reportgen.toml").read_text(encoding="utf-8")
        assert invoke("init", str(workdir)).exit_code == 1
        assert (workdir / "reportgen.toml").read_text(encoding="utf-8") == before
