"""`generate --province`, and consolidation of province annexes with `--scope national|region`.

Figures are counted by hand from docs/sample-data.md and the rows written below.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from reportgen.errors import SelectionError
from reportgen.provinces import default_table
from reportgen.scope import match_region, resolve_selection
from tests.conftest import event_row, write_workbook

TDMNPB = "Trung du và miền núi phía Bắc"
DBSH = "Đồng bằng sông Hồng"


def _json(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


class TestProvinceOption:
    def test_current_name_keeps_its_whole_territory(self, workdir: Path, invoke: Any) -> None:
        """`Phú Thọ` keeps Phú Thọ, Hòa Bình and Vĩnh Phúc rows: 2023-Q4 minus Kon Tum (200)."""
        data = _json(invoke("generate", "--period", "2023-Q4", "--province", "Phú Thọ", "--json"))
        assert (data["totals"]["events"], data["totals"]["attendees"]) == (12, 1171)
        assert data["province"]["name"] == "Phú Thọ" and not data["province"]["former"]
        assert data["scope"] == "province"

    def test_former_name_keeps_rows_recorded_under_it(self, workdir: Path, invoke: Any) -> None:
        """`Hoà Bình` keeps the three 2023-12 rows that name Hòa Bình (280 + 120 + 75)."""
        result = invoke("generate", "--period", "2023-12", "--province", "Hoà Bình")
        assert result.exit_code == 0, result.output
        assert "Hòa Bình (nay thuộc Phú Thọ)" in result.output
        data = _json(invoke("generate", "--period", "2023-12", "--province", "hoa binh", "--json"))
        assert (data["totals"]["events"], data["totals"]["attendees"]) == (3, 475)
        assert data["province"]["former"] and data["province"]["current"] == "Phú Thọ"
        listing = openpyxl.load_workbook(data["files"][1])["Danh sách"]
        recorded = {r[5] for r in listing.iter_rows(min_row=5, values_only=True) if r[0]}
        assert recorded == {"Hòa Bình", "Hoà Bình"}

    def test_former_and_current_name_of_the_merged_province(
        self, workdir: Path, invoke: Any
    ) -> None:
        """`Kon Tum` (former) and `Quảng Ngãi` (current) both keep the 26/10/2023 training."""
        for name in ("Kon Tum", "tỉnh Quảng Ngãi"):
            data = _json(invoke("generate", "--period", "2023-Q4", "--province", name, "--json"))
            assert (data["totals"]["events"], data["totals"]["attendees"]) == (1, 200), name

    def test_unknown_province_is_usage_error(self, workdir: Path, invoke: Any) -> None:
        """An unknown name exits 2 naming it, and writes nothing."""
        result = invoke("generate", "--period", "2023-12", "--province", "Atlantis")
        assert result.exit_code == 2
        assert "Atlantis" in result.output and "Traceback" not in result.output
        assert not list((workdir / "outputs").glob("*.docx"))

    def test_renamed_only_unit_means_the_current_one(self) -> None:
        """Thừa Thiên Huế was only renamed, so it selects the whole of today's Huế."""
        selection = resolve_selection(province="Thừa Thiên Huế")
        assert selection.province is not None and selection.province.is_current
        assert selection.province.name == "Huế"


