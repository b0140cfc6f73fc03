"""The default Word report follows the administrative layout of Nghị định 30/2020/NĐ-CP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH


@pytest.fixture
def report(workdir: Path, invoke: Any) -> Any:
    """The December 2023 report generated from the samples, dated 05/01/2024, opened."""
    result = invoke("generate", "--period", "2023-12", "--date", "2024-01-05")
    assert result.exit_code == 0, result.output
    return docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx"))


def _runs(paragraph: Any) -> list[Any]:
    return [r for r in paragraph.runs if r.text.strip()]


def _size(paragraph: Any, document: Any) -> float:
    sizes = {r.font.size.pt for r in _runs(paragraph) if r.font.size is not None}
    if not sizes:
        return float(document.styles["Normal"].font.size.pt)
    assert len(sizes) == 1, paragraph.text
    return sizes.pop()


def _bold(paragraph: Any) -> bool:
    return all(r.bold for r in _runs(paragraph))


class TestPage:
    def test_a4_portrait_and_margins(self, report: Any) -> None:
        """A4 portrait; margins top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm."""
        section = report.sections[0]
        assert round(section.page_width.mm) == 210
        assert round(section.page_height.mm) == 297
        assert 20 <= round(section.top_margin.mm) <= 25
        assert 20 <= round(section.bottom_margin.mm) <= 25
        assert 30 <= round(section.left_margin.mm) <= 35
        assert 15 <= round(section.right_margin.mm) <= 20

    def test_body_font_and_paragraphs(self, report: Any) -> None:
        """Times New Roman 13-14 pt, justified, first-line indent 1-1.27 cm."""
        normal = report.styles["Normal"]
        assert normal.font.name == "Times New Roman"
        assert 13 <= normal.font.size.pt <= 14
        assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        indent_cm = normal.paragraph_format.first_line_indent.cm
        assert 1.0 <= indent_cm <= 1.27 + 1e-6

    def test_page_numbers_top_centre_not_on_first_page(self, report: Any) -> None:
        """A PAGE field centred in the header; the first page's header is empty."""
        section = report.sections[0]
        assert section.different_first_page_header_footer
        assert "PAGE" in section.header._element.xml
        assert any(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in section.header.paragraphs)
        assert all(not p.text.strip() for p in section.first_page_header.paragraphs)


class TestHeaderBlock:
    def test_left_column(self, report: Any) -> None:
        """Parent body in capitals not bold; committee bold; number line 13 pt."""
        left = [p for p in report.tables[0].rows[0].cells[0].paragraphs if p.text.strip()]
        parent, committee, number = left
        assert parent.text == "UBND TỈNH PHÚ THỌ" and not _bold(parent)
        assert 12 <= _size(parent, report) <= 13
        assert committee.text == "BAN CHỈ ĐẠO NHÂN QUYỀN" and _bold(committee)
        assert number.text == "Số:      /BC-BCĐ" and _size(number, report) == 13

    def test_right_column(self, report: Any) -> None:
        """National name bold 12-13 pt; motto bold 13-14 pt; italic place and date line."""
        right = [p for p in report.tables[0].rows[0].cells[1].paragraphs if p.text.strip()]
        nation, motto, date_line = right
        assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and _bold(nation)
        assert 12 <= _size(nation, report) <= 13
        assert motto.text == "Độc lập - Tự do - Hạnh phúc" and _bold(motto)
        assert 13 <= _size(motto, report) <= 14
        assert date_line.text == "Phú Thọ, ngày 05 tháng 01 năm 2024"
        assert all(r.italic for r in _runs(date_line))


class TestBlocks:
    def test_order_of_blocks(self, report: Any) -> None:
        """Header, title, summary, opening, sections I-V, then recipients and signature."""
        body = report.element.body
        sequence = []
        for child in body.iterchildren():
            text = child.xpath("string(.)").strip()
            if not text:
                continue
            tag = child.tag.rsplit("}", 1)[1]
            sequence.append(("T:" if tag == "tbl" else "P:") + text)
        markers = [
            "T:UBND TỈNH",
            "P:BÁO CÁO",
            "P:Kết quả công tác",
            "P:Thực hiện",
            "P:I. ",
            "P:II. ",
            "P:III. ",
            "P:IV. ",
            "P:V. ",
            "T:Nơi nhận:",
        ]
        positions = [
            next(i for i, item in enumerate(sequence) if item.startswith(m)) for m in markers
        ]
        assert positions == sorted(positions)

    def test_title_and_summary_bold_centred(self, report: Any) -> None:
        """`BÁO CÁO` and the summary line are bold and centred."""
        title = next(p for p in report.paragraphs if p.text == "BÁO CÁO")
        summary = next(p for p in report.paragraphs if p.text.startswith("Kết quả công tác"))
        for paragraph in (title, summary):
            assert _bold(paragraph)
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER

    def test_recipients_and_signature(self, report: Any) -> None:
        """`Nơi nhận:` bold italic 12 pt, recipients 11 pt, `Lưu` last; signer bold on the right."""
        closing = report.tables[-1].rows[0].cells
        left = [p for p in closing[0].paragraphs if p.text.strip()]
        assert left[0].text == "Nơi nhận:"
        assert _bold(left[0]) and all(r.italic for r in _runs(left[0]))
        assert _size(left[0], report) == 12
        assert all(_size(p, report) == 11 for p in left[1:])
        assert left[-1].text.startswith("- Lưu:")
        right = [p for p in closing[1].paragraphs if p.text.strip()]
        assert [p.text for p in right] == ["TM. BAN CHỈ ĐẠO", "PHÓ TRƯỞNG BAN", "Nguyễn Văn A"]
        assert all(_bold(p) for p in right)
