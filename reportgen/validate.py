"""Validate raw rows into events, and merge rows that describe the same event.

Every raw row ends in exactly one of three places: used (an :class:`Event`), invalid (it has
at least one error), or merged into an earlier row as a duplicate. ``Counts`` records all three.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import normalise
from .messages import message
from .problems import Counts, Problem, Report, column_letter
from .provinces import REORGANISATION_DATE, Province, ProvinceTable, default_table, pick_unit
from .read import NarrativeRow, RawRow, RowLayout
from .schema import Schema
from .textnorm import fold

MERGER_DATE = dt.date(2025, 7, 1)
PROVINCES_BEFORE_MERGER = 63
PROVINCES_AFTER_MERGER = 34


@dataclass(slots=True)
class Event:
    """One validated event; ``sources`` lists every row that described it, first one first.

    Events of one run share equal ``partners`` and ``documents`` lists and empty ``extra``
    dicts (a million events would otherwise hold a million copies): replace them, never change
    them in place. reportgen itself only ever replaces them.
    """

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


class _SlotView:
    """A field of Event whose slot may hold a cheaper stand-in, made what it stands for when
    first read (subclasses say how, in ``__get__``)."""

    def __init__(self, slot: Any) -> None:
        self.slot = slot  # the slot's own descriptor, made by dataclass

    def __set__(self, event: Event, value: Any) -> None:
        self.slot.__set__(event, value)

    def __delete__(self, event: Event) -> None:
        self.slot.__delete__(event)


class _Sources(_SlotView):
    """``Event.sources``: an event may hold its one row alone, made a list when first read.

    The validator gives each event its row, not a list: most events are never asked for their
    sources while a run validates, and a list each would cost 80 bytes and one more object for
    the cyclic collector to walk. Read, the row becomes a list that is stored, so the event
    behaves as if it always held one.
    """

    def __get__(self, event: Event | None, owner: type | None = None) -> Any:
        if event is None:
            return self
        value = self.slot.__get__(event, owner)
        if type(value) is RawRow:
            value = [value]
            self.slot.__set__(event, value)
        return value


setattr(Event, "sources", _Sources(Event.__dict__["sources"]))  # noqa: B010 - after dataclass


class _EventId(_SlotView):
    """``Event.event_id``: an id the rows did not give is derived when first read.

    The validator leaves None in the slot of an event whose rows gave no id. Most events of a
    large run are never asked for theirs (only the reports' and annexes' are), and each id
    costs a SHA-1 and 64 bytes kept for the whole run (60 MB at a million rows). Read, the id
    is derived from the event's date, province, type and title, exactly as ``derived_id``
    does, and stored. Nothing changes those fields once the event is made.
    """

    def __get__(self, event: Event | None, owner: type | None = None) -> Any:
        if event is None:
            return self
        value = self.slot.__get__(event, owner)
        if value is None:
            value = derived_id(event)
            self.slot.__set__(event, value)
        return value


setattr(Event, "event_id", _EventId(Event.__dict__["event_id"]))  # noqa: B010 - after dataclass


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
            _fold_title(event.title),
        )
    )
    return "SK-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10].upper()


# Titles repeat across rows (and duplicates compare them again).
_fold_title = functools.lru_cache(maxsize=1 << 14)(fold)


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
    if a == b and threshold <= 1:
        return True  # what the words would say, known without them
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
    documents = kept.documents
    for ref in other.documents:
        if ref not in documents:
            if documents is kept.documents:
                documents = list(documents)  # the list may be shared with other events
            documents.append(ref)
    kept.documents = documents
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
    merger = _Merger(problems)
    for event in events:
        merger.add(event, _explicit(event))
    return merger.kept, merger.merged


class _Merger:
    """merge_duplicates, one event at a time, in the order the events come."""

    __slots__ = ("by_id", "by_key", "kept", "merged", "problems")

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.kept: list[Event] = []
        self.merged = 0
        self.by_id: dict[str, Event] = {}
        # (date, province, type) -> the kept event, or the list of them once there are several
        self.by_key: dict[tuple[dt.date, str, str], Event | list[Event]] = {}

    def add(self, event: Event, explicit: bool) -> None:
        """Keep ``event``, or merge it into the kept one it repeats; ``explicit`` says its first
        row gave an event id."""
        same = self.by_id.get(event.event_id) if explicit else None
        reason = "event_id.repeated"
        key = (event.start_date, event.province_current.code, event.event_type)
        similar = self.by_key.get(key)
        if same is None and similar is not None:
            reason = "duplicate.merged"
            if isinstance(similar, list):
                same = next((e for e in similar if titles_match(e.title, event.title)), None)
            elif titles_match(similar.title, event.title):
                same = similar
        if same is not None:
            _merge(same, event, self.problems, reason)
            self.merged += 1
            return
        self.kept.append(event)
        if explicit:
            self.by_id[event.event_id] = event
        if similar is None:
            self.by_key[key] = event
        elif isinstance(similar, list):
            similar.append(event)
        else:
            self.by_key[key] = [similar, event]


# The quick path of _Validator. A row whose every cell value was read before without a
# problem, as most are, costs a dict lookup per cell and one Event. Anything else (a problem,
# a blank required cell, an end before the start, a missing column a type needs, too many
# provinces) goes to validate_row, the reference, so results are those of validate_row alone.

# What a cell lookup answers for a value the quick path cannot take.
_SLOW: Any = object()
# Shared by events that have no partners, documents or extra values (see Event).
_NO_ITEMS: list[str] = []
_NO_EXTRA: dict[str, Any] = {}
# The Event fields filled from columns, in Event's order, with their column type; a schema that
# gives one of these keys another type is validated by validate_row alone.
_COLUMN_FIELDS: dict[str, str] = {
    "start_date": "date",
    "event_type": "event_type",
    "title": "text",
    "province": "province",
    "lead_agency": "text",
    "event_id": "text",
    "end_date": "date",
    "venue": "text",
    "partners": "list",
    "mode": "mode",
    "online_points": "int",
    "attendees": "int",
    "provinces_attending": "int",
    "copies": "int",
    "documents": "documents",
    "topics": "text",
    "chairs": "text",
    "source": "text",
    "reporting_unit": "text",
    "notes": "text",
}
# The value a field takes from a blank cell or an absent column, as in validate_row; _SLOW
# where validate_row rejects the row or needs the cell.
_FIELD_BLANK: dict[str, Any] = {
    "start_date": _SLOW,
    "event_type": _SLOW,
    "province": _SLOW,
    "end_date": None,
    "partners": _NO_ITEMS,
    "mode": "in_person",
    "online_points": None,
    "attendees": None,
    "provinces_attending": None,
    "copies": None,
    "documents": _NO_ITEMS,
}
# Distinct values remembered per column (each cache is cleared when full).
_CACHE_LIMIT = 1 << 15


def _cacheable(raw: Any) -> bool:
    """Whether ``raw`` may key a cache: bool, int and whole floats are equal to one another
    (``True == 1 == 1.0``) yet read differently, so they are interpreted every time."""
    kind = type(raw)
    if kind is float:
        return not raw.is_integer()
    return kind is str or kind is dt.date or kind is dt.datetime


class _ColumnCache(dict[Any, Any]):
    """What each distinct value of one column becomes in an event, worked out once.

    Values with a problem are never kept: each time they answer _SLOW and add to ``slow``, the
    flag the row checks after looking all its cells up.
    """

    __slots__ = ("any_key", "blank", "interpret", "slow")

    def __init__(
        self, interpret: Callable[[Any], Any], blank: Any, slow: list[bool], any_key: bool
    ) -> None:
        super().__init__()
        self.interpret = interpret
        self.blank = blank
        self.slow = slow
        self.any_key = any_key  # for sheets of RowLayout.floats_only: every value may be a key
        self.reset()

    def reset(self) -> None:
        self.clear()
        if self.blank is not _SLOW:
            self[None] = self.blank

    def __missing__(self, raw: Any) -> Any:
        value = _SLOW if raw is None else self.interpret(raw)
        if value is _SLOW:
            self.slow.append(True)
        elif self.any_key or _cacheable(raw):
            if len(self) >= _CACHE_LIMIT:
                self.reset()
            self[raw] = value
        return value


class _TextCache(_ColumnCache):
    """A text column: most of its values are seen once (sources, names), so text is read here
    without a further call."""

    __slots__ = ()

    def __missing__(self, raw: Any) -> Any:
        if type(raw) is not str:
            return super().__missing__(raw)
        value = unicodedata.normalize("NFC", raw).strip()  # normalise.text_value of a str
        if len(self) >= _CACHE_LIMIT:
            self.reset()
        self[raw] = value
        return value


@dataclass(slots=True)
class _Plan:
    """How the quick path reads the rows of one sheet layout."""

    pick: Callable[[tuple[Any, ...]], tuple[Any, ...]]  # the cells it reads, as caches go
    caches: tuple[_ColumnCache, ...]
    arrange: Callable[[tuple[Any, ...]], tuple[Any, ...]]  # (looked up + blanks) -> fields
    blanks: tuple[Any, ...]  # the values of fields whose column the sheet lacks
    needs: dict[str, tuple[int, ...] | None]  # type -> positions of the cells it needs
    # Schema columns that are no Event field: (key, index looked up, type, position in cells)
    extensions: tuple[tuple[str, int, str, int], ...]
    extra: bool  # the sheet has columns the schema does not know


class _Validator:
    """validate_row for many rows, with each distinct cell value interpreted once."""

    def __init__(self, schema: Schema, provinces: ProvinceTable, problems: list[Problem]) -> None:
        self.schema = schema
        self.provinces = provinces
        self.problems = problems
        self.slow: list[bool] = []
        self.caches: dict[tuple[str, bool], _ColumnCache] = {}
        self.plans: dict[int, tuple[RowLayout, _Plan | None]] = {}
        self.ints: dict[int, int] = {}
        self.names: dict[str, str] = {}  # items of list columns
        self.units: dict[str, str] = {}  # file -> its name, the reporting unit of blank cells
        kinds = {c.key: c.type for c in schema.columns}
        self.quick = all(
            kinds.get(key, kind) == kind for key, kind in _COLUMN_FIELDS.items()
        ) and not any(
            (key in _EVENT_FIELDS and key not in _COLUMN_FIELDS) or key.endswith("_approximate")
            for key in kinds
        )

    def plan(self, layout: RowLayout) -> _Plan | None:
        entry = self.plans.get(id(layout))
        if entry is None or entry[0] is not layout:
            entry = (layout, self._plan(layout) if self.quick else None)
            self.plans[id(layout)] = entry  # holds the layout, so the id stays its own
        return entry[1]

    def run(self, rows: Iterable[RawRow], merger: _Merger) -> tuple[int, int]:
        """Validate ``rows`` and hand each event to ``merger`` in turn (as merge_duplicates
        would, after); return how many rows were read and how many were invalid."""
        schema, provinces, problems, slow = self.schema, self.provinces, self.problems, self.slow
        units = self.units
        add = merger.add
        get = dict.__getitem__
        read = invalid = 0
        layout: RowLayout | None = None
        plan: _Plan | None = None
        for row in rows:
            read += 1
            if row.layout is not layout:
                layout = row.layout
                plan = self.plan(layout)
                if plan is not None:
                    pick, caches, arrange = plan.pick, plan.caches, plan.arrange
                    blanks, needs_of = plan.blanks, plan.needs
                    extended = plan.extra or bool(plan.extensions)
                    id_position = layout.index.get("event_id")
            if plan is None:
                event = validate_row(row, schema, provinces, problems)
                if event is None:
                    invalid += 1
                else:
                    add(event, _explicit(event))
                continue
            cells = row.cells
            found = tuple(map(get, caches, pick(cells)))
            if slow:
                slow.clear()
                event = validate_row(row, schema, provinces, problems)
                if event is None:
                    invalid += 1
                else:
                    add(event, _explicit(event))
                continue
            (
                start,
                event_type,
                title,
                province,
                lead_agency,
                event_id,
                end,
                venue,
                partners,
                mode,
                online_points,
                attendees,
                attending,
                copies,
                documents,
                topics,
                chairs,
                source,
                reporting_unit,
                notes,
            ) = arrange(found + blanks if blanks else found)
            needs = needs_of[event_type]
            if (
                (end is not None and end < start)
                or needs is None
                or (needs and None in map(cells.__getitem__, needs))
                or (
                    attending is not None
                    and attending
                    > (PROVINCES_BEFORE_MERGER if start < MERGER_DATE else PROVINCES_AFTER_MERGER)
                )
            ):
                event = validate_row(row, schema, provinces, problems)
                if event is None:
                    invalid += 1
                else:
                    add(event, _explicit(event))
                continue
            text, before, after = province
            unit, current = before if start < REORGANISATION_DATE else after
            if not reporting_unit:
                reporting_unit = units.get(row.file) or units.setdefault(
                    row.file, _unit_from_file(row.file)
                )
            if not event_id:
                event_id = None  # derived when first read (_EventId)
            add(
                Event(
                    start,
                    event_type,
                    title,
                    text,
                    unit,
                    current,
                    lead_agency,
                    event_id,
                    end,
                    venue,
                    partners,
                    mode,
                    online_points,
                    attendees,
                    False,
                    attending,
                    copies,
                    documents,
                    topics,
                    chairs,
                    source,
                    reporting_unit,
                    notes,
                    self._extra(row, plan, found, start) if extended else _NO_EXTRA,
                    row,  # type: ignore[arg-type]  # made a list when read (see _Sources)
                ),
                id_position is not None and bool(cells[id_position]),
            )
        return read, invalid

    def _extra(
        self, row: RawRow, plan: _Plan, found: tuple[Any, ...], start: Any
    ) -> dict[str, Any]:
        """The event's extra values, as validate_row gives them."""
        text = normalise.text_value
        extra = {name: text(value) for name, value in row.extra.items()}
        for key, index, kind, position in plan.extensions:
            if row.cells[position] is None:
                continue  # validate_row only keeps what a filled cell gave
            value = found[index]
            if kind == "province":
                value = (value[1] if start < REORGANISATION_DATE else value[2])[0].label
            elif isinstance(value, list):
                value = "; ".join(value)
            extra[key] = value
        return extra or _NO_EXTRA

    def _plan(self, layout: RowLayout) -> _Plan | None:
        positions: list[int] = []
        caches: list[_ColumnCache] = []
        looked_up: dict[str, int] = {}  # key -> index among the cells looked up
        extensions: list[tuple[str, int, str, int]] = []
        for column in self.schema.columns:
            position = layout.index.get(column.key)
            if position is None:
                if column.required or _FIELD_BLANK.get(column.key, "") is _SLOW:
                    return None  # validate_row reports it (or fails the same way)
                continue
            if column.type == "ignore" and not column.required:
                continue
            if column.key not in _COLUMN_FIELDS and column.type != "ignore":
                extensions.append((column.key, len(caches), column.type, position))
            looked_up[column.key] = len(caches)
            positions.append(position)
            caches.append(self._cache(column.key, column.type, column.required, layout.floats_only))
        blanks: list[Any] = []
        order: list[int] = []
        for key in _COLUMN_FIELDS:
            if key in looked_up:
                order.append(looked_up[key])
            else:
                order.append(len(caches) + len(blanks))
                blanks.append(_FIELD_BLANK.get(key, ""))
        needs: dict[str, tuple[int, ...] | None] = {}
        for spec in self.schema.event_types:
            found = [layout.index.get(need) for need in spec.needs]
            needs[spec.code] = None if None in found else tuple(p for p in found if p is not None)
        return _Plan(
            pick=_picker(positions),
            caches=tuple(caches),
            arrange=operator.itemgetter(*order),
            blanks=tuple(blanks),
            needs=needs,
            extensions=tuple(extensions),
            extra=bool(layout.extra),
        )

    def _cache(self, key: str, kind: str, required: bool, any_key: bool) -> _ColumnCache:
        cache = self.caches.get((key, any_key))
        if cache is None:
            blank = _SLOW if required else _FIELD_BLANK.get(key, "")
            kind_of_cache = _TextCache if kind == "text" else _ColumnCache
            cache = kind_of_cache(self._interpreter(kind), blank, self.slow, any_key)
            self.caches[key, any_key] = cache
        return cache

    def _interpreter(self, kind: str) -> Callable[[Any], Any]:
        # No closure below refers to self: the caches holding them would keep it alive in a
        # cycle, with every cached value, until the next full collection.
        schema, provinces, ints, names = self.schema, self.provinces, self.ints, self.names
        text = normalise.text_value

        def date(raw: Any) -> Any:
            value, issue = normalise.parse_date(raw)
            return _SLOW if issue else value

        def count(raw: Any) -> Any:
            number, _approximate, issue = normalise.parse_count(raw)
            if issue or number is None:
                return _SLOW
            return ints.setdefault(number, number) if len(ints) < _CACHE_LIMIT else number

        def items(raw: Any) -> Any:
            # The same agencies come back in many combinations: each name is kept once.
            if len(names) >= _CACHE_LIMIT:
                names.clear()
            return [names.setdefault(name, name) for name in normalise.parse_list(raw)]

        def documents(raw: Any) -> Any:
            refs, issues = normalise.parse_documents(raw)
            return _SLOW if issues else refs

        def event_type(raw: Any) -> Any:
            choice = schema.match_choice(schema.event_types, text(raw))
            return _SLOW if choice is None else choice.code

        def mode(raw: Any) -> Any:
            choice = schema.match_choice(schema.modes, text(raw))
            return _SLOW if choice is None else choice.code

        def province(raw: Any) -> Any:
            # The text, then (unit, current unit) for a date before and from 1 July 2025.
            shown = text(raw)
            units = provinces.candidates(shown)
            if not units:
                return _SLOW
            before, after = pick_unit(units, False), pick_unit(units, True)
            return (
                shown,
                (before, provinces.current_of(before)),
                (after, provinces.current_of(after)),
            )

        interpreters: dict[str, Callable[[Any], Any]] = {
            "ignore": lambda raw: None,  # looked up only to see a required cell is filled
            "text": text,
            "date": date,
            "int": count,
            "list": items,
            "documents": documents,
            "event_type": event_type,
            "mode": mode,
            "province": province,
        }
        return interpreters[kind]


def _explicit(event: Event) -> bool:
    """Whether the event's first row gave an event id (else the id was derived)."""
    first = event.sources[0]
    position = first.layout.index.get("event_id")
    return position is not None and bool(first.cells[position])


def _picker(positions: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function taking the cells at ``positions`` out of a row's cells, as a tuple."""
    if positions == list(range(len(positions))):
        size = len(positions)
        return lambda cells: cells if len(cells) == size else cells[:size]
    if len(positions) == 1:
        position = positions[0]
        return lambda cells: (cells[position],)
    return operator.itemgetter(*positions)


def validate_rows(
    rows: Iterable[RawRow],
    schema: Schema,
    provinces: ProvinceTable | None = None,
) -> tuple[list[Event], Report]:
    """Validate every row and merge duplicates; the report's counts always balance."""
    table = provinces or default_table()
    report = Report(counts=Counts())
    # Duplicates are merged as the events come, the way merge_duplicates would merge them
    # afterwards; their problems follow those of the rows, as they would.
    merger = _Merger([])
    read, invalid = _Validator(schema, table, report.problems).run(rows, merger)
    report.problems.extend(merger.problems)
    report.counts.read += read
    report.counts.invalid += invalid
    kept, merged = merger.kept, merger.merged
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
