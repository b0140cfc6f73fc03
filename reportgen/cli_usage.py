"""Usage errors and help pages of the ``reportgen`` command in the user's language.

typer (through click) writes its own part of the command line in English: the ``Usage:`` line,
the ``Options``/``Arguments``/``Commands`` headings, the help option's text, and every usage
error ("No such option", "Missing argument", ...). Office staff make those mistakes most, so
:func:`run` shows them through reportgen's catalogues instead:

- help pages go through a formatter that translates the fixed words click writes;
- a usage error is caught (the command runs with ``standalone_mode=False``) and shown as click
  shows it (usage line, where to find help, the error), its English sentence translated by the
  patterns below. A sentence no pattern knows (a newer typer may word one differently) is shown
  in English: never lost, never a traceback. The exit code stays click's: 2.

Only click's public objects are used (``Context.formatter_class``, ``Command.context_class``,
the exceptions typer exports), so this works with typer's bundled click and with click itself.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import typer

from .i18n import _

# Sentences of click and typer's usage errors, with what reportgen says instead. Each pattern
# matches one whole sentence of ``format_message()``; its groups fill the translation.
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        # typer's bundled click: "(Possible options: --json)"; click: "Did you mean --json?"
        re.compile(
            r"No such option: (?P<name>\S+)"
            r"(?:(?: \(Possible options: |\s+Did you mean )(?P<options>.+?)[)?])?"
        ),
        lambda m: _("No such option: {name}.").format(name=m["name"]) + _suggestion(m["options"]),
    ),
    (
        re.compile(r"No such command '(?P<name>.*)'\.(?: Did you mean (?P<options>.+)\?)?"),
        lambda m: (
            _("No such command: '{name}'.").format(name=m["name"]) + _suggestion(m["options"])
        ),
    ),
    (
        re.compile(r"Missing argument (?P<hint>.+?)\.(?P<rest>.*)"),
        lambda m: _("Missing argument {hint}.").format(hint=m["hint"]) + m["rest"],
    ),
    (
        re.compile(r"Missing option (?P<hint>.+?)\.(?P<rest>.*)"),
        lambda m: _("Missing option {hint}.").format(hint=m["hint"]) + m["rest"],
    ),
    (
        re.compile(r"Missing command\."),
        lambda m: _("Missing command: say which one (see the list with -h)."),
    ),
    (
        re.compile(r"Option (?P<name>'[^']*') requires (?:an argument|\d+ arguments)\."),
        lambda m: _("Option {name} needs a value after it.").format(name=m["name"]),
    ),
    (
        re.compile(r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<args>.*)\)"),
        lambda m: _("Unexpected extra arguments: {args}.").format(args=m["args"]),
    ),
    (
        re.compile(r"Invalid value for (?P<hint>.+?): (?P<reason>.*)", re.DOTALL),
        lambda m: _("Invalid value for {hint}: {reason}").format(
            hint=m["hint"], reason=_reason(m["reason"])
        ),
    ),
)

# Why a value was refused, as click's types and typer's conversions say it.
_REASONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"Input should be a valid integer.*|'.*' is not a valid integer\.?"),
        lambda m: _("a whole number is expected."),
    ),
    (
        re.compile(r"Input should be a valid number.*|'.*' is not a valid float\.?"),
        lambda m: _("a number is expected."),
    ),
    (
        re.compile(r"Input should be less than or equal to (?P<limit>\S+?)\.?"),
        lambda m: _("the value must be at most {limit}.").format(limit=m["limit"]),
    ),
    (
        re.compile(r"Input should be greater than or equal to (?P<limit>\S+?)\.?"),
        lambda m: _("the value must be at least {limit}.").format(limit=m["limit"]),
    ),
    (
        re.compile(r"(?P<value>\S+) is not in the range (?P<range>\S+?)\.?"),
        lambda m: _("{value} is outside the range {range}.").format(
            value=m["value"], range=m["range"]
        ),
    ),
)


def _suggestion(options: str | None) -> str:
    return " " + _("Did you mean {options}?").format(options=options) if options else ""


def _translated(
    english: str, table: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]
) -> str:
    for pattern, say in table:
        match = pattern.fullmatch(english.strip())
        if match is not None:
            return say(match)
    return english


def _reason(reason: str) -> str:
    return _translated(reason, _REASONS)


def error_message(english: str) -> str:
    """The sentence of a usage error in the current language (English if no pattern knows it)."""
    return _translated(english, _ERRORS)


def _headings() -> dict[str, str]:
    return {"Arguments": _("Arguments"), "Options": _("Options"), "Commands": _("Commands")}


# The bracket click and typer end an option's help with: "[default: 3; required]".
_EXTRAS = re.compile(r"\[(?P<items>[^\[\]]*)\]\Z")
_HELP_OPTION = "Show this message and exit."


def _extra(item: str) -> str:
    if item == "required":
        return _("required")
    if item.startswith("default: "):
        return _("default: {value}").format(value=item.removeprefix("default: "))
    return item


def _help_text(text: str) -> str:
    """A help text of an options list, with the words click adds to it translated."""
    if text == _HELP_OPTION:
        return _("Show this message and exit.")
    return _EXTRAS.sub(lambda m: "[" + "; ".join(map(_extra, m["items"].split("; "))) + "]", text)


def _formatter_class(base: type[Any]) -> type[Any]:
    """click's help formatter, writing its fixed words in the current language."""

    class Formatter(base):  # type: ignore[misc]  # click's class, found at run time
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, _("Usage:") + " " if prefix is None else prefix)

        def write_heading(self, heading: str) -> None:
            super().write_heading(_headings().get(heading, heading))

        def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
            super().write_dl([(term, _help_text(text)) for term, text in rows], *args, **kwargs)

    return Formatter


