"""The fields and filters templates can use, each with an example from the sample inputs.

The catalogue (names, types, Vietnamese and English descriptions) is the data file
``reportgen/data/fields.toml``. The examples come from a real template context: the shipped
sample workbooks validated and aggregated for December 2023, exactly as ``generate`` would,
so they can never drift from what reportgen really gives a template. The same context gives
``reportgen preview`` its data and ``reportgen templates check`` its list of known fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .config import Config, parse_config
from .errors import ConfigError
from .i18n import _, language

SAMPLE_PERIOD = "2023-12"
SAMPLE_DATE = dt.date(2023, 12, 20)

# What each kind of field is: a group has fixed named fields, a map has names that come from
# the data (schema codes, headers), a list has items, anything else is a single value.
GROUP, MAP, LIST, VALUE = "group", "map", "list", "value"
# "number?": a decimal number or empty (compare.*.events_pct, a ratio); "chart": a
# reportgen.media.Chart, drawn in Word templates and a line of text elsewhere.
TYPES = (
    *("text", "int", "int?", "date", "date?", "bool", "list[text]", "list", "group", "map"),
    *("number?", "chart"),
)


@dataclass(frozen=True)
class Field:
    path: str  # "events[].title": the field title of each item of events
    type: str
    vi: str
    en: str

    @property
    def kind(self) -> str:
        if self.type in (GROUP, MAP, LIST):
            return self.type
        return LIST if self.type.startswith("list") else VALUE

    def description(self, lang: str | None = None) -> str:
        return self.en if (lang or language()) == "en" else self.vi


@dataclass(frozen=True)
class Filter:
    name: str
    vi: str
    en: str
    example: str  # a template expression using the filter, e.g. "{{ report.date | ngay }}"

    def description(self, lang: str | None = None) -> str:
        return self.en if (lang or language()) == "en" else self.vi


@dataclass(frozen=True)
class Function:
    name: str
    vi: str
    en: str
    example: str  # a call as a template writes it, e.g. '{{ image("logo.png", width_cm=3) }}'

    def description(self, lang: str | None = None) -> str:
        return self.en if (lang or language()) == "en" else self.vi


@dataclass(frozen=True)
class Catalogue:
    fields: tuple[Field, ...]
    filters: tuple[Filter, ...]
    functions: tuple[Function, ...] = ()

    def field(self, path: str) -> Field | None:
        return next((f for f in self.fields if f.path == path), None)


@cache
def catalogue() -> Catalogue:
    """The fields, filters and functions of ``reportgen/data/fields.toml``."""
    source = resources.files("reportgen") / "data" / "fields.toml"
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    fields = []
    for entry in data.get("field", []):
        if entry["type"] not in TYPES:
            raise ConfigError(
                _("{path}: field {field} has an unknown type {type}.").format(
                    path="reportgen/data/fields.toml", field=entry["path"], type=entry["type"]
                )
            )
        fields.append(Field(entry["path"], entry["type"], entry["vi"], entry["en"]))
    filters = [
        Filter(entry["name"], entry["vi"], entry["en"], entry["example"])
        for entry in data.get("filter", [])
    ]
    functions = [
        Function(entry["name"], entry["vi"], entry["en"], entry["example"])
        for entry in data.get("function", [])
    ]
    return Catalogue(tuple(fields), tuple(filters), tuple(functions))


def shipped_config() -> Config:
    """The configuration ``reportgen init`` writes: the sample committee of Phú Thọ."""
    source = resources.files("reportgen") / "data" / "reportgen.toml"
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    return parse_config(data, Path.cwd())


def sample_context(
    config: Config | None = None,
    *,
    lang: str | None = None,
    period: str = SAMPLE_PERIOD,
    report_date: dt.date = SAMPLE_DATE,
) -> dict[str, Any]:
    """The template context of ``period`` built from the shipped sample workbooks.

    ``config`` gives the committee, the period rule and the schema (default: the shipped
    configuration); the inputs are always the samples, so the result does not depend on
    what is in the user's inputs folder.
    """
    from .aggregate import build_context
    from .api import validate
    from .period import parse_period
    from .schema import load_schema

    config = config or shipped_config()
    schema = load_schema(config.schema)
    samples = Path(str(resources.files("reportgen") / "samples"))
    result = validate([samples], schema)
    return build_context(
        events=result.events,
        period=parse_period(period),
        rule=config.rule,
        config=config,
        schema=schema,
        counts=result.report.counts,
        warnings=len(result.report.warnings),
        narrative=result.read.narrative,
        report_date=report_date,
        lang=lang or language(),
    )


def field_kinds(context: dict[str, Any]) -> dict[str, str]:
    """Every field path a template may use, with its kind (GROUP, MAP, LIST or VALUE).

    The paths are those of the catalogue and those found in ``context`` (an extended schema
    adds narrative sections, for example); items of a list are ``path[]``.
    """
    kinds = {f.path: f.kind for f in catalogue().fields}
    for path, value in walk_context(context):
        kinds.setdefault(path, _kind_of(value))
    for path in list(kinds):
        if "[]." in path:  # the items of a list of groups are groups
            kinds.setdefault(path[: path.rindex("[].") + 2], GROUP)
    return kinds


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return GROUP
    if isinstance(value, list | tuple):
        return LIST
    return VALUE


def walk_context(context: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(path, value) for every field of ``context``, item fields of lists as ``list[].field``.

    The names under a map of the catalogue (``totals.by_type``, ``events[].extra``,
    ``data_rows[]``) come from the data, so they are not walked.
    """
    maps = {f.path for f in catalogue().fields if f.kind == MAP}
    found: list[tuple[str, Any]] = []

    def walk(value: Any, path: str) -> None:
        if path:
            found.append((path, value))
        if path in maps:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            item_path = f"{path}[]"
            if item_path in maps:
                found.append((item_path, value[0]))
                return
            seen: dict[str, Any] = {}
            for item in value:
                for key, inner in item.items():
                    seen.setdefault(key, inner)
            for key, inner in seen.items():
                walk(inner, f"{item_path}.{key}")

    walk(context, prefix)
    return found


