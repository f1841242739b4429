"""Benchmark: the quotation stage alone, rules vs the learned pipeline, on one core.

Not a test; run by hand (see bench/README.md)::

    python bench/bench_quotes.py                 # 1,000 articles of ../shared/data/news/ant_jawharafm.jsonl.gz
    python bench/bench_quotes.py --docs 3000 --data FILE.jsonl.gz

Segmentation and entities are computed first, outside the timings. Then, on
the same articles and in the same process, it times

- **floor**: camel-tools' ``simple_word_tokenize`` on each text (the reference
  every stage is compared with);
- **rules**: ``extract_quotes`` (what ``--quotes rules`` runs);
- **learned**: ``extract_quotes`` + the proposals and the two models of
  ``newsan.extract.decide`` (what the default ``--quotes learned`` runs).

Tokens are the analyzer's word tokens. The issue's target is the quotation
stage at 60,000 tokens/s or more on one core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "news" / "ant_jawharafm.jsonl.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT))
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="best of N timings")
    args = ap.parse_args()
    path = Path(args.data)
    if not path.is_file():
        print(f"bench_quotes: {path} not found (../shared beside the repo)", file=sys.stderr)
        return 2

    from camel_tools.tokenizers.word import simple_word_tokenize

    from newsan.aggregate import build_entities
    from newsan.extract.decide import apply_model, load_model, with_candidates
    from newsan.extract.entities import find_mentions
    from newsan.extract.quotes import extract_quotes
    from newsan.lexicons import load_lexicon
    from newsan.pipeline import make_tagger
    from newsan.segment import segment

    texts = []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            texts.append((rec.get("title") or "") + "\n" + rec["text"])
            if len(texts) >= args.docs:
                break
    lexicon = load_lexicon(None)
    tagger = make_tagger("default")
    prepared = []
    for t in texts:
        seg = segment(t)
        prepared.append((seg, build_entities(find_mentions(seg, tagger, lexicon))))
    tokens = sum(len(s.tokens) for seg, _ in prepared for s in seg.sentences)
    model = load_model()

    def floor() -> None:
        for t in texts:
            simple_word_tokenize(t)

    def rules() -> None:
        for seg, ents in prepared:
            extract_quotes(seg, lexicon, ents)

    def learned() -> None:
        for seg, ents in prepared:
            quotes, _ = extract_quotes(seg, lexicon, ents)
            apply_model(with_candidates(seg, lexicon, ents, quotes), seg.sentences, ents, lexicon, model)

    rules()  # warm the caches (lexicon compilation) once
    learned()
    best = {}
    for name, fn in (("floor", floor), ("rules", rules), ("learned", learned)):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        best[name] = min(times)
    print(f"{len(texts)} articles, {tokens:,} tokens; best of {args.repeat}")
    print(f"{'run':<10}{'seconds':>10}{'tokens/s':>12}{'x floor':>10}")
    for name, sec in best.items():
        print(f"{name:<10}{sec:>10.2f}{tokens / sec:>12,.0f}{sec / best['floor']:>10.1f}")
    rate = tokens / best["learned"]
    print(f"learned quotation stage: {rate:,.0f} tokens/s ({'PASS' if rate >= 60000 else 'MISS'} >= 60,000), "
          f"{best['learned'] / best['rules']:.2f}x the rules alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
