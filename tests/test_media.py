"""Charts and pictures in Word reports (reportgen/media.py): the drawing XML, the parts they
add, what they refuse, and the whole path through the Word renderer, the default reports,
`templates check` and LibreOffice."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree
from openpyxl import load_workbook

from reportgen import media
from reportgen.aggregate import period_charts
from reportgen.checker import check_templates
from reportgen.errors import TemplateError
from reportgen.fields import sample_context
from reportgen.media import (
    CHART_CONTENT_TYPE,
    CHART_RELTYPE,
    IMAGE_RELTYPE,
    PACKAGE_RELTYPE,
    XLSX_CONTENT_TYPE,
    Chart,
    MediaError,
    Picture,
    image,
)
from reportgen.period import parse_period
from reportgen.render import jinja_env, render_docx, render_xlsx
from reportgen.wordfile import current_sink

from .test_pdf import needs_libreoffice, pdf_text

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
TYPES = ("Hội nghị tập huấn", "Họp báo", "Hội thảo, tọa đàm")

# --- pictures made by hand (Pillow is not a dependency) ---------------------------------------


def png(width: int, height: int, dpi: int | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    raw = b"".join(b"\x00" + b"\xc8\x1e\x1e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    if dpi:
        ppm = round(dpi / 0.0254)
        out += chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def bmp(width: int, height: int) -> bytes:
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 3780, 3780, 0, 0)
    return b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) + info


def jpeg(width: int, height: int) -> bytes:
    app0 = b"JFIF\x00\x01\x01\x01" + struct.pack(">HH", 96, 96) + b"\x00\x00"
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    return (
        b"\xff\xd8\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xc0"
        + struct.pack(">H", len(sof) + 2)
        + sof
        + b"\xff\xd9"
    )


# --- a sink that collects what the objects add -------------------------------------------------


@dataclass
class CollectingSink:
    template_dir: Path
    parts: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    rels: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # rId: source, target, type

    def new_partname(self, pattern: str) -> str:
        n = 1
        while pattern.format(n=n) in self.parts:
            n += 1
        name = pattern.format(n=n)
        self.parts[name] = ("", b"")
        return name

    def add_part(self, partname: str, content_type: str, blob: bytes) -> None:
        self.parts[partname] = (content_type, blob)

    def relate(self, source: str | None, target: str, reltype: str) -> str:
        rid = f"rId{len(self.rels) + 100}"
        self.rels[rid] = (source or "/word/document.xml", target, reltype)
        return rid


@contextmanager
def rendering(sink: CollectingSink) -> Iterator[CollectingSink]:
    token = current_sink.set(sink)
    try:
        yield sink
    finally:
        current_sink.reset(token)


def run_content(fragment: str) -> Any:
    """The fragment in the run of a paragraph, as the renderer would leave it, parsed."""
    xml = (
        f'<w:document xmlns:w="{NS["w"]}"><w:body><w:p><w:r><w:t>before'
        f"{fragment}after</w:t></w:r></w:p></w:body></w:document>"
    )
    return etree.fromstring(xml.encode("utf-8"))


def chart(values: tuple[float, ...] = (3, 1, 2), **kwargs: Any) -> Chart:
    return Chart(
        "Số hoạt động theo loại",
        TYPES[: len(values)],
        values,
        "Số hoạt động",
        "Loại hoạt động",
        **kwargs,
    )


# ECMA-376 Part 1, dml-chart.xsd: the order of the children this chart writes. Word refuses
# a chart whose elements are out of order (LibreOffice reads it anyway, so it cannot tell).
ORDER = {
    "chartSpace": "date1904 lang roundedCorners style clrMapOvr pivotSource protection chart "
    "spPr txPr externalData printSettings userShapes extLst",
    "chart": "title autoTitleDeleted pivotFmts view3D floor sideWall backWall plotArea legend "
    "plotVisOnly dispBlanksAs showDLblsOverMax extLst",
    "title": "tx layout overlay spPr txPr extLst",
    "plotArea": "layout barChart catAx valAx dTable spPr extLst",
    "barChart": "barDir grouping varyColors ser dLbls gapWidth overlap serLines axId extLst",
    "ser": "idx order tx spPr invertIfNegative pictureOptions dPt dLbls trendline errBars cat "
    "val shape extLst",
    "dLbls": "dLbl delete numFmt spPr txPr dLblPos showLegendKey showVal showCatName "
    "showSerName showPercent showBubbleSize separator showLeaderLines leaderLines extLst",
    "catAx": "axId scaling delete axPos majorGridlines minorGridlines title numFmt "
    "majorTickMark minorTickMark tickLblPos spPr txPr crossAx crosses crossesAt auto lblAlgn "
    "lblOffset tickLblSkip tickMarkSkip noMultiLvlLbl extLst",
    "valAx": "axId scaling delete axPos majorGridlines minorGridlines title numFmt "
    "majorTickMark minorTickMark tickLblPos spPr txPr crossAx crosses crossesAt crossBetween "
    "majorUnit minorUnit dispUnits extLst",
    "scaling": "logBase orientation max min extLst",
    "strRef": "f strCache extLst",
    "numRef": "f numCache extLst",
    "numCache": "formatCode ptCount pt extLst",
    "strCache": "ptCount pt extLst",
    "rPr": "ln noFill solidFill gradFill effectLst highlight uLnTx uLn uFillTx uFill latin ea "
    "cs sym hlinkClick",
    "defRPr": "ln noFill solidFill gradFill effectLst highlight uLnTx uLn uFillTx uFill latin "
    "ea cs sym hlinkClick",
    "inline": "extent effectExtent docPr cNvGraphicFramePr graphic",
}


def assert_schema_order(root: Any) -> None:
    for element in root.iter():
        name = etree.QName(element).localname
        if name not in ORDER or not isinstance(element.tag, str):
            continue
        allowed = ORDER[name].split()
        children = [etree.QName(child).localname for child in element]
        assert all(child in allowed for child in children), (name, children)
        positions = [allowed.index(child) for child in children]
        assert positions == sorted(positions), (name, children)


# --- charts -------------------------------------------------------------------------------------


class TestChart:
    def test_drawing_closes_the_run_and_points_at_the_chart(self, tmp_path: Path) -> None:
        """The run holding the tag is closed, a run with an inline chart follows, 15 x 7.5 cm."""
        with rendering(CollectingSink(tmp_path)) as sink:
            fragment = chart().__html__()
        assert fragment.startswith("</w:t></w:r><w:r><w:drawing>")
        assert fragment.endswith('</w:drawing></w:r><w:r><w:t xml:space="preserve">')
        root = run_content(fragment)
        assert [r.findtext("w:t", namespaces=NS) for r in root.iterfind(".//w:r", NS)] == [
            "before",
            None,
            "after",
        ]
        (inline,) = root.iterfind(".//wp:inline", NS)
        assert_schema_order(inline)
        extent = inline.find("wp:extent", NS)
        assert (extent.get("cx"), extent.get("cy")) == ("5400000", "2700000")
        assert inline.find("wp:docPr", NS).get("name") == "Số hoạt động theo loại"
        graphic = inline.find("a:graphic/a:graphicData", NS)
        assert graphic.get("uri") == NS["c"]
        rid = graphic.find("c:chart", NS).get(f"{{{NS['r']}}}id")
        assert sink.rels[rid] == ("/word/document.xml", "/word/charts/chart1.xml", CHART_RELTYPE)

    def test_chart_part_has_cached_values_in_schema_order(self, tmp_path: Path) -> None:
        """Categories and values are cached (no recalculation), in ECMA-376 element order."""
        with rendering(CollectingSink(tmp_path)) as sink:
            chart().__html__()
        content_type, blob = sink.parts["/word/charts/chart1.xml"]
        assert content_type == CHART_CONTENT_TYPE
        root = etree.fromstring(blob)
        assert etree.QName(root).localname == "chartSpace"
        assert_schema_order(root)
        ser = root.find(".//c:barChart/c:ser", NS)
        assert [v.text for v in ser.iterfind("c:cat//c:pt/c:v", NS)] == list(TYPES)
        assert [v.text for v in ser.iterfind("c:val//c:pt/c:v", NS)] == ["3", "1", "2"]
        assert ser.findtext("c:val/c:numRef/c:f", namespaces=NS) == "Sheet1!$B$2:$B$4"
        assert ser.findtext("c:val//c:formatCode", namespaces=NS) == "#,##0"
        assert root.find(".//c:barDir", NS).get("val") == "bar"
        title = "".join(root.find("c:chart/c:title", NS).itertext())
        assert title == "Số hoạt động theo loại"
        fonts = {e.get("typeface") for e in root.iterfind(".//a:latin", NS)}
        assert fonts == {"Times New Roman"}

    def test_embedded_workbook_holds_the_same_data(self, tmp_path: Path) -> None:
        """externalData points at an .xlsx with the same rows, so "Edit data" works in Word."""
        with rendering(CollectingSink(tmp_path)) as sink:
            chart().__html__()
        root = etree.fromstring(sink.parts["/word/charts/chart1.xml"][1])
        external = root.find("c:externalData", NS)
        assert external.find("c:autoUpdate", NS).get("val") == "0"
        source, target, reltype = sink.rels[external.get(f"{{{NS['r']}}}id")]
        assert (source, reltype) == ("/word/charts/chart1.xml", PACKAGE_RELTYPE)
        assert target == "/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"
        content_type, blob = sink.parts[target]
        assert content_type == XLSX_CONTENT_TYPE
        sheet = load_workbook(io.BytesIO(blob))["Sheet1"]
        assert [tuple(c.value for c in row) for row in sheet.iter_rows()] == [
            ("Loại hoạt động", "Số hoạt động"),
            ("Hội nghị tập huấn", 3),
            ("Họp báo", 1),
            ("Hội thảo, tọa đàm", 2),
        ]
        assert sheet["B2"].number_format == "#,##0"

    def test_text_outside_word(self) -> None:
        """No sink (Excel, plain text): a readable line, never XML; escaped for autoescape."""
        text = str(chart())
        assert text == (
            "Số hoạt động theo loại — Hội nghị tập huấn: 3; Họp báo: 1; Hội thảo, tọa đàm: 2"
        )
        assert "<" not in text
        odd = Chart("A & <B>", ("x",), (1,), "s", "c")
        assert odd.__html__() == "A &amp; &lt;B&gt; — x: 1"

    def test_no_data_is_a_short_text(self, tmp_path: Path) -> None:
        """Every value zero: falsy, "(không có số liệu)" in the run, no part added."""
        empty = chart((0, 0, 0))
        assert not empty and chart()
        with rendering(CollectingSink(tmp_path)) as sink:
            assert empty.__html__() == "(không có số liệu)"
        assert sink.parts == {} and sink.rels == {}
        assert str(empty) == "Số hoạt động theo loại — (không có số liệu)"

    def test_labels_are_escaped_and_cleaned(self, tmp_path: Path) -> None:
        """Data with &, < and characters XML forbids still gives well-formed parts."""
        odd = Chart('Tiêu đề "A" & <B>', ("x & y", "<z>\x0b"), (1, 2), "s & t", "c < d")
        with rendering(CollectingSink(tmp_path)) as sink:
            run_content(odd.__html__())
        root = etree.fromstring(sink.parts["/word/charts/chart1.xml"][1])
        assert [v.text for v in root.iterfind(".//c:cat//c:v", NS)] == ["x & y", "<z>"]
        book = sink.parts["/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"][1]
        assert load_workbook(io.BytesIO(book))["Sheet1"]["A1"].value == "c < d"

    def test_columns_and_size(self, tmp_path: Path) -> None:
        """horizontal=False draws columns; sized() gives a copy at another size, in cm."""
        bigger = chart(horizontal=False).sized(16, height_cm=9)
        assert (bigger.width_cm, bigger.height_cm) == (16.0, 9.0)
        assert chart().sized(height_cm=5).width_cm == 15.0
        with rendering(CollectingSink(tmp_path)) as sink:
            root = run_content(bigger.__html__())
        extent = root.find(".//wp:extent", NS)
        assert (extent.get("cx"), extent.get("cy")) == ("5760000", "3240000")
        part = etree.fromstring(sink.parts["/word/charts/chart1.xml"][1])
        assert part.find(".//c:barDir", NS).get("val") == "col"
        for wrong in (0, 100, "16", True):
            with pytest.raises(MediaError):
                chart().sized(wrong)

    @pytest.mark.parametrize(
        ("values", "step", "top"),
        [((3,), "1", "4"), ((12,), "2", "14"), ((0,), "1", "2"), ((954,), "200", "1200")],
    )
    def test_value_axis_has_round_steps(
        self, tmp_path: Path, values: tuple[int], step: str, top: str
    ) -> None:
        """Whole-number gridlines (never 0.5 events), room above the longest bar for its label."""
        with rendering(CollectingSink(tmp_path)) as sink:
            Chart("t", ("a",), values, "s", "c").__html__()
        if values == (0,):
            return  # nothing drawn
        root = etree.fromstring(sink.parts["/word/charts/chart1.xml"][1])
        axis = root.find(".//c:valAx", NS)
        assert axis.find("c:majorUnit", NS).get("val") == step
        assert axis.find("c:scaling/c:max", NS).get("val") == top

    def test_two_charts_get_their_own_parts(self, tmp_path: Path) -> None:
        with rendering(CollectingSink(tmp_path)) as sink:
            chart().__html__()
            chart().__html__()
        assert {"/word/charts/chart1.xml", "/word/charts/chart2.xml"} <= set(sink.parts)


class TestContextCharts:
    def test_sample_context_charts(self) -> None:
        """charts.by_type: every type in schema order; charts.by_month: one bar for a month."""
        context = sample_context(lang="vi")
        by_type, by_month = context["charts"]["by_type"], context["charts"]["by_month"]
        assert by_type.categories == tuple(t["label"] for t in context["by_type"])
        assert by_type.values == tuple(t["events"] for t in context["by_type"])
        assert by_type.title == "Số hoạt động theo loại, tháng 12 năm 2023"
        assert (by_month.categories, by_month.values) == (("Tháng 12",), (7,))
        assert not by_month.horizontal and by_type.horizontal

    def test_year_by_reporting_month_adds_up(self) -> None:
        """A year has twelve months, each its own cut-off window, adding up to the total."""
        context = sample_context(lang="en", period="2023")
        by_month = context["charts"]["by_month"]
        assert by_month.categories[0] == "Jan" and len(by_month.categories) == 12
        assert sum(by_month.values) == context["totals"]["events"]
        assert by_month.title == "Activities by month, year 2023"
        assert context["charts"]["by_type"].categories[0] == "Training conference"
        assert by_month.empty_text == "(no data)"

    def test_no_events(self) -> None:
        rows = [{"label": t, "events": 0} for t in TYPES]
        charts = period_charts(rows, [], parse_period("2023-Q4"), "cutoff", "vi")
        assert not charts["by_type"] and not charts["by_month"]
        assert charts["by_month"].categories == ("Tháng 10", "Tháng 11", "Tháng 12")


# --- pictures -----------------------------------------------------------------------------------


class TestPicture:
    @pytest.mark.parametrize(
        ("blob", "content_type", "ext"),
        [
            (png(300, 120), "image/png", "png"),
            (jpeg(300, 120), "image/jpeg", "jpeg"),
            (gif(300, 120), "image/gif", "gif"),
            (bmp(300, 120), "image/bmp", "bmp"),
        ],
    )
    def test_picture_from_the_template_folder(
        self, tmp_path: Path, blob: bytes, content_type: str, ext: str
    ) -> None:
        """The picture is added once as a part, related, and drawn at 3 cm keeping its ratio."""
        (tmp_path / f"logo.{ext}").write_bytes(blob)
        with rendering(CollectingSink(tmp_path)) as sink:
            fragment = image(f"logo.{ext}", width_cm=3).__html__()
        root = run_content(fragment)
        (inline,) = root.iterfind(".//wp:inline", NS)
        assert_schema_order(inline)
        extent = inline.find("wp:extent", NS)
        assert (extent.get("cx"), extent.get("cy")) == ("1080000", "432000")
        rid = inline.find(".//a:blip", NS).get(f"{{{NS['r']}}}embed")
        target = f"/word/media/image1.{ext}"
        assert sink.rels[rid] == ("/word/document.xml", target, IMAGE_RELTYPE)
        assert sink.parts[target] == (content_type, blob)
        assert inline.find("wp:docPr", NS).get("descr") == f"logo.{ext}"

    def test_sizes(self, tmp_path: Path) -> None:
        """Height only: the width follows; neither: its own size from the DPI, at most 16 cm."""
        (tmp_path / "a.png").write_bytes(png(300, 120, dpi=150))  # 5.08 x 2.032 cm
        (tmp_path / "wide.png").write_bytes(png(3000, 100))  # 105.8 cm at 72 dpi
        picture = media._read_picture
        a = picture(str(tmp_path / "a.png"), 0, 0)
        assert Picture("a.png", None, 2.0).size(a) == (1800000, 720000)
        assert Picture("a.png", 4.0, 2.0).size(a) == (1440000, 720000)
        assert Picture("a.png").size(a) == (round(5.08 * 360000), round(2.032 * 360000))
        wide = picture(str(tmp_path / "wide.png"), 0, 0)
        assert Picture("wide.png").size(wide)[0] == 16 * 360000

    def test_same_picture_twice_is_stored_once(self, tmp_path: Path) -> None:
        (tmp_path / "logo.png").write_bytes(png(10, 10))
        with rendering(CollectingSink(tmp_path)) as sink:
            image("logo.png").__html__()
            image("./logo.png", height_cm=1).__html__()
        assert [name for name in sink.parts if "media" in name] == ["/word/media/image1.png"]
        assert len(sink.rels) == 2

    @pytest.mark.parametrize(
        "name",
        ["/etc/passwd", "../logo.png", "sub/../../logo.png", "C:\\logo.png", "\\\\server\\x.png"],
    )
    def test_outside_the_folder_is_refused(self, name: str) -> None:
        with pytest.raises(MediaError, match="thư mục của mẫu") as caught:
            image(name)
        assert isinstance(caught.value, TemplateError)

    @pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
    def test_link_leading_out_is_refused(self, tmp_path: Path) -> None:
        (tmp_path / "secret.png").write_bytes(png(2, 2))
        folder = tmp_path / "templates"
        folder.mkdir()
        (folder / "logo.png").symlink_to(tmp_path / "secret.png")
        with pytest.raises(MediaError, match=r"logo\.png"):
            image("logo.png").load(folder)

    def test_missing_not_a_picture_too_big(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each refusal names the picture and says what to do, in Vietnamese by default."""
        with pytest.raises(MediaError, match=r"“logo\.png”.*không có tệp"):
            image("logo.png").load(tmp_path)
        (tmp_path / "notes.png").write_text("not a picture", encoding="utf-8")
        with pytest.raises(MediaError, match=r"“notes\.png”.*PNG"):
            image("notes.png").load(tmp_path)
        (tmp_path / "big.png").write_bytes(png(50, 50))
        monkeypatch.setattr(media, "MAX_PICTURE_BYTES", 100)
        with pytest.raises(MediaError, match=r"“big\.png”.*MB"):
            image("big.png").load(tmp_path)
        with pytest.raises(MediaError):
            image("")
        with pytest.raises(MediaError, match="width_cm"):
            image("logo.png", width_cm=0)

    def test_text_outside_word(self) -> None:
        assert str(image("logo.png")) == "[hình ảnh logo.png]"
        assert image("a&b.png").__html__() == "[hình ảnh a&amp;b.png]"


