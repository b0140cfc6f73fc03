"""Commands for people who edit templates: ``templates check``, ``fields``, ``preview``.

Registered in cli.py. Like the rest of the command line they only parse options, call the
library (checker.py, fields.py, preview.py), print and set the exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import ReportgenError
from .i18n import _

if TYPE_CHECKING:
    from rich.console import Console

    from .checker import CheckResult
    from .config import Config
    from .fields import FieldList

EXIT_OK, EXIT_FAILED = 0, 1

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", metavar="FILE", help=_("Configuration file (default: ./reportgen.toml).")
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))]

templates_app = typer.Typer(
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,  # plain help, as the main app (cli.py: start-up time)
)


def _fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _console() -> Console:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 200, highlight=False)


def _configure(config: Path | None) -> Config:
    """The configuration (optional unless --config names one), its language applied."""
    from .cli import _configure_language
    from .config import load_config

    cfg = load_config(config, required=config is not None)
    _configure_language(cfg.language)
    return cfg


@templates_app.command(
    "check",
    help=_(
        "Check templates without input data: syntax of every tag, unknown fields and filters, "
        "row loops, and what Excel templates lose when written. Exit 1 on any problem "
        "(with --warnings-ok: on errors only)."
    ),
)
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_("Templates or folders to check (default: the templates folder)."),
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
    warnings_ok: Annotated[
        bool,
        typer.Option(
            "--warnings-ok",
            help=_("Exit 0 when there are only warnings (what Excel templates lose)."),
        ),
    ] = False,
) -> None:
    """Check templates and list every problem with its place."""
    from .checker import check_templates

    try:
        cfg = _configure(config)
        paths = files or [cfg.templates]
        if not files and not cfg.templates.is_dir():
            raise _fail(
                _(
                    "The templates folder {folder} does not exist. Name the templates to "
                    "check, or run 'reportgen init' to create a working folder."
                ).format(folder=cfg.templates)
            )
        result = check_templates(paths, config=cfg if cfg.source else None)
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    if as_json:
        import json

        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_check(result)
    # A warning names something the output will lose, so it fails the check unless accepted.
    clean = result.ok and (warnings_ok or not result.warnings)
    raise typer.Exit(EXIT_OK if clean and result.templates else EXIT_FAILED)


def _print_check(result: CheckResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    if result.problems:
        table = Table(show_lines=True, expand=False)
        for title in (_("Level"), _("Template"), _("Place"), _("Problem"), _("What to do")):
            table.add_column(title, overflow="fold")
        for p in result.problems:
            level = _("error") if p.severity == "error" else _("warning")
            table.add_row(*(escape(t) for t in (level, p.template, p.place, p.message, p.hint)))
        console.print(table)
    if not result.templates:
        typer.echo(_("No template to check (.docx, .xlsx)."))
        return
    typer.echo(
        _("{templates} templates checked: {errors} errors, {warnings} warnings.").format(
            templates=len(result.templates),
            errors=len(result.errors),
            warnings=len(result.warnings),
        )
    )


def fields(
    as_json: JsonOpt = False,
) -> None:
    """List every field and filter a template can use, with an example from the samples."""
    from .fields import list_fields

    try:
        listing = list_fields()
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    if as_json:
        import json

        typer.echo(json.dumps(listing.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_fields(listing)


def _print_fields(listing: FieldList) -> None:
    from rich.markup import escape
    from rich.table import Table

    from .fields import SAMPLE_PERIOD, example_text, type_label

    console = _console()
    table = Table(title=_("Fields"), show_lines=False, expand=False)
    for title in (_("Field"), _("Type"), _("Description"), _("Example")):
        table.add_column(title, overflow="fold")
    for item in listing.fields:
        row = (
            item.field.path,
            type_label(item.field.type),
            item.field.description(),
            example_text(item.example),
        )
        table.add_row(*(escape(text) for text in row))
    console.print(table)
    filters = Table(title=_("Filters"), show_lines=False, expand=False)
    for title in (_("Filter"), _("Description"), _("Example"), _("Result")):
        filters.add_column(title, overflow="fold")
    for entry in listing.filters:
        row = (entry.filter.name, entry.filter.description(), entry.filter.example, entry.result)
        filters.add_row(*(escape(text) for text in row))
    console.print(filters)
    if listing.functions:
        functions = Table(title=_("Functions"), show_lines=False, expand=False)
        for title in (_("Function"), _("Description"), _("Example")):
            functions.add_column(title, overflow="fold")
        for function in listing.functions:
            cells = (function.name, function.description(), function.example)
            functions.add_row(*(escape(text) for text in cells))
        console.print(functions)
    typer.echo(
        _(
            "Examples are from the sample inputs, period {period}. A field events[].title is "
            "written {{{{ e.title }}}} inside {{%tr for e in events %}} ... {{%tr endfor %}}. "
            "Jinja's own filters (upper, length, join, default ...) work too."
        ).format(period=SAMPLE_PERIOD)
    )


def preview(
    template: Annotated[
        str,
        typer.Argument(
            help=_("The template: a file, or a name in the templates folder (report.docx)."),
            show_default=False,
        ),
    ],
    config: ConfigOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="DIR", help=_("Output folder (default: outputs/preview).")
        ),
    ] = None,
) -> None:
    """Render a template with the sample data into outputs/preview/ and print its path."""
    from .preview import find_template
    from .preview import preview as render_preview

    try:
        cfg = _configure(config)
        written = render_preview(find_template(template, cfg), config=cfg, out=out)
    except ReportgenError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    typer.echo(_("Written: {path}").format(path=written))
