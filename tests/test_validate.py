"""Validation: every row used, rejected with a located problem, or merged as a duplicate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import validate
from tests.conftest import HEADERS, event_row, write_workbook


def check(tmp_path: Path, rows: list[list[Any]], name: str = "a.xlsx"):  # type: ignore[no-untyped-def]
    write_workbook(tmp_path / name, rows)
    return validate([tmp_path])


def codes(result: Any) -> list[str]:
    return [p.code for p in result.report.problems]


class TestRows:
    def test_valid_row_becomes_event_with_current_province(self, tmp_path: Path) -> None:
        """A former province keeps its recorded name and gains the current one for grouping."""
        result = check(tmp_path, [event_row(province="Hoà Bình")])
        [event] = result.events
        assert result.report.problems == []
        assert event.province == "Hoà Bình"
        assert event.province_current.name == "Phú Thọ"
        assert event.documents == ["57-KL/TW", "1079/QĐ-TTg"]
        assert event.event_id.startswith("SK-")

    def test_problem_names_file_sheet_cell_header_value(self, tmp_path: Path) -> None:
        """A bad date is located at its cell with header, value and expected forms."""
        result = check(tmp_path, [event_row(start="31/02/2024")])
        [problem] = result.report.problems
        assert (problem.severity, problem.code) == ("error", "date.nonexistent")
        assert (Path(problem.file).name, problem.sheet, problem.cell) == ("a.xlsx", "Sự kiện", "B2")
        assert (problem.header, problem.value, problem.field) == (
            "Ngày bắt đầu",
            "31/02/2024",
            "start_date",
        )

    def test_all_problems_of_all_rows_found_in_one_run(self, tmp_path: Path) -> None:
        """Errors do not stop the scan: each bad cell of each row is reported."""
        result = check(
            tmp_path,
            [
                event_row(start="hôm qua", province="Atlantis"),
                event_row(type="Liên hoan", attendees=-3, title="Khác hẳn"),
            ],
        )
        assert sorted(codes(result)) == sorted(
            ["date.invalid", "province.unknown", "event_type.unknown", "number.negative"]
        )
        assert result.report.counts.invalid == 2

    def test_required_columns_and_needs_by_type(self, tmp_path: Path) -> None:
        """Empty required cells and a conference without attendees are errors."""
        result = check(
            tmp_path,
            [
                event_row(agency=None),
                event_row(attendees=None, title="Tập huấn B"),
                event_row(type="Xuất bản ấn phẩm", attendees=None, copies=None, title="Sổ tay"),
            ],
        )
        assert codes(result) == ["required.missing", "required.for_type", "required.for_type"]
        assert [p.field for p in result.report.problems] == ["lead_agency", "attendees", "copies"]

    def test_approximate_number_is_a_warning(self, tmp_path: Path) -> None:
        """`gần 200` is used as 200 with a warning naming the cell."""
        result = check(tmp_path, [event_row(attendees="gần 200")])
        assert result.ok
        [problem] = result.report.problems
        assert (problem.code, problem.severity, problem.cell) == (
            "number.approximate",
            "warning",
            "H2",
        )
        assert result.events[0].attendees == 200
        assert result.events[0].attendees_approximate

    def test_document_reference_normalised_with_warning(self, tmp_path: Path) -> None:
        """`1079/QD-TTg` becomes `1079/QĐ-TTg`, and the change is a warning, not silent."""
        result = check(tmp_path, [event_row(documents="1079/QD-TTg")])
        assert result.events[0].documents == ["1079/QĐ-TTg"]
        [problem] = result.report.problems
        assert (problem.code, problem.value, problem.expected) == (
            "document.normalised",
            "1079/QD-TTg",
            "1079/QĐ-TTg",
        )

    def test_provinces_attending_limit_depends_on_date(self, tmp_path: Path) -> None:
        """50 provinces is fine in 2023 (63 existed) but not after 1 July 2025 (34)."""
        result = check(
            tmp_path,
            [
                event_row(attending=50),
                event_row(attending=50, start="02/07/2025", province="Phú Thọ", title="B"),
            ],
        )
        assert codes(result) == ["number.too_many_provinces"]
        assert result.report.problems[0].row == 3

    def test_end_before_start(self, tmp_path: Path) -> None:
        """An end date before the start date is an error on the end date."""
        result = check(tmp_path, [event_row(end="06/12/2023")])
        assert codes(result) == ["date.end_before_start"]
        assert result.report.problems[0].cell == "C2"


class TestDuplicates:
    def test_same_event_two_files_counted_once_with_conflict(self, tmp_path: Path) -> None:
        """The 07/12/2023 conference from two departments: one event, the 25/26 conflict named."""
        write_workbook(tmp_path / "a.xlsx", [event_row(attending=26)])
        write_workbook(
            tmp_path / "b.xlsx",
            [
                event_row(
                    attending=25,
                    province="Hoà Bình",
                    title="Hội nghị tập huấn công tác TTĐN năm 2023",
                )
            ],
        )
        result = validate([tmp_path])
        assert len(result.events) == 1
        assert result.events[0].provinces_attending == 26  # first file wins
        counts = result.report.counts
        assert (counts.read, counts.used, counts.invalid, counts.duplicates) == (2, 1, 0, 1)
        conflict = next(p for p in result.report.problems if p.code == "duplicate.conflict")
        assert (Path(conflict.file).name, conflict.cell) == ("b.xlsx", "I2")
        assert (conflict.value, conflict.expected) == ("25", "26")
        assert "a.xlsx" in conflict.message
        assert "duplicate.merged" in codes(result)

    def test_different_events_same_day_not_merged(self, tmp_path: Path) -> None:
        """Two distinct trainings on one day in one province stay two events."""
        result = check(
            tmp_path,
            [
                event_row(title="Tập huấn kỹ năng phát ngôn cho cán bộ"),
                event_row(title="Tập huấn nghiệp vụ quản lý báo chí điện tử"),
            ],
        )
        assert len(result.events) == 2

    def test_same_event_id_merged(self, tmp_path: Path) -> None:
        """Rows sharing a `Mã sự kiện` are one event whatever their titles."""
        headers = ["Mã sự kiện", *HEADERS]
        write_workbook(
            tmp_path / "a.xlsx",
            [["SK-1", *event_row()], ["SK-1", *event_row(title="Tên khác hẳn")]],
            headers=headers,
        )
        result = validate([tmp_path])
        assert len(result.events) == 1
        assert "event_id.repeated" in codes(result)


class TestAccounting:
    def test_cli_json_records(self, tmp_path: Path, invoke: Any) -> None:
        """validate --json gives records with every documented key and exits 1 on errors."""
        write_workbook(tmp_path / "a.xlsx", [event_row(), event_row(start="x", title="B")])
        result = invoke("validate", str(tmp_path), "--json")
        assert result.exit_code == 1
        data = json.loads(result.output)
        assert data["rows"] == {"read": 2, "used": 1, "invalid": 1, "duplicates": 0}
        [record] = data["problems"]
        for key in (
            "severity",
            "code",
            "file",
            "sheet",
            "row",
            "column",
            "cell",
            "field",
            "value",
            "message",
        ):
            assert key in record
        assert (record["cell"], record["code"]) == ("B3", "date.invalid")
        assert data["summary"] == {"date.invalid": 1}

    def test_cli_table_and_exit_zero_on_warnings_only(self, tmp_path: Path, invoke: Any) -> None:
        """Warnings alone exit 0; the table shows the cell and the summary the code."""
        write_workbook(tmp_path / "a.xlsx", [event_row(attendees="khoảng 150")])
        result = invoke("validate", str(tmp_path))
        assert result.exit_code == 0, result.output
        assert "H2" in result.output
        assert "number.approximate" in result.output

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        st.lists(
            st.fixed_dictionaries(
                {
                    "start": st.one_of(
                        st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
                        st.sampled_from(["07/12/2023", "31/02/2024", "x", "", "7.8.2024"]),
                    ),
                    "type": st.sampled_from(
                        [
                            "Hội nghị tập huấn",
                            "Hội thảo",
                            "Họp báo",
                            "Xuất bản ấn phẩm",
                            "Khác",
                            "Liên hoan",
                            "",
                        ]
                    ),
                    "title": st.sampled_from(
                        ["Tập huấn A", "Tập huấn B", "Hội thảo nhân quyền", "", "Tập huấn A "]
                    ),
                    "province": st.sampled_from(["Hòa Bình", "Phú Thọ", "TP HCM", "Atlantis"]),
                    "attendees": st.one_of(
                        st.none(), st.integers(-5, 500), st.sampled_from(["gần 200", "nhiều"])
                    ),
                    "copies": st.one_of(st.none(), st.integers(0, 2000)),
                }
            ),
            max_size=12,
        )
    )
    def test_identity_holds_for_random_rows(self, tmp_path_factory: Any, rows: Any) -> None:
        """rows read = used + invalid + duplicates, whatever the rows hold."""
        folder = tmp_path_factory.mktemp("rand")
        built = [event_row(**{k: (v if v != "" else None) for k, v in r.items()}) for r in rows]
        write_workbook(folder / "r.xlsx", built)
        result = validate([folder])
        counts = result.report.counts
        assert counts.balanced
        assert counts.used == len(result.events)
        non_blank = sum(1 for r in built if any(v not in (None, "") for v in r))
        assert counts.read == non_blank


def _schema() -> Any:
    from reportgen.schema import default_schema

    return default_schema()


def _row(number: int, **cells: Any) -> Any:
    """A raw row of the default schema's columns, made by hand."""
    from reportgen.read import RawRow

    schema = _schema()
    values = {c.key: cells.get(c.key) for c in schema.columns}
    columns = {c.key: i for i, c in enumerate(schema.columns)}
    headers = {c.key: c.header for c in schema.columns}
    return RawRow.from_dicts("/in/a.xlsx", "Sự kiện", number, values, columns, headers)


