"""Check templates without input data: every problem named by its place, with what to do.

A template is checked the way it will be rendered, but against the template contract instead
of a period's data, so a mistake shows up before the monthly run, not during it:

- every Jinja tag is compiled on its own (a syntax error is found at its paragraph or cell),
  blocks are matched (``{%p if %}`` with ``{%p endif %}``, ``for`` with ``endfor``), and each
  part of a Word file (body, headers, footers) is compiled as docxtpl will see it;
- every field and filter a tag uses is looked up in the fields of a real context built from
  the sample inputs (``reportgen fields`` lists them), following loop variables, so
  ``{{ e.titel }}`` inside ``{%tr for e in events %}`` is found and ``e.title`` suggested;
- the docxtpl forms: a row loop tag alone in its row (``render.bad_row_loops``), a ``{%p %}``
  tag alone in its paragraph, no ``{%tr %}`` outside a table; the Excel forms: a row loop
  ending with ``{%tr endfor %}`` in the same row, column loops filling a whole cell;
- what openpyxl loses when it loads an Excel template (shapes, pictures without Pillow,
  chart styles, Excel 2010+ extensions such as x14 data validations, comment boxes, form
  controls, macros): these are warnings, since the annex is still written.

Problems are records (``TemplateProblem``), never exceptions.
"""

from __future__ import annotations

import difflib
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .config import Config
from .i18n import _

Severity = Literal["error", "warning"]
WORD_SUFFIXES = (".docx",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class TemplateProblem:
    """One problem of one template: where it is, what is wrong, what to do."""

    template: str
    place: str
    code: str
    message: str
    hint: str
    severity: Severity = "error"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckResult:
    templates: list[Path] = field(default_factory=list)
    problems: list[TemplateProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[TemplateProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[TemplateProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "templates": [str(t) for t in self.templates],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        }


def template_files(paths: Sequence[Path]) -> tuple[list[Path], list[TemplateProblem]]:
    """The template files under ``paths`` (folders are searched, not recursively).

    Word's lock files (``~$report.docx``) and hidden files are skipped.
    """
    files: list[Path] = []
    problems: list[TemplateProblem] = []
    suffixes = WORD_SUFFIXES + EXCEL_SUFFIXES
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.iterdir())
                if p.is_file()
                and p.suffix.lower() in suffixes
                and not p.name.startswith(("~$", "."))
            )
        elif not path.exists():
            problems.append(
                TemplateProblem(
                    str(path),
                    "",
                    "template.missing",
                    _("The file does not exist."),
                    _("Check the name and the folder."),
                )
            )
        elif path.suffix.lower() not in suffixes:
            problems.append(
                TemplateProblem(
                    str(path),
                    "",
                    "template.unsupported",
                    _("This is not a template reportgen can use."),
                    _("Templates are Word .docx files and Excel .xlsx files."),
                )
            )
        else:
            files.append(path)
    return files, problems


def check_templates(paths: Sequence[Path], *, config: Config | None = None) -> CheckResult:
    """Check every template under ``paths`` against the fields of the sample context.

    ``config`` gives the schema (its narrative sections are fields) and the committee; the
    default is the configuration ``reportgen init`` writes.
    """
    from .fields import field_kinds, sample_context

    files, problems = template_files(paths)
    result = CheckResult(templates=files, problems=problems)
    if not files:
        return result
    kinds = field_kinds(sample_context(config))
    for path in files:
        result.problems.extend(check_template(path, kinds))
    return result


def check_template(path: Path, kinds: dict[str, str]) -> list[TemplateProblem]:
    """Every problem of the template ``path``; ``kinds`` are the known fields (fields.py)."""
    from .render import template_archive_problem

    too_large = template_archive_problem(path)
    if too_large is not None:
        return [
            TemplateProblem(
                path.name,
                "",
                "template.too_large",
                too_large,
                _("Remove large pictures or embedded files from the template and save it again."),
            )
        ]
    if path.suffix.lower() in WORD_SUFFIXES:
        return _WordChecker(path, kinds).run()
    return _ExcelChecker(path, kinds).run() + excel_losses(path)


# --- Tags -------------------------------------------------------------------------------

_OPENER = re.compile(r"\{[{%#]")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_STRAY_CLOSER = re.compile(r"\}\}|%\}")
_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_BLOCKS = {
    "for": "endfor",
    "if": "endif",
    "macro": "endmacro",
    "call": "endcall",
    "filter": "endfilter",
    "with": "endwith",
    "block": "endblock",
    "autoescape": "endautoescape",
    "set": "endset",  # only the block form {% set x %}...{% endset %}
}
_ENDS = {end: start for start, end in _BLOCKS.items()}
_MIDDLES = {"else": ("if", "for"), "elif": ("if",)}
# A valid opening for each end tag, to compile an end tag on its own.
_END_PROBES = {
    "endfor": "{% for _x in () %}",
    "endif": "{% if true %}",
    "endmacro": "{% macro _m() %}",
    "endcall": "{% call _m() %}",
    "endfilter": "{% filter upper %}",
    "endwith": "{% with %}",
    "endblock": "{% block _b %}",
    "endautoescape": "{% autoescape true %}",
    "endset": "{% set _x %}",
}
_LOOP_ATTRIBUTES = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "cycle",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "changed",
    }
)
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
# Filters that keep a list a list of the same items, and those that pick one item.
_LIST_FILTERS = frozenset(
    {"sort", "reverse", "list", "selectattr", "rejectattr", "select", "reject", "unique"}
)
_ITEM_FILTERS = frozenset({"first", "last", "random"})


