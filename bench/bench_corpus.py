"""Benchmark: ``newsan analyze`` over a news corpus, next to two references on the same text.

Not a test; run by hand (see bench/README.md). For a sample of the corpus and,
with ``--full``, for all of it, it measures

- **newsan**: ``newsan analyze CORPUS -f jsonl -o OUT -j N`` as a subprocess
  (reading, analysis, JSON Lines writing: the real command), for each ``--jobs``;
  wall time, CPU time and peak RSS of the whole process tree (parent, forkserver,
  workers), sampled every 50 ms with psutil;
- **floor**: reading the same articles with newsan's loader plus camel-tools'
  ``simple_word_tokenize`` on each text, nothing else, in one process;
- **BERT**: camel-tools' own ``NERecognizer.predict`` (its BERT NER path) on the
  first ``--bert-docs`` articles of the sample, sentence by sentence, with a
  BERT-base token classifier of RANDOM weights (``BertConfig()`` defaults,
  ``BertForTokenClassification`` with 9 labels) and a WordPiece vocabulary
  generated from the sample. Nothing is downloaded: camel-tools' data catalogue
  (which ``camel_tools.ner`` would fetch at import) is stubbed out.

Words are whitespace-separated tokens of each article's text (title line
included), counted once, outside the timed runs; every rate below uses them.

Usage::

    python bench/bench_corpus.py                    # 2,000-article sample, jobs 1 and 2
    python bench/bench_corpus.py --full --save      # + the whole corpus; JSON into bench/results/
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "news"
RESULTS = REPO / "bench" / "results"
MB = 1024 * 1024

TARGETS = {
    "full_seconds": 300.0,  # whole corpus in under 5 minutes
    "floor_ratio": 10.0,  # within 10x of the tokenize-only floor
    "bert_speedup": 100.0,  # at least 100x faster than the BERT path
    "rss_mb": 600.0,  # peak RSS (whole process tree)
}


@dataclass
class Row:
    name: str
    corpus: str
    articles: int
    words: int
    seconds: float
    cpu_seconds: float | None = None
    rss_max_mb: float | None = None  # largest single process
    rss_tree_mb: float | None = None  # sum over the process tree at its peak
    rss_mid_mb: float | None = None  # tree RSS halfway through the run (flatness)
    failed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def wps(self) -> float:
        return self.words / self.seconds

    @property
    def aps(self) -> float:
        return self.articles / self.seconds


# -- corpus ----------------------------------------------------------------------------------


def corpus_files(data: Path) -> list[Path]:
    files = sorted(p for p in data.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz")))
    if not files:
        sys.exit(f"bench: no .jsonl(.gz) corpus in {data}")
    return files


def raw_lines(files: list[Path]) -> Iterator[bytes]:
    for f in files:
        opener = gzip.open if f.name.endswith(".gz") else open
        with opener(f, "rb") as fh:  # type: ignore[operator]
            for line in fh:
                if line.strip():
                    yield line


def write_sample(files: list[Path], n: int, dest: Path) -> Path:
    """Every k-th article of the corpus (all sources in proportion), as one JSONL file."""
    total = sum(1 for _ in raw_lines(files))
    step = max(total // n, 1)
    out = dest / f"sample{n}.jsonl"
    with open(out, "wb") as fh:
        kept = 0
        for i, line in enumerate(raw_lines(files)):
            if i % step == 0 and kept < n:
                fh.write(line if line.endswith(b"\n") else line + b"\n")
                kept += 1
    return out


def count_words(paths: list[str]) -> tuple[int, int]:
    from newsan.load import iter_articles

    articles = words = 0
    for a in iter_articles(paths):
        if hasattr(a, "text"):
            articles += 1
            words += len(a.text.split())
    return articles, words


# -- references ------------------------------------------------------------------------------


def run_floor(paths: list[str], name: str, articles: int, words: int) -> Row:
    import resource

    from camel_tools.tokenizers.word import simple_word_tokenize

    from newsan.load import iter_articles

    t0, c0 = time.perf_counter(), time.process_time()
    tokens = 0
    for a in iter_articles(paths):
        if hasattr(a, "text"):
            tokens += len(simple_word_tokenize(a.text))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Row("floor: read + simple_word_tokenize", name, articles, words, dt, cpu, rss_max_mb=rss,
               notes=[f"{tokens} tokens"])


_SENT_RE = re.compile(r"(?<=[.!?؟\n])\s*")


def _bert_sentences(paths: list[str], docs: int) -> tuple[list[list[str]], int, int]:
    from camel_tools.tokenizers.word import simple_word_tokenize

    from newsan.load import iter_articles

    sentences: list[list[str]] = []
    n = words = 0
    for a in iter_articles(paths):
        if not hasattr(a, "text"):
            continue
        n += 1
        words += len(a.text.split())
        sentences += [toks for s in _SENT_RE.split(a.text) if (toks := simple_word_tokenize(s))]
        if n == docs:
            break
    return sentences, n, words


def build_random_bert(sentences: list[list[str]], folder: Path) -> None:
    """A BERT-base token classifier (``BertConfig()`` defaults, 9 labels) with random
    weights, and a generated WordPiece vocabulary, saved as camel-tools loads it."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    config = BertConfig()
    words = Counter(w for s in sentences for w in s)
    chars = sorted({ch for w in words for ch in w})
    pieces: Counter[str] = Counter()
    for w, c in words.items():  # frequent word endings as ## continuation pieces
        for k in (2, 3, 4):
            if len(w) > k:
                pieces["##" + w[-k:]] += c
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + ch for ch in chars]
    room = config.vocab_size - len(vocab)
    vocab += [p for p, _ in pieces.most_common(room // 3)]
    vocab += [w for w, _ in words.most_common(config.vocab_size)]
    vocab = list(dict.fromkeys(vocab))[: config.vocab_size]
    vocab += [f"[unused{i}]" for i in range(config.vocab_size - len(vocab))]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    labels = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
    config.num_labels = 9
    config.id2label = dict(enumerate(labels))
    config.label2id = {x: i for i, x in enumerate(labels)}
    torch.manual_seed(0)
    BertForTokenClassification(config).save_pretrained(str(folder))
    BertTokenizer(str(folder / "vocab.txt")).save_pretrained(str(folder))


def _camel_ner_module() -> types.ModuleType:
    """``camel_tools.ner`` without its data catalogue (whose import downloads it)."""
    if "camel_tools.data" not in sys.modules:
        stub = types.ModuleType("camel_tools.data")
        stub.CATALOGUE = None  # type: ignore[attr-defined]
        sys.modules["camel_tools.data"] = stub
    import camel_tools.ner

    return camel_tools.ner


def run_bert(paths: list[str], docs: int, name: str, tmp: Path) -> Row:
    import torch

    sentences, n, words = _bert_sentences(paths, docs)
    folder = tmp / "random-bert"
    folder.mkdir(exist_ok=True)
    build_random_bert(sentences, folder)
    ner = _camel_ner_module().NERecognizer(str(folder), use_gpu=False)
    ner.predict(sentences[:2])  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    labels = ner.predict(sentences)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert len(labels) == len(sentences)
    return Row(f"BERT: camel-tools NERecognizer ({n} art.)", name, n, words, dt, cpu,
               notes=[f"{len(sentences)} sentences, torch threads {torch.get_num_threads()}, random weights"])


# -- newsan -----------------------------------------------------------------------------------


class TreeSampler(threading.Thread):
    """Peak RSS of a process and all its descendants, sampled every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        import psutil

        self.root = psutil.Process(pid)
        self.every = every
        self.stop = threading.Event()
        self.max_one = self.max_tree = 0
        self.timeline: list[tuple[float, int]] = []
        self.cpu: dict[int, float] = {}

    def run(self) -> None:
        import psutil

        t0 = time.perf_counter()
        while not self.stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            tree = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    continue
                tree += rss
                self.max_one = max(self.max_one, rss)
            self.max_tree = max(self.max_tree, tree)
            self.timeline.append((time.perf_counter() - t0, tree))
            self.stop.wait(self.every)

    def mid_tree(self) -> int:
        """Tree RSS at half the run (to compare with the peak: flat means equal)."""
        if not self.timeline:
            return 0
        half = self.timeline[-1][0] / 2
        return next(rss for t, rss in self.timeline if t >= half)


def run_newsan(path: Path, jobs: int, ner: str, name: str, articles: int, words: int, tmp: Path,
               quotes: str = "learned") -> Row:
    out = tmp / f"out-{name}-j{jobs}-{quotes}.jsonl"
    cmd = [sys.executable, "-m", "newsan", "analyze", str(path), "-j", str(jobs), "--ner", ner,
           "--quotes", quotes, "-f", "jsonl", "-o", str(out)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = None
    try:
        sampler = TreeSampler(proc.pid)
        sampler.start()
    except ImportError:
        pass
    _, err = proc.communicate()
    dt = time.perf_counter() - t0
    if sampler:
        sampler.stop.set()
        sampler.join()
    stderr = err.decode("utf-8", "replace").strip()
    if proc.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{stderr}")
    with open(out, encoding="utf-8") as fh:
        done = sum(1 for _ in fh)
    m = re.search(r"(\d+) analyzed, (\d+) failed", stderr)
    failed = int(m.group(2)) if m else articles - done
    out.unlink()
    import resource

    row = Row(f"newsan analyze --jobs {jobs}", name, articles, words, dt, notes=[f"--ner {ner}"], failed=failed)
    if sampler:
        row.rss_max_mb = sampler.max_one / MB
        row.rss_tree_mb = sampler.max_tree / MB
        row.rss_mid_mb = sampler.mid_tree() / MB
        row.cpu_seconds = sum(sampler.cpu.values())
        parent = sampler.cpu.get(proc.pid)
        if parent is not None and jobs > 1:
            row.notes.append(f"parent process {parent:.1f} CPU s of {row.cpu_seconds:.1f} (reading, writing, summary)")
    else:
        row.rss_max_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done != articles - failed:
        row.notes.append(f"{done} records written for {articles} articles, {failed} failed")
    return row


# -- report -----------------------------------------------------------------------------------


def _f(x: float | None, fmt: str = "{:,.0f}") -> str:
    return "-" if x is None else fmt.format(x)


def print_table(rows: list[Row]) -> None:
    floor = {r.corpus: r for r in rows if r.name.startswith("floor")}
    bert = next((r for r in rows if r.name.startswith("BERT")), None)
    head = ("corpus", "run", "articles", "words", "s", "CPU s", "words/s", "art./s", "RSS max MB",
            "RSS tree MB", "mid MB", "x floor", "x BERT")
    table = [head]
    for r in rows:
        fl = floor.get(r.corpus)
        is_newsan = r.name.startswith("newsan")
        table.append((
            r.corpus, r.name, f"{r.articles:,}", f"{r.words:,}", f"{r.seconds:.1f}", _f(r.cpu_seconds, "{:.1f}"),
            f"{r.wps:,.0f}", f"{r.aps:,.1f}", _f(r.rss_max_mb), _f(r.rss_tree_mb), _f(r.rss_mid_mb),
            f"{fl.wps / r.wps:.1f}" if fl and is_newsan else "",
            f"{r.wps / bert.wps:,.0f}" if bert and is_newsan else "",
        ))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]
    for i, row in enumerate(table):
        print("  ".join(str(c).rjust(w) if j >= 2 else str(c).ljust(w) for j, (c, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print("\nx floor = how many times slower than reading + simple_word_tokenize (target <= "
          f"{TARGETS['floor_ratio']:.0f}); x BERT = how many times faster than camel-tools' BERT NER "
          f"(target >= {TARGETS['bert_speedup']:.0f}).")
    print("RSS max = largest single process; RSS tree = parent + forkserver + workers at their peak; "
          "mid = tree RSS halfway through the run.")
    for r in rows:
        for n in r.notes:
            print(f"  [{r.corpus}] {r.name}: {n}")


def check_targets(rows: list[Row]) -> list[str]:
    lines = []
    floor = {r.corpus: r for r in rows if r.name.startswith("floor")}
    bert = next((r for r in rows if r.name.startswith("BERT")), None)
    newsan = [r for r in rows if r.name.startswith("newsan")]
    full = [r for r in newsan if r.corpus == "full"]
    if full:
        best = min(full, key=lambda r: r.seconds)
        ok = best.seconds < TARGETS["full_seconds"]
        lines.append(f"{'PASS' if ok else 'MISS'} whole corpus in {best.seconds:.0f} s ({best.name}); "
                     f"target < {TARGETS['full_seconds']:.0f} s")
    for r in newsan:
        fl = floor.get(r.corpus)
        if fl:
            ratio = fl.wps / r.wps
            lines.append(f"{'PASS' if ratio <= TARGETS['floor_ratio'] else 'MISS'} [{r.corpus}] {r.name}: "
                         f"{ratio:.1f}x the floor; target <= {TARGETS['floor_ratio']:.0f}x")
        if bert:
            sp = r.wps / bert.wps
            lines.append(f"{'PASS' if sp >= TARGETS['bert_speedup'] else 'MISS'} [{r.corpus}] {r.name}: "
                         f"{sp:,.0f}x faster than BERT; target >= {TARGETS['bert_speedup']:.0f}x")
        if r.rss_tree_mb is not None:
            lines.append(f"{'PASS' if r.rss_tree_mb < TARGETS['rss_mb'] else 'MISS'} [{r.corpus}] {r.name}: "
                         f"peak RSS {r.rss_tree_mb:.0f} MB (tree), {r.rss_max_mb:.0f} MB (largest process); "
                         f"target < {TARGETS['rss_mb']:.0f} MB")
    for jobs in {r.name for r in newsan}:
        by = {r.corpus: r for r in newsan if r.name == jobs}
        if "sample" in by and "full" in by and by["sample"].rss_tree_mb and by["full"].rss_tree_mb:
            a, b = by["sample"].rss_tree_mb, by["full"].rss_tree_mb
            lines.append(f"{'PASS' if b < a * 1.25 + 20 else 'MISS'} {jobs}: peak RSS {a:.0f} MB on the sample, "
                         f"{b:.0f} MB on the whole corpus (flat: within 25 %)")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .jsonl(.gz) corpora")
    ap.add_argument("--sample", type=int, default=2000, help="articles in the sample (0: no sample run)")
    ap.add_argument("--full", action="store_true", help="also run on the whole corpus")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    ap.add_argument("--ner", default="default", help="newsan --ner backend")
    ap.add_argument("--quotes", default="learned", help="newsan --quotes modes, comma-separated (learned,rules)")
    ap.add_argument("--bert-docs", type=int, default=40, help="sample articles for the BERT reference (0: skip)")
    ap.add_argument("--save", action="store_true", help="write the results as JSON into bench/results/")
    args = ap.parse_args()

    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    files = corpus_files(args.data)
    load0 = os.getloadavg()
    print(f"bench: {platform.python_version()} on {os.cpu_count()} cores; load average {load0[0]:.2f} at start")
    if load0[0] > 0.8:
        print("bench: warning: the machine is busy; rates will be lower than on an idle machine")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="newsan-bench-") as tmpdir:
        tmp = Path(tmpdir)
        runs: list[tuple[str, Path]] = []
        if args.sample:
            runs.append(("sample", write_sample(files, args.sample, tmp)))
        if args.full:
            runs.append(("full", args.data))  # the folder, as an analyst would pass it
        for name, path in runs:
            articles, words = count_words([str(path)])
            print(f"bench: {name}: {articles:,} articles, {words:,} words", flush=True)
            rows.append(run_floor([str(path)], name, articles, words))
            print(f"  floor {rows[-1].seconds:.1f} s", flush=True)
            for j, mode in ((j, m) for j in jobs for m in args.quotes.split(",")):
                r = run_newsan(path, j, args.ner, name, articles, words, tmp, mode)
                if mode != "learned":
                    r.name += f" --quotes {mode}"
                rows.append(r)
                print(f"  newsan -j {j}: {r.seconds:.1f} s, {r.wps:,.0f} words/s, {r.aps:,.1f} articles/s, "
                      f"CPU {_f(r.cpu_seconds, '{:.1f}')} s, peak RSS {_f(r.rss_tree_mb)} MB (tree) "
                      f"{_f(r.rss_max_mb)} MB (largest process)", flush=True)
            if name == "sample" and args.bert_docs:
                rows.append(run_bert([str(path)], args.bert_docs, name, tmp))
                print(f"  BERT {rows[-1].seconds:.1f} s", flush=True)
    load1 = os.getloadavg()
    print()
    print_table(rows)
    print()
    for line in check_targets(rows):
        print(line)
    print(f"\nload average {load0[0]:.2f} at start, {load1[0]:.2f} at the end (1-minute)")
    if args.save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        dest = RESULTS / f"corpus-{stamp}.json"
        dest.write_text(json.dumps({"rows": [asdict(r) | {"words_per_s": r.wps, "articles_per_s": r.aps}
                                             for r in rows], "load": [load0, load1], "targets": TARGETS},
                                   indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"bench: results in {dest}")


if __name__ == "__main__":
    main()
