"""Span scoring for ``newsan eval ner`` (seqeval default-mode semantics)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsan.eval_ner import (
    evaluate_conll,
    format_ner_report,
    read_conll,
    retokenize_sentence,
    score,
    spans_from_bio,
)

TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


@pytest.mark.parametrize(
    "tags, spans",
    [
        (["B-PERS", "I-PERS", "O"], [("PERS", 0, 2)]),
        (["I-PERS", "I-PERS"], [("PERS", 0, 2)]),  # I- without B- starts an entity
        (["O", "I-LOC"], [("LOC", 1, 2)]),
        (["B-PERS", "I-LOC"], [("PERS", 0, 1), ("LOC", 1, 2)]),  # type change splits
        (["B-ORG", "B-ORG"], [("ORG", 0, 1), ("ORG", 1, 2)]),
        (["B-LOC"], [("LOC", 0, 1)]),
        ([], []),
        (["O", "O"], []),
    ],
)
def test_eval_ner_spans_from_bio(tags: list[str], spans: list[tuple[str, int, int]]) -> None:
    assert spans_from_bio(tags) == spans


@settings(deadline=None)
@given(st.lists(st.lists(st.sampled_from(TAGS), max_size=12), max_size=6), st.randoms())
def test_eval_ner_score_matches_seqeval(gold: list[list[str]], rnd: object) -> None:
    seqeval = pytest.importorskip("seqeval.metrics.sequence_labeling", reason="seqeval not installed")
    import random

    assert isinstance(rnd, random.Random)
    pred = [[rnd.choice(TAGS) if rnd.random() < 0.4 else t for t in s] for s in gold]
    ours = score(gold, pred)
    # seqeval flattens sentences with an "O" between them; its spans are inclusive.
    flat_g = [t for s in gold for t in [*s, "O"]]
    flat_p = [t for s in pred for t in [*s, "O"]]
    g = set(seqeval.get_entities(flat_g))
    p = set(seqeval.get_entities(flat_p))
    n_ok = len(g & p)
    assert ours["micro"]["correct"] == n_ok
    assert ours["micro"]["support"] == len(g)
    assert ours["micro"]["predicted"] == len(p)


@pytest.mark.parametrize(
    "gold, pred, p, r",
    [
        ([["B-PERS", "I-PERS", "O", "B-LOC"]], [["B-PERS", "I-PERS", "O", "O"]], 1.0, 0.5),
        ([["B-PERS", "I-PERS"]], [["B-PERS", "O"]], 0.0, 0.0),  # partial span is wrong
        ([["O"]], [["O"]], 0.0, 0.0),
    ],
)
def test_eval_ner_score_micro(gold: list[list[str]], pred: list[list[str]], p: float, r: float) -> None:
    s = score(gold, pred)["micro"]
    assert (s["precision"], s["recall"]) == (p, r)


def test_eval_ner_score_length_mismatch_raises() -> None:
    with pytest.raises(ValueError, match="sentence 0"):
        score([["O", "O"]], [["O"]])


@pytest.mark.parametrize("text", ["a O\nb B-PERS\n\nc O\n", "\ufeffa O\r\nb B-PERS\r\n\r\n\r\nc O"])
def test_eval_ner_read_conll(tmp_path: Path, text: str) -> None:
    f = tmp_path / "x.conll"
    f.write_bytes(text.encode("utf-8"))
    assert read_conll(f) == [(["a", "b"], ["O", "B-PERS"]), (["c"], ["O"])]


def test_eval_ner_read_conll_bad_line(tmp_path: Path) -> None:
    f = tmp_path / "x.conll"
    f.write_text("a O\nlonely\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        read_conll(f)


class _Echo:
    """A fake tagger: names the tokens that start with 'P' as persons."""

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        return [["B-PERS" if t.startswith("P") else "O" for t in s] for s in sentences]


def test_eval_ner_evaluate_conll_writes_predictions(tmp_path: Path) -> None:
    f = tmp_path / "x.conll"
    f.write_text("Pa B-PERS\nx O\n\nPb B-LOC\n", encoding="utf-8")
    out = tmp_path / "pred.txt"
    s = evaluate_conll(f, _Echo(), predictions_path=out)
    assert s["micro"]["correct"] == 1 and s["micro"]["support"] == 2 and s["micro"]["predicted"] == 2
    assert out.read_text(encoding="utf-8") == "Pa B-PERS B-PERS\nx O O\n\nPb B-LOC B-PERS\n\n"
    json.dumps(s)  # --format json needs plain data
    report = format_ner_report(s)
    assert "micro" in report and "PERS" in report


def test_eval_ner_retokenize_projects_back(tmp_path: Path) -> None:
    f = tmp_path / "x.conll"
    f.write_text("(Pa B-PERS\nx, O\n", encoding="utf-8")

    def split_punct(tok: str) -> list[str]:
        return [p for p in tok.replace("(", " ( ").replace(",", " , ").split()]

    assert retokenize_sentence(["(Pa", "x,"], split_punct) == (["(", "Pa", "x", ","], [0, 0, 1, 1])
    s = evaluate_conll(f, _Echo(), tokenize=split_punct)
    assert s["micro"]["f1"] == 1.0
