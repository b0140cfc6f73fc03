"""Write the sample input workbooks of reportgen, deterministically.

The sample committee is the Ban Chỉ đạo Nhân quyền of tỉnh Phú Thọ (since 1 July 2025 it also
covers the former Hòa Bình and Vĩnh Phúc). Each member department keeps one workbook; the same
files are written to ``reportgen/samples/`` (package data) and ``inputs/`` (ready to run).

    python scripts/make_samples.py            # write the workbooks
    python scripts/make_samples.py --check    # read them back and print the expected figures

The real events come from the press articles in ``shared/seeds``; every other row is an invented
example whose ``Ghi chú`` says ``Sự kiện ví dụ (không có thật)``. See ``docs/sample-data.md``.

``--check`` is deliberately independent of the ``reportgen`` package: it has its own small
reader (header detection, date and number parsing, duplicates, reporting windows), so that the
figures it prints can be used to test reportgen rather than to repeat it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import hashlib
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parent.parent
OUT_DIRS = (ROOT / "reportgen" / "samples", ROOT / "inputs")

# Fixed so that re-running the script gives byte-identical files.
FIXED_TIME = dt.datetime(2025, 12, 20, 8, 0, 0)
ZIP_TIME = (2025, 12, 20, 8, 0, 0)
AUTHOR = "reportgen (dữ liệu mẫu)"

TITLE = "BIỂU THỐNG KÊ HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI VỀ QUYỀN CON NGƯỜI"
INVENTED = "Sự kiện ví dụ (không có thật)"

# Event type labels as written in the sheets (canonical labels of input-format.md, plus a few of
# the variants it promises to accept).
TRAINING = "Hội nghị tập huấn"
BRIEFING = "Hội nghị cung cấp thông tin cho báo chí"
PRESS_CONF = "Họp báo"
SEMINAR = "Hội thảo, tọa đàm"
DELEGATION = "Tiếp đoàn nước ngoài, phóng viên nước ngoài"
PUBLICATION = "Xuất bản ấn phẩm"
OTHER = "Khác"

# Sources of the real events (seed articles in /work/shared/seeds).
SRC_KONTUM = (
    'TTXVN/Vietnam+: "Thành tựu của Việt Nam trong bảo vệ Quyền con Người được đánh giá cao"'
)
SRC_HOABINH_2023 = (
    'Báo chí ngày 7/12/2023: "Yêu cầu mới với công tác truyền thông, thông tin đối ngoại về '
    'quyền con người" (25 tỉnh, thành phố); "Tập huấn công tác thông tin đối ngoại về quyền '
    'con người" (26 tỉnh, thành phố)'
)
SRC_HOABINH_2024 = (
    'dangcongsan.vn (T.Lan): "Đẩy mạnh thông tin đối ngoại tình hình nhân quyền nhằm nâng cao '
    'vị thế đất nước", 7/8/2024'
)


# --------------------------------------------------------------------------------------------
# Cell value helpers: each event states its cells exactly as the office would have typed them.


def d(year: int, month: int, day: int) -> dt.datetime:
    """A real Excel date cell."""
    return dt.datetime(year, month, day)


def serial(year: int, month: int, day: int) -> int:
    """An Excel serial day number stored as a plain number (1900 date system)."""
    return (dt.date(year, month, day) - dt.date(1899, 12, 30)).days


def dmy(year: int, month: int, day: int, sep: str = "/", pad: bool = False) -> str:
    """Day-first text date: ``07/12/2023`` (pad), ``7/12/2023``, ``7.8.2024``, ``7-8-2024``."""
    if pad:
        return f"{day:02d}{sep}{month:02d}{sep}{year}"
    return f"{day}{sep}{month}{sep}{year}"


def iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def words(year: int, month: int, day: int) -> str:
    return f"ngày {day} tháng {month} năm {year}"


@dataclass
class Event:
    """One row of an events sheet, with cell values as typed (``None`` = empty cell)."""

    start: Any
    type_label: str
    title: str
    province: str
    lead: str
    end: Any = None
    venue: str | None = None
    partners: str | None = None
    mode: str | None = None
    points: Any = None
    attendees: Any = None
    prov_att: Any = None
    copies: Any = None
    docs: str | None = None
    topics: str | None = None
    chairs: str | None = None
    source: str | None = None
    unit: str | None = None
    notes: str = INVENTED
    event_id: str | None = None


# Logical column keys, in the order the cells of an Event are read.
KEY_ATTR = {
    "event_id": "event_id",
    "start_date": "start",
    "end_date": "end",
    "event_type": "type_label",
    "title": "title",
    "province": "province",
    "venue": "venue",
    "lead_agency": "lead",
    "partners": "partners",
    "mode": "mode",
    "online_points": "points",
    "attendees": "attendees",
    "provinces_attending": "prov_att",
    "copies": "copies",
    "documents": "docs",
    "topics": "topics",
    "chairs": "chairs",
    "source": "source",
    "reporting_unit": "unit",
    "notes": "notes",
}


@dataclass
class Column:
    header: str
    key: str | None  # None for STT
    width: float
    group: str | None = None  # merged super-header of a two-row header


@dataclass
class SampleFile:
    name: str
    sheet: str
    unit_line: str
    columns: list[Column]
    events: list[Event]
    signer: str
    narrative: list[tuple[str, str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Column layouts

MAIN_COLUMNS = [
    Column("STT", None, 5),
    Column("Ngày bắt đầu", "start_date", 13),
    Column("Ngày kết thúc", "end_date", 13),
    Column("Loại hoạt động", "event_type", 22),
    Column("Tên hoạt động", "title", 48),
    Column("Tỉnh/thành phố", "province", 14),
    Column("Địa điểm", "venue", 24),
    Column("Cơ quan chủ trì", "lead_agency", 30),
    Column("Cơ quan phối hợp", "partners", 34),
    Column("Hình thức", "mode", 11),
    Column("Số điểm cầu", "online_points", 9),
    Column("Số đại biểu", "attendees", 11),
    Column("Số tỉnh, thành phố tham dự", "provinces_attending", 12),
    Column("Số ấn phẩm", "copies", 10),
    Column("Văn bản quán triệt", "documents", 26),
    Column("Chủ đề", "topics", 30),
    Column("Lãnh đạo chủ trì", "chairs", 24),
    Column("Nguồn", "source", 40),
    Column("Đơn vị báo cáo", "reporting_unit", 24),
    Column("Ghi chú", "notes", 40),
]

# Công an tỉnh: two-row header, "Thời gian" merged over the two date columns.
TWO_ROW_COLUMNS = [
    Column("STT", None, 5),
    Column("Ngày bắt đầu", "start_date", 13, group="Thời gian"),
    Column("Ngày kết thúc", "end_date", 13, group="Thời gian"),
    Column("Loại hoạt động", "event_type", 22),
    Column("Tên hoạt động", "title", 48),
    Column("Tỉnh/thành phố", "province", 14),
    Column("Địa điểm", "venue", 24),
    Column("Cơ quan chủ trì", "lead_agency", 30),
    Column("Cơ quan phối hợp", "partners", 34),
    Column("Hình thức", "mode", 11),
    Column("Số điểm cầu", "online_points", 9),
    Column("Số đại biểu", "attendees", 11),
    Column("Số tỉnh, thành phố tham dự", "provinces_attending", 12),
    Column("Số ấn phẩm", "copies", 10),
    Column("Văn bản quán triệt", "documents", 26),
    Column("Chủ đề", "topics", 30),
    Column("Lãnh đạo chủ trì", "chairs", 24),
    Column("Nguồn", "source", 40),
    Column("Ghi chú", "notes", 40),
]

# Sở Ngoại vụ: main headers plus "Mã sự kiện", fewer optional columns.
ID_COLUMNS = [
    Column("STT", None, 5),
    Column("Mã sự kiện", "event_id", 13),
    Column("Ngày bắt đầu", "start_date", 22),
    Column("Ngày kết thúc", "end_date", 22),
    Column("Loại hoạt động", "event_type", 22),
    Column("Tên hoạt động", "title", 48),
    Column("Tỉnh/thành phố", "province", 14),
    Column("Địa điểm", "venue", 24),
    Column("Cơ quan chủ trì", "lead_agency", 30),
    Column("Cơ quan phối hợp", "partners", 34),
    Column("Hình thức", "mode", 11),
    Column("Số điểm cầu", "online_points", 9),
    Column("Số đại biểu", "attendees", 11),
    Column("Số tỉnh, thành phố tham dự", "provinces_attending", 12),
    Column("Số ấn phẩm", "copies", 10),
    Column("Văn bản quán triệt", "documents", 26),
    Column("Nguồn", "source", 40),
    Column("Ghi chú", "notes", 40),
]

# Sở Văn hóa, Thể thao và Du lịch: aliases instead of the main headers.
ALIAS_COLUMNS = [
    Column("STT", None, 5),
    Column("Ngày bắt đầu", "start_date", 13),
    Column("Ngày kết thúc", "end_date", 13),
    Column("Loại hình", "event_type", 22),
    Column("Tên sự kiện", "title", 48),
    Column("Tỉnh", "province", 14),
    Column("Địa điểm", "venue", 24),
    Column("Đơn vị chủ trì", "lead_agency", 30),
    Column("Cơ quan phối hợp", "partners", 34),
    Column("Hình thức tổ chức", "mode", 11),
    Column("Số điểm cầu", "online_points", 9),
    Column("Số người tham dự", "attendees", 11),
    Column("Số tỉnh, thành phố tham dự", "provinces_attending", 12),
    Column("Số lượng phát hành", "copies", 11),
    Column("Văn bản triển khai", "documents", 26),
    Column("Chủ đề", "topics", 30),
    Column("Lãnh đạo chủ trì", "chairs", 24),
    Column("Minh chứng", "source", 40),
    Column("Ghi chú", "notes", 40),
]


# --------------------------------------------------------------------------------------------
# The real event reported twice (7/12/2023, Hòa Bình). Everything but the title, the spelling
# of the province and the number of provinces attending is the same in both workbooks, so the
# 25 vs 26 disagreement is the only conflict.


def hoabinh_training_2023(title: str, start: Any, province: str, prov_att: int) -> Event:
    return Event(
        start=start,
        type_label=TRAINING,
        title=title,
        province=province,
        venue="TP Hòa Bình",
        lead="Bộ Thông tin và Truyền thông",
        partners=("Văn phòng Thường trực Ban Chỉ đạo Nhân quyền của Chính phủ; UBND tỉnh Hòa Bình"),
        attendees=280,
        prov_att=prov_att,
        docs="57-KL/TW; 1079/QĐ-TTg; 16-KL/TW",
        topics=(
            "Quán triệt Kết luận 57-KL/TW, Quyết định 1079/QĐ-TTg; Kết luận 16-KL/TW về chiến "
            "lược phát triển thông tin đối ngoại"
        ),
        chairs="Lê Hải Bình; Nguyễn Văn Chương",
        source=SRC_HOABINH_2023,
        notes="Sự kiện có thật (hội nghị tập huấn thứ 3 năm 2023)",
    )


BTG = "Ban Tuyên giáo và Dân vận Tỉnh ủy Phú Thọ"

BAN_TUYEN_GIAO = SampleFile(
    name="ban-tuyen-giao.xlsx",
    sheet="Sự kiện",
    unit_line="Đơn vị: Ban Tuyên giáo và Dân vận Tỉnh ủy Phú Thọ",
    columns=MAIN_COLUMNS,
    signer="Trưởng ban",
    events=[
        Event(
            start=d(2023, 9, 20),
            type_label=TRAINING,
            title=(
                "Hội nghị tập huấn nghiệp vụ thông tin đối ngoại cho báo cáo viên, tuyên "
                "truyền viên"
            ),
            province="Vĩnh Phúc",
            venue="Hội trường Tỉnh ủy Vĩnh Phúc",
            lead="Ban Tuyên giáo Tỉnh ủy Vĩnh Phúc",
            partners="Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc",
            attendees=120,
            docs="57-KL/TW; 111-HD/BTGTW",
            unit=BTG,
        ),
        Event(
            start=d(2023, 11, 14),
            type_label=OTHER,
            title='Phát động Cuộc thi viết "Tìm hiểu về quyền con người" năm 2023',
            province="tỉnh Vĩnh Phúc",
            lead="Ban Tuyên giáo Tỉnh ủy Vĩnh Phúc",
            partners="Sở Tư pháp tỉnh Vĩnh Phúc; Tỉnh đoàn Vĩnh Phúc",
            mode="Trực tuyến",
            docs="1079/QĐ-TTg",
            unit=BTG,
        ),
        Event(
            start=d(2023, 11, 15),
            type_label=PRESS_CONF,
            title=(
                "Họp báo thông tin kết quả triển khai Đề án truyền thông về quyền con người "
                "năm 2023"
            ),
            province="Phú Thọ",
            venue="Hội trường Ban Tuyên giáo Tỉnh ủy Phú Thọ",
            lead="Ban Tuyên giáo Tỉnh ủy Phú Thọ",
            partners="Công an tỉnh Phú Thọ",
            mode="Trực tiếp",
            attendees=40,
            docs="1079/QĐ-TTg",
            unit=BTG,
        ),
        Event(
            start=d(2023, 12, 13),
            end=d(2023, 12, 16),
            type_label=TRAINING,
            title=(
                "Lớp bồi dưỡng kiến thức thông tin đối ngoại và quyền con người cho cán bộ cơ sở"
            ),
            province="Hòa Bình",
            venue="Trường Chính trị tỉnh Hòa Bình",
            lead="Ban Tuyên giáo Tỉnh ủy Hòa Bình",
            partners="Trường Chính trị tỉnh Hòa Bình",
            attendees=75,
            docs="57-KL/TW; 1079/QĐ-TTg",
            topics="Kỹ năng thông tin đối ngoại; quyền con người trong Hiến pháp 2013",
            unit=BTG,
        ),
        Event(
            start=d(2024, 1, 25),
            type_label=SEMINAR,
            title=(
                'Hội thảo khoa học "Bảo vệ nền tảng tư tưởng của Đảng trong lĩnh vực dân chủ, '
                'nhân quyền"'
            ),
            province="Phú Thọ",
            venue="Trường Đại học Hùng Vương",
            lead="Ban Tuyên giáo Tỉnh ủy Phú Thọ",
            partners="Trường Đại học Hùng Vương; Trường Chính trị tỉnh Phú Thọ",
            attendees=150,
            docs="35-NQ/TW; 57-KL/TW",
            chairs="Phó Trưởng ban Thường trực Ban Tuyên giáo Tỉnh ủy",
            unit=BTG,
        ),
        Event(
            start=d(2024, 3, 15),
            type_label="Họp báo định kỳ",
            title="Họp báo định kỳ quý I/2024 về công tác tuyên giáo và thông tin đối ngoại",
            province="Vĩnh Phúc",
            venue="Hội trường Tỉnh ủy Vĩnh Phúc",
            lead="Ban Tuyên giáo Tỉnh ủy Vĩnh Phúc",
            attendees=55,
            unit=BTG,
        ),
        Event(
            start=d(2024, 5, 16),
            type_label=TRAINING,
            title=(
                "Hội nghị trực tuyến quán triệt Nghị quyết 47/NQ-CP và Kết luận 71-KL/TW đến cơ sở"
            ),
            province="Phú Thọ",
            venue="Điểm cầu chính: Hội trường Tỉnh ủy Phú Thọ",
            lead="Ban Tuyên giáo Tỉnh ủy Phú Thọ",
            partners="Sở Thông tin và Truyền thông tỉnh Phú Thọ\nViễn thông Phú Thọ",
            mode="Trực tuyến",
            points=225,
            attendees="3.000 người",
            docs="47/NQ-CP; 71-KL/TW; 57-KL/TW",
            unit=BTG,
        ),
        Event(
            start=d(2024, 7, 1),
            type_label=PUBLICATION,
            title="Biên soạn, phát hành Sổ tay công tác thông tin đối ngoại",
            province="Hòa Bình",
            lead="Ban Chỉ đạo công tác thông tin đối ngoại tỉnh Hòa Bình",
            copies="1.000",
            source=SRC_HOABINH_2024,
            unit=BTG,
            notes=(
                "Sự kiện có thật; báo chí ngày 7/8/2024 cho biết đã phát hành 1.000 cuốn, không "
                "nêu ngày phát hành: ngày 01/07/2024 là ngày giả định"
            ),
        ),
        Event(
            start="7.8.2024",
            type_label=TRAINING,
            title="Hội nghị tập huấn công tác thông tin đối ngoại và nhân quyền năm 2024",
            province="Hòa Bình",
            lead="Ban Tuyên giáo Trung ương",
            partners="Ban Chỉ đạo Nhân quyền của Chính phủ; Tỉnh ủy Hòa Bình",
            attendees=200,
            prov_att=14,
            docs="57-KL/TW; 47/NQ-CP; 71-KL/TW; 111-HD/BTGTW",
            topics=(
                "Cán bộ 14 tỉnh, thành phố Trung du và miền núi Bắc Bộ và phóng viên báo chí "
                "Trung ương"
            ),
            chairs="Phan Xuân Thủy; Bùi Đức Hinh; Nguyễn Văn Kỷ",
            source=SRC_HOABINH_2024,
            unit=BTG,
            notes=(
                "Sự kiện có thật; báo chí không nêu số đại biểu: số 200 là số giả định của dữ "
                "liệu mẫu"
            ),
        ),
        Event(
            start=d(2024, 10, 15),
            type_label=OTHER,
            title="Phát động Cuộc thi chính luận về bảo vệ nền tảng tư tưởng của Đảng năm 2024",
            province="Phú Thọ",
            lead="Ban Tuyên giáo Tỉnh ủy Phú Thọ",
            partners="Báo Phú Thọ; Đài Phát thanh và Truyền hình Phú Thọ",
            docs="35-NQ/TW",
            unit=BTG,
        ),
        Event(
            start=d(2024, 12, 16),
            type_label=BRIEFING,
            title="Hội nghị cung cấp thông tin cho báo chí về kết quả công tác tuyên giáo năm 2024",
            province="Phú Thọ",
            venue="Hội trường Tỉnh ủy Phú Thọ",
            lead="Ban Tuyên giáo Tỉnh ủy Phú Thọ",
            attendees=44,
            unit=BTG,
        ),
        Event(
            start=d(2025, 4, 17),
            end=d(2025, 4, 18),
            type_label=TRAINING,
            title="Hội nghị tập huấn báo cáo viên về thông tin đối ngoại năm 2025",
            province="Vĩnh Phúc",
            venue="Hội trường Tỉnh ủy Vĩnh Phúc",
            lead="Ban Tuyên giáo và Dân vận Tỉnh ủy Vĩnh Phúc",
            attendees=140,
            docs="57-KL/TW; 111-HD/BTGTW",
            unit=BTG,
        ),
        Event(
            start=d(2025, 7, 10),
            type_label=OTHER,
            title=(
                'Ra mắt chuyên mục "Thông tin đối ngoại" trên Cổng thông tin điện tử tỉnh '
                "Phú Thọ sau hợp nhất"
            ),
            province="Phú Thọ",
            lead="Ban Tuyên giáo và Dân vận Tỉnh ủy Phú Thọ",
            partners="Văn phòng UBND tỉnh Phú Thọ",
            mode="Trực tuyến",
            docs="57-KL/TW",
            unit=BTG,
        ),
        Event(
            start=d(2025, 11, 20),
            type_label=PRESS_CONF,
            title="Họp báo thông tin kết quả công tác thông tin đối ngoại 11 tháng năm 2025",
            province="Phú Thọ",
            venue="Hội trường Tỉnh ủy Phú Thọ",
            lead="Ban Tuyên giáo và Dân vận Tỉnh ủy Phú Thọ",
            attendees=38,
            unit=BTG,
        ),
    ],
)

CONG_AN_TINH = SampleFile(
    name="cong-an-tinh.xlsx",
    sheet="Sự kiện",
    unit_line="Đơn vị: Công an tỉnh Phú Thọ (Thường trực Ban Chỉ đạo Nhân quyền tỉnh)",
    columns=TWO_ROW_COLUMNS,
    signer="Giám đốc",
    events=[
        Event(
            start=dmy(2023, 10, 12, pad=True),
            type_label=SEMINAR,
            title="Tọa đàm về bảo đảm quyền tự do tín ngưỡng, tôn giáo trên địa bàn tỉnh",
            province="Phú Thọ",
            venue="Hội trường Công an tỉnh Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            partners="Ban Tôn giáo (Sở Nội vụ tỉnh Phú Thọ); Ủy ban MTTQ Việt Nam tỉnh Phú Thọ",
            attendees=85,
            docs="1079/QĐ-TTg",
        ),
        Event(
            start=dmy(2023, 11, 22, pad=True),
            type_label=TRAINING,
            title=(
                "Tập huấn kỹ năng nhận diện, xử lý thông tin xấu độc về nhân quyền trên không "
                "gian mạng"
            ),
            province="Vĩnh Phúc",
            venue="Điểm cầu chính: Công an tỉnh Vĩnh Phúc",
            lead="Công an tỉnh Vĩnh Phúc",
            partners="Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc",
            mode="Kết hợp",
            points=13,
            attendees=350,
            docs="1079/QĐ-TTg; 57-KL/TW",
        ),
        hoabinh_training_2023(
            "Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người",
            dmy(2023, 12, 7, pad=True),
            "Hòa Bình",
            26,
        ),
        Event(
            start=iso(2023, 12, 11),
            type_label=SEMINAR,
            title=(
                "Tọa đàm kỷ niệm 75 năm Ngày Tuyên ngôn quốc tế nhân quyền "
                "(10/12/1948 - 10/12/2023)"
            ),
            province="PHÚ THỌ",
            venue="Hội trường Công an tỉnh Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            partners="Sở Tư pháp tỉnh Phú Thọ; Hội Luật gia tỉnh Phú Thọ",
            attendees=80,
            docs="1079/QĐ-TTg",
        ),
        Event(
            start=dmy(2023, 12, 20, pad=True),
            type_label=OTHER,
            title='Phát động cuộc thi trực tuyến "Tìm hiểu pháp luật về quyền con người"',
            province="Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            partners="Sở Tư pháp tỉnh Phú Thọ",
            mode="Trực tuyến",
        ),
        Event(
            start=serial(2024, 3, 7),
            type_label=TRAINING,
            title="Hội nghị tập huấn công tác nhân quyền cho lực lượng Công an cấp xã",
            province="Phú Thọ",
            venue="Điểm cầu chính: Hội trường Công an tỉnh Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            mode="Kết hợp",
            points=12,
            attendees=420,
            docs="1079/QĐ-TTg",
            notes=INVENTED + "; ngày bắt đầu ghi bằng số seri ngày của Excel",
        ),
        Event(
            start=dmy(2024, 4, 23, pad=True),
            type_label=BRIEFING,
            title=(
                "Hội nghị cung cấp thông tin cho báo chí về tình hình an ninh, trật tự và công "
                "tác nhân quyền quý I/2024"
            ),
            province="Phú Thọ",
            venue="Hội trường Công an tỉnh Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            partners="Sở Thông tin và Truyền thông tỉnh Phú Thọ",
            attendees=40,
            docs="09/2017/NĐ-CP",
        ),
        Event(
            start=dmy(2024, 7, 18, pad=True),
            type_label=DELEGATION,
            title=(
                "Tiếp đoàn nghiên cứu của một tổ chức quốc tế tìm hiểu chính sách đối với đồng "
                "bào dân tộc thiểu số"
            ),
            province="Hòa Bình",
            venue="Công an tỉnh Hòa Bình",
            lead="Công an tỉnh Hòa Bình",
            partners="Sở Ngoại vụ tỉnh Hòa Bình; Ban Dân tộc tỉnh Hòa Bình",
            attendees=8,
        ),
        Event(
            start=dmy(2024, 9, 26, pad=True),
            type_label=TRAINING,
            title="Tập huấn nghiệp vụ đấu tranh phản bác thông tin sai trái về dân chủ, nhân quyền",
            province="Vĩnh Phúc",
            venue="Công an tỉnh Vĩnh Phúc",
            lead="Công an tỉnh Vĩnh Phúc",
            attendees=160,
            docs="35-NQ/TW; 57-KL/TW",
        ),
        Event(
            start=dmy(2024, 12, 10, pad=True),
            type_label=SEMINAR,
            title="Tọa đàm kỷ niệm 76 năm Ngày Tuyên ngôn quốc tế nhân quyền",
            province="Phú Thọ",
            venue="Hội trường Công an tỉnh Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            partners="Hội Luật gia tỉnh Phú Thọ",
            attendees=95,
            docs="1079/QĐ-TTg",
        ),
        Event(
            start=dmy(2025, 2, 20, pad=True),
            type_label=TRAINING,
            title="Tập huấn công tác nhân quyền năm 2025 cho cán bộ Công an tỉnh",
            province="Hòa Bình",
            venue="Công an tỉnh Hòa Bình",
            lead="Công an tỉnh Hòa Bình",
            attendees=130,
            docs="1079/QĐ-TTg; 57-KL/TW",
        ),
        Event(
            start=dmy(2025, 8, 14, pad=True),
            type_label=TRAINING,
            title=("Tập huấn công tác nhân quyền cho cán bộ cấp xã sau sắp xếp đơn vị hành chính"),
            province="Phú Thọ",
            venue="Điểm cầu chính: Hội trường Công an tỉnh Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            partners="Sở Nội vụ tỉnh Phú Thọ",
            mode="Kết hợp",
            points=40,
            attendees="1.250",
            docs="1079/QĐ-TTg; 202/2025/QH15",
        ),
        Event(
            start=dmy(2025, 12, 10, pad=True),
            type_label=SEMINAR,
            title="Tọa đàm kỷ niệm 77 năm Ngày Tuyên ngôn quốc tế nhân quyền",
            province="Phú Thọ",
            venue="Hội trường Công an tỉnh Phú Thọ",
            lead="Công an tỉnh Phú Thọ",
            partners="Hội Luật gia tỉnh Phú Thọ",
            attendees=90,
            docs="1079/QĐ-TTg",
        ),
    ],
    narrative=[
        (
            "12/2023",
            "Tình hình chung",
            "Trong kỳ, Ban Chỉ đạo Nhân quyền tỉnh chỉ đạo các cơ quan thành viên tiếp tục triển "
            "khai Quyết định số 1079/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Đề án truyền thông "
            "về quyền con người và Kết luận số 57-KL/TW của Bộ Chính trị về tiếp tục nâng cao "
            "chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới.",
        ),
        (
            "12/2023",
            "Tình hình chung",
            "Ngày 07/12/2023, tại thành phố Hòa Bình, Bộ Thông tin và Truyền thông, Văn phòng "
            "Thường trực Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp với UBND tỉnh Hòa Bình "
            "tổ chức Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người và Hội "
            "nghị mẫu cơ chế cung cấp thông tin cho báo chí.",
        ),
        (
            "12/2023",
            "Tồn tại, hạn chế",
            "Một số cơ quan thành viên gửi số liệu chậm; cùng một sự kiện được nhiều đơn vị báo "
            "cáo với số liệu chưa thống nhất (số tỉnh, thành phố tham dự Hội nghị tập huấn ngày "
            "07/12/2023 được ghi là 26 và 25).",
        ),
        (
            "12/2023",
            "Phương hướng, nhiệm vụ",
            "Tiếp tục quán triệt Kết luận số 57-KL/TW và Quyết định số 1079/QĐ-TTg; chuẩn bị "
            "báo cáo tổng kết công tác năm 2023; duy trì Hội nghị cung cấp thông tin cho báo chí "
            "định kỳ.",
        ),
        (
            "Năm 2024",
            "Tình hình chung",
            "Năm 2024, các cơ quan thành viên Ban Chỉ đạo triển khai Nghị quyết số 47/NQ-CP của "
            "Chính phủ và Kết luận số 71-KL/TW của Bộ Chính trị; công tác thông tin đối ngoại về "
            "quyền con người được gắn với nhiệm vụ chính trị của từng cơ quan.",
        ),
        (
            "Năm 2024",
            "Tồn tại, hạn chế",
            "Việc thống kê, báo cáo số liệu giữa các cơ quan thành viên còn chưa thống nhất về "
            "biểu mẫu và thời điểm chốt số liệu.",
        ),
        (
            "Năm 2024",
            "Phương hướng, nhiệm vụ",
            "Chuẩn bị các điều kiện bảo đảm công tác thông tin đối ngoại về quyền con người "
            "không bị gián đoạn trong quá trình sắp xếp đơn vị hành chính năm 2025.",
        ),
        (
            "Năm 2024",
            "Đề xuất, kiến nghị",
            "Đề nghị Văn phòng Thường trực Ban Chỉ đạo Nhân quyền của Chính phủ tiếp tục tổ chức "
            "các lớp tập huấn chuyên sâu cho cán bộ cấp cơ sở.",
        ),
    ],
)

SVN = "Sở Ngoại vụ"

SO_NGOAI_VU = SampleFile(
    name="so-ngoai-vu.xlsx",
    sheet="Su kien",
    unit_line="Đơn vị: Sở Ngoại vụ tỉnh Phú Thọ",
    columns=ID_COLUMNS,
    signer="Giám đốc",
    events=[
        Event(
            event_id="SNV-2023-01",
            start=dmy(2023, 10, 5, sep="-"),
            type_label=DELEGATION,
            title=(
                "Tiếp đoàn phóng viên báo chí nước ngoài tìm hiểu công tác bảo đảm quyền của "
                "đồng bào dân tộc thiểu số"
            ),
            province="Hòa Bình",
            venue="UBND tỉnh Hòa Bình",
            lead=SVN + " tỉnh Hòa Bình",
            partners=("Sở Thông tin và Truyền thông tỉnh Hòa Bình; Công an tỉnh Hòa Bình"),
            attendees=12,
            docs="72/2015/NĐ-CP",
        ),
        Event(
            event_id="SNV-2023-02",
            start=words(2023, 11, 29),
            type_label=DELEGATION,
            title="Tiếp đoàn phóng viên một số cơ quan báo chí nước ngoài thường trú tại Hà Nội",
            # NFD on purpose: text typed on another keyboard must match all the same.
            province=unicodedata.normalize("NFD", "Vĩnh Phúc"),
            venue="UBND tỉnh Vĩnh Phúc",
            lead=SVN + " tỉnh Vĩnh Phúc",
            attendees=9,
            docs="72/2015/NĐ-CP",
            notes=INVENTED + "; tên tỉnh gõ ở dạng Unicode tổ hợp (NFD)",
        ),
        Event(
            event_id="SNV-2023-03",
            start=dmy(2023, 12, 15, sep="-"),
            type_label=PRESS_CONF,
            title="Họp báo thông tin kết quả công tác đối ngoại năm 2023",
            province="Phú Thọ",
            venue="Trung tâm Hội nghị tỉnh Phú Thọ",
            lead=SVN + " tỉnh Phú Thọ",
            attendees=35,
        ),
        Event(
            event_id="SNV-2024-01",
            start=d(2024, 2, 27),
            type_label=DELEGATION,
            title=(
                "Tiếp và làm việc với đoàn phóng viên báo chí nước ngoài tìm hiểu văn hóa Mường "
                "và tiềm năng du lịch"
            ),
            province="Hòa Bình",
            lead=SVN + " tỉnh Hòa Bình",
            partners="Sở Văn hóa, Thể thao và Du lịch tỉnh Hòa Bình",
            attendees=15,
            docs="72/2015/NĐ-CP",
        ),
        Event(
            event_id="SNV-2024-02",
            start=dmy(2024, 5, 28, sep="-"),
            type_label="Toạ đàm",
            title=(
                'Tọa đàm "Hợp tác quốc tế và vận động viện trợ phi chính phủ nước ngoài gắn với '
                'bảo đảm quyền con người"'
            ),
            province="Hoà Bình",
            venue="UBND tỉnh Hòa Bình",
            lead=SVN + " tỉnh Hòa Bình",
            partners="Liên hiệp các tổ chức hữu nghị tỉnh Hòa Bình",
            attendees=70,
            docs="1079/QĐ-TTg",
        ),
        Event(
            event_id="SNV-2024-03",
            start=words(2024, 8, 22),
            type_label=PRESS_CONF,
            title="Họp báo thông tin về chương trình giao lưu hữu nghị quốc tế năm 2024",
            province="Vĩnh Phúc",
            venue="UBND tỉnh Vĩnh Phúc",
            lead=SVN + " tỉnh Vĩnh Phúc",
            attendees=30,
        ),
        Event(
            event_id="SNV-2024-04",
            start=dmy(2024, 11, 12, sep="-"),
            type_label=DELEGATION,
            title=("Tiếp đoàn phóng viên báo chí nước ngoài tìm hiểu mô hình giảm nghèo bền vững"),
            province="Phú Thọ",
            lead=SVN + " tỉnh Phú Thọ",
            partners="Sở Lao động - Thương binh và Xã hội tỉnh Phú Thọ",
            attendees=10,
        ),
        Event(
            event_id="SNV-2025-01",
            start=d(2025, 1, 9),
            type_label=PRESS_CONF,
            title="Họp báo tổng kết công tác đối ngoại năm 2024",
            province="Vĩnh Phúc",
            venue="UBND tỉnh Vĩnh Phúc",
            lead=SVN + " tỉnh Vĩnh Phúc",
            attendees=40,
        ),
        Event(
            event_id="SNV-2025-02",
            start=words(2025, 5, 22),
            end=words(2025, 5, 24),
            type_label=DELEGATION,
            title="Tiếp đoàn phóng viên quốc tế tìm hiểu văn hóa, du lịch vùng lòng hồ Hòa Bình",
            province="Hòa Bình",
            venue="Vùng lòng hồ Hòa Bình",
            lead=SVN + " tỉnh Hòa Bình",
            partners="Sở Văn hóa, Thể thao và Du lịch tỉnh Hòa Bình",
            attendees=14,
            docs="72/2015/NĐ-CP",
        ),
        Event(
            event_id="SNV-2025-03",
            start=dmy(2025, 9, 11, sep="-"),
            type_label=DELEGATION,
            title=(
                "Tiếp đoàn phóng viên báo chí nước ngoài tìm hiểu công tác bảo đảm an sinh xã "
                "hội sau sắp xếp đơn vị hành chính"
            ),
            province="Phú Thọ",
            lead="UBND tỉnh Phú Thọ",
            attendees=11,
        ),
        Event(
            event_id="SNV-2025-04",
            start=dmy(2025, 10, 16, sep="-"),
            type_label="Hội thảo",
            title=(
                'Hội thảo "Hợp tác quốc tế của tỉnh Phú Thọ sau hợp nhất: cơ hội và thách thức"'
            ),
            province="Phú Thọ",
            venue="Trung tâm Hội nghị tỉnh Phú Thọ",
            lead="UBND tỉnh Phú Thọ",
            partners="Bộ Ngoại giao; Liên hiệp các tổ chức hữu nghị tỉnh Phú Thọ",
            mode="Kết hợp",
            points=5,
            attendees=120,
            prov_att=5,
            docs="57-KL/TW; 71-KL/TW",
        ),
    ],
)

VH_OLD = "Sở Thông tin và Truyền thông tỉnh"
VH_NEW = "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ"

SO_VAN_HOA_THONG_TIN = SampleFile(
    name="so-van-hoa-thong-tin.xlsx",
    sheet="Sự kiện",
    unit_line=(
        "Đơn vị: Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ (số liệu trước năm 2025 của Sở "
        "Thông tin và Truyền thông)"
    ),
    columns=ALIAS_COLUMNS,
    signer="Giám đốc",
    events=[
        Event(
            start=dmy(2023, 9, 14),
            type_label=BRIEFING,
            title="Hội nghị cung cấp thông tin cho báo chí định kỳ quý III/2023",
            province="Phú Thọ",
            venue="Hội trường UBND tỉnh Phú Thọ",
            lead=VH_OLD + " Phú Thọ",
            attendees=45,
            docs="09/2017/NĐ-CP",
        ),
        Event(
            start=dmy(2023, 10, 26),
            type_label=TRAINING,
            title="Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người",
            province="Kon Tum",
            venue="Thành phố Kon Tum",
            lead="Bộ Thông tin và Truyền thông",
            partners="UBND tỉnh Kon Tum",
            attendees="gần 200",
            prov_att=19,
            docs="1079/QĐ-TTg; 57-KL/TW",
            topics=(
                "Quán triệt Quyết định 1079/QĐ-TTg; chuyển giao mô hình Hội nghị mẫu cơ chế "
                "cung cấp thông tin cho báo chí"
            ),
            source=SRC_KONTUM,
            notes=(
                "Sự kiện có thật; cán bộ TP Hồ Chí Minh và 18 tỉnh Tây Nguyên, Tây Nam Bộ "
                "(19 tỉnh, thành phố) tham dự"
            ),
        ),
        Event(
            start=dmy(2023, 11, 8, sep="."),
            type_label=PUBLICATION,
            title='Phát hành tờ gấp "Thành tựu bảo đảm quyền con người ở Việt Nam"',
            province="Phú Thọ",
            lead=VH_OLD + " Phú Thọ",
            copies=5000,
            docs="1079/QĐ-TTg",
        ),
        hoabinh_training_2023(
            "Hội nghị tập huấn công tác TTĐN về quyền con người năm 2023",
            dmy(2023, 12, 7),
            "Hoà Bình",
            25,
        ),
        Event(
            start=dmy(2023, 12, 7),
            type_label=BRIEFING,
            title=(
                "Hội nghị mẫu cơ chế cung cấp thông tin cho báo chí về công tác nhân quyền và "
                "thông tin đối ngoại định kỳ"
            ),
            province="Hoà Bình",
            venue="TP Hòa Bình",
            lead="Cục Thông tin đối ngoại, Bộ Thông tin và Truyền thông",
            partners="Văn phòng Thường trực Ban Chỉ đạo Nhân quyền của Chính phủ",
            attendees=120,
            source=SRC_HOABINH_2023,
            notes=(
                "Sự kiện có thật; báo chí không nêu số đại biểu: số 120 là số giả định của dữ "
                "liệu mẫu"
            ),
        ),
        Event(
            start=dmy(2024, 1, 10),
            type_label=BRIEFING,
            title="Hội nghị cung cấp thông tin cho báo chí định kỳ tháng 01/2024",
            province="Phú Thọ",
            venue="Hội trường UBND tỉnh Phú Thọ",
            lead=VH_OLD + " Phú Thọ",
            attendees=50,
            docs="09/2017/NĐ-CP",
        ),
        Event(
            start=d(2024, 3, 14),
            type_label=PUBLICATION,
            title=(
                'Xuất bản ấn phẩm song ngữ Việt - Anh "Phú Thọ - Đất Tổ hội nhập và phát triển"'
            ),
            province="Phú Thọ",
            lead=VH_OLD + " Phú Thọ",
            partners="Sở Ngoại vụ tỉnh Phú Thọ",
            copies=2000,
        ),
        Event(
            start=dmy(2024, 4, 11, sep="."),
            type_label="Tập huấn",
            title="Tập huấn kỹ năng thông tin đối ngoại trên mạng xã hội",
            province="Vĩnh Phúc",
            venue="Hội trường Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc",
            lead=VH_OLD + " Vĩnh Phúc",
            attendees=90,
            docs="57-KL/TW",
        ),
        Event(
            start=dmy(2024, 6, 13),
            type_label=BRIEFING,
            title="Hội nghị cung cấp thông tin cho báo chí 6 tháng đầu năm 2024",
            province="Hòa Bình",
            venue="Hội trường UBND tỉnh Hòa Bình",
            lead=VH_OLD + " Hòa Bình",
            attendees=48,
            docs="09/2017/NĐ-CP",
        ),
        Event(
            start=dmy(2024, 9, 10),
            type_label=SEMINAR,
            title='Hội thảo "Báo chí với công tác thông tin đối ngoại về quyền con người"',
            province="Phú Thọ",
            venue="Điểm cầu chính: Hội trường UBND tỉnh Phú Thọ",
            lead=VH_OLD + " Phú Thọ",
            partners="Hội Nhà báo tỉnh Phú Thọ; Báo Phú Thọ",
            mode="Kết hợp",
            points=3,
            attendees=110,
            prov_att=3,
            docs="57-KL/TW; 1079/QĐ-TTg",
        ),
        Event(
            start=dmy(2024, 10, 24, sep="."),
            type_label=BRIEFING,
            title="Hội nghị cung cấp thông tin cho báo chí định kỳ quý III/2024",
            province="Vĩnh Phúc",
            venue="Hội trường UBND tỉnh Vĩnh Phúc",
            lead=VH_OLD + " Vĩnh Phúc",
            attendees=52,
            docs="09/2017/NĐ-CP",
        ),
        Event(
            start=dmy(2024, 12, 14),
            type_label=PUBLICATION,
            title="Phát hành Bản tin thông tin đối ngoại số cuối năm 2024",
            province="Phú Thọ",
            lead=VH_OLD + " Phú Thọ",
            copies="1 500",
        ),
        Event(
            start=dmy(2025, 3, 18),
            type_label=SEMINAR,
            title='Tọa đàm "Thông tin đối ngoại trong bối cảnh sắp xếp đơn vị hành chính"',
            province="Phú Thọ",
            venue="Hội trường UBND tỉnh Phú Thọ",
            lead=VH_NEW,
            attendees=60,
            docs="57-KL/TW",
        ),
        Event(
            start=dmy(2025, 6, 12),
            type_label=BRIEFING,
            title=(
                "Hội nghị cung cấp thông tin cho báo chí về việc sắp xếp đơn vị hành chính cấp tỉnh"
            ),
            province="Phú Thọ",
            venue="Hội trường UBND tỉnh Phú Thọ",
            lead=VH_NEW,
            partners="Sở Nội vụ tỉnh Phú Thọ",
            attendees=65,
            docs="202/2025/QH15; 09/2017/NĐ-CP",
        ),
        Event(
            start=d(2025, 9, 25),
            type_label=PUBLICATION,
            title='Xuất bản sổ tay "Hỏi - đáp về quyền con người" cho cán bộ cơ sở',
            province="Phú Thọ",
            lead=VH_NEW,
            partners="Công an tỉnh Phú Thọ",
            copies=3000,
            docs="1079/QĐ-TTg",
        ),
        Event(
            start=dmy(2025, 12, 12),
            type_label=BRIEFING,
            title="Hội nghị cung cấp thông tin cho báo chí định kỳ quý IV/2025",
            province="Phú Thọ",
            venue="Trung tâm Hội nghị tỉnh Phú Thọ",
            lead=VH_NEW,
            attendees=47,
            docs="09/2017/NĐ-CP",
        ),
    ],
)

SAMPLES = [BAN_TUYEN_GIAO, CONG_AN_TINH, SO_NGOAI_VU, SO_VAN_HOA_THONG_TIN]


# --------------------------------------------------------------------------------------------
# Writing

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
FONT = "Times New Roman"
NUMERIC_KEYS = {"online_points", "attendees", "provinces_attending", "copies"}
DATE_KEYS = {"start_date", "end_date"}


def _style_header(cell: Any) -> None:
    cell.font = Font(name=FONT, bold=True, size=11)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = BOX
    cell.fill = HEADER_FILL


def _write_events_sheet(ws: Worksheet, sample: SampleFile) -> None:
    cols = sample.columns
    ncols = len(cols)
    last = get_column_letter(ncols)

    # Title block: merged title, unit line, blank row.
    ws["A1"] = TITLE
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 24
    ws["A2"] = sample.unit_line
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=FONT, italic=True, size=12)
    ws["A2"].alignment = Alignment(horizontal="center")

    header_row = 4
    two_rows = any(c.group for c in cols)
    for i, col in enumerate(cols, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if not two_rows:
            ws.cell(header_row, i, col.header)
            _style_header(ws.cell(header_row, i))
            continue
        top, sub = ws.cell(header_row, i), ws.cell(header_row + 1, i)
        if col.group is None:
            top.value = col.header
            ws.merge_cells(f"{letter}{header_row}:{letter}{header_row + 1}")
        else:
            sub.value = col.header
            if i == 1 or cols[i - 2].group != col.group:
                top.value = col.group
                span = sum(1 for c in cols if c.group == col.group)
                end_letter = get_column_letter(i + span - 1)
                ws.merge_cells(f"{letter}{header_row}:{end_letter}{header_row}")
        _style_header(top)
        _style_header(sub)
    if two_rows:
        ws.row_dimensions[header_row].height = 22
        ws.row_dimensions[header_row + 1].height = 44
    else:
        ws.row_dimensions[header_row].height = 44

    first = header_row + (2 if two_rows else 1)
    ws.freeze_panes = ws.cell(first, 3)
    row = first
    for stt, event in enumerate(sample.events, start=1):
        for i, col in enumerate(cols, start=1):
            value = stt if col.key is None else getattr(event, KEY_ATTR[col.key])
            cell = ws.cell(row, i, value)
            cell.font = Font(name=FONT, size=11)
            cell.border = BOX
            if col.key in DATE_KEYS and isinstance(value, dt.datetime):
                cell.number_format = "DD/MM/YYYY"
            if col.key is None or col.key in NUMERIC_KEYS or col.key in DATE_KEYS:
                cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        row += 1
    last_data = row - 1

    # Totals row: "Tổng cộng" merged over the columns up to the title, SUM of attendees.
    title_idx = next(i for i, c in enumerate(cols, start=1) if c.key == "title")
    att_idx = next(i for i, c in enumerate(cols, start=1) if c.key == "attendees")
    ws.cell(row, 1, "Tổng cộng")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=title_idx)
    ws.cell(row, 1).font = Font(name=FONT, bold=True, size=11)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")
    att_letter = get_column_letter(att_idx)
    ws.cell(row, att_idx, f"=SUM({att_letter}{first}:{att_letter}{last_data})")
    ws.cell(row, att_idx).font = Font(name=FONT, bold=True, size=11)
    ws.cell(row, att_idx).alignment = Alignment(horizontal="center")
    for i in range(1, ncols + 1):
        ws.cell(row, i).border = BOX

    # Signature line two rows below.
    sign_row = row + 2
    ws.cell(sign_row, title_idx, "Người lập biểu")
    ws.cell(sign_row, ncols - 1, sample.signer)
    for i in (title_idx, ncols - 1):
        ws.cell(sign_row, i).font = Font(name=FONT, bold=True, size=12)
        ws.cell(sign_row, i).alignment = Alignment(horizontal="center")

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{first - 1}"


def _write_narrative_sheet(ws: Worksheet, rows: Sequence[tuple[str, str, str]]) -> None:
    for i, (header, width) in enumerate(
        (("Kỳ báo cáo", 14), ("Mục", 24), ("Nội dung", 100)), start=1
    ):
        ws.cell(1, i, header)
        _style_header(ws.cell(1, i))
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            cell.font = Font(name=FONT, size=12)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = BOX
    ws.freeze_panes = "A2"


def build_workbook(sample: SampleFile) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sample.sheet
    _write_events_sheet(ws, sample)
    if sample.narrative:
        _write_narrative_sheet(wb.create_sheet("Nội dung"), sample.narrative)
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.title = TITLE
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise ``wb`` reproducibly.

    ``openpyxl.save_workbook`` stamps the current time into the core properties and the zip
    entries, so the writer is driven directly and the archive rewritten with fixed entry times.
    """
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()