@dataclass(frozen=True)
class _Tag:
    place: str
    text: str  # as written, e.g. "{%p if events %}"
    prefix: str  # the docxtpl prefix: "", "p", "tr", "tc", "r"
    jinja: str  # the tag Jinja sees once the prefix is gone, e.g. "{% if events %}"

    @property
    def keyword(self) -> str:
        if not self.jinja.startswith("{%"):
            return ""
        words = self.jinja[2:-2].strip("-+ \t\r\n").split(None, 1)
        return words[0] if words else ""


def split_tags(text: str) -> tuple[list[str], list[str]]:
    """The Jinja tags in ``text``, and the fragments of tags that are not closed.

    A tag must start and end in the same paragraph or cell: ``{{ totals.events }`` (one brace
    missing) is reported here instead of swallowing the text up to the next ``}}``.
    """
    tags: list[str] = []
    broken: list[str] = []
    position = 0
    while True:
        opener = _OPENER.search(text, position)
        plain = text[position : opener.start() if opener else len(text)]
        stray = _STRAY_CLOSER.search(plain)
        if stray:
            start = max(0, position + stray.start() - 30)
            broken.append(text[start : position + stray.end()].strip())
        if opener is None:
            return tags, broken
        end = text.find(_CLOSERS[opener.group()], opener.end())
        if end < 0:
            broken.append(text[opener.start() : opener.start() + 40].strip())
            return tags, broken
        tags.append(text[opener.start() : end + 2])
        position = end + 2


_PREFIXED = re.compile(r"^(\{%|\{\{)(tr|tc|p|r) ")


# docxtpl's own cell tags: {% colspan n %} and {% cellbg c %} become values, {% vm %} and
# {% hm %} (merge cells in a loop) disappear before Jinja sees the document.
_DOCXTPL_CELL_TAG = re.compile(r"^\{%\s*(colspan|cellbg|vm|hm)\b(.*?)%\}$", re.DOTALL)


def make_tag(place: str, text: str, prefixes: Iterable[str]) -> _Tag:
    """A tag with its docxtpl prefix (one of ``prefixes``) taken off, as docxtpl does."""
    prefixes = tuple(prefixes)
    match = _PREFIXED.match(text)
    if match and match.group(2) in prefixes:
        return _Tag(place, text, match.group(2), match.group(1) + " " + text[match.end() :])
    cell = _DOCXTPL_CELL_TAG.match(text) if "tr" in prefixes else None
    if cell is not None:
        value = cell.group(2).strip()
        return _Tag(place, text, "", "{{ " + value + " }}" if value else "")
    return _Tag(place, text, "", text)


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Source:
    """Checks one unit that is rendered as one Jinja template: a Word part, an Excel cell."""

    def __init__(
        self,
        template: Path,
        env: Any,
        kinds: dict[str, str],
        problems: list[TemplateProblem],
    ) -> None:
        self.template = template
        self.env = env
        self.kinds = kinds
        self.problems = problems

    def add(self, place: str, code: str, message: str, hint: str) -> None:
        problem = TemplateProblem(self.template.name, place, code, message, hint)
        if problem not in self.problems:
            self.problems.append(problem)

    def check(self, tags: list[_Tag], scope: dict[str, Any] | None = None) -> bool:
        """Check ``tags`` in order as one template; True when no problem was found.

        Fields are looked up even when some tags are broken: a broken tag is replaced by a
        neutral one of the same kind and missing block ends are added, so one mistake does
        not hide the others.
        """
        from jinja2 import TemplateSyntaxError

        before = len(self.problems)
        broken = {index for index, tag in enumerate(tags) if not self._check_syntax(tag)}
        lines = self._check_blocks(tags, broken)
        if not lines:
            return len(self.problems) == before
        source = "\n".join(" ".join(jinja.split("\n")) for _place, jinja in lines)
        try:
            tree = self.env.parse(source)
        except TemplateSyntaxError as exc:
            if len(self.problems) == before:
                place = lines[min(max((exc.lineno or 1) - 1, 0), len(lines) - 1)][0]
                tag = next((t for t in tags if t.place == place), tags[0])
                self.add(place, "template.syntax", *_syntax_message(tag.text, exc))
            return False

        def report(lineno: int, code: str, message: str, hint: str) -> None:
            self.add(lines[min(max(lineno - 1, 0), len(lines) - 1)][0], code, message, hint)

        _Walker(self.env, self.kinds, report, self.template.parent).run(tree, dict(scope or {}))
        return len(self.problems) == before

    def _check_syntax(self, tag: _Tag) -> bool:
        """Compile one tag on its own (with a matching end for a block); False if it fails."""
        from jinja2 import TemplateSyntaxError

        if tag.jinja.startswith("{#"):
            return True
        keyword = tag.keyword
        if keyword in _BLOCKS:
            probes = [tag.jinja + "{% " + _BLOCKS[keyword] + " %}", tag.jinja]
        elif keyword in _MIDDLES:
            probes = [
                "{% if true %}" + tag.jinja + "{% endif %}",
                "{% for _x in () %}" + tag.jinja + "{% endfor %}",
            ]
        elif keyword in _END_PROBES:
            probes = [_END_PROBES[keyword] + tag.jinja]
        else:
            probes = [tag.jinja]
        first: TemplateSyntaxError | None = None
        for probe in probes:
            try:
                self.env.parse(probe)
                return True
            except TemplateSyntaxError as exc:
                first = first or exc
        assert first is not None
        self.add(tag.place, "template.syntax", *_syntax_message(tag.text, first))
        return False

    def _check_blocks(self, tags: list[_Tag], broken: set[int]) -> list[tuple[str, str]]:
        """Match every block tag with its end, naming the places when they do not match.

        Returns the tags as (place, Jinja text) with the mistakes repaired: broken tags
        neutral, stray ends left out, missing ends added.
        """
        lines: list[tuple[str, str]] = []
        stack: list[_Tag] = []
        for index, tag in enumerate(tags):
            jinja = _neutral(tag) if index in broken else tag.jinja
            keyword = tag.keyword
            if keyword in _BLOCKS and not (keyword == "set" and "=" in tag.jinja):
                stack.append(tag)
            elif keyword in _MIDDLES:
                if not stack or stack[-1].keyword not in _MIDDLES[keyword]:
                    self.add(
                        tag.place,
                        "template.unbalanced",
                        _("{tag} is not inside an {{% if %}} block.").format(tag=tag.text),
                        _(
                            "Move it between the {{% if ... %}} and its {{% endif %}}, or "
                            "delete it."
                        ).format(),
                    )
                    continue
            elif keyword in _ENDS:
                opener = _ENDS[keyword]
                if not any(open_tag.keyword == opener for open_tag in stack):
                    self.add(
                        tag.place,
                        "template.unbalanced",
                        _("{tag} closes a {{% {opener} %}} block that was never opened.").format(
                            tag=tag.text, opener=opener
                        ),
                        _(
                            "Delete it, or add the matching {{% {opener} ... %}} above it "
                            "(with the same p/tr form)."
                        ).format(opener=opener),
                    )
                    continue
                while stack[-1].keyword != opener:
                    unclosed = stack.pop()
                    self._not_closed(unclosed)
                    lines.append((tag.place, "{% " + _BLOCKS[unclosed.keyword] + " %}"))
                stack.pop()
            if jinja:
                lines.append((tag.place, jinja))
        for tag in stack:
            self._not_closed(tag)
        for tag in reversed(stack):
            lines.append((tag.place, "{% " + _BLOCKS[tag.keyword] + " %}"))
        return lines

    def _not_closed(self, tag: _Tag) -> None:
        end = _BLOCKS[tag.keyword]
        prefix = f"{tag.prefix} " if tag.prefix else " "
        self.add(
            tag.place,
            "template.unbalanced",
            _("{tag} is never closed.").format(tag=tag.text),
            _("Add {end} where the block should end.").format(end="{%" + prefix + end + " %}"),
        )


