"""The schema is data: an extended copy named in reportgen.toml works without code changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from reportgen.errors import SchemaError
from reportgen.schema import default_schema, load_schema
from tests.conftest import HEADERS, event_row, write_workbook

PACKAGE_SCHEMA = Path(__file__).resolve().parents[1] / "reportgen" / "data" / "schema.toml"

EXTENSION = """

[[columns]]
key = "budget"
header = "Kinh phí"
aliases = ["Kinh phí (triệu đồng)"]
type = "int"

[[event_types]]
code = "exhibition"
label = "Triển lãm"
label_en = "Exhibition"
aliases = ["Triển lãm ảnh"]
needs = ["attendees"]
"""


@pytest.fixture
def extended(workdir: Path) -> Path:
    """A working folder whose reportgen.toml points at an extended schema."""
    schema = workdir / "schema-mo-rong.toml"
    text = PACKAGE_SCHEMA.read_text(encoding="utf-8") + EXTENSION
    # An extra alias for an existing column, as an IT officer would add it.
    text = text.replace('aliases = ["Đơn vị chủ trì"]', 'aliases = ["Đơn vị chủ trì", "Chủ trì"]')
    schema.write_text(text, encoding="utf-8")
    config = workdir / "reportgen.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('schema = ""', 'schema = "schema-mo-rong.toml"'),
        encoding="utf-8",
    )
    inputs = workdir / "inputs"
    for old in inputs.iterdir():
        old.unlink()
    headers = [*HEADERS, "Kinh phí (triệu đồng)"]
    headers[headers.index("Cơ quan chủ trì")] = "Chủ trì"
    write_workbook(
        inputs / "a.xlsx",
        [
            [*event_row(), 15],
            [*event_row(type="Triển lãm ảnh", title="Triển lãm ảnh nhân quyền", attendees=500), 40],
        ],
        headers=headers,
    )
    return workdir


def test_extended_schema_validates(extended: Path, invoke: Any) -> None:
    """The extra alias, column and event type are accepted; nothing is an error."""
    result = invoke("validate", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"] == {"read": 2, "used": 2, "invalid": 0, "duplicates": 0}


def test_extended_schema_reaches_reports(extended: Path, invoke: Any) -> None:
    """Totals count the new type; the annex's data sheet carries the new column."""
    result = invoke("generate", "--period", "2023-12", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["totals"]["exhibition"] == 1
    workbook = openpyxl.load_workbook(data["files"][1])
    sheet = workbook["Sự kiện"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Kinh phí"
    budgets = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(budgets) == [15, 40]
    summary = workbook["Tổng hợp"]
    assert any(row[1] == "Triển lãm" for row in summary.iter_rows(values_only=True))


def test_unknown_column_type_is_refused(tmp_path: Path) -> None:
    """A schema with a column of unknown type is a SchemaError naming the file."""
    bad = tmp_path / "s.toml"
    bad.write_text(
        PACKAGE_SCHEMA.read_text(encoding="utf-8")
        + '\n[[columns]]\nkey = "x"\nheader = "X"\ntype = "money"\n',
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match="money"):
        load_schema(bad)


def test_header_names_are_unique() -> None:
    """No header or alias of the default schema names two columns."""
    schema = default_schema()
    names = [n for c in schema.columns for n in c.names]
    assert len(names) == len(set(names))


def test_broken_schema_is_a_clear_cli_error(workdir: Path, invoke: Any) -> None:
    """A TOML syntax error in the configured schema is one message, exit 1."""
    (workdir / "s.toml").write_text("[[columns]\n", encoding="utf-8")
    config = workdir / "reportgen.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('schema = ""', 'schema = "s.toml"'),
        encoding="utf-8",
    )
    result = invoke("validate")
    assert result.exit_code == 1
    assert "s.toml" in result.output
    assert "Traceback" not in result.output
