"""The person-name word list (models/ner_names.tsv) and the script that builds it."""

from __future__ import annotations

import json
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from newsan.extract.tagger import NAMES_FILE, load_lexicons, normalize_word

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

from build_name_list import name_words, read_pairs


def test_name_words_keeps_names_and_name_parts_of_compounds() -> None:
    spellings = ["ليفاندوفسكي", "آلتونين", "عبد الرحمن", "بن طلال", "آل نهيان", "النابلسي", "أبو بكر"]
    # stored as the tagger looks words up: normalized, without ال (آلتونين -> تونين)
    assert name_words(spellings) == sorted({"ليفاندوفسكي", "تونين", "رحمن", "طلال", "نهيان", "نابلسي", "بكر"})


def test_name_words_drops_phrases_short_and_non_arabic_words() -> None:
    # translations of surnames that are ordinary nouns, a one-letter word, Latin, Urdu letters
    assert name_words(["عربة التسوق", "في اسرع وقت ممكن", "ب", "Smith", "اسکالڈس"]) == []


def test_read_pairs_from_wheel_or_json(tmp_path: Path) -> None:
    pairs = {"lewandowski": "ليفاندوفسكي"}
    js = tmp_path / "dict_FINAL.json"
    js.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")
    whl = tmp_path / "arabnamer-0.1.3-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as zf:
        zf.writestr("arabnamer/data/dict_FINAL.json", json.dumps(pairs))
    assert read_pairs(js) == read_pairs(whl) == pairs


def test_packaged_name_list_feeds_the_gazetteer(tmp_path: Path) -> None:
    text = resources.files("newsan.models").joinpath(NAMES_FILE).read_text(encoding="utf-8")
    words = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(words) > 10_000 and words == sorted(set(words))
    assert all(w == normalize_word(w) and " " not in w for w in words)
    assert "CC BY 4.0" in text[:400]  # the licence and attribution travel with the data
    lex = load_lexicons()
    assert "NAME" in lex.gazetteer[normalize_word("ليفاندوفسكي")]
    # an explicit (here empty) list replaces the packaged one
    empty = tmp_path / "names.tsv"
    empty.write_text("# none\n", encoding="utf-8")
    assert "NAME" not in load_lexicons(names_path=empty).gazetteer.get(normalize_word("ليفاندوفسكي"), ())


@pytest.mark.parametrize("word", ["على", "كان", "بين", "لبناني"])
def test_packaged_name_list_leaves_out_ordinary_words(word: str) -> None:
    assert "NAME" not in load_lexicons().gazetteer.get(normalize_word(word), ())
