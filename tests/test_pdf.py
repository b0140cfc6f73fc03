"""`generate --format pdf|both`: PDF copies made by headless LibreOffice, or a clear message.

The conversion tests skip when LibreOffice is not installed, except under CI=true where they
must run. The others use stand-in programs and run everywhere (POSIX shells).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reportgen import i18n, pdf
from reportgen.pdf import ConversionError, ConverterMissing, convert_to_pdf, find_soffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
CI = os.environ.get("CI", "").lower() == "true"
needs_libreoffice = pytest.mark.skipif(
    (SOFFICE is None or PDFTOTEXT is None) and not CI,
    reason="LibreOffice (soffice) and pdftotext are not installed; install "
    "libreoffice-writer-nogui, libreoffice-calc-nogui and poppler-utils to run this test",
)
posix_only = pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a sh script")


def pdf_text(path: Path) -> str:
    assert PDFTOTEXT is not None, "CI=true requires pdftotext"
    out = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return " ".join(out.split())


def fake_soffice(folder: Path, script: str) -> Path:
    """A stand-in `soffice` on the PATH running ``script`` (sh)."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "soffice"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return program


@needs_libreoffice
class TestWithLibreOffice:
    def test_pdf_holds_the_figures(self, workdir: Path, invoke: Any) -> None:
        """--format pdf writes the report and annex as PDF, with the period's figures."""
        result = invoke(
            "generate", "--period", "2023-12", "--date", "2023-12-20", "--format", "pdf"
        )
        assert result.exit_code == 0, result.output
        outputs = workdir / "outputs"
        assert sorted(p.name for p in outputs.iterdir() if p.is_file()) == [
            "bao-cao-2023-12.pdf",
            "phu-luc-2023-12.pdf",
        ]
        report = pdf_text(outputs / "bao-cao-2023-12.pdf")
        assert "Phú Thọ, ngày 20 tháng 12 năm 2023" in report
        assert "7 hoạt động với 954 lượt đại biểu" in report
        annex = pdf_text(outputs / "phu-luc-2023-12.pdf")
        assert "Hội nghị tập huấn" in annex and "954" in annex.replace(".", "")
        assert str(outputs / "bao-cao-2023-12.pdf") in result.output

    def test_both_keeps_word_and_excel(self, workdir: Path, invoke: Any) -> None:
        """--format both writes the four files; no temporary file is left behind."""
        result = invoke(
            "generate", "--period", "2023-Q4", "--date", "2023-12-20", "--format", "both"
        )
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (workdir / "outputs").iterdir()) == [
            "bao-cao-2023-Q4.docx",
            "bao-cao-2023-Q4.pdf",
            "phu-luc-2023-Q4.pdf",
            "phu-luc-2023-Q4.xlsx",
        ]


