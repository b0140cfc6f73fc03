"""Validate raw rows into events, and merge rows that describe the same event.

Every raw row ends in exactly one of three places: used (an :class:`Event`), invalid (it has
at least one error), or merged into an earlier row as a duplicate. ``Counts`` records all three.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import normalise
from .messages import message
from .problems import Counts, Problem, Report, column_letter
from .provinces import Province, ProvinceTable, default_table
from .read import NarrativeRow, RawRow
from .schema import Schema
from .textnorm import fold

MERGER_DATE = dt.date(2025, 7, 1)
PROVINCES_BEFORE_MERGER = 63
PROVINCES_AFTER_MERGER = 34


@dataclass
class Event:
    """One validated event; ``sources`` lists every row that described it, first one first."""

    start_date: dt.date
    event_type: str
    title: str
    province: str
    province_unit: Province
    province_current: Province
    lead_agency: str = ""
    event_id: str = ""
    end_date: dt.date | None = None
    venue: str = ""
    partners: list[str] = field(default_factory=list)
    mode: str = "in_person"
    online_points: int | None = None
    attendees: int | None = None
    attendees_approximate: bool = False
    provinces_attending: int | None = None
    copies: int | None = None
    documents: list[str] = field(default_factory=list)
    topics: str = ""
    chairs: str = ""
    source: str = ""
    reporting_unit: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    sources: list[RawRow] = field(default_factory=list)

    @property
    def location(self) -> str:
        first = self.sources[0]
        return location_text(first)


def location_text(row: RawRow) -> str:
    return f"{Path(row.file).name} / {row.sheet} / {_row_cell(row)}"


def _row_cell(row: RawRow) -> str:
    return f"{_first_letter(row)}{row.row}"


def _first_letter(row: RawRow) -> str:
    columns = sorted(row.columns.values())
    return column_letter(columns[0]) if columns else "A"


class _RowChecker:
    """Collects the problems of one row, each located at its cell."""

    def __init__(self, row: RawRow, problems: list[Problem]) -> None:
        self.row = row
        self.problems = problems
        self.failed = False

    def add(self, key: str, issue: normalise.Issue, value: Any = None, **extra: object) -> None:
        row = self.row
        shown = normalise.text_value(row.values.get(key) if value is None else value)
        header = row.headers.get(key, key)
        column = column_letter(row.columns[key]) if key in row.columns else ""
        expected = issue.expected
        text = message(
            issue.code,
            value=shown,
            expected=expected,
            header=header,
            detail=extra.get("detail", issue.detail),
        )
        self.problems.append(
            Problem(
                severity=issue.severity,
                code=issue.code,
                message=text,
                file=row.file,
                sheet=row.sheet,
                row=row.row,
                column=column,
                field=key,
                header=header,
                value=shown,
                expected=expected,
            )
        )
        if issue.severity == "error":
            self.failed = True


def _labels(choices: Iterable[Any]) -> str:
    return "; ".join(c.label for c in choices)


def validate_row(
    row: RawRow, schema: Schema, provinces: ProvinceTable, problems: list[Problem]
) -> Event | None:
    """Turn one raw row into an :class:`Event`, or record why it cannot be used."""
    check = _RowChecker(row, problems)
    values = row.values
    parsed: dict[str, Any] = {}
    for column in schema.columns:
        if column.required and values.get(column.key) is None:
            check.add(column.key, normalise.Issue("error", "required.missing"), value="")
    start, issue = (None, None)
    if values.get("start_date") is not None:
        start, issue = normalise.parse_date(values["start_date"])
        if issue:
            check.add("start_date", issue)
    for column in schema.columns:
        raw = values.get(column.key)
        if raw is None or column.key == "start_date":
            continue
        kind = column.type
        if kind == "date":
            parsed[column.key], issue = normalise.parse_date(raw)
            if issue:
                check.add(column.key, issue)
        elif kind == "int":
            number, approximate, issue = normalise.parse_count(raw)
            parsed[column.key] = number
            parsed[column.key + "_approximate"] = approximate
            if issue:
                check.add(column.key, issue)
        elif kind == "list":
            parsed[column.key] = normalise.parse_list(raw)
        elif kind == "documents":
            parsed[column.key], issues = normalise.parse_documents(raw)
            for item in issues:
                check.add(column.key, item, value=item.detail or None)
        elif kind == "event_type":
            choice = schema.match_choice(schema.event_types, normalise.text_value(raw))
            if choice is None:
                check.add(
                    column.key,
                    normalise.Issue("error", "event_type.unknown", _labels(schema.event_types)),
                )
            else:
                parsed[column.key] = choice.code
        elif kind == "mode":
            choice = schema.match_choice(schema.modes, normalise.text_value(raw))
            if choice is None:
                check.add(
                    column.key, normalise.Issue("error", "mode.unknown", _labels(schema.modes))
                )
            else:
                parsed[column.key] = choice.code
        elif kind == "province":
            unit = provinces.match(normalise.text_value(raw), on=start)
            if unit is None:
                check.add(column.key, normalise.Issue("error", "province.unknown"))
            else:
                parsed[column.key] = unit
        elif kind == "text":
            parsed[column.key] = normalise.text_value(raw)
    end = parsed.get("end_date")
    if start is not None and end is not None and end < start:
        check.add(
            "end_date",
            normalise.Issue("error", "date.end_before_start"),
            detail=start.strftime("%d/%m/%Y"),
        )
    event_type = parsed.get("event_type")
    if event_type is not None:
        spec = schema.event_type(event_type)
        for need in spec.needs if spec else ():
            if values.get(need) is None:
                check.add(
                    need,
                    normalise.Issue("error", "required.for_type"),
                    value="",
                    detail=spec.label if spec else event_type,
                )
    attending = parsed.get("provinces_attending")
    if attending is not None and start is not None:
        limit = PROVINCES_BEFORE_MERGER if start < MERGER_DATE else PROVINCES_AFTER_MERGER
        if attending > limit:
            check.add(
                "provinces_attending",
                normalise.Issue("error", "number.too_many_provinces", str(limit)),
            )
    if check.failed or start is None or event_type is None:
        return None
    unit = parsed["province"]
    extra = {k: normalise.text_value(v) for k, v in row.extra.items()}
    event = Event(
        start_date=start,
        event_type=event_type,
        title=parsed.get("title", ""),
        province=normalise.text_value(values.get("province")),
        province_unit=unit,
        province_current=provinces.current_of(unit),
        lead_agency=parsed.get("lead_agency", ""),
        event_id=parsed.get("event_id", ""),
        end_date=end,
        venue=parsed.get("venue", ""),
        partners=parsed.get("partners", []),
        mode=parsed.get("mode", "in_person"),
        online_points=parsed.get("online_points"),
        attendees=parsed.get("attendees"),
        attendees_approximate=bool(parsed.get("attendees_approximate")),
        provinces_attending=attending,
        copies=parsed.get("copies"),
        documents=parsed.get("documents", []),
        topics=parsed.get("topics", ""),
        chairs=parsed.get("chairs", ""),
        source=parsed.get("source", ""),
        reporting_unit=parsed.get("reporting_unit", "") or _unit_from_file(row.file),
        notes=parsed.get("notes", ""),
        extra=extra,
        sources=[row],
    )
    for key, value in parsed.items():
        # Columns an extended schema adds are kept for templates under their key, typed
        # (a number stays a number in the annex).
        if key not in _EVENT_FIELDS and not key.endswith("_approximate"):
            if isinstance(value, list):
                value = "; ".join(value)
            elif isinstance(value, Province):
                value = value.label
            event.extra[key] = value
    if not event.event_id:
        event.event_id = derived_id(event)
    return event


_EVENT_FIELDS = frozenset(Event.__dataclass_fields__)


@functools.lru_cache(maxsize=256)
def _unit_from_file(file: str) -> str:
    return Path(file).stem


def derived_id(event: Event) -> str:
    """A stable id from date, province, type and title, for rows that give none."""
    key = "|".join(
        (
            event.start_date.isoformat(),
            event.province_current.code,
            event.event_type,
            fold(event.title),
        )
    )
    return "SK-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10].upper()


# Words that every event title shares; they say nothing about which event it is.
_TITLE_STOPWORDS = frozenset(
    [
        "hoi",
        "nghi",
        "tap",
        "huan",
        "thao",
        "toa",
        "dam",
        "cong",
        "tac",
        "ve",
        "va",
        "cua",
        "cho",
        "voi",
        "tai",
        "nam",
        "to",
        "chuc",
    ]
)
_ABBREVIATIONS = {
    "ttdn": "thong tin doi ngoai",
    "qcn": "quyen con nguoi",
    "bcd": "ban chi dao",
    "ubnd": "uy ban nhan dan",
    "tt": "thong tin",
}


@functools.lru_cache(maxsize=8192)  # a kept title is compared with every later candidate
def _title_tokens(title: str) -> frozenset[str]:
    words = []
    for word in fold(title).split():
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return frozenset(w for w in words if w not in _TITLE_STOPWORDS and not w.isdigit())


def titles_match(a: str, b: str, threshold: float = 0.75) -> bool:
    """Closely matching titles: most distinctive words of the shorter one are in the other."""
    ta, tb = _title_tokens(a), _title_tokens(b)
    if not ta or not tb:
        return fold(a) == fold(b)
    return len(ta & tb) / min(len(ta), len(tb)) >= threshold


_CONFLICT_FIELDS = (
    "end_date",
    "attendees",
    "provinces_attending",
    "copies",
    "online_points",
    "mode",
    "venue",
)


def _shown(value: Any) -> str:
    return normalise.text_value(value)


def _merge(kept: Event, other: Event, problems: list[Problem], reason: str) -> None:
    """Fold ``other`` into ``kept``: first row's values win, blanks are filled from the copy."""
    other_row = other.sources[0]
    where = location_text(kept.sources[0])
    for key in _CONFLICT_FIELDS:
        mine, theirs = getattr(kept, key), getattr(other, key)
        if theirs in (None, "", []):
            continue
        if mine in (None, "", []):
            setattr(kept, key, theirs)
            continue
        if mine != theirs:
            header = other_row.headers.get(key, key)
            problems.append(
                Problem(
                    "warning",
                    "duplicate.conflict",
                    message(
                        "duplicate.conflict",
                        detail=where,
                        header=header,
                        value=f"{_shown(mine)} ≠ {_shown(theirs)}",
                    ),
                    file=other_row.file,
                    sheet=other_row.sheet,
                    row=other_row.row,
                    column=column_letter(other_row.columns[key])
                    if key in other_row.columns
                    else "",
                    field=key,
                    header=header,
                    value=_shown(theirs),
                    expected=_shown(mine),
                )
            )
    for ref in other.documents:
        if ref not in kept.documents:
            kept.documents.append(ref)
    kept.sources.append(other_row)
    problems.append(
        Problem(
            "warning",
            reason,
            message(reason, detail=where, value=other.event_id),
            file=other_row.file,
            sheet=other_row.sheet,
            row=other_row.row,
            column=_first_letter(other_row),
            value=other.title,
            expected=where,
        )
    )