_NEUTRAL = {
    "if": "{% if true %}",
    "elif": "{% elif true %}",
    "else": "{% else %}",
    "with": "{% with %}",
    "macro": "{% macro _m() %}",
    "call": "{% call _m() %}",
    "filter": "{% filter upper %}",
    "block": "{% block _b %}",
    "autoescape": "{% autoescape true %}",
    **{end: "{% " + end + " %}" for end in _ENDS},
}


def _neutral(tag: _Tag) -> str:
    """A tag of the same kind as the broken ``tag`` that compiles, or "" to leave it out."""
    keyword = tag.keyword
    if keyword == "for":
        target = re.match(r"\{%-?\s*for\s+(\w+)", tag.jinja)
        return "{% for " + (target.group(1) if target else "_x") + " in () %}"
    if keyword == "set":
        return "" if "=" in tag.jinja else "{% set _x %}"
    return _NEUTRAL.get(keyword, "")


def _syntax_message(text: str, exc: Exception) -> tuple[str, str]:
    detail = getattr(exc, "message", None) or str(exc)
    return (
        _("Syntax error in {tag}: {detail}").format(tag=_shorten(text, 80), detail=detail),
        _(
            "Compare the tag with docs/template-fields.md: fields are written {{{{ name }}}}, "
            "blocks {{% if ... %}} ... {{% endif %}}."
        ).format(),
    )


_ANY = "\x00any"
_LOOP = "\x00loop"
_REFUSED = "\x00refused"  # an attribute walk already reported as not allowed


