"""The sentence shown for each problem code, in the current language.

Codes are the stable part (tests and ``--json`` consumers rely on them); sentences are
translated through gettext and may be reworded freely.
"""

from __future__ import annotations

from .i18n import _

# Each value is a gettext msgid; placeholders: {value}, {expected}, {header}, {detail}.
_MESSAGES: dict[str, str] = {
    "date.invalid": "'{value}' is not a date; write the day first, e.g. {expected}.",
    "date.nonexistent": "'{value}' is not a real date (no such day in that month).",
    "date.out_of_range": "'{value}' is outside the years reportgen accepts (1900-2200).",
    "date.end_before_start": "The end date {value} is before the start date {detail}.",
    "number.invalid": "'{value}' is not a whole number; expected e.g. {expected}.",
    "number.negative": "'{value}' is negative; a count cannot be below zero.",
    "number.fraction": "'{value}' is not a whole number; write 1.000 for one thousand.",
    "number.approximate": "'{value}' is approximate; the number was used as it is.",
    "number.too_many_provinces": "{value} provinces attending is more than the {expected} "
    "provinces that existed on the event date.",
    "required.missing": "The column '{header}' is required and is empty.",
    "required.for_type": "The column '{header}' is required for events of type '{detail}'.",
    "event_type.unknown": "'{value}' is not a known event type; use one of: {expected}.",
    "mode.unknown": "'{value}' is not a known mode; use one of: {expected}.",
    "province.unknown": "'{value}' is not a province or city of Viet Nam (current or "
    "before 1 July 2025).",
    "document.shape": "'{value}' does not look like a document reference such as {expected}; "
    "it was kept as written.",
    "document.normalised": "The document reference '{detail}' was read as '{expected}'.",
    "event_id.repeated": "The event id '{value}' was already used at {detail}; the rows are "
    "treated as the same event.",
    "duplicate.merged": "This row describes the same event as {detail}; it was counted once.",
    "duplicate.conflict": "This row and {detail} describe the same event but disagree on "
    "'{header}': {value}; the value of the first row was used.",
    "sheet.formulas_not_calculated": "{detail} rows read as empty because their cells hold "
    "formulas that were never calculated ({value}): the file was written by a program and "
    "never opened in Excel, so it holds no results. Open the file in Excel or LibreOffice, save "
    "it, and run again.",
    "narrative.period": "'{value}' in the narrative sheet is not a reporting period (e.g. "
    "{expected}); this text was not used.",
    "narrative.section": "'{value}' in the narrative sheet is not a section; use one of: "
    "{expected}. This text was not used.",
}


def message(code: str, **values: object) -> str:
    """The sentence for ``code`` with its placeholders filled in."""
    template = _MESSAGES.get(code)
    if template is None:
        return code
    return _(template).format(**{k: "" if v is None else v for k, v in values.items()})


def known_codes() -> frozenset[str]:
    return frozenset(_MESSAGES)
