"""Reading workbooks: finding the sheet and header, skipping what is not an event, bad files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from reportgen.read import read_file, read_inputs
from reportgen.schema import default_schema
from tests.conftest import HEADERS, event_row, write_workbook

SCHEMA = default_schema()


def read(path: Path):  # type: ignore[no-untyped-def]
    return read_file(path, SCHEMA)


class TestFindingTheTable:
    def test_header_below_title_block_and_offset_columns(self, tmp_path: Path) -> None:
        """A title block pushes the header down; data starting in column C keeps its letters."""
        path = write_workbook(
            tmp_path / "a.xlsx",
            [event_row()],
            title_rows=[["BIỂU THỐNG KÊ HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI"], ["Sở TT&TT"], []],
            start_column=3,
        )
        result = read(path)
        assert result.problems == []
        [row] = result.rows
        assert row.row == 5
        assert row.columns["start_date"] == 3  # 0-based index of column D
        assert row.values["title"] == "Hội nghị tập huấn công tác thông tin đối ngoại"

    def test_sheet_named_su_kien_is_chosen_in_any_spelling(self, tmp_path: Path) -> None:
        """`SU KIEN` is the events sheet even when another sheet comes first."""
        path = write_workbook(
            tmp_path / "a.xlsx",
            [event_row()],
            sheet="SU KIEN",
            extra_sheets={"Ghi chép": [["x"]]},
        )
        workbook = openpyxl.load_workbook(path)
        workbook.move_sheet("Ghi chép", offset=-1)
        workbook.save(path)
        result = read(path)
        assert [r.sheet for r in result.rows] == ["SU KIEN"]

    def test_first_matching_sheet_when_none_is_named(self, tmp_path: Path) -> None:
        """Without a `Sự kiện` sheet, the first sheet whose header row matches is read."""
        path = write_workbook(
            tmp_path / "a.xlsx",
            [event_row()],
            sheet="Thống kê",
        )
        workbook = openpyxl.load_workbook(path)
        cover = workbook.create_sheet("Bìa", 0)
        cover["A1"] = "Báo cáo của Sở"
        workbook.save(path)
        assert [r.sheet for r in read(path).rows] == ["Thống kê"]

    def test_two_row_header_under_merged_cell(self, tmp_path: Path) -> None:
        """A merged `Thời gian` over `Ngày bắt đầu` | `Ngày kết thúc` maps both columns."""
        workbook = openpyxl.Workbook()
        ws = workbook.active
        ws.title = "Sự kiện"
        top = [
            "STT",
            "Thời gian",
            None,
            "Loại hoạt động",
            "Tên hoạt động",
            "Tỉnh",
            "Cơ quan chủ trì",
            "Số đại biểu",
        ]
        sub = [None, "Ngày bắt đầu", "Ngày kết thúc"]
        for c, v in enumerate(top, start=1):
            ws.cell(1, c, v)
        for c, v in enumerate(sub, start=1):
            ws.cell(2, c, v)
        ws.merge_cells("B1:C1")
        for c in (1, 4, 5, 6, 7, 8):
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
        ws.append(
            [
                1,
                dt.date(2023, 12, 7),
                dt.date(2023, 12, 8),
                "Hội thảo",
                "Tọa đàm",
                "Hòa Bình",
                "Sở Ngoại vụ",
                50,
            ]
        )
        workbook.save(tmp_path / "a.xlsx")
        result = read(tmp_path / "a.xlsx")
        [row] = result.rows
        assert row.row == 3
        assert row.values["start_date"] == dt.date(2023, 12, 7)
        assert row.values["end_date"] == dt.date(2023, 12, 8)

    def test_aliases_and_unknown_columns_kept(self, tmp_path: Path) -> None:
        """Aliased headers map to their keys; unknown columns are kept as extras."""
        headers = [
            "Ngày",
            "Loại hình",
            "Tên sự kiện",
            "Địa bàn",
            "Đơn vị chủ trì",
            "Số người tham dự",
            "Kinh phí (triệu đồng)",
        ]
        path = write_workbook(
            tmp_path / "a.xlsx",
            [["07/12/2023", "Họp báo", "Họp báo định kỳ", "Phú Thọ", "Sở", 30, 12]],
            headers=headers,
        )
        [row] = read(path).rows
        assert row.values["event_type"] == "Họp báo"
        assert row.values["attendees"] == 30
        assert row.extra == {"Kinh phí (triệu đồng)": 12}

    def test_totals_signature_and_blank_rows_are_not_events(self, tmp_path: Path) -> None:
        """Blank rows are skipped; `Tổng cộng` and the signature lines below are not events."""
        path = write_workbook(
            tmp_path / "a.xlsx",
            [
                event_row(),
                [None] * len(HEADERS),
                event_row(title="Họp báo quý IV", type="Họp báo", start="08/12/2023"),
                ["Tổng cộng", None, None, None, None, None, None, 310],
                [None] * len(HEADERS),
                [None, None, None, None, "Người lập biểu"],
                [None, None, None, None, "Phú Thọ, ngày 15 tháng 12 năm 2023"],
                [None, None, None, None, "Nguyễn Thị B"],
            ],
        )
        rows = read(path).rows
        assert [r.row for r in rows] == [2, 4]

    def test_event_row_after_totals_is_still_read(self, tmp_path: Path) -> None:
        """A real event typed below the totals row is not lost."""
        path = write_workbook(
            tmp_path / "a.xlsx",
            [event_row(), ["Cộng"], event_row(title="Hội thảo thêm", type="Hội thảo")],
        )
        assert [r.row for r in read(path).rows] == [2, 4]

    def test_hidden_rows_are_read(self, tmp_path: Path) -> None:
        """A hidden row is still an event."""
        path = write_workbook(
            tmp_path / "a.xlsx", [event_row(), event_row(title="Hội thảo ẩn", type="Hội thảo")]
        )
        workbook = openpyxl.load_workbook(path)
        workbook.active.row_dimensions[3].hidden = True
        workbook.save(path)
        assert len(read(path).rows) == 2

    def test_files_pooled_in_name_order(self, tmp_path: Path) -> None:
        """A folder is read in file-name order; lock files are ignored."""
        write_workbook(tmp_path / "b.xlsx", [event_row(title="B")])
        write_workbook(tmp_path / "a.xlsx", [event_row(title="A")])
        (tmp_path / "~$a.xlsx").write_bytes(b"lock")
        result = read_inputs([tmp_path], SCHEMA)
        assert [r.values["title"] for r in result.rows] == ["A", "B"]
        assert [p.name for p in result.files] == ["a.xlsx", "b.xlsx"]


class TestUnreadableFiles:
    @pytest.mark.parametrize(
        ("name", "content", "code"),
        [
            ("empty.xlsx", b"", "file.empty"),
            ("text.xlsx", "Đây không phải bảng tính".encode(), "file.damaged"),
            ("notes.txt", b"hello", "file.unsupported"),
            ("ole.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "file.encrypted"),
        ],
    )
    def test_one_clear_problem_per_file(
        self, tmp_path: Path, name: str, content: bytes, code: str
    ) -> None:
        """Each broken file gives exactly one error naming the file, never an exception."""
        path = tmp_path / name
        path.write_bytes(content)
        result = read(path)
        assert [p.code for p in result.problems] == [code]
        assert result.problems[0].file == str(path)
        assert result.rows == []

    def test_truncated_zip(self, tmp_path: Path) -> None:
        """A workbook cut short in transfer is reported as damaged."""
        good = write_workbook(tmp_path / "good.xlsx", [event_row()])
        cut = tmp_path / "cut.xlsx"
        cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        assert [p.code for p in read(cut).problems] == ["file.damaged"]

    def test_zip_bomb_refused_before_decompressing(self, tmp_path: Path) -> None:
        """An archive that would expand enormously is refused from its directory alone."""
        bomb = tmp_path / "bomb.xlsx"
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
        assert bomb.stat().st_size < 1024 * 1024
        assert [p.code for p in read(bomb).problems] == ["file.too_large"]

    def test_missing_required_column_named(self, tmp_path: Path) -> None:
        """A header row without `Tỉnh/thành phố` names the missing column and the sheet."""
        headers = [h for h in HEADERS if h != "Tỉnh/thành phố"]
        path = write_workbook(tmp_path / "a.xlsx", [], headers=headers)
        [problem] = read(path).problems
        assert problem.code == "file.missing_columns"
        assert problem.expected == "Tỉnh/thành phố"
        assert (problem.sheet, problem.row) == ("Sự kiện", 1)

    def test_no_sheet_with_headers(self, tmp_path: Path) -> None:
        """A workbook with no events table at all is one error."""
        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "Danh sách cán bộ"
        workbook.save(tmp_path / "a.xlsx")
        assert [p.code for p in read(tmp_path / "a.xlsx").problems] == ["file.no_events_sheet"]

    def test_other_files_still_read(self, tmp_path: Path) -> None:
        """One broken file does not stop the others."""
        (tmp_path / "a.xlsx").write_bytes(b"")
        write_workbook(tmp_path / "b.xlsx", [event_row()])
        result = read_inputs([tmp_path], SCHEMA)
        assert len(result.rows) == 1
        assert [p.code for p in result.problems] == ["file.empty"]

    def test_input_files_are_not_modified(self, tmp_path: Path) -> None:
        """Reading leaves the workbook byte for byte as it was."""
        path = write_workbook(tmp_path / "a.xlsx", [event_row()])
        before = path.read_bytes()
        read(path)
        assert path.read_bytes() == before


def _formula_workbook(path: Path, *, below_totals: bool = False) -> Path:
    """Data rows written as formulas by a program (openpyxl stores no results for them)."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Sự kiện"
    ws.append(HEADERS)
    ws.append(event_row())
    if below_totals:
        ws.append(["Tổng cộng", None, None, None, None, None, None, 280])
    for _ in range(3):
        ws.append(
            [
                "=ROW()-1",
                "=DATE(2023,12,7)",
                None,
                '="Hội nghị tập huấn"',
                '="Hội nghị "&"B"',
                '="Hòa Bình"',
                '="Sở"',
                "=100+180",
            ]
        )
    workbook.save(path)
    return path


