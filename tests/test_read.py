"""Reading workbooks: finding the sheet and header, skipping what is not an event, bad files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

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
