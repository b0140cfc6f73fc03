"""`reportgen validate --annotate DIR`: annotated copies with coloured, commented problem cells."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reportgen.annotate import (
    AUTHOR,
    ERROR_FILL,
    WARNING_FILL,
    annotate,
    annotate_files,
    comment_size,
)
from reportgen.problems import Problem
from tests.conftest import event_row, write_workbook


@pytest.fixture(autouse=True)
def _no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no reportgen.toml chooses a language or an inputs folder."""
    monkeypatch.chdir(tmp_path)


def bad_workbook(path: Path) -> Path:
    """An approximate number in H2 (warning) and a date that does not exist in B3 (error)."""
    return write_workbook(
        path,
        [
            event_row(attendees="khoảng 300"),
            event_row(STT=2, start="31/02/2023", title="Hội thảo khác"),
        ],
    )


def fill_of(cell: Any) -> str | None:
    """The solid fill colour of a cell as 6 hex digits, or None."""
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.fgColor.rgb)[-6:]


def marked_cells(ws: Any) -> dict[str, tuple[str | None, str]]:
    """Every cell with a fill or a comment: coordinate -> (fill, comment text)."""
    found = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.comment is not None or fill_of(cell) is not None:
                found[cell.coordinate] = (
                    fill_of(cell),
                    cell.comment.text if cell.comment else "",
                )
    return found


def test_problem_cells_filled_and_commented(tmp_path: Path, invoke: Any) -> None:
    """The error cell B3 is red, the warning cell H2 yellow, each with its message as comment."""
    source = bad_workbook(tmp_path / "in" / "so-ngoai-vu.xlsx")
    out = tmp_path / "chu-thich"
    result = invoke("validate", str(source), "--annotate", str(out))
    assert result.exit_code == 1, result.output
    copy = out / "so-ngoai-vu.xlsx"
    assert f"Bản sao có ghi chú: {copy}" in result.output
    ws = load_workbook(copy)["Sự kiện"]
    cells = marked_cells(ws)
    assert set(cells) == {"B3", "H2"}
    assert cells["B3"][0] == ERROR_FILL
    assert cells["H2"][0] == WARNING_FILL
    assert cells["B3"][1].startswith("Lỗi: '31/02/2023' không phải là ngày có thật")
    assert cells["H2"][1].startswith("Cảnh báo: 'khoảng 300' là số ước tính")
    assert ws["B3"].comment.author == AUTHOR
    assert ws["B3"].value == "31/02/2023" and ws["H2"].value == "khoảng 300"  # data kept


