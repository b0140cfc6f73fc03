"""The project's own promises: shipped copies in sync, every command documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import reportgen
from reportgen.cli import app

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reportgen"


@pytest.mark.parametrize(
    ("working", "shipped"),
    [("templates", "templates"), ("inputs", "samples")],
)
def test_working_folder_copies_match_package_data(working: str, shipped: str) -> None:
    """templates/ and inputs/ hold exactly the files shipped inside the package."""
    left = {p.name: p.read_bytes() for p in (ROOT / working).iterdir() if p.is_file()}
    right = {p.name: p.read_bytes() for p in (PACKAGE / shipped).iterdir() if p.is_file()}
    assert left.keys() == right.keys()
    assert all(left[name] == right[name] for name in left)


def test_config_matches_the_one_init_writes() -> None:
    """The repository's reportgen.toml is the commented file `reportgen init` writes."""
    assert (ROOT / "reportgen.toml").read_text(encoding="utf-8") == (
        PACKAGE / "data" / "reportgen.toml"
    ).read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    """Each CLI command has a line in README.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    for name in names:
        assert re.search(rf"`reportgen {name}\b", readme), name


def test_architecture_names_every_module() -> None:
    """docs/architecture.md mentions every module of the package."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in sorted(PACKAGE.glob("*.py")):
        if module.name in ("__init__.py", "__main__.py"):
            continue
        assert module.name in text, module.name


def test_public_names() -> None:
    """The package's public surface is exactly what __all__ promises."""
    assert set(reportgen.__all__) == {
        "Config",
        "ConfigError",
        "Counts",
        "GenerateResult",
        "OutputError",
        "Period",
        "PeriodError",
        "Problem",
        "Report",
        "ReportgenError",
        "SchemaError",
        "TemplateError",
        "ValidationResult",
        "__version__",
        "generate",
        "generate_each_province",
        "init_folder",
        "load_config",
        "parse_period",
        "validate",
    }
    for name in reportgen.__all__:
        assert hasattr(reportgen, name)


def test_help_starts_without_heavy_imports() -> None:
    """Importing the CLI loads none of the document libraries (fast start-up)."""
    import subprocess
    import sys

    code = (
        "import sys, reportgen.cli; "
        "heavy = [m for m in ('openpyxl', 'docx', 'docxtpl', 'python_calamine', 'jinja2') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