class _Walker:
    """Follow names through a template's syntax tree and report those not in the contract."""

    def __init__(
        self,
        env: Any,
        kinds: dict[str, str],
        report: Callable[[int, str, str, str], None],
        folder: Path | None = None,
    ) -> None:
        from .media import TEMPLATE_GLOBALS

        self.env = env
        self.kinds = kinds
        self.report = report
        self.top = {path for path in kinds if "." not in path and "[" not in path}
        # Known whether or not the environment at hand registered them (image(), ...).
        self.functions = set(env.globals) | set(TEMPLATE_GLOBALS)
        self.folder = folder  # the template's folder, where image() finds its pictures

    def run(self, tree: Any, scope: dict[str, Any]) -> None:
        self.visit(tree, scope)

    def unknown(self, lineno: int, typed: str, candidates: Iterable[str], replace: str) -> None:
        guess = difflib.get_close_matches(replace, list(candidates), n=1, cutoff=0.6)
        if guess:
            base = typed[: len(typed) - len(replace)]
            hint = _("Did you mean {name}? 'reportgen fields' lists every field.").format(
                name=base + guess[0]
            )
        else:
            hint = _("Check the spelling; 'reportgen fields' lists every field.")
        self.report(
            lineno, "template.unknown-field", _("Unknown field {name}.").format(name=typed), hint
        )

    def children(self, path: str) -> list[str]:
        start = path + "."
        return [
            p[len(start) :]
            for p in self.kinds
            if p.startswith(start) and "." not in p[len(start) :]
        ]

    def child(self, base: str, typed: str, key: str, lineno: int, attribute: bool) -> str:
        shown = (f"{typed}.{key}" if attribute else f'{typed}["{key}"]') if typed else key
        if base == _REFUSED:
            return _REFUSED  # the walk was refused at its first name: one message for it
        if attribute and key.startswith("_"):
            self.report(
                lineno,
                "template.not-allowed",
                _("{name} is not allowed in templates.").format(name=shown),
                _("Templates can only use fields and filters; remove it."),
            )
            return _REFUSED
        if base == _LOOP:
            if key not in _LOOP_ATTRIBUTES:
                self.unknown(lineno, shown, _LOOP_ATTRIBUTES, key)
            return _ANY
        if self.kinds.get(base) != "group":
            return _ANY  # a map, a list or a value: names come from the data or are methods
        path = f"{base}.{key}"
        if path in self.kinds:
            return path
        if attribute and key in _DICT_METHODS:
            return _ANY
        self.unknown(lineno, shown, self.children(base), key)
        return _ANY

    def resolve(self, node: Any, scope: dict[str, Any]) -> tuple[str, str]:
        """(field path or _ANY/_LOOP, the expression as typed) of an expression node."""
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name], node.name
            if node.name in self.top:
                return node.name, node.name
            if node.name not in self.functions:
                self.unknown(node.lineno, node.name, set(self.top) | set(scope), node.name)
            return _ANY, node.name
        if isinstance(node, nodes.Getattr):
            base, typed = self.resolve(node.node, scope)
            return self.child(base, typed, node.attr, node.lineno, True), f"{typed}.{node.attr}"
        if isinstance(node, nodes.Getitem):
            base, typed = self.resolve(node.node, scope)
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return self.child(base, typed, arg.value, node.lineno, False), typed
            self.visit(arg, scope)
            if base == _REFUSED:
                return _REFUSED, typed
            if base not in (_ANY, _LOOP) and self.kinds.get(base) == "list":
                return (base if isinstance(arg, nodes.Slice) else f"{base}[]"), f"{typed}[]"
            return _ANY, typed
        if isinstance(node, nodes.Filter):
            self.check_name(node, "filter")
            self.visit_arguments(node, scope)
            if node.node is None:
                return _ANY, ""
            base, typed = self.resolve(node.node, scope)
            if base not in (_ANY, _LOOP) and self.kinds.get(base) == "list":
                if node.name in _LIST_FILTERS:
                    return base, typed
                if node.name in _ITEM_FILTERS:
                    return f"{base}[]", typed
            return _ANY, typed
        self.visit(node, scope)
        return _ANY, ""

    def check_name(self, node: Any, what: str) -> None:
        from jinja2 import nodes

        known = self.env.filters if what == "filter" else self.env.tests
        if node.name in known:
            return
        guess = difflib.get_close_matches(node.name, list(known), n=1)
        if what == "filter":
            message = _("Unknown filter {name}.").format(name=node.name)
            code = "template.unknown-filter"
        else:
            message = _("Unknown test {name}.").format(name=node.name)
            code = "template.unknown-test"
        hint = (
            _("Did you mean {name}? 'reportgen fields' lists the filters.").format(name=guess[0])
            if guess
            else _("'reportgen fields' lists the filters reportgen adds to Jinja's own.")
        )
        assert isinstance(node, nodes.Filter | nodes.Test)
        self.report(node.lineno, code, message, hint)

    def check_picture(self, node: Any, scope: dict[str, Any]) -> None:
        """``image("logo.png", width_cm=3)`` with a written name: the picture must be there
        now, not only when a report is made."""
        from jinja2 import nodes

        from .media import MediaError, image

        called = node.node
        if (
            self.folder is None
            or not isinstance(called, nodes.Name)
            or called.name != "image"
            or called.name in scope
            or not node.args
            or not isinstance(node.args[0], nodes.Const)
            or node.dyn_args is not None
            or node.dyn_kwargs is not None
        ):
            return
        sizes = {k.key: k.value.value for k in node.kwargs if isinstance(k.value, nodes.Const)}
        arguments = [a.value for a in node.args if isinstance(a, nodes.Const)]
        if len(arguments) != len(node.args):
            return
        try:
            image(*arguments, **sizes).load(self.folder)
        except MediaError as exc:
            self.report(
                node.lineno,
                "template.picture",
                str(exc),
                _(
                    "Put the picture (PNG or JPEG, at most 10 MB) in the template's folder and "
                    'write its name as in image("logo.png", width_cm=3).'
                ),
            )
        except TypeError:  # image() called with arguments it does not take
            self.report(
                node.lineno,
                "template.picture",
                _("image() takes a file name, then width_cm and height_cm."),
                _('Write it as image("logo.png", width_cm=3).'),
            )

    def visit_arguments(self, node: Any, scope: dict[str, Any]) -> None:
        for argument in [*node.args, *(k.value for k in node.kwargs)]:
            self.visit(argument, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.visit(extra, scope)

    def bind(self, target: Any, value: str, scope: dict[str, Any]) -> None:
        from jinja2 import nodes

        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, _ANY, scope)

    def visit(self, node: Any, scope: dict[str, Any]) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem | nodes.Filter):
            self.resolve(node, scope)
        elif isinstance(node, nodes.For):
            base, _typed = self.resolve(node.iter, scope)
            item = f"{base}[]" if self.kinds.get(base) == "list" else _ANY
            inner = dict(scope)
            self.bind(node.target, item, inner)
            inner["loop"] = _LOOP
            for child in [*([node.test] if node.test else []), *node.body]:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Assign):
            value, _typed = self.resolve(node.node, scope)
            self.bind(node.target, value, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.bind(node.target, _ANY, scope)
            for child in node.body:
                self.visit(child, scope)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            if isinstance(node, nodes.CallBlock):
                self.visit(node.call, scope)
            for default in node.defaults:
                self.visit(default, scope)
            inner = dict(scope)
            for argument in node.args:
                self.bind(argument, _ANY, inner)
            for name in ("caller", "varargs", "kwargs"):
                inner[name] = _ANY
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
                inner[node.name] = _ANY
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, expression in zip(node.targets, node.values, strict=False):
                ref, _typed = self.resolve(expression, scope)
                self.bind(target, ref, inner)
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.Test):
            self.check_name(node, "test")
            self.visit(node.node, scope)
            self.visit_arguments(node, scope)
        elif isinstance(node, nodes.Call):
            self.check_picture(node, scope)
            for child in node.iter_child_nodes():
                self.visit(child, scope)
        elif isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            self.report(
                node.lineno,
                "template.not-allowed",
                _("include, import and extends cannot be used in reportgen templates."),
                _("Copy the text into this template instead."),
            )
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)


