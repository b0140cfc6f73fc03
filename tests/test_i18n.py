"""The gettext catalogues: complete, compiled, placeholder-safe, and switched by --lang."""

from __future__ import annotations

import gettext
import importlib.util
import string
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from reportgen import i18n
from reportgen.cli import app

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "i18n.py"
KNOWN = "The file does not exist."


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reportgen_i18n_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = _load_script()
MSGIDS = list(script.extract_messages(ROOT / "reportgen"))


@pytest.fixture(autouse=True)
def _restore_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run without REPORTGEN_LANG and put the default language back afterwards."""
    monkeypatch.delenv("REPORTGEN_LANG", raising=False)
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


def _read_mo(path: Path) -> dict[str, str]:
    """The messages of a compiled catalogue, as gettext reads them (msgid -> translation)."""
    with path.open("rb") as fh:
        return dict(gettext.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]


def _installed(lang: str) -> dict[str, str]:
    return _read_mo(script.mo_path(lang))


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_extraction_finds_calls_and_problem_sentences() -> None:
    """The extractor sees _() calls (joined literals included) and the _MESSAGES values."""
    from reportgen.messages import _MESSAGES

    assert len(MSGIDS) > 50
    assert KNOWN in MSGIDS
    assert set(_MESSAGES.values()) <= set(MSGIDS)
    assert any(
        m.startswith("Rows: {read} read = ") and m.endswith("({files} files).") for m in MSGIDS
    )


def test_extraction_of_a_small_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Joined literals, i18n._, _MESSAGES values count; variables are skipped, f-strings flagged."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        "from .i18n import _\n"
        "from . import i18n\n"
        "x = _('First part, ' 'second part {n}.')\n"
        "y = i18n._('Via the module.')\n"
        "z = _(x)\n"
        "w = _(f'Bad {x}')\n"
        "v = _('Via the module.')\n",
        encoding="utf-8",
    )
    (package / "messages.py").write_text(
        "_MESSAGES: dict[str, str] = {'a.b': 'Problem {value}.', 'c.d': 'Other ' 'one.'}\n",
        encoding="utf-8",
    )
    found = script.extract_messages(package)
    assert list(found) == [
        "First part, second part {n}.",
        "Via the module.",
        "Problem {value}.",
        "Other one.",
    ]
    assert found["Via the module."] == [("pkg/a.py", 4), ("pkg/a.py", 7)]
    assert "f-string" in capsys.readouterr().err


def test_update_keeps_adds_and_drops(tmp_path: Path) -> None:
    """extract keeps translations, adds new msgids, drops old ones, and is byte-stable."""
    vi_po, en_po = script.po_path("vi", tmp_path), script.po_path("en", tmp_path)
    first = {"Kept.": [("pkg/a.py", 1)], "Dropped later.": [("pkg/a.py", 2)]}
    for lang, path in (("vi", vi_po), ("en", en_po)):
        path.parent.mkdir(parents=True)
        path.write_bytes(script.render_po(script.update_catalog(lang, first, path)))
    catalog = script._read_catalog(vi_po, "vi")
    catalog["Kept."].string = "Giữ lại."
    vi_po.write_bytes(script.render_po(catalog))

    second = {"Kept.": [("pkg/a.py", 1)], "Brand new {n}.": [("pkg/b.py", 1)]}
    vi = script.update_catalog("vi", second, vi_po)
    en = script.update_catalog("en", second, en_po)
    assert {m.id: m.string for m in vi if m.id} == {"Kept.": "Giữ lại.", "Brand new {n}.": ""}
    assert {m.id: m.string for m in en if m.id} == {
        "Kept.": "Kept.",
        "Brand new {n}.": "Brand new {n}.",
    }
    vi_po.write_bytes(script.render_po(vi))
    again = script.render_po(script.update_catalog("vi", second, vi_po))
    assert again == vi_po.read_bytes()
    assert b"Creation-Date: 2025-01-01" in again and b"Generated-By" not in again


def test_reworded_msgid_gets_a_fuzzy_suggestion(tmp_path: Path) -> None:
    """A slightly reworded msgid gets the old translation as fuzzy, which compile leaves out."""
    vi_po = script.po_path("vi", tmp_path)
    vi_po.parent.mkdir(parents=True)
    catalog = script.update_catalog("vi", {"The sheet is empty.": [("pkg/a.py", 1)]}, vi_po)
    catalog["The sheet is empty."].string = "Trang tính trống."
    vi_po.write_bytes(script.render_po(catalog))

    reworded = script.update_catalog("vi", {"The sheet is empty!": [("pkg/a.py", 1)]}, vi_po)
    message = reworded["The sheet is empty!"]
    assert message.string == "Trang tính trống." and message.fuzzy
    assert message.previous_id == ["The sheet is empty."]
    vi_po.write_bytes(script.render_po(reworded))
    assert "The sheet is empty!" not in _read_mo(script.compile_catalog("vi", tmp_path))


def test_every_msgid_has_a_compiled_vietnamese_translation() -> None:
    """Every msgid in the source has a non-empty Vietnamese translation in the installed .mo."""
    catalog = _installed("vi")
    missing = [m for m in MSGIDS if not catalog.get(m)]
    assert not missing, (
        f"{len(missing)} messages have no Vietnamese translation (or only a fuzzy one); run "
        "`python scripts/i18n.py extract`, translate reportgen/locale/vi/LC_MESSAGES/"
        f"reportgen.po, then `python scripts/i18n.py compile`. First: {missing[:5]}"
    )


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_mo_is_up_to_date_with_po(lang: str, tmp_path: Path) -> None:
    """The committed .mo holds exactly the messages a fresh compile of the .po gives."""
    locale_dir = ROOT / "reportgen" / "locale"
    fresh = script.compile_catalog(lang, locale_dir, target=tmp_path / f"{lang}.mo")
    # The header ("" msgid) names the Babel version that compiled it; only messages count.
    fresh_messages = {k: v for k, v in _read_mo(fresh).items() if k}
    installed = {k: v for k, v in _installed(lang).items() if k}
    assert fresh_messages == installed, "the .mo is stale; run `python scripts/i18n.py compile`"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_po_is_up_to_date_with_source(lang: str) -> None:
    """The .po files hold exactly the msgids found in the source (extract was run)."""
    catalog = script._read_catalog(script.po_path(lang), lang)
    in_po = {m.id for m in catalog if m.id}
    assert in_po == set(MSGIDS), "run `python scripts/i18n.py extract`"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_translations_keep_placeholders(lang: str) -> None:
    """Every translation has the msgid's {placeholders} and keeps its doubled braces."""
    bad = []
    for msgid, translated in _installed(lang).items():
        if not msgid:
            continue  # the header
        try:
            same = _fields(translated) == _fields(msgid)
        except ValueError:  # a lone { or } in the translation
            same = False
        braces = all(translated.count(b) == msgid.count(b) for b in ("{{", "}}"))
        if not (same and braces):
            bad.append((msgid, translated))
    assert not bad


