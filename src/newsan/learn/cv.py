"""Training and grouped cross-validation of the quotation decisions.

``newsan eval cv DIR`` runs :func:`cross_validate`: the articles of DIR are
split into K folds by article (fixed seed); for each fold the models are
trained on the other folds and the full pipeline runs on the held-out one,
scored exactly as ``newsan eval quotes`` scores (SCORING.md). The rules alone
and the learned pipeline are reported side by side, per fold and pooled, with
a bootstrap 95 % interval over articles, per-stage figures and, on request, a
learning curve.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsan.align import align_article
from newsan.evaluate import (
    QuoteScores,
    Scores,
    match_quotes,
    quote_to_gold,
    record_to_gold,
    score_article,
    speaker_correct,
)
from newsan.export import to_dict
from newsan.extract.decide import QuoteModel, _view, apply_model, speaker_candidates
from newsan.learn.data import GoldDoc, analysis_with, content_groups, keep_rows, speaker_groups
from newsan.learn.linear import train_logistic, train_ranker
from newsan.model import Quote

__all__ = ["TrainSettings", "train", "cross_validate", "folds_of"]


@dataclass(frozen=True)
class TrainSettings:
    speaker_l2: float = 3.0
    keep_l2: float = 1.0
    threshold: float = 0.4
    #: the keep threshold of proposals (None: ``threshold``)
    threshold_proposed: float | None = 0.6
    min_count: int = 2
    content: bool = True
    content_l2: float = 1.0


def train(docs: Sequence[GoldDoc], settings: TrainSettings = TrainSettings(), meta: dict[str, Any] | None = None) -> QuoteModel:
    """Both decisions trained on ``docs``: first the speaker ranker, then the keep
    model on the quotations as the ranker leaves them."""
    sw = train_ranker(speaker_groups(docs), l2=settings.speaker_l2, min_count=settings.min_count)
    cw = train_ranker(content_groups(docs), l2=settings.content_l2, min_count=settings.min_count) if settings.content else {}
    # the keep model sees the quotations as the two rankers leave them
    rankers_only = QuoteModel(speaker=sw, keep={}, keep_bias=0.0, threshold=0.0, meta={}, content=cw)
    rows, labels = keep_rows(docs, rankers_only)
    kw, kb = train_logistic(rows, labels, l2=settings.keep_l2, min_count=settings.min_count)
    return QuoteModel(
        speaker=sw, keep=kw, keep_bias=kb, threshold=settings.threshold, meta=dict(meta or {}), content=cw,
        threshold_proposed=settings.threshold_proposed,
    )


def folds_of(docs: Sequence[GoldDoc], k: int, seed: int) -> list[list[int]]:
    """Article indices split into ``k`` folds, shuffled with ``seed``."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    return [sorted(order[f::k]) for f in range(k)]


def _score(doc: GoldDoc, quotes: Sequence[Quote]) -> Scores:
    """As ``newsan eval quotes`` scores the pipeline's output (which names each
    speaker after the entity it refers to, :func:`~newsan.aggregate.unify_speakers`)."""
    from newsan.aggregate import role_titles, unify_speakers

    quotes = unify_speakers(list(quotes), doc.entities, doc.article.text, role_titles(doc.lexicon))
    return score_article(record_to_gold(to_dict(analysis_with(doc, quotes))), doc.gold)


@dataclass
class _Stage:
    """Per-stage counts of the learned pipeline on held-out articles."""

    matched_rule: int = 0  # rule quotations matched to gold
    cand_has_right: int = 0  # ... whose speaker candidates include a right one (the ranker's ceiling)
    rule_speaker_ok: int = 0
    learned_speaker_ok: int = 0  # the ranker's choice, on the same matched quotations
    borrowed: int = 0  # matched quotations whose rules' speaker was borrowed (dropped subject)
    borrowed_rule_ok: int = 0
    borrowed_learned_ok: int = 0
    content_exact: int = 0  # matched rule quotations whose content equals gold's token for token
    final_matched: int = 0  # the learned pipeline's quotations matched to gold
    final_content_exact: int = 0  # ... whose content equals gold's
    dropped_right: int = 0  # quotations the keep model dropped that were right
    dropped_wrong: int = 0  # ... that were wrong (spurious)
    gold_quotes: int = 0
    cand_quote_hit: int = 0  # gold quotations some candidate matches (the ceiling of quote recall)
    gold_cues: int = 0  # gold cues placed on the text (newsan.align)
    cand_cue_hit: int = 0  # ... that a candidate's cue covers
    rule_cues: int = 0  # the rules' quotations' cues
    rule_cue_tp: int = 0  # ... on a gold cue
    learned_cues: int = 0  # the learned pipeline's cues
    learned_cue_tp: int = 0

    def add(self, o: _Stage) -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(o, f))


