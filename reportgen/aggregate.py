"""Select the period's events and compute the figures and the template context."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .config import Config
from .formatting import number, short_date
from .media import Chart
from .period import Period, Rule, parse_period_label, window_text
from .problems import Counts
from .provinces import REGIONS, default_table
from .read import NarrativeRow
from .schema import Schema
from .scope import Selection, select_events, submissions
from .textnorm import fold, fold_compact
from .validate import Event


def in_window(events: list[Event], start: dt.date, end: dt.date) -> list[Event]:
    """Events whose start date falls in the window; a multi-day event counts once, by start."""
    chosen = [e for e in events if start <= e.start_date <= end]
    return sorted(chosen, key=lambda e: (e.start_date, e.title))


@dataclass(frozen=True)
class Totals:
    events: int
    attendees: int
    provinces_reached: int
    provinces_attending: int
    documents: int
    copies: int
    approximate: bool
    by_type: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "attendees": self.attendees,
            "provinces_reached": self.provinces_reached,
            "provinces_attending": self.provinces_attending,
            "documents": self.documents,
            "copies": self.copies,
            "approximate": self.approximate,
            "by_type": dict(self.by_type),
        }


def totals(events: list[Event], schema: Schema) -> Totals:
    by_type = {t.code: 0 for t in schema.event_types}
    for event in events:
        by_type[event.event_type] = by_type.get(event.event_type, 0) + 1
    documents = {ref for e in events for ref in e.documents}
    return Totals(
        events=len(events),
        attendees=sum(e.attendees or 0 for e in events),
        provinces_reached=len({e.province_current.code for e in events}),
        provinces_attending=max((e.provinces_attending or 0 for e in events), default=0),
        documents=len(documents),
        copies=sum(e.copies or 0 for e in events),
        approximate=any(e.attendees_approximate for e in events),
        by_type=by_type,
    )


def by_province(events: list[Event]) -> list[dict[str, Any]]:
    """Events and attendees per current province, most events first, then by name."""
    rows: dict[str, dict[str, Any]] = {}
    for event in events:
        unit = event.province_current
        row = rows.setdefault(
            unit.code,
            {
                "code": unit.code,
                "name": unit.label,
                "region": unit.region,
                "events": 0,
                "attendees": 0,
                "_sort": fold(unit.name),
            },
        )
        row["events"] += 1
        row["attendees"] += event.attendees or 0
    ordered = sorted(rows.values(), key=lambda r: (-r["events"], r["_sort"]))
    return [{k: v for k, v in r.items() if k != "_sort"} for r in ordered]


def by_region(province_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The six regions in the order of docs/domain.md, with their provinces that had events."""
    rows = []
    for region in REGIONS:
        mine = [r for r in province_rows if r["region"] == region]
        names = [r["name"] for r in mine]
        rows.append(
            {
                "name": region,
                "events": sum(r["events"] for r in mine),
                "attendees": sum(r["attendees"] for r in mine),
                "provinces": names,
                "provinces_text": ", ".join(names),
            }
        )
    return rows


def sections_for(
    period: Period, narrative: list[NarrativeRow], schema: Schema
) -> dict[str, list[str]]:
    """Paragraphs people wrote in the ``Nội dung`` sheet for this period, by section key."""
    sections: dict[str, list[str]] = {s.code: [] for s in schema.narrative_sections}
    labels = {fold_compact(s.label): s.code for s in schema.narrative_sections}
    for s in schema.narrative_sections:
        for alias in s.aliases:
            labels[fold_compact(alias)] = s.code
    for row in narrative:
        if parse_period_label(row.period) != period:
            continue
        key = labels.get(fold_compact(row.section))
        if key is None or not row.text:
            continue
        sections[key].extend(p.strip() for p in row.text.splitlines() if p.strip())
    return sections


