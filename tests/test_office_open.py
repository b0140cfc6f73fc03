"""A real office suite opens every generated document: LibreOffice converts each to PDF.

python-docx and openpyxl read leniently; LibreOffice is a second, independent reader. These
tests skip when LibreOffice is not installed, except under CI=true where they must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

if (SOFFICE is None or PDFTOTEXT is None) and os.environ.get("CI", "").lower() != "true":
    pytest.skip(
        "LibreOffice (soffice) and pdftotext are not installed; install libreoffice-writer-nogui, "
        "libreoffice-calc-nogui and poppler-utils to run these tests",
        allow_module_level=True,
    )


def to_pdf_text(document: Path, workdir: Path) -> str:
    """Convert with headless LibreOffice and return the PDF's text."""
    assert SOFFICE is not None and PDFTOTEXT is not None, "CI=true requires LibreOffice"
    from tests.conftest import office_save

    pdf = office_save(document, "pdf", workdir / "pdf", workdir / "lo-profile")
    assert pdf.stat().st_size > 1000, f"no PDF for {document.name}"
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return " ".join(text.split())


def test_generated_report_and_annex_open_in_libreoffice(
    workdir: Path, invoke: Any, tmp_path: Path
) -> None:
    """Both outputs of a monthly report convert, and the PDFs hold the expected figures."""
    result = invoke("generate", "--period", "2023-12", "--date", "2023-12-20")
    assert result.exit_code == 0, result.output
    word = to_pdf_text(workdir / "outputs" / "bao-cao-2023-12.docx", tmp_path)
    assert "ngày 20 tháng 12 năm 2023" in word
    assert "7 hoạt động với 954 lượt đại biểu" in word
    excel = to_pdf_text(workdir / "outputs" / "phu-luc-2023-12.xlsx", tmp_path)
    assert "Hội nghị tập huấn" in excel
    assert "954" in excel.replace(".", "").replace(",", "")
