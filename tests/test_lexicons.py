from __future__ import annotations

from pathlib import Path

import pytest

from newsan.errors import LexiconError
from newsan.lexicons import USER_SECTIONS, load_lexicon, packaged_sections
from newsan.normalize import normalize_word


def test_lexicons_packaged_sections_load() -> None:
    secs = packaged_sections()
    assert "names" in secs and "proclitics" in secs


def test_lexicons_entries_are_clean_strings() -> None:
    for name, value in packaged_sections().items():
        items = [x for v in value.values() for x in v] if isinstance(value, dict) else list(value)
        for x in items:
            assert x == x.strip() and normalize_word(x), (name, x)


def test_lexicons_user_file_adds_entries(tmp_path: Path) -> None:
    f = tmp_path / "beat.yaml"
    f.write_text("names:\n  PERS: [زيد الخالدي]\nproclitics: [وَل]\n", encoding="utf-8")
    lex = load_lexicon(f)
    assert lex.labelled("names")[normalize_word("زيد الخالدي")] == "PERS"
    assert "الصين" in lex.labelled("names")  # packaged entries kept


@pytest.mark.parametrize(
    "content, message",
    [
        ("names: [a, b]", "must be a mapping"),
        ("unknown_section: [x]", "unknown section 'unknown_section'"),
        ("names:\n  PERSON: [x]", "unknown label 'PERSON'"),
        ("proclitics: [1, 2]", "not a non-empty string"),
        ("proclitics: x: y: z", "not valid YAML"),
        ("- a\n- b", "mapping of sections"),
    ],
)
def test_lexicons_user_file_errors(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as info:
        load_lexicon(f)
    assert str(f) in str(info.value)


def test_lexicons_missing_user_file() -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon("/nonexistent/lex.yaml")


def test_lexicons_user_sections_exist() -> None:
    secs = packaged_sections()
    assert set(USER_SECTIONS) <= set(secs)
    assert all(USER_SECTIONS.values())


@pytest.mark.parametrize("typo, suggestion", [("name", "names"), ("titels", "titles"), ("zzz", None)])
def test_lexicons_unknown_section_lists_user_sections_only(tmp_path: Path, typo: str, suggestion: str | None) -> None:
    f = tmp_path / "typo.yaml"
    f.write_text(f"{typo}: [x]\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(f)
    msg = str(info.value)
    internal = set(packaged_sections()) - set(USER_SECTIONS)
    listed = {w.strip(" ,;()'?") for w in msg.split()}
    assert not internal & listed, internal & listed
    assert all(name in msg for name in USER_SECTIONS)
    assert (f"did you mean '{suggestion}'" in msg) if suggestion else "did you mean" not in msg


def test_lexicons_internal_section_still_accepted(tmp_path: Path) -> None:
    f = tmp_path / "expert.yaml"
    f.write_text("time_words: [البارحة]\n", encoding="utf-8")
    assert "البارحه" in load_lexicon(f).words("time_words")
