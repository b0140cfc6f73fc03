"""Charts and pictures in Word reports: context objects that write their own drawing.

A Word template says ``{{ charts.by_type }}`` or ``{{ image("logo.png", width_cm=3) }}``.
Rendered with autoescape on (the Word path), Jinja asks the object for ``__html__``; the object
then adds the parts it needs (the chart, its embedded workbook, the picture) through the
:class:`~reportgen.wordfile.PartSink` of the render in progress and returns the run content of
an inline drawing that points at them. docxtpl's ``InlineImage`` works the same way: the
returned XML closes the run the placeholder sits in, adds a run holding the drawing and opens a
new text run.

Outside a Word render (the Excel annex, plain text, ``reportgen fields``) the objects read as a
short plain-text description (``__str__``); with autoescape on but no sink, ``__html__`` gives
that text escaped.

The chart is a native Word chart (DrawingML ``c:chartSpace``): its values are cached in the
part, so Word and LibreOffice draw it without recalculating, and the same data is embedded as
a small workbook, so staff can click "Edit data" in Word.
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import re
import threading
import weakref
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape
from io import BytesIO
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from .errors import TemplateError
from .i18n import _

EMU_PER_CM = 360_000
FONT = "Times New Roman"
# Pictures larger than this are refused: a logo is a few hundred KB, and every report of a
# batch carries a copy.
MAX_PICTURE_BYTES = 10 * 1024**2
# Sizes a template may ask for, in cm: anything outside is a typing mistake (30 for 3.0).
MIN_SIZE_CM, MAX_SIZE_CM = 0.2, 60.0
# A picture given no size keeps its own (from its pixels and DPI) but never gets wider than
# the text of an A4 portrait page with the administrative margins.
MAX_NATURAL_WIDTH_CM = 16.0
PICTURE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/bmp": "bmp",
}

_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_NS_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_NS_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_RELTYPE = f"{_NS_R}/chart"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PACKAGE_RELTYPE = f"{_NS_R}/package"
IMAGE_RELTYPE = f"{_NS_R}/image"

# Closes the run holding the placeholder, and opens one for the text after it.
_RUN_OPEN = "</w:t></w:r><w:r><w:drawing>"
_RUN_CLOSE = '</w:drawing></w:r><w:r><w:t xml:space="preserve">'
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class MediaError(TemplateError, ValueError):
    """A chart or picture a template asks for cannot be made.

    Also a ValueError so that the Word renderer reports it like any other mistake in a
    template: with the template's name and the text of the paragraph where it happened.
    """


def _text(value: Any) -> str:
    """``value`` as text safe for an XML element or attribute (escaped, no illegal chars)."""
    return escape(_XML_ILLEGAL.sub("", str(value)), quote=True)


def _emu(cm: float) -> int:
    return round(cm * EMU_PER_CM)


def _check_size(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise MediaError(
            _("{what} must be a number of centimetres, not {value!r}.").format(
                what=what, value=value
            )
        )
    if not MIN_SIZE_CM <= value <= MAX_SIZE_CM:
        raise MediaError(
            _("{what} = {value} cm is outside {low}–{high} cm.").format(
                what=what, value=value, low=MIN_SIZE_CM, high=MAX_SIZE_CM
            )
        )
    return float(value)


def _current_sink() -> Any:
    from .wordfile import current_sink

    return current_sink.get()


def _inline(
    width_emu: int, height_emu: int, name: str, description: str, graphic: str, lock: bool
) -> str:
    """A ``wp:inline`` drawing in its own run; namespaces declared here, since the part it
    lands in (body, header, footer) may not declare them."""
    locks = (
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_NS_A}" noChangeAspect="1"/>'
        "</wp:cNvGraphicFramePr>"
        if lock
        else "<wp:cNvGraphicFramePr/>"
    )
    return (
        f'{_RUN_OPEN}<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{_NS_WP}">'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        # Any id: the renderer numbers every wp:docPr of the document after rendering.
        f'<wp:docPr id="1" name="{_text(name)}" descr="{_text(description)}"/>'
        f'{locks}<a:graphic xmlns:a="{_NS_A}">{graphic}</a:graphic></wp:inline>{_RUN_CLOSE}'
    )


# --- charts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A clustered bar or column chart of one series, drawn as a native Word chart.

    ``horizontal`` draws bars (long category names read well on the left); otherwise columns
    (months from left to right). The values are counts: the value axis starts at 0 and
    steps by whole numbers. ``empty_text`` is written instead of a chart when every value is
    zero: an empty chart says nothing a sentence would not.
    """

    title: str
    categories: tuple[str, ...]
    values: tuple[float, ...]
    series: str  # the series name, also the header of the values in the workbook
    category_header: str  # header of the categories in the workbook
    horizontal: bool = True
    width_cm: float = 15.0
    height_cm: float = 7.5
    number_format: str = "#,##0"
    empty_text: str = "(không có số liệu)"
    language: str = "vi-VN"

    def __post_init__(self) -> None:
        if len(self.categories) != len(self.values):
            raise ValueError("a chart needs one value per category")

    def __bool__(self) -> bool:
        """True when there is something to draw: ``{%p if charts.by_type %}``."""
        return any(self.values)

    def __str__(self) -> str:
        if not self:
            return f"{self.title} — {self.empty_text}"
        # `;` between points: labels such as "Hội thảo, tọa đàm" have commas of their own.
        points = "; ".join(
            f"{label}: {self._number(value)}"
            for label, value in zip(self.categories, self.values, strict=True)
        )
        return f"{self.title} — {points}"

    def __html__(self) -> str:
        sink = _current_sink()
        if sink is None or not self:
            return escape(str(self) if self else self.empty_text)
        chart_name = sink.new_partname("/word/charts/chart{n}.xml")
        book_name = sink.new_partname("/word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx")
        sink.add_part(book_name, XLSX_CONTENT_TYPE, self.workbook())
        book_rid = sink.relate(chart_name, book_name, PACKAGE_RELTYPE)
        sink.add_part(chart_name, CHART_CONTENT_TYPE, self.chart_xml(book_rid).encode("utf-8"))
        chart_rid = sink.relate(None, chart_name, CHART_RELTYPE)
        graphic = (
            f'<a:graphicData uri="{_NS_C}">'
            f'<c:chart xmlns:c="{_NS_C}" xmlns:r="{_NS_R}" r:id="{chart_rid}"/></a:graphicData>'
        )
        return _inline(
            _emu(self.width_cm), _emu(self.height_cm), self.title, str(self), graphic, False
        )

    def sized(self, width_cm: float | None = None, height_cm: float | None = None) -> Chart:
        """The same chart at another size: ``{{ charts.by_type.sized(16, 9) }}``."""
        width = _check_size(width_cm, "width_cm")
        height = _check_size(height_cm, "height_cm")
        return replace(self, width_cm=width or self.width_cm, height_cm=height or self.height_cm)

    def _number(self, value: float) -> str:
        if self.language.startswith("vi"):
            from .formatting import number

            return number(value)
        return f"{value:,}"

    # -- the parts --------------------------------------------------------------------------

    def _ref(self, column: str) -> str:
        last = len(self.categories) + 1
        return f"Sheet1!${column}$2:${column}${last}"

    def _axis_step(self) -> tuple[float, float]:
        """A round major unit (1, 2, 5, 10, 20 ...) giving at most six gridlines, and an
        axis maximum a little above the largest value, so the labels at the bar ends fit."""
        top = max(max(self.values), 1)
        step = 1.0
        while top / step > 6:
            for factor in (2, 2.5, 2):  # 1, 2, 5, 10, 20, 50, ...
                step *= factor
                if top / step <= 6:
                    break
        maximum = step * math.ceil(top * 1.12 / step)
        return step, max(maximum, step)

    def chart_xml(self, workbook_rid: str) -> str:
        """The ``c:chartSpace`` part, elements in ECMA-376 order (Word refuses any other)."""
        lang = _text(self.language)
        fmt = _text(self.number_format)
        count = len(self.categories)

        def run_props(size: int, bold: bool = False, tag: str = "a:defRPr") -> str:
            # Black Times New Roman for every script, like the report's text.
            return (
                f'<{tag} lang="{lang}" sz="{size}" b="{int(bold)}">'
                '<a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
                f'<a:latin typeface="{FONT}"/><a:ea typeface="{FONT}"/><a:cs typeface="{FONT}"/>'
                f"</{tag}>"
            )

        def text_props(size: int, rotation: str = "") -> str:
            return (
                f"<c:txPr><a:bodyPr{rotation}/><a:lstStyle/><a:p><a:pPr>{run_props(size)}"
                f'</a:pPr><a:endParaRPr lang="{lang}"/></a:p></c:txPr>'
            )

        categories = "".join(
            f'<c:pt idx="{i}"><c:v>{_text(label)}</c:v></c:pt>'
            for i, label in enumerate(self.categories)
        )
        values = "".join(
            f'<c:pt idx="{i}"><c:v>{_plain_number(value)}</c:v></c:pt>'
            for i, value in enumerate(self.values)
        )
        step, maximum = self._axis_step()
        cat_id, val_id = "500000001", "500000002"
        line = (
            '<c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="808080"/></a:solidFill>'
            "</a:ln></c:spPr>"
        )
        # Bars: the first category on top (reversed axis), the value axis kept at the bottom.
        cat_pos, val_pos = ("l", "b") if self.horizontal else ("b", "l")
        orientation = "maxMin" if self.horizontal else "minMax"
        crosses = "max" if self.horizontal else "autoZero"
        return (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<c:chartSpace xmlns:c="{_NS_C}" xmlns:a="{_NS_A}" xmlns:r="{_NS_R}">'
            f'<c:date1904 val="0"/><c:lang val="{lang}"/><c:roundedCorners val="0"/>'
            "<c:chart>"
            "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p>"
            f"<a:pPr>{run_props(1200, bold=True)}</a:pPr>"
            f"<a:r>{run_props(1200, bold=True, tag='a:rPr')}<a:t>{_text(self.title)}</a:t></a:r>"
            '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
            '<c:autoTitleDeleted val="0"/>'
            "<c:plotArea><c:layout/>"
            "<c:barChart>"
            f'<c:barDir val="{"bar" if self.horizontal else "col"}"/>'
            '<c:grouping val="clustered"/><c:varyColors val="0"/>'
            '<c:ser><c:idx val="0"/><c:order val="0"/>'
            '<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/>'
            f'<c:pt idx="0"><c:v>{_text(self.series)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
            '<c:spPr><a:solidFill><a:srgbClr val="2F5597"/></a:solidFill></c:spPr>'
            '<c:invertIfNegative val="0"/>'
            f'<c:dLbls><c:numFmt formatCode="{fmt}" sourceLinked="0"/>'
            "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
            f'{text_props(1000)}<c:dLblPos val="outEnd"/>'
            '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
            '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
            "</c:dLbls>"
            f"<c:cat><c:strRef><c:f>{self._ref('A')}</c:f><c:strCache>"
            f'<c:ptCount val="{count}"/>{categories}</c:strCache></c:strRef></c:cat>'
            f"<c:val><c:numRef><c:f>{self._ref('B')}</c:f><c:numCache>"
            f'<c:formatCode>{fmt}</c:formatCode><c:ptCount val="{count}"/>{values}'
            "</c:numCache></c:numRef></c:val>"
            "</c:ser>"
            '<c:gapWidth val="60"/>'
            f'<c:axId val="{cat_id}"/><c:axId val="{val_id}"/>'
            "</c:barChart>"
            f'<c:catAx><c:axId val="{cat_id}"/>'
            f'<c:scaling><c:orientation val="{orientation}"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{cat_pos}"/>'
            '<c:numFmt formatCode="General" sourceLinked="1"/>'
            '<c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="nextTo"/>{line}{text_props(1000)}'
            f'<c:crossAx val="{val_id}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/>'
            "</c:catAx>"
            f'<c:valAx><c:axId val="{val_id}"/>'
            f'<c:scaling><c:orientation val="minMax"/><c:max val="{_plain_number(maximum)}"/>'
            '<c:min val="0"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{val_pos}"/>'
            '<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/>'
            "</a:solidFill></a:ln></c:spPr></c:majorGridlines>"
            f'<c:numFmt formatCode="{fmt}" sourceLinked="0"/>'
            '<c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
            '<c:tickLblPos val="nextTo"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr>'
            f'{text_props(1000)}<c:crossAx val="{cat_id}"/><c:crosses val="{crosses}"/>'
            f'<c:crossBetween val="between"/><c:majorUnit val="{_plain_number(step)}"/>'
            "</c:valAx>"
            "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
            "</c:plotArea>"
            '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>'
            "</c:chart>"
            '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
            "<a:ln><a:noFill/></a:ln></c:spPr>"
            f"{text_props(1000)}"
            f'<c:externalData r:id="{_text(workbook_rid)}"><c:autoUpdate val="0"/></c:externalData>'
            "</c:chartSpace>"
        )

    def workbook(self) -> bytes:
        """The chart's data as a small .xlsx (Word's "Edit data" opens it in Excel).

        Written directly rather than through openpyxl: a few fixed parts, the same bytes for
        the same data, and no noticeable cost per report in a batch.
        """
        rows = [
            _xlsx_row(1, [(self.category_header, 1), (self.series, 1)]),
            *(
                _xlsx_row(i, [(label, 0), (value, 2)])
                for i, (label, value) in enumerate(
                    zip(self.categories, self.values, strict=True), start=2
                )
            ),
        ]
        last = len(self.categories) + 1
        sheet = (
            f'<worksheet xmlns="{_NS_SML}" xmlns:r="{_NS_R}">'
            f'<dimension ref="A1:B{last}"/>'
            '<cols><col min="1" max="1" width="45" customWidth="1"/>'
            '<col min="2" max="2" width="16" customWidth="1"/></cols>'
            f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
        )
        styles = _XLSX_STYLES.format(fmt=_text(self.number_format), font=FONT)
        parts = {
            "[Content_Types].xml": _XLSX_TYPES,
            "_rels/.rels": _XLSX_ROOT_RELS,
            "xl/workbook.xml": _XLSX_WORKBOOK,
            "xl/_rels/workbook.xml.rels": _XLSX_WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/styles.xml": styles,
        }
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, xml in parts.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, _XML_DECLARATION + xml)
        return out.getvalue()


