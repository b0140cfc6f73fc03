"""Reporting periods: parse a period code and compute the window of dates it covers.

Two rules: ``cutoff`` (the default, Nghị định 09/2019/NĐ-CP: figures close on the 14th, a
window runs from the 15th of the month before) and ``calendar`` (whole calendar months).
An event belongs to the window of its start date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .errors import PeriodError
from .i18n import _

Kind = Literal["month", "quarter", "half", "nine_months", "year"]
Rule = Literal["cutoff", "calendar"]
RULES: tuple[Rule, ...] = ("cutoff", "calendar")
CUTOFF_DAY = 15  # a cut-off window starts on this day of the month before

_ROMAN = ("I", "II", "III", "IV")
_CODE = re.compile(r"^(\d{4})(?:-(0?[1-9]|1[0-2])|-Q([1-4])|-H([12])|-(9M))?$", re.IGNORECASE)
PERIOD_FORMS = "2023-12, 2023-Q4, 2023-H1, 2023-H2, 2023-9M, 2023"


@dataclass(frozen=True)
class Period:
    kind: Kind
    year: int
    index: int = 1  # month 1-12, quarter 1-4, half 1-2; 1 for nine months and year

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.kind == "half":
            return f"{self.year}-H{self.index}"
        if self.kind == "nine_months":
            return f"{self.year}-9M"
        return str(self.year)

    @property
    def months(self) -> tuple[int, int]:
        """First and last calendar month of the period."""
        if self.kind == "month":
            return self.index, self.index
        if self.kind == "quarter":
            return 3 * self.index - 2, 3 * self.index
        if self.kind == "half":
            return 6 * self.index - 5, 6 * self.index
        if self.kind == "nine_months":
            return 1, 9
        return 1, 12

    def window(self, rule: Rule = "cutoff") -> tuple[dt.date, dt.date]:
        """First and last day (both included) of the figures this period reports."""
        first, last = self.months
        if rule == "calendar":
            start = dt.date(self.year, first, 1)
            end = _month_end(self.year, last)
        else:
            year, month = (self.year - 1, 12) if first == 1 else (self.year, first - 1)
            start = dt.date(year, month, CUTOFF_DAY)
            end = dt.date(self.year, last, CUTOFF_DAY - 1)
        return start, end

    def label(self, lang: str = "vi") -> str:
        """``tháng 12 năm 2023``, ``quý IV năm 2023`` ... (``December 2023`` in English)."""
        if lang == "en":
            if self.kind == "month":
                return dt.date(self.year, self.index, 1).strftime("%B %Y")
            if self.kind == "quarter":
                return f"Q{self.index} {self.year}"
            if self.kind == "half":
                return f"{'first' if self.index == 1 else 'second'} half of {self.year}"
            if self.kind == "nine_months":
                return f"first nine months of {self.year}"
            return f"year {self.year}"
        if self.kind == "month":
            return f"tháng {self.index} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {_ROMAN[self.index - 1]} năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "nine_months":
            return f"9 tháng năm {self.year}"
        return f"năm {self.year}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind in ("nine_months", "year"):
            return Period(self.kind, self.year - 1, self.index)
        count = {"month": 12, "quarter": 4, "half": 2}[self.kind]
        if self.index == 1:
            return Period(self.kind, self.year - 1, count)
        return Period(self.kind, self.year, self.index - 1)


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_period(code: str) -> Period:
    """Parse ``2023-12``, ``2023-Q4``, ``2023-H1``, ``2023-9M`` or ``2023``."""
    match = _CODE.match(code.strip())
    if not match:
        raise PeriodError(
            _("'{code}' is not a period; use one of: {forms}.").format(
                code=code, forms=PERIOD_FORMS
            )
        )
    year = int(match.group(1))
    if not 1900 <= year <= 2200:
        raise PeriodError(
            _("'{code}' is not a period; use one of: {forms}.").format(
                code=code, forms=PERIOD_FORMS
            )
        )
    month, quarter, half, nine = match.group(2, 3, 4, 5)
    if month:
        return Period("month", year, int(month))
    if quarter:
        return Period("quarter", year, int(quarter))
    if half:
        return Period("half", year, int(half))
    if nine:
        return Period("nine_months", year)
    return Period("year", year)


# Matched against folded text, where `/`, `-` and `.` have become spaces.
_LABEL_PATTERNS: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"^(?:thang )?(\d{1,2}) (?:nam )?(\d{4})$"), "month"),
    (re.compile(r"^quy ([ivx]+|[1-4]) (?:nam )?(\d{4})$"), "quarter"),
    (re.compile(r"^6 thang (dau|cuoi) (?:nam )?(\d{4})$"), "half"),
    (re.compile(r"^9 thang (?:dau )?(?:nam )?(\d{4})$"), "nine_months"),
    (re.compile(r"^nam (\d{4})$"), "year"),
)


def parse_period_label(text: str) -> Period | None:
    """The period a person named in the ``Nội dung`` sheet (``12/2023``, ``Quý IV/2023`` ...)."""
    from .textnorm import fold

    try:
        return parse_period(text)
    except PeriodError:
        pass
    folded = fold(text)
    for pattern, kind in _LABEL_PATTERNS:
        match = pattern.match(folded)
        if not match:
            continue
        if kind == "month":
            month, year = int(match.group(1)), int(match.group(2))
            return Period("month", year, month) if 1 <= month <= 12 else None
        if kind == "quarter":
            raw = match.group(1).upper()
            number = int(raw) if raw.isdigit() else (_ROMAN.index(raw) + 1 if raw in _ROMAN else 0)
            return Period("quarter", int(match.group(2)), number) if number else None
        if kind == "half":
            return Period("half", int(match.group(2)), 1 if match.group(1) == "dau" else 2)
        return Period(kind, int(match.group(1)))
    return None


def window_text(start: dt.date, end: dt.date, lang: str = "vi") -> str:
    if lang == "en":
        return f"Figures from {start:%d/%m/%Y} to {end:%d/%m/%Y}"
    return f"Số liệu tính từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
