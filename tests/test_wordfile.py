"""The compiled Word renderer: same documents as docxtpl, parts added safely, batches reuse work."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docxtpl import DocxTemplate
from typer.testing import CliRunner

from reportgen import render, wordfile
from reportgen.cli import app
from reportgen.errors import TemplateError
from reportgen.render import jinja_env, render_docx
from reportgen.wordfile import compile_word, current_sink

from .test_render import CONTEXT, word_template

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


class Picture:
    """A context object adding a picture part through the sink, as media objects do."""

    def __html__(self) -> str:
        sink = current_sink.get()
        assert sink is not None
        name = sink.new_partname("/word/media/rgimage{n}.png")
        sink.add_part(name, "image/png", PNG)
        rid = sink.relate(None, name, IMAGE_REL)
        return (
            "</w:t></w:r><w:r><w:drawing>"
            '<wp:inline distT="0" distB="0" distL="0" distR="0" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            '<wp:extent cx="360000" cy="360000"/><wp:docPr id="1" name="Picture 1"/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:nvPicPr><pic:cNvPr id="0" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships" r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
            '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            '<a:ext cx="360000" cy="360000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
            "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>"
            '</w:drawing></w:r><w:r><w:t xml:space="preserve">'
        )


def texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return lines


def default_like(path: Path) -> Path:
    """A template with body paragraphs, a row loop, a header and a footer."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Đầu trang {{ org.name }}"
    document.sections[0].footer.paragraphs[0].text = "Chân trang {{ totals.events|so }}"
    document.add_paragraph("{{ org.name }} — {{ report.date|dateline }}")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for e in events %}"
    table.cell(1, 0).text = "{{ e.stt }}"
    table.cell(1, 1).text = "{{ e.title }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p if totals.events > 1000 %}")
    document.add_paragraph("Nhiều hoạt động")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Dòng 1\tcột{{ '\\n' }}dòng 2")
    document.save(str(path))
    return path


def test_same_text_as_docxtpl(tmp_path: Path) -> None:
    """Body, row loop, {%p %}, header, footer and tabs/new lines come out as docxtpl makes them."""
    template = default_like(tmp_path / "t.docx")
    render_docx(template, CONTEXT, tmp_path / "ours.docx")
    theirs = DocxTemplate(str(template))
    theirs.render(CONTEXT, jinja_env(), autoescape=True)
    theirs.save(str(tmp_path / "theirs.docx"))
    assert texts(tmp_path / "ours.docx") == texts(tmp_path / "theirs.docx")
    assert "Đầu trang BAN CHỈ ĐẠO" in texts(tmp_path / "ours.docx")
    assert "A & B <c>" in texts(tmp_path / "ours.docx")


def test_untouched_parts_are_copied_as_they_are(tmp_path: Path) -> None:
    template = default_like(tmp_path / "t.docx")
    render_docx(template, CONTEXT, tmp_path / "out.docx")
    with zipfile.ZipFile(template) as before, zipfile.ZipFile(tmp_path / "out.docx") as after:
        assert after.namelist() == before.namelist()
        assert after.read("word/styles.xml") == before.read("word/styles.xml")
        assert after.read("word/document.xml") != before.read("word/document.xml")
        assert after.testzip() is None


def test_template_compiled_once_and_again_when_changed(tmp_path: Path) -> None:
    template = word_template(tmp_path / "t.docx", "{{ org.name }}")
    first = compile_word(template)
    assert compile_word(template) is first
    render_docx(template, CONTEXT, tmp_path / "a.docx")
    word_template(template, "Đã sửa: {{ org.name }}")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert compile_word(template) is not first
    render_docx(template, CONTEXT, tmp_path / "b.docx")
    assert texts(tmp_path / "b.docx")[0] == "Đã sửa: BAN CHỈ ĐẠO"


