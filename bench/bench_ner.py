"""Benchmark: tokens/s of the embedded NER tagger next to the camel-tools BERT path.

Not a test. Tags the same sentences with each backend in this one process
and prints tokens per second and the ratios: the default CRF, the CRF + neural
network + label propagation (``--ner crf+nn``), and BERT. Sentences go in
calls of ``--doc-size`` consecutive sentences, as the analyzer passes one
article at a time. The BERT side is a BERT-base token
classifier (``BertConfig()`` defaults, 12 layers, 768 wide, 9 labels) with
RANDOM weights and a WordPiece vocabulary generated from the sentences (each
word one piece, so BERT's cost is if anything underestimated):
it has the architecture and cost of camel-tools' ``ner-arabert`` without
downloading it. It runs through ``newsan.extract.camel_ner.CamelBertTagger``,
the code path ``--ner camel:PATH`` uses.

Usage::

    python bench/bench_ner.py --no-bert --news 2000   # + 4,000 news articles, one call each
    python bench/bench_ner.py                       # ANERcorp fixed test file
    python bench/bench_ner.py --conll FILE --bert-sentences 300
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsan.eval_ner import read_conll
from newsan.extract.tagger import combined_tagger, default_tagger

DEFAULT_CONLL = (
    REPO.parent / "shared" / "data" / "ner" / "anercorp-camellab" / "ANERCorp_CamelLab_test.sentence-start-fix.txt"
)


def build_random_bert(sentences: list[list[str]], folder: Path) -> None:
    """Save a random-weight BERT-base token classifier with a generated vocab to ``folder``."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    words = Counter(w for s in sentences for w in s)
    chars = sorted({ch for w in words for ch in w})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab += chars + ["##" + ch for ch in chars]
    # Every word of the bench text is one piece: the cheapest case for BERT
    # (a real vocabulary splits rarer words into several pieces).
    vocab += [w for w, _ in words.most_common(30000 - len(vocab))]
    (folder / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    labels = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
    config = BertConfig(num_labels=9, id2label=dict(enumerate(labels)), label2id={x: i for i, x in enumerate(labels)})
    torch.manual_seed(0)
    BertForTokenClassification(config).save_pretrained(str(folder))
    BertTokenizer(str(folder / "vocab.txt"), do_lower_case=False).save_pretrained(str(folder))


def rate(tag, sentences: list[list[str]], doc_size: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(tokens/s, seconds) over all sentences, ``doc_size`` sentences per call."""
    n = sum(len(s) for s in sentences)
    t0 = time.perf_counter()
    for k in range(0, len(sentences), doc_size):
        tag(sentences[k : k + doc_size])
    dt = time.perf_counter() - t0
    return n / dt, dt


def news_articles(folder: Path, per_file: int) -> list[list[list[str]]]:
    """The first ``per_file`` articles of each corpus in ``folder``, read by
    newsan's loader and segmented: one list of sentences (token texts) per
    article, as ``find_mentions`` hands them to the tagger."""
    from itertools import islice

    from newsan.load import iter_articles
    from newsan.segment import segment

    docs = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        for article in islice(iter_articles([str(path)]), per_file):
            if hasattr(article, "text"):
                docs.append([[t.text for t in s.tokens] for s in segment(article.text).sentences])
    return docs


def news_rate(docs: list[list[list[str]]]) -> None:
    """The default CRF over the articles one call each, from a fresh tagger, as
    one worker of ``newsan analyze`` meets them (its word cache filling up)."""
    from newsan.extract.tagger import clear_packaged

    clear_packaged()
    crf = default_tagger()
    n = sum(len(s) for d in docs for s in d)
    t0 = time.perf_counter()
    for doc in docs:
        crf.tag_sentences(doc)
    dt = time.perf_counter() - t0
    clear_packaged()  # the ANERcorp runs below start cold again
    print(f"default: CRF on {len(docs):,} news articles, one call each: {n / dt:9,.0f} tokens/s ({n:,} tokens, {dt:.2f}s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conll", type=Path, default=DEFAULT_CONLL, help="sentences to tag (CoNLL tokens)")
    ap.add_argument("--bert-sentences", type=int, default=200, help="sentences for the (slow) BERT side")
    ap.add_argument("--doc-size", type=int, default=10, help="sentences per tagger call (one article)")
    ap.add_argument("--no-bert", action="store_true")
    ap.add_argument(
        "--news",
        type=int,
        default=0,
        metavar="N",
        help="also tag the first N articles of each corpus in ../shared/data/news, one article per call",
    )
    args = ap.parse_args(argv)
    if args.news:
        news = REPO.parent / "shared" / "data" / "news"
        if not news.is_dir():
            print(f"bench_ner: {news} not found: --news needs ../shared beside the repo", file=sys.stderr)
            return 2
        news_rate(news_articles(news, args.news))

    sentences = [toks for toks, _ in read_conll(args.conll)]
    n_tok = sum(len(s) for s in sentences)
    d = args.doc_size
    t0 = time.perf_counter()
    combined = combined_tagger()
    print(f"model load (CRF + network): {time.perf_counter() - t0:.2f}s; {n_tok} tokens, {d} sentences per call")
    crf = default_tagger()
    results = {}
    for name, tagger in (("default: CRF", crf), ("crf+nn: CRF + network", combined)):
        cold, dt = rate(tagger.tag_sentences, sentences, d)
        warm, dt2 = rate(tagger.tag_sentences, sentences, d)
        results[name] = cold
        print(f"{name:24} cold caches {cold:9,.0f} tokens/s ({dt:.2f}s); warm {warm:9,.0f} tokens/s ({dt2:.2f}s)")
    if args.no_bert:
        return 0

    import torch

    from newsan.extract.camel_ner import CamelBertTagger

    subset = sentences[: args.bert_sentences]
    with tempfile.TemporaryDirectory() as tmp:
        build_random_bert(sentences, Path(tmp))
        bert = CamelBertTagger(tmp)
        bert.tag_sentences(subset[:4])  # warm-up
        b_rate, dt = rate(bert.tag_sentences, subset, d)
    n_sub = sum(len(s) for s in subset)
    print(
        f"BERT  (BERT-base, random weights, torch threads={torch.get_num_threads()}): "
        f"{n_sub} tokens in {dt:.2f}s = {b_rate:,.0f} tokens/s"
    )
    for name, cold in results.items():
        print(f"ratio {name} (cold caches) / BERT: {cold / b_rate:,.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