def _plain_number(value: float) -> str:
    """A number as XML data: ``3``, ``2.5`` (never ``3.0`` or a thousands separator)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


_NS_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_XLSX_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_XLSX_ROOT_RELS = (
    f'<Relationships xmlns="{_NS_PKG_RELS}"><Relationship Id="rId1" '
    f'Type="{_NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_XLSX_WORKBOOK = (
    f'<workbook xmlns="{_NS_SML}" xmlns:r="{_NS_R}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_XLSX_WORKBOOK_RELS = (
    f'<Relationships xmlns="{_NS_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_NS_R}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS_R}/styles" Target="styles.xml"/></Relationships>'
)
# Style 0: text; 1: bold header; 2: the chart's number format (custom format 164).
_XLSX_STYLES = (
    f'<styleSheet xmlns="{_NS_SML}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="{fmt}"/></numFmts>'
    '<fonts count="2"><font><sz val="12"/><name val="{font}"/></font>'
    '<font><b/><sz val="12"/><name val="{font}"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _xlsx_row(number: int, cells: Sequence[tuple[str | float, int]]) -> str:
    out = []
    for column, (value, style) in zip("AB", cells, strict=False):
        ref = f"{column}{number}"
        if isinstance(value, str):
            out.append(
                f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                f"{_text(value)}</t></is></c>"
            )
        else:
            out.append(f'<c r="{ref}" s="{style}"><v>{_plain_number(value)}</v></c>')
    return f'<row r="{number}">{"".join(out)}</row>'


# --- pictures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PictureFile:
    blob: bytes
    content_type: str
    px_width: int
    px_height: int
    width_cm: float  # natural size, from the pixels and DPI
    height_cm: float
    digest: str


@lru_cache(maxsize=8)
def _read_picture(path: str, mtime_ns: int, size: int) -> _PictureFile:
    """The picture at ``path``, read and measured once per version of the file (a batch of
    reports reuses it; ``mtime_ns`` and ``size`` only key the cache)."""
    from docx.image.image import Image

    blob = Path(path).read_bytes()
    name = Path(path).name
    if len(blob) > MAX_PICTURE_BYTES:
        raise _too_big(name, len(blob))
    try:
        image = Image.from_blob(blob)
        content_type = str(image.content_type)
        px_width, px_height = int(image.px_width), int(image.px_height)
        width_cm, height_cm = image.width.cm, image.height.cm
    except Exception:  # python-docx raises several types for what is not a picture it knows
        content_type, px_width, px_height, width_cm, height_cm = "", 0, 0, 0.0, 0.0
    if content_type not in PICTURE_TYPES or px_width <= 0 or px_height <= 0:
        raise MediaError(
            _(
                "Picture “{name}”: not a PNG, JPEG, GIF or BMP picture reportgen can read; "
                "save it as PNG or JPEG."
            ).format(name=name)
        )
    return _PictureFile(
        blob,
        content_type,
        px_width,
        px_height,
        float(width_cm),
        float(height_cm),
        hashlib.sha256(blob).hexdigest(),
    )


def _too_big(name: str, size: int) -> MediaError:
    return MediaError(
        _(
            "Picture “{name}” is {size} MB; pictures in templates may be at most {limit} MB. "
            "Save a smaller copy (a logo needs a few hundred KB)."
        ).format(name=name, size=round(size / 1024**2, 1), limit=MAX_PICTURE_BYTES // 1024**2)
    )


# Picture parts already added to the document being rendered, by content: a picture repeated
# in a loop or used in the header and the body is stored once. Keyed by the sink's id, with
# a weak reference so that the entry goes away with the render.
_added: dict[int, tuple[Any, dict[str, str]]] = {}
_added_lock = threading.Lock()


def _parts_added(sink: Any) -> dict[str, str]:
    with _added_lock:
        entry = _added.get(id(sink))
        if entry is not None and entry[0]() is sink:
            return entry[1]
        names: dict[str, str] = {}
        try:
            ref = weakref.ref(sink)
        except TypeError:  # a sink without weak references: no sharing, still correct
            return names
        _added[id(sink)] = (ref, names)
        weakref.finalize(sink, _added.pop, id(sink), None)
        return names


@dataclass(frozen=True)
class Picture:
    """A picture from the template's folder, made by ``image("logo.png", width_cm=3)``."""

    name: str
    width_cm: float | None = None
    height_cm: float | None = None

    def __str__(self) -> str:
        return _("[picture {name}]").format(name=self.name)

    def __html__(self) -> str:
        sink = _current_sink()
        if sink is None:
            return escape(str(self))
        picture = self.load(Path(sink.template_dir))
        names = _parts_added(sink)
        partname = names.get(picture.digest)
        if partname is None:
            ext = PICTURE_TYPES[picture.content_type]
            partname = sink.new_partname(f"/word/media/image{{n}}.{ext}")
            sink.add_part(partname, picture.content_type, picture.blob)
            names[picture.digest] = partname
        rid = sink.relate(None, partname, IMAGE_RELTYPE)
        width, height = self.size(picture)
        shown = posixpath.basename(self.name.replace("\\", "/"))
        graphic = (
            f'<a:graphicData uri="{_NS_PIC}"><pic:pic xmlns:pic="{_NS_PIC}">'
            f'<pic:nvPicPr><pic:cNvPr id="0" name="{_text(shown)}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip xmlns:r="{_NS_R}" r:embed="{_text(rid)}"/>'
            "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
        )
        return _inline(width, height, shown, shown, graphic, True)

    def size(self, picture: _PictureFile) -> tuple[int, int]:
        """Width and height in EMU: as asked, the other side keeping the aspect ratio."""
        ratio = picture.px_height / picture.px_width
        width, height = self.width_cm, self.height_cm
        if width is None and height is None:
            width = min(picture.width_cm, MAX_NATURAL_WIDTH_CM)
            height = width * ratio
        elif width is None:
            assert height is not None
            width = height / ratio
        elif height is None:
            height = width * ratio
        return _emu(width), _emu(height)

    def load(self, folder: Path) -> _PictureFile:
        """The picture file, checked to be inside ``folder`` (the template's folder)."""
        root = folder.resolve()
        path = (root / self.name).resolve()
        if not path.is_relative_to(root):
            raise _outside(self.name, folder)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if stat is None or not path.is_file():
            raise MediaError(
                _(
                    "Picture “{name}”: there is no such file in the template's folder {folder}. "
                    "Put the picture next to the template and check its name."
                ).format(name=self.name, folder=folder)
            )
        if stat.st_size > MAX_PICTURE_BYTES:
            raise _too_big(self.name, stat.st_size)
        try:
            return _read_picture(str(path), stat.st_mtime_ns, stat.st_size)
        except OSError as exc:
            raise MediaError(
                _("Picture “{name}” cannot be read ({reason}).").format(
                    name=self.name, reason=exc.strerror or exc
                )
            ) from None


