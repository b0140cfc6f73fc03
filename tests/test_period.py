"""Tests of reportgen.period: period codes, windows under both rules, labels."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.errors import PeriodError, ReportgenError
from reportgen.period import (
    RULES,
    Period,
    Rule,
    parse_period,
    parse_period_label,
    window_text,
)

ONE_DAY = dt.timedelta(days=1)
CODES = ["2023-12", "2023-01", "2023-Q4", "2023-H1", "2023-H2", "2023-9M", "2023"]


def d(text: str) -> dt.date:
    """A date written dd/mm/yyyy, as the domain documents write them."""
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def assert_tiles(parts: list[Period], whole: Period, rule: Rule) -> None:
    """The windows of ``parts`` follow one another with no gap or overlap and span ``whole``."""
    windows = [part.window(rule) for part in parts]
    start, end = whole.window(rule)
    assert start == windows[0][0]
    assert end == windows[-1][1]
    for (_prev_start, prev_end), (next_start, _next_end) in pairwise(windows):
        assert prev_end + ONE_DAY == next_start
    for window_start, window_end in windows:
        assert window_start <= window_end


class TestParsePeriod:
    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("2023-12", Period("month", 2023, 12)),
            ("2023-01", Period("month", 2023, 1)),
            ("2023-Q4", Period("quarter", 2023, 4)),
            ("2023-q4", Period("quarter", 2023, 4)),
            ("2023-H1", Period("half", 2023, 1)),
            ("2023-H2", Period("half", 2023, 2)),
            ("2023-9M", Period("nine_months", 2023)),
            ("2023", Period("year", 2023)),
            (" 2023-12 ", Period("month", 2023, 12)),
        ],
    )
    def test_codes(self, code: str, expected: Period) -> None:
        """Each period code form parses to its kind, year and index."""
        assert expected == parse_period(code)

    @pytest.mark.parametrize("code", CODES)
    def test_code_round_trip(self, code: str) -> None:
        """`Period.code` gives back the canonical code that was parsed."""
        assert code == parse_period(code).code

    @pytest.mark.parametrize(
        "code",
        [
            "2023-13",
            "2023-00",
            "2023-Q5",
            "2023-H3",
            "12/2023",
            "",
            "abc",
            "2023-6M",
            "1899",
            "2201-01",
        ],
    )
    def test_errors(self, code: str) -> None:
        """A code that is not a period raises PeriodError, a usage error (exit code 2)."""
        with pytest.raises(PeriodError) as caught:
            parse_period(code)
        assert isinstance(caught.value, ReportgenError)
        expected = 2
        assert expected == caught.value.exit_code


class TestCutoffWindows:
    @pytest.mark.parametrize(
        ("code", "start", "end"),
        [
            ("2023-12", "15/11/2023", "14/12/2023"),
            ("2024-01", "15/12/2023", "14/01/2024"),
            ("2024-03", "15/02/2024", "14/03/2024"),
            ("2023-Q4", "15/09/2023", "14/12/2023"),
            ("2024-Q1", "15/12/2023", "14/03/2024"),
            ("2024-Q2", "15/03/2024", "14/06/2024"),
            ("2024-Q3", "15/06/2024", "14/09/2024"),
            ("2024-H1", "15/12/2023", "14/06/2024"),
            ("2024-H2", "15/06/2024", "14/12/2024"),
            ("2024-9M", "15/12/2023", "14/09/2024"),
            ("2024", "15/12/2023", "14/12/2024"),
        ],
    )
    def test_window_edges(self, code: str, start: str, end: str) -> None:
        """Under the cut-off rule each kind runs from the 15th before to the 14th."""
        assert (d(start), d(end)) == parse_period(code).window("cutoff")

    def test_cutoff_is_the_default(self) -> None:
        """`window()` with no rule uses the cut-off rule."""
        period = parse_period("2023-12")
        assert period.window("cutoff") == period.window()

    def test_15_december_belongs_to_next_year(self) -> None:
        """An event on 15/12/2023 is in January 2024 and in 2024, not in December 2023."""
        event = d("15/12/2023")
        january_start, january_end = parse_period("2024-01").window("cutoff")
        year_start, year_end = parse_period("2024").window("cutoff")
        december_start, december_end = parse_period("2023-12").window("cutoff")
        old_year_start, old_year_end = parse_period("2023").window("cutoff")
        expected = (True, True, False, False)
        assert expected == (
            january_start <= event <= january_end,
            year_start <= event <= year_end,
            december_start <= event <= december_end,
            old_year_start <= event <= old_year_end,
        )

    def test_14_december_belongs_to_december(self) -> None:
        """An event on 14/12/2023 is the last day of December 2023's window."""
        assert d("14/12/2023") == parse_period("2023-12").window("cutoff")[1]