def write_samples(out_dirs: Iterable[Path] = OUT_DIRS) -> list[Path]:
    written = []
    for sample in SAMPLES:
        data = workbook_bytes(build_workbook(sample))
        for out in out_dirs:
            out.mkdir(parents=True, exist_ok=True)
            path = out / sample.name
            path.write_bytes(data)
            written.append(path)
    return written


# --------------------------------------------------------------------------------------------
# Independent check: read the workbooks back and compute the expected figures.


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^0-9a-z]+", "", text)


HEADERS = {
    "event_id": ["Mã sự kiện"],
    "start_date": ["Ngày bắt đầu", "Ngày", "Thời gian"],
    "end_date": ["Ngày kết thúc"],
    "event_type": ["Loại hoạt động", "Loại hình", "Hình thức hoạt động"],
    "title": ["Tên hoạt động", "Tên sự kiện", "Nội dung"],
    "province": ["Tỉnh/thành phố", "Tỉnh", "Địa bàn"],
    "venue": ["Địa điểm"],
    "lead_agency": ["Cơ quan chủ trì", "Đơn vị chủ trì"],
    "partners": ["Cơ quan phối hợp"],
    "mode": ["Hình thức", "Hình thức tổ chức"],
    "online_points": ["Số điểm cầu"],
    "attendees": ["Số đại biểu", "Số người tham dự", "Số lượt người"],
    "provinces_attending": ["Số tỉnh, thành phố tham dự"],
    "copies": ["Số ấn phẩm", "Số bản", "Số lượng phát hành"],
    "documents": ["Văn bản quán triệt", "Văn bản triển khai"],
    "topics": ["Chủ đề", "Nội dung chính"],
    "chairs": ["Lãnh đạo chủ trì"],
    "source": ["Nguồn", "Minh chứng", "Link"],
    "reporting_unit": ["Đơn vị báo cáo"],
    "notes": ["Ghi chú"],
}
HEADER_KEY = {fold(h): key for key, hs in HEADERS.items() for h in hs}
REQUIRED = ("start_date", "event_type", "title", "province", "lead_agency")