class TestSelectionOptions:
    @pytest.mark.parametrize(
        "args",
        [
            ("--scope", "galaxy"),
            ("--scope", "region"),  # no --region and no region in reportgen.toml
            ("--scope", "region", "--region", "Tây Bắc"),
            ("--scope", "national", "--province", "Phú Thọ"),
            ("--scope", "national", "--region", "Tây Nguyên"),
        ],
    )
    def test_bad_combinations_exit_2(self, workdir: Path, invoke: Any, args: tuple[str]) -> None:
        """Scopes, regions and provinces that match nothing or clash are usage errors."""
        result = invoke("generate", "--period", "2023-12", *args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output

    def test_region_names_fold(self) -> None:
        """Regions match ignoring case, accents and a leading `vùng`."""
        assert match_region("trung du va mien nui phia bac") == TDMNPB
        assert match_region("Vùng Tây Nguyên") == "Tây Nguyên"
        assert match_region("Tây Bắc") is None

    def test_region_alone_implies_region_scope(self) -> None:
        """`--region` without `--scope` is a region consolidation."""
        selection = resolve_selection(region="Tây Nguyên")
        assert (selection.scope, selection.region) == ("region", "Tây Nguyên")
        with pytest.raises(SelectionError):
            resolve_selection("province", region="Tây Nguyên")


def _office(invoke: Any, folder: Path, parent_body: str, place: str) -> Path:
    """A working folder of one province made by `reportgen init`, its samples removed."""
    assert invoke("init", str(folder)).exit_code == 0
    config = folder / "reportgen.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('parent_body = "UBND TỈNH PHÚ THỌ"', f'parent_body = "{parent_body}"')
    text = text.replace('place = "Phú Thọ"', f'place = "{place}"')
    config.write_text(text, encoding="utf-8")
    shutil.rmtree(folder / "inputs")
    (folder / "inputs").mkdir()
    return folder


def _annex(invoke: Any, folder: Path, period: str = "2023-12") -> Path:
    result = invoke(
        "generate", "--period", period, "--config", str(folder / "reportgen.toml"), "--json"
    )
    return Path(_json(result)["files"][1])


@pytest.fixture
def central(tmp_path: Path, workdir: Path, invoke: Any) -> Path:
    """A central office's folder holding the 2023-12 annexes of Phú Thọ, Hà Nội and Lai Châu.

    - Phú Thọ: the sample inputs (7 events, 954 attendees, all in today's Phú Thọ).
    - Hà Nội: two events in Hà Nội (150 + 60) and the 07/12/2023 training in Hòa Bình it
      attended, reported under another title: the same event as Phú Thọ's, merged.
    - Lai Châu: two events in Lai Châu (100 + 50) and one in Kon Tum (40), which does not make
      Quảng Ngãi a province that has submitted.
    """
    phu_tho = _annex(invoke, workdir)
    ha_noi = _office(invoke, tmp_path / "ha-noi", "UBND THÀNH PHỐ HÀ NỘI", "Hà Nội")
    write_workbook(
        ha_noi / "inputs" / "so-ngoai-vu.xlsx",
        [
            event_row(
                start=dt.date(2023, 12, 5),
                type="Hội thảo",
                title="Hội thảo quyền con người trong kỷ nguyên số",
                province="Hà Nội",
                attendees=150,
                attending=None,
            ),
            event_row(
                start=dt.date(2023, 12, 7),
                title="Hội nghị tập huấn công tác TTĐN về quyền con người năm 2023",
                province="tỉnh Hoà Bình",
                agency="Bộ Thông tin và Truyền thông",
                attending=26,
            ),
            event_row(
                start=dt.date(2023, 12, 12),
                type="Họp báo",
                title="Họp báo định kỳ của Ủy ban nhân dân thành phố",
                province="TP. Hà Nội",
                attendees=60,
                attending=None,
            ),
        ],
    )
    lai_chau = _office(invoke, tmp_path / "lai-chau", "UBND TỈNH LAI CHÂU", "Lai Châu")
    write_workbook(
        lai_chau / "inputs" / "cong-an.xlsx",
        [
            event_row(
                start=dt.date(2023, 11, 20),
                title="Tập huấn nghiệp vụ thông tin đối ngoại cho cán bộ xã biên giới",
                province="Lai Châu",
                attendees=100,
                attending=None,
            ),
            event_row(
                start=dt.date(2023, 12, 1),
                type="Hội thảo",
                title="Tọa đàm về chính sách dân tộc và quyền con người",
                province="Lai Châu",
                attendees=50,
                attending=None,
            ),
            event_row(
                start=dt.date(2023, 12, 10),
                type="Hội thảo",
                title="Hội thảo khu vực về phát triển bền vững vùng biên",
                province="Kon Tum",
                attendees=40,
                attending=None,
            ),
        ],
    )
    annexes = {"phu-tho.xlsx": phu_tho, "ha-noi.xlsx": _annex(invoke, ha_noi)}
    annexes["lai-chau.xlsx"] = _annex(invoke, lai_chau)
    office = _office(invoke, tmp_path / "trung-uong", "BAN CHỈ ĐẠO TRUNG ƯƠNG", "Hà Nội")
    for name, path in annexes.items():
        shutil.copy(path, office / "inputs" / name)
    return office


class TestConsolidation:
    def test_national_figures_and_missing_provinces(self, central: Path, invoke: Any) -> None:
        """Three annexes: 12 events (one merged across provinces); 31 of 34 not submitted."""
        config = str(central / "reportgen.toml")
        data = _json(
            invoke("generate", "-p", "2023-12", "--config", config, "--scope", "national", "--json")
        )
        assert data["rows"] == {"read": 13, "used": 12, "invalid": 0, "duplicates": 1}
        assert (data["totals"]["events"], data["totals"]["attendees"]) == (12, 1354)
        assert data["scope"] == "national"
        assert data["submitted_provinces"] == ["TP Hà Nội", "Lai Châu", "Phú Thọ"]
        current = [p.label for p in default_table().current()]
        assert len(current) == 34
        expected_missing = [n for n in current if n not in ("TP Hà Nội", "Lai Châu", "Phú Thọ")]
        assert data["missing_provinces"] == expected_missing
        assert len(expected_missing) == 31 and "Quảng Ngãi" in expected_missing

    def test_duplicate_across_provinces_names_both_files(self, central: Path, invoke: Any) -> None:
        """The training both Hà Nội and Phú Thọ reported is one event, located in both annexes."""
        report = json.loads(invoke("validate", str(central / "inputs"), "--json").output)
        merged = [
            p for p in report["problems"] if p["code"] in ("duplicate.merged", "event_id.repeated")
        ]
        assert len(merged) == 1
        named = {Path(merged[0]["file"]).name, merged[0]["expected"].split(" / ")[0]}
        assert named == {"ha-noi.xlsx", "phu-tho.xlsx"}

    def test_annex_groups_by_region_and_province(self, central: Path, invoke: Any) -> None:
        """The annex's `Theo địa bàn` sheet: six regions, then provinces by events and name."""
        config = str(central / "reportgen.toml")
        files = _json(
            invoke("generate", "-p", "2023-12", "--config", config, "--scope", "national", "--json")
        )["files"]
        sheet = openpyxl.load_workbook(files[1])["Theo địa bàn"]
        rows = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
        regions, provinces = rows[:6], rows[6:]
        assert [(r[1], r[3], r[4]) for r in regions] == [
            (TDMNPB, 9, 1104),
            (DBSH, 2, 210),
            ("Bắc Trung Bộ và Duyên hải miền Trung", 1, 40),
            ("Tây Nguyên", 0, 0),
            ("Đông Nam Bộ", 0, 0),
            ("Đồng bằng sông Cửu Long", 0, 0),
        ]
        assert regions[0][2] == "Phú Thọ, Lai Châu"
        assert [(r[1], r[2], r[3], r[4]) for r in provinces] == [
            ("Phú Thọ", TDMNPB, 7, 954),
            ("TP Hà Nội", DBSH, 2, 210),
            ("Lai Châu", TDMNPB, 2, 150),
            ("Quảng Ngãi", "Bắc Trung Bộ và Duyên hải miền Trung", 1, 40),
        ]
        missing = next(
            c for r in sheet.iter_rows(values_only=True) for c in r if str(c).startswith("Các")
        )
        assert missing.startswith("Các tỉnh, thành phố chưa gửi báo cáo (31): Cao Bằng, Tuyên")
        assert "Quảng Ngãi" in missing and "Lai Châu" not in missing

    def test_word_report_has_area_block(self, central: Path, invoke: Any) -> None:
        """The national Word report says who submitted, by region, by province, who did not."""
        config = str(central / "reportgen.toml")
        files = _json(
            invoke("generate", "-p", "2023-12", "--config", config, "--scope", "national", "--json")
        )["files"]
        document = docx.Document(files[0])
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Đã tổng hợp báo cáo của 3/34 tỉnh, thành phố. Kết quả theo vùng:" in text
        assert f"- {TDMNPB}: 9 hoạt động, 1.104 lượt đại biểu (Phú Thọ, Lai Châu);" in text
        assert "- Tây Nguyên: 0 hoạt động, 0 lượt đại biểu;" in text
        assert "Các tỉnh, thành phố chưa gửi báo cáo (31): Cao Bằng, Tuyên Quang" in text
        table = next(t for t in document.tables if t.rows[0].cells[1].text == "Tỉnh, thành phố")
        assert [c.text for c in table.rows[1].cells] == ["1", "Phú Thọ", TDMNPB, "7", "954"]
        assert len(table.rows) == 1 + 4

    def test_province_report_has_no_area_block(self, workdir: Path, invoke: Any) -> None:
        """A committee's own report (scope province) shows no consolidation paragraphs."""
        assert invoke("generate", "--period", "2023-12").exit_code == 0
        document = docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx"))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Đã tổng hợp báo cáo" not in text and "chưa gửi báo cáo" not in text

    def test_region_scope(self, central: Path, invoke: Any) -> None:
        """--region keeps the region's events and expects only its nine provinces."""
        config = str(central / "reportgen.toml")
        data = _json(
            invoke(
                "generate",
                "-p",
                "2023-12",
                "--config",
                config,
                "--scope",
                "region",
                "--region",
                "trung du va mien nui phia bac",
                "--json",
            )
        )
        assert (data["scope"], data["region"]) == ("region", TDMNPB)
        assert (data["totals"]["events"], data["totals"]["attendees"]) == (9, 1104)
        assert data["submitted_provinces"] == ["Lai Châu", "Phú Thọ"]
        text = "\n".join(p.text for p in docx.Document(data["files"][0]).paragraphs)
        assert f"Đã tổng hợp báo cáo của 2/9 tỉnh, thành phố vùng {TDMNPB}." in text
        assert f"- {TDMNPB}: 9 hoạt động" in text and f"- {DBSH}:" not in text
        assert data["missing_provinces"] == [
            "Cao Bằng",
            "Tuyên Quang",
            "Điện Biên",
            "Sơn La",
            "Lào Cai",
            "Thái Nguyên",
            "Lạng Sơn",
        ]

    def test_region_from_config(self, central: Path, invoke: Any) -> None:
        """--scope region without --region takes `region` from [committee] of reportgen.toml."""
        config = central / "reportgen.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace('region = ""', f'region = "{DBSH}"'), encoding="utf-8")
        data = _json(
            invoke(
                "generate", "-p", "2023-12", "--config", str(config), "--scope", "region", "--json"
            )
        )
        assert (data["totals"]["events"], data["totals"]["attendees"]) == (2, 210)
        assert data["submitted_provinces"] == ["TP Hà Nội"]
        assert data["missing_provinces"] == [
            "Quảng Ninh",
            "Bắc Ninh",
            "TP Hải Phòng",
            "Hưng Yên",
            "Ninh Bình",
        ]

    def test_consolidated_annex_is_valid_input(self, central: Path, invoke: Any) -> None:
        """The national annex's data sheet reads back: 12 rows, no error, no duplicate."""
        config = str(central / "reportgen.toml")
        files = _json(
            invoke("generate", "-p", "2023-12", "--config", config, "--scope", "national", "--json")
        )["files"]
        report = json.loads(invoke("validate", files[1], "--json").output)
        assert report["rows"] == {"read": 12, "used": 12, "invalid": 0, "duplicates": 0}
