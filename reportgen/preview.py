"""Render a template with the sample data, to see a change before the monthly run.

The data are the shipped sample workbooks for December 2023 (see fields.py), so a preview
never depends on what is in the inputs folder; the committee (header, signer) is the one of
the working folder's reportgen.toml when there is one.
"""

from __future__ import annotations

from pathlib import Path

from .config import Config
from .errors import TemplateError
from .i18n import _, language

PREVIEW_FOLDER = "preview"
_WORD = (".docx",)
_EXCEL = (".xlsx", ".xlsm")


def find_template(name: str | Path, config: Config) -> Path:
    """``name`` as a path if it exists, else a template of the templates folder or built-in."""
    from .api import _template

    path = Path(name)
    if path.is_file():
        return path
    return _template(config.templates, str(name), language())


def preview_folder(config: Config | None) -> Path:
    """``<outputs>/preview`` of the configuration, or ``./outputs/preview`` without one."""
    if config is not None and config.source is not None:
        return config.outputs / PREVIEW_FOLDER
    return Path("outputs") / PREVIEW_FOLDER


def preview(template: Path, *, config: Config | None = None, out: Path | None = None) -> Path:
    """Render ``template`` with the sample data into ``out`` (default: preview_folder()).

    The result is named after the template, ``report.docx`` → ``report-preview.docx``.
    """
    from .fields import sample_context
    from .render import render_docx, render_xlsx
    from .write import write_atomic

    suffix = template.suffix.lower()
    if suffix not in _WORD + _EXCEL:
        raise TemplateError(
            _("{template}: a template is a Word .docx or an Excel .xlsx file.").format(
                template=template
            )
        )
    context = sample_context(config if config is not None and config.source else None)
    folder = out or preview_folder(config)
    if suffix in _WORD:
        target = folder / f"{template.stem}-preview.docx"
        return write_atomic(target, lambda p: render_docx(template, context, p))
    target = folder / f"{template.stem}-preview.xlsx"
    return write_atomic(target, lambda p: render_xlsx(template, context, p))
