"""Start-up time of the ``newsan`` command, and where a worker pool starts paying.

    python bench/bench_startup.py                    # --help, --version, one article; 10 runs each
    python bench/bench_startup.py --runs 20
    python bench/bench_startup.py --pool 10,25,50,100,200   # -j 1 vs -j 2 on N news articles

Every command runs as a fresh subprocess (``python -m newsan …`` with the same
interpreter and ``PYTHONPATH`` as this script), ``--runs`` times; the table shows
the median and the minimum wall time, and ``python -c pass`` is measured in the
same run as the reference floor (interpreter start-up alone), so the figures can
be compared across machines as a difference or a ratio.

``--pool`` times ``newsan analyze -f jsonl -j 1`` and ``-j 2`` on the first N
articles of one file of ``../shared/data/news`` (read in place, written to a
temporary JSON Lines file first), 3 runs each, to show the input size at which
starting worker processes pays for itself on this machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _time(cmd: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def startup(runs: int) -> None:
    py = sys.executable
    seed = next((ROOT / "seeds").glob("*.txt"))
    rows = [
        ("python -c pass (floor)", [py, "-c", "pass"]),
        ("newsan --help", [py, "-m", "newsan", "--help"]),
        ("newsan --version", [py, "-m", "newsan", "--version"]),
        ("newsan analyze --help", [py, "-m", "newsan", "analyze", "--help"]),
        ("newsan analyze SEED -f jsonl", [py, "-m", "newsan", "analyze", str(seed), "-f", "jsonl"]),
        ("newsan analyze SEED (table)", [py, "-m", "newsan", "analyze", str(seed)]),
    ]
    print(f"{'command':34} {'median s':>9} {'min s':>7}   ({runs} runs, load {os.getloadavg()[0]:.2f})")
    for name, cmd in rows:
        med, lo = _time(cmd, runs)
        print(f"{name:34} {med:9.3f} {lo:7.3f}")


def pool(sizes: list[int], runs: int = 3) -> None:
    files = sorted((SHARED / "data" / "news").glob("*.jsonl.gz"))
    if not files:
        print(f"no corpus under {SHARED / 'data' / 'news'}; skipped")
        return
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'articles':>8} {'-j 1 s':>8} {'-j 2 s':>8} {'j2/j1':>6}   (median of {runs}, load {os.getloadavg()[0]:.2f})")
        with gzip.open(files[0], "rt", encoding="utf-8") as f:
            lines = list(islice(f, max(sizes)))
        for n in sizes:
            src = Path(tmp) / f"n{n}.jsonl"
            src.write_text("".join(lines[:n]), encoding="utf-8")
            out = {}
            for j in (1, 2):
                cmd = [py, "-m", "newsan", "analyze", str(src), "-f", "jsonl", "-o", str(Path(tmp) / "o.jsonl"),
                       "-j", str(j), "-q"]
                out[j] = _time(cmd, runs)[0]
            print(f"{n:8d} {out[1]:8.2f} {out[2]:8.2f} {out[2] / out[1]:6.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--pool", default=None, help="comma-separated article counts for the -j 1 / -j 2 comparison")
    args = ap.parse_args()
    if args.pool:
        pool([int(x) for x in args.pool.split(",")])
    else:
        startup(args.runs)


if __name__ == "__main__":
    main()
