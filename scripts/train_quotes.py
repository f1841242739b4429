"""Train the quotation model shipped in src/newsan/models/quotes.json.

    python scripts/train_quotes.py                       # train on ../shared/eval/train, write the model
    python scripts/train_quotes.py --gold DIR --out FILE
    python scripts/train_quotes.py --extra annotations/ant  # train/ plus the repo's 80 annotated ANT articles

The shipped model is trained on train/ alone: adding the repo's own
annotations of 80 more ANT articles (annotations/ant, keyed by ANT id, the
texts read from ../shared/data/news; see scripts/annotation_batch.py) did not
improve the cross-validated figures (see the model card). They measure the
shipped model instead, on articles it never saw.

The training set is ../shared/eval/train (ANT corpus, Jawhara FM, Apache-2.0:
models trained on it may ship). Never train on ../shared/eval/dev (SaudiNewsNet,
non-commercial; it measures only). Training is deterministic: L-BFGS from zero
weights over features computed by the analyzer itself; the same settings as
`newsan eval cv` (newsan.learn.cv.TrainSettings). See
src/newsan/models/QUOTES_MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from newsan.learn.cv import TrainSettings, train
from newsan.learn.data import load_annotations, load_gold
from newsan.pipeline import make_tagger

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "eval" / "train"))
    ap.add_argument("--out", default=str(ROOT / "src" / "newsan" / "models" / "quotes.json"))
    ap.add_argument("--extra", default="",
                    help="also train on annotation files keyed by ANT id (the repo's annotations/ant; "
                    "measured: no gain, see the model card)")
    ap.add_argument("--extra-texts", default=str(ROOT.parent / "shared" / "data" / "news" / "ant_jawharafm.jsonl.gz"))
    args = ap.parse_args()
    gold = Path(args.gold)
    if not gold.is_dir():
        print(f"train_quotes: {gold}: no such directory (it is ../shared/eval/train beside the repo)", file=sys.stderr)
        return 2
    if gold.resolve().name == "dev":
        print("train_quotes: refusing to train on the dev set (it measures only)", file=sys.stderr)
        return 2
    tagger = make_tagger("default")
    docs = load_gold(gold, tagger)
    n_gold = len(docs)
    extra = Path(args.extra) if args.extra else None
    if extra is not None:
        if not extra.is_dir():
            print(f"train_quotes: --extra {extra}: no such directory", file=sys.stderr)
            return 2
        try:
            docs += load_annotations(extra, args.extra_texts, tagger)
        except (OSError, ValueError) as exc:
            print(f"train_quotes: {exc}", file=sys.stderr)
            return 2
    digest = hashlib.sha256()
    for d in docs:
        digest.update(d.id.encode())
        digest.update(d.article.text.encode())
    settings = TrainSettings()
    meta = {
        "trained_on": f"{gold.name}: {n_gold} articles"
        + (f" + {len(docs) - n_gold} annotated articles of {extra}" if len(docs) > n_gold else "")
        + f", {sum(len(d.gold.get('quotes', [])) for d in docs)} gold quotations",
        "training_text_sha256": digest.hexdigest(),
        "settings": settings.__dict__,
        "script": "scripts/train_quotes.py",
    }
    model = train(docs, settings, meta)
    out = Path(args.out)
    tmp = out.with_suffix(".json.part")
    tmp.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out}: {len(model.speaker)} speaker features, {len(model.keep)} keep features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