class TestWithoutLibreOffice:
    def test_missing_says_how_to_install(
        self, workdir: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No soffice on an empty PATH: exit 1, how to install it, Word and Excel still written."""
        monkeypatch.setenv("PATH", "")
        monkeypatch.setattr(pdf, "_install_folders", lambda: [])
        assert find_soffice() is None
        result = invoke("--lang", "en", "generate", "--period", "2023-12", "--format", "pdf")
        assert result.exit_code == 1
        text = result.output
        assert "LibreOffice" in text
        assert "winget install TheDocumentFoundation.LibreOffice" in text
        assert "apt install libreoffice-writer-nogui libreoffice-calc-nogui" in text
        assert "libreoffice.org" in text
        outputs = workdir / "outputs"
        assert sorted(p.name for p in outputs.iterdir()) == [
            "bao-cao-2023-12.docx",
            "phu-luc-2023-12.xlsx",
        ]
        assert str(outputs / "bao-cao-2023-12.docx") in " ".join(text.split())

    def test_docx_is_the_default_and_needs_nothing(
        self, workdir: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without --format, nothing changes: Word and Excel, LibreOffice never asked for."""
        monkeypatch.setenv("PATH", "")
        result = invoke("generate", "--period", "2023-12")
        assert result.exit_code == 0, result.output
        assert sorted(p.suffix for p in (workdir / "outputs").iterdir()) == [".docx", ".xlsx"]

    def test_windows_install_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """soffice.exe in Program Files is found when it is not on the PATH."""
        program = tmp_path / "LibreOffice" / "program" / "soffice.exe"
        program.parent.mkdir(parents=True)
        program.write_bytes(b"")
        monkeypatch.setenv("ProgramFiles", str(tmp_path))
        folders = pdf._install_folders(windows=True)
        assert program in folders
        assert Path(r"C:\Program Files\LibreOffice\program\soffice.exe") in folders
        monkeypatch.setenv("PATH", "")
        monkeypatch.setattr(pdf, "_install_folders", lambda: folders)
        assert find_soffice() == program

    def test_bad_format_is_usage_error(self, workdir: Path, invoke: Any) -> None:
        """An unknown --format is wrong usage: exit 2."""
        result = invoke("generate", "--period", "2023-12", "--format", "odt")
        assert result.exit_code == 2


@posix_only
class TestConversionRun:
    def test_private_profile_and_atomic_placement(self, tmp_path: Path) -> None:
        """soffice gets a private profile and an out folder; the PDF lands beside the source."""
        log = tmp_path / "args.txt"
        program = fake_soffice(
            tmp_path / "bin",
            f'printf "%s\\n" "$@" > "{log}"\n'
            'while [ "$1" != "--outdir" ]; do shift; done; out="$2"; shift 2\n'
            'for f in "$@"; do b=$(basename "$f")\n'
            'printf "%%PDF-1.4 fake" > "$out/${b%.*}.pdf"; done\n',
        )
        source = tmp_path / "docs" / "bao-cao.docx"
        source.parent.mkdir()
        source.write_bytes(b"docx")
        [written] = convert_to_pdf([source], soffice=program)
        assert written == source.with_suffix(".pdf")
        assert written.read_bytes() == b"%PDF-1.4 fake"
        args = log.read_text(encoding="utf-8").splitlines()
        assert args[0].startswith("-env:UserInstallation=file://")
        assert "--headless" in args and args[args.index("--convert-to") + 1] == "pdf"
        assert sorted(p.name for p in source.parent.iterdir()) == ["bao-cao.docx", "bao-cao.pdf"]

    def test_no_pdf_produced(self, tmp_path: Path) -> None:
        """soffice exiting without a PDF is a ConversionError carrying its output."""
        program = fake_soffice(tmp_path / "bin", 'echo "Error: source file could not be loaded"\n')
        source = tmp_path / "x.docx"
        source.write_bytes(b"docx")
        with pytest.raises(ConversionError, match="could not be loaded"):
            convert_to_pdf([source], soffice=program)
        assert not source.with_suffix(".pdf").exists()

    def test_timeout_kills_it(self, tmp_path: Path) -> None:
        """A hung soffice is stopped after the timeout, with a message saying so."""
        i18n.set_language("en")
        program = fake_soffice(tmp_path / "bin", "sleep 30\n")
        source = tmp_path / "x.docx"
        source.write_bytes(b"docx")
        with pytest.raises(ConversionError, match=r"longer than 1 seconds"):
            convert_to_pdf([source], soffice=program, timeout=1)

    def test_missing_program_raises(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The library raises ConverterMissing, whose text says how to install LibreOffice."""
        monkeypatch.setenv("PATH", "")
        monkeypatch.setattr(pdf, "_install_folders", lambda: [])
        with pytest.raises(ConverterMissing, match="libreoffice-writer-nogui"):
            convert_to_pdf([tmp_path / "x.docx"])


def test_python_is_posix_or_windows() -> None:
    """The kill-on-timeout code has a branch for each platform reportgen supports."""
    assert os.name in ("posix", "nt") and sys.platform
