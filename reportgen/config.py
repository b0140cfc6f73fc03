"""reportgen.toml: who the committee is, where files live and which period rule applies.

Relative paths in the file are relative to the file's own folder, so a scheduled run from
another working directory finds the same inputs and outputs.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .i18n import _
from .period import RULES, Rule
from .schedule import Schedule, parse_schedule

CONFIG_NAME = "reportgen.toml"


@dataclass(frozen=True)
class Signer:
    authority: str = "TM. BAN CHỈ ĐẠO"
    title: str = "TRƯỞNG BAN"
    name: str = ""


@dataclass(frozen=True)
class Committee:
    parent_body: str = ""
    name: str = ""
    place: str = ""
    subject: str = "Kết quả công tác"
    symbol: str = "BC-BCĐ"
    number: str = ""
    recipients: tuple[str, ...] = ()
    archive: str = "Lưu: VT"
    signer: Signer = field(default_factory=Signer)
    region: str = ""  # the region of `generate --scope region` when --region is not given


@dataclass(frozen=True)
class Config:
    root: Path
    committee: Committee = field(default_factory=Committee)
    rule: Rule = "cutoff"
    inputs: Path = Path("inputs")
    outputs: Path = Path("outputs")
    templates: Path = Path("templates")
    word_template: str = "report.docx"
    excel_template: str = "annex.xlsx"
    schema: Path | None = None
    language: str | None = None
    source: Path | None = None
    schedule: Schedule = field(default_factory=Schedule)  # [schedule]: reportgen run


def _text(table: dict[str, Any], key: str, default: str, where: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(
            _("{where}: '{key}' must be text in quotes.").format(where=where, key=key)
        )
    return value.strip()


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(_("{where}: '[{key}]' must be a section.").format(where=where, key=key))
    return value


def parse_config(data: dict[str, Any], root: Path, source: Path | None = None) -> Config:
    where = str(source or CONFIG_NAME)
    committee = _table(data, "committee", where)
    signer = _table(committee, "signer", where + " [committee.signer]")
    recipients = committee.get("recipients", [])
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise ConfigError(
            _('{where}: \'recipients\' must be a list of texts, e.g. ["A", "B"].').format(
                where=where
            )
        )
    report = _table(data, "report", where)
    paths = _table(data, "paths", where)
    templates = _table(data, "templates", where)
    rule = _text(report, "period_rule", "cutoff", where)
    if rule not in RULES:
        raise ConfigError(
            _("{where}: period_rule must be one of: {choices}.").format(
                where=where, choices=", ".join(RULES)
            )
        )
    schema_text = _text(paths, "schema", "", where)

    def path(key: str, default: str) -> Path:
        return root / _text(paths, key, default, where)

    language = _text(report, "language", "", where) or None
    return Config(
        root=root,
        committee=Committee(
            parent_body=_text(committee, "parent_body", "", where),
            name=_text(committee, "name", "", where),
            place=_text(committee, "place", "", where),
            subject=_text(committee, "subject", "Kết quả công tác", where),
            symbol=_text(committee, "symbol", "BC-BCĐ", where),
            number=str(committee.get("number", "")).strip(),
            recipients=tuple(r.strip().lstrip("-").strip().rstrip(";").strip() for r in recipients),
            archive=_text(committee, "archive", "Lưu: VT", where),
            region=_text(committee, "region", "", where),
            signer=Signer(
                authority=_text(signer, "authority", "TM. BAN CHỈ ĐẠO", where),
                title=_text(signer, "title", "TRƯỞNG BAN", where),
                name=_text(signer, "name", "", where),
            ),
        ),
        rule=rule,
        inputs=path("inputs", "inputs"),
        outputs=path("outputs", "outputs"),
        templates=path("templates", "templates"),
        word_template=_text(templates, "word", "report.docx", where),
        excel_template=_text(templates, "excel", "annex.xlsx", where),
        schema=root / schema_text if schema_text else None,
        language=language,
        source=source,
        schedule=parse_schedule(_table(data, "schedule", where), where),
    )


def load_config(path: Path | None = None, *, required: bool = True) -> Config:
    """Load ``path`` or ./reportgen.toml; without one, defaults (or an error if required)."""
    candidate = path or Path.cwd() / CONFIG_NAME
    if not candidate.is_file():
        if path is not None or required:
            raise ConfigError(
                _(
                    "No configuration file {path}. Run 'reportgen init' to create a working "
                    "folder with one, or pass --config."
                ).format(path=candidate)
            )
        return Config(root=Path.cwd())
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(
            _("{path} is not saved as UTF-8 text; save it again as UTF-8.").format(path=candidate)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _(
                "{path} has a syntax error: {reason}. Compare it with the file 'reportgen init' "
                "writes."
            ).format(path=candidate, reason=exc)
        ) from None
    except OSError as exc:
        raise ConfigError(
            _("Cannot read {path}: {reason}").format(path=candidate, reason=exc.strerror)
        ) from None
    return parse_config(data, candidate.resolve().parent, candidate)