def _outside(name: str, folder: Path | None) -> MediaError:
    return MediaError(
        _(
            "Picture “{name}”: a picture must be a file in the template's folder{folder}, "
            'named without a drive, a leading / or “..”, e.g. image("logo.png").'
        ).format(name=name, folder=f" ({folder})" if folder else "")
    )


def image(name: str, width_cm: float | None = None, height_cm: float | None = None) -> Picture:
    """The template function ``image("logo.png", width_cm=3)``: a picture from the template's
    folder; give the width or the height (the other follows the picture's proportions), both,
    or neither (the picture's own size, at most 16 cm wide)."""
    if not isinstance(name, str) or not name.strip():
        raise MediaError(_('image() needs the name of a picture file, e.g. image("logo.png").'))
    name = name.strip()
    windows = PureWindowsPath(name)
    parts = re.split(r"[\\/]", name)
    if (
        windows.is_absolute()
        or windows.drive
        or windows.root
        or PurePosixPath(name).is_absolute()
        or ".." in parts
        or "\x00" in name
    ):
        raise _outside(name, None)
    return Picture(
        name,
        _check_size(width_cm, "width_cm"),
        _check_size(height_cm, "height_cm"),
    )


#: Functions templates may call, added to the Jinja environment by render.jinja_env.
TEMPLATE_GLOBALS: dict[str, Callable[..., Any]] = {"image": image}