TYPE_CODES = {
    "training": [TRAINING, "Tập huấn"],
    "press_briefing": [BRIEFING],
    "press_conference": [PRESS_CONF, "Họp báo định kỳ"],
    "seminar": [SEMINAR, "Hội thảo", "Tọa đàm", "Toạ đàm"],
    "delegation": [DELEGATION],
    "publication": [PUBLICATION],
    "other": [OTHER],
}
TYPE_ORDER = list(TYPE_CODES)
TYPE_BY_LABEL = {fold(label): code for code, labels in TYPE_CODES.items() for label in labels}
NEEDS_ATTENDEES = {"training", "press_briefing", "press_conference", "seminar", "delegation"}

# Only the provinces the samples use: recorded name -> current (post-July 2025) province.
PROVINCES = {
    "Phú Thọ": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Vĩnh Phúc": "Phú Thọ",
    "Kon Tum": "Quảng Ngãi",
    "Hà Nội": "Hà Nội",
}
PROVINCE_BY_KEY = {fold(name): current for name, current in PROVINCES.items()}
MODES = {fold(m): m for m in ("Trực tiếp", "Trực tuyến", "Kết hợp")}
# 57-KL/TW, 111-HD/BTGTW | 1079/QĐ-TTg, 47/NQ-CP, 09/2017/NĐ-CP | 202/2025/QH15
DOC_RE = re.compile(r"^\d+(?:-[A-ZĐ]+/[A-ZĐ]+|(?:/\d{4})?/[A-ZĐ]+-[A-ZĐa-z]+|/\d{4}/QH\d+)$")
MERGER = dt.date(2025, 7, 1)


