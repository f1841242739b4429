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


def _tokens_of(text: str) -> list[str]:
    return [t.norm for s in segment(text).sentences for t in s.tokens]


def _camel_tokens(text: str) -> list[str]:
    from camel_tools.tokenizers.word import simple_word_tokenize

    view = segment(text).view.text
    return [t for s in segment(text).sentences for t in simple_word_tokenize(view[s.vstart : s.vend])]


@pytest.mark.parametrize(
    "text",
    [
        "وقال: «نحن جاهزون» (اليوم) 3.5% #وسم @حساب! ...؟",
        "emoji 👍🏽 and 🇸🇦 flags, keycap 5\u20e3 ©\ufe0f — “quoted” ‘x’ €100",
        "a\u0301b c\u2028d e\x1cf",
        # ornate parentheses (Arabic presentation forms) are camel-tools symbols too
        "قال تعالى ﴿إن الله غفور﴾ 0﴾",
    ],
)
def test_segment_tokens_equal_camel_tools(text: str) -> None:
    assert _tokens_of(text) == _camel_tokens(text)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_segment_tokens_equal_camel_tools_any_text(text: str) -> None:
    assert _tokens_of(text) == _camel_tokens(text)


def test_segment_tokens_equal_camel_tools_on_news(shared_dir) -> None:
    import gzip
    import itertools
    import json

    path = shared_dir / "data" / "news" / "saudinewsnet.jsonl.gz"
    if not path.exists():
        pytest.skip("news corpus not present")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 0, 4000, 40):
            text = json.loads(line)["text"]
            assert _tokens_of(text) == _camel_tokens(text)
