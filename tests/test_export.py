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