@dataclass
class Row:
    file: str
    sheet: str
    row: int
    values: dict[str, Any]
    start: dt.date | None = None
    end: dt.date | None = None
    type_code: str | None = None
    province_current: str | None = None
    attendees: int | None = None
    attendees_approx: bool = False
    copies: int | None = None
    prov_att: int | None = None
    documents: list[str] = field(default_factory=list)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
    if not m:
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})", text)
    if not m:
        return None
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    return dt.date(year, int(m[2]), int(m[1]))


def parse_number(value: Any) -> tuple[int, bool] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, False
    if isinstance(value, float) and value.is_integer():
        return int(value), False
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    approx = False
    m = re.match(r"^(khoảng|gần|hơn|trên)\s+", text)
    if m:
        approx, text = True, text[m.end() :]
    m = re.fullmatch(r"(\d{1,3}(?:[. ]\d{3})+|\d+)(\s+người)?", text)
    if not m:
        return None
    return int(re.sub(r"[. ]", "", m[1])), approx


def split_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [p.strip() for p in re.split(r"[;\n]", str(value)) if p.strip()]


def _cell_text(value: Any) -> str:
    return "" if value is None else fold(value)


def find_events_sheet(wb: Any) -> Any:
    for ws in wb.worksheets:
        if fold(ws.title) == "sukien":
            return ws
    return wb.worksheets[0]


