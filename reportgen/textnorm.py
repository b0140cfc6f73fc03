"""Text normalisation for matching names typed by different people on different keyboards.

Stored text is NFC. Matching ignores case, accents (and so tone-mark placement: ``Hòa`` and
``Hoà`` fold alike), punctuation and runs of white space.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Fast paths of fold(), same result: combining marks of U+0300-U+036F (all Vietnamese tone and
# vowel marks) are the only non-ASCII characters of most cells, and most folded text holds only
# letters, digits and single spaces.
_MARKS = "".join(c for c in map(chr, range(0x300, 0x370)) if unicodedata.combining(c))
_NOT_ASCII_OR_MARK = re.compile(f"[^\\x00-\\x7f{_MARKS}]")
_NOT_WORD_OR_SPACE = re.compile(r"[^0-9a-z ]")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Fold ``text`` to a matching key: lower case, no accents, words joined by single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    if _NOT_ASCII_OR_MARK.search(decomposed) is None:
        stripped = decomposed.encode("ascii", "ignore").decode("ascii")  # drops only the marks
    else:
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = stripped.lower()
    if _NOT_WORD_OR_SPACE.search(lowered) is None:
        return " ".join(lowered.split())
    return _NON_WORD.sub(" ", lowered).strip()


def fold_compact(text: str) -> str:
    """Like :func:`fold` but with no spaces at all, for headers such as ``SU KIEN``/``Sựkiện``."""
    return fold(text).replace(" ", "")
