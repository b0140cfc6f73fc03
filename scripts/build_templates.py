"""Build reportgen's default templates: report.docx, report-dang.docx and annex.xlsx.

It also builds the English variants report.en.docx and annex.en.xlsx, which reportgen uses
with ``--lang en``: the same layout and fields, only the wording differs (see ``Wording``).
The annex's data sheet stays Vietnamese in both, since it is machine-readable input.

The templates are data that office staff edit later in Word and Excel; this script only makes
their first version, deterministically (fixed document dates, fixed zip timestamps), and writes
each one with identical bytes into ``reportgen/templates/`` (package data) and ``templates/``.

The templates hold Jinja tags only; the names they use are the contract of
``docs/template-fields.md``. Layout rules come from Nghị định 30/2020/NĐ-CP, Phụ lục I (see
``/work/shared/docs/domain.md``) and are described in ``docs/default-templates.md``.

Usage::

    python scripts/build_templates.py             # write the templates into both folders
    python scripts/build_templates.py --selftest  # build in memory, render samples, check them
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.media import Chart
from reportgen.schema import default_schema

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIRS = (ROOT / "reportgen" / "templates", ROOT / "templates")

# Constant document dates and zip timestamps, so that re-running gives the same bytes.
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

FONT = "Times New Roman"
BLACK = RGBColor(0, 0, 0)

# A4 portrait, margins within the ranges of Nghị định 30/2020/NĐ-CP.
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_W_CM = (PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10  # 16.5 cm
HEADER_COLS_CM = (7.0, 9.5)
CLOSING_COLS_CM = (7.0, 9.5)
# Events table of the Word report: (field, width, alignment); the headers are in `Wording`.
EVENT_COLUMNS: tuple[tuple[str, float, WD_ALIGN_PARAGRAPH], ...] = (
    ("{{ e.stt }}", 1.1, WD_ALIGN_PARAGRAPH.CENTER),
    ("{{ e.dates }}", 2.4, WD_ALIGN_PARAGRAPH.CENTER),
    ("{{ e.title }}", 4.4, WD_ALIGN_PARAGRAPH.LEFT),
    ("{{ e.type_label }}", 2.4, WD_ALIGN_PARAGRAPH.LEFT),
    ("{{ e.province_display }}", 2.2, WD_ALIGN_PARAGRAPH.LEFT),
    ("{{ e.lead_agency }}", 2.3, WD_ALIGN_PARAGRAPH.LEFT),
    ("{{ e.attendees_text }}", 1.7, WD_ALIGN_PARAGRAPH.CENTER),
)

# The annex's data sheet: the events in the input format (schema.toml `sheet`, input-format.md).
DATA_SHEET = "Sự kiện"
# Main headers of the events sheet: the default schema's, so the builder never disagrees with it.
INPUT_HEADERS = tuple(column.header for column in default_schema().columns)

# --------------------------------------------------------------------------------------------
# Wording: the only difference between the Vietnamese templates and their English variants
# --------------------------------------------------------------------------------------------


def _en_count(expr: str, one: str, many: str) -> str:
    """``{{ n }} event`` or ``{{ n }} events``, chosen when the template is rendered."""
    return f"{{{{ {expr} }}}} {{% if {expr} == 1 %}}{one}{{% else %}}{many}{{% endif %}}"


@dataclass(frozen=True)
class Wording:
    """What the templates say in words; the layout and the Jinja fields are shared."""

    suffix: str  # inserted before the file extension: "" or ".en"
    language: str  # proofing language of the text and the documents' language property
    # Word report: header block and title
    number_line: str
    date_line: str
    country: str
    motto: str
    motto_rule_cm: float  # as long as the motto at 13 pt bold Times New Roman
    title: str
    # Word report: body
    opening: str
    people: Mapping[
        str, tuple[str, str]
    ]  # sections written by people: key -> (heading, placeholder)
    results: str
    totals: str
    type_line: str
    table_caption: str
    chart_caption: str  # above the chart of events by type ({{ charts.by_type }})
    event_headers: tuple[str, ...]  # one per EVENT_COLUMNS
    no_events: str
    documents_label: str
    compare_line: str  # comparison with the previous period and the same period a year earlier
    # Scope national/region: provinces heard from, by region, by province, not submitted
    area_intro: str
    area_region_line: str
    area_caption: str
    area_headers: tuple[str, ...]  # one per AREA_COLUMNS
    area_missing: str
    quality: str
    recipients: str
    doc_title: str
    doc_subject: str
    doc_comments: str
    # Excel annex (the data sheet `Sự kiện` keeps INPUT_HEADERS in every language)
    summary_sheet: str
    list_sheet: str
    annex_title: str
    figures_title: str
    summary_headers: tuple[str, ...]
    summary_chart_title: str
    total: str
    list_title: str
    list_headers: tuple[str, ...]  # one per LIST_COLUMNS
    annex_doc_title: str
    # Excel annex: the sheet by region and current province
    area_sheet: str
    area_title: str
    area_region_title: str
    area_region_headers: tuple[str, ...]
    area_province_title: str
    area_province_headers: tuple[str, ...]
    area_missing_cell: str
    # Column widths of the events table when the headers need others than EVENT_COLUMNS'.
    event_widths: tuple[float, ...] = ()
    # Filter for numbers in tables: `so` gives `1.234`, which reads as a decimal in English.
    number_filter: str = "|so"

    def name(self, base: str) -> str:
        """``report.docx`` -> ``report.en.docx`` for the English wording."""
        stem, ext = base.rsplit(".", 1)
        return f"{stem}{self.suffix}.{ext}"


VI = Wording(
    suffix="",
    language="vi-VN",
    number_line="{{ report.number_line }}",
    date_line="{{ report.date_line }}",
    country="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    motto="Độc lập - Tự do - Hạnh phúc",
    motto_rule_cm=5.9,
    title="BÁO CÁO",
    opening=(
        "Thực hiện chế độ báo cáo định kỳ, Ban Chỉ đạo báo cáo kết quả công tác "
        "{{ period.label }} như sau:"
    ),
    people={
        "general": (
            "I. TÌNH HÌNH CHUNG, CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
            "[Đề nghị bổ sung nội dung: tình hình chung, công tác lãnh đạo, chỉ đạo trong kỳ]",
        ),
        "limitations": (
            "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
            "[Đề nghị bổ sung nội dung: tồn tại, hạn chế và nguyên nhân]",
        ),
        "directions": (
            "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
            "[Đề nghị bổ sung nội dung: phương hướng, nhiệm vụ kỳ tới]",
        ),
        "proposals": (
            "V. ĐỀ XUẤT, KIẾN NGHỊ",
            "[Đề nghị bổ sung nội dung: đề xuất, kiến nghị]",
        ),
    },
    results="II. KẾT QUẢ THỰC HIỆN",
    totals=(
        "Trong kỳ, các cơ quan, đơn vị thành viên đã tổ chức {{ totals.events|so }} hoạt động "
        "với {{ totals.attendees|so }} lượt đại biểu tham dự, tại "
        "{{ totals.provinces_reached|so }} tỉnh, thành phố; quán triệt "
        "{{ totals.documents|so }} văn bản."
    ),
    type_line=(
        "- {{ t.label }}: {{ t.events|so }} hoạt động, {{ t.attendees|so }} lượt người"
        "{% if t.copies %}, {{ t.copies|so }} bản ấn phẩm{% endif %}"
        "{% if loop.last %}.{% else %};{% endif %}"
    ),
    table_caption="Bảng 1. Danh sách hoạt động trong kỳ",
    chart_caption="Biểu đồ 1. Số hoạt động theo loại",
    event_headers=(
        "STT",
        "Thời gian",
        "Tên hoạt động",
        "Loại hình",
        "Địa bàn",
        "Cơ quan chủ trì",
        "Số đại biểu",
    ),
    no_events="Trong kỳ chưa ghi nhận hoạt động nào.",
    documents_label="Văn bản được quán triệt",
    compare_line=(
        "So với kỳ trước và cùng kỳ năm trước: {{ compare.previous.text }}"
        "{% if compare.year_ago.code != compare.previous.code %}; "
        "{{ compare.year_ago.text }}{% endif %}."
    ),
    area_intro=(
        "Đã tổng hợp báo cáo của {{ submitted_provinces|length }}/"
        "{{ submitted_provinces|length + missing_provinces|length }} tỉnh, thành phố"
        "{% if scope == 'region' %} vùng {{ selected_region }}{% endif %}. "
        "Kết quả theo vùng:"
    ),
    area_region_line=(
        "- {{ r.name }}: {{ r.events|so }} hoạt động, {{ r.attendees|so }} lượt đại biểu"
        "{% if r.provinces %} ({{ r.provinces_text }}){% endif %}"
        "{% if loop.last %}.{% else %};{% endif %}"
    ),
    area_caption="Bảng 2. Số liệu theo tỉnh, thành phố",
    area_headers=("STT", "Tỉnh, thành phố", "Vùng", "Số hoạt động", "Số lượt đại biểu"),
    area_missing=(
        "Các tỉnh, thành phố chưa gửi báo cáo ({{ missing_provinces|length }}): "
        "{{ missing_provinces|join(', ') }}."
    ),
    quality=(
        "Ghi chú về số liệu: đã đọc {{ quality.read|so }} dòng từ {{ quality.files|so }} tệp; "
        "sử dụng {{ quality.used|so }}; {{ quality.invalid|so }} dòng lỗi bị loại; "
        "{{ quality.duplicates|so }} dòng trùng đã gộp"
        "{% if totals.approximate %}; một số số đại biểu là số ước tính{% endif %}."
    ),
    recipients="Nơi nhận:",
    doc_title="Báo cáo định kỳ",
    doc_subject="Mẫu báo cáo mặc định của reportgen",
    doc_comments="Mẫu mặc định; có thể sửa trong Word, giữ nguyên các thẻ Jinja.",
    summary_sheet="Tổng hợp",
    list_sheet="Danh sách",
    annex_title="PHỤ LỤC",
    figures_title="SỐ LIỆU HOẠT ĐỘNG {{ period.label|upper }}",
    summary_headers=("STT", "Loại hoạt động", "Số hoạt động", "Số đại biểu", "Số ấn phẩm"),
    summary_chart_title="Số hoạt động theo loại",
    total="Tổng cộng",
    list_title="DANH SÁCH HOẠT ĐỘNG {{ period.label|upper }}",
    list_headers=(
        "STT",
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Loại hoạt động",
        "Tên hoạt động",
        "Tỉnh/thành phố",
        "Tỉnh/thành phố hiện nay",
        "Vùng",
        "Cơ quan chủ trì",
        "Số đại biểu",
        "Số tỉnh, thành phố tham dự",
        "Số ấn phẩm",
        "Văn bản quán triệt",
    ),
    annex_doc_title="Phụ lục số liệu",
    area_sheet="Theo địa bàn",
    area_title="SỐ LIỆU THEO VÙNG, TỈNH, THÀNH PHỐ {{ period.label|upper }}",
    area_region_title="I. THEO VÙNG",
    area_region_headers=(
        "STT",
        "Vùng",
        "Tỉnh, thành phố có hoạt động",
        "Số hoạt động",
        "Số đại biểu",
    ),
    area_province_title="II. THEO TỈNH, THÀNH PHỐ (ĐỊA GIỚI HIỆN NAY)",
    area_province_headers=("STT", "Tỉnh, thành phố", "Vùng", "Số hoạt động", "Số đại biểu"),
    area_missing_cell=(
        "{% if missing_provinces %}Các tỉnh, thành phố chưa gửi báo cáo "
        "({{ missing_provinces|length }}): {{ missing_provinces|join(', ') }}{% endif %}"
    ),
)

# English: numbers are shown without the `so` filter, whose `1.234` reads as a decimal in
# English; the header shows the place and `dd/mm/yyyy` date instead of the Vietnamese date
# line, and `No.` instead of `Số:`. The context itself is the same in both languages.
EN = Wording(
    suffix=".en",
    language="en-GB",
    number_line='{{ report.number_line|replace("Số:", "No.") }}',
    date_line="{% if org.place %}{{ org.place }}, {% endif %}{{ report.date|ngay }}",
    country="SOCIALIST REPUBLIC OF VIET NAM",
    motto="Independence - Freedom - Happiness",
    motto_rule_cm=7.6,
    title="REPORT",
    opening=(
        "In accordance with the periodic reporting regime, the Steering Committee reports on "
        "its work for {{ period.label }} as follows:"
    ),
    people={
        "general": (
            "I. GENERAL SITUATION, LEADERSHIP AND DIRECTION",
            "[Please add: general situation, leadership and direction in the period]",
        ),
        "limitations": (
            "III. SHORTCOMINGS AND CAUSES",
            "[Please add: shortcomings and their causes]",
        ),
        "directions": (
            "IV. TASKS FOR THE NEXT PERIOD",
            "[Please add: directions and tasks for the next period]",
        ),
        "proposals": (
            "V. PROPOSALS",
            "[Please add: proposals and recommendations]",
        ),
    },
    results="II. RESULTS",
    totals=(
        "During the period, the member agencies and units held "
        + _en_count("totals.events", "activity", "activities")
        + " attended by "
        + _en_count("totals.attendees", "participant", "participants")
        + " in "
        + _en_count("totals.provinces_reached", "province or city", "provinces and cities")
        + "; "
        + _en_count("totals.documents", "document was", "documents were")
        + " disseminated."
    ),
    type_line=(
        "- {{ t.label }}: "
        + _en_count("t.events", "activity", "activities")
        + ", "
        + _en_count("t.attendees", "participant", "participants")
        + "{% if t.copies %}, {{ t.copies }} copies published{% endif %}"
        "{% if loop.last %}.{% else %};{% endif %}"
    ),
    table_caption="Table 1. Activities in the period",
    chart_caption="Chart 1. Activities by type",
    event_headers=("No.", "Date", "Activity", "Type", "Province", "Lead agency", "Attendees"),
    # `Attendees` (1.8 cm at 12 pt bold) does not fit the 1.7 cm column: take from No. and Activity.
    event_widths=(1.0, 2.4, 4.2, 2.4, 2.2, 2.2, 2.1),
    number_filter="",
    no_events="No activities were recorded in the period.",
    documents_label="Documents disseminated",
    compare_line=(
        "Compared with the previous period and the same period a year earlier: "
        "{{ compare.previous.text }}"
        "{% if compare.year_ago.code != compare.previous.code %}; "
        "{{ compare.year_ago.text }}{% endif %}."
    ),
    area_intro=(
        "Reports were received from {{ submitted_provinces|length }} of "
        "{{ submitted_provinces|length + missing_provinces|length }} provinces and cities"
        "{% if scope == 'region' %} of the region {{ selected_region }}{% endif %}. "
        "Results by region:"
    ),
    area_region_line=(
        "- {{ r.name }}: "
        + _en_count("r.events", "activity", "activities")
        + ", "
        + _en_count("r.attendees", "participant", "participants")
        + "{% if r.provinces %} ({{ r.provinces_text }}){% endif %}"
        "{% if loop.last %}.{% else %};{% endif %}"
    ),
    area_caption="Table 2. Figures by province",
    area_headers=("No.", "Province or city", "Region", "Activities", "Participants"),
    area_missing=(
        "Provinces and cities that have not submitted a report "
        "({{ missing_provinces|length }}): {{ missing_provinces|join(', ') }}."
    ),
    quality=(
        "Note on the figures: "
        + _en_count("quality.read", "row", "rows")
        + " read from "
        + _en_count("quality.files", "file", "files")
        + "; {{ quality.used }} used; "
        + _en_count("quality.invalid", "invalid row", "invalid rows")
        + " left out; "
        + _en_count("quality.duplicates", "duplicate row", "duplicate rows")
        + " merged"
        "{% if totals.approximate %}; some attendance figures are estimates{% endif %}."
    ),
    recipients="Recipients:",
    doc_title="Periodic report",
    doc_subject="reportgen default report template (English)",
    doc_comments="Default template; it can be edited in Word as long as the Jinja tags are kept.",
    summary_sheet="Summary",
    list_sheet="Events",
    annex_title="ANNEX",
    figures_title="ACTIVITY FIGURES, {{ period.label|upper }}",
    summary_headers=("No.", "Activity type", "Activities", "Attendees", "Copies published"),
    summary_chart_title="Activities by type",
    total="Total",
    list_title="LIST OF ACTIVITIES, {{ period.label|upper }}",
    list_headers=(
        "No.",
        "Start date",
        "End date",
        "Activity type",
        "Activity",
        "Province",
        "Current province",
        "Region",
        "Lead agency",
        "Attendees",
        "Provinces attending",
        "Copies published",
        "Documents disseminated",
    ),
    annex_doc_title="Data annex",
    area_sheet="By region and province",
    area_title="FIGURES BY REGION AND PROVINCE, {{ period.label|upper }}",
    area_region_title="I. BY REGION",
    area_region_headers=(
        "No.",
        "Region",
        "Provinces and cities with activities",
        "Activities",
        "Attendees",
    ),
    area_province_title="II. BY PROVINCE OR CITY (CURRENT BOUNDARIES)",
    area_province_headers=("No.", "Province or city", "Region", "Activities", "Attendees"),
    area_missing_cell=(
        "{% if missing_provinces %}Provinces and cities that have not submitted a report "
        "({{ missing_provinces|length }}): {{ missing_provinces|join(', ') }}{% endif %}"
    ),
)
WORDINGS = (VI, EN)


# --------------------------------------------------------------------------------------------
# Word helpers
# --------------------------------------------------------------------------------------------

# Elements that may follow w:pBdr inside w:pPr (ECMA-376 order); used to insert it correctly.
_PBDR_SUCCESSORS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _set_rfonts(rpr: Any) -> None:
    """Times New Roman for every script slot, replacing any theme font."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)