def read_rows(path: Path, problems: list[str]) -> list[Row]:
    wb = load_workbook(path)  # formulas kept as text, so they can be checked
    ws = find_events_sheet(wb)
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    header_idx = None
    for i, values in enumerate(grid[:30]):
        keys = {HEADER_KEY.get(_cell_text(v)) for v in values}
        if all(k in keys for k in REQUIRED):
            header_idx = i
            break
    if header_idx is None:
        problems.append(f"{path.name}: no header row")
        return []
    top = grid[header_idx]
    sub = grid[header_idx + 1] if header_idx + 1 < len(grid) else []
    two_rows = any(
        v is not None and top[j] is None and HEADER_KEY.get(_cell_text(v))
        for j, v in enumerate(sub)
    )
    columns: dict[int, str] = {}
    for j, v in enumerate(top):
        below = sub[j] if two_rows and j < len(sub) else None
        key = HEADER_KEY.get(_cell_text(below)) if below is not None else None
        key = key or HEADER_KEY.get(_cell_text(v))
        if key:
            columns[j] = key
    first = header_idx + (2 if two_rows else 1)
    rows = []
    for i in range(first, len(grid)):
        values = grid[i]
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        texts = [_cell_text(v) for v in values if v is not None]
        if any(t in ("tongcong", "cong") for t in texts) or any("nguoilapbieu" in t for t in texts):
            break
        record = {key: values[j] for j, key in columns.items() if j < len(values)}
        rows.append(Row(path.name, ws.title, i + 1, record))
    # Formulas: only the totals row's SUM is allowed, anywhere in the workbook.
    for sheet in wb.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    ok = re.fullmatch(r"=SUM\([A-Z]+\d+:[A-Z]+\d+\)", cell.value)
                    label = sheet.cell(cell.row, 1).value
                    if not ok or label != "Tổng cộng":
                        problems.append(f"{path.name}!{cell.coordinate}: formula {cell.value}")
    return rows