class TestCalendarWindows:
    @pytest.mark.parametrize(
        ("code", "start", "end"),
        [
            ("2023-12", "01/12/2023", "31/12/2023"),
            ("2024-02", "01/02/2024", "29/02/2024"),
            ("2023-02", "01/02/2023", "28/02/2023"),
            ("2024-04", "01/04/2024", "30/04/2024"),
            ("2023-Q4", "01/10/2023", "31/12/2023"),
            ("2024-Q1", "01/01/2024", "31/03/2024"),
            ("2024-H1", "01/01/2024", "30/06/2024"),
            ("2024-H2", "01/07/2024", "31/12/2024"),
            ("2024-9M", "01/01/2024", "30/09/2024"),
            ("2024", "01/01/2024", "31/12/2024"),
        ],
    )
    def test_window_edges(self, code: str, start: str, end: str) -> None:
        """Under the calendar rule each kind covers whole calendar months."""
        assert (d(start), d(end)) == parse_period(code).window("calendar")

    def test_15_december_in_december(self) -> None:
        """Under the calendar rule 15/12/2023 stays in December 2023."""
        start, end = parse_period("2023-12").window("calendar")
        assert start <= d("15/12/2023") <= end


YEARS = st.integers(min_value=1950, max_value=2150)
RULE = st.sampled_from(RULES)


class TestTiling:
    @settings(max_examples=60)
    @given(YEARS, RULE)
    def test_months_tile_the_year(self, year: int, rule: Rule) -> None:
        """The twelve monthly windows tile the annual window."""
        months = [Period("month", year, m) for m in range(1, 13)]
        assert_tiles(months, Period("year", year), rule)

    @settings(max_examples=60)
    @given(YEARS, RULE)
    def test_quarters_tile_the_year(self, year: int, rule: Rule) -> None:
        """The four quarterly windows tile the annual window."""
        quarters = [Period("quarter", year, q) for q in range(1, 5)]
        assert_tiles(quarters, Period("year", year), rule)

    @settings(max_examples=60)
    @given(YEARS, RULE)
    def test_halves_tile_the_year(self, year: int, rule: Rule) -> None:
        """The two half-year windows tile the annual window."""
        halves = [Period("half", year, h) for h in (1, 2)]
        assert_tiles(halves, Period("year", year), rule)

    @settings(max_examples=60)
    @given(YEARS, RULE)
    def test_months_tile_nine_months(self, year: int, rule: Rule) -> None:
        """Months 1 to 9 tile the nine-month window."""
        months = [Period("month", year, m) for m in range(1, 10)]
        assert_tiles(months, Period("nine_months", year), rule)

    @settings(max_examples=60)
    @given(YEARS, RULE)
    def test_quarters_are_their_months(self, year: int, rule: Rule) -> None:
        """Each quarter's window is exactly its three months' windows put together."""
        for quarter in range(1, 5):
            months = [Period("month", year, m) for m in range(3 * quarter - 2, 3 * quarter + 1)]
            assert_tiles(months, Period("quarter", year, quarter), rule)

    @settings(max_examples=60)
    @given(YEARS, RULE)
    def test_consecutive_years_tile(self, year: int, rule: Rule) -> None:
        """One year's window ends the day before the next year's begins."""
        assert (
            Period("year", year).window(rule)[1] + ONE_DAY
            == Period("year", year + 1).window(rule)[0]
        )

    @settings(max_examples=200)
    @given(st.dates(min_value=dt.date(1951, 1, 1), max_value=dt.date(2149, 12, 31)), RULE)
    def test_each_date_in_exactly_one_month(self, day: dt.date, rule: Rule) -> None:
        """Any date is in exactly one month's window: its own, or from the 15th the next."""
        containing = [
            Period("month", year, month)
            for year in (day.year - 1, day.year, day.year + 1)
            for month in range(1, 13)
            if Period("month", year, month).window(rule)[0]
            <= day
            <= Period("month", year, month).window(rule)[1]
        ]
        month_ahead = rule == "cutoff" and day.day >= 15
        if month_ahead and day.month == 12:
            expected = [Period("month", day.year + 1, 1)]
        else:
            expected = [Period("month", day.year, day.month + month_ahead)]
        assert expected == containing


