"""Write realistic synthetic events workbooks for benchmarks, reproducibly from a seed.

The workbook looks like what a department of a Vietnamese steering committee sends in: a title
block, the 21 default headers (``STT`` plus the 20 data columns of docs/input-format.md), one row
per event with Vietnamese titles, agencies and provinces (the 63 former provinces for events
before 1 July 2025, the 34 current ones from then on), every event type, a few percent of messy
but common forms (text dates in several styles, ``gần 200``, ``1.000``, NFD text, ``Hoà Bình``,
event-type variants, ``QD`` for ``QĐ``; a few of them plain errors such as ``31/02/2024``), a few
duplicate rows (same event reported again, sometimes with a different figure), then a
``Tổng cộng`` row and a signature block.

    python bench/generate.py OUT.xlsx --rows 100000 --seed 1

The cell values depend only on ``rows``, ``seed``, ``messy`` and ``duplicates`` (the file bytes
also hold openpyxl's save time). Writing uses openpyxl's write-only mode.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from reportgen.schema import default_schema

ROOT = Path(__file__).resolve().parent.parent
PROVINCES_CSV = ROOT / "reportgen" / "data" / "provinces.csv"
MERGER = dt.date(2025, 7, 1)
FIRST_DAY = dt.date(2023, 1, 1)
LAST_DAY = dt.date(2026, 6, 30)

# The default schema's headers, in its order (the input contract).
HEADERS = [column.header for column in default_schema().columns]
COL = {name: i for i, name in enumerate(HEADERS)}

# (code, label as usually typed, variants also accepted, weight)
EVENT_TYPES: list[tuple[str, str, tuple[str, ...], int]] = [
    ("training", "Hội nghị tập huấn", ("Tập huấn", "Hội nghị tập huấn, bồi dưỡng"), 30),
    (
        "press_briefing",
        "Hội nghị cung cấp thông tin cho báo chí",
        ("Cung cấp thông tin cho báo chí",),
        12,
    ),
    ("press_conference", "Họp báo", ("Họp báo định kỳ",), 10),
    ("seminar", "Hội thảo, tọa đàm", ("Hội thảo", "Tọa đàm", "Toạ đàm", "Hội thảo, toạ đàm"), 20),
    (
        "delegation",
        "Tiếp đoàn nước ngoài, phóng viên nước ngoài",
        ("Tiếp đoàn nước ngoài", "Tiếp phóng viên nước ngoài"),
        8,
    ),
    ("publication", "Xuất bản ấn phẩm", ("Xuất bản", "Ấn phẩm"), 8),
    ("other", "Khác", ("Hoạt động khác",), 12),
]
NEEDS_ATTENDEES = {"training", "press_briefing", "press_conference", "seminar", "delegation"}

TOPICS = [
    "công tác thông tin đối ngoại",
    "quyền con người",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "đấu tranh phản bác thông tin sai trái, thù địch",
    "bảo đảm quyền tự do tín ngưỡng, tôn giáo",
    "quyền của người dân tộc thiểu số",
    "bảo vệ, chăm sóc và giáo dục trẻ em",
    "bình đẳng giới và phòng, chống bạo lực gia đình",
    "phòng, chống mua bán người",
    "kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
    "thông tin đối ngoại trên không gian mạng",
    "Tuyên ngôn quốc tế nhân quyền",
    "Công ước chống tra tấn",
    "quyền của người khuyết tật",
    "Báo cáo quốc gia theo cơ chế rà soát định kỳ phổ quát (UPR)",
    "xây dựng và quảng bá hình ảnh quốc gia",
    "quảng bá văn hóa, du lịch địa phương",
    "công tác biên giới, lãnh thổ",
    "công tác người Việt Nam ở nước ngoài",
    "hội nhập quốc tế và ngoại giao kinh tế",
    "Đề án truyền thông về quyền con người",
    "chuyển đổi số trong công tác thông tin đối ngoại",
]
AUDIENCES = [
    "cán bộ cấp xã",
    "báo cáo viên, tuyên truyền viên",
    "phóng viên, biên tập viên",
    "lực lượng Công an cấp xã",
    "cán bộ, công chức, viên chức",
    "đoàn viên, thanh niên",
    "chức sắc, chức việc các tôn giáo",
    "cán bộ người dân tộc thiểu số",
    "học sinh, sinh viên",
    "cán bộ làm công tác đối ngoại",
    "hội viên phụ nữ",
    "cán bộ Mặt trận Tổ quốc các cấp",
]
DELEGATIONS = [
    "Đại sứ quán Hoa Kỳ",
    "Phái đoàn Liên minh châu Âu",
    "Đại sứ quán Australia",
    "Tổ chức Ân xá quốc tế",
    "Quỹ Nhi đồng Liên hợp quốc (UNICEF)",
    "Chương trình Phát triển Liên hợp quốc (UNDP)",
    "phóng viên hãng thông tấn AFP",
    "phóng viên báo Asahi (Nhật Bản)",
    "Đại sứ quán Thụy Điển",
    "Ủy ban Nhân quyền liên chính phủ ASEAN",
]
PUBLICATIONS = ["Sổ tay", "Tài liệu hỏi - đáp", "Tờ gấp", "Bản tin", "Sách ảnh", "Tập san"]
PERIODS = ["quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "9 tháng", "năm"]
DOCUMENTS = [
    "1079/QĐ-TTg",
    "57-KL/TW",
    "16-KL/TW",
    "47/NQ-CP",
    "71-KL/TW",
    "35-NQ/TW",
    "111-HD/BTGTW",
    "09/2017/NĐ-CP",
    "202/2025/QH15",
    "21/CT-TTg",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Xuân", "Ngọc"]
GIVEN = ["Bình", "Chương", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Sơn", "Thủy", "Tuấn"]
ROLES = [
    "Phó Chủ tịch UBND",
    "Trưởng ban Tuyên giáo Tỉnh ủy",
    "Giám đốc Sở Ngoại vụ",
    "Phó Giám đốc Công an",
]
SITES = ["baochinhphu.vn", "dangcongsan.vn", "vietnamplus.vn", "nhandan.vn", "qdnd.vn"]
INVENTED = "Sự kiện ví dụ (không có thật)"
DUPLICATE_WINDOW = 2000  # a duplicate repeats one of the last 2,000 rows


def _provinces() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, kind) of the current and of the former units, from reportgen's data file."""
    current: list[tuple[str, str]] = []
    former: list[tuple[str, str]] = []
    with PROVINCES_CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            (current if row["status"] == "current" else former).append((row["name"], row["kind"]))
    return current, former


