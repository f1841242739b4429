"""Issue 14: a hypothesis fuzz of JSON Lines records. Whatever a line holds, the
reader yields one article or one error naming the file and that line, and the
lines after it are still read; an article it yields can be written out."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _adv import ARTICLE
from newsan.errors import InputError
from newsan.load import iter_articles
from newsan.model import Article

GOOD = json.dumps({"id": "last", "text": ARTICLE}, ensure_ascii=False).encode()

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(st.text(max_size=60), st.just(ARTICLE), _json),
        "title": st.one_of(st.text(max_size=10), _json),
        "id": st.one_of(st.text(max_size=8), st.integers(), _json),
        "meta": _json,
    },
)


def _line(obj: object, mangle: int) -> bytes:
    raw = json.dumps(obj, ensure_ascii=mangle % 2 == 0).encode("utf-8", "surrogatepass")
    if mangle == 2 and raw:
        return raw[: len(raw) // 2]  # truncated
    if mangle == 3:
        return raw.replace(b'"', b'"\\ud800', 1)  # a lone surrogate escape
    if mangle == 4:
        return raw + b"\xff"  # a bad byte
    if mangle == 5:
        return b"[" * 3000 + raw + b"]" * 3000
    return raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(_record, st.integers(0, 7)), min_size=1, max_size=4))
def test_fuzz_jsonl_one_result_per_line(tmp_path: Path, records: list) -> None:
    lines = [_line(obj, mangle) for obj, mangle in records]
    lines = [ln.replace(b"\n", b" ") for ln in lines]
    f = tmp_path / "fuzz.jsonl"
    f.write_bytes(b"\n".join([*lines, GOOD]) + b"\n")
    results = list(iter_articles([str(f)]))
    nonblank = [n for n, ln in enumerate(lines, 1) if ln.strip()]
    assert len(results) == len(nonblank) + 1
    assert isinstance(results[-1], Article) and results[-1].id == "last"
    for n, r in zip(nonblank, results, strict=False):
        if isinstance(r, InputError):
            assert f"{f}:{n}" in str(r)
        else:
            assert isinstance(r, Article)
            json.dumps({"text": r.text, "title": r.title, "id": r.id, "meta": r.meta},
                       ensure_ascii=False).encode("utf-8")  # writable: no lone surrogate
