"""Problems found in the data: records in a report, never exceptions.

Each problem names its place the way office staff look for it (file, sheet, cell ``E12``,
the column header) and says what was found and what is expected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    field: str = ""
    header: str = ""
    value: str = ""
    expected: str = ""

    @property
    def cell(self) -> str:
        if self.column and self.row is not None:
            return f"{self.column}{self.row}"
        return ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cell"] = self.cell
        return data


@dataclass
class Counts:
    """The accounting of rows: read = used + invalid + duplicates, always."""

    read: int = 0
    used: int = 0
    invalid: int = 0
    duplicates: int = 0
    files: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.used + self.invalid + self.duplicates

    def to_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "used": self.used,
            "invalid": self.invalid,
            "duplicates": self.duplicates,
        }


@dataclass
class Report:
    """Everything found while reading and validating: problems plus the row accounting."""

    problems: list[Problem] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        """Problem counts by code, most frequent first."""
        return dict(Counter(p.code for p in self.problems).most_common())
