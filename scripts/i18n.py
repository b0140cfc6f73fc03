"""Keep the gettext catalogues of reportgen in step with the source.

    python scripts/i18n.py extract    # update reportgen/locale/{vi,en}/LC_MESSAGES/reportgen.po
    python scripts/i18n.py compile    # write the .mo files next to them

``extract`` reads the source with ``ast`` (nothing is imported or run): every call ``_("...")``
whose first argument is a string (implicitly concatenated literals arrive joined), plus the values
of every ``_MESSAGES = {...}`` dict (the problem sentences of ``reportgen/messages.py``, which are
translated at run time). New msgids are added (empty in Vietnamese, or a *fuzzy* suggestion taken
from a removed msgid that looks almost the same; in English the text itself), msgids no longer in
the source are dropped, and existing translations are kept. The output does not depend on the
date or the babel version, so running it twice changes nothing.

``compile`` writes the ``.mo`` files; fuzzy and empty translations are left out (gettext then
shows the English text), and the untranslated count is printed. See ``docs/translations.md``.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import difflib
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reportgen"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "reportgen"
LANGUAGES = ("vi", "en")
# The language whose catalogue is simply the msgid itself.
SOURCE_LANGUAGE = "en"
TRANSLATION_FUNCTIONS = frozenset({"_"})
MESSAGE_DICTS = frozenset({"_MESSAGES"})
# Fixed header dates: the catalogues must not change when nothing but the clock did.
FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
# A removed msgid at least this similar to a new one becomes a fuzzy suggestion for it.
FUZZY_CUTOFF = 0.8
# Header lines that would change with the babel version installed.
_VOLATILE_HEADER_PREFIXES = (b'"Generated-By:',)

Location = tuple[str, int]


def _is_translation_call(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in TRANSLATION_FUNCTIONS
    # i18n._("...") written through the module
    return isinstance(func, ast.Attribute) and func.attr in TRANSLATION_FUNCTIONS


def _string_values(node: ast.expr) -> Iterable[tuple[str, int]]:
    """The string values of a dict display, with their line numbers."""
    if isinstance(node, ast.Dict):
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                yield value.value, value.lineno


def _messages_in_module(tree: ast.Module, relpath: str) -> Iterable[tuple[str, Location]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_translation_call(node) and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value:
                    yield arg.value, (relpath, arg.lineno)
                else:
                    _warn(f"{relpath}:{arg.lineno}: _('') is not a message; ignored")
            elif isinstance(arg, ast.JoinedStr | ast.BinOp):
                # f"..." or "..." % x / + x: the text looked up changes at run time, so it can
                # never match a catalogue entry. Translate a constant and call .format on it.
                _warn(
                    f"{relpath}:{arg.lineno}: _() of an f-string or an operator expression "
                    'cannot be translated; use _("... {name} ...").format(name=...)'
                )
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if names & MESSAGE_DICTS and node.value is not None:
                for text, lineno in _string_values(node.value):
                    yield text, (relpath, lineno)


def extract_messages(package_dir: Path = PACKAGE) -> dict[str, list[Location]]:
    """Every msgid in the ``.py`` files under ``package_dir``, with where it occurs.

    The msgids come in source order (files sorted by path, then by line); locations are
    relative to the directory holding ``package_dir`` and use forward slashes.
    """
    package_dir = Path(package_dir)
    base = package_dir.parent
    found: dict[str, list[Location]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        relpath = path.relative_to(base).as_posix()
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, filename=str(path))
        except SyntaxError as exc:
            raise SystemExit(f"{relpath}:{exc.lineno}: cannot parse: {exc.msg}") from None
        hits = sorted(_messages_in_module(tree, relpath), key=lambda hit: hit[1][1])
        for msgid, location in hits:
            locations = found.setdefault(msgid, [])
            if location not in locations:
                locations.append(location)
    return found


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return po_path(lang, locale_dir).with_suffix(".mo")


def _new_catalog(lang: str) -> Catalog:
    return Catalog(
        locale=lang,
        domain=DOMAIN,
        header_comment=(
            f"# {lang} messages of reportgen.\n"
            "# Updated by `python scripts/i18n.py extract`; see docs/translations.md."
        ),
        project="reportgen",
        version="1",
        msgid_bugs_address="",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        last_translator="reportgen",
        language_team=f"reportgen {lang}",
        charset="utf-8",
        fuzzy=False,
    )


def _read_catalog(path: Path, lang: str) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def _flags(msgid: str, fuzzy: bool) -> set[str]:
    flags = {"fuzzy"} if fuzzy else set()
    if "{" in msgid:
        flags.add("python-brace-format")
    return flags


def update_catalog(lang: str, messages: dict[str, list[Location]], path: Path) -> Catalog:
    """The catalogue at ``path`` brought in line with ``messages`` (not written)."""
    old = _read_catalog(path, lang)
    previous = {
        m.id: m for m in (old or ()) if m.id and isinstance(m.id, str) and isinstance(m.string, str)
    }
    removed = [msgid for msgid, m in previous.items() if msgid not in messages and m.string]
    catalog = _new_catalog(lang)
    for msgid, locations in messages.items():
        kept = previous.get(msgid)
        fuzzy = False
        previous_id: list[str] = []
        user_comments: list[str] = []
        if kept is not None and kept.string:
            string = str(kept.string)
            fuzzy = kept.fuzzy
            previous_id = list(kept.previous_id)
            user_comments = list(kept.user_comments)
        elif lang == SOURCE_LANGUAGE:
            string = msgid
        else:
            string = ""
            close = difflib.get_close_matches(msgid, removed, n=1, cutoff=FUZZY_CUTOFF)
            if close:
                string, fuzzy, previous_id = str(previous[close[0]].string), True, [close[0]]
        message = catalog.add(
            msgid,
            string,
            locations=locations,
            flags=_flags(msgid, fuzzy),
            user_comments=user_comments,
            previous_id=previous_id,
        )
        # babel guesses "python-format" from any '%' (e.g. in "{{% ... %}}"); these are
        # str.format messages, flagged python-brace-format above.
        message.flags.discard("python-format")
    return catalog


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=96, include_lineno=False, ignore_obsolete=True)
    lines = buffer.getvalue().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(_VOLATILE_HEADER_PREFIXES))


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _stats(catalog: Catalog) -> tuple[int, int, int]:
    messages = [m for m in catalog if m.id]
    untranslated = sum(1 for m in messages if not m.string)
    fuzzy = sum(1 for m in messages if m.string and m.fuzzy)
    return len(messages), untranslated, fuzzy


def _report(lang: str, path: Path, catalog: Catalog, changed: bool, verb: str) -> None:
    total, untranslated, fuzzy = _stats(catalog)
    state = verb if changed else "unchanged"
    print(
        f"{lang}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} {state}; "
        f"{total} messages, {untranslated} untranslated, {fuzzy} fuzzy"
    )


def extract(package_dir: Path = PACKAGE, locale_dir: Path = LOCALE_DIR) -> int:
    messages = extract_messages(package_dir)
    for lang in LANGUAGES:
        path = po_path(lang, locale_dir)
        catalog = update_catalog(lang, messages, path)
        _report(lang, path, catalog, _write_if_changed(path, render_po(catalog)), "updated")
    return 0


def compile_catalog(lang: str, locale_dir: Path = LOCALE_DIR, target: Path | None = None) -> Path:
    """Write the .mo of ``lang`` (to ``target``, by default next to its .po); return its path."""
    source = po_path(lang, locale_dir)
    catalog = _read_catalog(source, lang)
    if catalog is None:
        raise SystemExit(f"{source} does not exist; run `python scripts/i18n.py extract` first")
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    target = target or mo_path(lang, locale_dir)
    changed = _write_if_changed(target, buffer.getvalue())
    _report(lang, target, catalog, changed, "written")
    return target


def compile_all(locale_dir: Path = LOCALE_DIR) -> int:
    for lang in LANGUAGES:
        compile_catalog(lang, locale_dir)
    return 0


def _warn(text: str) -> None:
    print(f"warning: {text}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="update the .po files from the source")
    sub.add_parser("compile", help="write the .mo files from the .po files")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract()
    return compile_all()


if __name__ == "__main__":
    sys.exit(main())