def _stage(doc: GoldDoc, model: QuoteModel) -> _Stage:
    from newsan.evaluate import score_tokens

    st = _Stage()
    gq = doc.gold.get("quotes", [])
    rq = list(doc.rule_quotes)
    pairs = {i: j for i, j, _ in match_quotes([quote_to_gold(q) for q in rq], gq)}
    v = _view(doc.sentences, doc.entities, doc.lexicon)
    for i, j in pairs.items():
        q = rq[i]
        st.matched_rule += 1
        ctx = [rq[k] for k in range(i) if k in pairs] + [q]
        cands = speaker_candidates(q, ctx, len(ctx) - 1, v)
        oks = [speaker_correct({"speaker": c.span.text, "speaker_canonical": c.canonical}, gq[j]) for c in cands]
        st.cand_has_right += any(oks)
        rule_ok = speaker_correct(quote_to_gold(q), gq[j])
        st.rule_speaker_ok += rule_ok
        best_ok = rule_ok
        if cands:
            b = max(range(len(cands)), key=lambda k: (model.speaker_score(cands[k].features), cands[k].from_rules))
            best_ok = oks[b]
        st.learned_speaker_ok += best_ok
        if "borrowed" in q.evidence or "no_speaker" in q.evidence:
            st.borrowed += 1
            st.borrowed_rule_ok += rule_ok
            st.borrowed_learned_ok += best_ok
        st.content_exact += score_tokens(q.content.text) == score_tokens(gq[j]["content"])
    allq = list(doc.candidates)
    kept_all = apply_model(allq, doc.sentences, doc.entities, doc.lexicon, QuoteModel(model.speaker, model.keep, model.keep_bias, 0.0, {}), doc.article.text)
    kept = apply_model(allq, doc.sentences, doc.entities, doc.lexicon, model, doc.article.text)
    pairs_all = {i for i, _, _ in match_quotes([quote_to_gold(q) for q in kept_all], gq)}
    for a, b, _ in match_quotes([quote_to_gold(q) for q in kept], gq):
        st.final_matched += 1
        st.final_content_exact += score_tokens(kept[a].content.text) == score_tokens(gq[b]["content"])
    # cues: the gold cue words placed on the text, against each pipeline's cues
    st.gold_quotes += len(gq)
    st.cand_quote_hit += len(match_quotes([quote_to_gold(q) for q in allq], gq))
    aligned = align_article(doc.article.text, doc.gold, doc.lexicon, doc.id)
    gold_cues = [(a.spans["cue"].start, a.spans["cue"].end) for a in aligned.quotes if "cue" in a.spans]
    st.gold_cues += len(gold_cues)
    st.cand_cue_hit += _cue_hits(gold_cues, allq)
    st.rule_cues += len(rq)
    st.rule_cue_tp += _cue_hits(gold_cues, rq)
    st.learned_cues += len(kept)
    st.learned_cue_tp += _cue_hits(gold_cues, kept)
    kept_keys = {(q.cue.start, q.cue.end) for q in kept}
    for i, q in enumerate(kept_all):
        if (q.cue.start, q.cue.end) not in kept_keys:
            if i in pairs_all:
                st.dropped_right += 1
            else:
                st.dropped_wrong += 1
    return st


def _cue_hits(gold: Sequence[tuple[int, int]], quotes: Sequence[Quote]) -> int:
    """Gold cue spans covered by a quotation's cue, each quotation used once."""
    free = sorted({(q.cue.start, q.cue.end) for q in quotes})
    hits = 0
    for gs, ge in gold:
        k = next((i for i, (s, e) in enumerate(free) if s < ge and gs < e), None)
        if k is not None:
            hits += 1
            free.pop(k)
    return hits


def _ratios(q: QuoteScores) -> dict[str, float]:
    d = q.as_dict()
    return {k: d[k] for k in ("precision", "recall", "f1", "speaker_accuracy", "e2e_f1", "kind_accuracy")}


def _bootstrap(per: Sequence[QuoteScores], rounds: int, seed: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(seed)
    n = len(per)
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        tot = QuoteScores()
        for _ in range(n):
            tot = tot + per[rng.randrange(n)]
        for k, val in _ratios(tot).items():
            samples.setdefault(k, []).append(val)
    out = {}
    for k, vals in samples.items():
        vals.sort()
        out[k] = (vals[int(0.025 * (len(vals) - 1))], vals[int(0.975 * (len(vals) - 1))]) if vals else (0.0, 0.0)
    return out


@dataclass
class CVResult:
    folds: list[dict[str, Any]] = field(default_factory=list)
    pooled: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, Any] = field(default_factory=dict)
    curve: list[dict[str, Any]] = field(default_factory=list)