def test_comments_follow_the_language(tmp_path: Path, invoke: Any) -> None:
    """With --lang en the prefixes and messages are English."""
    source = bad_workbook(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    result = invoke("--lang", "en", "validate", str(source), "--annotate", str(out))
    assert f"Annotated copy: {out / 'a.xlsx'}" in result.output
    ws = load_workbook(out / "a.xlsx").active
    assert (
        ws["B3"].comment.text
        == "Error: '31/02/2023' is not a real date (no such day in that month)."
    )
    assert ws["H2"].comment.text.startswith("Warning: 'khoảng 300' is approximate")


def test_comment_boxes_are_sized_for_their_text(tmp_path: Path, invoke: Any) -> None:
    """The comment shapes are wider and taller than openpyxl's 144x79 default when needed."""
    assert comment_size("Lỗi: ngắn.") == (240, 60)
    width, height = comment_size("\n".join(["Cảnh báo: " + "x" * 150] * 3))
    assert width == 480 and 150 < height <= 480
    assert comment_size("\n".join(["y" * 300] * 40))[1] == 480  # never beyond a screenful

    source = bad_workbook(tmp_path / "a.xlsx")
    invoke("validate", str(source), "--annotate", str(tmp_path / "out"))
    with zipfile.ZipFile(tmp_path / "out" / "a.xlsx") as archive:
        [vml] = [n for n in archive.namelist() if n.endswith(".vml")]
        shapes = archive.read(vml).decode("utf-8")
    sizes = re.findall(r"width:(\d+)px;height:(\d+)px", shapes)
    assert len(sizes) == 2
    assert all(int(w) >= 240 and int(h) >= 60 for w, h in sizes)


def test_input_file_is_never_modified(tmp_path: Path, invoke: Any) -> None:
    """The input's bytes are the same after annotating."""
    source = bad_workbook(tmp_path / "a.xlsx")
    before = source.read_bytes()
    invoke("validate", str(source), "--annotate", str(tmp_path / "out"))
    assert source.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp")) and not list((tmp_path / "out").glob(".*"))


def test_copy_that_would_replace_an_input_is_refused(tmp_path: Path, invoke: Any) -> None:
    """--annotate naming the inputs folder itself writes nothing over the inputs."""
    folder = tmp_path / "in"
    source = bad_workbook(folder / "a.xlsx")
    before = source.read_bytes()
    result = invoke("validate", str(folder), "--annotate", str(folder))
    assert "không được ghi chú: bản sao sẽ ghi đè lên một tệp đầu vào" in result.output
    assert source.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["a.xlsx"]


def test_file_without_problems_gets_no_copy(tmp_path: Path, invoke: Any) -> None:
    """Only the workbook with problems is copied; a clean run says no copy was written."""
    folder = tmp_path / "in"
    write_workbook(folder / "sach.xlsx", [event_row(title="Một sự kiện khác")])
    bad_workbook(folder / "loi.xlsx")
    out = tmp_path / "out"
    invoke("validate", str(folder), "--annotate", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["loi.xlsx"]

    clean = invoke("validate", str(folder / "sach.xlsx"), "--annotate", str(tmp_path / "o2"))
    assert clean.exit_code == 0, clean.output
    assert "Không tệp nào có vấn đề; không ghi bản sao có ghi chú nào." in clean.output
    assert not (tmp_path / "o2").exists()


def test_damaged_file_is_skipped_with_a_message(tmp_path: Path, invoke: Any) -> None:
    """A file that cannot be opened gets no copy; the command says so and annotates the rest."""
    folder = tmp_path / "in"
    (folder / "hong.xlsx").parent.mkdir(parents=True)
    (folder / "hong.xlsx").write_bytes(b"this is not a workbook")
    bad_workbook(folder / "loi.xlsx")
    out = tmp_path / "out"
    result = invoke("validate", str(folder), "--annotate", str(out))
    assert f"{folder / 'hong.xlsx'} không được ghi chú: không mở được tệp" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["loi.xlsx"]


def test_xls_and_ods_cannot_be_annotated(tmp_path: Path) -> None:
    """An .xls or .ods input is named in one line saying it cannot be annotated."""
    problems = [
        Problem("error", "date.invalid", "m", file=str(tmp_path / f"a.{ext}"), sheet="S", row=2)
        for ext in ("xls", "ods")
    ]
    result = annotate_files(problems, tmp_path / "out")
    assert result.written == []
    assert [s.file.name for s in result.skipped] == ["a.xls", "a.ods"]
    assert all(
        "không thể ghi chú lên tệp .xls và .ods" in s.reason and "\n" not in s.reason
        for s in result.skipped
    )
    assert not (tmp_path / "out").exists()


def test_json_output_lists_the_copies(tmp_path: Path, invoke: Any) -> None:
    """--json with --annotate prints one JSON object with the copies and the skipped files."""
    folder = tmp_path / "in"
    bad_workbook(folder / "a.xlsx")
    (folder / "b.xlsx").write_bytes(b"junk")
    out = tmp_path / "out"
    result = invoke("validate", str(folder), "--annotate", str(out), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["annotated"] == [str(out / "a.xlsx")]
    assert [s["file"] for s in data["not_annotated"]] == [str(folder / "b.xlsx")]
    assert data["errors"] == 2 and data["warnings"] == 1
    assert (out / "a.xlsx").is_file()


def test_cells_of_row_sheet_and_file_problems(tmp_path: Path) -> None:
    """Row problems go on the row's first cell, file ones on A1, merged cells on their anchor."""
    source = write_workbook(
        tmp_path / "a.xlsx", [event_row()], title_rows=[["BÁO CÁO"], []], start_column=2
    )
    wb = load_workbook(source)
    wb.active.merge_cells("B1:E1")
    wb.save(source)
    file = str(source)
    problems = [
        Problem("warning", "x.file", "Cả tệp.", file=file),
        Problem("warning", "x.row", "Cả dòng.", file=file, sheet="Sự kiện", row=4),
        Problem("error", "x.cell", "Ô sai.", file=file, sheet="Sự kiện", row=4, column="B"),
        Problem("warning", "x.merged", "Tiêu đề.", file=file, sheet="Sự kiện", row=1, column="D"),
    ]
    [copy] = annotate(problems, tmp_path / "out")
    ws = load_workbook(copy)["Sự kiện"]
    cells = marked_cells(ws)
    assert set(cells) == {"A1", "B4", "B1"}
    assert cells["A1"] == (WARNING_FILL, "Cảnh báo: Cả tệp.")
    # B4 is the row's first filled cell: its error comes first and its fill is red.
    assert cells["B4"] == (ERROR_FILL, "Lỗi: Ô sai.\nCảnh báo: Cả dòng.")
    assert cells["B1"] == (WARNING_FILL, "Cảnh báo: Tiêu đề.")


def test_existing_comment_is_kept(tmp_path: Path) -> None:
    """A comment the office wrote stays in the copy, below the problem."""
    from openpyxl.comments import Comment

    source = bad_workbook(tmp_path / "a.xlsx")
    wb = load_workbook(source)
    wb.active["B3"].comment = Comment("Hỏi lại anh Nam", "Hà")
    wb.save(source)
    problems = [
        Problem(
            "error",
            "date.invalid",
            "Sai ngày.",
            file=str(source),
            sheet="Sự kiện",
            row=3,
            column="B",
        )
    ]
    [copy] = annotate(problems, tmp_path / "out")
    comment = load_workbook(copy).active["B3"].comment
    assert comment.text == "Lỗi: Sai ngày.\n\nHà: Hỏi lại anh Nam"
    assert comment.author == AUTHOR


def _with_macros(path: Path) -> bytes:
    """Turn an openpyxl workbook into an .xlsm holding a (fake) VBA project; return its bytes."""
    vba = b"VBA project stand-in \x00\x01\x02"
    plain = path.read_bytes()
    path.unlink()
    with zipfile.ZipFile(_bytes_io(plain)) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Override PartName="/xl/vbaProject.bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Target="vbaProject.bin" Type="http://schemas.'
                    b'microsoft.com/office/2006/relationships/vbaProject"/></Relationships>',
                )
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", vba)
    return vba


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def test_xlsm_copy_keeps_its_macros(tmp_path: Path, invoke: Any) -> None:
    """An .xlsm input gives an .xlsm copy that still holds the VBA project."""
    source = bad_workbook(tmp_path / "in" / "macro.xlsm")
    vba = _with_macros(source)
    out = tmp_path / "out"
    result = invoke("validate", str(source), "--annotate", str(out))
    assert f"Bản sao có ghi chú: {out / 'macro.xlsm'}" in result.output
    with zipfile.ZipFile(out / "macro.xlsm") as archive:
        assert archive.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in archive.read("[Content_Types].xml")
    wb = load_workbook(out / "macro.xlsm", keep_vba=True)
    try:
        assert set(marked_cells(wb["Sự kiện"])) == {"B3", "H2"}
    finally:
        wb.vba_archive.close()


def test_inputs_with_the_same_name_get_distinct_copies(tmp_path: Path, invoke: Any) -> None:
    """Two inputs named a.xlsx in different folders give a.xlsx and a-2.xlsx."""
    first = bad_workbook(tmp_path / "x" / "a.xlsx")
    second = bad_workbook(tmp_path / "y" / "a.xlsx")
    out = tmp_path / "out"
    invoke("validate", str(first), str(second), "--annotate", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["a-2.xlsx", "a.xlsx"]