def test_parts_added_during_rendering(tmp_path: Path) -> None:
    """A picture added in a loop: parts, relationships, content types and unique drawing ids."""
    template = word_template(tmp_path / "t.docx", "{% for i in range(3) %}{{ pic }}{% endfor %}")
    render_docx(template, {"pic": Picture()}, tmp_path / "out.docx")
    document = docx.Document(str(tmp_path / "out.docx"))
    images = [r.target_part for r in document.part.rels.values() if r.reltype == IMAGE_REL]
    assert sorted(str(p.partname) for p in images) == [
        f"/word/media/rgimage{n}.png" for n in (1, 2, 3)
    ]
    assert all(p.blob == PNG and p.content_type == "image/png" for p in images)
    xml = document.element.xml
    ids = [
        e.get("id")
        for e in document.element.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(ids) == 3 and len(set(ids)) == 3, xml


def test_broken_xml_from_a_template_is_refused(tmp_path: Path) -> None:
    """Markup smuggled in with |safe would corrupt the file: refused with a message instead."""
    template = word_template(tmp_path / "t.docx", "{{ '<w:p>'|safe }}")
    with pytest.raises(TemplateError, match=r"t\.docx: .*\{%p \.\.\.%\}"):
        render_docx(template, {}, tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists() or zipfile.is_zipfile(tmp_path / "out.docx")


def test_mistake_in_a_footer_is_located(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Thân")
    document.sections[0].footer.paragraphs[0].text = "Trang {{ khong_co }}"
    document.save(str(tmp_path / "t.docx"))
    with pytest.raises(TemplateError) as caught:
        render_docx(tmp_path / "t.docx", {}, tmp_path / "out.docx")
    message = str(caught.value)
    assert "khong_co" in message and "Trang" in message and "t.docx" in message


def test_oversized_template_is_not_decompressed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = word_template(tmp_path / "t.docx", "{{ org.name }}")
    monkeypatch.setattr(render, "MAX_TEMPLATE_BYTES", 1000)
    wordfile._cache.clear()
    with pytest.raises(TemplateError, match="MB"):
        render_docx(template, CONTEXT, tmp_path / "out.docx")


def test_templated_title_property(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("x")
    document.core_properties.title = "Báo cáo {{ org.name }}"
    document.save(str(tmp_path / "t.docx"))
    render_docx(tmp_path / "t.docx", {"org": {"name": "A & B"}}, tmp_path / "out.docx")
    assert docx.Document(str(tmp_path / "out.docx")).core_properties.title == "Báo cáo A & B"


def _run(workdir: Path, *args: str) -> Any:
    old = Path.cwd()
    os.chdir(workdir)
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)


def test_each_province(tmp_path: Path) -> None:
    """34 named pairs; a province's report is the one --province writes."""
    assert _run(tmp_path, "init", ".").exit_code == 0
    result = _run(tmp_path, "generate", "--period", "2023-12", "--each-province")
    assert result.exit_code == 0, result.output
    outputs = tmp_path / "outputs"
    reports = sorted(p.name for p in outputs.glob("bao-cao-2023-12-*.docx"))
    annexes = sorted(outputs.glob("phu-luc-2023-12-*.xlsx"))
    assert len(reports) == 34 and len(annexes) == 34
    assert "bao-cao-2023-12-ha-noi.docx" in reports
    batch = texts(outputs / "bao-cao-2023-12-ha-noi.docx")
    single = tmp_path / "single"
    result = _run(
        tmp_path, "generate", "--period", "2023-12", "--province", "Hà Nội", "--out", str(single)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in single.iterdir()) == [
        "bao-cao-2023-12-ha-noi.docx",
        "phu-luc-2023-12-ha-noi.xlsx",
    ]
    assert texts(single / "bao-cao-2023-12-ha-noi.docx") == batch


def test_each_province_refuses_a_selection(tmp_path: Path) -> None:
    assert _run(tmp_path, "init", ".").exit_code == 0
    result = _run(
        tmp_path, "generate", "--period", "2023-12", "--each-province", "--province", "Huế"
    )
    assert result.exit_code == 2
    assert "--each-province" in result.output


def test_oversized_excel_template_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    from reportgen.checker import check_template
    from reportgen.render import render_xlsx

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "{{ org.name }}"
    workbook.save(tmp_path / "t.xlsx")
    monkeypatch.setattr(render, "MAX_TEMPLATE_BYTES", 1000)
    with pytest.raises(TemplateError, match="MB"):
        render_xlsx(tmp_path / "t.xlsx", CONTEXT, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()
    [problem] = check_template(tmp_path / "t.xlsx", {})
    assert problem.code == "template.too_large"


def test_compression_ratio_of_a_zip_bomb_is_named(tmp_path: Path) -> None:
    """A template that is small on disk but expands hundreds of times is refused by its
    ratio, and the message says so; the checker names the file once."""
    from reportgen.checker import check_template

    source = word_template(tmp_path / "s.docx", "{{ org.name }}")
    template = tmp_path / "t.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(template, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("word/media/padding.bin", b"\0" * (25 * 1024**2), zipfile.ZIP_DEFLATED)
    assert template.stat().st_size < 1024**2
    wordfile._cache.clear()
    with pytest.raises(TemplateError, match=r"nén tới \d+ lần") as caught:
        render_docx(template, CONTEXT, tmp_path / "out.docx")
    assert str(caught.value).startswith(f"{template}: ")
    assert not (tmp_path / "out.docx").exists()
    [problem] = check_template(template, {})
    assert problem.code == "template.too_large"
    assert "nén tới" in problem.message and "t.docx" not in problem.message