def read_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, read every sheet in pieces of a few rows, as a very large sheet is read."""
    from reportgen import sheetxml

    monkeypatch.setattr(sheetxml, "WHOLE_SHEET_BYTES", 0)
    monkeypatch.setattr(sheetxml, "PIECE_BYTES", 2000)
    monkeypatch.setattr(sheetxml, "_BLOCK", 1000)
    # Each piece gets only the shared strings its cells use, as for a large Excel workbook.
    monkeypatch.setattr(sheetxml, "SHARED_PER_PIECE_BYTES", 0)
    monkeypatch.setattr(sheetxml, "PIECE_TO_PARTS", 0)


class TestFormulasNeverCalculated:
    @pytest.mark.parametrize("pieces", [False, True])
    def test_rows_of_uncalculated_formulas_are_reported(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: bool
    ) -> None:
        """Rows that read as blank because their formulas hold no results are an error naming
        them, not silently skipped; the typed row is still read."""
        if pieces:
            read_in_pieces(monkeypatch)
        path = _formula_workbook(tmp_path / "a.xlsx")
        result = read(path)
        assert [r.row for r in result.rows] == [2]
        [problem] = result.problems
        assert (problem.severity, problem.code) == ("error", "sheet.formulas_not_calculated")
        assert (problem.file, problem.sheet, problem.cell) == (str(path), "Sự kiện", "A3")
        assert problem.value == "A3, A4, A5"
        assert "LibreOffice" in problem.message and "3" in problem.message

    def test_message_in_english(self, tmp_path: Path) -> None:
        from reportgen import i18n

        i18n.set_language("en")
        [problem] = read(_formula_workbook(tmp_path / "a.xlsx")).problems
        assert problem.message.startswith("3 rows read as empty because their cells hold formulas")
        assert "Open the file in Excel or LibreOffice, save it" in problem.message

    def test_formula_rows_at_the_end_of_a_sheet_without_dimension(self, tmp_path: Path) -> None:
        """openpyxl in write-only mode records no used range; the rows are still found."""
        workbook = openpyxl.Workbook(write_only=True)
        ws = workbook.create_sheet("Sự kiện")
        ws.append(HEADERS)
        ws.append(event_row())
        ws.append(["=ROW()-1", "=DATE(2023,12,7)", None, '="Hội thảo"'])
        workbook.save(tmp_path / "a.xlsx")
        with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
            assert b"<dimension" not in archive.read("xl/worksheets/sheet1.xml")
        [problem] = read(tmp_path / "a.xlsx").problems
        assert (problem.code, problem.cell) == ("sheet.formulas_not_calculated", "A3")

    def test_formulas_below_the_totals_row_are_not_events(self, tmp_path: Path) -> None:
        """Below the totals row (signatures, notes) nothing is reported."""
        result = read(_formula_workbook(tmp_path / "a.xlsx", below_totals=True))
        assert result.problems == []

    def test_formulas_with_results_read_normally(self, tmp_path: Path) -> None:
        """Formulas as Excel saves them, with their results, are read as values."""
        from tests.hostile import make_formulas_cached

        result = read(make_formulas_cached(tmp_path))
        assert result.problems == []
        assert len(result.rows) == 1

    def test_header_row_of_formulas(self, tmp_path: Path) -> None:
        """No header found because the header row is formulas: both problems are given."""
        workbook = openpyxl.Workbook()
        ws = workbook.active
        ws.title = "Sự kiện"
        ws.append([f'="{header}"' for header in HEADERS])
        ws.append(event_row())
        workbook.save(tmp_path / "a.xlsx")
        codes = [p.code for p in read(tmp_path / "a.xlsx").problems]
        assert codes == ["sheet.formulas_not_calculated", "file.no_events_sheet"]


class TestRowsInMemory:
    """Rows keep their old interface while storing a tuple per row and sharing the rest."""

    def test_values_mapping_behaves_like_the_dict_it_was(self, tmp_path: Path) -> None:
        path = write_workbook(tmp_path / "a.xlsx", [event_row(), event_row(title="B")])
        first, second = read(path).rows
        values = first.values
        assert list(values) == [c.key for c in SCHEMA.columns if c.key in values]
        title = "Hội nghị tập huấn công tác thông tin đối ngoại"
        assert values["title"] == values.get("title") == title
        assert values.get("notes") is None and "notes" in values  # blank cell: key with None
        assert values.get("nope", 5) == 5 and "nope" not in values
        with pytest.raises(KeyError):
            values["nope"]
        assert dict(values) == values and values == dict(values)
        assert len(values) == len(dict(values.items()))
        with pytest.raises(TypeError):
            values["title"] = "x"  # type: ignore[index]
        assert first.columns is second.columns and first.headers is second.headers
        assert first.extra == {}

    def test_rows_and_events_are_slotted(self, tmp_path: Path) -> None:
        """No per-object __dict__: a million rows would pay for a million dicts."""
        from reportgen import validate
        from reportgen.read import RawRow

        result = validate([write_workbook(tmp_path / "a.xlsx", [event_row()])])
        [row], [event] = result.read.rows, result.events
        assert isinstance(row, RawRow)
        for thing in (row, row.values, event, result.report.problems or None):
            if thing is not None:
                assert not hasattr(thing, "__dict__")
        assert type(row.cells) is tuple

    def test_pickle_and_equality(self, tmp_path: Path) -> None:
        import pickle

        path = write_workbook(tmp_path / "a.xlsx", [event_row()], start_column=3)
        [row] = read(path).rows
        copy = pickle.loads(pickle.dumps(row))
        assert copy == row and copy is not row
        assert repr(copy) == repr(row)
        assert copy.values["start_date"] == dt.date(2023, 12, 7)
        with pytest.raises(TypeError):
            hash(row)

    def test_from_dicts_gives_the_same_row(self, tmp_path: Path) -> None:
        """A row made by hand the old way equals the one read."""
        from reportgen.read import RawRow

        headers = [*HEADERS, "Kinh phí"]
        path = write_workbook(tmp_path / "a.xlsx", [[*event_row(), 12]], headers=headers)
        [row] = read(path).rows
        made = RawRow.from_dicts(
            row.file, row.sheet, row.row, dict(row.values), row.columns, row.headers, row.extra
        )
        assert made == row
        assert made.extra == {"Kinh phí": 12}

    def test_repeated_values_are_shared(self, tmp_path: Path) -> None:
        """Equal cell values of a column are one object, whatever the row."""
        path = write_workbook(tmp_path / "a.xlsx", [event_row(title=f"T{i}") for i in range(5)])
        rows = read(path).rows
        for key in ("lead_agency", "province", "start_date", "documents", "attendees"):
            assert len({id(r.values[key]) for r in rows}) == 1, key

    def test_value_types_are_those_python_calamine_gives(self, tmp_path: Path) -> None:
        """Sharing equal values never turns True into 1.0, 1 into 1.0, or -0.0 into 0.0."""
        from python_calamine import CalamineWorkbook

        notes = [1, 1.0, True, False, 0, -0.0, 0.0, 2, 2.0, 2.5, "2", dt.date(2023, 1, 1)]
        path = write_workbook(tmp_path / "a.xlsx", [event_row(notes=n) for n in notes])
        got = [r.values["notes"] for r in read(path).rows]
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sự kiện")
        column = HEADERS.index("Ghi chú")
        expected = [row[column] for row in sheet.to_python()[1:]]
        assert [(type(v), repr(v)) for v in got] == [(type(v), repr(v)) for v in expected]


class TestLargeSheetsInPieces:
    """A very large sheet is read in pieces; the rows and problems are those of a whole read."""

    def _both(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
        whole = read(path)
        read_in_pieces(monkeypatch)
        return whole, read(path)

    def test_same_rows_and_problems(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from tests.hostile import _replace_part

        rows = [event_row(title=f"Hội nghị {i}", attendees=i) for i in range(60)]
        rows[20] = [None] * len(HEADERS)
        rows[30] = event_row(title="LONG-TEXT")
        source = write_workbook(
            tmp_path / "s.xlsx",
            [*rows, ["Tổng cộng"], [None, None, None, None, "Người lập biểu"]],
            title_rows=[["BIỂU THỐNG KÊ"], []],
            start_column=2,
        )
        with zipfile.ZipFile(source) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        # Longer than a cell may hold (openpyxl would cut it): cut when read, with a warning.
        sheet = sheet.replace("LONG-TEXT", "x" * 40000)
        path = _replace_part(source, tmp_path / "a.xlsx", "xl/worksheets/sheet1.xml", sheet)
        whole, pieces = self._both(path, monkeypatch)
        assert len(whole.rows) == 59
        assert pieces.rows == whole.rows
        assert pieces.problems == whole.problems and [p.code for p in whole.problems] == [
            "cell.too_long"
        ]

    def test_rows_starting_further_right(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Pieces whose first column is empty still line their cells up with the header."""
        rows = [event_row(title=f"Hội nghị {i}", STT=None if i > 10 else i) for i in range(40)]
        path = write_workbook(tmp_path / "a.xlsx", rows)
        whole, pieces = self._both(path, monkeypatch)
        assert pieces.rows == whole.rows and len(whole.rows) == 40

    def test_unusual_xml_is_read_whole(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A comment among the rows (Excel never writes one) makes the reader read it whole."""
        source = write_workbook(tmp_path / "s.xlsx", [event_row(title=f"T{i}") for i in range(30)])
        path = tmp_path / "a.xlsx"
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
            for info in old.infolist():
                data = old.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b'<row r="20"', b'<!-- </row> --><row r="20"')
                new.writestr(info, data)
        whole, pieces = self._both(path, monkeypatch)
        assert len(whole.rows) == 30
        assert pieces.rows == whole.rows and pieces.problems == whole.problems
