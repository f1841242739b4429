"""Scoring a NER tagger on a CoNLL file (``newsan eval ner``).

Scores are exact-span precision, recall and F1 per label and micro-averaged,
computed as seqeval does in its default (non-strict) mode: an ``I-X`` that does
not continue an ``X`` entity starts a new one, and a change of type ends one.

The file format is the one the ANERcorp CAMeL split uses: ``token tag`` per line
(whitespace-separated; the tag is the last field), a blank line between
sentences.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypedDict

from newsan.extract.bio import spans_from_bio

__all__ = [
    "LabelScores",
    "Tagger",
    "align_retokenized",
    "evaluate_conll",
    "format_ner_report",
    "read_conll",
    "retokenize_sentence",
    "score",
    "spans_from_bio",
]


class Tagger(Protocol):
    """Anything that labels word tokens with BIO2 tags."""

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]: ...


class LabelScores(TypedDict):
    """Scores for one label (or ``micro``)."""

    precision: float
    recall: float
    f1: float
    support: int
    predicted: int
    correct: int


def read_conll(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Read ``token tag`` lines into (tokens, tags) sentences.

    Blank lines separate sentences; a line with one field is an error except
    for whitespace-only lines. A BOM and CR line ends are tolerated.

    Raises:
        ValueError: a line has fewer than two fields (names file and line).
    """
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    text = Path(path).read_text(encoding="utf-8-sig")
    for lineno, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        if len(fields) < 2:
            raise ValueError(f"{path}:{lineno}: expected 'token tag', got {line!r}")
        tokens.append(fields[0])
        tags.append(fields[-1])
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def _prf(correct: int, predicted: int, support: int) -> LabelScores:
    p = correct / predicted if predicted else 0.0
    r = correct / support if support else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return LabelScores(precision=p, recall=r, f1=f, support=support, predicted=predicted, correct=correct)


def score(gold_sents: Sequence[Sequence[str]], pred_sents: Sequence[Sequence[str]]) -> dict[str, LabelScores]:
    """Exact-span P/R/F1 per label plus ``micro`` (seqeval default mode).

    Raises:
        ValueError: the two sides differ in sentence count or length.
    """
    if len(gold_sents) != len(pred_sents):
        raise ValueError(f"{len(gold_sents)} gold sentences but {len(pred_sents)} predicted")
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    ok_n: Counter[str] = Counter()
    for k, (gold, pred) in enumerate(zip(gold_sents, pred_sents, strict=True)):
        if len(gold) != len(pred):
            raise ValueError(f"sentence {k}: {len(gold)} gold tags but {len(pred)} predicted")
        g = set(spans_from_bio(gold))
        p = set(spans_from_bio(pred))
        gold_n.update(s[0] for s in g)
        pred_n.update(s[0] for s in p)
        ok_n.update(s[0] for s in g & p)
    out: dict[str, LabelScores] = {
        label: _prf(ok_n[label], pred_n[label], gold_n[label]) for label in sorted(gold_n | pred_n)
    }
    out["micro"] = _prf(sum(ok_n.values()), sum(pred_n.values()), sum(gold_n.values()))
    return out


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PS" for ch in token)


def retokenize_sentence(tokens: Sequence[str], tokenize: Callable[[str], list[str]]) -> tuple[list[str], list[int]]:
    """Re-tokenize each CoNLL token; return the new tokens and their source index."""
    new: list[str] = []
    owner: list[int] = []
    for i, tok in enumerate(tokens):
        pieces = tokenize(tok) or [tok]
        new.extend(pieces)
        owner.extend([i] * len(pieces))
    return new, owner


def align_retokenized(
    sub_tags: Sequence[str], owner: Sequence[int], n_tokens: int, sub_tokens: Sequence[str]
) -> list[str]:
    """Project labels of re-tokenized pieces back onto the original tokens.

    An original token takes the label of its first non-punctuation piece (or its
    first piece when all are punctuation).
    """
    out: list[str | None] = [None] * n_tokens
    first: list[str | None] = [None] * n_tokens
    for tag, i, tok in zip(sub_tags, owner, sub_tokens, strict=True):
        if first[i] is None:
            first[i] = tag
        if out[i] is None and not _is_punct(tok):
            out[i] = tag
    return [o if o is not None else (f if f is not None else "O") for o, f in zip(out, first, strict=True)]


def evaluate_conll(
    path: str | Path,
    tagger: Tagger,
    predictions_path: str | Path | None = None,
    *,
    tokenize: Callable[[str], list[str]] | None = None,
) -> dict[str, LabelScores]:
    """Tag the tokens of a CoNLL file and score against its tags.

    With ``tokenize`` (e.g. camel-tools' ``simple_word_tokenize``) each token is
    first re-tokenized as the analyzer would, the pieces are tagged, and labels
    are projected back, which measures what the analyzer's tokenization costs.
    ``predictions_path`` receives ``token gold predicted`` lines.
    """
    sents = read_conll(path)
    if tokenize is None:
        preds = tagger.tag_sentences([toks for toks, _ in sents])
    else:
        retok = [retokenize_sentence(toks, tokenize) for toks, _ in sents]
        sub_preds = tagger.tag_sentences([new for new, _ in retok])
        preds = [
            align_retokenized(sp, owner, len(toks), new)
            for sp, (new, owner), (toks, _) in zip(sub_preds, retok, sents, strict=True)
        ]
    if predictions_path is not None:
        with open(predictions_path, "w", encoding="utf-8") as fh:
            for (toks, gold), pred in zip(sents, preds, strict=True):
                fh.writelines(f"{t} {g} {p}\n" for t, g, p in zip(toks, gold, pred, strict=True))
                fh.write("\n")
    return score([gold for _, gold in sents], preds)


def format_ner_report(scores: dict[str, LabelScores]) -> str:
    """A plain-text table: one row per label, then ``micro``."""
    head = f"{'label':<8}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"
    rows = [head]
    labels = [k for k in scores if k != "micro"] + (["micro"] if "micro" in scores else [])
    for label in labels:
        s = scores[label]
        if label == "micro":
            rows.append("")
        rows.append(f"{label:<8}{s['precision']:>10.4f}{s['recall']:>10.4f}{s['f1']:>10.4f}{s['support']:>10d}")
    return "\n".join(rows)
