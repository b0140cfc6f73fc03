"""reportgen: periodic summary reports of Vietnamese provincial steering committees.

Reads the event workbooks that member agencies fill in, validates them (every problem named
by its cell), and merges the data into Word and Excel templates.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .api import (
    GenerateResult,
    ValidationResult,
    generate,
    generate_each_province,
    init_folder,
    validate,
)
from .config import Config, load_config
from .errors import (
    ConfigError,
    OutputError,
    PeriodError,
    ReportgenError,
    SchemaError,
    TemplateError,
)
from .period import Period, parse_period
from .problems import Counts, Problem, Report

try:
    __version__ = version("reportgen")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = [
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
]