_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 70),
    st.floats(-1, 5000, allow_nan=False).map(lambda f: round(f, 1)),
    st.sampled_from([0.0, -0.0, 1.0, 280.0, 45267.0, 2.5]),
    st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)),
    st.sampled_from(
        [
            "07/12/2023",
            "31/02/2024",
            "2025-07-02",
            "x",
            " ",
            "gần 200",
            "1.000",
            "Hội nghị tập huấn",
            "Hội thảo",
            "Xuất bản ấn phẩm",
            "Hòa Bình",
            "Hà Nội",
            "Phú Thọ",
            "Atlantis",
            "Trực tuyến",
            "Kết hợp",
            "57-KL/TW; 1079/QD-TTg",
            "Sở A; Sở B\nSở A",
            "SK-1",
        ]
    ),
)


class TestQuickPath:
    """validate_rows reads each distinct value once; its results are validate_row's."""

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.fixed_dictionaries(
                {
                    key: _CELL
                    for key in (
                        "stt",
                        "event_id",
                        "start_date",
                        "end_date",
                        "event_type",
                        "title",
                        "province",
                        "lead_agency",
                        "partners",
                        "mode",
                        "attendees",
                        "provinces_attending",
                        "copies",
                        "documents",
                        "reporting_unit",
                        "venue",
                        "online_points",
                        "notes",
                    )
                }
            ),
            min_size=1,
            max_size=25,
        )
    )
    def test_same_events_and_problems_as_validate_row(self, rows: list[dict[str, Any]]) -> None:
        from reportgen.provinces import default_table
        from reportgen.validate import merge_duplicates, validate_row, validate_rows

        schema = _schema()
        raw = [_row(i + 2, **cells) for i, cells in enumerate(rows)]
        expected_problems: list[Any] = []
        events = [validate_row(r, schema, default_table(), expected_problems) for r in raw]
        valid = [e for e in events if e is not None]
        kept, merged = merge_duplicates(valid, expected_problems)
        got, report = validate_rows(raw, schema)
        assert got == kept
        assert report.problems == expected_problems
        assert report.counts.duplicates == merged
        assert report.counts.invalid == len(events) - len(valid)

    def test_clean_rows_take_the_quick_path(self, monkeypatch: Any) -> None:
        """Rows without a problem never reach validate_row (else nothing here is quick)."""
        import importlib

        module = importlib.import_module("reportgen.validate")

        calls: list[Any] = []
        real = module.validate_row
        monkeypatch.setattr(module, "validate_row", lambda *a: calls.append(a) or real(*a))
        common = dict(event_type="Khác", province="Hà Nội", lead_agency="Sở", attendees=5.0)
        rows = [
            _row(2, start_date=dt.date(2023, 12, 7), title="A", **common),
            _row(3, start_date=dt.date(2025, 12, 7), title="B", **common),
            _row(4, start_date="x", title="C", **common),
        ]
        events, report = module.validate_rows(rows, _schema())
        assert [r.row for (r, *_rest) in calls] == [4]
        assert [e.province_unit.status for e in events] == ["former", "current"]
        assert [p.code for p in report.problems] == ["date.invalid"]

    def test_derived_ids_are_made_when_first_read(self) -> None:
        """The quick path leaves an event's derived id for later; read, it is derived_id's,
        and an id the row gave is kept as given."""
        from reportgen.validate import Event, derived_id, validate_rows

        common = dict(event_type="Khác", province="Hà Nội", lead_agency="Sở", attendees=5.0)
        rows = [
            _row(2, start_date=dt.date(2023, 12, 7), title="Hội nghị A", **common),
            _row(3, start_date=dt.date(2023, 12, 8), title="B", event_id="BC-7", **common),
        ]
        events, _report = validate_rows(rows, _schema())
        slot = Event.__dict__["event_id"].slot
        assert [slot.__get__(e, Event) for e in events] == [None, "BC-7"]
        assert events[0].event_id == derived_id(events[0]) and events[0].event_id.startswith("SK-")
        assert slot.__get__(events[0], Event) == events[0].event_id  # kept once derived
        assert events[1].event_id == "BC-7"

    def test_shared_lists_are_never_changed(self) -> None:
        """Events with the same documents share one list; a merge gives the kept one a copy."""
        from reportgen.validate import validate_rows

        common = dict(
            start_date=dt.date(2023, 12, 7),
            event_type="Hội nghị tập huấn",
            province="Hòa Bình",
            lead_agency="Sở",
            attendees=100,
            documents="57-KL/TW",
            partners="Sở A; Sở B",
        )
        events, _report = validate_rows(
            [
                _row(2, title="Tập huấn kỹ năng phát ngôn", **common),
                _row(3, title="Tập huấn nghiệp vụ báo chí điện tử", **common),
                _row(4, title="Tập huấn kỹ năng phát ngôn", **{**common, "documents": "1/QĐ-TTg"}),
            ],
            _schema(),
        )
        first, second = events
        assert first.documents == ["57-KL/TW", "1/QĐ-TTg"]
        assert second.documents == ["57-KL/TW"]
        assert first.partners is second.partners == ["Sở A", "Sở B"]

    def test_sources_is_a_list_when_read(self) -> None:
        """An event keeps its row alone until asked; then it is a list, kept and the same."""
        import dataclasses
        import pickle

        from reportgen.validate import validate_rows

        row = _row(
            2,
            start_date=dt.date(2023, 12, 7),
            event_type="Hội thảo",
            title="Hội thảo A",
            province="Hòa Bình",
            lead_agency="Sở",
            attendees=50.0,
        )
        [event], _report = validate_rows([row], _schema())
        assert type(event.sources) is list and event.sources == [row]
        assert event.sources is event.sources
        event.sources.append(row)
        assert len(event.sources) == 2
        assert pickle.loads(pickle.dumps(event)) == event
        assert dataclasses.replace(event, title="B").sources == event.sources
        assert dataclasses.asdict(event)["title"] == "Hội thảo A"
        assert event.location == "a.xlsx / Sự kiện / A2"


