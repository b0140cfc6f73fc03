"""Tests of reportgen.textnorm: NFC storage and the folded keys names are matched on."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.textnorm import fold, fold_compact, nfc


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class TestNfc:
    def test_composes_and_strips(self) -> None:
        """Decomposed text comes back composed, without surrounding white space."""
        expected = "Hòa Bình"
        assert expected == nfc(f"  {nfd('Hòa Bình')}\n")

    def test_nfc_unchanged(self) -> None:
        """Text already in NFC is unchanged."""
        expected = "Thừa Thiên Huế"
        assert expected == nfc("Thừa Thiên Huế")


class TestFold:
    @pytest.mark.parametrize(
        ("left", "right"),
        [
            ("Hòa Bình", "Hoà Bình"),
            ("Thủy", "Thuỷ"),
            ("Khánh Hòa", "KHÁNH HOÀ"),
            ("Hòa Bình", "hoa binh"),
            ("Đắk Lắk", "dak lak"),
            ("đồng tháp", "ĐỒNG THÁP"),
            ("Thanh Hóa", "Thanh Hoá"),
            ("Bà Rịa - Vũng Tàu", "Bà Rịa–Vũng Tàu"),
            ("TP. Hồ Chí Minh", "TP Hồ Chí Minh"),
            ("Tỉnh/thành phố", "tinh thanh pho"),
        ],
    )
    def test_spellings_fold_alike(self, left: str, right: str) -> None:
        """Case, accents, tone-mark placement, đ/Đ and punctuation do not matter."""
        assert fold(left) == fold(right)

    @pytest.mark.parametrize("text", ["Hòa Bình", "Hoà Bình", "Thủy", "Thuỷ", "Đắk Lắk"])
    def test_nfc_and_nfd_fold_alike(self, text: str) -> None:
        """Composed and decomposed forms of one name fold to the same key."""
        assert fold(text) == fold(nfd(text))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Hòa Bình", "hoa binh"),
            ("Thuỷ", "thuy"),
            ("Đà Nẵng", "da nang"),
            ("  TP.  Hồ   Chí Minh!  ", "tp ho chi minh"),
            ("57-KL/TW", "57 kl tw"),
            ("", ""),
            ("...", ""),
        ],
    )
    def test_keys(self, text: str, expected: str) -> None:
        """Keys are lower case ASCII words joined by single spaces."""
        assert expected == fold(text)

    def test_different_names_differ(self) -> None:
        """Folding keeps different names apart."""
        assert fold("Hà Nam") != fold("Hà Nội")

    @settings(max_examples=150)
    @given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊOÔƠƯ àáảãạèéẻẽẹìíỉĩị.-/"))
    def test_idempotent_and_normal_form_blind(self, text: str) -> None:
        """Folding twice changes nothing, and NFC or NFD input folds alike."""
        key = fold(text)
        expected = (key, key)
        assert expected == (fold(key), fold(nfd(text)))


class TestFoldCompact:
    @pytest.mark.parametrize(
        ("left", "right"),
        [
            ("Sự kiện", "SU KIEN"),
            ("Sự kiện", "Sựkiện"),
            ("Số tỉnh, thành phố tham dự", "so tinh thanh pho tham du"),
            ("Nội dung", "NOI-DUNG"),
        ],
    )
    def test_spacing_ignored(self, left: str, right: str) -> None:
        """Sheet names and headers match whatever their spacing."""
        assert fold_compact(left) == fold_compact(right)

    def test_key(self) -> None:
        """The compact key has no spaces at all."""
        expected = "sukien"
        assert expected == fold_compact(" Sự  kiện ")
