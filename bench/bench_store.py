"""Benchmark and figures of a newsan SQLite store (``newsan analyze … -f sqlite``).

Not a test; run by hand on a store you wrote, e.g. the whole news corpus::

    newsan analyze ../shared/data/news/ -f sqlite -o /tmp/full.db
    python bench/bench_store.py /tmp/full.db
    python bench/bench_store.py /tmp/new.db --insert records.jsonl   # time writing records first

It prints

- the store's size and counts (articles, distinct quotations and their
  occurrences, republished quotations, identities before/after merging);
- timings (best of ``--repeat``, each on a fresh connection's warm cache) of a
  full-text query (FTS5 MATCH), the leaderboard views and a filtered
  ``newsan query``, each beside the **reference** measured in the same run: a
  full scan of the quotations for the same word (``content LIKE '%…%'``), what
  a store without the FTS index and the views would have to do;
- the top ``--top`` named speakers with article and outlet counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsan.store import BATCH_SIZE, Archive, Filters, Store  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--word", default="السلام", help="word searched (FTS5 and the LIKE reference)")
    ap.add_argument("--speaker", default="الجبير")
    ap.add_argument("--entity", default="إيران")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument("--resolve", action="store_true", help="resolve identities again first (after a code change)")
    ap.add_argument("--insert", type=Path, default=None, metavar="RECORDS.jsonl",
                    help="first write these records (newsan analyze -f jsonl output) into DB, a new store, timed")
    args = ap.parse_args()
    if args.insert:
        if args.db.exists():
            raise SystemExit(f"{args.db}: exists; --insert writes a new store")
        records = [json.loads(line) for line in args.insert.open(encoding="utf-8") if line.strip()]
        with Store(args.db) as new:
            archive = Archive(new)
            t = time.perf_counter()
            for rec in records:
                archive.add(rec)
            archive.flush()
            t_insert = time.perf_counter() - t
            t = time.perf_counter()
            new.finalize()
            t_final = time.perf_counter() - t
        print(f"inserted {len(records)} records in {t_insert:.2f} s ({t_insert / len(records) * 1000:.2f} ms per "
              f"article, batches of {BATCH_SIZE}); identities resolved in {t_final:.2f} s")
    if not args.db.is_file():
        raise SystemExit(f"{args.db}: no such store")
    store = Store(args.db)
    if args.resolve:
        t = time.perf_counter()
        store.finalize()
        print(f"identities resolved again over the whole store in {time.perf_counter() - t:.1f} s")
    store.ensure_identities()
    db: sqlite3.Connection = store.db
    counts = store.counts()
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    figures: dict[str, Any] = {"size_mb": round(os.path.getsize(args.db) / 2**20, 1), **counts}
    figures["speaker_names"] = one("SELECT COUNT(DISTINCT speaker_canonical) FROM quote_occurrences")
    figures["speaker_keys"] = one("SELECT COUNT(DISTINCT speaker_key) FROM quote_occurrences")
    figures["speaker_identities"] = one("SELECT COUNT(DISTINCT speaker_identity_id) FROM quote_occurrences")
    figures["entity_names"] = one("SELECT COUNT(DISTINCT canonical) FROM entities")
    figures["entity_keys"] = one("SELECT COUNT(DISTINCT name_key) FROM entities")
    figures["entity_identities"] = one("SELECT COUNT(DISTINCT identity_id) FROM entities")
    figures["merged_identities"] = one("SELECT COUNT(*) FROM identities WHERE json_array_length(keys) > 1")

    word = args.word
    ref_t, ref_n = best(lambda: one(f"SELECT COUNT(*) FROM quotes WHERE content LIKE '%{word}%'"), args.repeat)
    runs = {
        "fts_match": lambda: len(store.rows(
            "SELECT q.id, q.content FROM quotes_fts f JOIN quotes q ON q.id = f.rowid WHERE quotes_fts MATCH ?",
            (word,))),
        "people_board_view": lambda: len(store.rows("SELECT * FROM people_board")),
        "people_board_top20": lambda: len(store.rows("SELECT * FROM people_board LIMIT 20")),
        "addresses_view": lambda: len(store.rows("SELECT * FROM addresses")),
        "query_speaker_entity_dates": lambda: len(store.occurrences(
            Filters(speaker=args.speaker, entity=args.entity, since="2015-07-01", until="2015-08-31"))),
        "corpus_view_all_boards": lambda: len(store.view(args.top)),
    }
    print(f"{args.db}: {json.dumps(figures, ensure_ascii=False)}")
    print(f"reference: full scan  content LIKE '%{word}%'   {ref_t * 1000:8.1f} ms  ({ref_n} rows)")
    timings = {"reference_like_scan_ms": ref_t * 1000}
    for name, fn in runs.items():
        t, n = best(fn, args.repeat)
        timings[f"{name}_ms"] = t * 1000
        print(f"{name:28s} {t * 1000:8.1f} ms  ({n} rows)   {t / ref_t:6.2f}x the reference")
    rows = store.rows(f"SELECT name, articles, outlets, quotes, occurrences, variants FROM people_board LIMIT {args.top}")
    print(f"\ntop {args.top} named speakers (articles, outlets quoting; distinct quotations, occurrences):")
    for i, r in enumerate(rows, 1):
        variants = ", ".join(json.loads(r["variants"])[:4])
        print(f"{i:3d}. {r['name']}  {r['articles']} articles, {r['outlets']} outlets, "
              f"{r['quotes']} quotations ({r['occurrences']} occurrences)" + (f"  [{variants}]" if variants else ""))
    if args.json:
        print(json.dumps({"figures": figures, "timings": timings, "top": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
