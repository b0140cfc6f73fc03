"""Tests of reportgen.normalise: dates, counts, lists and document references as typed."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.normalise import (
    Issue,
    normalise_document,
    parse_count,
    parse_date,
    parse_documents,
    parse_list,
    text_value,
)

DEC_7 = dt.date(2023, 12, 7)
EXCEL_DAY_ZERO = dt.date(1899, 12, 30)
QUALIFIERS = ("khoảng", "gần", "hơn", "trên")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def dot_grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def space_grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def code(issue: Issue | None) -> str | None:
    return None if issue is None else issue.code


class TestParseDateAccepted:
    @pytest.mark.parametrize(
        "text",
        [
            "07/12/2023",
            "7/12/2023",
            "7.12.2023",
            "7-12-2023",
            "2023-12-07",
            "ngày 7 tháng 12 năm 2023",
            "7/12/23",
        ],
    )
    def test_text_forms_of_the_contract(self, text: str) -> None:
        """Every text form input-format.md lists reads as 7 December 2023."""
        expected = (DEC_7, None)
        assert expected == parse_date(text)

    def test_day_comes_before_month(self) -> None:
        """`05/03/2024` is 5 March, never 3 May."""
        expected = (dt.date(2024, 3, 5), None)
        assert expected == parse_date("05/03/2024")

    def test_excel_date_cell_as_datetime(self) -> None:
        """A datetime from an Excel date cell gives its date, the time dropped."""
        expected = (DEC_7, None)
        assert expected == parse_date(dt.datetime(2023, 12, 7, 8, 30))

    def test_excel_date_cell_as_date(self) -> None:
        """A date object is taken as it is."""
        expected = (DEC_7, None)
        assert expected == parse_date(DEC_7)

    @pytest.mark.parametrize("serial", [45267, 45267.0, 45267.5, "45267"])
    def test_excel_serial_number(self, serial: object) -> None:
        """Serial 45267 (int, float, with a time fraction, or as text) is 07/12/2023."""
        expected = (DEC_7, None)
        assert expected == parse_date(serial)

    def test_serial_before_excel_leap_bug(self) -> None:
        """Serial 59 is 28/02/1900: Excel's fictitious 29/02/1900 comes after it."""
        expected = (dt.date(1900, 2, 28), None)
        assert expected == parse_date(59)

    def test_serial_after_excel_leap_bug(self) -> None:
        """Serial 61 is 01/03/1900, the first day Excel and the calendar agree on again."""
        expected = (dt.date(1900, 3, 1), None)
        assert expected == parse_date(61)

    def test_serial_one(self) -> None:
        """Serial 1 is Excel's first day, 01/01/1900."""
        expected = (dt.date(1900, 1, 1), None)
        assert expected == parse_date(1)

    def test_nfd_text(self) -> None:
        """Decomposed (NFD) Vietnamese text from another keyboard reads the same."""
        expected = (DEC_7, None)
        assert expected == parse_date(nfd("ngày 7 tháng 12 năm 2023"))

    def test_capitalised_words(self) -> None:
        """`Ngày 07 Tháng 12 Năm 2023` reads regardless of case."""
        expected = (DEC_7, None)
        assert expected == parse_date("Ngày 07 Tháng 12 Năm 2023")

    @pytest.mark.parametrize(
        "text",
        ["  07/12/2023  ", "07 / 12 / 2023", "ngày  7   tháng 12  năm 2023", "\t7.12.2023\n"],
    )
    def test_extra_spaces(self, text: str) -> None:
        """Surrounding and repeated white space is ignored."""
        expected = (DEC_7, None)
        assert expected == parse_date(text)


class TestParseDateRejected:
    def test_nonexistent_date(self) -> None:
        """31/02/2024 has the right shape but no such day: `date.nonexistent`."""
        value, issue = parse_date("31/02/2024")
        expected = (None, "date.nonexistent")
        assert expected == (value, code(issue))

    @pytest.mark.parametrize(
        "value",
        ["13/13/2023", "abc", "12/2023", "", True, False, -1, -45267, 0, -1.5],
    )
    def test_invalid(self, value: object) -> None:
        """Text that is no date, a month 13, booleans and non-positive serials: `date.invalid`."""
        result, issue = parse_date(value)
        expected = (None, "date.invalid")
        assert expected == (result, code(issue))

    @pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), None, [1]])
    def test_not_a_number_or_other_type(self, value: object) -> None:
        """NaN, infinities, None and other types are `date.invalid`, never an exception."""
        result, issue = parse_date(value)
        expected = (None, "date.invalid")
        assert expected == (result, code(issue))

    @pytest.mark.parametrize("value", ["01/01/1899", "01/01/2201", 2958465])
    def test_out_of_range(self, value: object) -> None:
        """Real dates outside 1900-2200 (a typo in the year) are `date.out_of_range`."""
        result, issue = parse_date(value)
        expected = (None, "date.out_of_range")
        assert expected == (result, code(issue))

    def test_issue_is_an_error(self) -> None:
        """A date that cannot be read is an error, not a warning."""
        issue = parse_date("abc")[1]
        assert issue is not None
        expected = "error"
        assert expected == issue.severity


