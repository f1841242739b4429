"""Gold articles, the rules' output on them, and the training examples they give.

One :class:`GoldDoc` per ``NNN.txt`` / ``NNN.json`` pair: the article, the
analyzer's stages up to the rules' quotations (run once, then reused by every
fold), and the gold annotation. :func:`speaker_groups` and :func:`keep_rows`
turn a set of them into training examples for :mod:`newsan.learn.linear`,
labelled with the scorer's own definitions (SCORING.md), so that what is
trained is what is measured.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsan.aggregate import build_entities
from newsan.evaluate import (
    _overlap,
    annotated_articles,
    gold_articles,
    match_quotes,
    quote_to_gold,
    score_tokens,
    speaker_correct,
)
from newsan.extract.decide import (
    QuoteModel,
    _cue_table,
    _view,
    apply_model,
    content_candidates,
    quote_features,
    speaker_candidates,
    with_candidates,
)
from newsan.extract.entities import find_mentions
from newsan.extract.quotes import extract_quotes
from newsan.lexicons import Lexicon, load_lexicon
from newsan.model import Analysis, Article, Entity, Quote, Sentence
from newsan.segment import segment

__all__ = ["GoldDoc", "load_gold", "load_annotations", "speaker_groups", "content_groups", "keep_rows", "analysis_with"]


@dataclass
class GoldDoc:
    id: str
    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    rule_quotes: tuple[Quote, ...]
    gold: dict[str, Any]
    lexicon: Lexicon
    #: the rules' quotations plus the candidates proposed where they found none
    candidates: tuple[Quote, ...] = ()


def load_gold(gold_dir: str | Path, tagger: Any, lexicon: Lexicon | None = None) -> list[GoldDoc]:
    """Every NNN.txt / NNN.json pair of ``gold_dir``, run through the rules once."""
    return _gold_docs(gold_articles(gold_dir), tagger, lexicon)


#: Corpora whose texts may measure but never train (SaudiNewsNet: research only)
MEASURE_ONLY = ("saudinewsnet/",)


def load_annotations(ann_dir: str | Path, texts: str | Path, tagger: Any, lexicon: Lexicon | None = None) -> list[GoldDoc]:
    """The annotation files of ``ann_dir`` (keyed by article id, the text in
    ``texts``: :func:`~newsan.evaluate.annotated_articles`), run through the
    rules once, to train on: an article of a measure-only corpus
    (:data:`MEASURE_ONLY`) is refused with a ``ValueError``."""
    pairs = annotated_articles(ann_dir, texts)
    for _, gold in pairs:
        if str(gold["article_id"]).startswith(MEASURE_ONLY):
            raise ValueError(f"{ann_dir}: {gold['article_id']} is from a corpus that may measure but never train")
    return _gold_docs(pairs, tagger, lexicon)


def _gold_docs(pairs: Iterable[tuple[Article, dict[str, Any]]], tagger: Any, lexicon: Lexicon | None) -> list[GoldDoc]:
    lexicon = lexicon or load_lexicon(None)
    docs = []
    for article, gold in pairs:
        seg = segment(article.text)
        entities = tuple(build_entities(find_mentions(seg, tagger, lexicon)))
        quotes, _ = extract_quotes(seg, lexicon, entities)
        cands = tuple(with_candidates(seg, lexicon, entities, quotes))
        docs.append(GoldDoc(article.id, article, seg.sentences, entities, tuple(quotes), gold, lexicon, cands))
    return docs


def _matches(doc: GoldDoc, quotes: Sequence[Quote]) -> dict[int, int]:
    pred = [quote_to_gold(q) for q in quotes]
    return {i: j for i, j, _ in match_quotes(pred, doc.gold.get("quotes", []))}


def speaker_groups(docs: Iterable[GoldDoc]) -> list[tuple[list[tuple[str, ...]], list[bool]]]:
    """One ranking group per rule quotation matched to a gold quotation."""
    groups = []
    for doc in docs:
        v = _view(doc.sentences, doc.entities, doc.lexicon)
        gq = doc.gold.get("quotes", [])
        cq = list(doc.candidates)
        m = _matches(doc, cq)
        # the earlier quotations a decision sees are the right ones (those matching gold)
        context_of = [[cq[k] for k in range(i) if k in m] for i in range(len(cq))]
        for i, j in m.items():
            ctx = [*context_of[i], cq[i]]
            cands = speaker_candidates(cq[i], ctx, len(ctx) - 1, v)
            ok = [
                speaker_correct({"speaker": c.span.text, "speaker_canonical": c.canonical}, gq[j]) for c in cands
            ]
            groups.append(([c.features for c in cands], ok))
    return groups


def _content_matches(doc: GoldDoc) -> dict[int, int]:
    """Candidates matched to gold (SCORING.md's test), and besides, a candidate
    whose content holds most of an unmatched gold content (a content that ran
    on too far: what the content ranker is for)."""
    m = _matches(doc, doc.candidates)
    gq = doc.gold.get("quotes", [])
    free = set(range(len(gq))) - set(m.values())
    gold_bags = {j: Counter(score_tokens(gq[j]["content"])) for j in free}
    for i, q in enumerate(doc.candidates):
        if i in m or not free:
            continue
        toks = Counter(score_tokens(q.content.text))
        best, share = None, 0.8
        for j in free:
            g = gold_bags[j]
            inside = sum((g & toks).values()) / max(1, sum(g.values()))
            if inside >= share:
                best, share = j, inside
        if best is not None:
            m[i] = best
            free.discard(best)
    return m


def content_groups(docs: Iterable[GoldDoc]) -> list[tuple[list[tuple[str, ...]], list[bool]]]:
    """One ranking group per candidate quotation matched to gold: its alternative
    contents, the right ones those with the highest token overlap with gold's."""
    groups = []
    for doc in docs:
        v = _view(doc.sentences, doc.entities, doc.lexicon, doc.article.text)
        cues = _cue_table(doc.lexicon)
        gq = doc.gold.get("quotes", [])
        for i, j in _content_matches(doc).items():
            cands = content_candidates(doc.candidates[i], v, cues)
            if len(cands) < 2:
                continue
            gold_toks = score_tokens(gq[j]["content"])
            ov = [_overlap(score_tokens(c.span.text), gold_toks) for c in cands]
            top = max(ov)
            groups.append(([c.features for c in cands], [o >= top - 1e-9 for o in ov]))
    return groups


def keep_rows(docs: Iterable[GoldDoc], speaker_model: QuoteModel | None) -> tuple[list[list[str]], list[bool]]:
    """Keep/drop examples: every rule quotation (after the speaker decision), labelled
    by whether it matches a gold quotation."""
    rows: list[list[str]] = []
    labels: list[bool] = []
    for doc in docs:
        quotes = list(doc.candidates)
        if speaker_model is not None:
            quotes = apply_model(quotes, doc.sentences, doc.entities, doc.lexicon, speaker_model, doc.article.text)
        v = _view(doc.sentences, doc.entities, doc.lexicon)
        m = _matches(doc, quotes)
        for i, q in enumerate(quotes):
            rows.append(quote_features(q, v))
            labels.append(i in m)
    return rows, labels


def analysis_with(doc: GoldDoc, quotes: Sequence[Quote]) -> Analysis:
    return Analysis(doc.article, doc.sentences, tuple(quotes), doc.entities, ())
