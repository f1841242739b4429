"""Dev harness for the quotation extractor: run it over a gold folder and score.

    /work/venv/bin/python scripts/dev_quotes.py [GOLD_DIR] [--only ID] [--show] [--quiet] [--pipeline]
    /work/venv/bin/python scripts/dev_quotes.py --write-cases tests/data/cases [--only ID]

Scores with :mod:`newsan.evaluate` (SCORING.md) and prints, per article, the
missed gold quotes, spurious predictions, wrong speakers and wrong kinds.
``--show`` prints every predicted quote; ``--pipeline`` runs the full
pipeline (with the NER tagger, so canonical names can use entities) instead of
segment + extract_quotes alone. ``--write-cases DIR`` (re)writes the expected
``NNN.json`` of the golden cases in DIR from the current output, for review
with ``git diff`` before committing (as black's test data are updated).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from newsan.evaluate import QuoteScores, match_quotes, score_article
from newsan.evaluate import quote_to_gold
from newsan.extract.quotes import extract_quotes
from newsan.lexicons import load_lexicon
from newsan.model import Quote
from newsan.segment import segment

DEFAULT = Path("/work/shared/eval/dev")


def predict(text: str, use_pipeline: bool, aid: str) -> tuple[list[Quote], list[str]]:
    if use_pipeline:
        from newsan.model import Article
        from newsan.pipeline import analyze_article, make_tagger

        analysis = analyze_article(Article(aid, aid, text), make_tagger(), load_lexicon())
        return list(analysis.quotes), list(analysis.warnings)
    seg = segment(text)
    return extract_quotes(seg, load_lexicon())


def short(s: str | None, n: int = 90) -> str:
    if s is None:
        return "∅"
    return s if len(s) <= n else s[: n - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("gold_dir", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--only", help="article id")
    ap.add_argument("--show", action="store_true", help="print every predicted quote")
    ap.add_argument("--quiet", action="store_true", help="totals only")
    ap.add_argument("--pipeline", action="store_true", help="use the full pipeline (NER entities)")
    ap.add_argument("--write-cases", type=Path, metavar="DIR", help="rewrite the expected NNN.json of DIR")
    args = ap.parse_args(argv)
    if args.write_cases:
        return write_cases(args.write_cases, args.only)

    total = QuoteScores()
    elapsed = 0.0
    words = 0
    for gold_path in sorted(args.gold_dir.glob("*.json")):
        aid = gold_path.stem
        if not gold_path.with_suffix(".txt").exists():
            continue  # selection.json and other non-article files
        if args.only and aid != args.only:
            continue
        txt = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        quotes, warnings = predict(txt, args.pipeline, aid)
        elapsed += time.perf_counter() - t0
        words += len(txt.split())
        for q in quotes:
            for sp in (q.cue, q.content, q.speaker, q.role, q.addressee, q.via):
                assert sp is None or txt[sp.start : sp.end] == sp.text, (aid, sp)
        pred = {"id": aid, "quotes": [quote_to_gold(q) for q in quotes], "entities": []}
        gold_q = {"id": aid, "quotes": gold["quotes"], "entities": []}
        s = score_article(pred, gold_q)
        total = total + s.quotes
        d = s.quotes.as_dict()
        if args.quiet:
            continue
        print(
            f"== {aid}: pred {d['predicted']} gold {d['gold']} matched {d['matched']} "
            f"speaker_ok {s.quotes.speaker_ok} kind_ok {s.quotes.kind_ok}"
        )
        for w in warnings:
            print(f"   warning: {w}")
        pairs = match_quotes(pred["quotes"], gold_q["quotes"])
        by_pred = {i: j for i, j, _ in pairs}
        for e in s.errors:
            if e["type"] == "missed quote":
                print(f"   MISSED   [{e['gold']}] {short(e['content'])}")
            elif e["type"] == "spurious quote":
                print(f"   SPURIOUS [{e['predicted']}] {short(e['content'])}")
            elif e["type"] == "wrong speaker":
                print(f"   SPEAKER  pred [{e['predicted']}] gold [{e['gold']}] {short(e['content'], 60)}")
            elif e["type"] == "wrong kind":
                print(f"   KIND     pred {e['predicted']} gold {e['gold']} {short(e['content'], 60)}")
        if args.show:
            for i, q in enumerate(pred["quotes"]):
                mark = "✓" if i in by_pred else "✗"
                print(
                    f"   {mark} {q['kind']:8} cue={q['cue']} sp={q['speaker']} ({q['speaker_canonical']}) "
                    f"role={q['role']} to={q['addressee']} via={q['via']}\n      {short(q['content'], 140)}"
                )
    d = total.as_dict()
    print(
        f"\nTOTAL quotes: P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f} | "
        f"speaker acc {d['speaker_accuracy']:.3f} | kind acc {d['kind_accuracy']:.3f} | "
        f"e2e P {d['e2e_precision']:.3f} R {d['e2e_recall']:.3f} F1 {d['e2e_f1']:.3f} "
        f"(pred {d['predicted']}, gold {d['gold']}, matched {d['matched']})"
    )
    if words:
        print(f"speed: {words} words in {elapsed:.2f}s ({words / max(elapsed, 1e-9):,.0f} words/s)", file=sys.stderr)
    return 0


def write_cases(folder: Path, only: str | None) -> int:
    """Write ``NNN.json`` (gold format, GUIDELINES §3) beside each ``NNN.txt`` of ``folder``."""
    for txt in sorted(folder.glob("*.txt")):
        if only and txt.stem != only:
            continue
        quotes, _ = predict(txt.read_text(encoding="utf-8"), False, txt.stem)
        record = {"id": txt.stem, "quotes": [quote_to_gold(q) for q in quotes], "entities": []}
        txt.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {txt.with_suffix('.json')} ({len(quotes)} quotes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
