"""The library entry points behind the CLI: validate inputs, generate a period's reports.

Everything the command line does is available here, for use from Python::

    from reportgen import generate, load_config
    result = generate("2023-12", config=load_config())
    print(result.files)
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .aggregate import Totals, build_context, in_window, totals
from .config import CONFIG_NAME, Config, load_config
from .errors import ConfigError, TemplateError
from .i18n import DEFAULT_LANGUAGE, _, language
from .period import Period, Rule, parse_period
from .problems import Report
from .read import ReadResult, read_inputs
from .render import render_docx, render_xlsx
from .schema import Schema, load_schema
from .scope import Selection, resolve_selection, select_events, submissions
from .validate import Event, check_narrative, validate_rows
from .write import write_atomic

if TYPE_CHECKING:
    from .pdf import OutputFormat


@dataclass
class ValidationResult:
    events: list[Event]
    report: Report
    read: ReadResult

    @property
    def ok(self) -> bool:
        return self.report.ok


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large result is built, then restore it.

    Reading and validating keep two objects per row (a ``RawRow`` and an ``Event``) and free
    almost nothing that has cycles, so every full collection during the build walks the whole
    growing result and finds nothing: up to a fifth of the run at 100,000 rows (see
    docs/performance.md). Reference counting still frees everything without cycles at once.

    The collector is a setting of the whole process. Pauses may overlap (nested calls, or
    ``validate`` running in several threads): the collector is switched off by the first and
    back on by the last to end, and only if it was on when the first began, so a caller that
    manages the collector itself keeps its own setting. No collection is forced.
    """
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


_pause_lock = threading.Lock()
_pauses = 0
_was_enabled = False


def validate(paths: list[Path], schema: Schema | None = None) -> ValidationResult:
    """Read and validate every workbook under ``paths``; problems are records, never raised.

    The cyclic garbage collector is paused during the call (see :func:`collector_paused`).
    """
    schema = schema or load_schema()
    with collector_paused():
        read = read_inputs(paths, schema)
        events, report = validate_rows(read.rows, schema)
    report.problems[:0] = read.problems  # file-level problems first
    report.problems.extend(check_narrative(read.narrative, schema))
    report.counts.files = len(read.files)
    return ValidationResult(events, report, read)


@dataclass
class GenerateResult:
    period: Period
    window: tuple[dt.date, dt.date]
    validation: ValidationResult
    totals: Totals
    files: list[Path] = field(default_factory=list)
    stopped: bool = False  # invalid rows and no --allow-invalid: nothing was written
    selection: Selection = field(default_factory=Selection)
    submitted_provinces: list[str] = field(default_factory=list)  # scope national/region
    missing_provinces: list[str] = field(default_factory=list)  # scope national/region

    def to_dict(self) -> dict[str, Any]:
        counts = self.validation.report.counts
        figures = self.totals.to_dict()
        by_type = figures.pop("by_type")
        return {
            "period": {
                "code": self.period.code,
                "start": self.window[0].isoformat(),
                "end": self.window[1].isoformat(),
            },
            "files": [str(p) for p in self.files],
            "rows": counts.to_dict(),
            "totals": {**figures, **by_type},
            "problems": {
                "errors": len(self.validation.report.errors),
                "warnings": len(self.validation.report.warnings),
            },
            "stopped": self.stopped,
            **self._selection_dict(),
        }

    def _selection_dict(self) -> dict[str, Any]:
        selection = self.selection
        data: dict[str, Any] = {"scope": selection.scope}
        if selection.province is not None:
            data["province"] = selection.context()
        if selection.scope == "region":
            data["region"] = selection.region
        if selection.scope != "province":
            data["submitted_provinces"] = list(self.submitted_provinces)
            data["missing_provinces"] = list(self.missing_provinces)
        return data