def test_set_language_switches_messages() -> None:
    """set_language picks the English or the Vietnamese text of a known message."""
    assert i18n.set_language("en") == "en"
    assert i18n._(KNOWN) == KNOWN
    assert i18n.set_language("vi") == "vi"
    vietnamese = i18n._(KNOWN)
    assert vietnamese != KNOWN and vietnamese.startswith("Không tìm thấy tệp")


def test_reportgen_lang_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """REPORTGEN_LANG=en is honoured; without it, and by default, the language is Vietnamese."""
    assert i18n.resolve_language() == "vi"
    monkeypatch.setenv("REPORTGEN_LANG", "en")
    assert i18n.resolve_language() == "en"
    assert i18n.resolve_language("vi") == "vi"  # --lang wins over the environment
    assert i18n.set_language() == "en"
    assert i18n._(KNOWN) == KNOWN


def test_cli_lang_option(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """validate of a missing file speaks English with --lang en and Vietnamese without it."""
    monkeypatch.chdir(tmp_path)  # no reportgen.toml here to choose a language
    missing = str(tmp_path / "khong-co.xlsx")
    runner = CliRunner()

    english = runner.invoke(app, ["--lang", "en", "validate", missing])
    assert english.exit_code == 1, english.output
    assert KNOWN in english.output
    assert "errors, 0 warnings." in english.output

    # A new process would start from the environment; the runner shares this one.
    i18n.set_language()
    vietnamese = runner.invoke(app, ["validate", missing])
    assert vietnamese.exit_code == 1, vietnamese.output
    assert "Không tìm thấy tệp" in vietnamese.output
    assert "lỗi, 0 cảnh báo." in vietnamese.output
    assert KNOWN not in vietnamese.output
