"""English report: `--lang en` picks the `.en` template variants and writes English wording."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from reportgen.api import _template, template_names

HEADINGS = [
    "I. GENERAL SITUATION, LEADERSHIP AND DIRECTION",
    "II. RESULTS",
    "III. SHORTCOMINGS AND CAUSES",
    "IV. TASKS FOR THE NEXT PERIOD",
    "V. PROPOSALS",
]

# schema.toml's English labels of the event types, in schema order.
TYPE_LABELS = [
    "Training conference",
    "Press information briefing",
    "Press conference",
    "Seminar, round table",
    "Foreign delegation or journalists received",
    "Publication",
    "Other",
]

# The data sheet is input for reportgen: these headers stay Vietnamese in every language.
INPUT_HEADERS = [
    "STT",
    "Mã sự kiện",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Loại hoạt động",
    "Tên hoạt động",
    "Tỉnh/thành phố",
    "Địa điểm",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Hình thức",
    "Số điểm cầu",
    "Số đại biểu",
    "Số tỉnh, thành phố tham dự",
    "Số ấn phẩm",
    "Văn bản quán triệt",
    "Chủ đề",
    "Lãnh đạo chủ trì",
    "Nguồn",
    "Đơn vị báo cáo",
    "Ghi chú",
]


def all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("report.docx", "en", ["report.en.docx", "report.docx"]),
        ("annex.xlsx", "en", ["annex.en.xlsx", "annex.xlsx"]),
        ("report.docx", "vi", ["report.docx"]),
        ("report.en.docx", "en", ["report.en.docx"]),
        ("mau/bao-cao.v2.docx", "en", ["mau/bao-cao.v2.en.docx", "mau/bao-cao.v2.docx"]),
        ("report", "en", ["report"]),
    ],
)
def test_template_names(name: str, lang: str, expected: list[str]) -> None:
    assert [Path(n) for n in template_names(name, lang)] == [Path(n) for n in expected]


def test_language_variant_found_in_the_folder_then_built_in(tmp_path: Path) -> None:
    # Built-in variant when the folder has none.
    assert _template(tmp_path, "report.docx", "en").name == "report.en.docx"
    assert _template(tmp_path, "report.docx", "vi").name == "report.docx"
    # The folder's variant first.
    (tmp_path / "report.en.docx").write_bytes(b"mine")
    assert _template(tmp_path, "report.docx", "en") == tmp_path / "report.en.docx"
    # No variant anywhere: the configured template itself.
    (tmp_path / "custom.docx").write_bytes(b"mine")
    assert _template(tmp_path, "custom.docx", "en") == tmp_path / "custom.docx"


def test_english_report_and_annex(workdir: Path, invoke: Any) -> None:
    assert (workdir / "templates" / "report.en.docx").is_file(), "init copies the variants"
    result = invoke("--lang", "en", "generate", "--period", "2023-12", "--date", "2023-12-20")
    assert result.exit_code == 0, result.output

    report = docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx"))
    text = all_text(report)
    for piece in [
        *HEADINGS,
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "REPORT",
        "December 2023",
        "Figures from 15/11/2023 to 14/12/2023",
        "Recipients:",
        "Table 1. Activities in the period",
        "Lead agency",
        "- Training conference: 3 activities, ",
        "- Publication: 0 activities, 0 participants;",
    ]:
        assert piece in text, piece
    for label in TYPE_LABELS:
        assert f"- {label}: " in text, label
    # The events table's type column uses the English labels too.
    events_table = report.tables[1]
    assert events_table.rows[0].cells[3].text == "Type"
    types = [row.cells[3].text for row in events_table.rows[1:]]
    assert len(types) == 7 and set(types) <= set(TYPE_LABELS), types
    for vietnamese in ("BÁO CÁO", "KẾT QUẢ THỰC HIỆN", "Nơi nhận", "lượt người", "[Đề nghị"):
        assert vietnamese not in text, vietnamese

    annex = workdir / "outputs" / "phu-luc-2023-12.xlsx"
    workbook = openpyxl.load_workbook(annex)
    assert workbook.sheetnames == ["Summary", "By region and province", "Events", "Sự kiện"]
    assert workbook["Summary"]["B7"].value == "Training conference"
    data = workbook["Sự kiện"]
    assert [c.value for c in data[1]] == INPUT_HEADERS
    input_types = {row[4].value for row in data.iter_rows(min_row=2)}
    assert "Hội nghị tập huấn" in input_types, "the data sheet keeps the input labels"
    assert not input_types & set(TYPE_LABELS)
    workbook.close()

    check = invoke("--lang", "en", "validate", str(annex))
    assert check.exit_code == 0, check.output


def test_vietnamese_run_keeps_report_docx(workdir: Path, invoke: Any) -> None:
    result = invoke("generate", "--period", "2023-12", "--date", "2023-12-20")
    assert result.exit_code == 0, result.output
    text = all_text(docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx")))
    assert "BÁO CÁO" in text and "II. KẾT QUẢ THỰC HIỆN" in text
    assert "REPORT" not in text and "Recipients:" not in text
    workbook = openpyxl.load_workbook(workdir / "outputs" / "phu-luc-2023-12.xlsx")
    assert workbook.sheetnames == ["Tổng hợp", "Theo địa bàn", "Danh sách", "Sự kiện"]
    workbook.close()