def merge_duplicates(events: list[Event], problems: list[Problem]) -> tuple[list[Event], int]:
    """Merge events that are the same; returns the kept events and how many rows merged."""
    kept: list[Event] = []
    by_id: dict[str, Event] = {}
    by_key: dict[tuple[dt.date, str, str], list[Event]] = {}
    merged = 0
    for event in events:
        explicit = bool(event.sources[0].values.get("event_id"))
        same = by_id.get(event.event_id) if explicit else None
        reason = "event_id.repeated"
        if same is None:
            key = (event.start_date, event.province_current.code, event.event_type)
            same = next(
                (e for e in by_key.get(key, []) if titles_match(e.title, event.title)), None
            )
            reason = "duplicate.merged"
        if same is not None:
            _merge(same, event, problems, reason)
            merged += 1
            continue
        kept.append(event)
        if explicit:
            by_id[event.event_id] = event
        key = (event.start_date, event.province_current.code, event.event_type)
        by_key.setdefault(key, []).append(event)
    return kept, merged


def validate_rows(
    rows: Iterable[RawRow],
    schema: Schema,
    provinces: ProvinceTable | None = None,
) -> tuple[list[Event], Report]:
    """Validate every row and merge duplicates; the report's counts always balance."""
    table = provinces or default_table()
    report = Report(counts=Counts())
    events: list[Event] = []
    for row in rows:
        report.counts.read += 1
        event = validate_row(row, schema, table, report.problems)
        if event is None:
            report.counts.invalid += 1
        else:
            events.append(event)
    kept, merged = merge_duplicates(events, report.problems)
    report.counts.duplicates = merged
    report.counts.used = len(kept)
    return kept, report


def check_narrative(rows: Iterable[NarrativeRow], schema: Schema) -> list[Problem]:
    """Warn about narrative rows the report cannot place, so no text is dropped unseen."""
    from .period import parse_period_label
    from .textnorm import fold_compact

    sections = {fold_compact(s.label) for s in schema.narrative_sections}
    sections |= {fold_compact(a) for s in schema.narrative_sections for a in s.aliases}
    labels = "; ".join(s.label for s in schema.narrative_sections)
    problems = []
    for row in rows:
        if not row.text:
            continue
        if parse_period_label(row.period) is None:
            code, value, expected = "narrative.period", row.period, "12/2023; Quý IV/2023; ..."
        elif fold_compact(row.section) not in sections:
            code, value, expected = "narrative.section", row.section, labels
        else:
            continue
        problems.append(
            Problem(
                "warning",
                code,
                message(code, value=value, expected=expected),
                file=row.file,
                sheet=row.sheet,
                row=row.row,
                value=value,
                expected=expected,
            )
        )
    return problems