def template_names(name: str, lang: str) -> list[str]:
    """Names to try for the configured template ``name``, best first.

    In a language other than Vietnamese the language variant comes first, then ``name``
    itself: ``report.docx`` in English gives ``["report.en.docx", "report.docx"]``.
    """
    path = Path(name)
    if lang == DEFAULT_LANGUAGE or not path.suffix or path.stem.endswith(f".{lang}"):
        return [name]
    return [str(path.with_name(f"{path.stem}.{lang}{path.suffix}")), name]


def _template(folder: Path, name: str, lang: str = DEFAULT_LANGUAGE) -> Path:
    """The user's template if the folder has it, else the default shipped with reportgen.

    The language variant (``report.en.docx``) is looked for first, in both places.
    """
    for candidate in template_names(name, lang):
        if (folder / candidate).is_file():
            return folder / candidate
        if Path(candidate).is_absolute() and Path(candidate).is_file():
            return Path(candidate)
        builtin = resources.files("reportgen") / "templates" / candidate
        if builtin.is_file():
            return Path(str(builtin))
    raise TemplateError(
        _("Template {name} not found in {folder} nor among the built-in templates.").format(
            name=name, folder=folder
        )
    )


def output_names(period: Period, suffix: str = "") -> tuple[str, str]:
    """The report's and annex's file names; ``suffix`` (a province's slug) keeps several apart."""
    tail = f"{period.code}-{suffix}" if suffix else period.code
    return f"bao-cao-{tail}.docx", f"phu-luc-{tail}.xlsx"


def slug(text: str) -> str:
    """A file-name form of a Vietnamese name: ``Hồ Chí Minh`` -> ``ho-chi-minh``."""
    from .textnorm import fold

    return "-".join(re.findall(r"[a-z0-9]+", fold(text))) or "x"


@dataclass
class _Prepared:
    """What one report needs before rendering: its figures, context and templates."""

    result: GenerateResult
    context: dict[str, Any] | None  # None: stopped on invalid rows
    word: Path | None = None
    excel: Path | None = None


def _prepare(
    chosen: Period,
    *,
    config: Config,
    schema: Schema,
    validation: ValidationResult,
    templates: Path | None,
    allow_invalid: bool,
    report_date: dt.date | None,
    rule: Rule,
    selection: Selection,
) -> _Prepared:
    window = chosen.window(rule)
    selected = select_events(validation.events, selection)
    figures = totals(in_window(selected, *window), schema)
    result = GenerateResult(chosen, window, validation, figures, selection=selection)
    submitted, missing = submissions(validation.events, selection, window)
    result.submitted_provinces = [p.label for p in submitted]
    result.missing_provinces = [p.label for p in missing]
    if not validation.ok and not allow_invalid:
        result.stopped = True
        return _Prepared(result, None)
    folder = templates or config.templates
    lang = language()
    context = build_context(
        events=validation.events,
        period=chosen,
        rule=rule,
        config=config,
        schema=schema,
        counts=validation.report.counts,
        warnings=len(validation.report.warnings),
        narrative=validation.read.narrative,
        report_date=report_date or dt.date.today(),
        lang=lang,
        selection=selection,
    )
    word = _template(folder, config.word_template, lang)
    excel = _template(folder, config.excel_template, lang)
    return _Prepared(result, context, word, excel)


def _write(prepared: _Prepared, target: Path, suffix: str, output_format: OutputFormat) -> None:
    result, context, word, excel = prepared.result, prepared.context, prepared.word, prepared.excel
    assert context is not None and word is not None and excel is not None
    docx_name, xlsx_name = output_names(result.period, suffix)
    result.files.append(write_atomic(target / docx_name, lambda p: render_docx(word, context, p)))
    result.files.append(write_atomic(target / xlsx_name, lambda p: render_xlsx(excel, context, p)))
    if output_format != "docx":  # PDF copies through LibreOffice (pdf.py)
        from .pdf import finish_formats

        result.files = finish_formats(result.files, output_format)