# The words of the charts, in the language of the report (like the period's label).
_CHART_WORDS = {
    "vi": {
        "by_type": "Số hoạt động theo loại",
        "by_month": "Số hoạt động theo tháng",
        "series": "Số hoạt động",
        "type": "Loại hoạt động",
        "month": "Tháng",
        "empty": "(không có số liệu)",
        "language": "vi-VN",
    },
    "en": {
        "by_type": "Activities by type",
        "by_month": "Activities by month",
        "series": "Activities",
        "type": "Activity type",
        "month": "Month",
        "empty": "(no data)",
        "language": "en-GB",
    },
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_charts(
    type_rows: list[dict[str, Any]],
    events: list[Event],
    period: Period,
    rule: Rule,
    lang: str = "vi",
) -> dict[str, Chart]:
    """The charts of the context: events by type, and by reporting month of the period.

    Each is a :class:`reportgen.media.Chart`, drawn as a native chart in a Word report.

    Every event type of the schema is a bar, in schema order, as in the list of types above
    the chart in the default report and in the annex's chart, so that periods compare at a
    glance. The months are the months the period reports on, each with its own window
    (15/11 to 14/12 is December under the cut-off rule), so they add up to the period's
    total; a monthly report has a single one.
    """
    words = _CHART_WORDS["en" if lang == "en" else "vi"]
    # The period in the title: a chart copied elsewhere still says what it shows.
    label = period.label(lang)
    first, last = period.months
    labels, counts = [], []
    for month in range(first, last + 1):
        start, end = Period("month", period.year, month).window(rule)
        counts.append(sum(1 for e in events if start <= e.start_date <= end))
        labels.append(_MONTHS_EN[month - 1] if lang == "en" else f"Tháng {month}")
    return {
        "by_type": Chart(
            title=f"{words['by_type']}, {label}",
            categories=tuple(row["label"] for row in type_rows),
            values=tuple(row["events"] for row in type_rows),
            series=words["series"],
            category_header=words["type"],
            empty_text=words["empty"],
            language=words["language"],
        ),
        "by_month": Chart(
            title=f"{words['by_month']}, {label}",
            categories=tuple(labels),
            values=tuple(counts),
            series=words["series"],
            category_header=words["month"],
            horizontal=False,
            empty_text=words["empty"],
            language=words["language"],
        ),
    }


def _event_context(index: int, event: Event, schema: Schema, lang: str = "vi") -> dict[str, Any]:
    spec = schema.event_type(event.event_type)
    current = event.province_current
    attendees_text = number(event.attendees)
    if event.attendees_approximate and attendees_text:
        attendees_text = "khoảng " + attendees_text
    dates = short_date(event.start_date)
    if event.end_date and event.end_date != event.start_date:
        dates += " - " + short_date(event.end_date)
    mode = next((m.label for m in schema.modes if m.code == event.mode), event.mode)
    return {
        "stt": index,
        "event_id": event.event_id,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "dates": dates,
        "event_type": event.event_type,
        "type_label": (spec.label_en if lang == "en" and spec.label_en else spec.label)
        if spec
        else event.event_type,
        "title": event.title,
        "province": event.province,
        "province_current": current.label,
        "province_display": default_table().display(event.province, event.province_unit),
        "region": current.region,
        "venue": event.venue,
        "lead_agency": event.lead_agency,
        "partners": list(event.partners),
        "partners_text": "; ".join(event.partners),
        "mode": mode,
        "online_points": event.online_points,
        "attendees": event.attendees,
        "attendees_text": attendees_text,
        "provinces_attending": event.provinces_attending,
        "copies": event.copies,
        "documents": list(event.documents),
        "documents_text": "; ".join(event.documents),
        "topics": event.topics,
        "chairs": event.chairs,
        "source": event.source,
        "reporting_unit": event.reporting_unit,
        "notes": event.notes,
        "extra": dict(event.extra),
    }


def data_row(event: Event, schema: Schema, index: int) -> dict[str, Any]:
    """The event in the input format, keyed by schema header, for the annex's data sheet."""
    values: dict[str, Any] = {}
    spec = schema.event_type(event.event_type)
    mode = next((m.label for m in schema.modes if m.code == event.mode), "")
    for column in schema.columns:
        key = column.key
        value: Any
        if key == "stt":
            value = index
        elif key == "event_type":
            value = spec.label if spec else event.event_type
        elif key == "mode":
            value = mode
        elif key in ("partners", "documents"):
            value = "; ".join(getattr(event, key))
        elif key == "attendees" and event.attendees_approximate and event.attendees is not None:
            value = f"khoảng {event.attendees}"
        elif hasattr(event, key) and key in Event.__dataclass_fields__:
            value = getattr(event, key)
        else:
            value = event.extra.get(key, "")
        values[column.header] = "" if value is None else value
    return values


def build_context(
    *,
    events: list[Event],
    period: Period,
    rule: Rule,
    config: Config,
    schema: Schema,
    counts: Counts,
    warnings: int,
    narrative: list[NarrativeRow],
    report_date: dt.date,
    lang: str = "vi",
    selection: Selection | None = None,
) -> dict[str, Any]:
    """Everything a template can use; docs/template-fields.md lists it.

    ``events`` are all the valid events of the inputs; ``selection`` (default: all of them,
    scope ``province``) chooses the ones the report covers (reportgen/scope.py).
    """
    from .compare import comparisons
    from .formatting import date_line

    selection = selection or Selection()
    selected = select_events(events, selection)
    start, end = period.window(rule)
    chosen = in_window(selected, start, end)
    submitted, missing = submissions(events, selection, (start, end))
    province_rows = by_province(chosen)
    figures = totals(chosen, schema)
    committee = config.committee
    label = period.label(lang)
    number_text = committee.number.zfill(2) if committee.number.isdigit() else committee.number
    number_line = (
        f"Số: {number_text}/{committee.symbol}"
        if number_text
        else (f"Số:      /{committee.symbol}")
    )
    type_rows = []
    for spec in schema.event_types:
        of_type = [e for e in chosen if e.event_type == spec.code]
        type_rows.append(
            {
                "code": spec.code,
                "label": spec.label if lang == "vi" or not spec.label_en else spec.label_en,
                "events": len(of_type),
                "attendees": sum(e.attendees or 0 for e in of_type),
                "copies": sum(e.copies or 0 for e in of_type),
            }
        )
    documents = Counter(ref for e in chosen for ref in e.documents)
    place = committee.place
    return {
        "org": {
            "parent_body": committee.parent_body,
            "name": committee.name,
            "place": place,
            "subject": committee.subject,
            "symbol": committee.symbol,
            "signer": {
                "authority": committee.signer.authority,
                "title": committee.signer.title,
                "name": committee.signer.name,
            },
            "recipients": list(committee.recipients),
            "archive": committee.archive,
        },
        "report": {
            "number_line": number_line,
            "number": number_text,
            "date": report_date,
            "date_line": f"{place}, {date_line(report_date)}" if place else date_line(report_date),
            "subject": f"{committee.subject} {label}".strip(),
        },
        "period": {
            "code": period.code,
            "kind": period.kind,
            "label": label,
            "start": start,
            "end": end,
            "rule": rule,
            "window_text": window_text(start, end, lang),
        },
        "totals": figures.to_dict(),
        "by_type": type_rows,
        "charts": period_charts(type_rows, chosen, period, rule, lang),
        "events": [_event_context(i, e, schema, lang) for i, e in enumerate(chosen, start=1)],
        "documents": [{"ref": ref, "events": n} for ref, n in documents.most_common()],
        "sections": sections_for(period, narrative, schema),
        "quality": {**counts.to_dict(), "warnings": warnings, "files": counts.files},
        "data_headers": [c.header for c in schema.columns],
        "data_rows": [data_row(e, schema, i) for i, e in enumerate(chosen, start=1)],
        "compare": comparisons(selected, period, rule, schema, lang),
        "by_province": province_rows,
        "by_region": by_region(province_rows),
        "scope": selection.scope,
        "selected_province": selection.context() or {},
        "selected_region": selection.region or "",
        "submitted_provinces": [p.label for p in submitted],
        "missing_provinces": [p.label for p in missing],
    }