def _set_child(parent: Any, tag: str, **attrs: str) -> Any:
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    for key, value in attrs.items():
        child.set(qn(key), value)
    return child


def _setup_styles(doc: DocxDocument, words: Wording) -> None:
    """Normal style: TNR 14 pt black, justified, 1.27 cm first-line indent, 6 pt after, 1.15."""
    # Document defaults first, so that styles based on no style also get TNR and the language.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _set_rfonts(rpr)
    _set_child(rpr, "w:sz", **{"w:val": "28"})
    _set_child(rpr, "w:szCs", **{"w:val": "28"})
    _set_child(rpr, "w:lang", **{"w:val": words.language, "w:eastAsia": "en-US", "w:bidi": "ar-SA"})

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.font.color.rgb = BLACK
    _set_rfonts(normal.element.get_or_add_rPr())
    _set_child(normal.element.get_or_add_rPr(), "w:szCs", **{"w:val": "28"})
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Cm(1.27)
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.15
    pf.widow_control = True

    header_style = doc.styles["Header"]
    header_style.font.name = FONT
    header_style.font.size = Pt(13)


def _setup_page(doc: DocxDocument) -> None:
    """A4 portrait with the administrative margins; page number centred from page 2 on."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_W_MM)
    section.page_height = Mm(PAGE_H_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    # titlePg: the first page uses its own (empty) header, so it shows no number.
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    _format(first, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)

    para = section.header.paragraphs[0]
    _format(para, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _add_field(para, "PAGE", "2", size=13)


def _add_field(para: Paragraph, instruction: str, shown: str, *, size: float) -> None:
    """A complex field (w:fldChar), the form Word itself writes for PAGE."""

    def run_with(child: Any) -> None:
        run = para.add_run()
        run.font.size = Pt(size)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    shown_run = para.add_run(shown)
    shown_run.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _format(
    para: Paragraph,
    *,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    line: float | None = 1.0,
    keep_next: bool = False,
) -> None:
    """Paragraph formatting for everything that is not plain body text."""
    pf = para.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Cm(1.27) if indent else Cm(0)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE if line == 1.0 else WD_LINE_SPACING.MULTIPLE
        if line != 1.0:
            pf.line_spacing = line
    if keep_next:
        pf.keep_with_next = True
    if size is not None:
        # Size of the paragraph mark too, so an empty paragraph keeps the intended height.
        ppr = para._p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
        _set_child(rpr, "w:sz", **{"w:val": str(int(size * 2))})
        _set_child(rpr, "w:szCs", **{"w:val": str(int(size * 2))})


def _text(
    container: Any,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    caps: bool = False,
    highlight: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    line: float | None = 1.0,
    keep_next: bool = False,
) -> Paragraph:
    """Add one paragraph with a single run, formatted directly (not through a style)."""
    para = container.add_paragraph()
    _format(
        para,
        size=size,
        align=align,
        indent=indent,
        before=before,
        after=after,
        line=line,
        keep_next=keep_next,
    )
    if text:
        run = para.add_run(text)
        font = run.font
        font.size = Pt(size)
        font.bold = bold or None
        font.italic = italic or None
        font.underline = underline or None
        font.all_caps = caps or None
        if highlight:
            font.highlight_color = WD_COLOR_INDEX.YELLOW
    return para


def _body(container: Any, text: str, *, italic: bool = False, size: float = 14) -> Paragraph:
    """A body paragraph: Normal style (justified, indented, 6 pt after, 1.15)."""
    para = container.add_paragraph()
    run = para.add_run(text)
    if italic:
        run.font.italic = True
    if size != 14:
        run.font.size = Pt(size)
    return para


def _tag(container: Any, tag: str) -> Paragraph:
    """A paragraph holding only a docxtpl `{%p ... %}` tag; docxtpl removes the paragraph."""
    para = container.add_paragraph()
    para.add_run(tag)
    return para


def _heading(container: Any, text: str) -> Paragraph:
    return _text(
        container,
        text,
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        before=6,
        after=6,
        line=1.15,
        keep_next=True,
    )


def _rule(container: Any, length_cm: float, box_cm: float, *, after: float = 0) -> Paragraph:
    """A short centred horizontal rule: the bottom border of an empty, narrow paragraph.

    A paragraph border spans the paragraph between its indents, so equal left and right
    indents give a centred line of the wanted length that Word and LibreOffice both draw.
    """
    side = max((box_cm - length_cm) / 2, 0)
    para = container.add_paragraph()
    _format(para, size=2, align=WD_ALIGN_PARAGRAPH.CENTER, after=after)
    pf = para.paragraph_format
    pf.left_indent = Cm(side)
    pf.right_indent = Cm(side)
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    border.append(bottom)
    ppr.insert_element_before(border, *_PBDR_SUCCESSORS)
    return para


def _fixed_table(
    container: Any, rows: int, widths_cm: Sequence[float], *, pad_cm: float = 0.1
) -> Table:
    """A table with a fixed layout and explicit column widths (Word ignores grid-only widths).

    `pad_cm` is the left and right cell margin; narrower than Word's 0.19 cm so that short
    columns (STT, dates) and the header's issuing body fit on one line.
    """
    table = container.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # writes w:tblLayout type="fixed"
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        mar = OxmlElement(side)
        mar.set(qn("w:w"), str(round(pad_cm / 2.54 * 1440)))
        mar.set(qn("w:type"), "dxa")
        margins.append(mar)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    tbl_w = tbl_pr.find(qn("w:tblW"))  # python-docx always writes one
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(sum(widths_cm) / 2.54 * 1440)))
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)
        for cell in col.cells:
            cell.width = Cm(width)
    return table


def _clear_cell(cell: _Cell) -> _Cell:
    """Remove the empty paragraph python-docx puts in a new cell (we add our own)."""
    for p in list(cell._tc.iter(qn("w:p"))):
        p.getparent().remove(p)
    return cell


def _mark_header_row(table: Table, row_index: int) -> None:
    """Repeat the row at the top of every page and keep it on one page."""
    tr_pr = table.rows[row_index]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    tr_pr.append(OxmlElement("w:tblHeader"))


def _cant_split(table: Table, row_index: int) -> None:
    tr_pr = table.rows[row_index]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


# --------------------------------------------------------------------------------------------
# Word report
# --------------------------------------------------------------------------------------------

HeaderRight = Callable[[_Cell, float, Wording], None]


def _header_left(cell: _Cell, box: float, words: Wording, *, party: bool) -> None:
    _text(cell, "{{ org.parent_body }}", size=13, caps=True)
    _text(cell, "{{ org.name }}", size=13, bold=True)
    if party:
        # Party documents mark the issuing body with a star instead of a rule.
        _text(cell, "*", size=13)
    else:
        _rule(cell, 2.5, box)
    _text(cell, words.number_line, size=13, before=6)


def _header_right_state(cell: _Cell, box: float, words: Wording) -> None:
    _text(cell, words.country, size=12, bold=True)
    _text(cell, words.motto, size=13, bold=True)
    _rule(cell, words.motto_rule_cm, box)
    _text(cell, words.date_line, size=14, italic=True, before=6)


def _header_right_party(cell: _Cell, box: float, words: Wording) -> None:
    _text(cell, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True)
    _text(cell, "", size=12)
    _text(cell, words.date_line, size=14, italic=True, before=6)


def _people_section(doc: DocxDocument, key: str, words: Wording) -> None:
    heading, placeholder = words.people[key]
    _heading(doc, heading)
    _tag(doc, f"{{%p for para in sections.{key} %}}")
    _body(doc, "{{ para }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, f"{{%p if not sections.{key} %}}")
    para = doc.add_paragraph()
    run = para.add_run(placeholder)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    _tag(doc, "{%p endif %}")


Column = tuple[str, float, WD_ALIGN_PARAGRAPH]


def _loop_table(
    doc: DocxDocument,
    loop: str,
    columns: Sequence[Column],
    headers: Sequence[str],
    widths: Sequence[float] = (),
) -> Table:
    """A table with a header row and one row repeated by docxtpl for each item of ``loop``."""
    widths = widths or [c[1] for c in columns]
    assert round(sum(widths), 2) == TEXT_W_CM and len(widths) == len(columns)
    table = _fixed_table(doc, 4, widths)
    table.style = doc.styles["Table Grid"]
    header, loop_start, data, loop_end = table.rows

    for cell, label in zip(header.cells, headers, strict=True):
        _clear_cell(cell)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _text(cell, label, size=12, bold=True, before=2, after=2)
    _mark_header_row(table, 0)

    # docxtpl replaces the whole row that holds a {%tr %} tag by the bare Jinja tag, so the
    # tags sit in rows of their own around the data row. Merged, so staff can read them.
    for row, tag in ((loop_start, f"{{%tr for {loop} %}}"), (loop_end, "{%tr endfor %}")):
        merged = row.cells[0].merge(row.cells[-1])
        _clear_cell(merged)
        _text(merged, tag, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)

    for cell, (expr, _, align) in zip(data.cells, columns, strict=True):
        _clear_cell(cell)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _text(cell, expr, size=12, align=align, before=2, after=2)
    _cant_split(table, 2)
    return table


def _events_table(doc: DocxDocument, words: Wording) -> None:
    _loop_table(doc, "e in events", EVENT_COLUMNS, words.event_headers, words.event_widths)


def _area_columns(words: Wording) -> tuple[Column, ...]:
    """The table by current province of the Word report (scope national/region)."""
    number = words.number_filter
    return (
        ("{{ loop.index }}", 1.1, WD_ALIGN_PARAGRAPH.CENTER),
        ("{{ p.name }}", 4.4, WD_ALIGN_PARAGRAPH.LEFT),
        ("{{ p.region }}", 6.0, WD_ALIGN_PARAGRAPH.LEFT),
        (f"{{{{ p.events{number} }}}}", 2.5, WD_ALIGN_PARAGRAPH.CENTER),
        (f"{{{{ p.attendees{number} }}}}", 2.5, WD_ALIGN_PARAGRAPH.CENTER),
    )


def _area_block(doc: DocxDocument, words: Wording) -> None:
    """Scope national/region: who has submitted, figures by region and by province, who has not.

    Nothing of it shows in a province's own report (``scope`` is ``province``).
    """
    _tag(doc, '{%p if scope != "province" %}')
    _body(doc, words.area_intro)
    _tag(doc, '{%p for r in by_region if scope == "national" or r.name == selected_region %}')
    _body(doc, words.area_region_line)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if by_province %}")
    _text(doc, words.area_caption, size=13, bold=True, before=6, after=6, keep_next=True)
    _loop_table(doc, "p in by_province", _area_columns(words), words.area_headers)
    _text(doc, "", size=6)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if missing_provinces %}")
    _body(doc, words.area_missing)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")


def _chart(doc: DocxDocument, words: Wording) -> None:
    """The caption, a line break, then the native chart of events by type
    (reportgen.media.Chart), centred without the body's first-line indent.

    One paragraph kept on one page: LibreOffice does not move a "keep with next" caption
    to the next page along with a chart too tall for the rest of the page, so a caption
    in a paragraph of its own could be left behind at the foot of the page.
    """
    para = _text(doc, words.chart_caption, size=13, bold=True, before=6, after=6)
    para.paragraph_format.keep_together = True
    para.add_run().add_break()
    para.add_run("{{ charts.by_type }}")


def _closing(doc: DocxDocument, words: Wording) -> None:
    table = _fixed_table(doc, 1, CLOSING_COLS_CM)
    left, right = (_clear_cell(c) for c in table.rows[0].cells)
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    _text(left, words.recipients, size=12, bold=True, italic=True, align=left_align)
    _tag(left, "{%p for r in org.recipients %}")
    _text(left, "- {{ r }};", size=11, align=left_align)
    _tag(left, "{%p endfor %}")
    _text(left, "- {{ org.archive }}.", size=11, align=left_align)

    _text(right, "{{ org.signer.authority }}", size=14, bold=True)
    _text(right, "{{ org.signer.title }}", size=14, bold=True)
    for _ in range(4):
        _text(right, "", size=14)
    _text(right, "{{ org.signer.name }}", size=14, bold=True)


def build_report(*, party: bool, words: Wording = VI) -> bytes:
    """The Word report; `party` selects the Party header, `words` the language of the text."""
    doc = Document()
    _setup_styles(doc, words)
    _setup_page(doc)
    for para in doc.paragraphs:  # start from an empty body whatever the base template holds
        para._p.getparent().remove(para._p)

    # Header block: two borderless columns.
    head = _fixed_table(doc, 1, HEADER_COLS_CM, pad_cm=0.05)
    left, right = (_clear_cell(c) for c in head.rows[0].cells)
    _header_left(left, HEADER_COLS_CM[0] - 0.1, words, party=party)
    right_builder: HeaderRight = _header_right_party if party else _header_right_state
    right_builder(right, HEADER_COLS_CM[1] - 0.1, words)

    # Title and summary line.
    _text(doc, words.title, size=14, bold=True, caps=True, before=18)
    _text(doc, "{{ report.subject }}", size=14, bold=True)
    _rule(doc, 3.5, TEXT_W_CM, after=12)

    _body(doc, words.opening)
    _body(doc, "{{ period.window_text }}.", italic=True)

    _people_section(doc, "general", words)

    _heading(doc, words.results)
    _body(doc, words.totals)
    _tag(doc, "{%p for t in by_type %}")
    _body(doc, words.type_line)

    _tag(doc, "{%p endfor %}")
    _body(doc, words.compare_line)
    _tag(doc, "{%p if events %}")
    _chart(doc, words)
    _text(
        doc,
        words.table_caption,
        size=13,
        bold=True,
        before=6,
        after=6,
        keep_next=True,
    )
    _events_table(doc, words)
    _text(doc, "", size=6)
    _tag(doc, "{%p else %}")
    _body(doc, words.no_events)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if documents %}")
    _body(
        doc,
        (
            words.documents_label + ": {% for d in documents %}{{ d.ref }}"
            "{% if not loop.last %}; {% endif %}{% endfor %}."
        ),
    )
    _tag(doc, "{%p endif %}")
    _area_block(doc, words)
    _body(doc, words.quality, italic=True, size=12)

    for key in ("limitations", "directions", "proposals"):
        _people_section(doc, key, words)

    _text(doc, "", size=12)
    _closing(doc, words)
    _text(doc, "", size=2)

    _fix_core_properties(doc, words, title=words.doc_title + (" (Đảng)" if party else ""))
    out = io.BytesIO()
    doc.save(out)
    return normalise_zip(out.getvalue())


def _fix_core_properties(doc: DocxDocument, words: Wording, *, title: str) -> None:
    props = doc.core_properties
    # docxtpl renders these properties through Jinja too: they must hold no tags.
    props.title = title
    props.subject = words.doc_subject
    props.author = "reportgen"
    props.comments = words.doc_comments
    props.keywords = "reportgen"
    props.last_modified_by = "reportgen"
    props.language = words.language
    props.category = ""
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    # python-docx's default template carries a thumbnail of a blank page; drop it.
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(rid)


# --------------------------------------------------------------------------------------------
# Excel annex
# --------------------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
XL_FONT = Font(name=FONT, size=12)
XL_BOLD = Font(name=FONT, size=12, bold=True)
XL_TITLE = Font(name=FONT, size=14, bold=True)
XL_ITALIC = Font(name=FONT, size=12, italic=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
NUMBER = "#,##0"
DATE = "dd/mm/yyyy"


def _title_rows(ws: Worksheet, rows: Sequence[tuple[str, Font]], last_col: int) -> None:
    for index, (text, font) in enumerate(rows, start=1):
        ws.cell(index, 1, text).font = font
        ws.cell(index, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=index, start_column=1, end_row=index, end_column=last_col)


def _header_row(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row, col, text)
        cell.font = XL_BOLD
        cell.alignment = CENTER
        cell.border = BOX


def _loop_row(
    ws: Worksheet, row: int, loop: str, exprs: Sequence[str], formats: dict[int, str]
) -> None:
    """The repeated row: the `{%tr for %}` tag opens the first cell, `{%tr endfor %}` ends
    the last one (reportgen's xlsx renderer contract, docs/template-fields.md)."""
    last = len(exprs)
    for col, expr in enumerate(exprs, start=1):
        text = expr
        if col == 1:
            text = loop + text
        if col == last:
            text = text + "{%tr endfor %}"
        cell = ws.cell(row, col, text)
        cell.font = XL_FONT
        cell.border = BOX
        fmt = formats.get(col)
        if fmt:
            cell.number_format = fmt
        cell.alignment = CENTER if fmt == DATE or col == 1 else (RIGHT if fmt else LEFT)


def _print_setup(ws: Worksheet, *, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows


def _total_row(ws: Worksheet, row: int, label: str, loop_row: int, columns: Sequence[int]) -> None:
    """`Tổng cộng` in column B and a SUM over the loop row (widened when rendered)."""
    ws.cell(row, 1).border = BOX
    total = ws.cell(row, 2, label)
    total.font = XL_BOLD
    total.alignment = CENTER
    total.border = BOX
    for col in range(3, max(columns) + 1):
        cell = ws.cell(row, col)
        cell.border = BOX
        if col not in columns:
            continue
        letter = get_column_letter(col)
        cell.value = f"=SUM({letter}{loop_row}:{letter}{loop_row})"
        cell.font = XL_BOLD
        cell.number_format = NUMBER
        cell.alignment = RIGHT


def _sheet_summary(ws: Worksheet, words: Wording) -> None:
    _title_rows(
        ws,
        [
            (words.annex_title, XL_TITLE),
            (words.figures_title, XL_TITLE),
            ("{{ period.window_text }}", XL_ITALIC),
            ("{{ org.name }}", XL_BOLD),
        ],
        5,
    )
    header_row, loop_row, total_row = 6, 7, 8
    _header_row(ws, header_row, words.summary_headers)
    _loop_row(
        ws,
        loop_row,
        "{%tr for t in by_type %}",
        [
            "{{ loop.index }}",
            "{{ t.label }}",
            "{{ t.events }}",
            "{{ t.attendees }}",
            "{{ t.copies }}",
        ],
        {3: NUMBER, 4: NUMBER, 5: NUMBER},
    )
    _total_row(ws, total_row, words.total, loop_row, (3, 4, 5))
    for letter, width in zip("ABCDE", (7, 42, 15, 15, 15), strict=True):
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[header_row].height = 32
    _summary_chart(ws, words, header_row, loop_row)
    _print_setup(ws)


# Where the chart of events by type starts: two rows below the total row (moved down with it).
SUMMARY_CHART_ANCHOR = "B10"


def _summary_chart(ws: Worksheet, words: Wording, header_row: int, loop_row: int) -> None:
    """A native bar chart of events by type. Its data is the loop row (C7, B7 for the labels);
    the renderer widens it over every rendered type row, like the SUM below the table."""
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: the type labels are long
    chart.title = words.summary_chart_title
    chart.legend = None
    chart.varyColors = False
    data = Reference(ws, min_col=3, min_row=header_row, max_row=loop_row)
    chart.add_data(data, titles_from_data=True)
    labels = Reference(ws, min_col=2, min_row=loop_row, max_row=loop_row)
    chart.series[0].cat = AxDataSource(strRef=StrRef(f=str(labels)))  # text labels, not numbers
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first type at the top, as in the table
    chart.y_axis.crosses = "max"  # and the value axis at the bottom
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 22, 9
    ws.add_chart(chart, SUMMARY_CHART_ANCHOR)


# Rows of the sheet by region and province: the region table, then the province table.
AREA_REGION_LOOP, AREA_PROVINCE_LOOP, AREA_MISSING = 7, 12, 15


def _sheet_area(ws: Worksheet, words: Wording) -> None:
    """By region (the six, in order) and by current province; who has not submitted."""
    _title_rows(
        ws,
        [
            (words.area_title, XL_TITLE),
            ("{{ period.window_text }}", XL_ITALIC),
            ("{{ org.name }}", XL_BOLD),
        ],
        5,
    )
    numbers = {4: NUMBER, 5: NUMBER}
    tables = (
        (
            words.area_region_title,
            words.area_region_headers,
            AREA_REGION_LOOP,
            "{%tr for r in by_region %}",
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.provinces_text }}"],
            ["{{ r.events }}", "{{ r.attendees }}"],
        ),
        (
            words.area_province_title,
            words.area_province_headers,
            AREA_PROVINCE_LOOP,
            "{%tr for p in by_province %}",
            ["{{ loop.index }}", "{{ p.name }}", "{{ p.region }}"],
            ["{{ p.events }}", "{{ p.attendees }}"],
        ),
    )
    for title, headers, loop_row, loop, texts, figures in tables:
        heading = ws.cell(loop_row - 2, 1, title)
        heading.font = XL_BOLD
        heading.alignment = Alignment(horizontal="left", vertical="center")
        _header_row(ws, loop_row - 1, headers)
        ws.row_dimensions[loop_row - 1].height = 32
        _loop_row(ws, loop_row, loop, [*texts, *figures], numbers)
        _total_row(ws, loop_row + 1, words.total, loop_row, (4, 5))
    missing = ws.cell(AREA_MISSING, 1, words.area_missing_cell)
    missing.font = XL_FONT
    missing.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.merge_cells(start_row=AREA_MISSING, start_column=1, end_row=AREA_MISSING, end_column=5)
    ws.row_dimensions[AREA_MISSING].height = 96
    for letter, width in zip("ABCDE", (7, 34, 44, 15, 15), strict=True):
        ws.column_dimensions[letter].width = width
    _print_setup(ws)


