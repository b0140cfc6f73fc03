"""Provinces of Viet Nam before and after the 2025 reorganisation, and matching of their names.

Nghị quyết 202/2025/QH15 replaced the 63 provinces and centrally-run cities with 34 units from
1 July 2025. Events recorded before that date name the former units, so reportgen keeps both
lists (``reportgen/data/provinces.csv``, see ``docs/provinces.md``), keys them on their official
codes and maps every former unit to the current unit it became part of.

A code alone does not name a unit: former ``24`` is Bắc Giang, current ``24`` is Bắc Ninh.
A unit is identified by its status (``current``/``former``) and its code.

Typical use::

    table = default_table()
    p = table.match("Hoà Bình", on=date(2023, 12, 7))   # former tỉnh Hòa Bình
    table.current_of(p).name                           # "Phú Thọ"
    table.display("Hoà Bình", p)                       # "Hoà Bình (nay thuộc Phú Thọ)"
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

from reportgen.errors import ProvinceDataError
from reportgen.textnorm import fold, nfc

__all__ = [
    "KINDS",
    "REGIONS",
    "REORGANISATION_DATE",
    "STATUSES",
    "Province",
    "ProvinceDataError",
    "ProvinceTable",
    "default_table",
    "load_provinces",
    "match_key",
]

#: The day the 34 units started to operate (Nghị quyết 202/2025/QH15).
REORGANISATION_DATE = date(2025, 7, 1)

#: The six regions (vùng) used in the reports, in the order of docs/domain.md.
REGIONS: tuple[str, ...] = (
    "Trung du và miền núi phía Bắc",
    "Đồng bằng sông Hồng",
    "Bắc Trung Bộ và Duyên hải miền Trung",
    "Tây Nguyên",
    "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
)

KINDS: tuple[str, ...] = ("tỉnh", "thành phố")
STATUSES: tuple[str, ...] = ("current", "former")

_COLUMNS = ("code", "name", "kind", "status", "successor", "region", "aliases")
_CODE = re.compile(r"[0-9]{2}")
# Words written before a province name, already folded (``TP.`` folds to ``tp``).
_PREFIXES = ("thanh pho ", "tinh ", "t p ", "tp ")


def match_key(text: str) -> str:
    """Return the key a province spelling is matched on.

    Case, accents (and so tone-mark placement), NFC/NFD, punctuation, spaces and a leading
    ``tỉnh``/``thành phố``/``TP.`` are ignored: ``Thành phố Hồ Chí Minh`` and ``hồ chí minh``
    give the same key ``hochiminh``.
    """
    folded = fold(text)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
            break
    return folded.replace(" ", "")


@dataclass(frozen=True)
class Province:
    """One province or centrally-run city, current (from 1 July 2025) or former."""

    code: str
    name: str
    kind: str
    status: str
    successor: str
    region: str
    aliases: tuple[str, ...] = ()

    @property
    def is_current(self) -> bool:
        """Whether this is one of the 34 units in force from 1 July 2025."""
        return self.status == "current"

    @property
    def full_name(self) -> str:
        """The name with its kind: ``tỉnh Hòa Bình``, ``thành phố Hồ Chí Minh``."""
        return f"{self.kind} {self.name}"

    @property
    def label(self) -> str:
        """The short name as used in running text: ``Phú Thọ``, ``TP Hồ Chí Minh``."""
        return f"TP {self.name}" if self.kind == "thành phố" else self.name

    @property
    def spellings(self) -> tuple[str, ...]:
        """The official name followed by the aliases."""
        return (self.name, *self.aliases)


def _allowed_pair(units: list[Province], predecessors: dict[str, list[Province]]) -> bool:
    """Whether ``units`` sharing one key is the former/current pair of one name.

    That is a former unit and the current unit it became part of, with the same name (Phú Thọ,
    Hà Nội) or, for a unit that was only renamed (Thừa Thiên Huế → Huế), its one predecessor.
    """
    if len(units) != 2:
        return False
    former = [u for u in units if not u.is_current]
    current = [u for u in units if u.is_current]
    if len(former) != 1 or len(current) != 1:
        return False
    old, new = former[0], current[0]
    if old.successor != new.code:
        return False
    return match_key(old.name) == match_key(new.name) or len(predecessors[new.code]) == 1


class ProvinceTable:
    """The current and former units, with lookups by code and by any spelling of a name."""

    def __init__(self, provinces: list[Province], source: str = "<provinces>") -> None:
        """Index ``provinces``; raise :class:`ProvinceDataError` naming ``source`` if invalid."""
        self._source = source
        self._current: dict[str, Province] = {}
        self._former: dict[str, Province] = {}
        for p in provinces:
            target = self._current if p.is_current else self._former
            if p.code in target:
                raise ProvinceDataError(f"{source}: {p.status} code {p.code} appears twice")
            target[p.code] = p
        self._predecessors: dict[str, list[Province]] = {code: [] for code in self._current}
        for p in self._former.values():
            if p.successor not in self._current:
                raise ProvinceDataError(
                    f"{source}: former {p.code} {p.name}: successor {p.successor!r} "
                    "is not the code of a current unit"
                )
            self._predecessors[p.successor].append(p)
        for preds in self._predecessors.values():
            preds.sort(key=lambda u: int(u.code))
        self._index: dict[str, list[Province]] = {}
        self._by_text: dict[str, tuple[Province, ...]] = {}  # candidates(): text -> units
        for p in (*self.current(), *self.former()):
            for spelling in p.spellings:
                key = match_key(spelling)
                if not key:
                    raise ProvinceDataError(f"{source}: {p.name}: empty spelling {spelling!r}")
                units = self._index.setdefault(key, [])
                if p not in units:
                    units.append(p)
        for key, units in self._index.items():
            if len(units) > 1 and not _allowed_pair(units, self._predecessors):
                names = ", ".join(f"{u.status} {u.code} {u.name}" for u in units)
                raise ProvinceDataError(f"{source}: the spelling key {key!r} is ambiguous: {names}")

    def __iter__(self) -> Iterator[Province]:
        """Iterate over the current units, then the former ones, each in code order."""
        return iter((*self.current(), *self.former()))

    def __len__(self) -> int:
        """The number of units, current and former."""
        return len(self._current) + len(self._former)

    def current(self) -> list[Province]:
        """The current units (34 in the shipped data), in code order."""
        return sorted(self._current.values(), key=lambda p: int(p.code))

    def former(self) -> list[Province]:
        """The former units (63 in the shipped data), in code order."""
        return sorted(self._former.values(), key=lambda p: int(p.code))

    def regions(self) -> list[str]:
        """The six regions, in the order of docs/domain.md."""
        return list(REGIONS)

    def by_code(self, code: str, *, current: bool = True) -> Province | None:
        """The current (or, with ``current=False``, former) unit with ``code``, if any."""
        return (self._current if current else self._former).get(code.strip().zfill(2))

    def keys(self) -> dict[str, tuple[Province, ...]]:
        """Every matching key with the units it names (two only for a former/current pair)."""
        return {key: tuple(units) for key, units in self._index.items()}

    def match(self, text: str, on: date | None = None) -> Province | None:
        """Find the unit ``text`` names, or None.

        Any case, NFC or NFD, either tone-mark placement, with or without ``tỉnh``,
        ``thành phố``, ``TP.``, and the aliases are accepted. When the name is that of both a
        former and a current unit (Hà Nội, Phú Thọ), the former is returned for ``on`` before
        1 July 2025, the current for a later ``on`` or when ``on`` is None.
        """
        units = self.candidates(text)
        if not units:
            return None
        if len(units) == 1:
            return units[0]
        if isinstance(on, datetime):
            on = on.date()
        return pick_unit(units, on is None or on >= REORGANISATION_DATE)

    def candidates(self, text: str) -> tuple[Province, ...]:
        """The units ``text`` may name whatever the date: none, one, or a former/current pair.

        :meth:`match` chooses among a pair by date.
        """
        try:
            return self._by_text[text]
        except KeyError:
            units = tuple(self._index.get(match_key(text), ()))
            if len(self._by_text) < 4096:
                self._by_text[text] = units
            return units

    def current_of(self, p: Province) -> Province:
        """The current unit ``p`` is or became part of."""
        if p.is_current:
            return p
        return self._current[p.successor]

    def predecessors(self, p: Province) -> list[Province]:
        """The former units that became (part of) the current unit ``p``, in code order."""
        return list(self._predecessors.get(self.current_of(p).code, []))

    def display(self, recorded: str, p: Province) -> str:
        """The name as recorded (NFC), with `` (nay thuộc X)`` for a former unit merged into X.

        ``display("Hoà Bình", hoa_binh)`` is ``"Hoà Bình (nay thuộc Phú Thọ)"``; a unit that
        kept its name (Phú Thọ, Hà Nội), a current unit, or one that was only renamed
        (Thừa Thiên Huế) shows just the recorded name.
        """
        shown = nfc(recorded) or p.name
        if p.is_current:
            return shown
        successor = self.current_of(p)
        merged = len(self._predecessors[successor.code]) > 1
        if not merged or match_key(successor.name) == match_key(p.name):
            return shown
        return f"{shown} (nay thuộc {successor.label})"


def pick_unit(units: tuple[Province, ...], want_current: bool) -> Province:
    """Of a former/current pair sharing a name, the current unit or the former one; the only
    unit when there is one."""
    if len(units) == 1:
        return units[0]
    for unit in units:
        if unit.is_current == want_current:
            return unit
    return units[0]  # pragma: no cover - pairs always hold one of each (checked on loading)


def _read_rows(path: Path | None) -> tuple[str, str]:
    """Return the text of the provinces file and a name for it in messages."""
    if path is None:
        resource = files("reportgen") / "data" / "provinces.csv"
        try:
            return resource.read_text(encoding="utf-8-sig"), "reportgen/data/provinces.csv"
        except OSError as exc:
            raise ProvinceDataError(f"cannot read the shipped provinces data: {exc}") from exc
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProvinceDataError(f"{path}: cannot read the provinces file: {exc}") from exc


def _parse(text: str, source: str) -> list[Province]:
    """Parse and check the rows of a provinces file."""
    reader = csv.DictReader(io.StringIO(text))
    header = [nfc(h) for h in (reader.fieldnames or [])]
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise ProvinceDataError(f"{source}: missing column(s): {', '.join(missing)}")
    reader.fieldnames = header
    provinces: list[Province] = []
    for row in reader:
        line = reader.line_num
        values = {c: nfc(row.get(c) or "") for c in _COLUMNS}
        if not any(values.values()):
            continue
        where = f"{source}, line {line}"
        code, status, successor = values["code"], values["status"], values["successor"]
        if not _CODE.fullmatch(code):
            raise ProvinceDataError(f"{where}: code {code!r} is not two digits")
        if not values["name"]:
            raise ProvinceDataError(f"{where}: empty name")
        if values["kind"] not in KINDS:
            raise ProvinceDataError(f"{where}: kind {values['kind']!r} is not one of {KINDS}")
        if status not in STATUSES:
            raise ProvinceDataError(f"{where}: status {status!r} is not one of {STATUSES}")
        if values["region"] not in REGIONS:
            raise ProvinceDataError(f"{where}: unknown region {values['region']!r}")
        if status == "current" and successor:
            raise ProvinceDataError(f"{where}: a current unit has no successor")
        if status == "former" and not _CODE.fullmatch(successor):
            raise ProvinceDataError(f"{where}: successor {successor!r} is not two digits")
        aliases = tuple(a for a in (nfc(x) for x in values["aliases"].split("|")) if a)
        provinces.append(
            Province(
                code=code,
                name=values["name"],
                kind=values["kind"],
                status=status,
                successor=successor,
                region=values["region"],
                aliases=aliases,
            )
        )
    return provinces


def load_provinces(path: Path | None = None) -> ProvinceTable:
    """Load the provinces table from ``path``, or from the data shipped with reportgen."""
    text, source = _read_rows(path)
    return ProvinceTable(_parse(text, source), source)


@functools.cache
def default_table() -> ProvinceTable:
    """The table of the shipped data, loaded once on first use."""
    return load_provinces()
