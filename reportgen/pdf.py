"""PDF copies of the reports, made by LibreOffice running headless.

LibreOffice is looked for on the PATH (``soffice``, ``libreoffice``) and in its usual install
folders on Windows and macOS. Each conversion runs with a private, throw-away user profile, so
it works while the user has LibreOffice open and never touches their settings; it is killed
after a timeout, and each PDF is moved into place atomically.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

from .errors import ConversionError, ConverterMissing
from .i18n import _
from .write import write_atomic

OutputFormat = Literal["docx", "pdf", "both"]
FORMATS: tuple[str, ...] = get_args(OutputFormat)
TIMEOUT = 180  # seconds for one conversion run; a first start of LibreOffice can take 30 s


def _install_folders(windows: bool | None = None) -> list[Path]:
    """Where LibreOffice's installers put soffice, for this platform."""
    folders = []
    if os.name == "nt" if windows is None else windows:
        for variable in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
            base = os.environ.get(variable)
            if base:
                folders.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
        folders.append(Path(r"C:\Program Files\LibreOffice\program\soffice.exe"))
    elif sys.platform == "darwin" and windows is None:
        folders.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return folders


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice`` program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((path for path in _install_folders() if path.is_file()), None)


def install_hint() -> str:
    """How to install LibreOffice, for the message when it is missing."""
    return _(
        "PDF files are made with LibreOffice, which is not installed (or not found). "
        "Install it, then run the command again:\n"
        "  Windows: download it from https://www.libreoffice.org, or run\n"
        "    winget install TheDocumentFoundation.LibreOffice\n"
        "  Debian/Ubuntu: sudo apt install libreoffice-writer-nogui libreoffice-calc-nogui"
    )


def convert_to_pdf(
    documents: Sequence[Path], *, soffice: Path | None = None, timeout: float = TIMEOUT
) -> list[Path]:
    """Write ``name.pdf`` beside each of ``documents`` (.docx, .xlsx); return the PDFs.

    Raises ConverterMissing when LibreOffice is not installed and ConversionError when a
    conversion fails or takes longer than ``timeout`` seconds.
    """
    program = soffice or find_soffice()
    if program is None:
        raise ConverterMissing(install_hint())
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as work:
        profile = Path(work) / "profile"
        out = Path(work) / "out"
        out.mkdir()
        command = [
            str(program),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *[str(d) for d in documents],
        ]
        output = _run(command, timeout)
        for document in documents:
            produced = out / (document.stem + ".pdf")
            if not produced.is_file() or produced.stat().st_size == 0:
                raise ConversionError(
                    _("LibreOffice did not convert {path} to PDF. Its output: {output}").format(
                        path=document, output=output.strip() or "-"
                    )
                )

            def copy(temp: Path, source: Path = produced) -> None:
                shutil.copyfile(source, temp)

            written.append(write_atomic(document.with_suffix(".pdf"), copy))
    return written


def _run(command: list[str], timeout: float) -> str:
    """Run LibreOffice; on timeout kill it with everything it started."""
    options: dict[str, object] = {}
    if os.name == "posix":
        options["start_new_session"] = True  # its own process group, to kill soffice.bin too
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            **options,  # type: ignore[call-overload]
        )
    except OSError as exc:
        raise ConversionError(
            _("Cannot start LibreOffice ({program}): {reason}").format(
                program=command[0], reason=exc.strerror or exc
            )
        ) from None
    stdout: bytes
    try:
        stdout, _unused = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.communicate()
        raise ConversionError(
            _(
                "LibreOffice took longer than {seconds} seconds to make the PDF and was "
                "stopped. Close any LibreOffice window that asks a question and run again."
            ).format(seconds=int(timeout))
        ) from None
    return stdout.decode("utf-8", "replace")


def finish_formats(files: list[Path], output_format: OutputFormat) -> list[Path]:
    """The outputs of ``--format``: ``docx`` the Word and Excel files as they are, ``pdf``
    their PDF copies instead, ``both`` all of them.

    The Word and Excel files are written first; when LibreOffice is missing or fails they are
    kept whatever the format, and the error says so.
    """
    if output_format not in FORMATS:
        raise ValueError(output_format)
    if output_format == "docx":
        return files
    kept = _("The Word and Excel files were written: {files}").format(
        files=", ".join(str(f) for f in files)
    )
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing(install_hint() + "\n" + kept)
    try:
        pdfs = convert_to_pdf(files, soffice=soffice)
    except ConversionError as exc:
        raise ConversionError(f"{exc}\n{kept}") from None
    if output_format == "both":
        return [*files, *pdfs]
    for path in files:
        path.unlink(missing_ok=True)
    return pdfs