class TestLabels:
    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("2023-12", "tháng 12 năm 2023"),
            ("2023-01", "tháng 1 năm 2023"),
            ("2023-Q4", "quý IV năm 2023"),
            ("2023-Q1", "quý I năm 2023"),
            ("2024-H1", "6 tháng đầu năm 2024"),
            ("2023-H2", "6 tháng cuối năm 2023"),
            ("2023-9M", "9 tháng năm 2023"),
            ("2023", "năm 2023"),
        ],
    )
    def test_vietnamese(self, code: str, expected: str) -> None:
        """Vietnamese labels read as a report names its period."""
        assert expected == parse_period(code).label()

    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("2023-12", "December 2023"),
            ("2023-Q4", "Q4 2023"),
            ("2024-H1", "first half of 2024"),
            ("2023-H2", "second half of 2023"),
            ("2023-9M", "first nine months of 2023"),
            ("2023", "year 2023"),
        ],
    )
    def test_english(self, code: str, expected: str) -> None:
        """Every kind has an English label."""
        assert expected == parse_period(code).label("en")

    def test_window_text(self) -> None:
        """The window line carries both edges in dd/mm/yyyy."""
        start, end = parse_period("2023-12").window()
        assert "15/11/2023" in window_text(start, end)
        assert "14/12/2023" in window_text(start, end)
        assert "14/12/2023" in window_text(start, end, "en")


class TestPrevious:
    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("2023-12", "2023-11"),
            ("2024-01", "2023-12"),
            ("2023-Q4", "2023-Q3"),
            ("2024-Q1", "2023-Q4"),
            ("2024-H2", "2024-H1"),
            ("2024-H1", "2023-H2"),
            ("2024-9M", "2023-9M"),
            ("2024", "2023"),
        ],
    )
    def test_previous(self, code: str, expected: str) -> None:
        """The previous period has the same kind and comes just before, across years too."""
        assert parse_period(expected) == parse_period(code).previous()


class TestParsePeriodLabel:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("12/2023", Period("month", 2023, 12)),
            ("tháng 12 năm 2023", Period("month", 2023, 12)),
            ("Tháng 12/2023", Period("month", 2023, 12)),
            ("Quý IV/2023", Period("quarter", 2023, 4)),
            ("Quý 4 năm 2023", Period("quarter", 2023, 4)),
            ("6 tháng đầu năm 2024", Period("half", 2024, 1)),
            ("6 tháng cuối năm 2024", Period("half", 2024, 2)),
            ("9 tháng năm 2024", Period("nine_months", 2024)),
            ("Năm 2024", Period("year", 2024)),
            ("2023-Q4", Period("quarter", 2023, 4)),
        ],
    )
    def test_labels(self, text: str, expected: Period) -> None:
        """The period names people write in the `Nội dung` sheet are understood."""
        assert expected == parse_period_label(text)

    @pytest.mark.parametrize("code", CODES)
    def test_own_labels_read_back(self, code: str) -> None:
        """Every Vietnamese label reportgen writes reads back as its period."""
        period = parse_period(code)
        assert period == parse_period_label(period.label())

    @pytest.mark.parametrize(
        "text", ["", "abc", "13/2023", "Quý V/2023", "tháng mười", "Quý IX/2023"]
    )
    def test_garbage(self, text: str) -> None:
        """Text that names no period gives None, not an exception."""
        assert None is parse_period_label(text)
