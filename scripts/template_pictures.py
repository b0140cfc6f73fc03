"""Make the before/after pictures of docs/templates.md (docs/img/templates-*.png).

    python scripts/template_pictures.py [--out docs/img]

Changes copies of the default report.docx the way docs/templates.md tells staff to (a heading
renamed, a column `Hình thức` added to the events table, a figure added to section II), renders
each with `reportgen preview`'s library function, converts to PDF with LibreOffice and crops the
pages with pdftoppm. Needs LibreOffice (soffice) and poppler-utils (pdftoppm).

The crops are fixed pixel boxes at 80 dpi; after a change to the default template's layout, look
at the pictures and adjust CROPS.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from reportgen.pdf import convert_to_pdf
from reportgen.preview import preview

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "reportgen" / "templates" / "report.docx"
DPI = 80
# picture name: (document, page, y, height), at DPI, full page width (661 px)
CROPS = {
    "templates-section2-before": ("report", 1, 490, 232),
    "templates-heading-after": ("report-heading", 1, 490, 232),
    "templates-figure-after": ("report-figure", 1, 490, 232),
    "templates-table-before": ("report", 2, 50, 207),
    "templates-table-after": ("report-column", 2, 50, 268),
    "templates-table-template-before": ("template-report", 2, 50, 165),
    "templates-table-template-after": ("template-report-column", 2, 50, 165),
}


def rename_heading(document: Any) -> None:
    """Example 1: section II gets a new name; typing over the text keeps its format."""
    paragraph = next(p for p in document.paragraphs if p.text == "II. KẾT QUẢ THỰC HIỆN")
    paragraph.runs[0].text = "II. KẾT QUẢ CÔNG TÁC THÔNG TIN ĐỐI NGOẠI"
    for run in paragraph.runs[1:]:
        run.text = ""


def add_figure(document: Any) -> None:
    """Example 3: Enter at the end of the summary sentence, then a sentence with a field."""
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Trong kỳ, các cơ quan"))
    new = copy.deepcopy(paragraph._p)
    paragraph._p.addnext(new)
    runs = new.findall(qn("w:r"))
    for run in runs[1:]:
        new.remove(run)
    runs[0].find(qn("w:t")).text = (
        "Số tỉnh, thành phố tham dự nhiều nhất tại một hoạt động: "
        "{{ totals.provinces_attending|so }}."
    )


def add_column(document: Any) -> None:
    """Example 2: Insert Right on `Loại hình`; the tag rows' merged cell grows by one column."""
    table = next(t for t in document.tables if "Loại hình" in [c.text for c in t.rows[0].cells])
    tbl = table._tbl
    columns = tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    after = 3  # "Loại hình"
    shrink = {2: 600, 3: 250, 5: 284}  # width given up by three columns, twentieths of a point
    width = sum(shrink.values())
    for position, amount in shrink.items():
        columns[position].set(qn("w:w"), str(int(columns[position].get(qn("w:w"))) - amount))
    new_column = copy.deepcopy(columns[after])
    new_column.set(qn("w:w"), str(width))
    columns[after].addnext(new_column)
    for index, row in enumerate(tbl.findall(qn("w:tr"))):
        cells = row.findall(qn("w:tc"))
        if len(cells) == 1:  # a tag row: one cell merged across the table
            span = cells[0].find(qn("w:tcPr")).find(qn("w:gridSpan"))
            span.set(qn("w:val"), str(int(span.get(qn("w:val"))) + 1))
            continue
        for position, amount in shrink.items():
            cell_width = cells[position].find(qn("w:tcPr")).find(qn("w:tcW"))
            cell_width.set(qn("w:w"), str(int(cell_width.get(qn("w:w"))) - amount))
        cell = copy.deepcopy(cells[after])
        cell.find(qn("w:tcPr")).find(qn("w:tcW")).set(qn("w:w"), str(width))
        cells[after].addnext(cell)
        paragraphs = cell.findall(qn("w:p"))
        for extra in paragraphs[1:]:
            cell.remove(extra)
        runs = paragraphs[0].findall(qn("w:r"))
        for run in runs[1:]:
            paragraphs[0].remove(run)
        runs[0].find(qn("w:t")).text = "Hình thức" if index == 0 else "{{ e.mode }}"


CHANGES: dict[str, Callable[[Any], None]] = {
    "report-heading": rename_heading,
    "report-figure": add_figure,
    "report-column": add_column,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm is not installed (poppler-utils)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="reportgen-pictures-") as work:
        folder = Path(work)
        templates = {"report": folder / "report.docx"}
        shutil.copy(TEMPLATE, templates["report"])
        for name, change in CHANGES.items():
            document = docx.Document(str(TEMPLATE))
            change(document)
            templates[name] = folder / f"{name}.docx"
            document.save(str(templates[name]))
        documents = [preview(path, out=folder / "preview") for path in templates.values()]
        for name in ("report", "report-column"):  # the template itself, tags visible
            shown = folder / "shown" / f"template-{name}.docx"
            shown.parent.mkdir(exist_ok=True)
            shutil.copy(templates[name], shown)
            documents.append(shown)
        pdfs = {p.stem.removesuffix("-preview"): p for p in convert_to_pdf(documents)}
        args.out.mkdir(parents=True, exist_ok=True)
        for picture, (source, page, top, height) in CROPS.items():
            subprocess.run(
                [
                    pdftoppm,
                    *("-png", "-r", str(DPI), "-f", str(page), "-l", str(page)),
                    *("-x", "0", "-y", str(top), "-W", "661", "-H", str(height)),
                    "-singlefile",
                    str(pdfs[source]),
                    str(args.out / picture),
                ],
                check=True,
            )
            print(args.out / f"{picture}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
