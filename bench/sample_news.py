"""Write a reproducible sample of ../shared/data/news as one JSON Lines file.

Every k-th article of the corpus files in sorted order (k = total // n), starting
at ``--offset`` (0 <= offset < k): samples with different offsets never share an
article, so ``--offset 0`` and ``--offset 1`` give two disjoint 2,000-article
samples (used to grow a store incrementally). Not a test; run by hand::

    python bench/sample_news.py -n 2000 --offset 0 -o /tmp/sample0.jsonl
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=2000, help="articles in the sample")
    ap.add_argument("--offset", type=int, default=0, help="which of the k interleaved samples")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    files = sorted(args.data.glob("*.jsonl.gz"))
    if not files:
        raise SystemExit(f"no *.jsonl.gz under {args.data}")

    def lines():  # type: ignore[no-untyped-def]
        for f in files:
            with gzip.open(f, "rb") as fh:
                yield from (line for line in fh if line.strip())

    total = sum(1 for _ in lines())
    step = max(total // args.n, 1)
    if not 0 <= args.offset < step:
        raise SystemExit(f"--offset must be in 0..{step - 1}")
    kept = 0
    with open(args.output, "wb") as out:
        for i, line in enumerate(lines()):
            if i % step == args.offset and kept < args.n:
                out.write(line if line.endswith(b"\n") else line + b"\n")
                kept += 1
    print(f"{kept} of {total} articles (every {step}th from {args.offset}) -> {args.output}")


if __name__ == "__main__":
    main()
