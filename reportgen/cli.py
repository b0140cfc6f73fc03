"""The ``reportgen`` command: a thin layer that parses options, calls the library, prints.

Exit codes: 0 success, 1 invalid data or a failed run, 2 wrong usage.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

# The library (.api and the readers, validators and renderers behind it) is imported inside
# each command, so that `reportgen --help` and usage errors start as fast as typer itself.
from . import cli_run, cli_templates
from .errors import ReportgenError
from .i18n import LANGUAGES, _, set_language

if TYPE_CHECKING:
    from .problems import Problem, Report

set_language()  # help texts follow REPORTGEN_LANG; --lang switches messages at run time

app = typer.Typer(
    name="reportgen",
    help=_(
        "Periodic reports of steering committees: from Excel event workbooks to Word and "
        "Excel reports."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    # Plain click help and usage errors: rich's help formatting costs more to import than
    # typer itself (start-up target of `reportgen --help`: 1.5x `import typer`, bench/run.py).
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"reportgen {__version__}")
        raise typer.Exit(EXIT_OK)


_explicit_language: str | None = None


def _language_option(value: str | None) -> str | None:
    global _explicit_language
    if value is not None and value.strip().lower() not in LANGUAGES:
        raise typer.BadParameter(
            _("'{value}' is not a language reportgen speaks: vi or en.").format(value=value)
        )
    _explicit_language = value
    set_language(value)
    return value


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="vi|en",
            callback=_language_option,
            is_eager=True,  # so that a usage error further on is already in this language
            help=_("Language of messages: vi (default) or en."),
        ),
    ] = None,
) -> None:
    # --version and --lang act in their callbacks, as soon as they are read.
    return


def _configure_language(config_language: str | None) -> None:
    """reportgen.toml's language applies unless --lang or REPORTGEN_LANG chose one."""
    import os

    if _explicit_language is None and not os.environ.get("REPORTGEN_LANG") and config_language:
        set_language(config_language)


def _fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _print_problems(problems: list[Problem], limit: int | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    table = Table(show_lines=False, expand=False)
    for title in (
        _("Level"),
        _("File"),
        _("Sheet"),
        _("Cell"),
        _("Column"),
        _("Value"),
        _("Problem"),
    ):
        table.add_column(title, overflow="fold")
    shown = problems if limit is None else problems[:limit]
    for p in shown:
        table.add_row(
            _("error") if p.severity == "error" else _("warning"),
            Path(p.file).name if p.file else "",
            p.sheet,
            p.cell or (str(p.row) if p.row else ""),
            p.header,
            p.value[:60],
            p.message,
        )
    console.print(table)
    if limit is not None and len(problems) > limit:
        console.print(
            _("... and {n} more; 'reportgen validate' lists them all.").format(
                n=len(problems) - limit
            )
        )


def _print_counts(report: Report) -> None:
    c = report.counts
    typer.echo(
        _(
            "Rows: {read} read = {used} used + {invalid} with errors + {duplicates} duplicates "
            "merged ({files} files)."
        ).format(
            read=c.read, used=c.used, invalid=c.invalid, duplicates=c.duplicates, files=c.files
        )
    )


def _problems_json(report: Report) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "rows": report.counts.to_dict(),
        "files": report.counts.files,
        "summary": report.summary(),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "problems": [p.to_dict() for p in report.problems],
    }


InputsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help=_("Workbooks or folders to check (default: the inputs folder)."),
        show_default=False,
        metavar="PATH",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", metavar="FILE", help=_("Configuration file (default: ./reportgen.toml).")
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))]


@app.command(help=_("Check input workbooks and list every problem with its cell."))
def validate(
    paths: InputsArg = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
    annotate_dir: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            metavar="DIR",
            help=_(
                "Write a copy of each workbook with problems into DIR, its problem cells "
                "coloured and explained in comments (the inputs are not changed)."
            ),
        ),
    ] = None,
) -> None:
    """Check input workbooks and list every problem with its cell."""
    annotated = None
    try:
        from .config import load_config

        cfg = load_config(config, required=config is not None)
        _configure_language(cfg.language)
        from . import api
        from .schema import load_schema

        schema = load_schema(cfg.schema)
        result = api.validate(paths or [cfg.inputs], schema)
        if annotate_dir is not None:
            from .annotate import annotate_files

            annotated = annotate_files(
                result.report.problems, annotate_dir, schema=schema, inputs=result.read.files
            )
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    report = result.report
    if as_json:
        data = _problems_json(report)
        if annotated is not None:
            data["annotated"] = [str(path) for path in annotated.written]
            data["not_annotated"] = [
                {"file": str(s.file), "reason": s.reason} for s in annotated.skipped
            ]
        import json

        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if report.problems:
            _print_problems(report.problems)
            typer.echo(_("Problems by type:"))
            for code, count in report.summary().items():
                typer.echo(f"  {code}: {count}")
        _print_counts(report)
        typer.echo(
            _("{errors} errors, {warnings} warnings.").format(
                errors=len(report.errors), warnings=len(report.warnings)
            )
        )
        if annotated is not None:
            for skipped in annotated.skipped:
                typer.echo(skipped.reason)
            for path in annotated.written:
                typer.echo(_("Annotated copy: {path}").format(path=path))
            if not annotated.written and not annotated.skipped:
                typer.echo(_("No workbook has problems; no annotated copy was written."))
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED)