class TestCollector:
    """validate() pauses the cyclic collector while it builds the result, then puts it back."""

    def test_collector_back_on_after_validate(self, tmp_path: Path) -> None:
        import gc

        assert gc.isenabled()
        result = check(tmp_path, [event_row()])
        assert result.report.counts.used == 1
        assert gc.isenabled()

    def test_collector_left_off_when_the_caller_had_it_off(self, tmp_path: Path) -> None:
        import gc

        gc.disable()
        try:
            check(tmp_path, [event_row()])
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_collector_restored_when_validation_fails(self) -> None:
        import gc

        import pytest

        from reportgen.api import collector_paused

        with pytest.raises(RuntimeError), collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("a failure of the program")
        assert gc.isenabled()

    def test_overlapping_pauses_end_with_the_last(self) -> None:
        """Two validations in threads overlap: the first to finish must not switch the
        collector back on under the second, and the last puts it back."""
        import gc
        import threading

        from reportgen.api import collector_paused

        first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
        seen: list[bool] = []

        def second() -> None:
            first_in.wait()
            with collector_paused():
                second_in.set()
                first_out.wait()
                seen.append(gc.isenabled())

        worker = threading.Thread(target=second)
        worker.start()
        with collector_paused():
            first_in.set()
            second_in.wait()
        first_out.set()
        worker.join()
        assert seen == [False]
        assert gc.isenabled()
