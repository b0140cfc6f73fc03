"""bench/generate.py: the synthetic workbooks the benchmarks measure are real workbooks."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from reportgen import validate

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402  (bench/generate.py)


def _values(path: Path) -> list[list[object]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()


def test_shared_strings_copy_holds_the_same_values(tmp_path: Path) -> None:
    """The Excel-style copy (text in a shared-strings part) reads exactly as the original,
    opens in openpyxl, and validates to the same counts."""
    inline = generate.make_workbook(tmp_path / "inline.xlsx", 300, seed=3)
    shared = generate.share_strings(inline, tmp_path / "shared.xlsx")
    assert _values(shared) == _values(inline)
    with zipfile.ZipFile(shared) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        assert b"inlineStr" not in sheet and b't="s"' in sheet
        assert b"<si>" in archive.read("xl/sharedStrings.xml")
    # openpyxl resolves the shared strings as Excel would.
    by_openpyxl = [
        list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
        for path in (inline, shared)
    ]
    assert by_openpyxl[0] == by_openpyxl[1] and len(by_openpyxl[0]) == len(_values(inline))
    a, b = validate([inline]).report.counts, validate([shared]).report.counts
    assert (a.read, a.used, a.invalid, a.duplicates) == (b.read, b.used, b.invalid, b.duplicates)
    assert a.read == 300
