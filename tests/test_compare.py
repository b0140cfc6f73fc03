"""Comparisons with the previous period and a year earlier, and the start-date rule of windows.

Expected figures are computed by hand from docs/sample-data.md ("All rows"):

- 2023-12 (15/11–14/12/2023): 7 events, 954 attendees (the documented figures).
- 2023-11 (15/10–14/11/2023): 26/10 training in Kon Tum (`gần 200` → 200), 08/11 publication,
  14/11 `other`: 3 events, 200 attendees.
- 2022-12 (15/11–14/12/2022): no event.
- 2024-01 (15/12/2023–14/01/2024): 15/12 press conference (35), 20/12 `other`, 10/01/2024 press
  briefing (50): 3 events, 85 attendees.
- 2023-Q3 (15/06–14/09/2023): 14/09 press briefing (45): 1 event, 45 attendees.
- year 2023 (15/12/2022–14/12/2023): the 13 events of 2023-Q4 (1.371) plus 14/09 (45): 14
  events, 1.416 attendees; year 2024: 24 events, 4.638 attendees.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import pytest

from reportgen import api
from reportgen.aggregate import build_context
from reportgen.compare import change_text, ratio, year_ago
from reportgen.config import load_config
from reportgen.period import Period, parse_period
from reportgen.schema import load_schema
from tests.conftest import event_row, write_workbook


def _context(folder: Path, period: str, lang: str = "vi") -> dict[str, Any]:
    config = load_config(folder / "reportgen.toml")
    schema = load_schema(config.schema)
    result = api.validate([config.inputs], schema)
    return build_context(
        events=result.events,
        period=parse_period(period),
        rule=config.rule,
        config=config,
        schema=schema,
        counts=result.report.counts,
        warnings=len(result.report.warnings),
        narrative=result.read.narrative,
        report_date=dt.date(2023, 12, 20),
        lang=lang,
    )


def _doc_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


class TestChangeText:
    def test_increase_with_percentages(self) -> None:
        """An increase reads `tăng N hoạt động (P%)`, percentages with a decimal comma."""
        text = change_text(7, 954, 3, 200, "tháng 11 năm 2023", "vi")
        assert text == (
            "tăng 4 hoạt động (133,3%), tăng 754 lượt đại biểu (377%) so với tháng 11 năm 2023"
        )

    def test_decrease_and_thousands(self) -> None:
        """A decrease reads `giảm`; large numbers and percentages group thousands with dots."""
        assert change_text(3, 85, 7, 954, "tháng 12 năm 2023", "vi") == (
            "giảm 4 hoạt động (57,1%), giảm 869 lượt đại biểu (91,1%) so với tháng 12 năm 2023"
        )
        assert change_text(13, 1371, 1, 45, "quý III năm 2023", "vi") == (
            "tăng 12 hoạt động (1.200%), tăng 1.326 lượt đại biểu (2.946,7%) so với quý III "
            "năm 2023"
        )

    def test_equal_and_one_unchanged(self) -> None:
        """Equal figures read `bằng ...`; one unchanged figure reads `số ... không đổi`."""
        assert change_text(7, 954, 7, 954, "tháng 11 năm 2023", "vi") == (
            "bằng tháng 11 năm 2023 (7 hoạt động, 954 lượt đại biểu)"
        )
        assert change_text(7, 964, 7, 954, "tháng 11 năm 2023", "vi") == (
            "số hoạt động không đổi, tăng 10 lượt đại biểu (1%) so với tháng 11 năm 2023"
        )

    def test_empty_base_period(self) -> None:
        """A comparison period without events says so instead of dividing by zero."""
        assert change_text(7, 954, 0, 0, "tháng 12 năm 2022", "vi") == (
            "tháng 12 năm 2022 không có hoạt động để so sánh"
        )
        assert change_text(0, 0, 0, 0, "December 2022", "en") == (
            "no activities in December 2022 to compare with"
        )

    def test_base_without_attendees_has_no_percentage(self) -> None:
        """When only the attendees' base is 0, their change is given without a percentage."""
        assert change_text(2, 120, 1, 0, "tháng 11 năm 2023", "vi") == (
            "tăng 1 hoạt động (100%), tăng 120 lượt đại biểu so với tháng 11 năm 2023"
        )

    def test_english(self) -> None:
        """English counts `more`/`fewer` with singulars and a decimal point."""
        assert change_text(7, 954, 3, 200, "November 2023", "en") == (
            "4 more activities (133.3%), 754 more participants (377%) than in November 2023"
        )
        assert change_text(2, 1, 3, 1, "Q3 2023", "en") == (
            "1 fewer activity (33.3%) than in Q3 2023, the same number of participants"
        )
        assert change_text(1, 1, 1, 1, "Q3 2023", "en") == (
            "the same as in Q3 2023 (1 activity, 1 participant)"
        )

    def test_ratio_and_year_ago(self) -> None:
        """The ratio is signed and None on a zero base; a year ago keeps the kind and index."""
        assert ratio(4, 3) == 1.3333 and ratio(-4, 7) == -0.5714 and ratio(5, 0) is None
        assert year_ago(Period("quarter", 2024, 1)) == Period("quarter", 2023, 1)


