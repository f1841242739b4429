"""Issue 14, case 11: a user's lexicon is validated up front — one line naming
the file and the problem, exit 2 — and a lexicon that loads never breaks the
analysis. Plus a hypothesis fuzz of lexicon files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _adv import SEED, assert_one_error, run
from newsan.errors import LexiconError, NewsanError


@pytest.mark.parametrize(
    "content, says",
    [
        ("names:\n  PERS: [ـــ]\n", "no letters"),  # only tatweel
        ("names:\n  PERS: [\"\u064e\u0651\"]\n", "no letters"),  # only diacritics
        ("titles: [\"\u200f\u0640\"]\n", "no letters"),
        ("names: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("names:\n  PERS: [زيد]\nnames:\n  ORG: [شركة]\n", "twice"),
        ("names:\n  PERS: [زيد]\n  PERS: [عمرو]\n", "twice"),
    ],
)
def test_bad_lexicon_refused_in_one_line(tmp_path: Path, content: str, says: str) -> None:
    lex = tmp_path / "beat.yaml"
    lex.write_text(content, encoding="utf-8")
    res = run(str(SEED), "--lexicon", str(lex), "-q")
    assert res.returncode == 2, res.stderr
    assert says in assert_one_error(res.stderr, str(lex))


# -- fuzz ------------------------------------------------------------------------------------

_arabic = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ـًٌٍَُِّْ\u200f ")), max_size=12)
_entry = st.one_of(_arabic, st.text(max_size=6), st.integers(), st.none(), st.lists(_arabic, max_size=2))
_label = st.sampled_from(["PERS", "LOC", "ORG", "MISC", "XX"])
_section = st.sampled_from(["names", "titles", "cue_verbs", "not_names", "unknown"])
_value = st.one_of(
    st.lists(_entry, max_size=4),
    st.dictionaries(_label, st.lists(_entry, max_size=3), max_size=3),
    _entry,
)
_lexicon = st.dictionaries(_section, _value, max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_lexicon, dup=st.booleans())
def test_fuzz_lexicon_loads_or_refuses_cleanly(tmp_path: Path, data: dict, dup: bool) -> None:
    """Any lexicon file either loads and analyzes an article, or is refused with a
    LexiconError; never another exception."""
    from newsan.lexicons import load_lexicon
    from newsan.load import article_from_text
    from newsan.pipeline import Analyzer

    text = yaml.safe_dump(data, allow_unicode=True)
    if dup and data:
        text += text.splitlines()[0] + "\n"  # a repeated top-level key
    lex = tmp_path / f"fuzz{abs(hash(text))}.yaml"
    lex.write_text(text, encoding="utf-8")
    try:
        load_lexicon(str(lex))
    except LexiconError:
        return
    analyzer = Analyzer(ner="none", lexicon_path=str(lex))
    try:
        analyzer.check()
    except NewsanError:
        return
    article = article_from_text(SEED.read_text(encoding="utf-8"), str(SEED))
    analyzer(article)  # must not raise