def _old_tone(text: str) -> str:
    """The older tone-mark placement typed on many keyboards: Hòa → Hoà, Thủy → Thuỷ."""
    for new, old in (("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("ủy", "uỷ"), ("ùy", "uỳ")):
        text = text.replace(new, old)
    return text


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class _Maker:
    def __init__(self, seed: int, messy: float, duplicates: float) -> None:
        self.rnd = random.Random(seed)
        self.messy = messy
        self.duplicates = duplicates
        self.current, self.former = _provinces()
        self.type_weights = [t[3] for t in EVENT_TYPES]
        self.span = (LAST_DAY - FIRST_DAY).days
        self.next_id = 1

    # ---- plain values ---------------------------------------------------------------------

    def person(self) -> str:
        r = self.rnd
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLES)} {r.choice(GIVEN)}"

    def agency(self, province: str, kind: str, day: dt.date) -> str:
        r = self.rnd
        unit = "thành phố" if kind == "thành phố" else "tỉnh"
        committee = "Thành ủy" if kind == "thành phố" else "Tỉnh ủy"
        propaganda = "Ban Tuyên giáo" if day < dt.date(2025, 3, 1) else "Ban Tuyên giáo và Dân vận"
        return r.choice(
            [
                f"Sở Thông tin và Truyền thông {unit} {province}",
                f"{propaganda} {committee} {province}",
                f"Công an {unit} {province}",
                f"Sở Ngoại vụ {unit} {province}",
                f"Sở Tư pháp {unit} {province}",
                f"UBND {unit} {province}",
                "Bộ Thông tin và Truyền thông",
                "Văn phòng Thường trực Ban Chỉ đạo Nhân quyền của Chính phủ",
                "Ban Tuyên giáo Trung ương",
                "Bộ Ngoại giao",
            ]
        )

    def title(self, code: str, year: int) -> str:
        r = self.rnd
        topic, audience = r.choice(TOPICS), r.choice(AUDIENCES)
        if code == "training":
            return r.choice(
                [
                    f"Hội nghị tập huấn {topic} cho {audience}",
                    f"Tập huấn {topic} năm {year} cho {audience}",
                    f"Lớp bồi dưỡng kiến thức về {topic} cho {audience}",
                ]
            )
        if code == "press_briefing":
            return f"Hội nghị cung cấp thông tin cho báo chí về {topic} {r.choice(PERIODS)} {year}"
        if code == "press_conference":
            return f"Họp báo thông tin kết quả {topic} {r.choice(PERIODS)} {year}"
        if code == "seminar":
            return r.choice(
                [
                    f'Hội thảo khoa học "{topic[0].upper()}{topic[1:]}"',
                    f"Tọa đàm về {topic} với {audience}",
                    f"Hội thảo {topic} trong tình hình mới",
                ]
            )
        if code == "delegation":
            return f"Tiếp đoàn {r.choice(DELEGATIONS)} tìm hiểu về {topic}"
        if code == "publication":
            return f"Xuất bản {r.choice(PUBLICATIONS)} về {topic}"
        return r.choice(
            [
                f'Phát động cuộc thi "Tìm hiểu về {topic}" năm {year}',
                f"Ra mắt chuyên mục {topic} trên Cổng thông tin điện tử",
                f"Triển lãm ảnh về {topic}",
            ]
        )

    def row(self, number: int) -> list[Any]:
        r = self.rnd
        day = FIRST_DAY + dt.timedelta(days=r.randrange(self.span + 1))
        code, label, variants, _w = r.choices(EVENT_TYPES, weights=self.type_weights)[0]
        if variants and r.random() < 0.15:
            label = r.choice(variants)
        province, kind = r.choice(self.former if day < MERGER else self.current)
        shown_province = province
        roll = r.random()
        if roll < 0.10:
            shown_province = f"{'thành phố' if kind == 'thành phố' else 'tỉnh'} {province}"
        elif roll < 0.13 and kind == "thành phố":
            shown_province = f"TP. {province}"
        lead = self.agency(province, kind, day)
        mode = r.choices([None, "Trực tiếp", "Trực tuyến", "Kết hợp"], weights=[60, 15, 10, 15])[0]
        values: list[Any] = [None] * len(HEADERS)
        values[COL["STT"]] = number
        if r.random() < 0.3:
            values[COL["Mã sự kiện"]] = f"SK-{day.year}-{self.next_id:06d}"
            self.next_id += 1
        values[COL["Ngày bắt đầu"]] = day
        if r.random() < 0.2:
            values[COL["Ngày kết thúc"]] = day + dt.timedelta(days=r.randrange(1, 4))
        values[COL["Loại hoạt động"]] = label
        values[COL["Tên hoạt động"]] = self.title(code, day.year)
        values[COL["Tỉnh/thành phố"]] = shown_province
        if code != "publication" and r.random() < 0.7:
            values[COL["Địa điểm"]] = r.choice(
                [f"Hội trường {lead}", f"Trung tâm Hội nghị {kind} {province}", "Trực tuyến"]
            )
        values[COL["Cơ quan chủ trì"]] = lead
        if r.random() < 0.6:
            others = [self.agency(province, kind, day) for _ in range(r.randrange(1, 4))]
            others = [name for name in dict.fromkeys(others) if name != lead]
            if others:
                values[COL["Cơ quan phối hợp"]] = r.choice(["; ", "\n"]).join(others)
        values[COL["Hình thức"]] = mode
        if mode in ("Trực tuyến", "Kết hợp"):
            values[COL["Số điểm cầu"]] = r.randrange(2, 300)
        if code in NEEDS_ATTENDEES or r.random() < 0.2:
            values[COL["Số đại biểu"]] = r.choice([r.randrange(5, 400), r.randrange(50, 3000)])
        if r.random() < 0.15:
            limit = 63 if day < MERGER else 34
            values[COL["Số tỉnh, thành phố tham dự"]] = r.randrange(1, limit + 1)
        if code == "publication":
            values[COL["Số ấn phẩm"]] = r.randrange(1, 50) * 100
        if r.random() < 0.6:
            refs = r.sample(DOCUMENTS, r.randrange(1, 4))
            values[COL["Văn bản quán triệt"]] = "; ".join(refs)
        if r.random() < 0.4:
            values[COL["Chủ đề"]] = f"{r.choice(TOPICS)}; {r.choice(TOPICS)}"
        if r.random() < 0.4:
            values[COL["Lãnh đạo chủ trì"]] = f"{self.person()}, {r.choice(ROLES)}"
        if r.random() < 0.3:
            values[COL["Nguồn"]] = (
                f"https://{r.choice(SITES)}/bai-viet-{r.randrange(10**6, 10**7)}.htm"
            )
        if r.random() < 0.5:
            values[COL["Đơn vị báo cáo"]] = lead
        values[COL["Ghi chú"]] = INVENTED if r.random() < 0.9 else None
        if r.random() < self.messy:
            self.mess(values, day, code, province)
        return values

    # ---- messy forms ----------------------------------------------------------------------

    def mess(self, values: list[Any], day: dt.date, code: str, province: str) -> None:
        """One common irregularity; about one in twelve of them is an error."""
        r = self.rnd
        kind = r.randrange(12)
        start = COL["Ngày bắt đầu"]
        people = COL["Số đại biểu"]
        if kind == 0:
            values[start] = f"{day.day:02d}/{day.month:02d}/{day.year}"
        elif kind == 1:
            values[start] = r.choice(
                [
                    f"{day.day}/{day.month}/{day.year}",
                    f"{day.day}.{day.month}.{day.year}",
                    f"{day.day}-{day.month}-{day.year}",
                    day.isoformat(),
                    f"{day.day}/{day.month}/{day.year % 100:02d}",
                ]
            )
        elif kind == 2:
            values[start] = f"ngày {day.day} tháng {day.month} năm {day.year}"
        elif kind == 3:
            values[start] = (day - dt.date(1899, 12, 30)).days  # Excel serial as a number
        elif kind == 4:
            values[people] = f"{r.choice(['gần', 'khoảng', 'hơn', 'trên'])} {r.randrange(2, 30)}00"
        elif kind == 5:
            values[people] = r.choice(
                [f"{r.randrange(1, 10)}.000", f"{r.randrange(1, 5)} 000", "3.000 người"]
            )
        elif kind == 6:
            for name in ("Tên hoạt động", "Cơ quan chủ trì", "Tỉnh/thành phố"):
                values[COL[name]] = _nfd(values[COL[name]])
        elif kind == 7:
            values[COL["Tỉnh/thành phố"]] = (
                _old_tone(province) if _old_tone(province) != province else province.upper()
            )
            values[COL["Tên hoạt động"]] = _old_tone(values[COL["Tên hoạt động"]])
        elif kind == 8:
            values[COL["Văn bản quán triệt"]] = r.choice(
                ["1079/QD-TTg; 57-KL/TW", "số 47/NQ-CP", "57 - KL/TW, 47/NQ-CP"]
            )
        elif kind == 9:
            values[COL["Tỉnh/thành phố"]] = f"  {province}  "
            values[COL["Hình thức"]] = "trực tuyến"
            values[COL["Số điểm cầu"]] = r.randrange(2, 50)
        elif kind == 10:
            values[COL["Loại hoạt động"]] = values[COL["Loại hoạt động"]].upper()
        else:  # errors: a day that does not exist, a count that is not a number, a typo
            which = r.randrange(3)
            if which == 0:
                values[start] = f"31/02/{day.year}"
            elif which == 1:
                values[people] = "không rõ"
            else:
                values[COL["Tỉnh/thành phố"]] = province + "x"

    def duplicate(self, original: list[Any], number: int) -> list[Any]:
        """The same event reported again by another department, as people retype it."""
        r = self.rnd
        copy = list(original)
        copy[COL["STT"]] = number
        if r.random() < 0.5:
            copy[COL["Tên hoạt động"]] = (
                copy[COL["Tên hoạt động"]]
                + " năm "
                + str(
                    original[COL["Ngày bắt đầu"]].year
                    if isinstance(original[COL["Ngày bắt đầu"]], dt.date)
                    else 2024
                )
            )
        if r.random() < 0.3 and isinstance(copy[COL["Số đại biểu"]], int):
            copy[COL["Số đại biểu"]] += r.choice([-20, -10, 10, 30])  # a conflict
        if r.random() < 0.3:
            copy[COL["Đơn vị báo cáo"]] = None
        return copy


