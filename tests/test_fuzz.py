"""Hypothesis fuzzing of whole workbooks through `validate` and `generate`.

Random shapes, cell types and strings (unicode, control characters, text that looks like a
formula): never an exception, the row accounting always balances, and every document
produced opens with python-docx and openpyxl.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import api
from reportgen.config import load_config
from tests.conftest import HEADERS, event_row, write_workbook

_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),  # lone surrogates cannot be saved as UTF-8
        blacklist_characters="\x00",
    ),
    max_size=40,
) | st.sampled_from(
    [
        "=1+1",
        "=cmd|' /C calc'!A0",
        "@SUM(A1)",
        "Hội nghị tập huấn",
        "Hòa Bình",
        "Tổng cộng",
        "07/12/2023",
        "2023-12-07",
        "1.000",
        "57-KL/TW",
        "\x01\x07\x1b",
        "&lt;b&gt;",
        "<w:p>",
        "{{ x }}",
    ]
)
_CELL: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    _TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
    st.booleans(),
)


def _safe(value: Any) -> Any:
    """openpyxl refuses XML-illegal characters; keep the rest as they are."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, Any]:
    width = draw(st.integers(min_value=len(HEADERS) - 3, max_value=len(HEADERS) + 3))
    headers = (HEADERS + [f"Cột {i}" for i in range(3)])[:width]
    rows: list[list[Any]] = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        base = event_row()
        random_cells = draw(st.lists(_CELL, min_size=width, max_size=width))
        keep = draw(st.lists(st.booleans(), min_size=width, max_size=width))
        rows.append(
            [
                _safe(random_cells[i] if not keep[i] or i >= len(base) else base[i])
                for i in range(width)
            ]
        )
    title_rows = draw(st.lists(st.lists(_CELL.map(_safe), max_size=4), max_size=3))
    start_column = draw(st.integers(min_value=1, max_value=4))
    return {
        "headers": headers,
        "rows": rows,
        "title_rows": title_rows,
        "start_column": start_column,
    }


def _write(folder: Path, spec: dict[str, Any]) -> Path:
    return write_workbook(
        folder / "inputs" / "fuzz.xlsx",
        spec["rows"],
        headers=spec["headers"],
        title_rows=spec["title_rows"],
        start_column=spec["start_column"],
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=workbooks())
def test_validate_never_raises_and_balances(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), spec)
        result = api.validate([path])
    counts = result.report.counts
    assert counts.balanced
    assert counts.read == counts.used + counts.invalid + counts.duplicates


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=workbooks())
def test_generate_outputs_open(spec: dict[str, Any]) -> None:
    from typer.testing import CliRunner

    from reportgen.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "office"
        assert CliRunner().invoke(app, ["init", str(folder)]).exit_code == 0
        for sample in (folder / "inputs").iterdir():
            sample.unlink()
        path = _write(folder, spec)
        config = load_config(folder / "reportgen.toml")
        result = api.generate(
            "2023-12", config=config, inputs=[path], out=folder / "outputs", allow_invalid=True
        )
        assert result.files
        for file in result.files:
            if file.suffix == ".docx":
                docx.Document(str(file))
            elif file.suffix == ".xlsx":
                openpyxl.load_workbook(file).close()