def validate(row: Row, problems: list[str]) -> None:
    where = f"{row.file} row {row.row}"
    v = row.values
    for key in REQUIRED:
        if v.get(key) in (None, ""):
            problems.append(f"{where}: missing {key}")
    row.start = parse_date(v.get("start_date"))
    if row.start is None:
        problems.append(f"{where}: bad start date {v.get('start_date')!r}")
    if v.get("end_date") is not None:
        row.end = parse_date(v["end_date"])
        if row.end is None or (row.start and row.end < row.start):
            problems.append(f"{where}: bad end date {v['end_date']!r}")
    row.type_code = TYPE_BY_LABEL.get(_cell_text(v.get("event_type")))
    if row.type_code is None:
        problems.append(f"{where}: unknown type {v.get('event_type')!r}")
    name = re.sub(r"^(tinh|thanhpho|tp)", "", _cell_text(v.get("province")))
    row.province_current = PROVINCE_BY_KEY.get(name)
    if row.province_current is None:
        problems.append(f"{where}: unknown province {v.get('province')!r}")
    for key in ("online_points", "attendees", "provinces_attending", "copies"):
        if v.get(key) is None:
            continue
        parsed = parse_number(v[key])
        if parsed is None:
            problems.append(f"{where}: bad number {key}={v[key]!r}")
            continue
        number, approx = parsed
        if key == "attendees":
            row.attendees, row.attendees_approx = number, approx
        elif key == "copies":
            row.copies = number
        elif key == "provinces_attending":
            row.prov_att = number
            limit = 63 if row.start and row.start < MERGER else 34
            if number > limit:
                problems.append(f"{where}: {number} provinces attending > {limit}")
        if approx and key != "attendees":
            problems.append(f"{where}: approximate {key}")
    if row.type_code in NEEDS_ATTENDEES and row.attendees is None:
        problems.append(f"{where}: attendees required")
    if row.type_code == "publication" and row.copies is None:
        problems.append(f"{where}: copies required")
    mode = v.get("mode")
    if mode is not None and fold(mode) not in MODES:
        problems.append(f"{where}: bad mode {mode!r}")
    if v.get("online_points") is not None and (mode is None or fold(mode) == fold("Trực tiếp")):
        problems.append(f"{where}: online points without online mode")
    row.documents = split_list(v.get("documents"))
    for ref in row.documents:
        if not DOC_RE.match(ref):
            problems.append(f"{where}: odd document reference {ref!r}")
    notes = str(v.get("notes") or "")
    if INVENTED not in notes and not v.get("source"):
        problems.append(f"{where}: neither marked invented nor sourced")
    if INVENTED in notes and v.get("source"):
        problems.append(f"{where}: invented event with a source")


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFC", title).replace("TTĐN", "thông tin đối ngoại")
    text = re.sub(r"\bnăm \d{4}\b", "", text)
    return fold(text)