# List sheet of the annex: (field, width, number format); the headers are in `Wording`.
LIST_COLUMNS: tuple[tuple[str, float, str | None], ...] = (
    ("{{ e.stt }}", 6, None),
    ("{{ e.start_date }}", 12, DATE),
    ("{{ e.end_date }}", 12, DATE),
    ("{{ e.type_label }}", 20, None),
    ("{{ e.title }}", 40, None),
    ("{{ e.province }}", 16, None),
    ("{{ e.province_current }}", 16, None),
    ("{{ e.region }}", 20, None),
    ("{{ e.lead_agency }}", 26, None),
    ("{{ e.attendees }}", 11, NUMBER),
    ("{{ e.provinces_attending }}", 12, NUMBER),
    ("{{ e.copies }}", 11, NUMBER),
    ("{{ e.documents_text }}", 26, None),
)


def _sheet_list(ws: Worksheet, words: Wording) -> None:
    last = len(LIST_COLUMNS)
    assert len(words.list_headers) == last
    _title_rows(
        ws,
        [
            (words.list_title, XL_TITLE),
            ("{{ period.window_text }}", XL_ITALIC),
        ],
        last,
    )
    header_row, loop_row = 4, 5
    _header_row(ws, header_row, words.list_headers)
    formats = {i: c[2] for i, c in enumerate(LIST_COLUMNS, start=1) if c[2]}
    _loop_row(ws, loop_row, "{%tr for e in events %}", [c[0] for c in LIST_COLUMNS], formats)
    for col, (_, width, _) in enumerate(LIST_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[header_row].height = 45
    ws.freeze_panes = ws.cell(loop_row, 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(last)}{loop_row}"
    _print_setup(ws, title_rows=f"{header_row}:{header_row}")


def _sheet_data(ws: Worksheet) -> None:
    """The events in the input format, so the annex reads back as an input workbook.

    Column loops (`{%tc %}`) take the headers from the schema in effect, so an extended
    schema's extra columns reach the data sheet without editing the template.
    """
    headers = list(INPUT_HEADERS)
    _header_row(ws, 1, ["{%tc for h in data_headers %}{{ h }}{%tc endfor %}"])
    _loop_row(
        ws,
        2,
        "{%tr for r in data_rows %}",
        ["{%tc for h in data_headers %}{{ r[h] }}{%tc endfor %}"],
        {},
    )
    for col, header in enumerate(headers, start=1):
        wide = header in (
            "Tên hoạt động",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Địa điểm",
            "Chủ đề",
            "Nguồn",
        )
        ws.column_dimensions[get_column_letter(col)].width = (
            36 if wide else max(10, min(len(header) + 4, 20))
        )
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    _print_setup(ws, title_rows="1:1")


def build_annex(words: Wording = VI) -> bytes:
    """The Excel annex; `words` sets the language of every sheet but the data sheet."""
    wb = Workbook()
    summary = wb.active
    summary.title = words.summary_sheet
    _sheet_summary(summary, words)
    _sheet_area(wb.create_sheet(words.area_sheet), words)
    _sheet_list(wb.create_sheet(words.list_sheet), words)
    # The data sheet is input for reportgen (schema sheet name and headers): never translated.
    _sheet_data(wb.create_sheet(DATA_SHEET))
    props = wb.properties
    props.creator = "reportgen"
    props.lastModifiedBy = "reportgen"
    props.title = words.annex_doc_title
    props.language = words.language
    props.created = FIXED_TIME
    props.modified = FIXED_TIME  # openpyxl overwrites this on save; normalise_zip fixes it
    out = io.BytesIO()
    wb.save(out)
    return normalise_zip(out.getvalue())


# --------------------------------------------------------------------------------------------
# Deterministic output
# --------------------------------------------------------------------------------------------

_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps and fixed document dates."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), blob)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, blob)
    return out.getvalue()


def build_all() -> dict[str, bytes]:
    """Every template by file name: the Vietnamese ones, then the English variants."""
    built = {"report-dang.docx": build_report(party=True)}
    for words in WORDINGS:
        built[words.name("report.docx")] = build_report(party=False, words=words)
        built[words.name("annex.xlsx")] = build_annex(words)
    return dict(sorted(built.items()))


def write_all(built: dict[str, bytes], dirs: Sequence[Path] = OUTPUT_DIRS) -> list[Path]:
    written = []
    for folder in dirs:
        folder.mkdir(parents=True, exist_ok=True)
        for name, blob in built.items():
            path = folder / name
            path.write_bytes(blob)
            written.append(path)
    return written


# --------------------------------------------------------------------------------------------
# Self-test: render the templates with stand-in filters and a hand-made context
# --------------------------------------------------------------------------------------------


def _f_ngay(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _f_dateline(value: dt.date) -> str:
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def _f_so(value: float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{value:,.1f}".split(".")
    return whole.replace(",", ".") + "," + frac


def _f_phantram(value: float) -> str:
    return _f_so(round(value * 100, 1)) + "%"


# Event types of schema.toml: code, Vietnamese label, English label.
_SAMPLE_TYPES = (
    ("training", "Hội nghị tập huấn", "Training conference"),
    ("press_briefing", "Hội nghị cung cấp thông tin cho báo chí", "Press information briefing"),
    ("press_conference", "Họp báo", "Press conference"),
    ("seminar", "Hội thảo, tọa đàm", "Seminar, round table"),
    (
        "delegation",
        "Tiếp đoàn nước ngoài, phóng viên nước ngoài",
        "Foreign delegation or journalists received",
    ),
    ("publication", "Xuất bản ấn phẩm", "Publication"),
    ("other", "Khác", "Other"),
)


def _sample_context(*, with_events: bool = True, lang: str = "vi") -> dict[str, Any]:
    """A context like reportgen's; with ``lang="en"`` the parts reportgen translates."""
    d = dt.date
    events: list[dict[str, Any]] = [
        {
            "stt": 1,
            "event_id": "E1",
            "start_date": d(2023, 11, 20),
            "end_date": None,
            "dates": "20/11/2023",
            "event_type": "press_briefing",
            "type_label": "Hội nghị cung cấp thông tin cho báo chí",
            "title": "Hội nghị cung cấp thông tin cho báo chí tháng 11",
            "province": "Phú Thọ",
            "province_current": "Phú Thọ",
            "province_display": "Phú Thọ",
            "region": "Trung du và miền núi phía Bắc",
            "lead_agency": "Sở Thông tin và Truyền thông",
            "attendees": 60,
            "attendees_text": "60",
            "provinces_attending": None,
            "copies": None,
            "documents_text": "57-KL/TW",
        },
        {
            "stt": 2,
            "event_id": "E2",
            "start_date": d(2023, 12, 7),
            "end_date": None,
            "dates": "07/12/2023",
            "event_type": "training",
            "type_label": "Hội nghị tập huấn",
            # `&` and `<` check that the renderer escapes values (autoescape).
            "title": "Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người "
            "& mô hình <mẫu>",
            "province": "Hòa Bình",
            "province_current": "Phú Thọ",
            "province_display": "Hòa Bình (nay thuộc Phú Thọ)",
            "region": "Trung du và miền núi phía Bắc",
            "lead_agency": "Bộ Thông tin và Truyền thông; UBND tỉnh Hòa Bình",
            "attendees": 280,
            "attendees_text": "280",
            "provinces_attending": 26,
            "copies": None,
            "documents_text": "57-KL/TW; 1079/QĐ-TTg; 16-KL/TW",
        },
        {
            "stt": 3,
            "event_id": "E3",
            "start_date": d(2023, 12, 11),
            "end_date": d(2023, 12, 14),
            "dates": "11/12/2023 - 14/12/2023",
            "event_type": "seminar",
            "type_label": "Hội thảo, tọa đàm",
            "title": "Tọa đàm về bảo đảm quyền con người trong chuyển đổi số",
            "province": "Vĩnh Phúc",
            "province_current": "Phú Thọ",
            "province_display": "Vĩnh Phúc (nay thuộc Phú Thọ)",
            "region": "Đồng bằng sông Hồng",
            "lead_agency": "Công an tỉnh",
            "attendees": 1234,
            "attendees_text": "khoảng 1.234",
            "provinces_attending": 3,
            "copies": None,
            "documents_text": "",
        },
    ]
    if not with_events:
        events = []
    labels = [(code, en if lang == "en" else vi) for code, vi, en in _SAMPLE_TYPES]
    for event in events:
        event["type_label"] = dict(labels)[event["event_type"]]
    by_type = []
    for code, label in labels:
        mine = [e for e in events if e["event_type"] == code]
        by_type.append(
            {
                "code": code,
                "label": label,
                "events": len(mine),
                "attendees": sum(e["attendees"] or 0 for e in mine),
                "copies": 1000 if code == "publication" and with_events else 0,
            }
        )
    context: dict[str, Any] = {
        "org": {
            "parent_body": "UBND TỈNH PHÚ THỌ",
            "name": "BAN CHỈ ĐẠO NHÂN QUYỀN",
            "place": "Phú Thọ",
            "subject": "Kết quả công tác thông tin đối ngoại về quyền con người",
            "signer": {
                "authority": "TM. BAN CHỈ ĐẠO",
                "title": "PHÓ TRƯỞNG BAN",
                "name": "Nguyễn Văn An",
            },
            "recipients": [
                "Ban Chỉ đạo Nhân quyền của Chính phủ",
                "Thường trực Tỉnh ủy",
                "Chủ tịch, các PCT UBND tỉnh",
                "Các thành viên Ban Chỉ đạo",
            ],
            "archive": "Lưu: VT, CAT",
        },
        "report": {
            "number_line": "Số:      /BC-BCĐ",
            "date": d(2023, 12, 15),
            "date_line": "Phú Thọ, " + _f_dateline(d(2023, 12, 15)),
            "subject": "Kết quả công tác thông tin đối ngoại về quyền con người tháng 12 năm 2023",
        },
        "period": {
            "code": "2023-12",
            "kind": "month",
            "label": "tháng 12 năm 2023",
            "start": d(2023, 11, 15),
            "end": d(2023, 12, 14),
            "window_text": "Số liệu tính từ ngày 15/11/2023 đến ngày 14/12/2023",
        },
        "totals": {
            "events": len(events),
            "attendees": sum(e["attendees"] or 0 for e in events),
            "provinces_reached": 1 if events else 0,
            "provinces_attending": 26,
            "documents": 3 if events else 0,
            "copies": 1000,
            "approximate": bool(events),
        },
        "by_type": by_type,
        # Rendered here without reportgen's renderer, so the chart reads as its text form.
        "charts": {
            "by_type": Chart(
                "Activities by type" if lang == "en" else "Số hoạt động theo loại",
                tuple(t["label"] for t in by_type),
                tuple(t["events"] for t in by_type),
                "Activities" if lang == "en" else "Số hoạt động",
                "Activity type" if lang == "en" else "Loại hoạt động",
            ),
        },
        "events": events,
        "documents": [
            {"ref": "57-KL/TW", "events": 2},
            {"ref": "1079/QĐ-TTg", "events": 1},
            {"ref": "16-KL/TW", "events": 1},
        ]
        if events
        else [],
        "sections": {
            "general": [
                "Ban Chỉ đạo đã ban hành kế hoạch công tác tháng 12 năm 2023.",
                "Các cơ quan thành viên triển khai nghiêm túc các nhiệm vụ được giao.",
            ],
            "limitations": [],
            "directions": ["Tiếp tục tổ chức tập huấn cho cán bộ cơ sở."],
            "proposals": [],
        },
        "quality": {"read": 5, "used": 3, "invalid": 1, "duplicates": 1, "warnings": 1, "files": 2},
        "data_rows": [],
        "data_headers": list(INPUT_HEADERS),
        **_sample_areas(events, lang),
    }
    if lang == "en":
        context["period"]["label"] = "December 2023"
        context["period"]["window_text"] = "Figures from 15/11/2023 to 14/12/2023"
    return context


REGIONS = (
    "Trung du và miền núi phía Bắc",
    "Đồng bằng sông Hồng",
    "Bắc Trung Bộ và Duyên hải miền Trung",
    "Tây Nguyên",
    "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
)
# What the comparison sentences say for the sample context (reportgen/compare.py makes them).
_SAMPLE_COMPARE = {
    "vi": (
        "tăng 1 hoạt động (50%), tăng 1.294 lượt đại biểu (462,1%) so với tháng 11 năm 2023",
        "tháng 12 năm 2022 không có hoạt động để so sánh",
    ),
    "en": (
        "1 more activity (50%), 1,294 more participants (462.1%) than in November 2023",
        "no activities in December 2022 to compare with",
    ),
}


def _sample_areas(events: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Comparisons and the figures by region and province; scope national when there are
    events (so the national block renders), a province's own report otherwise."""
    previous, year_ago = _SAMPLE_COMPARE[lang]
    compare = {
        "previous": {"code": "2023-11", "events": 2, "attendees": 280, "text": previous},
        "year_ago": {"code": "2022-12", "events": 0, "attendees": 0, "text": year_ago},
    }
    by_province = (
        [
            {"code": "25", "name": "Phú Thọ", "region": REGIONS[0], "events": 3, "attendees": 1574},
            {"code": "01", "name": "TP Hà Nội", "region": REGIONS[1], "events": 1, "attendees": 90},
        ]
        if events
        else []
    )
    by_region = []
    for region in REGIONS:
        mine = [p for p in by_province if p["region"] == region]
        names = [p["name"] for p in mine]
        by_region.append(
            {
                "name": region,
                "events": sum(p["events"] for p in mine),
                "attendees": sum(p["attendees"] for p in mine),
                "provinces": names,
                "provinces_text": ", ".join(names),
            }
        )
    return {
        "compare": compare,
        "by_province": by_province,
        "by_region": by_region,
        "scope": "national" if events else "province",
        "selected_province": {},
        "selected_region": "",
        "submitted_provinces": ["TP Hà Nội", "Phú Thọ"] if events else [],
        "missing_provinces": ["Lai Châu", "Quảng Ngãi"] if events else [],
    }


def _jinja_env() -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(ngay=_f_ngay, dateline=_f_dateline, so=_f_so, phantram=_f_phantram)
    return env


def _all_text(doc: DocxDocument) -> str:
    parts = [p.text for p in doc.paragraphs]

    def walk(table: Table) -> None:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    walk(inner)

    for table in doc.tables:
        walk(table)
    return "\n".join(parts)


def _render_docx(blob: bytes, context: dict[str, Any], out: Path) -> DocxDocument:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(blob))
    missing = tpl.get_undeclared_template_variables(_jinja_env())
    unknown = missing - set(context)
    assert not unknown, f"template uses names outside the contract: {unknown}"
    tpl.render(context, _jinja_env())
    tpl.save(str(out))
    return Document(str(out))


# Text each rendered report must hold, by wording, besides what comes from the context.
_EXPECTED = {
    VI.suffix: [
        "Số:      /BC-BCĐ",
        "Phú Thọ, ngày 15 tháng 12 năm 2023",
        "BÁO CÁO",
        "báo cáo kết quả công tác tháng 12 năm 2023 như sau:",
        "Số liệu tính từ ngày 15/11/2023 đến ngày 14/12/2023.",
        "đã tổ chức 3 hoạt động với 1.574 lượt đại biểu tham dự, tại 1 tỉnh, thành phố; "
        "quán triệt 3 văn bản.",
        "- Hội nghị tập huấn: 1 hoạt động, 280 lượt người;",
        "- Xuất bản ấn phẩm: 0 hoạt động, 0 lượt người, 1.000 bản ấn phẩm;",
        "- Khác: 0 hoạt động, 0 lượt người.",
        "Bảng 1. Danh sách hoạt động trong kỳ",
        "Văn bản được quán triệt: 57-KL/TW; 1079/QĐ-TTg; 16-KL/TW.",
        "Ghi chú về số liệu: đã đọc 5 dòng từ 2 tệp; sử dụng 3; 1 dòng lỗi bị loại; "
        "1 dòng trùng đã gộp; một số số đại biểu là số ước tính.",
        "Nơi nhận:",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Hội thảo, tọa đàm",
        "So với kỳ trước và cùng kỳ năm trước: tăng 1 hoạt động (50%), tăng 1.294 lượt đại "
        "biểu (462,1%) so với tháng 11 năm 2023; tháng 12 năm 2022 không có hoạt động để so "
        "sánh.",
        "Đã tổng hợp báo cáo của 2/4 tỉnh, thành phố. Kết quả theo vùng:",
        "- Trung du và miền núi phía Bắc: 3 hoạt động, 1.574 lượt đại biểu (Phú Thọ);",
        "- Tây Nguyên: 0 hoạt động, 0 lượt đại biểu;",
        "- Đồng bằng sông Cửu Long: 0 hoạt động, 0 lượt đại biểu.",
        "Bảng 2. Số liệu theo tỉnh, thành phố",
        "Các tỉnh, thành phố chưa gửi báo cáo (2): Lai Châu, Quảng Ngãi.",
    ],
    EN.suffix: [
        "No.      /BC-BCĐ",
        "Phú Thọ, 15/12/2023",
        "REPORT",
        "reports on its work for December 2023 as follows:",
        "Figures from 15/11/2023 to 14/12/2023.",
        "I. GENERAL SITUATION, LEADERSHIP AND DIRECTION",
        "II. RESULTS",
        "III. SHORTCOMINGS AND CAUSES",
        "IV. TASKS FOR THE NEXT PERIOD",
        "V. PROPOSALS",
        "held 3 activities attended by 1574 participants in 1 province or city; "
        "3 documents were disseminated.",
        "- Training conference: 1 activity, 280 participants;",
        "- Publication: 0 activities, 0 participants, 1000 copies published;",
        "- Other: 0 activities, 0 participants.",
        "Table 1. Activities in the period",
        "No.\nDate\nActivity\nType\nProvince\nLead agency\nAttendees",
        "Seminar, round table",
        "Documents disseminated: 57-KL/TW; 1079/QĐ-TTg; 16-KL/TW.",
        "Note on the figures: 5 rows read from 2 files; 3 used; 1 invalid row left out; "
        "1 duplicate row merged; some attendance figures are estimates.",
        "Recipients:",
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "Compared with the previous period and the same period a year earlier: 1 more activity "
        "(50%), 1,294 more participants (462.1%) than in November 2023; no activities in "
        "December 2022 to compare with.",
        "Reports were received from 2 of 4 provinces and cities. Results by region:",
        "- Trung du và miền núi phía Bắc: 3 activities, 1574 participants (Phú Thọ);",
        "- Tây Nguyên: 0 activities, 0 participants;",
        "Table 2. Figures by province",
        "Provinces and cities that have not submitted a report (2): Lai Châu, Quảng Ngãi.",
    ],
}


def _check_report(name: str, blob: bytes, workdir: Path, pdf: bool, words: Wording = VI) -> None:
    lang = "en" if words is EN else "vi"
    ctx = _sample_context(lang=lang)
    out = workdir / name.replace(".docx", "-rendered.docx")
    doc = _render_docx(blob, ctx, out)
    text = _all_text(doc)
    for leftover in ("{{", "}}", "{%", "%}"):
        assert leftover not in text, f"{name}: tag left in rendered text: {leftover}"
    expected = [
        "UBND TỈNH PHÚ THỌ",
        "BAN CHỈ ĐẠO NHÂN QUYỀN",
        ctx["report"]["subject"],
        "Ban Chỉ đạo đã ban hành kế hoạch công tác tháng 12 năm 2023.",
        "& mô hình <mẫu>",
        "Hòa Bình (nay thuộc Phú Thọ)",
        "khoảng 1.234",
        words.people["limitations"][1],
        "Tiếp tục tổ chức tập huấn cho cán bộ cơ sở.",
        words.people["proposals"][1],
        words.chart_caption,
        str(ctx["charts"]["by_type"]),
        "- Ban Chỉ đạo Nhân quyền của Chính phủ;",
        "- Lưu: VT, CAT.",
        "TM. BAN CHỈ ĐẠO",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Văn An",
        *_EXPECTED[words.suffix],
    ]
    if "dang" in name:
        expected.remove("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        expected.append("ĐẢNG CỘNG SẢN VIỆT NAM")
    for piece in expected:
        assert piece in text, f"{name}: missing {piece!r}"
    for key in ("general", "directions"):
        assert words.people[key][1] not in text, "placeholder shown with content"
    labels = [t["label"] for t in ctx["by_type"]]
    type_lines = [p for p in doc.paragraphs if any(p.text.startswith(f"- {t}: ") for t in labels)]
    assert len(type_lines) == 7, "one line per event type expected"

    # The placeholder run keeps its yellow highlight.
    placeholders = {placeholder for _, placeholder in words.people.values()}
    marks = [r for p in doc.paragraphs for r in p.runs if r.text in placeholders]
    assert marks and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in marks)

    events_table = doc.tables[1]
    assert len(events_table.rows) == 1 + len(ctx["events"]), "one row per event + header"
    assert events_table.rows[2].cells[2].text.endswith("& mô hình <mẫu>")
    assert events_table.rows[3].cells[3].text == ctx["events"][2]["type_label"]
    area_table = doc.tables[2]
    assert [c.text for c in area_table.rows[0].cells] == list(words.area_headers)
    big = "1.574" if words.number_filter else "1574"
    assert [c.text for c in area_table.rows[1].cells] == ["1", "Phú Thọ", REGIONS[0], "3", big]
    assert len(area_table.rows) == 1 + len(ctx["by_province"])
    region_lines = [p.text for p in doc.paragraphs if p.text[2:].startswith(REGIONS)]
    assert len(region_lines) == 6, "one line per region in a national report"

    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert not section.first_page_header.paragraphs[0].text
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert doc.styles["Normal"].font.name == FONT
    assert doc.core_properties.language == words.language

    # Without events or documents: no table, a sentence instead, no empty document line.
    empty_ctx = _sample_context(with_events=False, lang=lang)
    empty = _render_docx(blob, empty_ctx, workdir / name.replace(".docx", "-empty.docx"))
    empty_text = _all_text(empty)
    assert words.no_events in empty_text
    assert words.table_caption not in empty_text and words.documents_label not in empty_text
    assert words.chart_caption not in empty_text, "no chart without events"
    assert len(empty.tables) == 2, "header and closing tables only"
    assert words.area_caption not in empty_text, "a province's own report has no area block"
    assert "Lai Châu" not in empty_text and "- Tây Nguyên" not in empty_text
    print(f"  {name}: rendered OK -> {out}")

    if pdf and shutil.which("soffice"):
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(out)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        print(f"  {name}: PDF -> {out.with_suffix('.pdf')}")


def _check_annex(name: str, blob: bytes, workdir: Path, verbose: bool, words: Wording = VI) -> None:
    from openpyxl import load_workbook

    path = workdir / name
    path.write_bytes(blob)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        words.summary_sheet,
        words.area_sheet,
        words.list_sheet,
        DATA_SHEET,
    ], wb.sheetnames
    assert wb.properties.language == words.language

    def loop_rows(ws: Worksheet) -> list[int]:
        found = []
        for row in ws.iter_rows():
            used = [c for c in row if c.value is not None]
            if used and str(used[0].value).startswith("{%tr for "):
                assert str(used[-1].value).endswith("{%tr endfor %}"), row[0].row
                found.append(row[0].row)
        return found

    summary = wb[words.summary_sheet]
    assert summary["A1"].value == words.annex_title
    assert [summary.cell(6, c).value for c in range(1, 6)] == list(words.summary_headers)
    assert summary["B8"].value == words.total
    assert loop_rows(summary) == [7]
    assert summary["A7"].value == "{%tr for t in by_type %}{{ loop.index }}"
    assert summary["E7"].value == "{{ t.copies }}{%tr endfor %}"
    assert [summary.cell(8, c).value for c in (3, 4, 5)] == [
        "=SUM(C7:C7)",
        "=SUM(D7:D7)",
        "=SUM(E7:E7)",
    ]
    assert summary["C7"].number_format == NUMBER
    (chart,) = summary._charts
    quoted = f"'{words.summary_sheet}'"
    assert chart.series[0].val.numRef.f in (f"{quoted}!$C$7", f"{quoted}!$C$7:$C$7")
    assert summary.page_setup.orientation == "landscape"

    area = wb[words.area_sheet]
    assert area["A1"].value == words.area_title
    assert loop_rows(area) == [AREA_REGION_LOOP, AREA_PROVINCE_LOOP]
    for loop_row, headers in (
        (AREA_REGION_LOOP, words.area_region_headers),
        (AREA_PROVINCE_LOOP, words.area_province_headers),
    ):
        assert [area.cell(loop_row - 1, c).value for c in range(1, 6)] == list(headers)
        assert area.cell(loop_row + 1, 2).value == words.total
        assert [area.cell(loop_row + 1, c).value for c in (4, 5)] == [
            f"=SUM(D{loop_row}:D{loop_row})",
            f"=SUM(E{loop_row}:E{loop_row})",
        ]
    assert area["A7"].value == "{%tr for r in by_region %}{{ loop.index }}"
    assert area["A12"].value == "{%tr for p in by_province %}{{ loop.index }}"
    assert area.cell(AREA_MISSING, 1).value == words.area_missing_cell

    listing = wb[words.list_sheet]
    assert listing["A1"].value == words.list_title
    assert loop_rows(listing) == [5]
    assert [c.value for c in listing[4]] == list(words.list_headers)
    assert listing["B5"].number_format == DATE and listing.freeze_panes == "A5"
    assert listing.auto_filter.ref == "A4:M5"

    # Machine-readable input: the same in every language.
    data = wb[DATA_SHEET]
    assert data["A1"].value == "{%tc for h in data_headers %}{{ h }}{%tc endfor %}"
    assert loop_rows(data) == [2]
    assert data["A2"].value == (
        "{%tr for r in data_rows %}{%tc for h in data_headers %}{{ r[h] }}{%tc endfor %}"
        "{%tr endfor %}"
    )

    if verbose:
        for ws in wb.worksheets:
            print(f"  [{ws.title}]")
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        print(f"    {c.coordinate:>4} {c.value!s}   ({c.number_format})")
    print(f"  {name}: structure OK -> {path}")


def selftest(*, pdf: bool, verbose: bool) -> None:
    built = build_all()
    again = build_all()
    for name, blob in built.items():
        assert again[name] == blob, f"{name}: not deterministic"
    print("  build is deterministic (two builds, identical bytes)")
    workdir = Path(tempfile.gettempdir()) / "reportgen-selftest"
    workdir.mkdir(exist_ok=True)
    reports = [("report-dang.docx", VI)] + [(w.name("report.docx"), w) for w in WORDINGS]
    for name, words in reports:
        (workdir / name).write_bytes(built[name])
        _check_report(name, built[name], workdir, pdf, words)
    for words in WORDINGS:
        name = words.name("annex.xlsx")
        _check_annex(name, built[name], workdir, verbose, words)
    print("selftest passed")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--selftest", action="store_true", help="build in memory, render with sample data and check"
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="with --selftest: also convert the rendered reports to PDF",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="with --selftest: print the annex cells"
    )
    args = parser.parse_args(argv)
    if args.selftest:
        selftest(pdf=args.pdf, verbose=args.verbose)
        return 0
    for path in write_all(build_all()):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
