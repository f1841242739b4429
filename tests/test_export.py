from __future__ import annotations

from pathlib import Path

import pytest

from newsan.export import atomic_writer


def test_export_atomic_writer_replaces_on_success(tmp_path: Path) -> None:
    f = tmp_path / "out.jsonl"
    f.write_text("old\n")
    with atomic_writer(f) as fh:
        fh.write("new\n")
    assert f.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_export_atomic_writer_keeps_old_file_on_failure(tmp_path: Path) -> None:
    f = tmp_path / "out.jsonl"
    f.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_writer(f) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert f.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_export_atomic_writer_uses_umask_mode(tmp_path: Path) -> None:
    import os

    f = tmp_path / "out.jsonl"
    with atomic_writer(f) as fh:
        fh.write("x")
    umask = os.umask(0)
    os.umask(umask)
    assert f.stat().st_mode & 0o777 == 0o666 & ~umask


def test_export_input_error_pickles() -> None:
    import pickle

    from newsan.errors import InputError

    err = pickle.loads(pickle.dumps(InputError("a.txt", "empty file")))
    assert (err.path, err.reason, str(err)) == ("a.txt", "empty file", "a.txt: empty file")
