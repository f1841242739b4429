"""Size and render time of ``newsan report`` for the dev set and for N news articles.

    python bench/bench_report.py                 # dev set + 1,000 news articles
    python bench/bench_report.py --n 200 --keep /tmp/reports --ner none

For each set: analysis time (not part of the report), HTML generation time
(write_report), file size, and in headless Chromium (Debian's package, driven
by Playwright when installed): time to the load event, first contentful paint,
and the time a filter by the top speaker and a search take. The news corpus
(../shared/data/news, research-only) is read in place, never copied.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

from newsan.aggregate import CorpusSummary
from newsan.errors import InputError
from newsan.load import iter_articles
from newsan.pipeline import Analyzer
from newsan.report import _with_articles, write_report
from newsan.runner import analyze_stream

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def news_articles(n: int) -> list[Any]:
    """n articles spread evenly over the corpus files (so that every outlet shows)."""
    files = sorted((SHARED / "data" / "news").glob("*.jsonl.gz"))
    per = -(-n // len(files))
    out: list[Any] = []
    for f in files:
        out += [a for a in islice(iter_articles([str(f)]), per * 2) if not isinstance(a, InputError)][:per]
    return out[:n]


def dev_articles() -> list[Any]:
    return [a for a in iter_articles([str(SHARED / "eval" / "dev")]) if not isinstance(a, InputError)]


def analyze(articles: list[Any], ner: str, jobs: int) -> tuple[list[tuple[Any, dict[str, Any]]], float]:
    analyzer = Analyzer(ner=ner)
    analyzer.check()
    t = time.perf_counter()
    pairs = []
    for art, outcome in _with_articles(articles, lambda it: analyze_stream(it, analyzer, jobs=jobs)):
        if outcome.record is not None:
            pairs.append((art, outcome.record))
    return pairs, time.perf_counter() - t


def browser_times(path: Path) -> dict[str, float] | None:
    chromium = os.environ.get("NEWSAN_CHROMIUM", "/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.path.exists(chromium):
        return None
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=chromium, headless=True, args=FLAGS,
                                                   viewport={"width": 1280, "height": 900}, offline=True)
        page = ctx.new_page()
        t = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        wall = time.perf_counter() - t
        perf = page.evaluate("""() => {
            const nav = performance.getEntriesByType("navigation")[0];
            const fcp = performance.getEntriesByName("first-contentful-paint")[0];
            return {load: nav.loadEventEnd, dcl: nav.domContentLoadedEventEnd, fcp: fcp ? fcp.startTime : null};
        }""")
        filt = page.evaluate("""() => {
            const g = document.querySelector("svg.bars g.row[data-name]");
            if (!g) return null;
            const t = performance.now();
            window.newsanReport.filter(g.getAttribute("data-name"));
            document.body.offsetHeight;  // force layout
            const ms = performance.now() - t;
            window.newsanReport.filter(null);
            return ms;
        }""")
        search = page.evaluate("""() => {
            const t = performance.now();
            window.newsanReport.search("قال");
            document.body.offsetHeight;
            const ms = performance.now() - t;
            window.newsanReport.search("");
            return ms;
        }""")
        ctx.close()
    return {"wall_load_s": wall, "load_ms": perf["load"], "dcl_ms": perf["dcl"], "fcp_ms": perf["fcp"],
            "filter_ms": filt, "search_ms": search}


def bench(name: str, articles: list[Any], ner: str, jobs: int, keep: Path | None) -> dict[str, Any]:
    pairs, t_analyze = analyze(articles, ner, jobs)
    out_dir = keep or Path(tempfile.mkdtemp())
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"report-{name}.html"
    t = time.perf_counter()
    with path.open("w", encoding="utf-8") as fh:
        stats = write_report(pairs, fh, summary=CorpusSummary())
    t_write = time.perf_counter() - t
    result: dict[str, Any] = {
        "set": name, "articles": stats.documents, "quotes": stats.quotes, "mentions": stats.mentions,
        "analyze_s": round(t_analyze, 2), "write_s": round(t_write, 3),
        "size_mb": round(path.stat().st_size / 1e6, 2), "path": str(path),
    }
    times = browser_times(path)
    if times:
        result.update({k: round(v, 1 if k.endswith("ms") else 2) for k, v in times.items() if v is not None})
    if keep is None:
        path.unlink()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="news articles (default 1000)")
    ap.add_argument("--ner", default="default")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="keep the reports in this folder")
    args = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit("../shared is not present")
    try:
        Analyzer(ner=args.ner).check()
    except Exception as exc:  # noqa: BLE001
        print(f"--ner {args.ner} unavailable ({exc}); using --ner none", file=sys.stderr)
        args.ner = "none"
    rows = [bench("dev", dev_articles(), args.ner, args.jobs, args.keep)]
    if args.n:
        rows.append(bench(f"news{args.n}", news_articles(args.n), args.ner, args.jobs, args.keep))
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    cols = ["set", "articles", "quotes", "mentions", "analyze_s", "write_s", "size_mb", "load_ms", "fcp_ms",
            "filter_ms", "search_ms"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r.get(c, "")) for c in cols) + " |")
    print(f"\n(--ner {args.ner}, --jobs {args.jobs})")


if __name__ == "__main__":
    main()