# --- Word -------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_WORD_PREFIXES = ("p", "tr", "tc", "r")


class _Checker:
    """Problems of one template, each recorded once, with places in document order."""

    def __init__(self, template: Path, kinds: dict[str, str]) -> None:
        self.template = template
        self.kinds = kinds
        self.problems: list[TemplateProblem] = []
        self.places: list[str] = []  # in document or sheet order, to sort the problems by

    def add(self, place: str, code: str, message: str, hint: str) -> None:
        problem = TemplateProblem(self.template.name, place, code, message, hint)
        if problem not in self.problems:
            self.problems.append(problem)


class _WordChecker(_Checker):
    def run(self) -> list[TemplateProblem]:
        from docxtpl import DocxTemplate

        from .render import jinja_env

        document = DocxTemplate(str(self.template))
        try:
            document.init_docx()
        except Exception as exc:  # python-docx raises several types for a file that is no .docx
            self.add(
                "",
                "template.unreadable",
                _("The Word template cannot be opened ({reason}).").format(reason=exc),
                _("Open it in Word and save it again as a Word document (.docx)."),
            )
            return self.problems
        env = jinja_env()
        parts: list[tuple[str, Any, Any]] = [("", document.docx.element.body, None)]
        for relation in document.docx.part.rels.values():
            if relation.is_external:
                continue
            label = {
                _HEADER: _("header"),
                _FOOTER: _("footer"),
                _FOOTNOTES: _("footnotes"),
            }.get(relation.reltype)
            if label is not None:
                part = relation.target_part
                element = getattr(part, "element", None)
                if element is None:  # a part python-docx does not model: parse its XML
                    from docx.oxml import parse_xml

                    element = parse_xml(part.blob)
                parts.append((label, element, part))
        for label, element, part in parts:
            before = len(self.problems)
            source = _Source(self.template, env, self.kinds, self.problems)
            source.check(self.part_tags(label, element))
            self.check_row_loops(label, element)
            if len(self.problems) == before:
                self.compile_as_docxtpl(document, env, label, part)
        self.check_properties(document, env)
        return _in_order(self.problems, self.places)

    def place(self, label: str, where: str) -> str:
        if label:
            where = _("{part}, {place}").format(part=label, place=where)
        self.places.append(where)
        return where

    def part_tags(self, label: str, element: Any) -> list[_Tag]:
        """The tags of a part in document order, each with its paragraph or cell."""
        texts: dict[Any, list[str]] = {}
        for node in element.iter(_W + "t"):
            owner = node.getparent()
            while owner is not None and owner.tag != _W + "p":
                owner = owner.getparent()
            if owner is not None:
                texts.setdefault(owner, []).append(node.text or "")
        tables = {table: number for number, table in enumerate(element.iter(_W + "tbl"), 1)}
        tags: list[_Tag] = []
        for paragraph in element.iter(_W + "p"):
            text = "".join(texts.get(paragraph, []))
            if ("{" not in text and "}" not in text) or _inside(paragraph, _MC_FALLBACK):
                continue
            where = self.place(label, self.paragraph_place(paragraph, text, tables))
            found, broken = split_tags(text.translate(_SMART_QUOTES))
            for fragment in broken:
                self.add(
                    where,
                    "template.tag-not-closed",
                    _("A tag is not closed in this paragraph: {text}").format(text=fragment),
                    _(
                        "Each {{{{ must be closed by }}}} and each {{% by %}} in the same "
                        "paragraph or table cell."
                    ).format(),
                )
            paragraph_tags = [make_tag(where, t, _WORD_PREFIXES) for t in found]
            self.check_forms(paragraph, text, paragraph_tags, where)
            tags.extend(paragraph_tags)
        return tags

    def paragraph_place(self, paragraph: Any, text: str, tables: dict[Any, int]) -> str:
        cell = _ancestor(paragraph, _W + "tc")
        if cell is None:
            return _("paragraph “{text}”").format(text=_shorten(text))
        row = cell.getparent()
        table = row.getparent()
        return _("table {table}, row {row}, cell {cell}: “{text}”").format(
            table=tables.get(table, "?"),
            row=_position(row, _W + "tr"),
            cell=_position(cell, _W + "tc"),
            text=_shorten(text),
        )

    def check_forms(self, paragraph: Any, text: str, tags: list[_Tag], where: str) -> None:
        """The docxtpl forms: {%p %} alone in its paragraph, {%tr %} and {%tc %} in tables."""
        in_table = _ancestor(paragraph, _W + "tc") is not None
        for tag in tags:
            if tag.prefix in ("tr", "tc") and not in_table:
                self.add(
                    where,
                    "docx.row-tag-outside-table",
                    _("{tag} is in a paragraph outside any table.").format(tag=tag.text),
                    _(
                        "{{%tr ... %}} and {{%tc ... %}} work only inside a table row; in an "
                        "ordinary paragraph write {{%p ... %}} instead."
                    ).format(),
                )
        paragraph_tags = [t for t in tags if t.prefix == "p"]
        if paragraph_tags:
            rest = text.translate(_SMART_QUOTES)
            for tag in paragraph_tags:
                rest = rest.replace(tag.text, "", 1)
            if len(paragraph_tags) > 1 or rest.strip():
                self.add(
                    where,
                    "docx.paragraph-tag-not-alone",
                    _(
                        "{tag} shares its paragraph with other text; docxtpl removes the whole "
                        "paragraph, so that text would be lost."
                    ).format(tag=paragraph_tags[0].text),
                    _(
                        "Put each {{%p ... %}} tag in a paragraph of its own (press Enter "
                        "before and after it)."
                    ).format(),
                )

    def check_row_loops(self, label: str, element: Any) -> None:
        from docx.table import Table

        from .render import bad_row_loops

        tables = {table: number for number, table in enumerate(element.iter(_W + "tbl"), 1)}
        parent: Any = None  # cell texts need no parent part
        top = [Table(t, parent) for t in element.iterchildren(_W + "tbl")]
        for _number, index, row in bad_row_loops(top):
            text = " | ".join(cell.text for cell in row.cells)
            where = _("table {table}, row {row}: “{text}”").format(
                table=tables.get(row._tr.getparent(), "?"), row=index, text=_shorten(text)
            )
            self.add(
                self.place(label, where),
                "docx.row-loop-form",
                _("A row loop tag is not alone in its table row."),
                _(
                    "Use three rows: one with only {{%tr for e in events %}}, then the row with "
                    "the fields, then one with only {{%tr endfor %}}."
                ).format(),
            )

    def compile_as_docxtpl(self, document: Any, env: Any, label: str, part: Any) -> None:
        """Compile the part as docxtpl will render it, for anything the tag checks missed."""
        from jinja2 import TemplateSyntaxError

        xml = document.get_xml() if part is None else document.get_part_xml(part)
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml))
        try:
            env.from_string(xml)
        except TemplateSyntaxError as exc:
            lines = xml.splitlines()
            line = lines[exc.lineno - 1] if exc.lineno and 0 < exc.lineno <= len(lines) else ""
            near = _shorten(re.sub(r"<[^>]+>", "", line))
            self.add(
                self.place(label, _("near “{text}”").format(text=near)),
                "template.syntax",
                *_syntax_message(near, exc),
            )

    def check_properties(self, document: Any, env: Any) -> None:
        """docxtpl renders the document properties too, so a stray {{ there breaks the run."""
        properties = document.docx.core_properties
        for name in ("author", "comments", "identifier", "language", "subject", "title"):
            text = getattr(properties, name) or ""
            if not any(mark in text for mark in ("{{", "{%", "}}", "%}", "{#")):
                continue
            where = _("document property “{name}”").format(name=name)
            found, broken = split_tags(text)
            for fragment in broken:
                self.add(
                    where,
                    "template.tag-not-closed",
                    _("A tag is not closed in this paragraph: {text}").format(text=fragment),
                    _("Remove the braces from the property (File > Info > Properties in Word)."),
                )
            source = _Source(self.template, env, self.kinds, self.problems)
            source.check([make_tag(where, t, ()) for t in found])