def merge_duplicates(rows: list[Row], warnings: list[str]) -> list[Row]:
    """Keep the first row of each (start, current province, type) with a close title."""
    kept: list[Row] = []
    for row in rows:
        twin = next(
            (
                k
                for k in kept
                if (k.start, k.province_current, k.type_code)
                == (row.start, row.province_current, row.type_code)
                and difflib.SequenceMatcher(
                    None, _title_key(k.values["title"]), _title_key(row.values["title"])
                ).ratio()
                >= 0.8
            ),
            None,
        )
        if twin is None:
            kept.append(row)
            continue
        for name in ("end", "attendees", "copies", "prov_att", "documents"):
            a, b = getattr(twin, name), getattr(row, name)
            if a != b:
                warnings.append(
                    f"conflict {name}: {a!r} ({twin.file} row {twin.row}) vs "
                    f"{b!r} ({row.file} row {row.row})"
                )
        warnings.append(
            f"duplicate: {row.file} row {row.row} = {twin.file} row {twin.row} (merged)"
        )
    return kept


def window(code: str) -> tuple[dt.date, dt.date]:
    """Reporting window under the 15th-to-14th cut-off rule."""

    def back(year: int, month: int) -> tuple[int, int]:
        return (year - 1, 12) if month == 1 else (year, month - 1)

    m = re.fullmatch(r"(\d{4})-(\d{2})", code)
    if m:
        y, mo = int(m[1]), int(m[2])
        py, pm = back(y, mo)
        return dt.date(py, pm, 15), dt.date(y, mo, 14)
    m = re.fullmatch(r"(\d{4})-Q([1-4])", code)
    if m:
        y, q = int(m[1]), int(m[2])
        py, pm = back(y, 3 * q - 2)
        return dt.date(py, pm, 15), dt.date(y, 3 * q, 14)
    y = int(code)
    return dt.date(y - 1, 12, 15), dt.date(y, 12, 14)


