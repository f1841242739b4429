"""Pathological documents for the per-document bounds (issue 14, case 6).

Builds, from fixed Arabic sentences (no third-party text), the two hostile
shapes that once made one document cost gigabytes: many short sentences plus
one very long sentence without punctuation, so that a tagger padding every
sentence to the longest allocates sentences x longest-sentence cells.

- ``short_plus_long_136k.txt``: about 136 KB (UTF-8);
- ``short_plus_long_301k.txt``: about 301 KB.

Not a test; run by hand. It writes the files and, with ``--run``, times
``newsan analyze FILE -f jsonl -j 1 > /dev/null`` on each under
``/usr/bin/time -v`` and prints wall time and peak RSS, after the same
command on one ordinary article of ``seeds/`` (the reference: start-up,
loading the model, is most of a one-article run)::

    python bench/pathological.py /tmp/patho            # write the files
    python bench/pathological.py /tmp/patho --run      # and measure them (+ analysis alone, in process)

The test suite builds the same documents with :func:`build` (tests/adversarial).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

SHORT = "قال وزير الخارجية إن العلاقات بين البلدين متينة."
LONG_WORDS = ("وأضاف", "المسؤول", "في", "العاصمة", "أن", "الحكومة", "ستواصل", "العمل", "مع", "الشركاء")

#: name -> (target size in bytes, share of the bytes in the long sentence)
SHAPES = {"short_plus_long_136k": (136_000, 0.5), "short_plus_long_301k": (301_000, 0.5)}


def build(size: int, long_share: float = 0.5) -> str:
    """A title line, short sentences, then one long sentence with no full stop,
    about ``size`` bytes of UTF-8 in all."""
    title = "وثيقة اختبار طويلة"
    long_bytes = int(size * long_share)
    words: list[str] = []
    n = 0
    while n < long_bytes:
        w = LONG_WORDS[len(words) % len(LONG_WORDS)]
        words.append(w)
        n += len(w.encode()) + 1
    long_sentence = " ".join(words)
    short_bytes = size - long_bytes - len(title.encode()) - 2
    shorts = []
    n = 0
    while n < short_bytes:
        shorts.append(SHORT)
        n += len(SHORT.encode()) + 1
    return f"{title}\n{' '.join(shorts)}\n{long_sentence}\n"


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (size, share) in SHAPES.items():
        p = folder / f"{name}.txt"
        p.write_text(build(size, share), encoding="utf-8")
        out.append(p)
    return out


def measure(path: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KB and exit code of one ``newsan analyze`` run."""
    # stdout to /dev/null, never `-o /dev/null`: newsan before issue 14 renamed its
    # temporary file over the target, which turned /dev/null into a regular file
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "newsan", "analyze", str(path),
           "-f", "jsonl", "-j", "1", "-q"]
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    secs = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            secs = secs * 60 + float(part)
    return secs, int(rss.group(1)) if rss else -1, proc.returncode


def analysis_seconds(paths: list[Path]) -> list[float]:
    """Seconds of analysis alone (model loaded first), in this process."""
    import time

    from newsan.load import article_from_text
    from newsan.pipeline import Analyzer

    analyzer = Analyzer()
    analyzer.check()
    out = []
    for p in paths:
        article = article_from_text(p.read_text(encoding="utf-8"), str(p))
        t = time.perf_counter()
        analyzer(article)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--run", action="store_true", help="time newsan on each file with /usr/bin/time -v")
    args = ap.parse_args()
    if args.run:
        ref = Path(__file__).resolve().parents[1] / "seeds" / "000_b3014ee5dfb3bcc9.txt"
        secs, rss, code = measure(ref)
        print(f"reference {ref.name} ({ref.stat().st_size:,} bytes): {secs:.2f} s wall, "
              f"{rss / 1024:.0f} MB peak RSS, exit {code}", flush=True)
    paths = write_all(args.folder)
    for p in paths:
        line = f"{p.name}: {p.stat().st_size:,} bytes"
        if args.run:
            secs, rss, code = measure(p)
            line += f"; newsan analyze -j 1: {secs:.2f} s wall, {rss / 1024:.0f} MB peak RSS, exit {code}"
        print(line, flush=True)
    if args.run:
        for p, secs in zip(paths, analysis_seconds(paths), strict=True):
            print(f"{p.name}: analysis alone (model loaded) {secs:.2f} s", flush=True)


if __name__ == "__main__":
    main()
