"""Pick news articles for annotators, and gather their annotations into the repo.

The gold sets in ``../shared/eval`` are 295 ANT articles (train/) and 11
articles (dev/). Growing them means more articles annotated under
``../shared/eval/GUIDELINES.md`` by annotators who see the article text and
the guidelines only, never the analyzer's output. The texts stay in
``../shared``; the annotations live in the repo under ``annotations/<corpus>/``,
one JSON file per article, keyed by its id (``article_id``).

- ``--corpus ant`` (Jawhara FM, Apache-2.0): annotations that may also train.
- ``--corpus saudinewsnet`` (research only): annotations that only measure;
  the training commands refuse them.

Two steps::

    python scripts/annotation_batch.py pick --corpus ant --n 80 --out /tmp/annot
        # writes /tmp/annot/a001.txt … (title, newline, text: as train/ does)
        # and /tmp/annot/batch.tsv (file -> article id); annotators write a001.json …
    python scripts/annotation_batch.py gather --corpus ant /tmp/annot
        # checks each a*.json (format, every content a substring of its text)
        # and writes annotations/ant/<article id with / as __>.json, each
        # content as offsets into its article (content_at), not as text

The pick is reproducible (fixed seed): articles of no gold set yet (train/,
dev/, an earlier batch), 120 to 450 words, with at least one common reporting
word (قال، أكد، أوضح، أشار، حسب، دعا, any form): an article that quotes
nobody tells little about quotations.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = {
    "ant": SHARED / "data" / "news" / "ant_jawharafm.jsonl.gz",
    "saudinewsnet": SHARED / "data" / "news" / "saudinewsnet.jsonl.gz",
}
EVAL = SHARED / "eval"
ANNOTATIONS = ROOT / "annotations"
_REPORTING = re.compile(r"(?:^|\s)[وف]?(?:قال|يقول|أكد|اكد|يؤكد|أوضح|اوضح|أشار|اشار|حسب|بحسب|دعا|يدعو)")
_KINDS = {"direct", "indirect", "mixed"}
_LABELS = {"PERS", "LOC", "ORG", "MISC"}


def file_name(article_id: str) -> str:
    """The annotation file of an article: its id with ``/`` as ``__``."""
    return article_id.replace("/", "__") + ".json"


def _taken() -> tuple[set[str], set[str]]:
    """Ids and text openings of the articles some gold set already holds."""
    ids: set[str] = set()
    with open(EVAL / "train" / "SOURCES.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            ids.add(row["ant_id"])
    for p in ANNOTATIONS.glob("*/*.json"):
        ids.add(json.loads(p.read_text(encoding="utf-8"))["article_id"])
    # dev/ names its files by number: its articles are known by their opening words
    openings = {_opening(p.read_text(encoding="utf-8")) for p in (EVAL / "dev").glob("*.txt")}
    return ids, openings


def _opening(text: str) -> str:
    return " ".join(text.split()[:12])


def pick(corpus: str, n: int, out: Path, seed: int) -> int:
    ids, openings = _taken()
    pool = []
    with gzip.open(CORPORA[corpus], "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            words = len(rec["text"].split())
            text = (rec.get("title") or "") + "\n" + rec["text"]
            if rec["id"] in ids or not 120 <= words <= 450 or not _REPORTING.search(rec["text"]):
                continue
            if _opening(text) in openings or _opening(rec["text"]) in openings:
                continue
            pool.append(rec)
    pool.sort(key=lambda r: r["id"])
    chosen = random.Random(seed).sample(pool, min(n, len(pool)))
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "batch.tsv", "w", encoding="utf-8") as f:
        f.write("file\tarticle_id\tcategory\n")
        for i, rec in enumerate(chosen, 1):
            name = f"a{i:03d}"
            (out / f"{name}.txt").write_text((rec.get("title") or "") + "\n" + rec["text"], encoding="utf-8")
            f.write(f"{name}\t{rec['id']}\t{rec.get('category', rec.get('source', ''))}\n")
    print(f"{len(chosen)} articles (of {len(pool)} eligible) written to {out}")
    return 0


def check(ann: dict, text: str) -> list[str]:
    """What is wrong with one annotation (empty when it is well formed)."""
    problems = []
    for k, q in enumerate(ann.get("quotes", [])):
        if q.get("kind") not in _KINDS:
            problems.append(f"quote {k}: kind {q.get('kind')!r}")
        for field in ("cue", "content", "speaker", "speaker_canonical"):
            if not isinstance(q.get(field), str) or not q[field].strip():
                problems.append(f"quote {k}: no {field}")
        if isinstance(q.get("content"), str) and q["content"] not in text:
            problems.append(f"quote {k}: content is not a substring of the text")
    for k, e in enumerate(ann.get("entities", [])):
        if e.get("label") not in _LABELS or not isinstance(e.get("canonical"), str):
            problems.append(f"entity {k}: {e}")
    return problems


def _content_at(quote: dict, text: str) -> dict:
    """``quote`` with its content given as ``content_at``, offsets into ``text``
    (the content's first occurrence: every occurrence reads back the same)."""
    start = text.index(quote["content"])
    return {
        (k if k != "content" else "content_at"): (v if k != "content" else [start, start + len(v)])
        for k, v in quote.items()
    }


def gather(corpus: str, src: Path) -> int:
    ids = {}
    with open(src / "batch.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            ids[row["file"]] = row["article_id"]
    out_dir = ANNOTATIONS / corpus
    out_dir.mkdir(parents=True, exist_ok=True)
    bad = written = 0
    for name, article_id in sorted(ids.items()):
        path = src / f"{name}.json"
        if not path.is_file():
            continue
        try:
            ann = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            print(f"{path}: not JSON ({exc})", file=sys.stderr)
            bad += 1
            continue
        text = (src / f"{name}.txt").read_text(encoding="utf-8")
        problems = check(ann, text)
        if problems:
            print(f"{path}: " + "; ".join(problems), file=sys.stderr)
            bad += 1
            continue
        # the contents as offsets into the article: no third-party text in the repo
        quotes = [_content_at(q, text) for q in ann.get("quotes", [])]
        record = {"article_id": article_id, "quotes": quotes, "entities": ann.get("entities", [])}
        tmp = out_dir / (file_name(article_id) + ".tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(out_dir / file_name(article_id))
        written += 1
    print(f"{written} annotations written to {out_dir}, {bad} refused")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pick")
    p.add_argument("--corpus", choices=sorted(CORPORA), default="ant")
    p.add_argument("--n", type=int, default=80)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, required=True)
    g = sub.add_parser("gather")
    g.add_argument("--corpus", choices=sorted(CORPORA), default="ant")
    g.add_argument("src", type=Path)
    args = ap.parse_args()
    if not CORPORA[args.corpus].is_file():
        print(f"annotation_batch: {CORPORA[args.corpus]} not found (../shared beside the repo)", file=sys.stderr)
        return 2
    if args.cmd == "pick":
        return pick(args.corpus, args.n, args.out, args.seed)
    return gather(args.corpus, args.src)


if __name__ == "__main__":
    sys.exit(main())
