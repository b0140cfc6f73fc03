"""Compare a period with the previous period of its kind and with the same period a year earlier.

``compare.previous`` and ``compare.year_ago`` of the template context (docs/template-fields.md):
counts of both periods, the absolute and relative change, and a ready sentence such as
``tăng 4 hoạt động (133,3%), tăng 754 lượt đại biểu (377%) so với tháng 11 năm 2023``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .formatting import number, percent
from .period import Period, Rule
from .schema import Schema
from .validate import Event


def year_ago(period: Period) -> Period:
    """The same period one year earlier (``2023-12`` -> ``2022-12``)."""
    return Period(period.kind, period.year - 1, period.index)


def ratio(change: int, base: int) -> float | None:
    """``change`` relative to ``base`` (0.4 for +40%); None when the base is 0."""
    if not base:
        return None
    return round(change / base, 4)


def _en_number(value: int) -> str:
    return f"{value:,}"


def _en_percent(value: float) -> str:
    text = f"{abs(value) * 100:.1f}".rstrip("0").rstrip(".")
    return text + "%"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _part_vi(change: int, base: int, unit: str) -> str:
    if change == 0:
        return f"số {unit} không đổi"
    verb = "tăng" if change > 0 else "giảm"
    text = f"{verb} {number(abs(change))} {unit}"
    share = abs(change) / base if base else None  # unrounded: the text rounds once
    return text + (f" ({percent(share)})" if share is not None else "")


def _part_en(change: int, base: int, one: str, many: str) -> str:
    if change == 0:
        return f"the same number of {many}"
    more = "more" if change > 0 else "fewer"
    n = abs(change)
    text = f"{_en_number(n)} {more} {_plural(n, one, many)}"
    share = n / base if base else None  # unrounded: the text rounds once
    return text + (f" ({_en_percent(share)})" if share is not None else "")


def change_text(
    events: int, attendees: int, base_events: int, base_attendees: int, label: str, lang: str
) -> str:
    """The comparison as a clause of a sentence, in Vietnamese or (``lang="en"``) English.

    ``label`` is the label of the base period. A base period without events gives
    ``tháng 12 năm 2022 không có hoạt động để so sánh``; equal figures give
    ``bằng tháng 11 năm 2023 (7 hoạt động, 954 lượt đại biểu)``.
    """
    if lang == "en":
        if not base_events:
            return f"no activities in {label} to compare with"
        if events == base_events and attendees == base_attendees:
            return (
                f"the same as in {label} ({_en_number(events)} "
                f"{_plural(events, 'activity', 'activities')}, {_en_number(attendees)} "
                f"{_plural(attendees, 'participant', 'participants')})"
            )
        parts = [
            _part_en(events - base_events, base_events, "activity", "activities"),
            _part_en(attendees - base_attendees, base_attendees, "participant", "participants"),
        ]
        changed = [p for p in parts if not p.startswith("the same")]
        same = [p for p in parts if p.startswith("the same")]
        return ", ".join(changed) + f" than in {label}" + "".join(f", {p}" for p in same)
    if not base_events:
        return f"{label} không có hoạt động để so sánh"
    if events == base_events and attendees == base_attendees:
        return f"bằng {label} ({number(events)} hoạt động, {number(attendees)} lượt đại biểu)"
    parts = [
        _part_vi(events - base_events, base_events, "hoạt động"),
        _part_vi(attendees - base_attendees, base_attendees, "lượt đại biểu"),
    ]
    return ", ".join(parts) + f" so với {label}"


def _figures(
    events: int, attendees: int, base_events: int, base_attendees: int, label: str, lang: str
) -> dict[str, Any]:
    return {
        "events": base_events,
        "attendees": base_attendees,
        "events_change": events - base_events,
        "attendees_change": attendees - base_attendees,
        "events_pct": ratio(events - base_events, base_events),
        "attendees_pct": ratio(attendees - base_attendees, base_attendees),
        "text": change_text(events, attendees, base_events, base_attendees, label, lang),
    }


def _in(events: Sequence[Event], window: tuple[Any, Any]) -> list[Event]:
    start, end = window
    return [e for e in events if start <= e.start_date <= end]


def _attendees(events: Sequence[Event]) -> int:
    return sum(e.attendees or 0 for e in events)


def comparison(
    events: Sequence[Event],
    period: Period,
    base: Period,
    rule: Rule,
    schema: Schema,
    lang: str = "vi",
) -> dict[str, Any]:
    """``period`` against ``base``: totals and one row per event type of the schema.

    ``events`` are the selected events of every period; both windows follow ``rule``.
    """
    from .period import window_text

    now = _in(events, period.window(rule))
    then_window = base.window(rule)
    then = _in(events, then_window)
    label = base.label(lang)
    result = {
        "code": base.code,
        "label": label,
        "start": then_window[0],
        "end": then_window[1],
        "window_text": window_text(*then_window, lang),
        **_figures(len(now), _attendees(now), len(then), _attendees(then), label, lang),
    }
    rows = []
    for spec in schema.event_types:
        mine = [e for e in now if e.event_type == spec.code]
        theirs = [e for e in then if e.event_type == spec.code]
        rows.append(
            {
                "code": spec.code,
                "label": spec.label_en if lang == "en" and spec.label_en else spec.label,
                "current_events": len(mine),
                "current_attendees": _attendees(mine),
                **_figures(
                    len(mine), _attendees(mine), len(theirs), _attendees(theirs), label, lang
                ),
            }
        )
    result["by_type"] = rows
    return result


def comparisons(
    events: Sequence[Event], period: Period, rule: Rule, schema: Schema, lang: str = "vi"
) -> dict[str, dict[str, Any]]:
    """``compare`` of the template context: ``previous`` and ``year_ago``."""
    return {
        "previous": comparison(events, period, period.previous(), rule, schema, lang),
        "year_ago": comparison(events, period, year_ago(period), rule, schema, lang),
    }