def _in_order(problems: list[TemplateProblem], places: list[str]) -> list[TemplateProblem]:
    """``problems`` sorted by where their place comes in the template (stable)."""
    order: dict[str, int] = {}
    for place in places:
        order.setdefault(place, len(order))
    return sorted(problems, key=lambda p: order.get(p.place, len(order)))


def _ancestor(node: Any, tag: str) -> Any:
    node = node.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    return node


def _inside(node: Any, tag: str) -> bool:
    return _ancestor(node, tag) is not None


def _position(node: Any, tag: str) -> int:
    parent = node.getparent()
    return 1 + [child for child in parent if child.tag == tag].index(node)


# --- Excel ------------------------------------------------------------------------------


class _ExcelChecker(_Checker):
    def run(self) -> list[TemplateProblem]:
        from openpyxl import load_workbook

        from .render import jinja_env

        try:
            with warnings.catch_warnings():
                # openpyxl warns about what it drops; excel_losses() names those properly.
                warnings.simplefilter("ignore")
                workbook = load_workbook(self.template)
        except Exception as exc:
            self.add(
                "",
                "template.unreadable",
                _("The Excel template cannot be opened ({reason}).").format(reason=exc),
                _("Open it in Excel and save it again as an Excel workbook (.xlsx)."),
            )
            return self.problems
        env = jinja_env(autoescape=False)
        for ws in workbook.worksheets:
            if "{{" in ws.title or "{%" in ws.title:
                where = _("sheet name “{sheet}”").format(sheet=ws.title)
                self.places.append(where)
                self.check_text(env, where, ws.title, {})
            for row in ws.iter_rows():
                self.check_row(env, ws, row)
        return _in_order(self.problems, self.places)

    def where(self, ws: Any, cell: Any) -> str:
        where = _("sheet “{sheet}”, cell {cell}").format(sheet=ws.title, cell=cell.coordinate)
        self.places.append(where)
        return where

    def check_row(self, env: Any, ws: Any, row: Sequence[Any]) -> None:
        from .xlsx import _LOOP_END, _LOOP_START

        used = [c for c in row if c.value is not None and c.value != ""]
        if not used:
            return
        first, last = used[0], used[-1]
        loop = _LOOP_START.match(first.value) if isinstance(first.value, str) else None
        scope: dict[str, Any] = {}
        if loop is not None:
            if not (isinstance(last.value, str) and _LOOP_END.search(last.value)):
                self.add(
                    self.where(ws, first),
                    "xlsx.row-loop-without-endfor",
                    _(
                        "The row loop {tag} has no {{%tr endfor %}} at the end of the same row."
                    ).format(tag=_shorten(loop.group(0))),
                    _(
                        "Type {{%tr endfor %}} at the end of the last filled cell of this row: "
                        "an Excel row loop starts and ends in the same row."
                    ).format(),
                )
            scope = self.loop_scope(env, ws, first, loop.group(1), loop.group(2))
        for cell in used:
            if not isinstance(cell.value, str):
                continue
            text = cell.value
            if loop is not None and cell is first:
                text = _LOOP_START.sub("", text, count=1)
            if loop is not None and cell is last:
                text = _LOOP_END.sub("", text)
            if "{{" not in text and "{%" not in text:
                continue
            self.check_text(env, self.where(ws, cell), text, scope)

    def loop_scope(
        self, env: Any, ws: Any, cell: Any, name: str, expression: str
    ) -> dict[str, Any]:
        """Check a row loop's list expression; the scope its row's cells render in."""
        from jinja2 import TemplateSyntaxError

        where = self.where(ws, cell)
        source = _Source(self.template, env, self.kinds, self.problems)
        opening = f"for {name} in {expression} %}}"
        tags = [
            _Tag(where, "{%tr " + opening, "tr", "{% " + opening),
            _Tag(where, "{%tr endfor %}", "tr", "{% endfor %}"),
        ]
        if not source.check(tags):
            return {name: _ANY, "loop": _LOOP}
        try:
            node = env.parse("{{ " + expression + " }}").body[0].nodes[0]
        except (TemplateSyntaxError, IndexError, AttributeError):
            return {name: _ANY, "loop": _LOOP}
        walker = _Walker(env, self.kinds, lambda *args: None)
        base, _typed = walker.resolve(node, {})
        item = f"{base}[]" if self.kinds.get(base) == "list" else _ANY
        return {name: item, "loop": _LOOP}

    def check_text(self, env: Any, where: str, text: str, scope: dict[str, Any]) -> None:
        from .xlsx import _COLUMN_LOOP

        if re.search(r"\{%-?\s*tr\s", text):
            self.add(
                where,
                "xlsx.row-loop-misplaced",
                _("A {{%tr ... %}} tag is in the wrong place.").format(),
                _(
                    "An Excel row loop starts with {{%tr for ... %}} at the beginning of the "
                    "row's first filled cell and ends with {{%tr endfor %}} at the end of its "
                    "last filled cell."
                ).format(),
            )
            return
        if re.search(r"\{%-?\s*tc\s", text) and not _COLUMN_LOOP.match(text):
            self.add(
                where,
                "xlsx.column-loop-form",
                _("A column loop must fill the whole cell."),
                _(
                    "Write the cell as {{%tc for h in data_headers %}}{{{{ h }}}}{{%tc endfor %}}, "
                    "with nothing before or after."
                ).format(),
            )
            return
        found, broken = split_tags(text)
        for fragment in broken:
            self.add(
                where,
                "template.tag-not-closed",
                _("A tag is not closed in this cell: {text}").format(text=fragment),
                _(
                    "Each {{{{ must be closed by }}}} and each {{% by %}} in the same cell."
                ).format(),
            )
        source = _Source(self.template, env, self.kinds, self.problems)
        source.check([make_tag(where, t, ("tc",)) for t in found], scope)


