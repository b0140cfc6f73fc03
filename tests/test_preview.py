"""`reportgen preview`: a template rendered with the sample data into outputs/preview/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import docx
import openpyxl

from reportgen import i18n


def paragraphs(path: Path) -> str:
    """The text of the body's paragraphs and of its tables (the header block is a table)."""
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


class TestPreview:
    def test_word_template_by_name(self, workdir: Path, invoke: Any) -> None:
        """A name in the templates folder renders into outputs/preview; the path is printed."""
        result = invoke("preview", "report.docx")
        assert result.exit_code == 0, result.output
        target = workdir / "outputs" / "preview" / "report-preview.docx"
        assert str(target) in result.output
        text = paragraphs(target)
        assert "ngày 20 tháng 12 năm 2023" in text
        assert "7 hoạt động với 954 lượt đại biểu" in text

    def test_edited_template_shows_the_change(self, workdir: Path, invoke: Any) -> None:
        """Staff edit a copy; the preview shows the new wording with real figures."""
        template = workdir / "templates" / "report.docx"
        document = docx.Document(str(template))
        heading = next(p for p in document.paragraphs if p.text.startswith("II."))
        heading.runs[0].text = "II. KẾT QUẢ NỔI BẬT"
        for run in heading.runs[1:]:
            run.text = ""
        document.add_paragraph("Tổng số văn bản: {{ totals.documents }}.")
        document.save(str(template))
        result = invoke("preview", str(template))
        assert result.exit_code == 0, result.output
        text = paragraphs(workdir / "outputs" / "preview" / "report-preview.docx")
        assert "II. KẾT QUẢ NỔI BẬT" in text
        assert "Tổng số văn bản: 4." in text

    def test_excel_template(self, workdir: Path, invoke: Any) -> None:
        """An Excel template renders too: the loop rows hold the sample events."""
        result = invoke("preview", "templates/annex.xlsx")
        assert result.exit_code == 0, result.output
        workbook = openpyxl.load_workbook(workdir / "outputs" / "preview" / "annex-preview.xlsx")
        summary = workbook.worksheets[0]
        values = [c.value for row in summary.iter_rows() for c in row]
        assert "Hội nghị tập huấn" in values
        assert "THÁNG 12 NĂM 2023" in " ".join(str(v) for v in values if v)

    def test_without_a_working_folder(self, tmp_path: Path, invoke: Any) -> None:
        """Without reportgen.toml the built-in template is found and ./outputs/preview used."""
        old = Path.cwd()
        os.chdir(tmp_path)
        try:
            result = invoke("preview", "annex.xlsx")
        finally:
            os.chdir(old)
        assert result.exit_code == 0, result.output
        assert (tmp_path / "outputs" / "preview" / "annex-preview.xlsx").is_file()

    def test_unknown_template(self, workdir: Path, invoke: Any) -> None:
        """A name that is nowhere is one sentence and exit 1."""
        i18n.set_language("en")
        result = invoke("--lang", "en", "preview", "khong-co.docx")
        assert result.exit_code == 1
        assert "khong-co.docx" in result.output

    def test_template_error_named(self, workdir: Path, invoke: Any) -> None:
        """A template that cannot render says why, like generate does."""
        document = docx.Document()
        document.add_paragraph("{{ totals.event }}")
        document.save(str(workdir / "templates" / "broken.docx"))
        result = invoke("--lang", "en", "preview", "broken.docx")
        assert result.exit_code == 1
        assert "broken.docx" in result.output and "totals" in result.output
