"""Sandbox-escape and resource-exhaustion attempts in templates: each refused or bounded."""

from __future__ import annotations

import time
from pathlib import Path

import docx
import openpyxl
import pytest
from jinja2 import TemplateError as JinjaError

from reportgen import render
from reportgen.errors import TemplateError
from reportgen.render import jinja_env, render_docx, render_xlsx

ATTEMPTS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__ }}",
    "{{ config }}",
    "{{ request }}",
    "{{ (1,2).__class__ }}",
    "{{ range.__self__ }}",
    "{{ [].pop.__self__ }}",
    "{{ {}.update(a=1) }}",
    "{% set x = [] %}{{ x.append(1) }}",
    "{{ ''.format.__globals__ }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{% for x in range(10**10) %}{% endfor %}",
    "{% for x in range(0, 10**10, 2) %}{% endfor %}",
    "{{ 'a' * 10**10 }}",
    "{{ 10**10 * 'a' }}",
    "{{ [0] * 10**9 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ 2 ** 10000000 }}",
    "{{ '%1000000000d' % 1 }}",
    "{{ '%1000000000d'|format(1) }}",
    "{{ '{:>1000000000}'.format(1) }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% from 'os' import system %}",
    "{% extends '/etc/passwd' %}",
    "{{ 1 / 0 }}",
]

MAX_OUTPUT = 1_000_000


@pytest.mark.parametrize("template", ATTEMPTS)
def test_escape_attempt_refused_or_bounded(template: str) -> None:
    started = time.monotonic()
    try:
        output = jinja_env().from_string(template).render()
    except JinjaError:
        pass
    except ZeroDivisionError:  # plain arithmetic: render_docx reports it in words
        pass
    else:
        assert len(output) <= MAX_OUTPUT
        assert "root:" not in output and "uid=" not in output
    assert time.monotonic() - started < 5


def test_range_limit_is_jinjas() -> None:
    """Jinja's sandbox range limit still applies, and the largest allowed range works."""
    from jinja2.sandbox import MAX_RANGE

    assert MAX_RANGE == 100_000
    env = jinja_env()
    assert env.from_string("{{ range(100000)|length }}").render() == "100000"
    with pytest.raises(JinjaError):
        env.from_string("{{ range(100001)|length }}").render()


def test_ordinary_operators_still_work() -> None:
    out = (
        jinja_env()
        .from_string(
            "{{ 'ab' * 3 }} {{ 3 * '-' }} {{ 2 ** 10 }} {{ '%05.1f' % 3.14159 }} "
            "{{ '%3d'|format(7) }} {{ '{:>4}'.format(1) }} {{ 7 % 3 }} {{ [1] * 2 }}"
        )
        .render()
    )
    assert out == "ababab --- 1024 003.1   7    1 1 [1, 1]"


def _word(path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph("Báo cáo")
    document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    "template",
    [
        "{{ cycler.__init__.__globals__.os }}",
        "{{ 'a' * 10**10 }}",
        "{% for x in range(10**10) %}x{% endfor %}",
        "{% include '/etc/passwd' %}",
        "{{ 1 / 0 }}",
        "{{ 'a' + 1 }}",
    ],
)
def test_word_template_attempt_is_a_template_error(tmp_path: Path, template: str) -> None:
    """Through a real .docx template, every attempt is one TemplateError naming the file."""
    with pytest.raises(TemplateError, match=r"t\.docx"):
        render_docx(_word(tmp_path / "t.docx", template), {}, tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


def test_excel_template_attempt_is_a_template_error(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "{{ 'a' * 10**10 }}"
    workbook.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError):
        render_xlsx(tmp_path / "t.xlsx", {}, tmp_path / "out.xlsx")


# Loops within the range limit, nested: 10**10 turns, hours of work with no output.
NESTED = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def test_word_template_that_runs_too_long_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message names the template, the limit and the paragraph of the loop."""
    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 1.0)
    started = time.monotonic()
    with pytest.raises(TemplateError) as refused:
        render_docx(_word(tmp_path / "t.docx", NESTED), {}, tmp_path / "out.docx")
    assert time.monotonic() - started < 30
    message = str(refused.value)
    assert "t.docx" in message
    assert "1 giây" in message  # the limit, in the message's words
    assert "for i in range(100000)" in message  # near the text of the loop
    assert not (tmp_path / "out.docx").exists()


def test_loop_over_data_inside_a_loop_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only range(): any loop, here over a list of the context, inside another."""
    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 0.5)
    template = (
        "{% for a in items %}{% for b in items %}{% for c in items %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    )
    with pytest.raises(TemplateError, match=r"t\.docx"):
        render_docx(
            _word(tmp_path / "t.docx", template), {"items": list(range(5000))}, tmp_path / "o.docx"
        )


def test_excel_template_that_runs_too_long_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 0.5)
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = NESTED
    workbook.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError, match=r"t\.xlsx"):
        render_xlsx(tmp_path / "t.xlsx", {}, tmp_path / "out.xlsx")


def test_loops_still_work_as_before() -> None:
    """Loops go through the time check: loop variables, else, filters and recursion unchanged."""
    env = jinja_env()
    source = (
        "{% for x in items if x > 1 %}{{ loop.index }}/{{ loop.length }}"
        "{% if loop.last %}!{% endif %} {% else %}none{% endfor %}|"
        "{% for k, v in pairs %}{{ k }}={{ v }} {% endfor %}|"
        "{% for x in [] %}x{% else %}empty{% endfor %}|"
        "{% for n in tree recursive %}{{ n.name }}({{ loop(n.children) }}){% endfor %}"
    )
    tree = [{"name": "a", "children": [{"name": "b", "children": []}]}]
    out = env.from_string(source).render(items=[1, 2, 3], pairs=[("p", 1), ("q", 2)], tree=tree)
    assert out == "1/2 2/2! |p=1 q=2 |empty|a(b())"


@pytest.mark.parametrize(
    "template",
    [
        # a recursive loop: loop() passes its items through no {% for %} of their own
        "{% for n in range(3) recursive %}{% if loop.depth < 4 %}{{ loop(range(3000)) }}"
        "{% endif %}{% endfor %}",
        # a macro calling itself twice, 2**25 calls and no loop at all
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(25) }}",
        # the template names a variable as the loop check was once named
        "{% set _reportgen_turns = range %}{% for a in range(10000) %}{% for b in range(10000) %}"
        "{% endfor %}{% endfor %}",
    ],
    ids=["recursive loop", "recursive macro", "shadowing name"],
)
def test_other_ways_to_run_long_are_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str
) -> None:
    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(TemplateError, match="giây"):
        render_docx(_word(tmp_path / "t.docx", template), {}, tmp_path / "o.docx")
    assert time.monotonic() - started < 20


def test_macro_without_end_is_a_template_error(tmp_path: Path) -> None:
    """Recursion past Python's limit is the template's mistake, said in words."""
    template = "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}"
    with pytest.raises(TemplateError, match=r"t\.docx"):
        render_docx(_word(tmp_path / "t.docx", template), {}, tmp_path / "o.docx")


@pytest.mark.parametrize(
    "template",
    ["{{ 1 / 0 }}", "{{ 'a' + 1 }}", "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}"],
)
def test_excel_template_mistake_is_a_template_error(tmp_path: Path, template: str) -> None:
    """Arithmetic, type and recursion mistakes in an Excel cell name the cell, as in Word."""
    workbook = openpyxl.Workbook()
    workbook.active["B2"] = template
    workbook.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError, match=r"t\.xlsx.*B2"):
        render_xlsx(tmp_path / "t.xlsx", {}, tmp_path / "out.xlsx")
