"""Text normalisation for matching names typed by different people on different keyboards.

Stored text is NFC. Matching ignores case, accents (and so tone-mark placement: ``Hòa`` and
``Hoà`` fold alike), punctuation and runs of white space.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Fold ``text`` to a matching key: lower case, no accents, words joined by single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def fold_compact(text: str) -> str:
    """Like :func:`fold` but with no spaces at all, for headers such as ``SU KIEN``/``Sựkiện``."""
    return fold(text).replace(" ", "")
