"""Start-up of the command line: `reportgen --help` loads typer and the CLI modules, nothing more.

The time target (at most 1.5x `python -c "import typer"`) is measured by bench/run.py; these
tests check its cause deterministically, by the modules a fresh interpreter has loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Libraries that cost more to import than the whole command line may take.
HEAVY_LIBRARIES = (
    "openpyxl",
    "docx",
    "docxtpl",
    "jinja2",
    "markupsafe",
    "python_calamine",
    "lxml",
    "defusedxml",
    "babel",
    "PIL",
    "rich",  # typer's rich help: plain click help instead (cli.py, rich_markup_mode=None)
)
# Only for `reportgen --help` itself: recent typers convert every option value of a command
# with pydantic, which loads importlib.metadata for its plugins, so `reportgen generate --help`
# pays for them whatever reportgen does; the top-level help and `import reportgen.cli` do not.
TOP_LEVEL_ONLY = ("pydantic", "importlib.metadata", "importlib.resources")
# reportgen's own modules that do the work, and pull the libraries above in.
LIBRARY_MODULES = (
    "reportgen.api",
    "reportgen.read",
    "reportgen.normalise",
    "reportgen.validate",
    "reportgen.schema",
    "reportgen.provinces",
    "reportgen.aggregate",
    "reportgen.render",
    "reportgen.wordfile",
    "reportgen.xlsx",
    "reportgen.media",
    "reportgen.runner",
    "reportgen.checker",
)

_REPORT = "import json, sys; print(json.dumps(sorted(sys.modules)))"


def _modules_after(code: str) -> set[str]:
    """The modules loaded by a fresh interpreter after running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{_REPORT}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return set(loaded)


def _offending(loaded: set[str], libraries: tuple[str, ...] = HEAVY_LIBRARIES) -> list[str]:
    return sorted(
        name
        for name in loaded
        if any(name == top or name.startswith(top + ".") for top in libraries)
        or name in LIBRARY_MODULES
    )


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """`import reportgen.cli` (what the console script does first) stays light."""
    loaded = _modules_after("import reportgen.cli")
    assert _offending(loaded, HEAVY_LIBRARIES + TOP_LEVEL_ONLY) == []


@pytest.mark.parametrize("args", [["--help"], ["generate", "--help"], ["templates", "--help"]])
def test_help_loads_no_heavy_library(args: list[str]) -> None:
    """Printing help, the whole path of the console script, stays light too."""
    code = (
        "import contextlib, io, sys\n"
        "from reportgen.cli import main\n"
        f"sys.argv = ['reportgen', *{args!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code in (0, None), exit.code\n"
    )
    libraries = HEAVY_LIBRARIES + (TOP_LEVEL_ONLY if args == ["--help"] else ())
    assert _offending(_modules_after(code), libraries) == []


def test_public_names_load_on_first_use() -> None:
    """`import reportgen` alone loads no library module; a public name loads its module."""
    assert "reportgen.api" not in _modules_after("import reportgen")
    assert "reportgen.api" in _modules_after("from reportgen import validate")


def test_validate_is_the_function_even_after_the_submodule() -> None:
    """Importing the submodule reportgen.validate does not hide the function of that name."""
    import reportgen
    import reportgen.validate  # the submodule, imported on purpose
    from reportgen.api import validate

    assert reportgen.validate is validate
    assert callable(reportgen.validate)
