"""Scoring against a gold set, exactly as ``shared/eval/SCORING.md`` says.

Predictions and gold are compared in the gold format of GUIDELINES §3
(``{"quotes": [{"kind", "content", "speaker", "speaker_canonical", …}],
"entities": [{"canonical", "label", "aliases"}]}``); :func:`record_to_gold`
turns newsan's JSON record into that shape.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsan.model import Article, Quote

__all__ = [
    "score_tokens",
    "quote_to_gold",
    "record_to_gold",
    "QuoteScores",
    "EntityScores",
    "score_article",
    "Scores",
    "gold_articles",
]

_DIAC_RE = re.compile("[\u064b-\u0652\u0670\u0640]")
_SPACE_RE = re.compile(r"\s+")
_QUOTE_MARKS = "“”«»\"„‹›'‘’‚"
_STOP_NAME_TOKENS_RAW = (
    "الرئيس رئيس وزير الوزير المتحدث باسم السيد الشيخ الملك الأمير العام الامين الأمين "
    "مدير نائب وكالة صحيفة قناة"
)


def score_tokens(text: str | None) -> list[str]:
    """SCORING.md normalization: NFKC, no diacritics/tatweel, folded alef/yaa/teh,
    no punctuation or quotation marks, split on white space."""
    if not text:
        return []
    s = unicodedata.normalize("NFKC", text)
    s = _DIAC_RE.sub("", s)
    s = s.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}))
    s = "".join(" " if (unicodedata.category(c).startswith("P") or c in _QUOTE_MARKS) else c for c in s)
    return _SPACE_RE.sub(" ", s).strip().split()


def _key(text: str | None) -> str:
    return " ".join(score_tokens(text))


_STOP = frozenset(score_tokens(_STOP_NAME_TOKENS_RAW))


def _overlap(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def speaker_correct(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """SCORING.md §Quotations 4."""
    pred_forms = [f for f in (pred.get("speaker"), pred.get("speaker_canonical")) if f]
    gold_forms = [f for f in (gold.get("speaker"), gold.get("speaker_canonical")) if f]
    if not pred_forms or not gold_forms:
        return False
    pk = {_key(f) for f in pred_forms}
    gk = {_key(f) for f in gold_forms}
    if pk & gk - {""}:
        return True
    ptoks = {t for f in pred_forms for t in score_tokens(f) if len(t) >= 3 and t not in _STOP}
    gtoks = {t for f in gold_forms for t in score_tokens(f) if len(t) >= 3 and t not in _STOP}
    return bool(ptoks & gtoks)


def quote_to_gold(q: Quote) -> dict[str, Any]:
    """One :class:`~newsan.model.Quote` in the gold format of GUIDELINES §3."""
    return {
        "kind": q.kind,
        "cue": q.cue.text,
        "content": q.content.text,
        "speaker": q.speaker.text if q.speaker else None,
        "speaker_canonical": q.speaker_canonical,
        "role": q.role.text if q.role else None,
        "addressee": q.addressee_canonical,
        "via": q.via_canonical,
    }


def record_to_gold(record: Mapping[str, Any]) -> dict[str, Any]:
    """newsan's JSON record (export.to_dict) -> the gold format of GUIDELINES §3."""

    def text(x: Any) -> str | None:
        return x.get("text") if isinstance(x, dict) else x

    def canonical(x: Any) -> str | None:
        return (x.get("canonical") or x.get("text")) if isinstance(x, dict) else x

    quotes = [
        {
            "kind": q["kind"],
            "cue": text(q.get("cue")),
            "content": text(q.get("content")),
            "speaker": text(q.get("speaker")),
            "speaker_canonical": canonical(q.get("speaker")),
            "role": text(q.get("role")),
            "addressee": canonical(q.get("addressee")),
            "via": canonical(q.get("via")),
        }
        for q in record.get("quotes", [])
    ]
    entities = [
        {"canonical": e["canonical"], "label": e["label"], "aliases": list(e.get("aliases", []))}
        for e in record.get("entities", [])
    ]
    return {"id": record.get("id"), "quotes": quotes, "entities": entities}