@dataclass
class Figures:
    events: dict[str, int]
    attendees: dict[str, int]
    copies: int
    documents: dict[str, int]  # reference -> number of events, in order of first use
    approximate: bool
    provinces_reached: list[str]
    max_provinces_attending: int | None
    listing: list[Row]

    @property
    def total_events(self) -> int:
        return sum(self.events.values())

    @property
    def total_attendees(self) -> int:
        return sum(self.attendees.values())


def figures(events: list[Row], code: str) -> Figures:
    lo, hi = window(code)
    chosen = [e for e in events if e.start and lo <= e.start <= hi]
    counts = dict.fromkeys(TYPE_ORDER, 0)
    people = dict.fromkeys(TYPE_ORDER, 0)
    docs: dict[str, int] = {}
    for e in chosen:
        assert e.type_code is not None
        counts[e.type_code] += 1
        people[e.type_code] += e.attendees or 0
        for ref in dict.fromkeys(e.documents):
            docs[ref] = docs.get(ref, 0) + 1
    attending = [e.prov_att for e in chosen if e.prov_att is not None]
    return Figures(
        events=counts,
        attendees=people,
        copies=sum(e.copies or 0 for e in chosen),
        documents=docs,
        approximate=any(e.attendees_approx for e in chosen),
        provinces_reached=sorted({e.province_current for e in chosen if e.province_current}),
        max_provinces_attending=max(attending, default=None),
        listing=sorted(chosen, key=lambda e: (e.start, e.file, e.row)),
    )


def check(directory: Path, periods: Sequence[str], listing: bool) -> int:
    problems: list[str] = []
    warnings: list[str] = []
    paths = sorted(directory.glob("*.xlsx"))
    for path in paths:
        twin = OUT_DIRS[0] / path.name if directory != OUT_DIRS[0] else OUT_DIRS[1] / path.name
        if not twin.exists() or twin.read_bytes() != path.read_bytes():
            problems.append(f"{path.name}: differs from {twin}")
    rows: list[Row] = []
    for path in paths:
        rows += read_rows(path, problems)
    for row in rows:
        validate(row, problems)
        if row.attendees_approx:
            warnings.append(
                f"approximate attendees {row.values['attendees']!r} ({row.file} row {row.row})"
            )
    keys = [r.values.get("event_id") for r in rows if r.values.get("event_id")]
    if len(keys) != len(set(keys)):
        problems.append("event ids are not unique")
    events = merge_duplicates(rows, warnings)
    invented = sum(INVENTED in str(r.values.get("notes") or "") for r in rows)

    print(f"files: {', '.join(p.name for p in paths)}")
    for path in paths:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        print(f"  {path.name}: {sum(r.file == path.name for r in rows)} rows, sha256 {digest}")
    print(
        f"rows read {len(rows)} = used {len(events)} + duplicates merged {len(rows) - len(events)}"
        f" (+ 0 errors); real rows {len(rows) - invented}, invented rows {invented}"
    )
    print(
        f"date span {min(e.start for e in events if e.start)} .. "
        f"{max(e.start for e in events if e.start)}"
    )
    for w in warnings:
        print(f"warning: {w}")
    for p in problems:
        print(f"PROBLEM: {p}")

    for code in periods:
        fig = figures(events, code)
        lo, hi = window(code)
        print(f"\n== {code}: {lo:%d/%m/%Y} - {hi:%d/%m/%Y}")
        print(f"   {'type':18} events attendees")
        for t in TYPE_ORDER:
            print(f"   {t:18} {fig.events[t]:6} {fig.attendees[t]:9}")
        approx = " (approximate)" if fig.approximate else ""
        print(f"   {'total':18} {fig.total_events:6} {fig.total_attendees:9}{approx}")
        print(
            f"   copies {fig.copies}; provinces reached (current) "
            f"{', '.join(fig.provinces_reached)}; most provinces attending one event "
            f"{fig.max_provinces_attending}"
        )
        used = ", ".join(f"{ref} ({n})" for ref, n in fig.documents.items())
        print(f"   distinct documents {len(fig.documents)}: {used}")
        if listing:
            for e in fig.listing:
                people = "" if e.attendees is None else f" {e.attendees}"
                print(f"     {e.start:%d/%m/%Y} {e.type_code:16} {e.file}:{e.row}{people}")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="read the written samples back and print figures"
    )
    parser.add_argument(
        "--period",
        action="append",
        help="period code for --check (YYYY-MM, YYYY-Qn, YYYY); default 2023-12, 2023-Q4, 2024",
    )
    parser.add_argument("--list", action="store_true", help="with --check, list each event")
    args = parser.parse_args(argv)
    if args.check:
        periods = args.period or ["2023-12", "2023-Q4", "2024"]
        return check(OUT_DIRS[1], periods, args.list)
    for path in write_samples():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