# --- through the renderer -----------------------------------------------------------------------


def media_template(folder: Path) -> Path:
    """A Word template with both charts, a logo in the body and in the header."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.png").write_bytes(png(300, 120))
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "{{ image('logo.png', height_cm=1) }}"
    document.add_paragraph("Logo: {{ image('logo.png', width_cm=3) }} — {{ org.name }}")
    document.add_paragraph("{{ charts.by_type }}")
    document.add_paragraph("{{ charts.by_month.sized(12, 6) }}")
    path = folder / "media.docx"
    document.save(str(path))
    return path


class TestRenderedDocument:
    def test_image_is_a_template_function(self) -> None:
        """Both environments (Word and Excel) know image(); templates check knows it too."""
        assert jinja_env().globals["image"] is image
        assert jinja_env(autoescape=False).globals["image"] is image

    def test_parts_and_relationships_resolve(self, tmp_path: Path) -> None:
        """python-docx opens the report; chart, workbook and picture parts are all reachable."""
        template = media_template(tmp_path / "templates")
        out = tmp_path / "out.docx"
        render_docx(template, sample_context(), out)
        document = docx.Document(str(out))
        rels = list(document.part.rels.values())
        charts = [r.target_part for r in rels if r.reltype == CHART_RELTYPE]
        assert len(charts) == 2
        for part in charts:
            assert part.content_type == CHART_CONTENT_TYPE
            (book,) = [r.target_part for r in part.rels.values()]
            assert book.content_type == XLSX_CONTENT_TYPE and book.blob[:2] == b"PK"
        (picture,) = [r.target_part for r in rels if r.reltype == IMAGE_RELTYPE]
        assert picture.blob == (template.parent / "logo.png").read_bytes()
        header = document.sections[0].header.part
        assert [r.target_part for r in header.rels.values() if r.reltype == IMAGE_RELTYPE] == [
            picture
        ]
        with zipfile.ZipFile(out) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
            assert archive.testzip() is None
        ids = [e.get("id") for e in etree.fromstring(body.encode()).iterfind(".//wp:docPr", NS)]
        assert len(ids) == 3 and len(set(ids)) == 3
        assert "Logo: " in document.paragraphs[0].text
        assert "BAN CHỈ ĐẠO NHÂN QUYỀN" in document.paragraphs[0].text

    def test_missing_picture_is_located(self, tmp_path: Path) -> None:
        """The message names the template, the picture and the paragraph it is in."""
        folder = tmp_path / "templates"
        folder.mkdir()
        document = docx.Document()
        document.add_paragraph("Biểu trưng {{ image('logo.png') }}")
        document.save(str(folder / "t.docx"))
        with pytest.raises(TemplateError) as caught:
            render_docx(folder / "t.docx", {}, tmp_path / "out.docx")
        message = str(caught.value)
        assert "t.docx" in message and "“logo.png”" in message
        assert "Biểu trưng {{ image('logo.png') }}" in message

    def test_excel_gets_the_text(self, tmp_path: Path) -> None:
        """In an Excel template a chart is its line of text, a picture its name."""
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet["A1"] = "{{ charts.by_type }}"
        sheet["A2"] = "{{ image('logo.png') }}"
        book.save(tmp_path / "t.xlsx")
        context = sample_context()
        render_xlsx(tmp_path / "t.xlsx", context, tmp_path / "out.xlsx")
        result = load_workbook(tmp_path / "out.xlsx").active
        assert result["A1"].value == str(context["charts"]["by_type"])
        assert result["A2"].value == "[hình ảnh logo.png]"

    @needs_libreoffice
    def test_libreoffice_draws_the_charts_and_picture(self, tmp_path: Path) -> None:
        """LibreOffice opens the report and draws the charts from their cached values."""
        from reportgen.pdf import convert_to_pdf

        template = media_template(tmp_path / "templates")
        out = tmp_path / "out.docx"
        render_docx(template, sample_context(), out)
        [pdf] = convert_to_pdf([out])
        text = pdf_text(pdf)
        assert "Số hoạt động theo loại, tháng 12 năm 2023" in text
        assert "Số hoạt động theo tháng, tháng 12 năm 2023" in text
        # LibreOffice draws chart labels in runs of glyphs, which pdftotext may join with
        # spaces inside a word ("tập hu ấn"): the letters must come in order, spaces aside.
        letters = "".join(text.split())
        for label in ("Hội nghị tập huấn", "Tiếp đoàn nước ngoài, phóng viên nước ngoài"):
            assert "".join(label.split()) in letters, label
        assert "Tháng12" in letters


class TestDefaultReports:
    def test_report_has_the_chart_by_type(self, workdir: Path, invoke: Any) -> None:
        """The default report draws the chart of events by type under its caption."""
        result = invoke("generate", "--period", "2023-12", "--date", "2023-12-20")
        assert result.exit_code == 0, result.output
        document = docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx"))
        caption = next(p for p in document.paragraphs if "Biểu đồ 1." in p.text)
        assert caption.paragraph_format.keep_together
        assert caption._p.find(".//c:chart", NS) is not None
        (part,) = [r.target_part for r in document.part.rels.values() if r.reltype == CHART_RELTYPE]
        labels = etree.fromstring(part.blob).xpath(".//c:cat//c:v/text()", namespaces=NS)
        assert labels[0] == "Hội nghị tập huấn" and len(labels) == 7

    def test_english_report_has_english_labels(self, workdir: Path, invoke: Any) -> None:
        result = invoke("--lang", "en", "generate", "--period", "2023-12", "--date", "2023-12-20")
        assert result.exit_code == 0, result.output
        document = docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx"))
        assert any(p.text.startswith("Chart 1. Activities by type") for p in document.paragraphs)
        (part,) = [r.target_part for r in document.part.rels.values() if r.reltype == CHART_RELTYPE]
        root = etree.fromstring(part.blob)
        assert root.xpath(".//c:cat//c:v/text()", namespaces=NS)[0] == "Training conference"
        assert "Activities by type, December 2023" in "".join(
            root.find("c:chart/c:title", NS).itertext()
        )

    def test_no_chart_without_events(self, workdir: Path, invoke: Any) -> None:
        result = invoke("generate", "--period", "2020-01", "--date", "2020-01-20")
        assert result.exit_code == 0, result.output
        document = docx.Document(str(workdir / "outputs" / "bao-cao-2020-01.docx"))
        assert not any("Biểu đồ 1." in p.text for p in document.paragraphs)
        assert CHART_RELTYPE not in {r.reltype for r in document.part.rels.values()}


# --- templates check ----------------------------------------------------------------------------


class TestCheck:
    def test_charts_and_image_are_known(self, tmp_path: Path) -> None:
        template = media_template(tmp_path)
        result = check_templates([template])
        assert [] == [(p.code, p.message) for p in result.problems]

    def test_missing_picture_and_misspelt_chart(self, tmp_path: Path) -> None:
        document = docx.Document()
        document.add_paragraph("{{ image('logo.png', width_cm=3) }}")
        document.add_paragraph("{{ charts.by_typ }}")
        document.save(str(tmp_path / "t.docx"))
        problems = check_templates([tmp_path / "t.docx"]).problems
        assert [p.code for p in problems] == ["template.picture", "template.unknown-field"]
        assert "“logo.png”" in problems[0].message
        assert "charts.by_type" in problems[1].hint
