"""reportgen: periodic summary reports of Vietnamese provincial steering committees.

Reads the event workbooks that member agencies fill in, validates them (every problem named
by its cell), and merges the data into Word and Excel templates.

The public names are loaded on first use (PEP 562): ``import reportgen.cli`` for
``reportgen --help`` must not pay for the readers, validators and renderers behind
``reportgen.api``, nor for ``importlib.metadata`` behind ``__version__``.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

    __version__: str

# public name -> the submodule defining it
_LAZY = {
    "GenerateResult": "api",
    "ValidationResult": "api",
    "generate": "api",
    "generate_each_province": "api",
    "init_folder": "api",
    "validate": "api",
    "Config": "config",
    "load_config": "config",
    "ConfigError": "errors",
    "OutputError": "errors",
    "PeriodError": "errors",
    "ReportgenError": "errors",
    "SchemaError": "errors",
    "TemplateError": "errors",
    "Period": "period",
    "parse_period": "period",
    "Counts": "problems",
    "Problem": "problems",
    "Report": "problems",
}

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


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reportgen")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0.0.0"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _package_version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """This package, keeping the function ``reportgen.validate`` in place of the submodule.

    Importing ``reportgen.validate`` (the module) makes the import system set the package's
    ``validate`` attribute to that module. The eager ``from .api import validate`` used to
    overwrite it again; with lazy names nothing would, and ``reportgen.validate([...])`` would
    call a module.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "validate" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
