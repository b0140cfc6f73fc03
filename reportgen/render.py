"""Render templates: Word through docxtpl, Excel through reportgen's own cell renderer.

Both use one sandboxed Jinja environment: templates are written by office staff, so they
may use fields, filters, conditions and loops but can never reach Python internals. Values
are escaped (autoescape), so ``&`` or ``<`` in the data stays text and the document opens.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from .errors import TemplateError
from .formatting import FILTERS
from .i18n import _

# Characters that XML 1.0 forbids; a stray one pasted from a PDF would corrupt the document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: Any) -> Any:
    """Strip XML-illegal characters from every string in ``value``, recursively."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    if isinstance(value, dict):
        return {k: clean_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_text(v) for v in value]
    return value


# A template is a zip: its sizes are checked from the zip directory before anything in it is
# decompressed. The defaults are a few hundred KB; a picture-heavy template a few dozen MB.
# XML compresses 10-30 times, so a ratio far above that in a large file is a zip bomb; small
# files are not held to it (a tiny template of repetitive XML can compress very well).
MAX_TEMPLATE_BYTES = 256 * 1024**2
MAX_TEMPLATE_RATIO = 200
_RATIO_CHECKED_ABOVE = 20 * 1024**2
# Limits on what one template expression may build (docs/security.md). Jinja's sandbox
# already caps range() at 100,000 items; it does not cap repetition or powers.
MAX_SEQUENCE_ITEMS = 1_000_000  # 'a' * n, [x] * n
MAX_POWER_DIGITS = 1000  # x ** y
MAX_FORMAT_WIDTH = 10_000  # '%10000000d' % x, '{:>10000000}'.format(x)
_WIDTH = re.compile(r"(?:%|\{[^{}]*:)[^a-zA-Z%{}]*?(\d+)")


def _too_wide(text: str) -> bool:
    return any(int(n) > MAX_FORMAT_WIDTH for n in _WIDTH.findall(text[:10_000]))


def _sandbox_class() -> Any:
    import math

    from jinja2 import nodes
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class GuardedEnvironment(ImmutableSandboxedEnvironment):
        """The sandbox, with repetition, powers, format widths and rendering time bounded.

        The operators are intercepted, so Jinja never folds them at compile time either.
        """

        intercepted_binops = frozenset({"*", "**", "%"})

        def _generate(self, source: Any, *args: Any, **kwargs: Any) -> Any:
            # Before compiling (not in parse(), whose tree templates check reads), every
            # {% for %} is made to iterate through _turns, which stops a render past its time:
            # Jinja itself has no hook on a loop's turns (docs/security.md). _turns is an
            # imported name, which no variable of the template or key of the data can shadow.
            for loop in source.find_all(nodes.For):
                iterable = loop.iter
                if isinstance(iterable, nodes.Call) and isinstance(
                    iterable.node, nodes.ImportedName
                ):
                    continue  # a tree compiled twice
                line = iterable.lineno
                loop.iter = nodes.Call(
                    nodes.ImportedName(_TURNS, lineno=line), [iterable], [], None, None, lineno=line
                )
            return super()._generate(source, *args, **kwargs)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            # Every call of a template (filters, functions, macros, a recursive loop's loop())
            # looks at the clock too: recursion needs no {% for %} to run for hours.
            _check_deadline()
            return super().call(__context, __obj, *args, **kwargs)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if (
                        isinstance(seq, str | list | tuple)
                        and isinstance(times, int)
                        and len(seq) * times > MAX_SEQUENCE_ITEMS
                    ):
                        raise SecurityError(f"repetition longer than {MAX_SEQUENCE_ITEMS} items")
            elif operator == "**":
                if (
                    isinstance(left, int)
                    and isinstance(right, int)
                    and abs(left) > 1
                    and right * math.log10(abs(left)) > MAX_POWER_DIGITS
                ):
                    raise SecurityError(f"power with more than {MAX_POWER_DIGITS} digits")
            elif operator == "%" and isinstance(left, str) and _too_wide(left):
                raise SecurityError(f"format width above {MAX_FORMAT_WIDTH}")
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            wrapped = super().wrap_str_format(value)
            if wrapped is not None and _too_wide(value.__self__):
                return _refuse_width
            return wrapped

    return GuardedEnvironment


def _refuse_width(*args: Any, **kwargs: Any) -> str:
    from jinja2.exceptions import SecurityError

    raise SecurityError(f"format width above {MAX_FORMAT_WIDTH}")


