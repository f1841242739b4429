"""The SQLite store (newsan.store) and newsan query: real SQLite files, real
analyses through click's CliRunner, a real interrupted subprocess, a real
Datasette server."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsan.cli import cli
from newsan.store import BATCH_SIZE, Archive, Filters, Store, content_key

ROOT = Path(__file__).resolve().parents[1]

LONG = "إن المملكة ستواصل دعم الشعب اليمني حتى يعود الأمن والاستقرار إلى كل المدن اليمنية"


def _record(aid: str, outlet: str, date: str, quotes: list[tuple[str | None, str]],
            entities: list[tuple[str, str]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """A public JSON record built by hand over a text it also builds, offsets exact."""
    text = ""
    qs = []
    for speaker, content in quotes:
        sp_start = len(text) + len("وقال ")
        text += "وقال " + (speaker or "هو") + " «"
        c_start = len(text)
        text += content + "». "
        qs.append({
            "kind": "direct",
            "cue": {"text": "قال", "start": sp_start - 4, "end": sp_start - 1},
            "content": {"text": content, "start": c_start, "end": c_start + len(content)},
            "speaker": ({"text": speaker, "start": sp_start, "end": sp_start + len(speaker), "canonical": speaker}
                        if speaker else None),
            "role": None, "addressee": None, "via": None, "sentence": len(qs),
        })
    ents = []
    for name, label in entities:
        at = text.find(name)
        if at < 0:
            at = len(text)
            text += name + ". "
        ents.append({"canonical": name, "label": label, "aliases": [], "count": 1,
                     "mentions": [{"text": name, "start": at, "end": at + len(name), "sentence": 0}]})
    return {"id": aid, "path": f"x.jsonl#{aid}", "title": f"عنوان {aid}",
            "meta": {"outlet": outlet, "date": date, "url": f"http://example.org/{aid}"},
            "stats": {}, "quotes": qs, "entities": ents, "warnings": [], "_text": text}


def _check_offsets(rec: dict[str, Any]) -> None:
    text = rec["_text"]
    for q in rec["quotes"]:
        for k in ("cue", "content", "speaker"):
            if q[k]:
                assert text[q[k]["start"]:q[k]["end"]] == q[k]["text"]


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "a.db")
    yield s
    s.close()


def test_store_schema_keys_indexes_fts_and_views(store: Store) -> None:
    names = {r[0]: r[1] for r in store.db.execute("SELECT name, type FROM sqlite_master")}
    for table in ("articles", "quotes", "quote_occurrences", "entities", "mentions", "identities", "batches"):
        assert names[table] == "table"
    assert names["quotes_fts"] == "table"  # the FTS5 virtual table
    for view in ("people_board", "institutions_board", "anonymous_board", "addresses", "quoted_about",
                 "outlets", "per_day", "per_month", "republished", "quotations"):
        assert names[view] == "view"
    fks = store.db.execute("PRAGMA foreign_key_list(quote_occurrences)").fetchall()
    assert {fk[2] for fk in fks} == {"quotes", "articles", "identities"}
    assert any(n.startswith("occurrences_") for n, t in names.items() if t == "index")


def test_store_republished_quotation_is_one_with_its_occurrences_and_majority_speaker(store: Store) -> None:
    recs = [
        _record("1", "Okaz", "2015-07-21", [("عادل الجبير", LONG)], [("عادل الجبير", "PERS")]),
        # the same wire story, other punctuation and spelling, in two more outlets; one copy misattributed
        _record("2", "Sabq", "2015-07-22", [("عادل الجبير", LONG.replace("إلى", "الى") + ".")],
                [("عادل الجبير", "PERS")]),
        _record("3", "Al-Riyadh", "2015-07-22", [("مصدر", LONG)]),
        # a short quotation is never merged across articles
        _record("4", "Okaz", "2015-07-23", [("عادل الجبير", "نعم")]),
        _record("5", "Sabq", "2015-07-23", [("عادل الجبير", "نعم")]),
    ]
    for r in recs:
        _check_offsets(r)
    assert store.add_batch(recs) == 5
    store.finalize()
    (rep,) = store.rows("SELECT * FROM republished")
    assert (rep["occurrences"], rep["articles"], rep["outlets"], rep["speaker"]) == (3, 3, 3, "عادل الجبير")
    assert store.counts()["quotes"] == 3 and store.counts()["occurrences"] == 5
    (row,) = store.rows("SELECT * FROM people_board")
    # articles and outlets that quote him; distinct quotations beside occurrences
    assert (row["name"], row["articles"], row["outlets"], row["quotes"], row["occurrences"]) == (
        "عادل الجبير", 4, 2, 3, 4)
    view = store.view()
    assert view["quotations"]["distinct"] == 3 and view["quotations"]["occurrences"] == 5
    assert view["quotations"]["republished"] == 1 and view["quotations"]["republished_occurrences"] == 3
    assert [r["name"] for r in view["anonymous"]] == ["مصدر"]


def test_store_content_key_ignores_punctuation_spacing_and_letter_variants() -> None:
    assert content_key("«إلى  الأمام»،") == content_key("الى الامام")
    assert content_key("إلى الأمام") != content_key("إلى الوراء")


def test_store_skips_known_articles_and_counts_batches(store: Store) -> None:
    recs = [_record(str(i), "Okaz", "2015-07-21", [("عادل الجبير", f"{LONG} {i}")]) for i in range(5)]
    assert store.add_batch(recs[:3]) == 3
    assert store.add_batch(recs) == 2
    assert store.known_ids() == {"0", "1", "2", "3", "4"}
    assert [r["articles"] for r in store.rows("SELECT articles FROM batches ORDER BY id")] == [3, 2]


def test_store_failed_batch_rolls_back_whole(store: Store) -> None:
    good = _record("1", "Okaz", "2015-07-21", [("عادل الجبير", LONG)])
    bad = _record("2", "Okaz", "2015-07-21", [("عادل الجبير", LONG)])
    del bad["quotes"][0]["content"]  # breaks mid-batch, after article 1 was inserted
    with pytest.raises(KeyError):
        store.add_batch([good, bad])
    assert store.counts()["articles"] == 0 and store.counts()["batches"] == 0
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_filters_speaker_entity_outlet_dates_kind_search(store: Store) -> None:
    recs = [
        _record("1", "Okaz", "2015-07-21", [("باراك أوباما", "إيران لن تحصل على سلاح نووي أبدا")],
                [("باراك أوباما", "PERS"), ("إيران", "LOC")]),
        _record("2", "Sabq", "2015-08-02", [("أوباما", "الاتفاق مع طهران جيد لأمريكا")], [("أوباما", "PERS")]),
        _record("3", "Okaz", "2015-07-25", [("حسن روحاني", "إيران ملتزمة بالاتفاق")],
                [("حسن روحاني", "PERS"), ("إيران", "LOC")]),
    ]
    recs[1]["entities"][0]["aliases"] = []
    recs.append(_record("4", "Okaz", "2015-07-26", [("أوباما", "سنرى")], [("باراك أوباما", "PERS")]))
    recs[3]["entities"][0]["aliases"] = ["أوباما"]  # an article ties أوباما to باراك أوباما
    store.add_batch(recs)
    store.finalize()

    def ids(**kw: Any) -> list[str]:
        return sorted(r["article_id"] for r in store.occurrences(Filters(**kw)))

    assert ids(speaker="اوباما") == ["1", "2", "4"]  # any spelling, part of the name
    assert ids(speaker="أوباما", entity="ايران") == ["1"]
    assert ids(entity="إيران") == ["1", "3"]
    assert ids(outlet="okaz") == ["1", "3", "4"]
    assert ids(since="2015-07-22", until="2015-07-31") == ["3", "4"]
    assert ids(kind="indirect") == []
    assert ids(search="ايران") == ["1", "3"]  # full text, any spelling
    assert len(store.occurrences(Filters(), top=2)) == 2
    rows, total = store.board("people", Filters(speaker="أوباما"))
    assert total == 1 and rows[0]["name"] == "باراك أوباما" and rows[0]["articles"] == 3


# -- through the command line ----------------------------------------------------------------------


def _corpus(path: Path, n: int, start: int = 0) -> Path:
    """A JSON Lines corpus of n real-looking articles with unique ids."""
    seed = (ROOT / "seeds" / "000_b3014ee5dfb3bcc9.txt").read_text(encoding="utf-8")
    title, body = seed.split("\n", 1)
    outlets = ["Okaz", "Sabq", "Al-Riyadh"]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            fh.write(json.dumps({"id": f"a{i:05d}", "title": title, "text": body, "outlet": outlets[i % 3],
                                 "date": f"2015-07-{21 + i % 9:02d} 10:00:00", "url": f"http://x/{i}"},
                                ensure_ascii=False) + "\n")
    return path


def test_cli_analyze_sqlite_then_grow_incrementally(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "archive.db"
    first = _corpus(tmp_path / "one.jsonl", 3)
    r = runner.invoke(cli, ["analyze", str(first), "-f", "sqlite", "-o", str(db), "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "3 articles added (whole batches), 0 already stored" in r.stderr
    grown = _corpus(tmp_path / "two.jsonl", 5)  # the same 3 and 2 new
    r = runner.invoke(cli, ["analyze", str(grown), "-f", "sqlite", "-o", str(db), "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "2 articles added (whole batches), 3 already stored" in r.stderr
    with Store(db) as s:
        assert s.counts()["articles"] == 5 and s.counts()["batches"] == 2
        assert not s.stale()
        # the same article text in five outlets: every long quotation is one, with five occurrences
        reps = s.rows("SELECT occurrences FROM quotes WHERE articles > 1")
        assert reps and all(r["occurrences"] == 5 for r in reps)
    # nothing new: nothing analyzed, not an error
    r = runner.invoke(cli, ["analyze", str(grown), "-f", "sqlite", "-o", str(db), "-j", "1"])
    assert r.exit_code == 0 and "0 articles added (whole batches), 5 already stored" in r.stderr


def test_cli_analyze_sqlite_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    corpus = _corpus(tmp_path / "c.jsonl", 1)
    r = runner.invoke(cli, ["analyze", str(corpus), "-f", "sqlite"])
    assert r.exit_code == 2 and "-o FILE.db" in r.stderr
    not_a_store = tmp_path / "other.db"
    sqlite3.connect(not_a_store).execute("CREATE TABLE t (x)").connection.commit()
    r = runner.invoke(cli, ["analyze", str(corpus), "-f", "sqlite", "-o", str(not_a_store)])
    assert r.exit_code == 2 and "not a newsan store" in r.stderr and "Traceback" not in r.output
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    r = runner.invoke(cli, ["query", str(text)])
    assert r.exit_code == 2 and "not a newsan SQLite store" in r.stderr
    r = runner.invoke(cli, ["query", str(tmp_path / "missing.db")])
    assert r.exit_code == 2 and "no such store" in r.stderr


def test_cli_query_and_analyze_filters_agree(tmp_path: Path) -> None:
    runner = CliRunner()
    corpus = _corpus(tmp_path / "c.jsonl", 3)
    db = tmp_path / "a.db"
    assert runner.invoke(cli, ["analyze", str(corpus), "-f", "sqlite", "-o", str(db), "-j", "1"]).exit_code == 0
    args = ["--outlet", "sabq", "--since", "2015-07-21", "--until", "2015-07-31", "-f", "jsonl"]
    q = runner.invoke(cli, ["query", str(db), *args])
    a = runner.invoke(cli, ["analyze", str(corpus), "-j", "1", *args])
    assert q.exit_code == 0 and a.exit_code == 0, (q.output, a.output)
    rows = [json.loads(x) for x in q.stdout.splitlines()]
    assert rows and {r["outlet"] for r in rows} == {"Sabq"}
    assert rows == [json.loads(x) for x in a.stdout.splitlines()]
    for r in rows:
        assert {"article_id", "outlet", "date", "title", "url", "speaker", "content"} <= set(r)
    b = runner.invoke(cli, ["query", str(db), "--board", "speakers", "-f", "json"])
    assert b.exit_code == 0 and json.loads(b.stdout)
    s = runner.invoke(cli, ["query", str(db), "--summary", "-f", "json", "--top", "3"])
    view = json.loads(s.stdout)
    assert view["quotations"]["occurrences"] > view["quotations"]["distinct"] > 0
    bad = runner.invoke(cli, ["query", str(db), "--search", '"unbalanced'])
    assert bad.exit_code == 2 and "full-text" in bad.stderr
    assert runner.invoke(cli, ["query", str(db), "--since", "July"]).exit_code == 2


def test_cli_csv_tables_with_article_columns_and_bom(tmp_path: Path) -> None:
    import csv
    import io

    runner = CliRunner()
    corpus = _corpus(tmp_path / "c.jsonl", 2)
    out = tmp_path / "q.csv"
    r = runner.invoke(cli, ["analyze", str(corpus), "-j", "1", "-f", "csv", "-o", str(out)])
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a .csv file gets the byte-order mark Excel needs
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and rows[0]["article_id"] == "a00000" and rows[0]["outlet"] == "Okaz"
    assert rows[0]["date"] == "2015-07-21" and rows[0]["url"] == "http://x/0" and rows[0]["title"]
    for table, col in (("entities", "entity"), ("speakers", "speaker")):
        r = runner.invoke(cli, ["analyze", str(corpus), "-j", "1", "-f", "csv", "--table", table])
        assert r.exit_code == 0
        assert not r.stdout.startswith("\ufeff")  # stdout: no BOM unless asked
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        assert rows and all(row[col] and row["article_id"] for row in rows)
    r = runner.invoke(cli, ["analyze", str(corpus), "-j", "1", "-f", "csv", "--bom"])
    assert r.stdout.startswith("\ufeff")


def test_cli_stdin_json_lines(tmp_path: Path) -> None:
    runner = CliRunner()
    corpus = _corpus(tmp_path / "c.jsonl", 3).read_bytes()
    for extra in ([], ["--input-format", "jsonl"]):
        r = runner.invoke(cli, ["analyze", "-", "-j", "1", "-f", "jsonl", *extra], input=b"\n" + corpus)
        assert r.exit_code == 0, r.output
        assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["a00000", "a00001", "a00002"]
    r = runner.invoke(cli, ["analyze", "-", "-j", "1", "-f", "jsonl", "--input-format", "text"], input=corpus)
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["stdin"]


# -- interruption and Datasette (subprocesses) -------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.slow
def test_cli_sigint_leaves_whole_batches_and_next_run_completes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "big.jsonl", 3 * BATCH_SIZE + 50)
    db = tmp_path / "archive.db"
    cmd = [sys.executable, "-m", "newsan", "analyze", str(corpus), "-f", "sqlite", "-o", str(db), "-j", "1", "-q"]
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait for the first committed batch
            if proc.poll() is not None:
                break
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
                n = con.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
                con.close()
                if n >= 1:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.1)
        assert proc.poll() is None, "the run finished before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    articles = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    batched = con.execute("SELECT COALESCE(SUM(articles), 0) FROM batches").fetchone()[0]
    assert articles == batched and articles % BATCH_SIZE == 0 and 0 < articles < 3 * BATCH_SIZE + 50
    # every stored article is whole: its quotations are all there
    per_article = con.execute("SELECT COUNT(*) FROM quote_occurrences GROUP BY article_id").fetchall()
    assert len(set(per_article)) == 1
    con.close()
    done = subprocess.run(cmd, env=_env(), capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    with Store(db) as s:
        assert s.counts()["articles"] == 3 * BATCH_SIZE + 50 and not s.stale()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_store_datasette_serves_it_and_full_text_search_answers(tmp_path: Path) -> None:
    pytest.importorskip("datasette")
    db = tmp_path / "archive.db"
    with Store(db) as s:
        archive = Archive(s)
        archive.add(_record("1", "Okaz", "2015-07-21", [("عادل الجبير", LONG)], [("عادل الجبير", "PERS")]))
        archive.flush()
        s.finalize()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}/archive"
        search = urllib.parse.quote("اليمني")
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/quotes.json?_search={search}&_shape=array", timeout=5) as resp:
                    body = json.loads(resp.read())
                break
            except OSError:
                time.sleep(0.3)
        assert body is not None, server.stderr.read().decode() if server.poll() is not None else "no answer"
        assert len(body) == 1 and "اليمني" in body[0]["content"]
        with urllib.request.urlopen(f"{base}/people_board.json?_shape=array", timeout=5) as resp:
            assert json.loads(resp.read())[0]["name"] == "عادل الجبير"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_cli_summary_tables_show_boards_and_say_when_cut(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Store(db) as s:
        s.add_batch([
            _record(str(i), ["Okaz", "Sabq"][i % 2], f"2015-07-2{i}", [(name, f"{LONG} {i}")], [(name, "PERS")])
            for i, name in enumerate(["عادل الجبير", "جون كيري", "باراك أوباما", "عادل الجبير"])
        ] + [_record("9", "Okaz", "2015-07-29", [("المصدر", LONG + " 9")])])
        s.finalize()
    r = CliRunner().invoke(cli, ["query", str(db), "--summary", "--top", "2"])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "Named people quoted (top 2 of 3)" in out and "Anonymous sources and roles quoted" in out
    assert out.index("عادل الجبير") < out.index("Anonymous sources")  # two articles: first
    assert "Quotations per day" in out and "2015-07-29" in out
    board = CliRunner().invoke(cli, ["query", str(db), "--board", "people", "-f", "csv"])
    assert board.stdout.splitlines()[0].startswith("name,kind,articles,outlets,quotes")
    assert board.stdout.splitlines()[1].startswith("عادل الجبير,person,2,2,2")


def test_store_cannot_open_is_one_line(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["analyze", str(ROOT / "seeds"), "-f", "sqlite", "-o",
                                 str(tmp_path / "missing-dir" / "a.db")])
    assert r.exit_code == 2 and "cannot open" in r.stderr and "Traceback" not in r.output


def test_store_opening_an_up_to_date_store_does_not_write(tmp_path: Path) -> None:
    """A store can be queried while another process writes it (or from a read-only copy)."""
    db = tmp_path / "a.db"
    with Store(db) as s:
        s.add_batch([_record("1", "Okaz", "2015-07-21", [("عادل الجبير", LONG)], [("عادل الجبير", "PERS")])])
        s.finalize()
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock: any other writer would wait, then fail
    try:
        with Store(db) as s:
            s.db.execute("PRAGMA busy_timeout = 0")
            assert s.board("people")[0][0]["name"] == "عادل الجبير"
            assert s.occurrences(Filters(speaker="الجبير"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
