"""User-facing language: Vietnamese by default, English with ``--lang en`` or REPORTGEN_LANG=en.

Messages are written in English in the code (the gettext msgid) and translated through the
gettext catalogues in ``reportgen/locale``; Vietnamese is the default catalogue. A missing
catalogue falls back to the English text rather than failing.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "reportgen"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_translation: gettext.NullTranslations | None = None
_language = DEFAULT_LANGUAGE


def resolve_language(requested: str | None = None) -> str:
    """Pick the language from the option, else REPORTGEN_LANG, else Vietnamese."""
    lang = (requested or os.environ.get("REPORTGEN_LANG") or DEFAULT_LANGUAGE).strip().lower()
    lang = lang.split("_")[0].split(".")[0]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def set_language(requested: str | None = None) -> str:
    """Switch every later message to ``requested`` (or the environment's choice); return it."""
    global _translation, _language
    _language = resolve_language(requested)
    # The package folder, not importlib.resources: gettext needs a real folder anyway, and
    # importlib.resources would add its imports to every start of the command line.
    localedir = Path(__file__).resolve().parent / "locale"
    _translation = gettext.translation(
        DOMAIN, localedir=str(localedir), languages=[_language], fallback=True
    )
    return _language


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    if _translation is None:
        set_language()
    assert _translation is not None
    return _translation.gettext(message)
