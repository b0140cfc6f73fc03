"""Exceptions of reportgen: failures of the program or of its set-up, never of the data.

Problems in the data (a bad date, an unknown province) are :class:`reportgen.problems.Problem`
records, not exceptions. The tree::

    ReportgenError                 base; the CLI turns it into a message and exit code 1
    ├── ConfigError                reportgen.toml missing a value, unreadable or invalid
    ├── SchemaError                the schema data file is invalid
    ├── ProvinceDataError          the provinces data file is invalid
    ├── TemplateError              a template cannot be loaded or rendered
    ├── PeriodError                a period code that cannot be parsed (usage: exit 2)
    ├── SelectionError             a --province, --region or --scope naming nothing (usage: exit 2)
    ├── LockBusyError              another `reportgen run` holds the outputs folder
    └── OutputError                an output file cannot be written
        └── ConversionError        LibreOffice could not convert a document to PDF
            └── ConverterMissing   LibreOffice is not installed
"""

from __future__ import annotations


class ReportgenError(Exception):
    """Base class of every error reportgen raises on purpose."""

    exit_code = 1


class ConfigError(ReportgenError):
    """The configuration file is missing a value, unreadable or invalid."""


class SchemaError(ReportgenError):
    """The schema data file is invalid."""


class ProvinceDataError(ReportgenError):
    """The provinces data file is missing, unreadable or invalid."""


class TemplateError(ReportgenError):
    """A template cannot be loaded or rendered."""


class PeriodError(ReportgenError):
    """A period code cannot be parsed."""

    exit_code = 2


class SelectionError(ReportgenError):
    """A province, region or scope that names nothing, or options that do not go together."""

    exit_code = 2


class OutputError(ReportgenError):
    """An output file cannot be written."""


class LockBusyError(ReportgenError):
    """Another run holds the lock of the outputs folder."""


class ConversionError(OutputError):
    """LibreOffice could not convert a document to PDF."""


class ConverterMissing(ConversionError):
    """LibreOffice is not installed (or not where reportgen looks for it)."""
