"""Golden cases for the quotation extractor (GUIDELINES §1).

Each ``tests/data/cases/NNN.txt`` is a small article written for these tests;
``NNN.json`` beside it is the expected output in the gold format of
GUIDELINES §3. Adding a case means adding the two files; after a deliberate
change, ``scripts/dev_quotes.py --write-cases tests/data/cases`` rewrites the
expected files for review with ``git diff`` (as black's test data are).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsan.evaluate import quote_to_gold
from newsan.extract.quotes import extract_quotes
from newsan.lexicons import load_lexicon
from newsan.segment import segment

CASES = Path(__file__).parent / "data" / "cases"
FIELDS = ("kind", "cue", "content", "speaker", "speaker_canonical", "role", "addressee", "via")


def _cases() -> list[Path]:
    return sorted(p for p in CASES.glob("*.txt") if p.with_suffix(".json").exists())


def _record(text: str) -> list[dict[str, str | None]]:
    quotes, _ = extract_quotes(segment(text), load_lexicon())
    return [quote_to_gold(q) for q in quotes]


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_cases_golden(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = _record(path.read_text(encoding="utf-8"))
    want = [{k: q.get(k) for k in FIELDS} for q in expected["quotes"]]
    assert got == want


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_cases_spans_are_exact(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    quotes, _ = extract_quotes(segment(text), load_lexicon())
    for q in quotes:
        for span in (q.cue, q.content, q.speaker, q.role, q.addressee, q.via):
            if span is not None:
                assert text[span.start : span.end] == span.text