@dataclass
class QuoteScores:
    """Counts for quotation scoring; ratios are properties so sums stay exact."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0
    speaker_ok: int = 0
    kind_ok: int = 0

    def __add__(self, o: QuoteScores) -> QuoteScores:
        return QuoteScores(
            self.predicted + o.predicted,
            self.gold + o.gold,
            self.matched + o.matched,
            self.speaker_ok + o.speaker_ok,
            self.kind_ok + o.kind_ok,
        )

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        ep = self.speaker_ok / self.predicted if self.predicted else 0.0
        er = self.speaker_ok / self.gold if self.gold else 0.0
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched,
            "precision": p,
            "recall": r,
            "f1": self._f1(p, r),
            "speaker_accuracy": self.speaker_ok / self.matched if self.matched else 0.0,
            "kind_accuracy": self.kind_ok / self.matched if self.matched else 0.0,
            "e2e_precision": ep,
            "e2e_recall": er,
            "e2e_f1": self._f1(ep, er),
        }


@dataclass
class EntityScores:
    predicted: int = 0
    correct: int = 0
    gold: int = 0
    gold_found: int = 0
    #: the same four counts for each label (PERS, LOC, ORG, MISC …)
    by_label: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    def __add__(self, o: EntityScores) -> EntityScores:
        zero = (0, 0, 0, 0)
        by: dict[str, tuple[int, int, int, int]] = {}
        for lab in {**self.by_label, **o.by_label}:
            a, b = self.by_label.get(lab, zero), o.by_label.get(lab, zero)
            by[lab] = (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])
        return EntityScores(
            self.predicted + o.predicted, self.correct + o.correct, self.gold + o.gold, self.gold_found + o.gold_found, by
        )

    @staticmethod
    def _ratios(predicted: int, correct: int, gold: int, gold_found: int) -> dict[str, float | int]:
        p = correct / predicted if predicted else 0.0
        r = gold_found / gold if gold else 0.0
        return {
            "predicted": predicted,
            "correct": correct,
            "gold": gold,
            "gold_found": gold_found,
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
        }

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = self._ratios(self.predicted, self.correct, self.gold, self.gold_found)
        out["by_label"] = {lab: self._ratios(*self.by_label[lab]) for lab in sorted(self.by_label)}
        return out


@dataclass
class Scores:
    """One article's (or a set's) scores and the errors behind them."""

    quotes: QuoteScores = field(default_factory=QuoteScores)
    entities: EntityScores = field(default_factory=EntityScores)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def __add__(self, o: Scores) -> Scores:
        return Scores(self.quotes + o.quotes, self.entities + o.entities, self.errors + o.errors)


def match_quotes(pred: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> list[tuple[int, int, float]]:
    """One-to-one greedy matching, highest content-token overlap first (F1 ≥ 0.5)."""
    ptoks = [score_tokens(p.get("content")) for p in pred]
    gtoks = [score_tokens(g.get("content")) for g in gold]
    cands = [
        (ov, i, j)
        for i, pt in enumerate(ptoks)
        for j, gt in enumerate(gtoks)
        if (ov := _overlap(pt, gt)) >= 0.5
    ]
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for ov, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j, ov))
    return sorted(pairs, key=lambda x: x[1])


def score_article(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> Scores:
    """Score one article; both in the gold format (see :func:`record_to_gold`)."""
    pq, gq = list(pred.get("quotes", [])), list(gold.get("quotes", []))
    pairs = match_quotes(pq, gq)
    qs = QuoteScores(predicted=len(pq), gold=len(gq), matched=len(pairs))
    errors: list[dict[str, Any]] = []
    aid = gold.get("id")
    for i, j, _ in pairs:
        sp_ok = speaker_correct(pq[i], gq[j])
        qs.speaker_ok += sp_ok
        qs.kind_ok += pq[i].get("kind") == gq[j].get("kind")
        if not sp_ok:
            errors.append({"id": aid, "type": "wrong speaker", "content": gq[j]["content"],
                           "predicted": pq[i].get("speaker"), "gold": gq[j].get("speaker")})
        if pq[i].get("kind") != gq[j].get("kind"):
            errors.append({"id": aid, "type": "wrong kind", "content": gq[j]["content"],
                           "predicted": pq[i].get("kind"), "gold": gq[j].get("kind")})
    matched_p = {i for i, _, _ in pairs}
    matched_g = {j for _, j, _ in pairs}
    errors += [{"id": aid, "type": "missed quote", "content": g["content"], "gold": g.get("speaker")}
               for j, g in enumerate(gq) if j not in matched_g]
    errors += [{"id": aid, "type": "spurious quote", "content": p["content"], "predicted": p.get("speaker")}
               for i, p in enumerate(pq) if i not in matched_p]

    pred_set = {(_key(e["canonical"]), e["label"]) for e in pred.get("entities", [])}
    pred_set.discard(("", ""))
    gold_ents = list(gold.get("entities", []))
    gold_forms = [
        (e["label"], {_key(e["canonical"])} | {_key(a) for a in e.get("aliases", [])}) for e in gold_ents
    ]
    correct = {(t, lab) for t, lab in pred_set if any(lab == gl and t in forms for gl, forms in gold_forms)}
    found = sum(1 for gl, forms in gold_forms if any((t, gl) in pred_set for t in forms))
    by_label = {
        lab: (
            sum(1 for _, pl in pred_set if pl == lab),
            sum(1 for _, pl in correct if pl == lab),
            sum(1 for gl, _ in gold_forms if gl == lab),
            sum(1 for gl, forms in gold_forms if gl == lab and any((t, gl) in pred_set for t in forms)),
        )
        for lab in sorted({lab for _, lab in pred_set} | {gl for gl, _ in gold_forms})
    }
    es = EntityScores(len(pred_set), len(correct), len(gold_ents), found, by_label)
    errors += [{"id": aid, "type": "spurious entity", "text": t, "label": lab} for t, lab in sorted(pred_set - correct)]
    errors += [{"id": aid, "type": "missed entity", "text": e["canonical"], "label": e["label"]}
               for e, (gl, forms) in zip(gold_ents, gold_forms)
               if not any((t, gl) in pred_set for t in forms)]
    return Scores(qs, es, errors)


def score_set(pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> tuple[Scores, list[tuple[str, Scores]]]:
    """Micro-averaged scores over (prediction, gold) pairs, plus per-article scores."""
    total = Scores()
    per: list[tuple[str, Scores]] = []
    for pred, gold in pairs:
        s = score_article(pred, gold)
        per.append((str(gold.get("id")), s))
        total = total + s
    return total, per


def gold_articles(
    folder: str | Path, on_error: Callable[[Path, str], None] | None = None
) -> list[tuple[Article, dict[str, Any]]]:
    """(article, gold) for each NNN.txt / NNN.json pair of a gold folder, in name
    order, the text read as the analyzer reads a file (the one reader of gold
    folders: ``eval quotes``, ``eval cv`` and the entity projection use it).

    With ``on_error``, a pair that cannot be read (undecodable text, JSON that
    does not parse or is not an object) is reported as ``on_error(path, reason)``
    and skipped; without it the error is raised."""
    from newsan.load import article_from_text

    out = []
    for gold_path in sorted(Path(folder).glob("*.json")):
        txt = gold_path.with_suffix(".txt")
        if not txt.exists():
            continue
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            if not isinstance(gold, dict):
                raise ValueError("not a JSON object")
            text = txt.read_text(encoding="utf-8-sig")
        except (OSError, ValueError) as exc:
            if on_error is None:
                raise
            on_error(gold_path, str(exc))
            continue
        out.append((article_from_text(text, str(txt), id=gold_path.stem), gold))
    return out


def annotated_articles(
    folder: str | Path, texts: str | Path, on_error: Callable[[Path, str], None] | None = None
) -> list[tuple[Article, dict[str, Any]]]:
    """(article, gold) for each annotation file of ``folder`` whose text lives
    elsewhere: each file names its article (``article_id``), and ``texts`` is the
    JSON Lines file (gzip or plain) that holds it (``id``, ``title``, ``text``).
    The article reads as a gold folder's ``.txt`` does: the title, a newline,
    the text. Annotation files keep third-party text out of the repo: a
    quotation gives its content as character offsets into that text
    (``content_at``: ``[start, end]``), read back here into ``content``.

    With ``on_error``, a file that cannot be read, whose article is not in
    ``texts`` or whose offsets fall outside it is reported as
    ``on_error(path, reason)`` and skipped."""
    import gzip

    from newsan.load import article_from_text

    wanted: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(gold, dict) or not isinstance(gold.get("article_id"), str):
                raise ValueError("not an annotation (a JSON object with an article_id)")
        except (OSError, ValueError) as exc:
            if on_error is None:
                raise
            on_error(path, str(exc))
            continue
        wanted[gold["article_id"]] = (path, {**gold, "id": gold.get("id") or gold["article_id"]})
    found: dict[str, Article] = {}
    opener = gzip.open if str(texts).endswith(".gz") else open
    with opener(texts, "rt", encoding="utf-8") as f:
        for line in f:
            if len(found) == len(wanted):
                break
            rec = json.loads(line)
            if rec.get("id") in wanted and rec["id"] not in found:
                path = wanted[rec["id"]][0]
                text = (rec.get("title") or "") + "\n" + rec["text"]
                found[rec["id"]] = article_from_text(text, str(path), id=path.stem)
    out = []
    for article_id, (path, gold) in wanted.items():
        if article_id not in found:
            if on_error is None:
                raise ValueError(f"{path}: article {article_id} is not in {texts}")
            on_error(path, f"article {article_id} is not in {texts}")
            continue
        article = found[article_id]
        try:
            out.append((article, _read_contents(gold, article.text)))
        except ValueError as exc:
            if on_error is None:
                raise ValueError(f"{path}: {exc}") from None
            on_error(path, str(exc))
    return out


def _read_contents(gold: dict[str, Any], text: str) -> dict[str, Any]:
    """``gold`` with each quotation's ``content_at`` offsets read as its ``content``."""
    quotes = []
    for k, q in enumerate(gold.get("quotes") or []):
        at = q.get("content_at") if isinstance(q, dict) else None
        if at is not None:
            if not (isinstance(at, list) and len(at) == 2 and all(isinstance(x, int) for x in at)
                    and 0 <= at[0] < at[1] <= len(text)):
                raise ValueError(f"quote {k}: content_at {at!r} is not a span of the article")
            q = {key: val for key, val in q.items() if key != "content_at"}
            q["content"] = text[at[0] : at[1]]
        quotes.append(q)
    return {**gold, "quotes": quotes}