def _guarded_format(value: Any, *args: Any, **kwargs: Any) -> str:
    """Jinja's ``format`` filter (``'%5d'|format(x)``), with the width bounded."""
    from jinja2.filters import do_format

    if isinstance(value, str) and _too_wide(value):
        _refuse_width()
    return str(do_format(value, *args, **kwargs))


def _guarded_range(*args: int) -> range:
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import MAX_RANGE

    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(f"range() longer than {MAX_RANGE} items")
    return rng


# How long one document may take to render. A monthly report renders in well under a second
# and a 100,000-event annex in about a minute; a template still rendering after this is looping
# (a loop over many items inside another), and a scheduled run would otherwise hang on it.
MAX_RENDER_SECONDS = 600.0
# What every loop of a template iterates through (see GuardedEnvironment._generate).
_TURNS = "reportgen.render._turns"
_deadline: ContextVar[float | None] = ContextVar("reportgen_render_deadline", default=None)
_CHECK_EVERY = 1024  # turns of one loop between two looks at the clock


def _check_deadline() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise _too_long_error()(MAX_RENDER_SECONDS)


def _turns(iterable: Any) -> Iterator[Any]:
    """The items of a template loop, stopping with RenderTooLong once the render's time is up."""
    for turn, item in enumerate(iterable):
        if not turn % _CHECK_EVERY:
            _check_deadline()
        yield item


@cache
def _too_long_error() -> type[Exception]:
    from jinja2.exceptions import SecurityError

    class RenderTooLong(SecurityError):
        """A template still rendering when its time was up."""

        def __init__(self, seconds: float) -> None:
            super().__init__(f"rendering took longer than {seconds:.0f} s")
            self.seconds = seconds

    return RenderTooLong


def _within_time_limit(render: Callable[[], None]) -> None:
    """Call ``render()``; its template loops stop it after MAX_RENDER_SECONDS."""
    token = _deadline.set(time.monotonic() + MAX_RENDER_SECONDS)
    try:
        render()
    finally:
        _deadline.reset(token)


@cache
def jinja_env(autoescape: bool = True) -> Any:
    """The sandboxed environment every template renders in (compiled once, reused).

    Its loader holds no template, so ``{% include %}``, ``{% import %}`` and ``{% extends %}``
    cannot read any file.
    """
    from jinja2 import DictLoader, StrictUndefined

    # An empty loader: every include/import/extends is TemplateNotFound, a Jinja error.
    env = _sandbox_class()(autoescape=autoescape, undefined=StrictUndefined, loader=DictLoader({}))
    env.globals["range"] = _guarded_range
    from .media import TEMPLATE_GLOBALS  # image(...): pictures from the template's folder

    env.globals.update(TEMPLATE_GLOBALS)
    env.filters["format"] = _guarded_format
    env.filters.update(FILTERS)
    return env


# Python errors a template's own expressions cause ({{ 1/0 }}, {{ 'a' + 1 }}, a macro calling
# itself without end): the template's fault, reported in words like Jinja's errors.
TEMPLATE_MISTAKES: tuple[type[Exception], ...] = (
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    RecursionError,
)


@cache
def template_failures() -> tuple[type[Exception], ...]:
    """What a template's rendering raises when the template is at fault: Jinja's errors and
    TEMPLATE_MISTAKES."""
    from jinja2 import TemplateError as JinjaError

    return (JinjaError, *TEMPLATE_MISTAKES)


