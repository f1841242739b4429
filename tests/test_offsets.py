"""The central invariant: every span's offsets point at its text in the raw
article, whatever the input; and nothing crashes on arbitrary Unicode."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED, assert_spans_exact
from newsan.export import to_dict
from newsan.lexicons import load_lexicon
from newsan.load import article_from_text
from newsan.model import Article
from newsan.pipeline import analyze_article, make_tagger

TAGGER = make_tagger("default")
LEXICON = load_lexicon()

# Pieces of real news noise, combined at random with Arabic words and marks.
PIECES = [
    "قال", "وقال", "الوزير", "إن", "أن", "إنه", "وأضاف", "مضيفا", "قائلا", "بحسب", "نقلت", "وكالة", "عن",
    "الرئيس", "فلاديمير", "بوتين", "بموسكو", "للحكومة", ":", "،", ".", "؟", "!", "؛", "\n", " ", " ",
    "“", "”", "«", "»", '"', "'", "(", ")", "\u00a0", "\u200f", "\u200e", "\u200b", "\u0640", "\u064e",
    "\u0651", "&quot;", "&#8220;", "&amp;", "ﻻ", "﷽", "\ufeff", "3.5", "2015", "x", "\r", "\t", "\x1a",
]


def _analyze(text: str) -> dict:
    art = Article(id="t", path="t", text=text)
    return to_dict(analyze_article(art, TAGGER, LEXICON))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_offsets_exact_on_news_like_noise(text: str) -> None:
    assert_spans_exact(_analyze(text), text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_offsets_exact_on_arbitrary_unicode(text: str) -> None:
    assert_spans_exact(_analyze(text), text)


def test_offsets_exact_on_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    rec = _analyze(text)
    assert rec["quotes"]
    assert_spans_exact(rec, text)


def test_offsets_exact_on_dev_set(dev_dir: Path) -> None:
    for f in sorted(dev_dir.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        assert_spans_exact(_analyze(text), text)


def test_offsets_exact_on_news_sample(shared_dir: Path) -> None:
    import gzip
    import itertools
    import json

    path = shared_dir / "data" / "news" / "ant_jawharafm.jsonl.gz"
    if not path.exists():
        pytest.skip("news corpus not present")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 0, 3000, 30):
            obj = json.loads(line)
            art = article_from_text(f"{obj['title']}\n{obj['text']}", "corpus", id=obj["id"])
            assert_spans_exact(to_dict(analyze_article(art, TAGGER, LEXICON)), art.text)