class TestParseCountAccepted:
    @pytest.mark.parametrize(
        ("value", "count"),
        [
            ("280", 280),
            (280, 280),
            (280.0, 280),
            ("1.000", 1000),
            ("1 000", 1000),
            ("1\u00a0000", 1000),
            ("3.000 người", 3000),
            ("1.234.567", 1234567),
            ("0", 0),
            (0, 0),
            ("  280  ", 280),
        ],
    )
    def test_exact(self, value: object, count: int) -> None:
        """Number cells and text with dot or space thousands groups give the exact number."""
        expected = (count, False, None)
        assert expected == parse_count(value)

    @pytest.mark.parametrize(
        ("text", "count"),
        [("gần 200", 200), ("khoảng 150", 150), ("hơn 3.000", 3000), ("trên 50", 50)],
    )
    def test_qualifier_is_approximate(self, text: str, count: int) -> None:
        """A leading qualifier keeps the number, marks it approximate, warns of it."""
        number, approximate, issue = parse_count(text)
        assert issue is not None
        expected = (count, True, "number.approximate", "warning")
        assert expected == (number, approximate, issue.code, issue.severity)

    def test_qualifier_in_nfd_and_capitals(self) -> None:
        """`Gần 200` typed in NFD is still approximate 200."""
        number, approximate, issue = parse_count(nfd("Gần 200"))
        expected = (200, True, "number.approximate")
        assert expected == (number, approximate, code(issue))


class TestParseCountRejected:
    @pytest.mark.parametrize("value", ["-5", -5, -5.0, "−5"])
    def test_negative(self, value: object) -> None:
        """Negative numbers are `number.negative`."""
        number, _approximate, issue = parse_count(value)
        expected = (None, "number.negative")
        assert expected == (number, code(issue))

    @pytest.mark.parametrize("value", [12.5, "12,5"])
    def test_fraction(self, value: object) -> None:
        """A fraction of a person is `number.fraction`."""
        number, _approximate, issue = parse_count(value)
        expected = (None, "number.fraction")
        assert expected == (number, code(issue))

    @pytest.mark.parametrize(
        "value", ["nhiều", "", "   ", True, False, None, float("nan"), float("inf"), "gần"]
    )
    def test_invalid(self, value: object) -> None:
        """Text with no number, blanks, booleans and other types are `number.invalid`."""
        number, _approximate, issue = parse_count(value)
        expected = (None, "number.invalid")
        assert expected == (number, code(issue))

    def test_errors_are_errors(self) -> None:
        """A count that cannot be used is an error, not a warning."""
        issue = parse_count("-5")[2]
        assert issue is not None
        expected = "error"
        assert expected == issue.severity


class TestNormaliseDocument:
    @pytest.mark.parametrize(
        "ref",
        ["1079/QĐ-TTg", "57-KL/TW", "47/NQ-CP", "111-HD/BTGTW", "09/2019/NĐ-CP", "202/2025/QH15"],
    )
    def test_official_shapes_unchanged(self, ref: str) -> None:
        """References in their official shape come back unchanged with no issue."""
        expected = (ref, None)
        assert expected == normalise_document(ref)

    def test_nfd_reference_unchanged(self) -> None:
        """A reference in NFD comes back as the same NFC reference, no issue."""
        expected = ("1079/QĐ-TTg", None)
        assert expected == normalise_document(nfd("1079/QĐ-TTg"))

    @pytest.mark.parametrize(
        ("typed", "official"),
        [
            ("1079/QD-TTg", "1079/QĐ-TTg"),
            ("09/2019/ND-CP", "09/2019/NĐ-CP"),
            ("số 57-KL/TW", "57-KL/TW"),
            ("Số 57-KL/TW", "57-KL/TW"),
            ("1079 / QĐ – TTg", "1079/QĐ-TTg"),
        ],
    )
    def test_normalised_with_warning(self, typed: str, official: str) -> None:
        """Missing Đ, a leading `số` and stray spaces are fixed with `document.normalised`."""
        ref, issue = normalise_document(typed)
        assert issue is not None
        expected = (official, "document.normalised", "warning")
        assert expected == (ref, issue.code, issue.severity)

    @pytest.mark.parametrize("typed", ["Kết luận 57", "QĐ-TTg", "1079"])
    def test_wrong_shape_kept_with_warning(self, typed: str) -> None:
        """Text not shaped like a reference is kept as typed with `document.shape`."""
        ref, issue = normalise_document(typed)
        assert issue is not None
        expected = (typed, "document.shape", "warning")
        assert expected == (ref, issue.code, issue.severity)