def explain_jinja_error(exc: BaseException) -> str:
    """What went wrong in a template, in words for the person who edits it."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, _too_long_error()):
        what = _(
            "rendering took longer than {seconds:.0f} s and was stopped; is there a loop over "
            "many items inside another loop?"
        ).format(seconds=exc.seconds)  # type: ignore[attr-defined]  # RenderTooLong's own
        return what
    if isinstance(exc, SecurityError):
        what = _("the template tries to use something templates may not use ({detail})")
    elif isinstance(exc, UndefinedError):
        what = _("unknown field ({detail}); 'reportgen fields' lists the fields")
    elif isinstance(exc, TemplateSyntaxError):
        what = _(
            "template syntax error ({detail}); check that every {{% ... %}} block is "
            "closed and every {{{{ }}}} is balanced"
        )
    else:
        what = _("the template could not be rendered ({detail})")
    return what.format(detail=exc)


def _template_line(exc: BaseException) -> int | None:
    """The line of the template source where Jinja stopped, from the traceback."""
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno if isinstance(lineno, int) else None


def describe_template_error(
    exc: BaseException, template: Path, source: str = "", where: str = ""
) -> TemplateError:
    """A Jinja failure in a Word template, located by the visible text of its paragraph.

    ``source`` is the part's Jinja source with one paragraph per line (as docxtpl renders
    it), so the line Jinja names maps back to a paragraph; ``where`` names a part other than
    the body ("header", "footer").
    """
    text = _("{template}: {what}").format(template=template, what=explain_jinja_error(exc))
    near = ""
    lineno = _template_line(exc)
    lines = source.splitlines()
    if lineno is not None and 0 < lineno <= len(lines):
        near = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()[:200]
    if near:
        if where:
            near += f" ({where})"
        text += " " + _("Near the text: \u201c{near}\u201d.").format(near=near)
    elif where:
        text += f" ({where})"
    return TemplateError(text)


_ROW_TAG = re.compile(r"\{%-?\s*tr\s.*?%\}", re.DOTALL)


def bad_row_loops(tables: list[Any]) -> Iterator[tuple[int, int, Any]]:
    """Each table row holding a ``{%tr %}`` tag that is not alone in it: (table, row, row).

    docxtpl replaces a whole table row by its ``{%tr %}`` tag, so the tag must sit in a row
    of its own: a row with ``{%tr for ... %}``, the row to repeat, a row with ``{%tr endfor %}``.
    Numbers count from 1; a table nested in a cell is numbered among its cell's tables.
    """

    def rows(tables: list[Any]) -> Any:
        for number, table in enumerate(tables, start=1):
            for index, row in enumerate(table.rows, start=1):
                yield number, index, row
                for cell in row.cells:
                    yield from rows(cell.tables)

    for number, index, row in rows(tables):
        text = "".join(cell.text for cell in row.cells)
        tags = _ROW_TAG.findall(text)
        if not tags:
            continue
        rest = _ROW_TAG.sub("", text).strip()
        if len(set(tags)) > 1 or rest:
            yield number, index, row


def check_row_loops(document: Any, template: Path) -> None:
    """Refuse the common wrong row-loop form before docxtpl turns it into a broken table."""
    for number, index, _row in bad_row_loops(list(document.tables)):
        raise TemplateError(
            _(
                "{template}: table {table}, row {row}: a row loop tag must be alone in its "
                "row. Use three rows: one with only {{%tr for e in events %}}, then the row "
                "with the fields, then one with only {{%tr endfor %}}."
            ).format(template=template.name, table=number, row=index)
        )


def template_archive_problem(
    template: Path, infos: list[zipfile.ZipInfo] | None = None
) -> str | None:
    """Why the template's zip must not be opened (a zip bomb, or far too large), or None.

    Only the zip directory is read: nothing is decompressed before this check passes.
    """
    if infos is None:
        try:
            with zipfile.ZipFile(template) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            return None  # not a zip: the loader that runs next names that in its own words
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_TEMPLATE_BYTES:
        return _(
            "the file would expand to {size} MB when opened, more than the {limit} MB a "
            "template may hold; nothing in it was read."
        ).format(size=-(-total // 1024**2), limit=MAX_TEMPLATE_BYTES // 1024**2)  # up, down
    if total > _RATIO_CHECKED_ABOVE and total / packed > MAX_TEMPLATE_RATIO:
        return _(
            "the file is compressed {ratio} times over ({size} MB when opened), as no document "
            "is but a zip bomb is; nothing in it was read."
        ).format(ratio=int(total / packed), size=-(-total // 1024**2))
    return None


def check_template_archive(template: Path, infos: list[zipfile.ZipInfo] | None = None) -> None:
    """Raise TemplateError naming the template if :func:`template_archive_problem` finds one."""
    problem = template_archive_problem(template, infos)
    if problem is not None:
        raise TemplateError(f"{template}: {problem}")


def render_docx(template: Path, context: dict[str, Any], target: Path) -> None:
    """Render the Word ``template`` with ``context`` into ``target``.

    The template is compiled once and reused while the file is unchanged (wordfile.py), so
    a batch of reports pays for reading and compiling it only once.
    """
    from .wordfile import compile_word

    compiled = compile_word(template)
    _within_time_limit(lambda: compiled.render(clean_text(context), target))


def render_xlsx(template: Path, context: dict[str, Any], target: Path) -> None:
    """Render the Excel ``template`` with ``context`` into ``target``."""
    from .xlsx import render_workbook

    _within_time_limit(
        lambda: render_workbook(template, clean_text(context), target, jinja_env(autoescape=False))
    )