def _example_value(context: dict[str, Any], path: str) -> Any:
    """The first non-empty value of ``path`` in ``context`` (items of lists searched in order)."""
    values: list[Any] = [context]
    for part in path.split("."):
        name, is_item = (part[:-2], True) if part.endswith("[]") else (part, False)
        values = [v[name] for v in values if isinstance(v, dict) and name in v]
        if is_item:
            values = [item for v in values if isinstance(v, list) for item in v]
    for value in values:
        if value not in (None, "", [], {}):
            return value
    return values[0] if values else None


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def example_text(value: Any) -> str:
    """An example value as a person reads it: dates as in templates, lists summarised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return ""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return _("{n} items").format(n=len(value))
        return _shorten(json.dumps(value, ensure_ascii=False))
    return _shorten(str(value))


def example_json(value: Any) -> Any:
    """An example value for ``--json``: plain values as they are, dates as ISO text."""
    if isinstance(value, dict) or (
        isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
    ):
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class FieldExample:
    field: Field
    example: Any


@dataclass(frozen=True)
class FilterExample:
    filter: Filter
    result: str


@dataclass(frozen=True)
class FieldList:
    fields: list[FieldExample]
    filters: list[FilterExample]
    functions: list[Function] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": SAMPLE_PERIOD,
            "fields": [
                {
                    "path": item.field.path,
                    "type": item.field.type,
                    "description_vi": item.field.vi,
                    "description_en": item.field.en,
                    "example": example_json(item.example),
                }
                for item in self.fields
            ],
            "filters": [
                {
                    "name": item.filter.name,
                    "description_vi": item.filter.vi,
                    "description_en": item.filter.en,
                    "example": item.filter.example,
                    "result": item.result,
                }
                for item in self.filters
            ],
            "functions": [
                {
                    "name": item.name,
                    "description_vi": item.vi,
                    "description_en": item.en,
                    "example": item.example,
                }
                for item in self.functions
            ],
        }


def list_fields(context: dict[str, Any] | None = None) -> FieldList:
    """Every field, filter and function of the catalogue; fields and filters with an example
    from the sample inputs."""
    from .render import jinja_env

    context = context if context is not None else sample_context()
    entries = catalogue()
    env = jinja_env(autoescape=False)
    return FieldList(
        fields=[FieldExample(f, _example_value(context, f.path)) for f in entries.fields],
        filters=[
            FilterExample(f, env.from_string(f.example).render(**context)) for f in entries.filters
        ],
        functions=list(entries.functions),
    )


def type_label(type_code: str) -> str:
    """The catalogue's type in words, in the current language."""
    labels = {
        "text": _("text"),
        "int": _("whole number"),
        "int?": _("whole number or empty"),
        "number?": _("number or empty"),
        "date": _("date"),
        "date?": _("date or empty"),
        "bool": _("true or false"),
        "list[text]": _("list of texts"),
        "list": _("list of items"),
        "group": _("group of fields"),
        "map": _("values by name"),
        "chart": _("chart"),
    }
    return labels.get(type_code, type_code)
