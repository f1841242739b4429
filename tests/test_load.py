from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsan.errors import InputError
from newsan.load import iter_articles
from newsan.model import Article

ARTICLE = "عنوان الخبر\nقال الوزير إن الاجتماع كان مثمرا.\n"


def _one(path: Path) -> Article | InputError:
    (result,) = list(iter_articles([str(path)]))
    return result


@pytest.mark.parametrize(
    "data, warning",
    [
        (ARTICLE.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), None),
        (ARTICLE.encode("utf-16"), "UTF-16"),
        (ARTICLE.encode("cp1256"), "Windows-1256"),
    ],
)
def test_load_decodes_encodings(tmp_path: Path, data: bytes, warning: str | None) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(data)
    art = _one(f)
    assert isinstance(art, Article)
    assert art.text == ARTICLE
    assert art.title == "عنوان الخبر"
    assert art.id == "a"
    if warning:
        assert any(warning in w for w in art.warnings)
    else:
        assert not art.warnings


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "binary"),
        (b"plain English text only\n", "no Arabic"),
        (bytes(range(0x80, 0xA0)) * 4, "cannot decode"),
    ],
)
def test_load_bad_input_gives_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    err = _one(f)
    assert isinstance(err, InputError)
    assert reason in err.reason
    assert str(f) in str(err)


def test_load_missing_path() -> None:
    err = _one(Path("/nonexistent/x.txt"))
    assert isinstance(err, InputError) and "no such file" in err.reason


def test_load_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    f = tmp_path / "locked.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    f.chmod(0)
    assert "permission" in _one(f).reason  # type: ignore[union-attr]


def test_load_directory_recursive_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "skip.md").write_text(ARTICLE, encoding="utf-8")
    got = [a.path for a in iter_articles([str(tmp_path)])]
    assert got == [str(tmp_path / "1.txt"), str(tmp_path / "b" / "2.txt")]


def test_load_jsonl_corpus(tmp_path: Path) -> None:
    f = tmp_path / "c.jsonl.gz"
    lines = [
        {"id": "x/1", "title": "عنوان", "text": "قال الوزير إن الأمر انتهى.", "outlet": "Okaz", "date": "2015-07-21 02:54:56"},
        {"id": "x/2", "text": ""},
        "not json",
        {"id": "x/3", "title": "", "text": "نص بلا عنوان."},
    ]
    with gzip.open(f, "wt", encoding="utf-8") as fh:
        for obj in lines:
            fh.write((obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)) + "\n")
    out = list(iter_articles([str(f)]))
    assert isinstance(out[0], Article)
    assert out[0].text == "عنوان\nقال الوزير إن الأمر انتهى."
    assert out[0].path == f"{f}#x/1" and out[0].meta["outlet"] == "Okaz"
    assert isinstance(out[1], InputError) and "empty" in out[1].reason
    assert isinstance(out[2], InputError) and "invalid JSON" in out[2].reason and ":3" in out[2].path
    assert isinstance(out[3], Article) and out[3].text == "نص بلا عنوان."


def test_load_stdin() -> None:
    import io

    (art,) = list(iter_articles(["-"], stdin=io.BytesIO(ARTICLE.encode())))
    assert isinstance(art, Article) and art.path == "-"


def test_load_count_documents_matches_iter_articles(tmp_path: Path) -> None:
    import gzip

    from newsan.load import count_documents

    (tmp_path / "a.txt").write_text("عنوان\nنص\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("عنوان\nنص\n", encoding="utf-8")
    lines = '{"text": "نص"}\n\n  \n{"text": "نص"}\nnot json\n{"text": "نص"}'  # last line without newline
    (tmp_path / "c.jsonl").write_text(lines, encoding="utf-8")
    with gzip.open(tmp_path / "d.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write('{"text": "نص"}\n' * 3)
    paths = [str(tmp_path), str(tmp_path / "missing.txt")]
    assert count_documents(paths) == sum(1 for _ in iter_articles(paths)) == 2 + 4 + 3 + 1


@pytest.mark.parametrize("paths, budget", [(["-"], 1 << 20), (["BIG"], 10)])
def test_load_count_documents_unknown(tmp_path: Path, paths: list[str], budget: int) -> None:
    from newsan.load import count_documents

    big = tmp_path / "big.jsonl"
    big.write_text('{"text": "نص"}\n' * 5, encoding="utf-8")
    paths = [str(big) if p == "BIG" else p for p in paths]
    assert count_documents(paths, budget=budget) is None