# --- What openpyxl loses ----------------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_X14 = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_X15 = "{http://schemas.microsoft.com/office/spreadsheetml/2010/11/main}"


def pillow_installed() -> bool:
    """openpyxl keeps pictures only when Pillow is installed."""
    try:
        from openpyxl.drawing.image import PILImage
    except ImportError:  # pragma: no cover - openpyxl always defines it
        return False
    return PILImage is not False and PILImage is not None


def _xml(archive: zipfile.ZipFile, name: str) -> Any:
    # defusedxml refuses entity expansion; it ships no type hints
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

    try:
        return fromstring(archive.read(name))
    except Exception:  # a damaged part: openpyxl's own load reports the file
        return None


def _relations(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part name) of the relationships of ``part``."""
    path = PurePosixPath(part)
    rels_name = str(path.parent / "_rels" / (path.name + ".rels"))
    if rels_name not in archive.namelist():
        return []
    tree = _xml(archive, rels_name)
    if tree is None:
        return []
    found = []
    for rel in tree.iter(_RELS + "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            name = target.lstrip("/")
        else:
            parts: list[str] = []
            for piece in (path.parent / target).parts:
                if piece == "..":
                    if parts:
                        parts.pop()
                else:
                    parts.append(piece)
            name = "/".join(parts)
        found.append((rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], name))
    return found


def excel_losses(path: Path) -> list[TemplateProblem]:
    """What openpyxl drops or rewrites when it loads ``path``, one warning per kind per sheet."""
    problems: list[TemplateProblem] = []
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return problems  # the Excel checks report the unreadable file
    with archive:
        names = set(archive.namelist())

        def warn(place: str, code: str, message: str, hint: str) -> None:
            problems.append(TemplateProblem(path.name, place, code, message, hint, "warning"))

        if "xl/vbaProject.bin" in names:
            warn(
                _("workbook"),
                "xlsx.loses-macros",
                _("The macros will be lost: the annex is written as an .xlsx workbook."),
                _("Keep macros in a separate workbook; a template needs none."),
            )
        workbook = _xml(archive, "xl/workbook.xml") if "xl/workbook.xml" in names else None
        if workbook is None:
            return problems
        targets = {rid: name for rid, _kind, name in _relations(archive, "xl/workbook.xml")}
        for sheet in workbook.iter(_MAIN + "sheet"):
            part = targets.get(sheet.get(_R_ID, ""), "")
            if part not in names:
                continue
            place = _("sheet “{sheet}”").format(sheet=sheet.get("name", ""))
            for code, message, hint in _sheet_losses(archive, names, part):
                warn(place, code, message, hint)
    return problems


def _sheet_losses(
    archive: zipfile.ZipFile, names: set[str], part: str
) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    sheet = _xml(archive, part)
    if sheet is not None:
        for ext_list in sheet.iter(_MAIN + "extLst"):
            for ext in ext_list.iter(_MAIN + "ext"):
                for child in list(ext)[:1]:
                    found.append(_extension_loss(child.tag, ext.get("uri", "")))
    for _rid, kind, target in _relations(archive, part):
        if target not in names:
            continue
        if kind == "drawing":
            found.extend(_drawing_losses(archive, target))
        elif kind == "vmlDrawing":
            found.extend(_vml_losses(archive.read(target).decode("utf-8", "replace")))
        elif kind == "threadedComment":
            found.append(
                (
                    "xlsx.loses-threaded-comments",
                    _("Threaded comments become plain notes: their replies are lost."),
                    _("Use notes (right-click, New Note) in templates, or none."),
                )
            )
        elif kind == "control":
            found.append(
                (
                    "xlsx.loses-controls",
                    _("ActiveX controls will be lost."),
                    _("Remove them from the template; the annex is a finished document."),
                )
            )
    return found


def _extension_loss(tag: str, uri: str) -> tuple[str, str, str]:
    if tag == _X14 + "dataValidations":
        return (
            "xlsx.loses-data-validation",
            _(
                "Data validation of Excel 2010 and later (for example a dropdown list taken "
                "from another sheet) will be lost."
            ),
            _(
                "Type the list into the validation rule itself or take it from the same "
                "sheet, or add the rule to the finished annex."
            ),
        )
    if tag == _X14 + "conditionalFormattings":
        return (
            "xlsx.loses-conditional-formatting",
            _(
                "Conditional formatting of Excel 2010 and later (data bars, icon sets and "
                "similar rules) will be lost."
            ),
            _("Use a classic rule (cell value or formula with a fill colour) instead."),
        )
    if tag == _X14 + "sparklineGroups":
        return (
            "xlsx.loses-sparklines",
            _("Sparklines (small charts inside cells) will be lost."),
            _("Use an ordinary chart, or add the sparklines to the finished annex."),
        )
    if tag in (_X14 + "slicerList", _X15 + "slicerList", _X15 + "timelineRefs"):
        return (
            "xlsx.loses-slicers",
            _("Slicers and timelines will be lost."),
            _("Use an ordinary filter (Data > Filter) instead."),
        )
    name = tag.rsplit("}", 1)[-1] if "}" in tag else tag
    return (
        "xlsx.loses-extension",
        _("An Excel 2010+ feature stored as an extension ({name}) will be lost.").format(
            name=name or uri
        ),
        _("Remove it from the template, or add it to the finished annex."),
    )


def _chart_survives(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether openpyxl writes the chart back unchanged (a chart it drew itself, such as the
    default annex's); charts drawn in Excel lose their style when rebuilt."""
    try:
        from openpyxl.chart.chartspace import ChartSpace
        from openpyxl.chart.reader import read_chart
        from openpyxl.xml.functions import fromstring, tostring

        raw = archive.read(part)
        again = tostring(read_chart(ChartSpace.from_tree(fromstring(raw)))._write())
    except Exception:
        return False
    return bool(raw == again)


