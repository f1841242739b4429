from __future__ import annotations

import pytest

from newsan.segment import segment


def test_segment_never_splits_inside_quotation() -> None:
    raw = 'وقال الوزير "هذا أمر مهم. ونحن جاهزون!" ثم غادر.\nسطر ثان.'
    seg = segment(raw)
    assert [s.text for s in seg.sentences] == ['وقال الوزير "هذا أمر مهم. ونحن جاهزون!" ثم غادر.', "سطر ثان."]


@pytest.mark.parametrize(
    "raw, n",
    [
        ("ارتفع بنسبة 3.5 في المئة. ثم هبط.", 2),
        ("قال د. محمد إن الأمر انتهى؟ نعم؛ انتهى", 3),
        ("سطر\n\nسطر آخر", 2),
    ],
)
def test_segment_sentence_boundaries(raw: str, n: int) -> None:
    assert len(segment(raw).sentences) == n


def test_segment_unbalanced_quote_warns_without_crash() -> None:
    seg = segment("قال الوزير «إننا جاهزون. ولن نتراجع\nسطر آخر.")
    assert seg.warnings and "unbalanced" in seg.warnings[0]
    assert seg.quotes[0].close is None


def test_segment_tokens_map_to_raw(seed_text: str) -> None:
    seg = segment(seed_text)
    for s in seg.sentences:
        assert seed_text[s.start : s.end] == s.text
        for t in s.tokens:
            assert seed_text[t.start : t.end] == t.text


def test_segment_tokens_keep_diacritics_and_tatweel_in_raw() -> None:
    raw = "قالَ الوزيــر"
    toks = segment(raw).sentences[0].tokens
    assert [t.text for t in toks] == ["قالَ", "الوزيــر"]
    assert [t.norm for t in toks] == ["قال", "الوزير"]
