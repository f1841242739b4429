"""Size, load time and filter time of ``newsan report`` at corpus sizes.

    python bench/bench_report.py                        # 2,000 and 40,000 news articles
    python bench/bench_report.py --sizes 200 --keep /tmp/reports --ner none

For each size N, N articles spread evenly over ``../shared/data/news`` (read in
place; the selected JSON lines go to a temporary file, never into the repo;
a size beyond the corpus takes the whole corpus):

1. ``newsan analyze SELECTION -f jsonl`` (the real command; ``analyze_s``,
   not part of the report);
2. ``write_report`` over the articles and those records, streamed
   (``write_s``) and the file's size;
3. in headless Chromium (Debian's package, driven by Playwright): the time to
   the load event and to first contentful paint, the script's first drawing of
   the page (``first_apply_ms``: parsing the data, charts, lists), and the time
   of each filter as a user sets it (top speaker, outlet, date range, quotation
   kind, a search, then all cleared), each until the page is laid out again;
   and the time to open (render) one article.

Prints one JSON line per size and a Markdown table.

To measure the page again after a change to the report, without analyzing
again, keep an analysis (``--keep DIR`` keeps the report, its selection and
records) and pass them: ``--input DIR/input-N.jsonl --records DIR/records-N.jsonl``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newsan.aggregate import CorpusSummary
from newsan.errors import InputError
from newsan.load import iter_articles
from newsan.report import write_report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def select(n: int, dest: Path) -> int:
    """Write n JSON lines spread evenly over the corpus files (each file in
    proportion to its size) to dest; return how many were written."""
    files = sorted((SHARED / "data" / "news").glob("*.jsonl.gz"))
    lines_per_file = []
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            lines_per_file.append([line for line in fh if line.strip()])
    total = sum(len(x) for x in lines_per_file)
    written = 0
    with dest.open("w", encoding="utf-8") as out:
        for lines in lines_per_file:
            k = min(len(lines), round(n * len(lines) / total)) if n < total else len(lines)
            step = len(lines) / k if k else 1
            for i in range(k):
                out.write(lines[int(i * step)])
            written += k
    return written


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
        page.set_default_timeout(600_000)
        t = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load", timeout=600_000)
        wall = time.perf_counter() - t
        perf = page.evaluate("""() => {
            const nav = performance.getEntriesByType("navigation")[0];
            const fcp = performance.getEntriesByName("first-contentful-paint")[0];
            return {load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : null, apply: window.__newsanApplyMs};
        }""")
        steps = page.evaluate("""() => {
            const out = {};
            function time(name, patch) {
                const t = performance.now();
                window.newsanReport.set(patch);
                document.body.offsetHeight;  // force layout
                out[name] = performance.now() - t;
            }
            const g = document.querySelector("#c-speakers g.row[data-name]");
            const outlet = document.querySelector("#f-outlet option:nth-child(2)");
            time("filter_speaker_ms", {names: g ? [g.getAttribute("data-name")] : []});
            time("filter_outlet_ms", {names: [], outlet: outlet ? outlet.value : ""});
            time("filter_dates_ms", {outlet: "", from: "2015-07-01", to: "2015-07-31"});
            time("filter_kind_ms", {from: "", to: "", kind: "direct"});
            time("search_ms", {kind: "", q: "قال"});
            time("clear_ms", {q: ""});
            const b = document.querySelector("#doclist .doc-title");
            const t = performance.now();
            b.click();
            document.body.offsetHeight;
            out.open_article_ms = performance.now() - t;
            return out;
        }""")
        ctx.close()
    return {"wall_load_s": wall, "load_ms": perf["load"], "fcp_ms": perf["fcp"], "first_apply_ms": perf["apply"],
            **steps}


def bench(n: int, ner: str, jobs: int, keep: Path | None, reuse: tuple[Path, Path] | None = None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="newsan-bench-report-"))
    if reuse:
        src, recs = reuse
        got = sum(1 for _ in recs.open(encoding="utf-8"))
        t_analyze = float("nan")
    else:
        src = work / "input.jsonl"
        got = select(n, src)
        recs = work / "records.jsonl"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsan", "analyze", str(src), "-f", "jsonl", "-o", str(recs),
                        "--ner", ner, "-j", str(jobs), "-q"], check=True)
        t_analyze = time.perf_counter() - t
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            src = src.rename(keep / f"input-{got}.jsonl")
            recs = recs.rename(keep / f"records-{got}.jsonl")
    out_dir = keep or work
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"report-{got}.html"

    def pairs() -> Any:
        with recs.open(encoding="utf-8") as fh:
            records = (json.loads(line) for line in fh)
            for art in iter_articles([str(src)]):
                if isinstance(art, InputError):
                    continue
                rec = next(records)
                assert rec["id"] == art.id, (rec["id"], art.id)
                yield art, rec

    t = time.perf_counter()
    with path.open("w", encoding="utf-8") as fh:
        stats = write_report(pairs(), fh, summary=CorpusSummary())
    t_write = time.perf_counter() - t
    result: dict[str, Any] = {
        "articles": stats.documents, "quotes": stats.quotes, "mentions": stats.mentions,
        "analyze_s": round(t_analyze, 1), "write_s": round(t_write, 2),
        "size_mb": round(path.stat().st_size / 1e6, 1), "path": str(path) if keep else None,
    }
    times = browser_times(path)
    if times:
        result.update({k: round(v, 1 if k.endswith("ms") else 2) for k, v in times.items() if v is not None})
    for f in work.iterdir():  # the selection and its records; the report too unless kept elsewhere
        f.unlink()
    work.rmdir()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000,40000", help="article counts (default 2000,40000)")
    ap.add_argument("--ner", default="default")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None,
                    help="keep the reports, selections and records in this folder")
    ap.add_argument("--input", type=Path, default=None, help="a kept selection (with --records): skip the analysis")
    ap.add_argument("--records", type=Path, default=None, help="the kept records of --input")
    args = ap.parse_args()
    rows = []
    if args.input and args.records:
        rows.append(bench(0, args.ner, args.jobs, args.keep, reuse=(args.input, args.records)))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    elif not (SHARED / "data" / "news").is_dir():
        sys.exit("../shared/data/news is not present")
    for n in () if rows else (int(x) for x in args.sizes.split(",")):
        rows.append(bench(n, args.ner, args.jobs, args.keep))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    cols = ["articles", "quotes", "size_mb", "write_s", "load_ms", "fcp_ms", "first_apply_ms", "filter_speaker_ms",
            "filter_outlet_ms", "filter_dates_ms", "filter_kind_ms", "search_ms", "clear_ms", "open_article_ms"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r.get(c, "")) for c in cols) + " |")
    print(f"\n(--ner {args.ner}, --jobs {args.jobs}; load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
