"""Vietnamese formatting of values, used as template filters.

Nghị định 30/2020/NĐ-CP writes the date line with a leading zero on days below 10 and, of the
months, only on January and February (``ngày 05 tháng 01 năm 2020``, ``ngày 29 tháng 6 năm
2019``); no locale library does that, so it is done here.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def date_line(value: dt.date | None) -> str:
    """``ngày 07 tháng 12 năm 2023``, ``ngày 05 tháng 01 năm 2020``."""
    if value is None:
        return ""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def short_date(value: dt.date | None) -> str:
    """``07/12/2023``; empty for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    return value.strftime("%d/%m/%Y")


def number(value: Any, decimals: int = 0) -> str:
    """``1.234.567`` or, with decimals, ``1.234,5``; empty for none."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not amount.is_finite():  # NaN and infinities have no digits to group
        return str(value)
    quantum = Decimal(1).scaleb(-decimals)
    amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _dot, frac = f"{abs(amount):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + ".".join(groups)
    if frac and decimals:
        text += "," + frac
    return text


def percent(value: Any, decimals: int = 1) -> str:
    """A ratio as a Vietnamese percentage: 0.256 → ``25,6%``, 0.26 → ``26%``."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)) * 100
    except ArithmeticError:
        return str(value)
    if not amount.is_finite():
        return str(value)
    text = number(amount, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + "%"


FILTERS = {
    "ngay": short_date,
    "dateline": date_line,
    "so": number,
    "phantram": percent,
}
