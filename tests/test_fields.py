"""The field catalogue (data/fields.toml) is exactly what reportgen gives templates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from reportgen import i18n
from reportgen.fields import (
    SAMPLE_DATE,
    catalogue,
    example_text,
    list_fields,
    sample_context,
    walk_context,
)
from reportgen.formatting import FILTERS
from reportgen.media import TEMPLATE_GLOBALS, Chart


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    return sample_context(lang="vi")


class TestCatalogue:
    def test_covers_every_key_of_a_real_context(self, context: dict[str, Any]) -> None:
        """Every key of the context (items of events, by_type, documents too) is catalogued."""
        found = {path for path, _value in walk_context(context)}
        listed = {f.path for f in catalogue().fields}
        assert [] == sorted(found - listed), "add these to reportgen/data/fields.toml"
        assert {"events[].title", "by_type[].label", "documents[].ref"} <= found

    def test_names_no_field_that_does_not_exist(self, context: dict[str, Any]) -> None:
        """Nothing in the catalogue is missing from the real context."""
        found = {path for path, _value in walk_context(context)}
        listed = {f.path for f in catalogue().fields}
        assert [] == sorted(listed - found), "remove these from reportgen/data/fields.toml"

    def test_filters_are_exactly_the_registered_ones(self) -> None:
        """The catalogue lists formatting.FILTERS, no more, no less."""
        assert set(FILTERS) == {f.name for f in catalogue().filters}

    def test_types_match_the_values(self, context: dict[str, Any]) -> None:
        """Each catalogued type is the type of the real values (text is str, int is int ...)."""
        checks = {
            "text": lambda v: isinstance(v, str),
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "int?": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
            "number?": lambda v: (
                v is None or (isinstance(v, int | float) and not isinstance(v, bool))
            ),
            "date": lambda v: isinstance(v, dt.date),
            "date?": lambda v: v is None or isinstance(v, dt.date),
            "bool": lambda v: isinstance(v, bool),
            "list[text]": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
            "list": lambda v: isinstance(v, list),
            "group": lambda v: isinstance(v, dict),
            "map": lambda v: isinstance(v, dict),
            "chart": lambda v: isinstance(v, Chart),
        }
        types = {f.path: f.type for f in catalogue().fields}
        wrong = [
            (path, types[path], value)
            for path, value in walk_context(context)
            if path in types and not checks[types[path]](value)
        ]
        assert [] == wrong

    def test_functions_are_exactly_the_template_globals(self) -> None:
        """The catalogue lists media.TEMPLATE_GLOBALS (image), no more, no less."""
        assert set(TEMPLATE_GLOBALS) == {f.name for f in catalogue().functions}
        assert all(f"{f.name}(" in f.example for f in catalogue().functions)

    def test_descriptions_in_both_languages(self) -> None:
        """Every field, filter and function has a Vietnamese and an English description."""
        entries = [*catalogue().fields, *catalogue().filters, *catalogue().functions]
        assert all(e.vi.strip() and e.en.strip() for e in entries)
        assert catalogue().field("org.name") is not None
        assert catalogue().field("org.name").description("vi") == (  # type: ignore[union-attr]
            "Tên Ban Chỉ đạo (cơ quan ban hành), viết hoa"
        )


class TestExamples:
    def test_examples_come_from_the_samples(self, context: dict[str, Any]) -> None:
        """Examples are real values of December 2023 built from the shipped samples."""
        examples = {item.field.path: item.example for item in list_fields(context).fields}
        assert examples["totals.events"] == 7
        assert examples["totals.attendees"] == 954
        assert examples["report.date"] == SAMPLE_DATE
        assert examples["period.label"] == "tháng 12 năm 2023"
        assert examples["org.parent_body"] == "UBND TỈNH PHÚ THỌ"
        assert examples["events[].end_date"] is not None  # the first event that has one

    def test_filter_results_are_computed(self, context: dict[str, Any]) -> None:
        """Each filter's example is rendered by the real filter."""
        results = {item.filter.name: item.result for item in list_fields(context).filters}
        assert results == {
            "ngay": "20/12/2023",
            "dateline": "ngày 20 tháng 12 năm 2023",
            "so": "1.234.567",
            "phantram": "25,6%",
        }

    def test_example_text(self) -> None:
        """Dates as ISO text, lists shortened, lists of items counted."""
        i18n.set_language("en")
        assert example_text(dt.date(2023, 12, 7)) == "2023-12-07"
        assert example_text(["a", "b"]) == '["a", "b"]'
        assert example_text([{"a": 1}, {"a": 2}]) == "2 items"
        assert example_text(None) == ""
        assert example_text("x" * 100).endswith("…")


class TestCommand:
    def test_table(self, invoke: Any) -> None:
        """`reportgen fields` prints each field with type, Vietnamese description, example."""
        result = invoke("fields")
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        row = next(line for line in lines if "totals.attendees " in line)
        assert "Tổng số lượt đại biểu" in row and "954" in row
        assert any("dateline" in line and "ngày 20 tháng 12 năm 2023" in line for line in lines)
        chart = next(line for line in lines if line.startswith("│ charts.by_type "))
        assert "biểu đồ" in chart and "Số hoạt động theo loại" in chart
        assert any("image" in line and 'image("logo.png", width_cm=3)' in line for line in lines)

    def test_english_descriptions(self, invoke: Any) -> None:
        """With --lang en the descriptions are English."""
        result = invoke("--lang", "en", "fields")
        row = next(line for line in result.output.splitlines() if "totals.attendees " in line)
        assert "Total attendees" in row

    def test_json(self, invoke: Any) -> None:
        """--json lists fields and filters with both descriptions, type and example."""
        result = invoke("fields", "--json")
        assert result.exit_code == 0
        data = json.loads(result.output)
        assert data["period"] == "2023-12"
        fields = {f["path"]: f for f in data["fields"]}
        assert fields["report.date"] == {
            "path": "report.date",
            "type": "date",
            "description_vi": "Ngày ban hành báo cáo; dùng với bộ lọc dateline hoặc ngay",
            "description_en": "Date of the report; use it with the dateline or ngay filter",
            "example": "2023-12-20",
        }
        assert fields["events"]["example"] is None
        assert fields["org.recipients"]["example"][0] == "Ban Chỉ đạo Nhân quyền của Chính phủ"
        assert [f["name"] for f in data["filters"]] == ["ngay", "dateline", "so", "phantram"]
        assert fields["charts.by_type"]["type"] == "chart"
        assert fields["charts.by_type"]["example"].startswith("Số hoạt động theo loại, tháng 12")
        assert [f["name"] for f in data["functions"]] == ["image"]
