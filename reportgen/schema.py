"""The input schema: columns, event types and modes, loaded from a TOML data file.

The default ships as ``reportgen/data/schema.toml``; a user's extended copy is loaded the same
way (``load_schema(path)``), so an extra column, event type or alias needs no code change.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SchemaError
from .textnorm import fold_compact

COLUMN_TYPES = frozenset(
    {"text", "date", "int", "list", "event_type", "province", "mode", "documents", "ignore"}
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Choice:
    """One allowed value of a coded column (an event type or a mode)."""

    code: str
    label: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


# (the choices, folded name -> choice, raw text -> choice): see Schema.match_choice
_ChoiceIndex = tuple[tuple[Choice, ...], dict[str, Choice], dict[str, Choice | None]]


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    event_types: tuple[Choice, ...]
    modes: tuple[Choice, ...]
    narrative_sections: tuple[Choice, ...]
    sheet: str = "Sự kiện"
    narrative_sheet: str = "Nội dung"
    source: str = "<built-in>"
    _header_index: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)
    # match_choice's lookups: id(choices) -> (choices, folded name -> choice, raw text -> choice)
    _choice_index: dict[int, _ChoiceIndex] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, Column] = {}
        for column in self.columns:
            for name in column.names:
                key = fold_compact(name)
                other = index.get(key)
                if other is not None and other.key != column.key:
                    raise SchemaError(
                        f"{self.source}: header {name!r} of column {column.key!r} "
                        f"is also a name of column {other.key!r}"
                    )
                index[key] = column
        self._header_index.update(index)

    def column_for_header(self, header: str) -> Column | None:
        return self._header_index.get(fold_compact(header))

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def event_type(self, code: str) -> Choice | None:
        return next((t for t in self.event_types if t.code == code), None)

    def match_choice(self, choices: tuple[Choice, ...], text: str) -> Choice | None:
        """The first of ``choices`` with a name that folds like ``text``, or None."""
        entry = self._choice_index.get(id(choices))
        if entry is None or entry[0] is not choices:
            names: dict[str, Choice] = {}
            for choice in choices:
                for name in (choice.code, choice.label, choice.label_en, *choice.aliases):
                    if name:
                        names.setdefault(fold_compact(name), choice)
            seen: dict[str, Choice | None] = {}
            entry = (choices, names, seen)
            self._choice_index[id(choices)] = entry  # holds choices, so the id stays its own
        _choices, names, seen = entry
        if text in seen:
            return seen[text]
        found = names.get(fold_compact(text))
        if len(seen) < 4096:
            seen[text] = found
        return found


def _choices(raw: list[dict[str, Any]], what: str, source: str) -> tuple[Choice, ...]:
    out = []
    for item in raw:
        try:
            out.append(
                Choice(
                    code=str(item["code"]),
                    label=str(item["label"]),
                    label_en=str(item.get("label_en", "")),
                    aliases=tuple(str(a) for a in item.get("aliases", [])),
                    needs=tuple(str(n) for n in item.get("needs", [])),
                )
            )
        except (KeyError, TypeError) as exc:
            raise SchemaError(f"{source}: an entry of [[{what}]] lacks {exc}") from None
    return tuple(out)


def parse_schema(data: dict[str, Any], source: str) -> Schema:
    """Build a :class:`Schema` from the parsed TOML ``data``; ``source`` names it in errors."""
    columns = []
    for item in data.get("columns", []):
        try:
            column = Column(
                key=str(item["key"]),
                header=str(item["header"]),
                type=str(item.get("type", "text")),
                required=bool(item.get("required", False)),
                aliases=tuple(str(a) for a in item.get("aliases", [])),
            )
        except (KeyError, TypeError) as exc:
            raise SchemaError(f"{source}: an entry of [[columns]] lacks {exc}") from None
        if column.type not in COLUMN_TYPES:
            raise SchemaError(
                f"{source}: column {column.key!r} has unknown type {column.type!r}; "
                f"use one of {', '.join(sorted(COLUMN_TYPES))}"
            )
        columns.append(column)
    keys = [c.key for c in columns]
    for needed in ("start_date", "event_type", "title", "province"):
        if needed not in keys:
            raise SchemaError(f"{source}: the schema must define the column {needed!r}")
    event_types = _choices(data.get("event_types", []), "event_types", source)
    if not event_types:
        raise SchemaError(f"{source}: the schema defines no [[event_types]]")
    for event_type in event_types:
        for need in event_type.needs:
            if need not in keys:
                raise SchemaError(
                    f"{source}: event type {event_type.code!r} needs unknown column {need!r}"
                )
    return Schema(
        columns=tuple(columns),
        event_types=event_types,
        modes=_choices(data.get("modes", []), "modes", source),
        narrative_sections=_choices(
            data.get("narrative_sections", []), "narrative_sections", source
        ),
        sheet=str(data.get("sheet", "Sự kiện")),
        narrative_sheet=str(data.get("narrative_sheet", "Nội dung")),
        source=source,
    )


def load_schema(path: Path | None = None) -> Schema:
    """Load the schema at ``path``, or the default one shipped with reportgen."""
    if path is None:
        return default_schema()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read the schema file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path}: the schema file is not valid TOML ({exc})") from None
    return parse_schema(data, str(path))


@cache
def default_schema() -> Schema:
    text = (resources.files("reportgen") / "data" / "schema.toml").read_text(encoding="utf-8")
    return parse_schema(tomllib.loads(text), "schema.toml (built-in)")
