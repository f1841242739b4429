"""Issue 14: hostile inputs — malformed JSON Lines records, legacy code pages,
special and oversized files, folders that cannot be read, tiny documents
(cases 3, 5, 8, 9, 13). Each bad input gives one line naming it (and its
record); the rest of the file and of the batch is analyzed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from _adv import ARTICLE, IS_ROOT, SEED, assert_one_error, errors, jsonl_ids, run

TITLE, BODY = ARTICLE.split("\n", 1)


def _rec(rid: str, text: str = BODY, **extra) -> str:
    return json.dumps({"id": rid, "title": TITLE, "text": text, **extra}, ensure_ascii=False)


# -- cases 3 and 8: one bad record is one line; the file goes on ---------------------------------

BAD_RECORDS = {
    # line number -> (raw line, what the error says)
    2: ('{"id": "s1", "text": "' + BODY.strip() + ' \\ud800"}', "surrogate"),
    3: ('{"id": "s2", "title": "\\udfff", "text": "' + BODY.strip() + '"}', "surrogate"),
    4: ('{"id": "\\ud83d", "text": "' + BODY.strip() + '"}', "surrogate"),
    6: ('{"id": "big", "n": ' + "9" * 5000 + ', "text": "' + BODY.strip() + '"}', "invalid JSON"),
    7: ('{"id": "deep", "x": ' + "[" * 100_000 + "]" * 100_000 + ', "text": "' + BODY.strip() + '"}',
        "invalid JSON"),
    9: (None, "not UTF-8"),  # one bad byte, written below
}


def test_malformed_records_each_one_line_rest_analyzed(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = []
    for n in range(1, 12):
        if n in BAD_RECORDS and BAD_RECORDS[n][0] is not None:
            lines.append(BAD_RECORDS[n][0].encode())
        elif n == 9:
            lines.append(_rec("badbyte").encode().replace(b"\xd8\xa7", b"\xd8\xff", 1))  # one bad byte
        else:
            lines.append(_rec(f"ok{n}").encode())
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    other = tmp_path / "b.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    res = run(str(corpus), str(other), "-j", "1", "-f", "jsonl")
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    errs = errors(res.stderr)
    assert len(errs) == len(BAD_RECORDS), res.stderr
    for n, (_, reason) in BAD_RECORDS.items():
        (line,) = [e for e in errs if f"c.jsonl:{n}" in e]
        assert reason in line, line
    good = [f"ok{n}" for n in range(1, 12) if n not in BAD_RECORDS]
    assert jsonl_ids(res.stdout) == good + ["b"]


def test_surrogate_in_a_txt_stays_impossible_and_output_encodes(tmp_path: Path) -> None:
    """Every record written is valid UTF-8 JSON (no lone surrogate reached the writer)."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(_rec("a", meta_note="\\ud800") + "\n" + '{"id": "b", "text": "' + BODY.strip()
                      + '", "source": "\\udc00"}\n', encoding="utf-8")
    res = run(str(corpus), "-f", "jsonl")
    assert res.returncode == 1
    assert_one_error(res.stderr, "c.jsonl:2", "surrogate")
    assert jsonl_ids(res.stdout) == ["a"]


# -- case 5: legacy Arabic code pages --------------------------------------------------------

LEGACY = ("الوزير يؤكد أهمية التعاون\n"
          "قال وزير الخارجية إن العلاقات بين البلدين متينة، وأضاف أن الاجتماع كان مثمرا.\n"
          "وأكد المتحدث باسم الحكومة أن المفاوضات ستستمر الأسبوع المقبل.\n")


@pytest.mark.parametrize("codec, name", [("iso8859_6", "ISO-8859-6"), ("mac_arabic", "MacArabic"),
                                         ("cp1256", "Windows-1256")])
def test_legacy_code_page_decoded_right_or_refused(tmp_path: Path, codec: str, name: str) -> None:
    f = tmp_path / "legacy.txt"
    f.write_bytes(LEGACY.encode(codec))
    res = run(str(f), "-f", "jsonl")
    if res.returncode == 0:
        (rec,) = [json.loads(x) for x in res.stdout.splitlines()]
        assert rec["title"] == LEGACY.split("\n")[0]  # the right letters, not mojibake
        assert rec["stats"]["characters"] == len(LEGACY)
        assert rec["quotes"], "the quotation of the article was missed"
        warning = [ln for ln in res.stderr.splitlines() if "decoded as" in ln]
        assert warning and name in warning[0]
    else:
        assert res.returncode == 1
        assert_one_error(res.stderr, str(f), "decode")


def test_iso8859_6_never_passes_as_windows_1256() -> None:
    from newsan.load import decode

    for codec in ("iso8859_6", "mac_arabic"):
        try:
            text, warning = decode(LEGACY.encode(codec), "x")
        except Exception:  # noqa: BLE001 - refusing is allowed
            continue
        assert text == LEGACY, (codec, warning)


# -- case 9: special and oversized files -----------------------------------------------------