def _generate_each(
    period: str,
    inputs: list[Path] | None,
    out: Path | None,
    templates: Path | None,
    config: Path | None,
    allow_invalid: bool,
    report_date: dt.date | None,
    as_json: bool,
    output_format: Literal["docx", "pdf", "both"],
) -> None:
    """``generate --each-province``: the 34 provinces' reports in one run."""
    try:
        from .config import load_config

        cfg = load_config(config)
        _configure_language(cfg.language)
        from . import api

        results = api.generate_each_province(
            period,
            config=cfg,
            inputs=inputs,
            out=out,
            templates=templates,
            allow_invalid=allow_invalid,
            report_date=report_date,
            output_format=output_format,
        )
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    stopped = any(r.stopped for r in results)
    if as_json:
        payload = [r.to_dict() for r in results]
        import json

        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_FAILED if stopped else EXIT_OK)
    report = results[0].validation.report
    if stopped:
        _print_problems(report.errors, limit=50)
        _print_counts(report)
        raise _fail(
            _(
                "{n} rows have errors, so no report was written. Correct them (see the table "
                "above), or run again with --allow-invalid to leave them out."
            ).format(n=report.counts.invalid)
        )
    for result in results:
        selected = result.selection.context() or {}
        typer.echo(
            _("{province}: {events} events, {attendees} attendees; {files}").format(
                province=selected.get("display", ""),
                events=result.totals.events,
                attendees=result.totals.attendees,
                files=", ".join(p.name for p in result.files),
            )
        )
    folder = results[0].files[0].parent if results and results[0].files else out
    typer.echo(
        _("Written: {n} files in {folder}.").format(
            n=sum(len(r.files) for r in results), folder=folder
        )
    )
    _print_counts(report)
    if report.counts.invalid:
        typer.echo(_("{n} rows with errors were left out.").format(n=report.counts.invalid))