def iter_rows(
    rows: int, seed: int = 0, messy: float = 0.03, duplicates: float = 0.01
) -> Iterator[list[Any]]:
    """The data rows (without title block, header or totals), ``rows`` of them, one at a time.

    Only the last ``DUPLICATE_WINDOW`` rows are kept, the ones a duplicate may copy, so that a
    million rows can be written without holding them all.
    """
    maker = _Maker(seed, messy, duplicates)
    recent: deque[list[Any]] = deque(maxlen=DUPLICATE_WINDOW)
    for number in range(1, rows + 1):
        if recent and maker.rnd.random() < duplicates:
            # The same draw as an index into every row so far, of which `recent` is the tail.
            made = number - 1
            first = max(0, made - DUPLICATE_WINDOW)
            source = recent[maker.rnd.randrange(first, made) - (made - len(recent))]
            row = maker.duplicate(source, number)
        else:
            row = maker.row(number)
        recent.append(row)
        yield row


def make_rows(
    rows: int, seed: int = 0, messy: float = 0.03, duplicates: float = 0.01
) -> list[list[Any]]:
    """The data rows (without title block, header or totals), ``rows`` of them."""
    return list(iter_rows(rows, seed, messy, duplicates))


def write_rows(path: Path, data: Iterable[Sequence[Any]], *, repeat: int = 1) -> Path:
    """Write ``data`` (``repeat`` times over, renumbered) as an events workbook.

    ``data`` may be an iterator (:func:`iter_rows`) when ``repeat`` is 1; openpyxl's write-only
    mode streams the rows to the file, so memory stays flat however many rows are written.
    """
    if repeat > 1 and not isinstance(data, Sequence):
        data = list(data)  # read again for each repetition
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    fixed = dt.datetime(2025, 12, 20, 8, 0, 0)
    workbook.properties.created = fixed
    workbook.properties.creator = "bench/generate.py"
    sheet = workbook.create_sheet("Sự kiện")
    sheet.append(["BIỂU THỐNG KÊ HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI VỀ QUYỀN CON NGƯỜI"])
    sheet.append(["Đơn vị: Ban Chỉ đạo Nhân quyền tỉnh (dữ liệu tổng hợp giả lập)"])
    sheet.append([])
    sheet.append(HEADERS)
    number = 0
    for _ in range(repeat):
        for values in data:
            number += 1
            row = list(values)
            row[0] = number
            sheet.append(row)
    total: list[Any] = [None] * len(HEADERS)
    total[1] = "Tổng cộng"
    total[COL["Số đại biểu"]] = f"=SUM(M5:M{number + 4})"
    sheet.append(total)
    sheet.append([])
    sheet.append([None, "Người lập biểu", None, None, None, None, None, None, "Trưởng ban"])
    workbook.save(path)
    return path


_INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>'
    rb"([^<]*)</t></is></c>"
)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def share_strings(source: Path, target: Path) -> Path:
    """Copy the workbook ``source`` with its text in a shared-strings part, as Excel saves it.

    openpyxl's write-only mode writes each text cell inline, with every non-ASCII letter as a
    character reference (``&#7874;``), which makes the sheet XML about twice as large as Excel
    would. Excel keeps each distinct text once, in UTF-8, in ``xl/sharedStrings.xml``, and the
    cells hold its index. The sheet is rewritten a block of rows at a time.
    """
    import html
    import zipfile
    from xml.sax.saxutils import escape

    strings: dict[bytes, int] = {}
    cells = [0]

    def shared(match: re.Match[bytes]) -> bytes:
        cells[0] += 1
        index = strings.setdefault(match.group(3), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), index)

    sheet_name = "xl/worksheets/sheet1.xml"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        with old.open(sheet_name) as part, new.open(sheet_name, "w", force_zip64=True) as out:
            rest = b""
            while block := part.read(4 * 1024**2):
                rest += block
                cut = rest.rfind(b"</row>") + len(b"</row>") if b"</row>" in rest else 0
                head, rest = rest[:cut], rest[cut:]
                out.write(_INLINE.sub(shared, head))
            out.write(_INLINE.sub(shared, rest))
        for info in old.infolist():
            data = old.read(info) if info.filename != sheet_name else None
            if data is None:
                continue
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CONTENT}"/>'
                    "</Types>".encode(),
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Type="{_SST_TYPE}" Target="sharedStrings.xml" Id="rIdSst"/>'
                    "</Relationships>".encode(),
                )
            new.writestr(info, data)
        with new.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN_NS}"'
                f' count="{cells[0]}" uniqueCount="{len(strings)}">'.encode()
            )
            for text in strings:
                value = escape(html.unescape(text.decode()))
                space = ' xml:space="preserve"' if value != value.strip() else ""
                out.write(f"<si><t{space}>{value}</t></si>".encode())
            out.write(b"</sst>")
    return target


def make_workbook(
    path: Path | str,
    rows: int,
    seed: int = 0,
    messy: float = 0.03,
    duplicates: float = 0.01,
) -> Path:
    """Write a synthetic events workbook of ``rows`` data rows to ``path``; return the path."""
    return write_rows(Path(path), iter_rows(rows, seed, messy, duplicates))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the .xlsx file to write")
    parser.add_argument("--rows", type=int, default=10_000, help="data rows (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--messy", type=float, default=0.03, help="share of messy rows")
    parser.add_argument("--duplicates", type=float, default=0.01, help="share of duplicate rows")
    parser.add_argument(
        "--shared-strings",
        action="store_true",
        help="keep text in a shared-strings part, as Excel saves it (default: inline, as openpyxl)",
    )
    args = parser.parse_args(argv)
    path = make_workbook(args.out, args.rows, args.seed, args.messy, args.duplicates)
    if args.shared_strings:
        inline = path.with_name(path.stem + ".inline" + path.suffix)
        path.replace(inline)
        share_strings(inline, path)
        inline.unlink()
    print(f"{path}: {args.rows} rows, seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