def test_dev_zero_and_fifo_refused_rest_analyzed(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    res = run("/dev/zero", str(fifo), str(good), "-j", "1", "-f", "jsonl", timeout=60)
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    errs = errors(res.stderr)
    assert len(errs) == 2 and "/dev/zero" in errs[0] and str(fifo) in errs[1], res.stderr
    assert jsonl_ids(res.stdout) == ["good"]


def test_size_limit_refuses_with_one_line(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE + BODY * 2000, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(ARTICLE, encoding="utf-8")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(_rec("r1", BODY * 2000) + "\n" + _rec("r2") + "\n", encoding="utf-8")
    res = run(str(big), str(small), str(corpus), "--max-size", "50K", "-j", "1", "-f", "jsonl")
    assert res.returncode == 1, res.stderr
    errs = errors(res.stderr)
    assert len(errs) == 2, res.stderr
    assert str(big) in errs[0] and "--max-size" in errs[0]
    assert "c.jsonl:1" in errs[1] and "--max-size" in errs[1]
    assert jsonl_ids(res.stdout) == ["small", "r2"]


def test_default_size_limit_refuses_a_5_mb_one_line_article(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    big.write_text(TITLE + "\n" + "كلمة " * 500_000 + "\n", encoding="utf-8")  # ~5 MB, one line
    res = run(str(big), "-j", "1")
    assert res.returncode == 1
    assert "too large" in assert_one_error(res.stderr, str(big), "--max-size")


def test_stdin_above_the_size_limit(tmp_path: Path) -> None:
    res = run("-", "--max-size", "10K", input=(ARTICLE + BODY * 500), stdin=None)
    assert res.returncode == 1
    assert_one_error(res.stderr, "-: too large")


# -- case 13: folders and tiny documents -----------------------------------------------------


def test_symlink_loop_is_reported_as_such(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop.name)
    res = run(str(loop), str(SEED), "-j", "1", "-f", "jsonl")
    assert res.returncode == 1
    assert "link loop" in assert_one_error(res.stderr, str(loop))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").symlink_to("b.txt")
    res = run(str(folder), "-j", "1", "-f", "jsonl")
    assert res.returncode == 1
    assert "link loop" in assert_one_error(res.stderr, "b.txt")
    assert jsonl_ids(res.stdout) == ["a"]


@pytest.mark.skipif(IS_ROOT, reason="root reads any folder; needs a non-root user")
def test_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "locked").chmod(0)
    try:
        res = run(str(folder), "-j", "1", "-f", "jsonl")
    finally:
        (folder / "locked").chmod(0o755)
    assert res.returncode == 1
    assert_one_error(res.stderr, "locked")
    assert jsonl_ids(res.stdout) == ["a"]


def test_only_tatweel_is_no_arabic_text(tmp_path: Path) -> None:
    f = tmp_path / "t.txt"
    f.write_text("ـــــ\nـــ ـــــ ــ\n", encoding="utf-8")
    res = run(str(f))
    assert res.returncode == 1
    assert "no Arabic text" in assert_one_error(res.stderr, str(f))


def test_presentation_forms_are_analyzed_with_exact_offsets(tmp_path: Path) -> None:
    import unicodedata

    forms = {}  # plain letter -> its isolated presentation form
    for cp in range(0xFE70, 0xFF00):
        d = unicodedata.normalize("NFKC", chr(cp))
        if len(d) == 1 and "ISOLATED" in unicodedata.name(chr(cp), ""):
            forms.setdefault(d, chr(cp))
    text = "".join(forms.get(c, c) for c in ARTICLE)
    assert text != ARTICLE and not any("\u0621" <= c <= "\u064a" for c in text)
    f = tmp_path / "pdf.txt"
    f.write_text(text, encoding="utf-8")
    res = run(str(f), "-f", "jsonl")
    assert res.returncode == 0, res.stderr
    (rec,) = [json.loads(x) for x in res.stdout.splitlines()]
    assert rec["stats"]["tokens"] > 5
    assert rec["quotes"], "the quotation in presentation forms was missed"
    spans = [q["content"] for q in rec["quotes"]] + [m for e in rec["entities"] for m in e["mentions"]]
    for s in spans:
        assert text[s["start"]:s["end"]] == s["text"]


def test_unreadable_subfolder_is_reported_even_as_root(tmp_path: Path, monkeypatch) -> None:
    """The same promise without needing a non-root user: the folder listing of
    ``locked`` fails with EACCES as it would for a user without the right."""
    from newsan.errors import InputError
    from newsan.load import iter_articles

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    real = os.scandir

    def scandir(path=".", *a, **kw):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(os, "scandir", scandir)
    got = list(iter_articles([str(folder)]))
    errs = [g for g in got if isinstance(g, InputError)]
    assert len(errs) == 1 and "locked" in str(errs[0]) and "permission denied" in str(errs[0])
    assert [g.id for g in got if not isinstance(g, InputError)] == ["a"]