def cross_validate(
    docs: Sequence[GoldDoc],
    k: int = 5,
    seed: int = 0,
    settings: TrainSettings = TrainSettings(),
    curve: Sequence[float] = (),
    bootstrap: int = 1000,
    extra: Sequence[GoldDoc] = (),
    held_out: Sequence[int] | None = None,
) -> CVResult:
    """Grouped K-fold cross-validation (see the module docstring).

    ``extra`` articles (annotations added to the training set) join every
    fold's training articles and are never scored: the folds, and so the
    figures, stay those of ``docs``. With ``held_out`` (indices into
    ``docs``) there is one fold instead: those articles are scored, all the
    others train (a domain check: one category of news held out)."""
    folds = [sorted(held_out)] if held_out is not None else folds_of(docs, k, seed)
    result = CVResult()
    per_rules: list[QuoteScores] = []
    per_learned: list[QuoteScores] = []
    ent_rules = Scores()
    stage = _Stage()
    for f, test in enumerate(folds):
        test_set = set(test)
        train_docs = [d for i, d in enumerate(docs) if i not in test_set] + list(extra)
        model = train(train_docs, settings)
        fr, fl = QuoteScores(), QuoteScores()
        for i in test:
            d = docs[i]
            rs = _score(d, d.rule_quotes)
            ls = _score(d, apply_model(d.candidates, d.sentences, d.entities, d.lexicon, model, d.article.text))
            per_rules.append(rs.quotes)
            per_learned.append(ls.quotes)
            ent_rules = ent_rules + Scores(entities=rs.entities)
            fr, fl = fr + rs.quotes, fl + ls.quotes
            stage.add(_stage(d, model))
        result.folds.append({"fold": f, "articles": len(test), "rules": _ratios(fr), "learned": _ratios(fl)})
    tr = sum(per_rules, QuoteScores())
    tl = sum(per_learned, QuoteScores())
    result.pooled = {
        "articles": sum(len(t) for t in folds),
        "extra_training_articles": len(extra),
        "gold_quotes": tl.gold,
        "rules": {**tr.as_dict(), "ci95": _bootstrap(per_rules, bootstrap, seed)},
        "learned": {**tl.as_dict(), "ci95": _bootstrap(per_learned, bootstrap, seed)},
        "entities": ent_rules.entities.as_dict(),
    }
    s = stage

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    result.stages = {
        "quotation candidate recall (gold quotations a candidate matches)": ratio(s.cand_quote_hit, s.gold_quotes),
        "cue recall, candidates (gold cues placed on the text)": ratio(s.cand_cue_hit, s.gold_cues),
        "cue P / R, rules": f"{ratio(s.rule_cue_tp, s.rule_cues):.3f} / {ratio(s.rule_cue_tp, s.gold_cues):.3f}",
        "cue P / R, learned": f"{ratio(s.learned_cue_tp, s.learned_cues):.3f} / {ratio(s.learned_cue_tp, s.gold_cues):.3f}",
        "rule quotations matched to gold": s.matched_rule,
        "speaker candidate recall (a right candidate exists)": ratio(s.cand_has_right, s.matched_rule),
        "speaker accuracy, rules": ratio(s.rule_speaker_ok, s.matched_rule),
        "speaker accuracy, ranker": ratio(s.learned_speaker_ok, s.matched_rule),
        "dropped subjects (borrowed or no speaker)": s.borrowed,
        "dropped-subject accuracy, rules": ratio(s.borrowed_rule_ok, s.borrowed),
        "dropped-subject accuracy, ranker": ratio(s.borrowed_learned_ok, s.borrowed),
        "content exact, rules (matched quotations)": ratio(s.content_exact, s.matched_rule),
        "content exact, learned (matched quotations)": ratio(s.final_content_exact, s.final_matched),
        "keep model: dropped right / dropped spurious": f"{s.dropped_right} / {s.dropped_wrong}",
    }
    for share in curve:
        tot = QuoteScores()
        for f, test in enumerate(folds):
            test_set = set(test)
            pool = [d for i, d in enumerate(docs) if i not in test_set] + list(extra)
            rng = random.Random(seed * 1000 + f)
            sub = rng.sample(pool, max(1, round(share * len(pool))))
            model = train(sub, settings)
            for i in test:
                d = docs[i]
                tot = tot + _score(d, apply_model(d.candidates, d.sentences, d.entities, d.lexicon, model, d.article.text)).quotes
        n_train = len(docs) * (k - 1) / k + len(extra)
        result.curve.append({"share": share, "train_articles": round(share * n_train), **_ratios(tot)})
    return result
