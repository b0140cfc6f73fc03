"""Word templates as staff make them: split runs, spell-check marks, smart quotes, row loops."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from reportgen.errors import TemplateError
from reportgen.render import render_docx

CONTEXT = {
    "org": {"name": "BAN CHỈ ĐẠO"},
    "totals": {"events": 3},
    "events": [{"stt": 1, "title": "Một"}, {"stt": 2, "title": "Hai"}],
}


def split_paragraph(path: Path, pieces: list[tuple[str, bool]], proof_error: bool = False) -> Path:
    """A paragraph whose text is cut into runs with different formatting, as Word saves it."""
    document = docx.Document()
    paragraph = document.add_paragraph()
    for index, (text, bold) in enumerate(pieces):
        run = paragraph.add_run(text)
        run.bold = bold
        if proof_error and index == 1:
            mark = OxmlElement("w:proofErr")
            mark.set(docx.oxml.ns.qn("w:type"), "spellStart")
            run._r.addprevious(mark)
    document.save(str(path))
    return path


def rendered_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


class TestStaffEdits:
    def test_formatting_changed_inside_a_tag(self, tmp_path: Path) -> None:
        """`{{ org.name }}` typed in three runs (part bold) still renders the value."""
        template = split_paragraph(
            tmp_path / "t.docx", [("Ban: {{ org.", False), ("na", True), ("me }}", False)]
        )
        render_docx(template, CONTEXT, tmp_path / "out.docx")
        assert rendered_text(tmp_path / "out.docx") == "Ban: BAN CHỈ ĐẠO"

    def test_braces_in_separate_runs_and_spellcheck_marks(self, tmp_path: Path) -> None:
        """`{` `{` in separate runs with a spell-check mark between still form one tag."""
        template = split_paragraph(
            tmp_path / "t.docx",
            [("{", False), ("{ totals.events }", True), ("}", False), (" hoạt động", False)],
            proof_error=True,
        )
        render_docx(template, CONTEXT, tmp_path / "out.docx")
        assert rendered_text(tmp_path / "out.docx") == "3 hoạt động"

    def test_smart_quotes_inside_a_tag(self, tmp_path: Path) -> None:
        """Word's autocorrected quotes inside a tag work like straight quotes."""
        template = split_paragraph(
            tmp_path / "t.docx",
            [("{{ “có” if totals.events else ‘không’ }}", False)],
        )
        render_docx(template, CONTEXT, tmp_path / "out.docx")
        assert rendered_text(tmp_path / "out.docx") == "có"


def table_template(path: Path, rows: list[list[str]]) -> Path:
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(str(path))
    return path


class TestRowLoops:
    def test_documented_three_row_form(self, tmp_path: Path) -> None:
        """Tag row, field row, end row: one table row per event, tag rows removed."""
        template = table_template(
            tmp_path / "t.docx",
            [
                ["STT", "Tên"],
                ["{%tr for e in events %}", ""],
                ["{{ e.stt }}", "{{ e.title }}"],
                ["{%tr endfor %}", ""],
            ],
        )
        render_docx(template, CONTEXT, tmp_path / "out.docx")
        table = docx.Document(str(tmp_path / "out.docx")).tables[0]
        assert [[c.text for c in row.cells] for row in table.rows] == [
            ["STT", "Tên"],
            ["1", "Một"],
            ["2", "Hai"],
        ]

    def test_wrong_one_row_form_is_a_clear_error(self, tmp_path: Path) -> None:
        """`{%tr for %}` and `{%tr endfor %}` in the field row: a message, not a corrupt file."""
        template = table_template(
            tmp_path / "t.docx",
            [["STT", "Tên"], ["{%tr for e in events %}{{ e.stt }}", "{{ e.title }}{%tr endfor %}"]],
        )
        with pytest.raises(TemplateError) as caught:
            render_docx(template, CONTEXT, tmp_path / "out.docx")
        assert "t.docx" in str(caught.value)
        assert not (tmp_path / "out.docx").exists()

    def test_not_a_word_file(self, tmp_path: Path) -> None:
        """A template that is no .docx is a TemplateError naming it."""
        bad = tmp_path / "t.docx"
        bad.write_text("không phải Word", encoding="utf-8")
        with pytest.raises(TemplateError, match=r"t\.docx"):
            render_docx(bad, CONTEXT, tmp_path / "out.docx")


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(
    SOFFICE is None and os.environ.get("CI", "").lower() != "true",
    reason="LibreOffice (soffice) is not installed; it is needed to save a template from it",
)
def test_default_template_saved_from_libreoffice_still_renders(
    tmp_path: Path, workdir: Path, invoke: object
) -> None:
    """The default report re-saved by LibreOffice (as staff would) renders the same figures."""
    from tests.conftest import office_save

    source = workdir / "templates" / "report.docx"
    saved = office_save(source, "docx:MS Word 2007 XML", tmp_path / "lo", tmp_path / "profile")
    folder = workdir / "templates-lo"
    folder.mkdir()
    shutil.copy(saved, folder / "report.docx")
    result = invoke(  # type: ignore[operator]
        "generate", "--period", "2023-12", "--templates", str(folder), "--date", "2023-12-20"
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(
        p.text for p in docx.Document(str(workdir / "outputs" / "bao-cao-2023-12.docx")).paragraphs
    )
    assert "đã tổ chức 7 hoạt động với 954 lượt đại biểu" in text
