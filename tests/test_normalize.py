from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsan.normalize import CLEAN_ONLY, Foldings, normalize, normalize_word


@pytest.mark.parametrize(
    "raw, view",
    [
        ("قالَ", "قال"),
        ("الوزيــر", "الوزير"),
        ("أكد إن آلاف", "اكد ان الاف"),
        ("ٲكّد ٲن ٳلى", "اكد ان الي"),  # wavy-hamza alefs, as some keyboards write أ إ
        ("مستشفى الجامعة", "مستشفي الجامعه"),
        ("&quot;نعم&quot;", '"نعم"'),
        ("&#8220;نعم&#8221;", "“نعم”"),
        ("قال\u00a0الوزير", "قال الوزير"),
        ("قال\u200f الوزير\u200e", "قال الوزير"),
        ("ﻻ", "لا"),
        ("AT&T", "AT&T"),
    ],
)
def test_normalize_view(raw: str, view: str) -> None:
    assert normalize(raw).text == view


def test_normalize_foldings_can_be_turned_off() -> None:
    assert normalize("أكّد", Foldings(alef=False)).text == "أكد"
    assert normalize("أكّد", CLEAN_ONLY).text == "أكّد"
    assert normalize("مدرسة", Foldings(teh=False)).text == "مدرسة"


@pytest.mark.parametrize("raw", ["قالَ الوزيــر &quot;نعم&quot; ﻻ أحد\u200f هنا\u00a0!", "بِسْمِ ﷽ x", "a\u0301b"])
def test_normalize_to_raw_covers_each_word(raw: str) -> None:
    n = normalize(raw)
    for w in n.text.split():
        i = n.text.index(w)
        s, e = n.to_raw(i, i + len(w))
        # a word from an expanded ligature (﷽) maps to the whole ligature
        assert w in normalize(raw[s:e]).text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalize_map_is_monotonic_and_in_range(raw: str) -> None:
    n = normalize(raw)
    last = 0
    for v in range(len(n.text)):
        s, e = n.to_raw(v, v + 1)
        assert 0 <= s < e <= len(raw)
        assert s >= last
        last = s


def test_normalize_word_is_cached_and_folds() -> None:
    assert normalize_word("إسرائيل") == "اسرائيل"


def test_core_word_strips_wa_fa_only_before_the_article() -> None:
    from newsan.normalize import core_word

    # what two spellings of one noun share
    assert core_word("والخبيره") == core_word("الخبيره") == core_word("خبيره") == "خبيره"
    assert core_word("فالرئيس") == "رئيس"
    # a word that begins with و or ف keeps it: وزيرة السياحة is not زيرة
    assert core_word("وزيره") == core_word("الوزيره") == "وزيره"
    assert core_word("والي") == "والي" and core_word("والد") == "والد"
