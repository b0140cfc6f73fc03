"""Tests of reportgen.formatting: the date line, table dates, numbers and percentages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.formatting import FILTERS, date_line, number, percent, short_date

DATE_LINE = re.compile(r"^ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})$")


class TestDateLine:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (dt.date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
            (dt.date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
            (dt.date(2023, 12, 7), "ngày 07 tháng 12 năm 2023"),
            (dt.date(2024, 3, 5), "ngày 05 tháng 3 năm 2024"),
        ],
    )
    def test_examples_of_the_decree(self, day: dt.date, expected: str) -> None:
        """The four examples of domain.md come out exactly."""
        assert expected == date_line(day)

    def test_february(self) -> None:
        """February, like January, gets a leading zero."""
        expected = "ngày 29 tháng 02 năm 2024"
        assert expected == date_line(dt.date(2024, 2, 29))

    def test_october_no_zero_needed(self) -> None:
        """Two-digit months and days print as they are."""
        expected = "ngày 10 tháng 10 năm 2024"
        assert expected == date_line(dt.date(2024, 10, 10))

    def test_none(self) -> None:
        """No date gives an empty line."""
        expected = ""
        assert expected == date_line(None)

    @settings(max_examples=200)
    @given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)))
    def test_rule(self, day: dt.date) -> None:
        """Day always has two digits; month has a leading zero exactly when it is below 3."""
        match = DATE_LINE.match(date_line(day))
        assert match is not None
        day_text, month_text, year_text = match.groups()
        expected_month = f"0{day.month}" if day.month < 3 else str(day.month)
        expected = (f"{day.day:02d}", expected_month, str(day.year))
        assert expected == (day_text, month_text, year_text)


class TestShortDate:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (dt.date(2023, 12, 7), "07/12/2023"),
            (dt.date(2024, 3, 5), "05/03/2024"),
            (dt.datetime(2023, 12, 7, 8, 30), "07/12/2023"),
            (None, ""),
        ],
    )
    def test_values(self, value: dt.date | None, expected: str) -> None:
        """Table dates are dd/mm/yyyy with zeros; a datetime drops its time; none is empty."""
        assert expected == short_date(value)


class TestNumber:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (1234567, "1.234.567"),
            (1000, "1.000"),
            (999, "999"),
            (280, "280"),
            (0, "0"),
            (None, ""),
            ("", ""),
            (-1234, "-1.234"),
            (1234.4, "1.234"),
            (Decimal("1000000"), "1.000.000"),
        ],
    )
    def test_whole(self, value: object, expected: str) -> None:
        """Whole numbers group thousands with dots; none is empty; negatives keep the sign."""
        assert expected == number(value)

    @pytest.mark.parametrize(
        ("value", "decimals", "expected"),
        [
            (1234.5, 1, "1.234,5"),
            (1234.56, 1, "1.234,6"),
            (0.25, 1, "0,3"),
            (-1234.5, 1, "-1.234,5"),
            (3, 2, "3,00"),
        ],
    )
    def test_decimals(self, value: object, decimals: int, expected: str) -> None:
        """Decimals follow a comma and round half up."""
        assert expected == number(value, decimals)

    @pytest.mark.parametrize(
        ("value", "expected"), [("nhiều", "nhiều"), (float("nan"), "nan"), (float("inf"), "inf")]
    )
    def test_not_a_number(self, value: object, expected: str) -> None:
        """Text, NaN and infinity are printed as they are, never raise."""
        assert expected == number(value)

    @settings(max_examples=100)
    @given(st.integers(min_value=-(10**12), max_value=10**12))
    def test_grouping_round_trip(self, n: int) -> None:
        """Removing the dots of any formatted integer gives the integer back."""
        assert n == int(number(n).replace(".", ""))


class TestPercent:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (0.26, "26%"),
            (0.256, "25,6%"),
            (0, "0%"),
            (1, "100%"),
            (0.1, "10%"),
            (0.0449, "4,5%"),
            (None, ""),
        ],
    )
    def test_values(self, value: object, expected: str) -> None:
        """Ratios print as Vietnamese percentages with no useless `,0`."""
        assert expected == percent(value)

    @pytest.mark.parametrize(
        ("value", "expected"), [("nhiều", "nhiều"), (float("nan"), "nan"), (float("inf"), "inf")]
    )
    def test_not_a_number(self, value: object, expected: str) -> None:
        """Text, NaN and infinity are printed as they are, never raise."""
        assert expected == percent(value)

    def test_decimals(self) -> None:
        """More decimals can be asked for; trailing zeros still go."""
        expected = ("12,34%", "10,5%")
        assert expected == (percent(0.1234, 2), percent(0.105, 2))


class TestFilters:
    def test_template_filter_names(self) -> None:
        """The template filters are the formatting functions under their Vietnamese names."""
        expected = {"ngay": short_date, "dateline": date_line, "so": number, "phantram": percent}
        assert expected == FILTERS