class TestSampleComparisons:
    def test_december_2023(self, workdir: Path) -> None:
        """2023-12 against 2023-11 (3 events, 200) and against an empty 2022-12."""
        compare = _context(workdir, "2023-12")["compare"]
        previous, last_year = compare["previous"], compare["year_ago"]
        assert previous["code"] == "2023-11" and previous["label"] == "tháng 11 năm 2023"
        assert (previous["start"], previous["end"]) == (
            dt.date(2023, 10, 15),
            dt.date(2023, 11, 14),
        )
        assert (previous["events"], previous["attendees"]) == (3, 200)
        assert (previous["events_change"], previous["attendees_change"]) == (4, 754)
        assert (previous["events_pct"], previous["attendees_pct"]) == (1.3333, 3.77)
        assert previous["text"] == (
            "tăng 4 hoạt động (133,3%), tăng 754 lượt đại biểu (377%) so với tháng 11 năm 2023"
        )
        assert last_year["code"] == "2022-12"
        assert (last_year["events"], last_year["attendees"]) == (0, 0)
        assert (last_year["events_change"], last_year["attendees_change"]) == (7, 954)
        assert last_year["events_pct"] is None and last_year["attendees_pct"] is None
        assert last_year["text"] == "tháng 12 năm 2022 không có hoạt động để so sánh"

    def test_december_2023_by_type(self, workdir: Path) -> None:
        """Per type: training 3 (705) vs 1 (200); publication 0 vs 1; press briefing 1 vs 0."""
        rows = {
            r["code"]: r for r in _context(workdir, "2023-12")["compare"]["previous"]["by_type"]
        }
        assert list(rows) == [
            "training",
            "press_briefing",
            "press_conference",
            "seminar",
            "delegation",
            "publication",
            "other",
        ]
        training = rows["training"]
        assert (training["current_events"], training["current_attendees"]) == (3, 705)
        assert (training["events"], training["attendees"]) == (1, 200)
        assert (training["events_change"], training["events_pct"]) == (2, 2.0)
        assert (training["attendees_change"], training["attendees_pct"]) == (505, 2.525)
        publication = rows["publication"]
        assert (publication["events_change"], publication["events_pct"]) == (-1, -1.0)
        assert publication["text"] == (
            "giảm 1 hoạt động (100%), số lượt đại biểu không đổi so với tháng 11 năm 2023"
        )
        briefing = rows["press_briefing"]
        assert (briefing["events_change"], briefing["events_pct"]) == (1, None)
        assert briefing["text"] == "tháng 11 năm 2023 không có hoạt động để so sánh"

    def test_january_2024_decrease(self, workdir: Path) -> None:
        """2024-01 (3 events, 85) is a decrease on 2023-12 (7, 954)."""
        previous = _context(workdir, "2024-01")["compare"]["previous"]
        assert (previous["events_change"], previous["attendees_change"]) == (-4, -869)
        assert (previous["events_pct"], previous["attendees_pct"]) == (-0.5714, -0.9109)
        assert previous["text"] == (
            "giảm 4 hoạt động (57,1%), giảm 869 lượt đại biểu (91,1%) so với tháng 12 năm 2023"
        )

    def test_year_2024(self, workdir: Path) -> None:
        """The year 2024 (24, 4.638) against 2023 (14, 1.416); both comparisons are 2023."""
        compare = _context(workdir, "2024")["compare"]
        assert compare["previous"]["code"] == compare["year_ago"]["code"] == "2023"
        assert (compare["previous"]["events"], compare["previous"]["attendees"]) == (14, 1416)
        assert compare["previous"]["text"] == (
            "tăng 10 hoạt động (71,4%), tăng 3.222 lượt đại biểu (227,5%) so với năm 2023"
        )

    def test_word_report_sentence(self, workdir: Path, invoke: Any) -> None:
        """Section II of the Word report carries both comparisons in one sentence."""
        assert invoke("generate", "--period", "2023-12").exit_code == 0
        text = _doc_text(workdir / "outputs" / "bao-cao-2023-12.docx")
        assert (
            "So với kỳ trước và cùng kỳ năm trước: tăng 4 hoạt động (133,3%), tăng 754 lượt "
            "đại biểu (377%) so với tháng 11 năm 2023; tháng 12 năm 2022 không có hoạt động "
            "để so sánh." in text
        )

    def test_year_report_compares_once(self, workdir: Path, invoke: Any) -> None:
        """A year report does not repeat the comparison with the year before."""
        assert invoke("generate", "--period", "2024").exit_code == 0
        text = _doc_text(workdir / "outputs" / "bao-cao-2024.docx")
        assert text.count("so với năm 2023") == 1

    def test_english_report_sentence(self, workdir: Path, invoke: Any) -> None:
        """With --lang en the sentence is English, with a decimal point."""
        result = invoke("--lang", "en", "generate", "--period", "2023-12")
        assert result.exit_code == 0, result.output
        text = _doc_text(workdir / "outputs" / "bao-cao-2023-12.docx")
        assert (
            "4 more activities (133.3%), 754 more participants (377%) than in November 2023; "
            "no activities in December 2022 to compare with." in text
        )

    def test_comparison_follows_province_filter(self, workdir: Path) -> None:
        """Comparisons count only the selected events: Phú Thọ's 2023-11 lacks the Kon Tum one."""
        from reportgen.scope import resolve_selection

        config = load_config(workdir / "reportgen.toml")
        schema = load_schema(config.schema)
        result = api.validate([config.inputs], schema)
        context = build_context(
            events=result.events,
            period=parse_period("2023-12"),
            rule=config.rule,
            config=config,
            schema=schema,
            counts=result.report.counts,
            warnings=0,
            narrative=[],
            report_date=dt.date(2023, 12, 20),
            selection=resolve_selection(province="Phú Thọ"),
        )
        previous = context["compare"]["previous"]
        assert (previous["events"], previous["attendees"]) == (2, 0)
        assert previous["text"] == (
            "tăng 5 hoạt động (250%), tăng 954 lượt đại biểu so với tháng 11 năm 2023"
        )


class TestStartDateRule:
    @pytest.mark.parametrize(("period", "events"), [("2023-12", 1), ("2024-01", 0)])
    def test_event_across_cutoff_counts_once(
        self, workdir: Path, empty_inputs: Path, invoke: Any, period: str, events: int
    ) -> None:
        """An event from 13/12 to 16/12/2023 counts in December 2023 only, by its start date."""
        import json

        write_workbook(
            empty_inputs / "a.xlsx",
            [event_row(start=dt.date(2023, 12, 13), end=dt.date(2023, 12, 16))],
        )
        result = invoke("generate", "--period", period, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["totals"]["events"] == events

    def test_samples_course_is_in_december_list(self, workdir: Path) -> None:
        """The sample course 13–16/12/2023 is listed in 2023-12 and not in 2024-01."""
        december = [e["dates"] for e in _context(workdir, "2023-12")["events"]]
        january = [e["dates"] for e in _context(workdir, "2024-01")["events"]]
        assert "13/12/2023 - 16/12/2023" in december
        assert not any(d.startswith("13/12/2023") for d in january)