def _commands(command: Any) -> Iterable[Any]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def localise(command: Any) -> None:
    """Give ``command`` and its subcommands contexts whose help pages are translated."""
    base = command.context_class
    context = type(
        "LocalisedContext", (base,), {"formatter_class": _formatter_class(base.formatter_class)}
    )
    for each in _commands(command):
        each.context_class = context


def _exception_class(name: str) -> type[BaseException]:
    """click's exception class ``name``, found above typer.BadParameter (typer bundles click
    in recent versions and imports it in older ones; both export BadParameter)."""
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == name:
            return cls
    raise LookupError(name)  # pragma: no cover - every click has both


def show_usage_error(exc: Any) -> None:
    """Show a usage error as click does, in the current language."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()  # the help page, written by the context's (translated) formatter
        return
    if ctx is not None:
        lines = [ctx.get_usage()]
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(
                _("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                )
            )
        typer.echo("\n".join(lines) + "\n", err=True)
    typer.echo(_("Error: {message}").format(message=error_message(exc.format_message())), err=True)


def utf8_output(*streams: Any) -> None:
    """Write ``streams`` (stdout and stderr) in UTF-8 when they go to a file or a pipe in
    another encoding.

    On Windows, output redirected to a file (``reportgen validate > ketqua.txt``) is in the
    ANSI code page, and the Vietnamese code page (1258) has no precomposed letters such as
    "ệ": the first such message would stop the command with UnicodeEncodeError. A console
    already takes Unicode, and PYTHONIOENCODING, when set, is the user's own choice.
    """
    import os

    if os.environ.get("PYTHONIOENCODING"):
        return
    for stream in streams:
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "") and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def run(command: Any, args: list[str] | None = None, prog_name: str | None = None) -> NoReturn:
    """Run the click ``command`` (``typer.main.get_command(app)``) with help pages and usage
    errors in the current language; exit with its code (2 for wrong usage). ``args`` and
    ``prog_name`` default to the command line's, as click takes them."""
    utf8_output(sys.stdout, sys.stderr)
    localise(command)
    usage_error = _exception_class("UsageError")
    click_exception = _exception_class("ClickException")
    try:
        code = command.main(args=args, prog_name=prog_name, standalone_mode=False)
    except usage_error as exc:
        show_usage_error(exc)
        sys.exit(getattr(exc, "exit_code", 2))
    except click_exception as exc:
        exc.show()  # type: ignore[attr-defined]  # every ClickException has show()
        sys.exit(getattr(exc, "exit_code", 1))
    except typer.Abort:
        typer.echo(_("Stopped."), err=True)
        sys.exit(1)
    # Without standalone mode click returns what the command returned (None) or the code it
    # exited with.
    sys.exit(code if type(code) is int else 0)