class TestParseDocuments:
    def test_semicolons(self) -> None:
        """References separated by `;` are split."""
        expected: tuple[list[str], list[Issue]] = (["57-KL/TW", "1079/QĐ-TTg"], [])
        assert expected == parse_documents("57-KL/TW; 1079/QĐ-TTg")

    def test_line_breaks(self) -> None:
        """References on separate lines of one cell are split."""
        expected: tuple[list[str], list[Issue]] = (["57-KL/TW", "47/NQ-CP", "111-HD/BTGTW"], [])
        assert expected == parse_documents("57-KL/TW\n47/NQ-CP\r\n111-HD/BTGTW")

    def test_comma_before_a_digit(self) -> None:
        """`, ` followed by a digit separates references on one line."""
        expected: tuple[list[str], list[Issue]] = (["57-KL/TW", "47/NQ-CP"], [])
        assert expected == parse_documents("57-KL/TW, 47/NQ-CP")

    def test_all_separators_and_fixes(self) -> None:
        """Mixed separators split, and each fixed reference brings its own warning."""
        refs, issues = parse_documents("57-KL/TW, 1079/QD-TTg;\n09/2019/ND-CP; Kết luận 57")
        expected = ["57-KL/TW", "1079/QĐ-TTg", "09/2019/NĐ-CP", "Kết luận 57"]
        assert expected == refs
        expected_codes = ["document.normalised", "document.normalised", "document.shape"]
        assert expected_codes == [issue.code for issue in issues]

    def test_blank(self) -> None:
        """A blank cell has no references and no issues."""
        expected: tuple[list[str], list[Issue]] = ([], [])
        assert expected == parse_documents(None)
        assert expected == parse_documents("  ;\n ")


class TestParseList:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("a; b", ["a", "b"]),
            ("a\nb", ["a", "b"]),
            ("a\r\nb", ["a", "b"]),
            ("a;; ;\n\nb;", ["a", "b"]),
            ("Sở Ngoại vụ", ["Sở Ngoại vụ"]),
            ("", []),
            (None, []),
        ],
    )
    def test_split_and_blanks_dropped(self, value: object, expected: list[str]) -> None:
        """Items split on `;` and line breaks, trimmed, blanks dropped."""
        assert expected == parse_list(value)

    def test_items_are_nfc(self) -> None:
        """Items typed in NFD come back in NFC."""
        expected = ["Công an tỉnh", "Sở Ngoại vụ"]
        assert expected == parse_list(nfd("Công an tỉnh; Sở Ngoại vụ"))


class TestTextValue:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, ""),
            (280.0, "280"),
            (12.5, "12.5"),
            (280, "280"),
            (DEC_7, "07/12/2023"),
            (dt.datetime(2023, 12, 7, 8, 30), "07/12/2023"),
            ("  Hội nghị  ", "Hội nghị"),
        ],
    )
    def test_values(self, value: object, expected: str) -> None:
        """None is empty, whole floats lose `.0`, dates print day first, text is trimmed."""
        assert expected == text_value(value)

    def test_nfd_becomes_nfc(self) -> None:
        """Decomposed text is returned composed."""
        expected = "Hòa Bình"
        assert expected == text_value(nfd("Hòa Bình"))


DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2199, 12, 31))


def date_forms(day: dt.date) -> list[object]:
    d, m, y = day.day, day.month, day.year
    serial = (day - EXCEL_DAY_ZERO).days
    return [
        day.strftime("%d/%m/%Y"),
        f"{d}/{m}/{y}",
        f"{d}.{m}.{y}",
        f"{d}-{m}-{y}",
        day.isoformat(),
        f"ngày {d} tháng {m} năm {y}",
        nfd(f"ngày {d} tháng {m} năm {y}"),
        serial,
        float(serial),
    ]


class TestDateRoundTrip:
    @settings(max_examples=150)
    @given(DATES)
    def test_every_form_reads_back(self, day: dt.date) -> None:
        """Any date from 1900-03-01 to 2199-12-31, written in any accepted form, reads back."""
        forms = date_forms(day)
        assert [(day, None)] * len(forms) == [parse_date(form) for form in forms]


COUNTS = st.integers(min_value=0, max_value=10**7)


class TestCountRoundTrip:
    @settings(max_examples=150)
    @given(COUNTS)
    def test_plain_and_grouped_forms(self, n: int) -> None:
        """`str(n)`, `1.234.567` and `1 234 567` all read back as n, exact."""
        forms = [str(n), dot_grouped(n), space_grouped(n)]
        assert [(n, False, None)] * 3 == [parse_count(form) for form in forms]

    @settings(max_examples=150)
    @given(COUNTS, st.sampled_from(QUALIFIERS), st.sampled_from([str, dot_grouped, space_grouped]))
    def test_qualified_forms(self, n: int, qualifier: str, write: Callable[[int], str]) -> None:
        """A qualifier before any form reads back as n, approximate, with a warning."""
        number, approximate, issue = parse_count(f"{qualifier} {write(n)}")
        expected = (n, True, "number.approximate")
        assert expected == (number, approximate, code(issue))
