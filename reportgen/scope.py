"""Which events a report covers: everything, one province, one region or the whole country.

Three scopes (``generate --scope``):

- ``province`` (the default): a provincial committee's report; every event of the inputs is
  used. ``--province NAME`` restricts it to one province (see :func:`resolve_selection`).
- ``region``: a consolidation of one of the six regions; events whose current province lies in
  the region, and the region's provinces that have not submitted for the period.
- ``national``: a consolidation of the country; every event, and which of the 34 current
  provinces have not submitted.

**Who has submitted.** A central office puts the annexes provinces sent into ``inputs/``. An
annex names where each event took place, not who reported it, and an attending province reports
events hosted elsewhere. So every input file is first given a *reporting province*: the current
province that most of the file's valid rows name in ``Tỉnh/thành phố`` (on a tie, the one named
by the earliest such row). A province **has submitted for the period** when at least one input
file whose reporting province it is holds a valid row whose start date falls in the period's
window. A province whose annex has no event in the period (an empty annex) cannot be told apart
from one that sent nothing and is listed as missing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .errors import SelectionError
from .i18n import _
from .provinces import REGIONS, Province, ProvinceTable, default_table
from .textnorm import fold
from .validate import Event

Scope = Literal["province", "region", "national"]
SCOPES: tuple[Scope, ...] = ("province", "region", "national")


def _sort_key(p: Province) -> int:
    return int(p.code)


@dataclass(frozen=True)
class Selection:
    """The part of the inputs a report covers.

    ``province`` restricts the events: a current unit keeps every event whose current province
    it is (former units merged into it included); a former unit that was merged with others
    keeps only the events recorded under that former name. ``region`` is set for the
    ``region`` scope only.
    """

    scope: Scope = "province"
    province: Province | None = None
    region: str | None = None

    def keeps(self, event: Event) -> bool:
        """Whether ``event`` belongs to this selection."""
        if self.province is not None:
            unit = self.province
            if unit.is_current:
                return event.province_current.code == unit.code
            recorded = event.province_unit
            return not recorded.is_current and recorded.code == unit.code
        if self.scope == "region":
            return event.province_current.region == self.region
        return True

    def expected(self, table: ProvinceTable | None = None) -> list[Province]:
        """The current provinces expected to submit: the 34, the region's, or none."""
        table = table or default_table()
        if self.scope == "national":
            return table.current()
        if self.scope == "region":
            return [p for p in table.current() if p.region == self.region]
        return []

    def context(self, table: ProvinceTable | None = None) -> dict[str, Any] | None:
        """``selected_province`` of the template context (None without ``--province``)."""
        if self.province is None:
            return None
        table = table or default_table()
        unit = self.province
        current = table.current_of(unit)
        return {
            "name": unit.label,
            "display": table.display(unit.name, unit),
            "current": current.label,
            "region": current.region,
            "former": not unit.is_current,
        }


def match_region(text: str) -> str | None:
    """The region ``text`` names (any case or accents, with or without ``vùng``), or None."""
    key = fold(text)
    if key.startswith("vung "):
        key = key[len("vung ") :]
    for region in REGIONS:
        if fold(region) == key:
            return region
    return None


def _unit(name: str, table: ProvinceTable) -> Province:
    unit = table.match(name)
    if unit is None:
        raise SelectionError(
            _(
                "'{name}' is not a province or city. Give a current name (e.g. Phú Thọ) or a "
                "former one (e.g. Hòa Bình)."
            ).format(name=name)
        )
    if unit.is_current:
        return unit
    current = table.current_of(unit)
    if len(table.predecessors(current)) == 1:
        return current  # only renamed (Thừa Thiên Huế -> Huế): the same territory
    return unit


def resolve_selection(
    scope: str | None = None,
    province: str | None = None,
    region: str | None = None,
    *,
    config_region: str = "",
    table: ProvinceTable | None = None,
) -> Selection:
    """Check the options of ``generate`` and turn them into a :class:`Selection`.

    ``region`` alone implies the ``region`` scope; the ``region`` scope without ``region``
    takes ``config_region`` (reportgen.toml ``[committee] region``). Raises
    :class:`SelectionError` (a usage error) for a name that matches nothing or options that
    do not go together.
    """
    table = table or default_table()
    chosen = (scope or ("region" if region else "province")).strip().lower()
    if chosen not in SCOPES:
        raise SelectionError(
            _("'{scope}' is not a scope; use one of: {choices}.").format(
                scope=scope, choices=", ".join(SCOPES)
            )
        )
    if province and chosen != "province":
        raise SelectionError(
            _(
                "--province restricts a province report; it cannot be used with --scope {scope}."
            ).format(scope=chosen)
        )
    if region and chosen != "region":
        raise SelectionError(
            _("--region goes with --scope region, not --scope {scope}.").format(scope=chosen)
        )
    if chosen == "region":
        wanted = region or config_region
        if not wanted:
            raise SelectionError(
                _(
                    '--scope region needs a region: --region NAME, or region = "..." in '
                    "[committee] of reportgen.toml. Regions: {regions}."
                ).format(regions="; ".join(REGIONS))
            )
        found = match_region(wanted)
        if found is None:
            raise SelectionError(
                _("'{name}' is not a region; use one of: {regions}.").format(
                    name=wanted, regions="; ".join(REGIONS)
                )
            )
        return Selection("region", region=found)
    if chosen == "national":
        return Selection("national")
    return Selection("province", province=_unit(province, table) if province else None)


def select_events(events: Iterable[Event], selection: Selection) -> list[Event]:
    """The events ``selection`` keeps, in their order."""
    return [e for e in events if selection.keeps(e)]


def reporting_provinces(events: Iterable[Event]) -> dict[str, Province]:
    """The reporting province of every input file that has a valid row (see the module doc)."""
    counts: dict[str, Counter[str]] = {}
    first_seen: dict[str, dict[str, int]] = {}
    units: dict[str, Province] = {}
    for event in events:
        current = event.province_current
        units[current.code] = current
        for row in event.sources:
            counts.setdefault(row.file, Counter())[current.code] += 1
            seen = first_seen.setdefault(row.file, {})
            seen[current.code] = min(seen.get(current.code, row.row), row.row)
    result = {}
    for file, counter in counts.items():
        seen = first_seen[file]
        code = min(counter, key=lambda c: (-counter[c], seen[c]))
        result[file] = units[code]
    return result


def submissions(
    events: Iterable[Event],
    selection: Selection,
    window: tuple[Any, Any],
    table: ProvinceTable | None = None,
) -> tuple[list[Province], list[Province]]:
    """The expected provinces that have submitted for the window, and those that have not.

    ``events`` are all the valid events of the inputs, before any selection. Both lists are
    empty for the ``province`` scope, and in code order otherwise.
    """
    expected = selection.expected(table)
    if not expected:
        return [], []
    events = list(events)
    start, end = window
    owners = reporting_provinces(events)
    sent = set()
    for event in events:
        if not start <= event.start_date <= end:
            continue
        for row in event.sources:
            if row.file in owners:
                sent.add(owners[row.file].code)
    submitted = sorted((p for p in expected if p.code in sent), key=_sort_key)
    missing = sorted((p for p in expected if p.code not in sent), key=_sort_key)
    return submitted, missing
