"""Interpret raw cell values: dates, whole numbers, lists, document references, choices.

Each parser returns the value and, when something is wrong or worth a warning, an
:class:`Issue` (a problem code plus what was expected). Issues become located problems in
:mod:`reportgen.validate`; nothing here knows about files or cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from .textnorm import fold, nfc

# Excel's day zero; serials below 61 sit before Excel's fictitious 29 February 1900.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 31/12/9999
_MIN_YEAR, _MAX_YEAR = 1900, 2200


@dataclass(frozen=True)
class Issue:
    severity: Literal["error", "warning"]
    code: str
    expected: str = ""
    detail: str = ""


def _error(code: str, expected: str = "", detail: str = "") -> Issue:
    return Issue("error", code, expected, detail)


def _warning(code: str, expected: str = "", detail: str = "") -> Issue:
    return Issue("warning", code, expected, detail)


DATE_FORMS = "07/12/2023, 7.12.2023, 7-12-2023, 2023-12-07, ngày 7 tháng 12 năm 2023"

_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDS = re.compile(r"^(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.0+)?$")


def from_excel_serial(serial: float) -> dt.date | None:
    whole = int(serial)
    if whole < 1 or whole > _MAX_SERIAL:
        return None
    if whole < 61:
        # Excel counts a 29/02/1900 that never existed; serials before it are one day off.
        return _EXCEL_EPOCH + dt.timedelta(days=whole + 1)
    return _EXCEL_EPOCH + dt.timedelta(days=whole)


def _make_date(year: int, month: int, day: int) -> tuple[dt.date | None, Issue | None]:
    if not 1 <= month <= 12:
        return None, _error("date.invalid", DATE_FORMS, "month")
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None, _error("date.nonexistent", DATE_FORMS)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None, _error("date.out_of_range", DATE_FORMS)
    return value, None


def parse_date(value: Any) -> tuple[dt.date | None, Issue | None]:
    """A date in any accepted form; day always comes before month."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool):
        return None, _error("date.invalid", DATE_FORMS)
    if isinstance(value, int | float):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return None, _error("date.invalid", DATE_FORMS)
        converted = from_excel_serial(value)
        if converted is None:
            return None, _error("date.invalid", DATE_FORMS)
        return _make_date(converted.year, converted.month, converted.day)
    if not isinstance(value, str):
        return None, _error("date.invalid", DATE_FORMS)
    text = nfc(value)
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
        return _make_date(year, month, day)
    if match := _ISO.match(text.lower()):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if match := _WORDS.match(fold(text)):
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if _SERIAL_TEXT.match(text):
        return parse_date(float(text))
    return None, _error("date.invalid", DATE_FORMS)


NUMBER_FORMS = "280, 1.000, 1 000, 3.000 người, khoảng 150"
_QUALIFIERS = ("khoang", "gan", "hon", "tren")
_NUMBER = re.compile(
    r"^(?P<sign>[-−])?\s*(?P<int>\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d+)(?P<frac>,\d+)?"
    r"\s*(?P<unit>[^\d]*)$"
)


def parse_count(value: Any) -> tuple[int | None, bool, Issue | None]:
    """A whole number ≥ 0 of people, copies or places: (number, approximate, issue)."""
    if isinstance(value, bool):
        return None, False, _error("number.invalid", NUMBER_FORMS)
    if isinstance(value, int):
        return (
            (value, False, None)
            if value >= 0
            else (None, False, _error("number.negative", NUMBER_FORMS))
        )
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, False, _error("number.invalid", NUMBER_FORMS)
        if value < 0:
            return None, False, _error("number.negative", NUMBER_FORMS)
        if not value.is_integer():
            return None, False, _error("number.fraction", NUMBER_FORMS)
        return int(value), False, None
    if not isinstance(value, str):
        return None, False, _error("number.invalid", NUMBER_FORMS)
    text = nfc(value)
    approximate = False
    folded_words = fold(text).split(" ")
    if folded_words and folded_words[0] in _QUALIFIERS:
        approximate = True
        text = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
    match = _NUMBER.match(text.strip())
    if not match:
        return None, approximate, _error("number.invalid", NUMBER_FORMS)
    if match.group("sign"):
        return None, approximate, _error("number.negative", NUMBER_FORMS)
    if match.group("frac") and set(match.group("frac")[1:]) != {"0"}:
        return None, approximate, _error("number.fraction", NUMBER_FORMS)
    number = int(re.sub(r"\D", "", match.group("int")))
    if approximate:
        return number, True, _warning("number.approximate", NUMBER_FORMS)
    return number, False, None


def text_value(value: Any) -> str:
    """Cell content as NFC text; whole floats lose their ``.0``, dates print day first."""
    if type(value) is str:  # the common case first; the same as nfc(str(value)) below
        return unicodedata.normalize("NFC", value).strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


_LIST_SPLIT = re.compile(r"[;\n\r]+")


def parse_list(value: Any) -> list[str]:
    """Items separated by ``;`` or line breaks, blanks dropped."""
    return [
        item
        for part in _LIST_SPLIT.split(text_value(value))
        if (item := unicodedata.normalize("NFC", part).strip())  # nfc(part), without the call
    ]


DOCUMENT_FORMS = "1079/QĐ-TTg, 57-KL/TW, 47/NQ-CP, 111-HD/BTGTW, 09/2019/NĐ-CP"
_UPPER = "A-ZĐ"
_WORD = f"[{_UPPER}][A-Za-zĐđ0-9]*"
_STATE_DOC = re.compile(rf"^\d+(?:/\d{{4}})?/{_WORD}(?:-{_WORD})*$")
_PARTY_DOC = re.compile(rf"^\d+-{_WORD}(?:/{_WORD})+$")
# Document kinds written without Đ on keyboards that lack it.
_KIND_FIXES = {"QD": "QĐ", "ND": "NĐ", "CD": "CĐ", "QYD": "QyĐ", "HDLT": "HĐLT"}
_DOC_PREFIX = re.compile(r"^(?:số|so)\s+", re.IGNORECASE)
_DOC_DASH = re.compile(r"\s*([/\-–])\s*")
_DOC_PARTS = re.compile(r"([/\-])")
_DOC_ITEMS = re.compile(r",\s+(?=\d)")


def normalise_document(ref: str) -> tuple[str, Issue | None]:
    """A legal document reference in its official shape, with a warning when it was changed."""
    original = nfc(ref)
    text = _DOC_PREFIX.sub("", original)
    text = _DOC_DASH.sub(lambda m: "-" if m.group(1) == "–" else m.group(1), text)
    parts = _DOC_PARTS.split(text)
    fixed = []
    for part in parts:
        fixed.append(_KIND_FIXES.get(part.upper(), part))
    text = "".join(fixed)
    if not (_STATE_DOC.match(text) or _PARTY_DOC.match(text)):
        return original, _warning("document.shape", DOCUMENT_FORMS, detail=original)
    if text != original:
        return text, _warning("document.normalised", text, detail=original)
    return text, None


# The same few references come back on row after row; the result is immutable.
_normalise_document_cached = functools.lru_cache(maxsize=4096)(normalise_document)


def parse_documents(value: Any) -> tuple[list[str], list[Issue]]:
    refs: list[str] = []
    issues: list[Issue] = []
    for item in parse_list(value):
        for piece in _DOC_ITEMS.split(item):  # `57-KL/TW, 47/NQ-CP` on one line
            ref, issue = _normalise_document_cached(piece)
            refs.append(ref)
            if issue is not None:
                issues.append(issue)
    return refs, issues