def _drawing_losses(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    drawing = _xml(archive, part)
    if drawing is None:
        return found
    shapes = sum(1 for tag in ("sp", "cxnSp", "grpSp") for _node in drawing.iter(_XDR + tag))
    if shapes:
        found.append(
            (
                "xlsx.loses-shapes",
                _("{n} shapes or text boxes will be lost when the annex is written.").format(
                    n=shapes
                ),
                _("Write that text in cells instead, or add the shapes to the finished annex."),
            )
        )
    embeds = {node.get(_R_EMBED, "") for node in drawing.iter() if node.get(_R_EMBED)}
    targets = {rid: target for rid, _kind, target in _relations(archive, part)}
    pictures = [targets[rid] for rid in embeds if rid in targets]
    lost = (
        pictures
        if not pillow_installed()
        else [p for p in pictures if p.lower().endswith((".emf", ".wmf"))]
    )
    if lost and not pillow_installed():
        found.append(
            (
                "xlsx.loses-pictures",
                _(
                    "{n} pictures will be lost when the annex is written: the Pillow package "
                    "is not installed."
                ).format(n=len(lost)),
                _("Install it (pip install pillow) to keep PNG and JPEG pictures."),
            )
        )
    elif lost:
        found.append(
            (
                "xlsx.loses-pictures",
                _(
                    "{n} pictures in EMF or WMF format will be lost when the annex is written."
                ).format(n=len(lost)),
                _("Save the picture as PNG or JPEG and insert it again."),
            )
        )
    chart_ids = [
        node.get(_R_ID, "") for node in drawing.iter() if node.tag == "{" + _CHART + "}chart"
    ]
    charts = sum(1 for rid in chart_ids if not _chart_survives(archive, targets.get(rid, "")))
    if charts:
        found.append(
            (
                "xlsx.charts-rebuilt",
                _(
                    "{n} charts will be rebuilt when the annex is written: their style, colours "
                    "and some formatting may be lost."
                ).format(n=charts),
                _("Check the charts in a generated annex and set their look there if needed."),
            )
        )
    return found


def _vml_losses(vml: str) -> list[tuple[str, str, str]]:
    kinds = re.findall(r'ObjectType\s*=\s*"(\w+)"', vml)
    notes = sum(1 for kind in kinds if kind == "Note")
    controls = len(kinds) - notes
    found: list[tuple[str, str, str]] = []
    if notes:
        found.append(
            (
                "xlsx.comments-reformatted",
                _("{n} comments keep their text but lose the size and look of their boxes.").format(
                    n=notes
                ),
                _("Nothing to do unless their look matters; templates rarely need comments."),
            )
        )
    if controls:
        found.append(
            (
                "xlsx.loses-controls",
                _("{n} form controls (buttons, check boxes, lists) will be lost.").format(
                    n=controls
                ),
                _("Remove them from the template; the annex is a finished document."),
            )
        )
    return found