@app.command(help=_("Write the period's Word report and Excel annex."))
def generate(
    period: Annotated[
        str,
        typer.Option(
            "--period",
            "-p",
            metavar="PERIOD",
            help=_("Period: 2023-12, 2023-Q4, 2023-H1, 2023-H2, 2023-9M or 2023."),
        ),
    ],
    inputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--inputs", "-i", help=_("Workbooks or folders (repeatable)."), metavar="PATH"
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="DIR", help=_("Output folder."))
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", metavar="DIR", help=_("Templates folder."))
    ] = None,
    config: ConfigOpt = None,
    allow_invalid: Annotated[
        bool,
        typer.Option("--allow-invalid", help=_("Leave out rows with errors instead of stopping.")),
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help=_("Date of the report, YYYY-MM-DD (default: today)."),
        ),
    ] = None,
    as_json: JsonOpt = False,
    province: Annotated[
        str | None,
        typer.Option(
            "--province",
            metavar="NAME",
            help=_(
                "Only this province, by its current or former name (a former name keeps the "
                "events recorded under it)."
            ),
        ),
    ] = None,
    scope: Annotated[
        str | None,
        typer.Option(
            "--scope",
            metavar="province|region|national",
            help=_(
                "province (default), region or national: consolidate annexes by province and "
                "region and list the provinces that have not submitted."
            ),
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="NAME",
            help=_("The region of --scope region (default: region in reportgen.toml)."),
        ),
    ] = None,
    output_format: Annotated[
        Literal["docx", "pdf", "both"],
        typer.Option(
            "--format",
            help=_(
                "docx: the Word report and Excel annex (default); pdf: PDF copies of them "
                "instead, made with LibreOffice; both: all four files."
            ),
        ),
    ] = "docx",
    each_province: Annotated[
        bool,
        typer.Option(
            "--each-province",
            help=_(
                "One report and annex for each of the 34 provinces, named by the province "
                "(bao-cao-2023-12-ha-noi.docx), from the inputs read once."
            ),
        ),
    ] = False,
) -> None:
    """Write the period's Word report and Excel annex."""
    try:
        report_date = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise _fail(_("--date must look like 2023-12-07."), EXIT_USAGE) from None
    if each_province:
        if province or region or (scope and scope != "province"):
            raise _fail(
                _("--each-province cannot be combined with --province, --region or --scope."),
                EXIT_USAGE,
            )
        _generate_each(
            period,
            inputs,
            out,
            templates,
            config,
            allow_invalid,
            report_date,
            as_json,
            output_format,
        )
        return
    try:
        from .config import load_config

        cfg = load_config(config)
        _configure_language(cfg.language)
        from . import api

        result = api.generate(
            period,
            config=cfg,
            inputs=inputs,
            out=out,
            templates=templates,
            allow_invalid=allow_invalid,
            report_date=report_date,
            scope=scope,
            province=province,
            region=region,
            output_format=output_format,
        )
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    report = result.validation.report
    if as_json:
        import json

        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_FAILED if result.stopped else EXIT_OK)
    if result.stopped:
        _print_problems(report.errors, limit=50)
        _print_counts(report)
        raise _fail(
            _(
                "{n} rows have errors, so no report was written. Correct them (see the table "
                "above), or run again with --allow-invalid to leave them out."
            ).format(n=report.counts.invalid)
        )
    start, end = result.window
    from .i18n import language

    typer.echo(
        _("Period: {label} ({start} - {end}).").format(
            label=result.period.label(language()), start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}"
        )
    )
    selected = result.selection.context()
    if selected is not None:
        typer.echo(_("Province: {name}.").format(name=selected["display"]))
    for path in result.files:
        typer.echo(_("Written: {path}").format(path=path))
    typer.echo(
        _("Events in the period: {events}; attendees: {attendees}.").format(
            events=result.totals.events, attendees=result.totals.attendees
        )
    )
    _print_counts(report)
    if result.selection.scope != "province":
        expected = len(result.submitted_provinces) + len(result.missing_provinces)
        typer.echo(
            _("Provinces that have submitted: {n} of {expected}.").format(
                n=len(result.submitted_provinces), expected=expected
            )
        )
        if result.missing_provinces:
            typer.echo(
                _("Not submitted: {names}.").format(names=", ".join(result.missing_provinces))
            )
    if report.counts.invalid:
        typer.echo(_("{n} rows with errors were left out.").format(n=report.counts.invalid))
    if report.warnings:
        typer.echo(
            _("{n} warnings; 'reportgen validate' shows them.").format(n=len(report.warnings))
        )


@app.command(
    help=_("Create a working folder: reportgen.toml, templates/, inputs/ with samples, outputs/.")
)
def init(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            show_default=False,
            help=_("Folder to create (default: the current folder)."),
        ),
    ] = Path("."),
) -> None:
    """Create a working folder: reportgen.toml, templates/, inputs/ with samples, outputs/."""
    try:
        from . import api

        created = api.init_folder(folder)
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    for path in created:
        typer.echo(_("Created: {path}").format(path=path))
    typer.echo(
        _("Next: edit {config}, then run 'reportgen generate --period 2023-12'.").format(
            config=folder / "reportgen.toml"
        )
    )


inputs_app = typer.Typer(
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)
app.add_typer(
    inputs_app,
    name="inputs",
    help=_("Input workbooks for office staff: 'inputs new FILE' writes a blank one."),
)


@inputs_app.command(
    "new",
    help=_(
        "Write a blank input workbook from the schema in effect: the events sheet with "
        "dropdowns and checks, and a sheet explaining each column."
    ),
)
def inputs_new(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help=_("The workbook to write (.xlsx)."), show_default=False
        ),
    ],
    config: ConfigOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace FILE if it already exists."))
    ] = False,
) -> None:
    """Write a blank input workbook from the schema in effect."""
    try:
        from .config import load_config

        cfg = load_config(config, required=config is not None)
        _configure_language(cfg.language)
        from .blank import write_blank
        from .schema import load_schema

        written = write_blank(file, load_schema(cfg.schema), force=force)
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    typer.echo(_("Written: {path}").format(path=written))


cli_run.register(app)  # run, status, schedule (cli_run.py)
# templates check, fields, preview (cli_templates.py)
app.add_typer(
    cli_templates.templates_app,
    name="templates",
    help=_("Check the Word and Excel templates: 'templates check [FILE ...]'."),
)
app.command(help=_("List every field and filter a template can use, with an example value."))(
    cli_templates.fields
)
app.command(help=_("Render a template with the sample data into outputs/preview/."))(
    cli_templates.preview
)


def main() -> None:
    """Console entry point: help pages and usage errors in the user's language (cli_usage)."""
    from .cli_usage import run

    run(typer.main.get_command(app))


if __name__ == "__main__":
    main()
