"""The runner: in-order streaming, worker processes, bounded memory, bad
documents, Ctrl-C, and the Dask backend (issue 4)."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsan.errors import InputError, NewsanError
from newsan.load import article_from_text
from newsan.model import Analysis, Article
from newsan.runner import CRASHED, Outcome, analyze_stream
from newsan.segment import segment

SENTENCES = (
    "قال وزير الخارجية السعودي عادل الجبير إن المملكة تدعم الحل السياسي في اليمن.",
    "وأضاف الجبير في مؤتمر صحفي بالرياض: «لن نسمح بتهديد أمن المنطقة».",
    "من جهته، أكد الأمين العام للأمم المتحدة أن المفاوضات ستستأنف في جنيف الأسبوع المقبل.",
    "وذكرت وكالة الأنباء السعودية أن خادم الحرمين الشريفين استقبل الرئيس الفرنسي في جدة.",
    "وأوضح المتحدث باسم وزارة الصحة أن عدد الإصابات بلغ 120 حالة.",
    "ونقلت رويترز عن مصدر مطلع قوله إن الاتفاق سيوقع قريبا.",
    "وشهدت القاهرة ودمشق وبغداد مظاهرات حاشدة يوم الجمعة.",
)
OUTLETS = ("Okaz", "Al-Riyadh", "Sabq")


def make_text(i: int, sentences: int = 4) -> str:
    body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(sentences))
    return f"خبر رقم {i}\n{body}\nوفي سياق متصل، قال مسؤول إن {i} مشروعا قيد الدراسة."


def make_record(i: int) -> dict:
    return {
        "id": f"doc{i:05d}",
        "title": f"خبر رقم {i}",
        "text": make_text(i, 2 + i % 4),
        "outlet": OUTLETS[i % len(OUTLETS)],
        "date": f"2015-07-{1 + i % 28:02d} 10:00:00",
    }


def make_articles(n: int) -> Iterator[Article]:
    for i in range(n):
        yield article_from_text(make_text(i), f"doc{i:05d}.txt", id=f"doc{i:05d}", meta={"outlet": "Okaz"})


def write_corpus(path: Path, n: int, bad: dict[int, str] | None = None) -> Path:
    bad = bad or {}
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(bad[i] if i in bad else json.dumps(make_record(i), ensure_ascii=False))
            fh.write("\n")
    return path


@dataclass(frozen=True)
class FakeAnalyzer:
    """Fast, deterministic stand-in for :class:`newsan.pipeline.Analyzer`:
    segments the text (real work), fails or crashes on marked documents, and
    sleeps on some so that workers finish out of order."""

    sleep_every: int = 0

    def __call__(self, article: Article) -> Analysis:
        if "FAIL" in article.text:
            raise ValueError("asked to fail")
        if "CRASH" in article.text:
            os._exit(3)  # the worker process dies, as with a segfault in a C extension
        if self.sleep_every and int(article.id[3:]) % self.sleep_every == 0:
            time.sleep(0.02)
        seg = segment(article.text)
        return Analysis(article, seg.sentences, (), (), ())

    def check(self) -> None:
        pass


def _paths(outcomes: list[Outcome]) -> list[str]:
    return [o.path for o in outcomes]


def _real_analyzer(ner: str):  # type: ignore[no-untyped-def]
    from newsan.pipeline import Analyzer

    analyzer = Analyzer(ner=ner)
    try:
        analyzer.check()
    except (NewsanError, OSError) as exc:
        pytest.skip(f"--ner {ner} is not available here ({exc})")
    return analyzer


# -- order, equality across backends ------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_order_preserved(jobs: int) -> None:
    docs = list(make_articles(120))
    # slow documents make later batches finish first; the output must not care
    outcomes = list(analyze_stream(iter(docs), FakeAnalyzer(sleep_every=7), jobs=jobs, batch_size=3))
    assert _paths(outcomes) == [d.path for d in docs]
    assert all(o.ok for o in outcomes)


@pytest.mark.parametrize("ner", ["none", "default"])
def test_jobs2_same_output_as_jobs1(ner: str) -> None:
    analyzer = _real_analyzer(ner)
    docs = [article_from_text(make_text(i, 1 + i % 5), f"d{i}", id=str(i)) for i in range(60)]
    one = list(analyze_stream(docs, analyzer, jobs=1))
    two = list(analyze_stream(docs, analyzer, jobs=2, batch_size=4))
    assert all(o.ok for o in one)
    assert [o.record for o in two] == [o.record for o in one]


def test_empty_input() -> None:
    assert list(analyze_stream([], FakeAnalyzer(), jobs=2)) == []


# -- bad documents --------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_documents_do_not_stop_the_run(jobs: int) -> None:
    items: list[Article | InputError] = list(make_articles(40))
    items[3] = InputError("broken.txt", "binary data (NUL bytes), not a text file")
    items[10] = article_from_text("عنوان\nنص FAIL هنا", "fail.txt")
    if jobs > 1:  # in-process (jobs 1) a crash would take the whole run with it
        items[25] = article_from_text("عنوان\nنص CRASH هنا", "crash.txt")
    outcomes = list(analyze_stream(items, FakeAnalyzer(), jobs=jobs, batch_size=4))
    assert _paths(outcomes) == [i.path for i in items]
    failed = {o.path: o for o in outcomes if not o.ok}
    expected = {"broken.txt", "fail.txt"} | ({"crash.txt"} if jobs > 1 else set())
    assert set(failed) == expected
    assert failed["broken.txt"].reason == "binary data (NUL bytes), not a text file"
    assert failed["fail.txt"].reason == "internal error"
    assert "ValueError: asked to fail" in (failed["fail.txt"].error or "")
    if jobs > 1:
        assert failed["crash.txt"].reason == CRASHED
    assert sum(o.ok for o in outcomes) == len(items) - len(expected)


def test_cli_counts_failures_with_reasons(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsan.cli import cli

    _real_analyzer("none")
    corpus = write_corpus(
        tmp_path / "c.jsonl", 30,
        bad={4: "{not json", 9: json.dumps({"id": "x", "text": "no Arabic here"}), 20: json.dumps({"id": "y"})},
    )
    result = CliRunner().invoke(cli, ["analyze", str(corpus), "--ner", "none", "-j", "2", "-f", "jsonl"])
    assert result.exit_code == 1, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert len(lines) == 27
    assert [r["id"] for r in lines] == [f"doc{i:05d}" for i in range(30) if i not in (4, 9, 20)]
    assert "27 analyzed, 3 failed" in result.stderr
    for reason in ("invalid JSON", "no Arabic text", "record has no 'text' string"):
        assert reason in result.stderr


# -- bounded memory ---------------------------------------------------------------------------


def test_input_is_read_lazily_with_a_bounded_window() -> None:
    """Never more than window x batch_size documents read ahead of the consumer."""
    read = 0

    def source() -> Iterator[Article]:
        nonlocal read
        for a in make_articles(2000):
            read += 1
            yield a

    batch_size, window = 5, 4
    ahead = 0
    for n, _ in enumerate(analyze_stream(source(), FakeAnalyzer(), jobs=2, batch_size=batch_size, window=window), 1):
        ahead = max(ahead, read - n)
    assert n == 2000
    assert ahead <= batch_size * (window + 1)


def test_memory_flat_on_a_generated_corpus() -> None:
    """Python memory of the parent does not grow with the number of documents."""
    gc.collect()
    tracemalloc.start()
    try:
        marks: dict[int, int] = {}
        for n, outcome in enumerate(analyze_stream(make_articles(4000), FakeAnalyzer(), jobs=2), 1):
            assert outcome.ok
            if n in (500, 4000):
                gc.collect()
                marks[n] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert n == 4000
    # 3500 more documents (~3 MB of text, ~15 MB of records) may not leave more than a trace
    assert marks[4000] - marks[500] < 1_000_000, marks


# -- Ctrl-C -------------------------------------------------------------------------------------


def _part_files(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_keeps_finished_documents(tmp_path: Path, jobs: int) -> None:
    _real_analyzer("none")
    corpus = write_corpus(tmp_path / "corpus.jsonl", 20000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "out.jsonl"
    cmd = [sys.executable, "-m", "newsan", "analyze", str(corpus), "--ner", "none", "-j", str(jobs),
           "-f", "jsonl", "-o", str(out)]
    # a new session: SIGINT goes to the whole process group, as Ctrl-C in a terminal does
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            parts = _part_files(out_dir)
            if parts and parts[0].stat().st_size > 20_000:
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        else:
            pytest.fail("no output written within 120 s")
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr.decode()
    assert "interrupted" in stderr.decode()
    assert not _part_files(out_dir)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert 0 < len(records) < 20000
    # only finished documents, in input order, from the first one on
    assert [r["id"] for r in records] == [f"doc{i:05d}" for i in range(len(records))]
    assert out.read_text(encoding="utf-8").endswith("\n")
    # the workers are gone with the parent
    for _ in range(50):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("processes of the interrupted run are still alive")


# -- Dask ---------------------------------------------------------------------------------------


def test_dask_local_cluster_same_output_as_jobs1() -> None:
    distributed = pytest.importorskip("distributed")
    analyzer = _real_analyzer("none")
    docs: list[Article | InputError] = [
        article_from_text(make_text(i, 1 + i % 5), f"d{i}", id=str(i), meta={"outlet": "Okaz"}) for i in range(80)
    ]
    docs[7] = InputError("bad.txt", "empty document")
    expected = list(analyze_stream(docs, analyzer, jobs=1))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        got = list(analyze_stream(docs, analyzer, scheduler=cluster.scheduler_address, batch_size=3))
    assert got == expected
    assert not got[7].ok and got[7].reason == "empty document"


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "not an address:x:y", "tcp://127.0.0.1"])
def test_dask_bad_scheduler_is_one_line_error(address: str) -> None:
    pytest.importorskip("distributed")
    with pytest.raises(NewsanError) as err:
        list(analyze_stream(make_articles(3), FakeAnalyzer(), scheduler=address))
    assert "\n" not in str(err.value)
    assert "scheduler" in str(err.value)
