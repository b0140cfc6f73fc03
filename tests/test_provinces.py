"""Tests of reportgen.provinces: the data file, the old→new mapping and name matching."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.provinces import (
    REGIONS,
    Province,
    ProvinceDataError,
    ProvinceTable,
    default_table,
    load_provinces,
    match_key,
)

BEFORE = date(2023, 12, 7)
AFTER = date(2025, 7, 1)

# The mapping of docs/domain.md ("Provinces after the 2025 reorganisation"), copied by hand:
# current unit -> the former units it was formed from. Huế is listed there as unchanged; its
# former name is Thừa Thiên Huế (a tỉnh until 2025, see docs/provinces.md).
DOMAIN_MAPPING: dict[str, set[str]] = {
    # unchanged (11)
    "Hà Nội": {"Hà Nội"},
    "Huế": {"Thừa Thiên Huế"},
    "Lai Châu": {"Lai Châu"},
    "Điện Biên": {"Điện Biên"},
    "Sơn La": {"Sơn La"},
    "Lạng Sơn": {"Lạng Sơn"},
    "Quảng Ninh": {"Quảng Ninh"},
    "Thanh Hóa": {"Thanh Hóa"},
    "Nghệ An": {"Nghệ An"},
    "Hà Tĩnh": {"Hà Tĩnh"},
    "Cao Bằng": {"Cao Bằng"},
    # merged (23)
    "Tuyên Quang": {"Hà Giang", "Tuyên Quang"},
    "Lào Cai": {"Yên Bái", "Lào Cai"},
    "Thái Nguyên": {"Bắc Kạn", "Thái Nguyên"},
    "Phú Thọ": {"Vĩnh Phúc", "Hòa Bình", "Phú Thọ"},
    "Bắc Ninh": {"Bắc Giang", "Bắc Ninh"},
    "Hưng Yên": {"Thái Bình", "Hưng Yên"},
    "Hải Phòng": {"Hải Dương", "Hải Phòng"},
    "Ninh Bình": {"Hà Nam", "Nam Định", "Ninh Bình"},
    "Quảng Trị": {"Quảng Bình", "Quảng Trị"},
    "Đà Nẵng": {"Quảng Nam", "Đà Nẵng"},
    "Quảng Ngãi": {"Kon Tum", "Quảng Ngãi"},
    "Gia Lai": {"Bình Định", "Gia Lai"},
    "Khánh Hòa": {"Ninh Thuận", "Khánh Hòa"},
    "Lâm Đồng": {"Đắk Nông", "Bình Thuận", "Lâm Đồng"},
    "Đắk Lắk": {"Phú Yên", "Đắk Lắk"},
    "Hồ Chí Minh": {"Bình Dương", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"},
    "Đồng Nai": {"Bình Phước", "Đồng Nai"},
    "Tây Ninh": {"Long An", "Tây Ninh"},
    "Cần Thơ": {"Sóc Trăng", "Hậu Giang", "Cần Thơ"},
    "Vĩnh Long": {"Bến Tre", "Trà Vinh", "Vĩnh Long"},
    "Đồng Tháp": {"Tiền Giang", "Đồng Tháp"},
    "Cà Mau": {"Bạc Liêu", "Cà Mau"},
    "An Giang": {"Kiên Giang", "An Giang"},
}


@pytest.fixture(scope="module")
def table() -> ProvinceTable:
    """The shipped provinces table."""
    return default_table()


def _former(table: ProvinceTable, name: str) -> Province:
    """The former unit called ``name``."""
    found = [p for p in table.former() if p.name == name]
    assert len(found) == 1, name
    return found[0]


def _current(table: ProvinceTable, name: str) -> Province:
    """The current unit called ``name``."""
    found = [p for p in table.current() if p.name == name]
    assert len(found) == 1, name
    return found[0]


def test_counts(table: ProvinceTable) -> None:
    """The shipped data has 34 current units (6 cities) and 63 former ones."""
    assert len(table.current()) == 34
    assert len(table.former()) == 63
    assert len(table) == 97
    assert sum(p.kind == "thành phố" for p in table.current()) == 6
    assert [p.code for p in table.current()] == sorted(p.code for p in table.current())
    assert [p.code for p in table.former()] == sorted(p.code for p in table.former())


def test_mapping_matches_domain_doc(table: ProvinceTable) -> None:
    """Every former unit maps to exactly one current unit, as listed in docs/domain.md."""
    assert len(DOMAIN_MAPPING) == 34
    assert sum(len(v) for v in DOMAIN_MAPPING.values()) == 63
    mapping: dict[str, set[str]] = {p.name: set() for p in table.current()}
    for p in table.former():
        successor = table.current_of(p)
        assert successor.is_current
        assert successor.code == p.successor
        mapping[successor.name].add(p.name)
    assert mapping == DOMAIN_MAPPING
    assert {p.name for p in table.former()} == set().union(*DOMAIN_MAPPING.values())


def test_tien_giang_goes_to_dong_thap_only(table: ProvinceTable) -> None:
    """Tiền Giang maps to Đồng Tháp and nowhere else (a known error of another data set)."""
    tien_giang = _former(table, "Tiền Giang")
    assert table.current_of(tien_giang).name == "Đồng Tháp"
    assert tien_giang in table.predecessors(_current(table, "Đồng Tháp"))
    assert tien_giang not in table.predecessors(_current(table, "Tây Ninh"))


def test_codes(table: ProvinceTable) -> None:
    """Codes are the official ones: former 01..96 and the 34 of QĐ 19/2025/QĐ-TTg."""
    assert [p.code for p in table.current()] == [
        "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25",
        "31", "33", "37", "38", "40", "42", "44", "46", "48", "51", "52", "56",
        "66", "68", "75", "79", "80", "82", "86", "91", "92", "96",
    ]  # fmt: skip
    assert _former(table, "Hà Giang").code == "02"
    assert _former(table, "Hòa Bình").code == "17"
    assert _former(table, "Cà Mau").code == "96"
    assert table.by_code("24") == _current(table, "Bắc Ninh")
    assert table.by_code("24", current=False) == _former(table, "Bắc Giang")
    assert table.by_code("1") == _current(table, "Hà Nội")
    assert table.by_code("03") is None


def test_regions(table: ProvinceTable) -> None:
    """Regions are the six of docs/domain.md; every unit has one of them."""
    assert table.regions() == list(REGIONS)
    assert len(REGIONS) == 6
    assert all(p.region in REGIONS for p in table)
    assert table.current_of(_former(table, "Hòa Bình")).region == "Trung du và miền núi phía Bắc"
    assert _current(table, "Gia Lai").region == "Tây Nguyên"


@pytest.mark.parametrize(
    "text",
    [
        "Hòa Bình",
        "Hoà Bình",
        "HÒA BÌNH",
        "hoà bình",
        unicodedata.normalize("NFD", "Hoà Bình"),
        "tỉnh Hòa Bình",
        "Tỉnh Hoà Bình",
        "  Hòa   Bình ",
    ],
)
def test_spellings_of_hoa_binh(table: ProvinceTable, text: str) -> None:
    """Case, tone-mark placement, NFD and the word ``tỉnh`` do not matter."""
    assert table.match(text, BEFORE) == _former(table, "Hòa Bình")


@pytest.mark.parametrize(
    "text",
    [
        "Hồ Chí Minh",
        "TP. Hồ Chí Minh",
        "TP Hồ Chí Minh",
        "Tp.Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "THÀNH PHỐ HỒ CHÍ MINH",
        "TP HCM",
        "TP.HCM",
        "TPHCM",
        "HCM",
        "Sài Gòn",
    ],
)
def test_spellings_of_ho_chi_minh(table: ProvinceTable, text: str) -> None:
    """Prefixes ``TP.``/``thành phố`` and the aliases name Hồ Chí Minh."""
    current = table.match(text)
    assert current is not None
    assert (current.code, current.status) == ("79", "current")
    former = table.match(text, BEFORE)
    assert former is not None
    assert (former.code, former.status) == ("79", "former")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Bà Rịa - Vũng Tàu", "77"),
        ("Bà Rịa–Vũng Tàu", "77"),
        ("BRVT", "77"),
        ("Đắc Lắc", "66"),
        ("Dak Lak", "66"),
        ("Bắc Cạn", "06"),
        ("TT Huế", "46"),
        ("Thừa Thiên Huế", "46"),
    ],
)
def test_aliases(table: ProvinceTable, text: str, code: str) -> None:
    """Aliases in the data file are matched."""
    p = table.match(text, BEFORE)
    assert p is not None
    assert p.code == code


def test_date_rule_for_names_both_former_and_current(table: ProvinceTable) -> None:
    """A name that is both former and current gives the former before 1 July 2025."""
    for name in ("Phú Thọ", "Hà Nội", "Bắc Ninh", "Huế"):
        before = table.match(name, date(2025, 6, 30))
        after = table.match(name, date(2025, 7, 1))
        default = table.match(name)
        assert before is not None and not before.is_current, name
        assert after is not None and after.is_current, name
        assert default == after, name
        assert table.current_of(before) == after, name
    assert table.match("Phú Thọ", datetime(2024, 3, 1, 8, 30)) == _former(table, "Phú Thọ")
    assert table.match("Bắc Ninh", BEFORE) == _former(table, "Bắc Ninh")
    assert table.match("Bắc Ninh", AFTER) == _current(table, "Bắc Ninh")
    assert _former(table, "Bắc Ninh").code == "27"


def test_names_only_former_ignore_the_date(table: ProvinceTable) -> None:
    """A name only a former unit had is matched whatever the date."""
    hoa_binh = _former(table, "Hòa Bình")
    assert table.match("Hòa Bình", AFTER) == hoa_binh
    assert table.match("Hòa Bình") == hoa_binh
    assert table.current_of(hoa_binh).name == "Phú Thọ"


def test_display(table: ProvinceTable) -> None:
    """Former units merged into a differently named one say where they are now."""
    hoa_binh = _former(table, "Hòa Bình")
    assert table.display("Hòa Bình", hoa_binh) == "Hòa Bình (nay thuộc Phú Thọ)"
    nfd = unicodedata.normalize("NFD", "Hoà Bình")
    assert table.display(nfd, hoa_binh) == "Hoà Bình (nay thuộc Phú Thọ)"
    binh_duong = _former(table, "Bình Dương")
    assert table.display("Bình Dương", binh_duong) == "Bình Dương (nay thuộc TP Hồ Chí Minh)"
    phu_tho = _former(table, "Phú Thọ")
    assert table.display("tỉnh Phú Thọ", phu_tho) == "tỉnh Phú Thọ"
    assert table.display(" TP HCM ", _former(table, "Hồ Chí Minh")) == "TP HCM"
    assert table.display("Thừa Thiên Huế", _former(table, "Thừa Thiên Huế")) == "Thừa Thiên Huế"
    current = table.current_of(phu_tho)
    assert table.display(unicodedata.normalize("NFD", "Phú Thọ"), current) == "Phú Thọ"


def test_full_name(table: ProvinceTable) -> None:
    """``full_name`` puts the kind before the name."""
    assert _former(table, "Hòa Bình").full_name == "tỉnh Hòa Bình"
    assert _current(table, "Hồ Chí Minh").full_name == "thành phố Hồ Chí Minh"
    assert _current(table, "Huế").full_name == "thành phố Huế"
    assert _former(table, "Thừa Thiên Huế").full_name == "tỉnh Thừa Thiên Huế"
    assert _current(table, "Hồ Chí Minh").label == "TP Hồ Chí Minh"


@pytest.mark.parametrize(
    "text", ["", "   ", "Hà Tây", "Hòa", "tỉnh", "Thành phố", "TP.", "Hanoi City", "xyz"]
)
def test_unknown_names(table: ProvinceTable, text: str) -> None:
    """Names of no unit give None."""
    assert table.match(text) is None
    assert table.match(text, BEFORE) is None


def test_no_fold_collisions(table: ProvinceTable) -> None:
    """Two units share a matching key only as the former/current pair of one name."""
    for key, units in table.keys().items():
        if len(units) == 1:
            continue
        assert len(units) == 2, key
        former, current = sorted(units, key=lambda p: p.is_current)
        assert not former.is_current and current.is_current, key
        assert former.successor == current.code, key
        same_name = match_key(former.name) == match_key(current.name)
        renamed = table.predecessors(current) == [former]
        assert same_name or renamed, key
    every_spelling = {match_key(s) for p in table for s in p.spellings}
    assert every_spelling == set(table.keys())


def test_all_data_is_nfc() -> None:
    """The data file is stored in NFC."""
    text = (
        Path(__file__)
        .parents[1]
        .joinpath("reportgen", "data", "provinces.csv")
        .read_text(encoding="utf-8")
    )
    assert unicodedata.is_normalized("NFC", text)


def _write(tmp_path: Path, rows: list[str]) -> Path:
    """Write a small provinces file."""
    path = tmp_path / "provinces.csv"
    header = "code,name,kind,status,successor,region,aliases"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_load_user_file(tmp_path: Path) -> None:
    """A user file can replace the shipped data."""
    path = _write(
        tmp_path,
        [
            "01,Hà Nội,thành phố,current,,Đồng bằng sông Hồng,HN",
            "01,Hà Nội,thành phố,former,01,Đồng bằng sông Hồng,",
        ],
    )
    table = load_provinces(path)
    assert len(table) == 2
    assert table.match("HN") == table.by_code("01")
    assert table.match("Hà Nội", BEFORE) == table.by_code("01", current=False)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["1,Hà Nội,thành phố,current,,Đồng bằng sông Hồng,"], "two digits"),
        (["01,Hà Nội,huyện,current,,Đồng bằng sông Hồng,"], "kind"),
        (["01,Hà Nội,thành phố,old,,Đồng bằng sông Hồng,"], "status"),
        (["01,Hà Nội,thành phố,current,,Miền Bắc,"], "region"),
        (["01,Hà Nội,thành phố,former,02,Đồng bằng sông Hồng,"], "successor"),
        (
            [
                "01,Hà Nội,thành phố,current,,Đồng bằng sông Hồng,",
                "02,Hà Nội,tỉnh,current,,Đồng bằng sông Hồng,",
            ],
            "ambiguous",
        ),
    ],
)
def test_invalid_user_file(tmp_path: Path, rows: list[str], message: str) -> None:
    """An invalid provinces file is one clear error."""
    with pytest.raises(ProvinceDataError, match=message):
        load_provinces(_write(tmp_path, rows))


def test_missing_column(tmp_path: Path) -> None:
    """A file without the required columns is refused."""
    path = tmp_path / "p.csv"
    path.write_text("code,name\n01,Hà Nội\n", encoding="utf-8")
    with pytest.raises(ProvinceDataError, match="missing column"):
        load_provinces(path)


def test_default_table_is_cached() -> None:
    """The shipped table is loaded once."""
    assert default_table() is default_table()


_ALL_UNITS = list(default_table())
_IDS = [f"{p.status}-{p.code}" for p in _ALL_UNITS]


def _recase(text: str, flips: list[bool]) -> str:
    """Change the case of the letters of ``text`` where ``flips`` says so."""
    return "".join(
        (ch.swapcase() if flips[i % len(flips)] else ch) if flips else ch
        for i, ch in enumerate(text)
    )


@pytest.mark.parametrize("unit", _ALL_UNITS, ids=_IDS)
@settings(max_examples=25, deadline=None)
@given(
    pick=st.integers(min_value=0),
    prefix=st.sampled_from(["", "tỉnh ", "Thành phố ", "TP. ", "tp "]),
    flips=st.lists(st.booleans(), max_size=12),
    nfd=st.booleans(),
)
def test_any_case_and_form_match_the_same_unit(
    unit: Province, pick: int, prefix: str, flips: list[bool], nfd: bool
) -> None:
    """For every unit and spelling, random case changes and NFD still match the same unit."""
    table = default_table()
    spelling = unit.spellings[pick % len(unit.spellings)]
    text = _recase(prefix + spelling, flips)
    text = unicodedata.normalize("NFD", text) if nfd else unicodedata.normalize("NFC", text)
    on = AFTER if unit.is_current else BEFORE
    assert table.match(text, on) == unit