def generate(
    period: str | Period,
    *,
    config: Config,
    inputs: list[Path] | None = None,
    out: Path | None = None,
    templates: Path | None = None,
    allow_invalid: bool = False,
    report_date: dt.date | None = None,
    rule: Rule | None = None,
    validation: ValidationResult | None = None,
    scope: str | None = None,
    province: str | None = None,
    region: str | None = None,
    output_format: OutputFormat = "docx",
) -> GenerateResult:
    """Validate the inputs and write the period's Word report and Excel annex.

    ``validation`` (from :func:`validate`) reuses inputs already read, e.g. for a batch.
    ``scope`` is ``province`` (default), ``region`` or ``national``; ``province`` restricts
    the report to one province by its current or former name, and its slug ends the file
    names (``bao-cao-2023-12-ha-noi.docx``); ``region`` names the region of the ``region``
    scope (default: reportgen.toml ``[committee] region``). See reportgen/scope.py; a name
    that matches nothing raises :class:`SelectionError` (exit 2).
    """
    chosen = parse_period(period) if isinstance(period, str) else period
    rule = rule or config.rule
    selection = resolve_selection(scope, province, region, config_region=config.committee.region)
    schema = load_schema(config.schema)
    validation = validation or validate(inputs or [config.inputs], schema)
    prepared = _prepare(
        chosen,
        config=config,
        schema=schema,
        validation=validation,
        templates=templates,
        allow_invalid=allow_invalid,
        report_date=report_date,
        rule=rule,
        selection=selection,
    )
    if prepared.context is not None:
        suffix = slug(selection.province.name) if selection.province is not None else ""
        _write(prepared, out or config.outputs, suffix, output_format)
    return prepared.result


def generate_each_province(
    period: str | Period,
    *,
    config: Config,
    inputs: list[Path] | None = None,
    out: Path | None = None,
    templates: Path | None = None,
    allow_invalid: bool = False,
    report_date: dt.date | None = None,
    rule: Rule | None = None,
    validation: ValidationResult | None = None,
    output_format: OutputFormat = "docx",
) -> list[GenerateResult]:
    """One report and annex for each of the 34 current provinces, from inputs read once.

    The files are named by the province (``bao-cao-2023-12-ha-noi.docx``). A province without
    events in the period still gets its (empty) report, so the batch always has 34 pairs.
    The templates are compiled once for the whole batch (wordfile.py). With invalid rows and
    no ``allow_invalid`` nothing is written and every result is ``stopped``.
    """
    from .provinces import default_table

    chosen = parse_period(period) if isinstance(period, str) else period
    rule = rule or config.rule
    schema = load_schema(config.schema)
    validation = validation or validate(inputs or [config.inputs], schema)
    results: list[GenerateResult] = []
    for unit in default_table().current():
        prepared = _prepare(
            chosen,
            config=config,
            schema=schema,
            validation=validation,
            templates=templates,
            allow_invalid=allow_invalid,
            report_date=report_date,
            rule=rule,
            selection=Selection(province=unit),
        )
        if prepared.context is not None:
            _write(prepared, out or config.outputs, slug(unit.name), output_format)
        results.append(prepared.result)
    return results


def init_folder(folder: Path) -> list[Path]:
    """Create a working folder: reportgen.toml, templates/, inputs/ with samples, outputs/."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / CONFIG_NAME
    if config.exists():
        raise ConfigError(
            _("{path} already exists; init does not overwrite a working folder.").format(
                path=config
            )
        )
    created: list[Path] = []
    package = resources.files("reportgen")
    for sub in ("templates", "samples"):
        dest = folder / ("inputs" if sub == "samples" else sub)
        dest.mkdir(exist_ok=True)
        for item in sorted((package / sub).iterdir(), key=lambda t: t.name):
            if item.name.startswith((".", "_")) or not item.is_file():
                continue
            path = dest / item.name
            if not path.exists():
                path.write_bytes(item.read_bytes())
                created.append(path)
    (folder / "outputs").mkdir(exist_ok=True)
    config.write_text(
        (package / "data" / "reportgen.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    created.insert(0, config)
    return created


__all__ = [
    "GenerateResult",
    "ValidationResult",
    "generate",
    "generate_each_province",
    "init_folder",
    "load_config",
    "validate",
]
